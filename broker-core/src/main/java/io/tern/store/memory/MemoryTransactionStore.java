package io.tern.store.memory;

import io.tern.protocol.Address;
import io.tern.store.GlobalTransactionId;
import io.tern.store.TransactionOperation;
import io.tern.store.TransactionOperation.QueueAdd;
import io.tern.store.TransactionOperation.QueueRemove;
import io.tern.store.TransactionOperation.TopicAcknowledge;
import io.tern.store.TransactionOperation.TopicAdd;
import io.tern.store.TransactionStore;

import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletionStage;

import static io.tern.store.memory.MemoryPersistenceAdapter.DONE;
import static io.tern.store.memory.MemoryPersistenceAdapter.conflict;
import static io.tern.store.memory.MemoryPersistenceAdapter.requireSequence;
import static io.tern.store.memory.MemoryPersistenceAdapter.requireValidName;

/**
 * The transactions of a {@link MemoryPersistenceAdapter}. A commit is checked and then applied under the
 * adapter's exclusive lock: readers see all of it or none of it, and when one of its adds would store a
 * sequence already stored, nothing of it is applied and the stage fails. Stores a transaction adds to are
 * created as needed; removes and acknowledgements for destinations that have no store are ignored.
 *
 * <p>Prepared transactions are kept aside in prepare order, counted in the adapter's usage, kept across
 * stop and start of the adapter and dropped by {@code deleteAllMessages}. A prepared transaction whose
 * commit fails its check stays prepared.
 *
 * <p>Outcome keys of committed transactions are kept for the newest {@value #OUTCOMES_KEPT} keys, and
 * producer high-water marks for the {@value #PRODUCERS_KEPT} producers that stored most recently; like
 * everything else here they last as long as the adapter object (a broker restarted on the same instance
 * keeps them).
 *
 * <p><b>Threading.</b> Thread-safe: the prepared transactions and the outcome keys are only changed under
 * the adapter's exclusive lock (outcome keys are read under the shared lock); the producer marks are
 * guarded by their own monitor, as single-destination adds update them under the shared lock.
 */
final class MemoryTransactionStore implements TransactionStore {

    private record Prepared(List<TransactionOperation> operations, long size) {
    }

    /** A destination and a sequence, to find two adds of the same message within one transaction. */
    private record Slot(Address destination, long sequence) {
    }

    static final int OUTCOMES_KEPT = 100_000;
    static final int PRODUCERS_KEPT = 100_000;

    private final MemoryPersistenceAdapter owner;
    /** Guarded by the adapter's exclusive lock. */
    private final Map<GlobalTransactionId, Prepared> prepared = new LinkedHashMap<>();
    /** Written under the adapter's exclusive lock, read under its shared lock; insertion order. */
    private final Map<String, Boolean> outcomes = new LinkedHashMap<>(1024, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > OUTCOMES_KEPT;
        }
    };
    /** Guarded by its own monitor; the producer that stored least recently goes first. */
    private final Map<String, Long> producerMarks = new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
            return size() > PRODUCERS_KEPT;
        }
    };

    MemoryTransactionStore(MemoryPersistenceAdapter owner) {
        this.owner = owner;
    }

    @Override
    public CompletionStage<Void> commit(List<TransactionOperation> operations) {
        List<TransactionOperation> ops = checkedArguments(operations);
        return owner.exclusive(() -> {
            String conflict = findConflict(ops);
            if (conflict != null) {
                return conflict(conflict);
            }
            apply(ops);
            return DONE;
        });
    }

    @Override
    public CompletionStage<Void> prepare(GlobalTransactionId xid, List<TransactionOperation> operations) {
        Objects.requireNonNull(xid, "xid");
        List<TransactionOperation> ops = checkedArguments(operations);
        return owner.exclusive(() -> {
            if (prepared.containsKey(xid)) {
                return conflict("transaction " + xid + " is already prepared");
            }
            long size = 0;
            for (TransactionOperation op : ops) {
                if (op instanceof QueueAdd add) {
                    size += MemoryPersistenceAdapter.sizeOf(add.message());
                } else if (op instanceof TopicAdd add) {
                    size += MemoryPersistenceAdapter.sizeOf(add.message());
                }
            }
            prepared.put(xid, new Prepared(ops, size));
            owner.addUsage(size);
            return DONE;
        });
    }

    @Override
    public CompletionStage<Void> commitPrepared(GlobalTransactionId xid) {
        Objects.requireNonNull(xid, "xid");
        return owner.exclusive(() -> {
            Prepared p = prepared.get(xid);
            if (p == null) {
                return conflict(unknown(xid));
            }
            String conflict = findConflict(p.operations());
            if (conflict != null) {
                return conflict("cannot commit prepared transaction " + xid + ": " + conflict);
            }
            forget(xid);
            apply(p.operations());
            return DONE;
        });
    }

    @Override
    public CompletionStage<Void> rollbackPrepared(GlobalTransactionId xid) {
        Objects.requireNonNull(xid, "xid");
        return owner.exclusive(() -> forget(xid) ? DONE : conflict(unknown(xid)));
    }

    @Override
    public Map<GlobalTransactionId, List<TransactionOperation>> recoverPrepared() {
        return owner.exclusive(() -> {
            Map<GlobalTransactionId, List<TransactionOperation>> copy = new LinkedHashMap<>();
            prepared.forEach((xid, p) -> copy.put(xid, p.operations()));
            return Collections.unmodifiableMap(copy);
        });
    }

    @Override
    public boolean hasCommitted(String outcomeKey) {
        Objects.requireNonNull(outcomeKey, "outcomeKey");
        return owner.shared(() -> outcomes.containsKey(outcomeKey));
    }

    @Override
    public long producerHighWater(String producerId) {
        Objects.requireNonNull(producerId, "producerId");
        return owner.shared(() -> {
            synchronized (producerMarks) {
                Long mark = producerMarks.get(producerId);
                return mark == null ? 0L : mark;
            }
        });
    }

    /** Records a stored message's producer sequence. Caller holds the adapter lock, shared or exclusive. */
    void producerStored(io.tern.protocol.MessageSnapshot message) {
        String producerId = message.producerId();
        long sequence = message.producerSequence();
        if (producerId == null || sequence <= 0) {
            return;
        }
        synchronized (producerMarks) {
            producerMarks.merge(producerId, sequence, Math::max);
        }
    }

    /** Caller holds the adapter's exclusive lock. */
    void clearPrepared() {
        prepared.clear();
    }

    private boolean forget(GlobalTransactionId xid) {
        Prepared gone = prepared.remove(xid);
        if (gone == null) {
            return false;
        }
        owner.addUsage(-gone.size());
        return true;
    }

    private static String unknown(GlobalTransactionId xid) {
        return "no prepared transaction " + xid + " (never prepared, or already committed or rolled back)";
    }

    private static List<TransactionOperation> checkedArguments(List<TransactionOperation> operations) {
        List<TransactionOperation> ops = List.copyOf(operations);
        for (TransactionOperation op : ops) {
            if (op instanceof QueueAdd add) {
                requireValidName(add.queue());
                requireSequence(add.sequence());
            } else if (op instanceof TopicAdd add) {
                requireValidName(add.topic());
                requireSequence(add.sequence());
            }
        }
        return ops;
    }

    /** Why the operations cannot be applied, or null. Caller holds the adapter's exclusive lock. */
    private String findConflict(List<TransactionOperation> ops) {
        Set<Slot> added = new HashSet<>();
        for (TransactionOperation op : ops) {
            if (op instanceof QueueAdd add) {
                MemoryMessageStore queue = owner.existingQueue(add.queue());
                boolean stored = queue != null && queue.contains(add.sequence());
                if (stored || !added.add(new Slot(Address.queue(add.queue()), add.sequence()))) {
                    return "sequence " + add.sequence() + " is already stored in " + Address.queue(add.queue());
                }
            } else if (op instanceof TopicAdd add) {
                MemoryTopicMessageStore topic = owner.existingTopic(add.topic());
                boolean stored = topic != null && topic.contains(add.sequence());
                if (stored || !added.add(new Slot(Address.topic(add.topic()), add.sequence()))) {
                    return "sequence " + add.sequence() + " is already stored in " + Address.topic(add.topic());
                }
            }
        }
        return null;
    }

    /** Applies checked operations in order. Caller holds the adapter's exclusive lock. */
    private void apply(List<TransactionOperation> ops) {
        for (TransactionOperation op : ops) {
            if (op instanceof QueueAdd add) {
                owner.queueForWrite(add.queue()).addNow(add.sequence(), add.message());
            } else if (op instanceof QueueRemove remove) {
                MemoryMessageStore queue = owner.existingQueue(remove.queue());
                if (queue != null) {
                    queue.removeNow(remove.sequence());
                }
            } else if (op instanceof TopicAdd add) {
                owner.topicForWrite(add.topic()).addNow(add.sequence(), add.message(), add.subscriptionKeys());
            } else if (op instanceof TopicAcknowledge ack) {
                MemoryTopicMessageStore topic = owner.existingTopic(ack.topic());
                if (topic != null) {
                    topic.acknowledgeNow(ack.subscriptionKey(), ack.sequence());
                }
            } else if (op instanceof TransactionOperation.RecordOutcome outcome) {
                outcomes.put(outcome.key(), Boolean.TRUE);
            }
        }
    }
}
