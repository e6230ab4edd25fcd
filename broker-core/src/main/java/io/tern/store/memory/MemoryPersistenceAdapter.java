package io.tern.store.memory;

import io.tern.protocol.Address;
import io.tern.protocol.MessageSnapshot;
import io.tern.store.ActivationListener;
import io.tern.store.MessageStore;
import io.tern.store.PersistenceAdapter;
import io.tern.store.StoreUsage;
import io.tern.store.TopicMessageStore;
import io.tern.store.TransactionStore;

import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

/**
 * The {@code memory} store: everything on the heap, nothing survives the process ({@link #isDurable()} is
 * false). Stopping and starting the same instance keeps its content, prepared transactions included, which
 * is how a broker restarted in the same JVM on the same instance recovers.
 *
 * <p><b>Completions.</b> Every write is applied before it returns, so its stage is already complete.
 *
 * <p><b>Errors.</b> Calls while the adapter is stopped (before the first {@link #start}, after {@link #stop})
 * and calls on a store whose destination was removed throw {@link IllegalStateException}. Bad arguments (a
 * sequence below 1, a null message, an invalid destination name) throw at once. A write that conflicts
 * with what is stored (a sequence already stored, an unknown or already prepared transaction) returns a
 * stage completed exceptionally with {@link IllegalArgumentException}; nothing of it is applied.
 *
 * <p><b>Limit.</b> {@link #usage()} counts the bytes of every held message (its cached encoding if it has
 * one, else its estimated size), prepared transactions included. The limit is what the broker's producer
 * flow control works from; this store itself never refuses a write for it.
 *
 * <p><b>Threading.</b> Thread-safe. One read-write lock orders the whole store: reads and single-destination
 * writes hold it shared (each destination store guards its own structures), while start, stop, transaction
 * commits, destination removal and {@link #deleteAllMessages} hold it exclusively. So a reader never sees
 * half a transaction, and nothing lands in a store after stop returned or after its destination was
 * removed. The lock is always taken before any destination store's own lock.
 */
public final class MemoryPersistenceAdapter implements PersistenceAdapter {

    public static final String TYPE = "memory";

    public static final long DEFAULT_LIMIT_BYTES = 1L << 30;

    /** Shared by every write: a completed stage whose toCompletableFuture() hands out a fresh copy. */
    static final CompletionStage<Void> DONE = CompletableFuture.completedStage(null);

    private final long limitBytes;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final ConcurrentMap<Address, MemoryMessageStore> queues = new ConcurrentHashMap<>();
    private final ConcurrentMap<Address, MemoryTopicMessageStore> topics = new ConcurrentHashMap<>();
    private final MemoryTransactionStore transactions = new MemoryTransactionStore(this);
    private final AtomicLong usedBytes = new AtomicLong();
    /** Written only under the exclusive lock; read under either. */
    private volatile boolean running;

    public MemoryPersistenceAdapter() {
        this(DEFAULT_LIMIT_BYTES);
    }

    /** @param limitBytes the limit {@link #usage()} reports; at least 1 */
    public MemoryPersistenceAdapter(long limitBytes) {
        if (limitBytes < 1) {
            throw new IllegalArgumentException("limit must be at least 1 byte, was " + limitBytes);
        }
        this.limitBytes = limitBytes;
    }

    @Override
    public String type() {
        return TYPE;
    }

    /**
     * Starts the store at once; a memory store never loses the right to write, so the listener is never
     * called. Starting a running store is an error.
     */
    @Override
    public void start(ActivationListener listener) {
        Objects.requireNonNull(listener, "listener");
        Lock exclusive = lock.writeLock();
        exclusive.lock();
        try {
            if (running) {
                throw new IllegalStateException("memory store is already started");
            }
            running = true;
        } finally {
            exclusive.unlock();
        }
    }

    /** Waits for the calls in progress, then refuses new ones until the next start. Keeps the content. */
    @Override
    public void stop() {
        Lock exclusive = lock.writeLock();
        exclusive.lock();
        try {
            running = false;
        } finally {
            exclusive.unlock();
        }
    }

    @Override
    public boolean isDurable() {
        return false;
    }

    @Override
    public Set<Address> destinations() {
        return shared(() -> {
            Set<Address> all = new HashSet<>(queues.keySet());
            all.addAll(topics.keySet());
            return Set.copyOf(all);
        });
    }

    @Override
    public MessageStore queueStore(String queueName) {
        requireValidName(queueName);
        return shared(() -> queueForWrite(queueName));
    }

    @Override
    public TopicMessageStore topicStore(String topicName) {
        requireValidName(topicName);
        return shared(() -> topicForWrite(topicName));
    }

    /** Removes the store of a queue or topic; stores handed out for it refuse every later call. */
    @Override
    public void removeDestination(Address address) {
        Objects.requireNonNull(address, "address");
        exclusive(() -> {
            DestinationStore removed = address.isTopic() ? topics.remove(address) : queues.remove(address);
            if (removed != null) {
                usedBytes.addAndGet(-removed.markRemoved());
            }
            return null;
        });
    }

    @Override
    public TransactionStore transactionStore() {
        return transactions;
    }

    MemoryTransactionStore transactions() {
        return transactions;
    }

    @Override
    public StoreUsage usage() {
        return new StoreUsage(usedBytes.get(), limitBytes);
    }

    /**
     * Deletes every destination with its messages and subscriptions, every prepared transaction and the
     * last sequences. Stores handed out before refuse every later call; ask for new ones.
     */
    @Override
    public void deleteAllMessages() {
        exclusive(() -> {
            queues.values().forEach(DestinationStore::markRemoved);
            topics.values().forEach(DestinationStore::markRemoved);
            queues.clear();
            topics.clear();
            transactions.clearPrepared();
            usedBytes.set(0);
            return null;
        });
    }

    @Override
    public String toString() {
        return "MemoryPersistenceAdapter[" + (running ? "running" : "stopped") + ", " + usage() + "]";
    }

    /** Runs a read or a single-destination write: many at once, none while the store is held exclusively. */
    <T> T shared(Supplier<T> operation) {
        Lock shared = lock.readLock();
        shared.lock();
        try {
            requireRunning();
            return operation.get();
        } finally {
            shared.unlock();
        }
    }

    /** Runs an operation that must see and change the whole store at once (commits, removal, clearing). */
    <T> T exclusive(Supplier<T> operation) {
        Lock exclusive = lock.writeLock();
        exclusive.lock();
        try {
            requireRunning();
            return operation.get();
        } finally {
            exclusive.unlock();
        }
    }

    /** The store of a queue, created if needed. Caller holds the lock, shared or exclusive. */
    MemoryMessageStore queueForWrite(String queueName) {
        return queues.computeIfAbsent(Address.queue(queueName), a -> new MemoryMessageStore(a, this));
    }

    /** The store of a queue if it exists, else null. Caller holds the lock. */
    MemoryMessageStore existingQueue(String queueName) {
        return queues.get(Address.queue(queueName));
    }

    /** The store of a topic, created if needed. Caller holds the lock, shared or exclusive. */
    MemoryTopicMessageStore topicForWrite(String topicName) {
        return topics.computeIfAbsent(Address.topic(topicName), a -> new MemoryTopicMessageStore(a, this));
    }

    /** The store of a topic if it exists, else null. Caller holds the lock. */
    MemoryTopicMessageStore existingTopic(String topicName) {
        return topics.get(Address.topic(topicName));
    }

    void addUsage(long deltaBytes) {
        usedBytes.addAndGet(deltaBytes);
    }

    /**
     * The bytes a message is accounted with. Stores remember the figure they added, because a codec may
     * cache an encoding on the snapshot later and change what this returns.
     */
    static int sizeOf(MessageSnapshot message) {
        byte[] encoded = message.cachedEncoding();
        return encoded != null ? encoded.length : message.estimatedSize();
    }

    static long requireSequence(long sequence) {
        if (sequence < 1) {
            throw new IllegalArgumentException("sequence must be 1 or more, was " + sequence);
        }
        return sequence;
    }

    static void requireValidName(String name) {
        String reason = Address.invalidNameReason(name);
        if (reason != null) {
            throw new IllegalArgumentException(reason);
        }
    }

    static CompletionStage<Void> conflict(String message) {
        return CompletableFuture.failedStage(new IllegalArgumentException(message));
    }

    private void requireRunning() {
        if (!running) {
            throw new IllegalStateException("memory store is stopped; call start first");
        }
    }

    /** What the adapter needs of a queue or topic store to remove it. */
    interface DestinationStore {

        /** Makes every later call on the store fail; returns the bytes it held. Caller holds the exclusive lock. */
        long markRemoved();
    }
}
