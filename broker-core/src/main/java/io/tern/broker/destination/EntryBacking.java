package io.tern.broker.destination;

import io.tern.protocol.MessageSnapshot;
import io.tern.store.MessageStore;
import io.tern.store.StoredMessage;
import io.tern.store.TopicMessageStore;
import io.tern.store.TransactionOperation;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * The store behind a {@link DispatchQueue}: a queue's message store, or one durable subscription's
 * view of its topic store. Persistent messages are written through it, and the queue pages from it.
 */
public interface EntryBacking {

    CompletionStage<Void> add(long sequence, MessageSnapshot message);

    CompletionStage<Void> remove(long sequence);

    CompletionStage<Void> updateDeliveryCount(long sequence, int deliveryCount);

    List<StoredMessage> read(long afterSequence, int max) throws IOException;

    /** Durably records how far the queue may have dispatched (see {@link MessageStore#recordDispatchMark}). */
    CompletionStage<Void> recordDispatchMark(long mark);

    /** The dispatch mark recorded last, also before a restart. */
    long dispatchMark();

    long lastSequence();

    /** Messages stored for this queue now. */
    long count();

    /** The removal of a message as a transaction operation, for consuming it inside a transaction. */
    TransactionOperation removal(long sequence);

    /** The backing of a queue. */
    static EntryBacking of(MessageStore store) {
        return new EntryBacking() {
            @Override
            public CompletionStage<Void> add(long sequence, MessageSnapshot message) {
                return store.add(sequence, message);
            }

            @Override
            public CompletionStage<Void> remove(long sequence) {
                return store.remove(sequence);
            }

            @Override
            public CompletionStage<Void> updateDeliveryCount(long sequence, int deliveryCount) {
                return store.updateDeliveryCount(sequence, deliveryCount);
            }

            @Override
            public List<StoredMessage> read(long afterSequence, int max) throws IOException {
                return store.read(afterSequence, max);
            }

            @Override
            public CompletionStage<Void> recordDispatchMark(long mark) {
                return store.recordDispatchMark(mark);
            }

            @Override
            public long dispatchMark() {
                return store.dispatchMark();
            }

            @Override
            public long lastSequence() {
                return store.lastSequence();
            }

            @Override
            public long count() {
                return store.count();
            }

            @Override
            public TransactionOperation removal(long sequence) {
                return new TransactionOperation.QueueRemove(store.address().name(), sequence);
            }
        };
    }

    /**
     * The backing of one durable subscription. The topic writes each message once for all its
     * subscriptions, so {@link #add} is not used: the topic offers stored messages to the queue.
     */
    static EntryBacking of(TopicMessageStore store, String subscriptionKey) {
        return new EntryBacking() {
            @Override
            public CompletionStage<Void> add(long sequence, MessageSnapshot message) {
                throw new UnsupportedOperationException("topic messages are stored by the topic");
            }

            @Override
            public CompletionStage<Void> remove(long sequence) {
                return store.acknowledge(subscriptionKey, sequence);
            }

            @Override
            public CompletionStage<Void> updateDeliveryCount(long sequence, int deliveryCount) {
                return store.updateDeliveryCount(subscriptionKey, sequence, deliveryCount);
            }

            @Override
            public List<StoredMessage> read(long afterSequence, int max) throws IOException {
                return store.read(subscriptionKey, afterSequence, max);
            }

            @Override
            public CompletionStage<Void> recordDispatchMark(long mark) {
                return store.recordDispatchMark(subscriptionKey, mark);
            }

            @Override
            public long dispatchMark() {
                return store.dispatchMark(subscriptionKey);
            }

            @Override
            public long lastSequence() {
                return store.lastSequence();
            }

            @Override
            public long count() {
                return store.count(subscriptionKey);
            }

            @Override
            public TransactionOperation removal(long sequence) {
                return new TransactionOperation.TopicAcknowledge(store.address().name(), subscriptionKey, sequence);
            }
        };
    }
}
