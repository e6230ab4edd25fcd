package io.tern.transport.vm;

import io.tern.broker.Broker;
import io.tern.broker.BrokerProperties;
import io.tern.transport.BrokerConnection;
import io.tern.transport.DeliveryListener;
import io.tern.transport.TransportUri;
import jakarta.jms.JMSException;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code vm://name}: connects to the broker of that name in this JVM, handing messages over as
 * immutable snapshots with no encoding. With {@code create=true} it starts the broker on first use
 * (configured by the URL's {@code broker.*} and {@code store.*} parameters) and stops it again when the
 * last connection that this transport opened to it closes. Creation is opt-in: without it, a missing
 * broker is an error naming it.
 *
 * <p>Thread-safe: creation and the connection counts of created brokers are guarded by the class monitor.
 */
public final class VmTransport {

    /** Connections open per broker this transport created; absent for brokers it did not create. */
    private static final Map<Broker, AtomicInteger> CREATED = new ConcurrentHashMap<>();

    private VmTransport() {
    }

    /**
     * Connects to the broker a {@code vm://} URL names. Client parameters (those the connection factory
     * understands) must have been removed from {@code uri.parameters()} already.
     */
    public static BrokerConnection connect(TransportUri uri, DeliveryListener listener) throws JMSException {
        String name = uri.target();
        if (name.isEmpty()) {
            throw new JMSException("broker URL '" + uri.text() + "' names no broker; expected vm://broker-name");
        }
        boolean create = false;
        Map<String, String> brokerSettings = new LinkedHashMap<>();
        for (Map.Entry<String, String> p : uri.parameters().entrySet()) {
            String key = p.getKey();
            if (key.equals("create")) {
                create = parseBoolean(uri, key, p.getValue());
            } else if (key.startsWith("broker.") || key.startsWith("store.")) {
                brokerSettings.put(key, p.getValue());
            } else {
                throw new JMSException("broker URL '" + uri.text() + "': unknown parameter '" + key
                        + "'; vm:// accepts create, broker.* and store.*, and the connection factory's jms.* options");
            }
        }
        if (!brokerSettings.isEmpty() && !create) {
            throw new JMSException("broker URL '" + uri.text() + "': broker.* and store.* parameters configure"
                    + " a broker that vm:// creates, so they need create=true");
        }
        synchronized (VmTransport.class) {
            Broker broker = Broker.running(name).orElse(null);
            if (broker == null) {
                if (!create) {
                    throw new JMSException("no broker named '" + name + "' is running in this JVM; start one,"
                            + " or use vm://" + name + "?create=true to start one on first use");
                }
                broker = createBroker(uri, name, brokerSettings);
                CREATED.put(broker, new AtomicInteger());
            }
            AtomicInteger count = CREATED.get(broker);
            BrokerConnection connection = broker.connect(listener);
            if (count == null) {
                return connection;
            }
            count.incrementAndGet();
            return new CreatedBrokerConnection(connection, broker);
        }
    }

    private static Broker createBroker(TransportUri uri, String name, Map<String, String> settings)
            throws JMSException {
        settings.put("broker.name", name);
        try {
            return BrokerProperties.builder(settings).build().start();
        } catch (RuntimeException e) {
            JMSException j = new JMSException("broker URL '" + uri.text() + "': cannot create broker '" + name
                    + "': " + e.getMessage());
            j.initCause(e);
            j.setLinkedException(e);
            throw j;
        }
    }

    /** Called when a connection to a broker this transport created closes. */
    static void connectionClosed(Broker broker) {
        synchronized (VmTransport.class) {
            AtomicInteger count = CREATED.get(broker);
            if (count != null && count.decrementAndGet() == 0) {
                CREATED.remove(broker);
                broker.close();
            }
        }
    }

    private static boolean parseBoolean(TransportUri uri, String key, String value) throws JMSException {
        if (value.equalsIgnoreCase("true")) {
            return true;
        }
        if (value.equalsIgnoreCase("false")) {
            return false;
        }
        throw new JMSException("broker URL '" + uri.text() + "': " + key + "='" + value
                + "' is not a boolean; expected true or false");
    }
}
