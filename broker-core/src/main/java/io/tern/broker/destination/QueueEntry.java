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
    /** When it may be dispatched (epoch ms): its delivery time, later while a redelivery delay runs. */
    long availableAt;

    QueueEntry(long sequence, MessageSnapshot message, boolean stored, int deliveredCount) {
        this.sequence = sequence;
        this.message = message;
        this.stored = stored;
        this.deliveredCount = deliveredCount;
        // A delivery time at or before the send time means no delay was asked for; comparing it with the
        // broker's clock would only let clock skew between client and broker hold the message back.
        this.availableAt = message.deliveryTime() > message.timestamp() ? message.deliveryTime() : 0;
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
