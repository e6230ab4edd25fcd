package io.tern.store.kahadb;

import io.tern.protocol.Address;
import io.tern.protocol.MessageSnapshot;
import io.tern.store.MessageStore;
import io.tern.store.StoredMessage;

import java.io.IOException;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletionStage;

/**
 * The messages of one queue in a kahadb store. A handle: the state is in the {@link StoreEngine} it was
 * handed out by, and every call fails with {@link IllegalStateException} once that store stopped or the
 * queue was removed. Thread-safe.
 */
final class KahaDBMessageStore implements MessageStore {

    private final KahaDBPersistenceAdapter adapter;
    private final StoreEngine engine;
    private final DestinationState destination;

    KahaDBMessageStore(KahaDBPersistenceAdapter adapter, StoreEngine engine, DestinationState destination) {
        this.adapter = adapter;
        this.engine = engine;
        this.destination = destination;
    }

    @Override
    public Address address() {
        return destination.address;
    }

    /** Stores a message. */
    @Override
    public CompletionStage<Void> add(long sequence, MessageSnapshot message) {
        requireSequence(sequence);
        Objects.requireNonNull(message, "message");
        return adapter.sharedOn(engine, e -> e.addMessage(destination, sequence, message, null));
    }

    @Override
    public CompletionStage<Void> remove(long sequence) {
        return adapter.sharedOn(engine, e -> e.removeMessage(destination, null, sequence));
    }

    @Override
    public CompletionStage<Void> updateDeliveryCount(long sequence, int deliveryCount) {
        return adapter.sharedOn(engine, e -> e.deliveryCount(destination, null, sequence, deliveryCount));
    }

    @Override
    public CompletionStage<Void> recordDispatchMark(long mark) {
        return adapter.sharedOn(engine, e -> e.dispatchMark(destination, null, mark));
    }

    @Override
    public long dispatchMark() {
        return adapter.sharedOn(engine, e -> {
            e.checkUsable(destination);
            return destination.dispatchMark;
        });
    }

    @Override
    public List<StoredMessage> read(long afterSequence, int max) throws IOException {
        if (max < 0) {
            throw new IllegalArgumentException("max must be 0 or more, was " + max);
        }
        return adapter.sharedIo(engine, e -> e.readQueue(destination, afterSequence, max));
    }

    @Override
    public long lastSequence() {
        return adapter.sharedOn(engine, e -> {
            e.checkUsable(destination);
            return destination.lastSequence.get();
        });
    }

    @Override
    public long count() {
        return adapter.sharedOn(engine, e -> {
            e.checkUsable(destination);
            return destination.count.get();
        });
    }

    @Override
    public long sizeBytes() {
        return adapter.sharedOn(engine, e -> {
            e.checkUsable(destination);
            return destination.bytes.get();
        });
    }

    /** Removes every message; the last sequence stays. */
    @Override
    public CompletionStage<Void> removeAll() {
        return adapter.sharedOn(engine, e -> e.clearQueue(destination));
    }

    static void requireSequence(long sequence) {
        if (sequence < 1) {
            throw new IllegalArgumentException("sequence must be 1 or more, was " + sequence);
        }
    }

    @Override
    public String toString() {
        return "KahaDBMessageStore[" + destination.address + "]";
    }
}
