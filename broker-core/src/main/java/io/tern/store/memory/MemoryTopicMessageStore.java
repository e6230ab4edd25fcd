package io.tern.store.memory;

import io.tern.protocol.Address;
import io.tern.protocol.MessageSnapshot;
import io.tern.store.StoredMessage;
import io.tern.store.SubscriptionInfo;
import io.tern.store.TopicMessageStore;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletionStage;

import static io.tern.store.memory.MemoryPersistenceAdapter.DONE;
import static io.tern.store.memory.MemoryPersistenceAdapter.requireSequence;

/**
 * The durable subscriptions of one topic of a {@link MemoryPersistenceAdapter} and the messages they are
 * owed. Each message is held once, with the set of subscription keys that still claim it; it goes when
 * the last claim goes (acknowledged, or its subscription removed or replaced).
 *
 * <p>A message added for keys of which none is a current subscription is not kept (only its sequence
 * counts for {@link #lastSequence()}): nobody could ever acknowledge it. Claims for unknown keys are dropped
 * the same way, so a subscription created later under such a key does not inherit old messages.
 *
 * <p><b>Threading.</b> Thread-safe: every structure is guarded by this store's monitor, taken inside the
 * adapter's lock (shared for the public calls, exclusive when a transaction applies the {@code ...Now}
 * methods).
 */
final class MemoryTopicMessageStore implements TopicMessageStore, MemoryPersistenceAdapter.DestinationStore {

    /** A message held once for all the subscriptions that claim it. */
    private static final class Held {
        final MessageSnapshot message;
        final int size;
        final Set<String> claims;

        Held(MessageSnapshot message, int size, Set<String> claims) {
            this.message = message;
            this.size = size;
            this.claims = claims;
        }
    }

    /** A subscription and the sequences it is owed, each with its delivery count. */
    private static final class Subscription {
        final SubscriptionInfo info;
        final TreeMap<Long, Integer> owed = new TreeMap<>();
        long dispatchMark;

        Subscription(SubscriptionInfo info) {
            this.info = info;
        }
    }

    private final Address address;
    private final MemoryPersistenceAdapter owner;
    // Guarded by this.
    private final Map<String, Subscription> subscriptions = new LinkedHashMap<>();
    private final Map<Long, Held> messages = new TreeMap<>();
    private long lastSequence;
    private long heldBytes;
    /** Set under the adapter's exclusive lock, read under its shared lock. */
    private volatile boolean removed;

    MemoryTopicMessageStore(Address address, MemoryPersistenceAdapter owner) {
        this.address = address;
        this.owner = owner;
    }

    @Override
    public Address address() {
        return address;
    }

    @Override
    public CompletionStage<Void> addSubscription(SubscriptionInfo subscription) {
        Objects.requireNonNull(subscription, "subscription");
        return owner.shared(() -> {
            requireNotRemoved();
            addSubscriptionNow(subscription);
            return DONE;
        });
    }

    @Override
    public CompletionStage<Void> removeSubscription(String subscriptionKey) {
        return owner.shared(() -> {
            requireNotRemoved();
            removeSubscriptionNow(subscriptionKey);
            return DONE;
        });
    }

    @Override
    public List<SubscriptionInfo> subscriptions() {
        return owner.shared(() -> {
            requireNotRemoved();
            synchronized (this) {
                List<SubscriptionInfo> all = new ArrayList<>(subscriptions.size());
                subscriptions.values().forEach(s -> all.add(s.info));
                return List.copyOf(all);
            }
        });
    }

    @Override
    public CompletionStage<Void> add(long sequence, MessageSnapshot message, Collection<String> subscriptionKeys) {
        requireSequence(sequence);
        Objects.requireNonNull(message, "message");
        Set<String> keys = Set.copyOf(subscriptionKeys);
        return owner.shared(() -> {
            requireNotRemoved();
            return addNow(sequence, message, keys) ? DONE : MemoryPersistenceAdapter.conflict(duplicate(sequence));
        });
    }

    @Override
    public CompletionStage<Void> acknowledge(String subscriptionKey, long sequence) {
        return owner.shared(() -> {
            requireNotRemoved();
            acknowledgeNow(subscriptionKey, sequence);
            return DONE;
        });
    }

    @Override
    public CompletionStage<Void> updateDeliveryCount(String subscriptionKey, long sequence, int deliveryCount) {
        return owner.shared(() -> {
            requireNotRemoved();
            synchronized (this) {
                Subscription s = subscriptions.get(subscriptionKey);
                if (s != null && s.owed.containsKey(sequence)) {
                    s.owed.put(sequence, deliveryCount);
                }
            }
            return DONE;
        });
    }

    @Override
    public CompletionStage<Void> recordDispatchMark(String subscriptionKey, long mark) {
        return owner.shared(() -> {
            requireNotRemoved();
            synchronized (this) {
                Subscription s = subscriptions.get(subscriptionKey);
                if (s != null) {
                    s.dispatchMark = mark;
                }
            }
            return DONE;
        });
    }

    @Override
    public long dispatchMark(String subscriptionKey) {
        return owner.shared(() -> {
            requireNotRemoved();
            synchronized (this) {
                Subscription s = subscriptions.get(subscriptionKey);
                return s == null ? 0L : s.dispatchMark;
            }
        });
    }

    /** Messages owed to the subscription; empty for an unknown subscription. */
    @Override
    public List<StoredMessage> read(String subscriptionKey, long afterSequence, int max) {
        if (max < 0) {
            throw new IllegalArgumentException("max must be 0 or more, was " + max);
        }
        return owner.shared(() -> {
            requireNotRemoved();
            synchronized (this) {
                Subscription s = subscriptions.get(subscriptionKey);
                if (s == null) {
                    return List.of();
                }
                List<StoredMessage> window = new ArrayList<>(Math.min(max, 256));
                for (Map.Entry<Long, Integer> e : s.owed.tailMap(afterSequence, false).entrySet()) {
                    if (window.size() == max) {
                        break;
                    }
                    window.add(new StoredMessage(e.getKey(), messages.get(e.getKey()).message, e.getValue()));
                }
                return window;
            }
        });
    }

    @Override
    public long count(String subscriptionKey) {
        return owner.shared(() -> {
            requireNotRemoved();
            synchronized (this) {
                Subscription s = subscriptions.get(subscriptionKey);
                return s == null ? 0L : s.owed.size();
            }
        });
    }

    @Override
    public long lastSequence() {
        return owner.shared(() -> {
            requireNotRemoved();
            synchronized (this) {
                return lastSequence;
            }
        });
    }

    @Override
    public String toString() {
        return "MemoryTopicMessageStore[" + address + "]";
    }

    /** Caller holds the adapter lock. A changed selector or noLocal replaces the subscription. */
    synchronized void addSubscriptionNow(SubscriptionInfo info) {
        Subscription existing = subscriptions.get(info.key());
        if (existing != null && Objects.equals(existing.info.selector(), info.selector())
                && existing.info.noLocal() == info.noLocal()) {
            return;
        }
        if (existing != null) {
            removeSubscriptionNow(info.key());
        }
        subscriptions.put(info.key(), new Subscription(info));
    }

    /** Caller holds the adapter lock. Unknown keys are ignored. */
    synchronized void removeSubscriptionNow(String subscriptionKey) {
        Subscription gone = subscriptions.remove(subscriptionKey);
        if (gone != null) {
            for (Long sequence : gone.owed.keySet()) {
                releaseClaim(sequence, subscriptionKey);
            }
        }
    }

    /** Adds unless the sequence is held; caller holds the adapter lock and checked the store. */
    synchronized boolean addNow(long sequence, MessageSnapshot message, Collection<String> subscriptionKeys) {
        if (messages.containsKey(sequence)) {
            return false;
        }
        lastSequence = Math.max(lastSequence, sequence);
        owner.transactions().producerStored(message);
        Set<String> claims = new HashSet<>();
        for (String key : subscriptionKeys) {
            if (subscriptions.containsKey(key)) {
                claims.add(key);
            }
        }
        if (claims.isEmpty()) {
            return true;
        }
        int size = MemoryPersistenceAdapter.sizeOf(message);
        messages.put(sequence, new Held(message, size, claims));
        for (String key : claims) {
            subscriptions.get(key).owed.put(sequence, 0);
        }
        heldBytes += size;
        owner.addUsage(size);
        return true;
    }

    /** Caller holds the adapter lock. Unknown subscriptions and sequences are ignored. */
    synchronized void acknowledgeNow(String subscriptionKey, long sequence) {
        Subscription s = subscriptions.get(subscriptionKey);
        if (s != null && s.owed.remove(sequence) != null) {
            releaseClaim(sequence, subscriptionKey);
        }
    }

    /** Caller holds the adapter lock. */
    synchronized boolean contains(long sequence) {
        return messages.containsKey(sequence);
    }

    String duplicate(long sequence) {
        return "sequence " + sequence + " is already stored in " + address;
    }

    @Override
    public synchronized long markRemoved() {
        removed = true;
        return heldBytes;
    }

    private void releaseClaim(long sequence, String subscriptionKey) {
        Held held = messages.get(sequence);
        held.claims.remove(subscriptionKey);
        if (held.claims.isEmpty()) {
            messages.remove(sequence);
            heldBytes -= held.size;
            owner.addUsage(-held.size);
        }
    }

    private void requireNotRemoved() {
        if (removed) {
            throw new IllegalStateException(address + " was removed from the memory store; ask for its store again");
        }
    }
}
