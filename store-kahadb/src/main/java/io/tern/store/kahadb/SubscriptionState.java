package io.tern.store.kahadb;

import io.tern.store.SubscriptionInfo;

import java.util.concurrent.atomic.AtomicLong;

/**
 * One durable subscription of a topic: its never-reused ID, its info and how many messages it is owed.
 *
 * <p><b>Threads.</b> Created and marked removed by submitting threads under the append lock; the index
 * applier owns {@code indexed} and {@code location} and is the only writer of {@code count}.
 */
final class SubscriptionState {

    final long id;
    final long destinationId;
    final SubscriptionInfo info;
    /** Messages owed, as applied. */
    final AtomicLong count = new AtomicLong();
    volatile boolean removed;

    // Owned by the applier.
    boolean indexed;
    Location location;
    /** The dispatch mark as applied (read by other threads), and the journal segment of its record. */
    volatile long dispatchMark;
    volatile long dispatchMarkSegment;

    SubscriptionState(long id, long destinationId, SubscriptionInfo info) {
        this.id = id;
        this.destinationId = destinationId;
        this.info = info;
    }
}
