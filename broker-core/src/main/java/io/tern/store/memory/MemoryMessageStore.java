package io.tern.store.memory;

import io.tern.protocol.Address;
import io.tern.protocol.MessageSnapshot;
import io.tern.store.MessageStore;
import io.tern.store.StoredMessage;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;

import static io.tern.store.memory.MemoryPersistenceAdapter.DONE;
import static io.tern.store.memory.MemoryPersistenceAdapter.requireSequence;

/**
 * The messages of one queue of a {@link MemoryPersistenceAdapter}, keyed by sequence.
 *
 * <p><b>Threading.</b> Thread-safe without a lock of its own: the messages sit in a
 * {@link ConcurrentSkipListMap}, so a read walks them in sequence order while others write, and every change
 * is one atomic map operation followed by updates of atomic counters (so {@link #count()} and
 * {@link #sizeBytes()} may trail a write still in progress on another thread by one message). Every call runs
 * under the adapter's lock, shared for the public calls, exclusive when a transaction applies the
 * {@code ...Now} methods.
 */
final class MemoryMessageStore implements MessageStore, MemoryPersistenceAdapter.DestinationStore {

    /** One stored message; replaced whole when its delivery count changes. */
    private record Entry(MessageSnapshot message, int deliveryCount, int size) {
    }

    private final Address address;
    private final MemoryPersistenceAdapter owner;
    private final ConcurrentSkipListMap<Long, Entry> messages = new ConcurrentSkipListMap<>();
    private final AtomicLong lastSequence = new AtomicLong();
    private final AtomicLong count = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicLong dispatchMark = new AtomicLong();
    /** Set under the adapter's exclusive lock, read under its shared lock. */
    private volatile boolean removed;

    MemoryMessageStore(Address address, MemoryPersistenceAdapter owner) {
        this.address = address;
        this.owner = owner;
    }

    @Override
    public Address address() {
        return address;
    }

    @Override
    public CompletionStage<Void> add(long sequence, MessageSnapshot message) {
        requireSequence(sequence);
        Objects.requireNonNull(message, "message");
        return owner.shared(() -> {
            requireNotRemoved();
            return addNow(sequence, message) ? DONE : MemoryPersistenceAdapter.conflict(duplicate(sequence));
        });
    }

    @Override
    public CompletionStage<Void> remove(long sequence) {
        return owner.shared(() -> {
            requireNotRemoved();
            removeNow(sequence);
            return DONE;
        });
    }

    @Override
    public CompletionStage<Void> updateDeliveryCount(long sequence, int deliveryCount) {
        return owner.shared(() -> {
            requireNotRemoved();
            // Replace the entry with compare-and-set, so a concurrent remove is never undone.
            Entry current = messages.get(sequence);
            while (current != null && !messages.replace(sequence, current,
                    new Entry(current.message(), deliveryCount, current.size()))) {
                current = messages.get(sequence);
            }
            return DONE;
        });
    }

    @Override
    public CompletionStage<Void> recordDispatchMark(long mark) {
        return owner.shared(() -> {
            requireNotRemoved();
            dispatchMark.set(mark);
            return DONE;
        });
    }

    @Override
    public long dispatchMark() {
        return owner.shared(() -> {
            requireNotRemoved();
            return dispatchMark.get();
        });
    }

    @Override
    public List<StoredMessage> read(long afterSequence, int max) {
        if (max < 0) {
            throw new IllegalArgumentException("max must be 0 or more, was " + max);
        }
        return owner.shared(() -> {
            requireNotRemoved();
            List<StoredMessage> window = new ArrayList<>(Math.min(max, 256));
            for (Map.Entry<Long, Entry> e : messages.tailMap(afterSequence, false).entrySet()) {
                if (window.size() == max) {
                    break;
                }
                window.add(new StoredMessage(e.getKey(), e.getValue().message(), e.getValue().deliveryCount()));
            }
            return window;
        });
    }

    @Override
    public long lastSequence() {
        return owner.shared(() -> {
            requireNotRemoved();
            return lastSequence.get();
        });
    }

    @Override
    public long count() {
        return owner.shared(() -> {
            requireNotRemoved();
            return count.get();
        });
    }

    @Override
    public long sizeBytes() {
        return owner.shared(() -> {
            requireNotRemoved();
            return bytes.get();
        });
    }

    /** Removes every message; the last sequence stays. */
    @Override
    public CompletionStage<Void> removeAll() {
        return owner.shared(() -> {
            requireNotRemoved();
            // One entry at a time, so counters stay exact while others add concurrently.
            for (Map.Entry<Long, Entry> e = messages.pollFirstEntry(); e != null; e = messages.pollFirstEntry()) {
                released(e.getValue());
            }
            return DONE;
        });
    }

    @Override
    public String toString() {
        return "MemoryMessageStore[" + address + "]";
    }

    /** Adds unless the sequence is stored; caller holds the adapter lock and checked the store. */
    boolean addNow(long sequence, MessageSnapshot message) {
        int size = MemoryPersistenceAdapter.sizeOf(message);
        if (messages.putIfAbsent(sequence, new Entry(message, 0, size)) != null) {
            return false;
        }
        lastSequence.accumulateAndGet(sequence, Math::max);
        owner.transactions().producerStored(message);
        count.incrementAndGet();
        bytes.addAndGet(size);
        owner.addUsage(size);
        return true;
    }

    /** Caller holds the adapter lock. */
    void removeNow(long sequence) {
        Entry gone = messages.remove(sequence);
        if (gone != null) {
            released(gone);
        }
    }

    /** Caller holds the adapter lock. */
    boolean contains(long sequence) {
        return messages.containsKey(sequence);
    }

    String duplicate(long sequence) {
        return "sequence " + sequence + " is already stored in " + address;
    }

    @Override
    public long markRemoved() {
        removed = true;
        return bytes.get();
    }

    private void released(Entry gone) {
        count.decrementAndGet();
        bytes.addAndGet(-gone.size());
        owner.addUsage(-gone.size());
    }

    private void requireNotRemoved() {
        if (removed) {
            throw new IllegalStateException(address + " was removed from the memory store; ask for its store again");
        }
    }
}
