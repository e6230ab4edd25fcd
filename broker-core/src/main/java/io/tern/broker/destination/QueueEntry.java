package io.tern.broker.destination;

import io.tern.protocol.MessageSnapshot;

/**
 * One message in one {@link DispatchQueue}: its position and what the queue knows of its deliveries.
 * All mutable fields are guarded by the owning queue's lock.
 */
public final class QueueEntry {

    final long sequence;
    final MessageSnapshot message;
    /** Whether the message is in the queue's backing store (so consuming it must remove it there). */
    final boolean stored;
    /** How many times it was handed to an application. */
    int deliveredCount;
    /** The consumer it is in flight to, or null while pending. */
    Subscriber owner;

    QueueEntry(long sequence, MessageSnapshot message, boolean stored, int deliveredCount) {
        this.sequence = sequence;
        this.message = message;
        this.stored = stored;
        this.deliveredCount = deliveredCount;
    }

    public long sequence() {
        return sequence;
    }

    public MessageSnapshot message() {
        return message;
    }

    @Override
    public String toString() {
        return "QueueEntry[" + sequence + ", " + message.messageId() + "]";
    }
}
