package io.tern.broker;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The started brokers of this JVM by name: how {@code vm://name} finds its broker, and how two brokers
 * are kept from sharing a name. Thread-safe.
 */
final class BrokerRegistry {

    private static final Map<String, Broker> STARTED = new ConcurrentHashMap<>();

    private BrokerRegistry() {
    }

    static void register(Broker broker) {
        Broker existing = STARTED.putIfAbsent(broker.name(), broker);
        if (existing != null && existing != broker) {
            throw new IllegalStateException("a broker named '" + broker.name() + "' is already running in this JVM;"
                    + " give each broker a unique name");
        }
    }

    static void unregister(Broker broker) {
        STARTED.remove(broker.name(), broker);
    }

    static Broker find(String name) {
        return STARTED.get(name);
    }

    /** Runs {@code action} atomically with respect to other registry changes (vm auto-creation). */
    static synchronized <T> T locked(java.util.function.Supplier<T> action) {
        return action.get();
    }
}
