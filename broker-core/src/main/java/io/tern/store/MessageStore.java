package io.tern.store;

import io.tern.protocol.Address;
import io.tern.protocol.MessageSnapshot;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * The messages of one queue, ordered by the sequence the broker gives each. Sequences are unique and
 * increasing per queue; the broker continues from {@link #lastSequence()} after a restart.
 */
public interface MessageStore {

    Address address();

    /** Stores a message; completes when it is durable. A sequence already stored is an error. */
    CompletionStage<Void> add(long sequence, MessageSnapshot message);

    /** Removes an acknowledged message; completes when the removal is durable. Unknown sequences are ignored. */
    CompletionStage<Void> remove(long sequence);

    /**
     * Records that a message was handed to a consumer (count is its new delivery count), so a restart
     * can flag it redelivered. Stores may apply it lazily; unknown sequences are ignored.
     */
    CompletionStage<Void> updateDeliveryCount(long sequence, int deliveryCount);

    /**
     * Durably records how far the broker may have dispatched this queue: any stored message with a sequence
     * at or below {@code mark} may have been handed to a consumer, so after a crash the broker flags it
     * redelivered unless its delivery count says more. The broker writes it ahead of dispatching; it
     * replaces the previous mark (it may go down: an orderly stop sets 0 once every delivery was released).
     */
    CompletionStage<Void> recordDispatchMark(long mark);

    /** The last dispatch mark recorded (also before a restart), or 0. */
    long dispatchMark();

    /**
     * Up to {@code max} stored messages with a sequence greater than {@code afterSequence}, in
     * sequence order. This is how the broker recovers at start and pages messages in.
     */
    List<StoredMessage> read(long afterSequence, int max) throws IOException;

    /** The highest sequence ever added (also if removed since), or 0. */
    long lastSequence();

    /** Messages stored now. */
    long count();

    /** Bytes of the messages stored now (their encoded or estimated size). */
    long sizeBytes();

    /** Removes every message of this queue. */
    CompletionStage<Void> removeAll();
}
