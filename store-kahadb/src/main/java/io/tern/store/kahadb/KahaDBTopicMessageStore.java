package io.tern.store.kahadb;

import io.tern.protocol.Address;
import io.tern.protocol.MessageSnapshot;
import io.tern.store.StoredMessage;
import io.tern.store.SubscriptionInfo;
import io.tern.store.TopicMessageStore;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The durable subscriptions of one topic in a kahadb store and the messages they are owed. Each message
 * is stored once with the IDs of the subscriptions that claim it; it goes when the last claim goes. A
 * message for keys none of which is a current subscription is not stored (only its sequence counts).
 * A handle like {@link KahaDBMessageStore}. Thread-safe.
 */
final class KahaDBTopicMessageStore implements TopicMessageStore {

    private final KahaDBPersistenceAdapter adapter;
    private final StoreEngine engine;
    private final DestinationState destination;

    KahaDBTopicMessageStore(KahaDBPersistenceAdapter adapter, StoreEngine engine, DestinationState destination) {
        this.adapter = adapter;
        this.engine = engine;
        this.destination = destination;
    }

    @Override
    public Address address() {
        return destination.address;
    }

    /** Creates a subscription; a changed selector or noLocal replaces it and drops its messages. */
    @Override
    public CompletionStage<Void> addSubscription(SubscriptionInfo subscription) {
        Objects.requireNonNull(subscription, "subscription");
        return adapter.sharedOn(engine, e -> e.addSubscription(destination, subscription));
    }

    @Override
    public CompletionStage<Void> removeSubscription(String subscriptionKey) {
        return adapter.sharedOn(engine, e -> e.removeSubscription(destination, subscriptionKey));
    }

    /** The subscriptions, oldest first. */
    @Override
    public List<SubscriptionInfo> subscriptions() {
        return adapter.sharedOn(engine, e -> {
            e.checkUsable(destination);
            List<SubscriptionState> all = new ArrayList<>(destination.subscriptionsByKey.values());
            all.sort(Comparator.comparingLong(s -> s.id));
            return all.stream().map(s -> s.info).toList();
        });
    }

    @Override
    public CompletionStage<Void> add(long sequence, MessageSnapshot message, Collection<String> subscriptionKeys) {
        KahaDBMessageStore.requireSequence(sequence);
        Objects.requireNonNull(message, "message");
        List<String> keys = List.copyOf(subscriptionKeys);
        return adapter.sharedOn(engine, e -> e.addMessage(destination, sequence, message, keys));
    }

    @Override
    public CompletionStage<Void> acknowledge(String subscriptionKey, long sequence) {
        return adapter.sharedOn(engine, e -> {
            SubscriptionState s = destination.subscriptionsByKey.get(subscriptionKey);
            if (s == null) {
                e.checkUsable(destination);
                return CompletableFuture.<Void>completedFuture(null);
            }
            return e.removeMessage(destination, s, sequence);
        });
    }

    @Override
    public CompletionStage<Void> updateDeliveryCount(String subscriptionKey, long sequence, int deliveryCount) {
        return adapter.sharedOn(engine, e -> {
            SubscriptionState s = destination.subscriptionsByKey.get(subscriptionKey);
            if (s == null) {
                e.checkUsable(destination);
                return CompletableFuture.<Void>completedFuture(null);
            }
            return e.deliveryCount(destination, s, sequence, deliveryCount);
        });
    }

    @Override
    public CompletionStage<Void> recordDispatchMark(String subscriptionKey, long mark) {
        return adapter.sharedOn(engine, e -> {
            SubscriptionState s = destination.subscriptionsByKey.get(subscriptionKey);
            if (s == null) {
                e.checkUsable(destination);
                return CompletableFuture.<Void>completedFuture(null);
            }
            return e.dispatchMark(destination, s, mark);
        });
    }

    @Override
    public long dispatchMark(String subscriptionKey) {
        return adapter.sharedOn(engine, e -> {
            e.checkUsable(destination);
            SubscriptionState s = destination.subscriptionsByKey.get(subscriptionKey);
            return s == null ? 0L : s.dispatchMark;
        });
    }

    /** Messages owed to a subscription; empty for a subscription the topic does not have. */
    @Override
    public List<StoredMessage> read(String subscriptionKey, long afterSequence, int max) throws IOException {
        if (max < 0) {
            throw new IllegalArgumentException("max must be 0 or more, was " + max);
        }
        return adapter.sharedIo(engine, e -> {
            SubscriptionState s = destination.subscriptionsByKey.get(subscriptionKey);
            if (s == null) {
                e.checkUsable(destination);
                return List.of();
            }
            return e.readSubscription(destination, s, afterSequence, max);
        });
    }

    @Override
    public long count(String subscriptionKey) {
        return adapter.sharedOn(engine, e -> {
            e.checkUsable(destination);
            SubscriptionState s = destination.subscriptionsByKey.get(subscriptionKey);
            return s == null ? 0L : Math.max(0, s.count.get());
        });
    }

    @Override
    public long lastSequence() {
        return adapter.sharedOn(engine, e -> {
            e.checkUsable(destination);
            return destination.lastSequence.get();
        });
    }

    @Override
    public String toString() {
        return "KahaDBTopicMessageStore[" + destination.address + "]";
    }
}
