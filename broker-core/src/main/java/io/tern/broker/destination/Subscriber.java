package io.tern.broker.destination;

import io.tern.protocol.MessageSnapshot;

/**
 * A consumer as a {@link DispatchQueue} sees it. The queue calls these methods while holding its lock,
 * so implementations must not block or call back into the queue.
 */
public interface Subscriber {

    /** Whether this consumer wants the message (selector, noLocal). */
    boolean accepts(MessageSnapshot message);

    /** An exclusive consumer receives every message of its queue while it is the oldest exclusive one. */
    default boolean isExclusive() {
        return false;
    }

    /** Hands a message over; the subscriber's credit was already taken by the queue. */
    void deliver(DispatchQueue queue, QueueEntry entry, int deliveryCount);
}
