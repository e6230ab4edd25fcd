package io.tern.transport;

import io.tern.protocol.Address;

import java.util.Objects;

/**
 * What a client asks for when it creates a consumer.
 *
 * @param consumerId unique within the connection
 * @param address the queue or topic
 * @param selector a message selector, or null
 * @param noLocal drop messages published on this connection (topics)
 * @param subscriptionName durable or shared subscription name, or null for a plain consumer
 * @param durable whether the subscription is durable
 * @param shared whether the subscription is shared
 * @param prefetch how many messages may be in the client's buffer at once (initial credit), at least 1
 * @param exclusive an exclusive queue consumer gets every message while it is the oldest exclusive one
 */
public record ConsumerSpec(long consumerId, Address address, String selector, boolean noLocal,
                           String subscriptionName, boolean durable, boolean shared, int prefetch,
                           boolean exclusive) {

    public ConsumerSpec {
        Objects.requireNonNull(address, "address");
        if (prefetch < 1) {
            throw new IllegalArgumentException("prefetch must be at least 1, was " + prefetch);
        }
    }

    public static ConsumerSpec plain(long consumerId, Address address, String selector, boolean noLocal,
                                     int prefetch) {
        return new ConsumerSpec(consumerId, address, selector, noLocal, null, false, false, prefetch, false);
    }
}
