package io.tern.broker;

import io.tern.protocol.Address;
import io.tern.store.PersistenceAdapter;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The settings of a broker, fixed when it is built. See {@link Broker.Builder} for each one's meaning
 * and default.
 */
record BrokerConfig(String name, boolean persistent, PersistenceAdapter store, String storeType,
                    Map<String, String> storeSettings, Path dataDirectory, long memoryLimit,
                    FlowControl flowControl, boolean autoCreateDestinations, List<Address> destinations,
                    List<String> transportConnectors, Clock clock, Duration storeTimeout,
                    boolean shutdownHook, RedeliveryPolicy redeliveryPolicy,
                    Map<Address, RedeliveryPolicy> destinationRedeliveryPolicies, String expiryQueue,
                    Duration expirySweepInterval) {

    /** The redelivery policy of a destination: its own if configured, else the broker's. */
    RedeliveryPolicy redeliveryPolicyFor(Address address) {
        RedeliveryPolicy own = destinationRedeliveryPolicies.get(address);
        return own != null ? own : redeliveryPolicy;
    }
}
