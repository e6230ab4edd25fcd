package io.tern.store.kahadb;

import io.tern.protocol.Address;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One queue or topic of a running store: its never-reused ID, its counters and (for a topic) its
 * subscriptions.
 *
 * <p><b>Threads.</b> Submitting threads create it and mark it removed under the store's append lock,
 * and keep {@code highestSubmitted} under that lock. The index applier owns {@code indexed},
 * {@code location} and {@code subscriptionsById}, and is the only writer of the counters and
 * {@code lastSequence}, which any thread reads.
 */
final class DestinationState {

    final long id;
    final Address address;
    /** Messages stored now (a queue), as applied to the index. */
    final AtomicLong count = new AtomicLong();
    /** Bytes of the messages stored now, as applied. */
    final AtomicLong bytes = new AtomicLong();
    /** The highest sequence ever applied (or, for a topic message no subscription wanted, submitted). */
    final AtomicLong lastSequence = new AtomicLong();
    /** Set under the append lock when a removal of the destination was submitted. */
    volatile boolean removed;

    /** Guarded by the append lock: the highest sequence submitted, to skip conflict look-ups. */
    long highestSubmitted;

    /** The submitting side's view of the subscriptions, by key: changed under the append lock. */
    final Map<String, SubscriptionState> subscriptionsByKey = new ConcurrentHashMap<>();

    // Owned by the applier.
    boolean indexed;
    Location location;
    /** The dispatch mark as applied (read by other threads), and the journal segment of its record. */
    volatile long dispatchMark;
    volatile long dispatchMarkSegment;
    final Map<Long, SubscriptionState> subscriptionsById = new ConcurrentHashMap<>();

    DestinationState(long id, Address address) {
        this.id = id;
        this.address = address;
    }

    @Override
    public String toString() {
        return address + "#" + id;
    }
}
