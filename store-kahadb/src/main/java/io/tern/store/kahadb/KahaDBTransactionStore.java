package io.tern.store.kahadb;

import io.tern.store.GlobalTransactionId;
import io.tern.store.TransactionOperation;
import io.tern.store.TransactionOperation.QueueAdd;
import io.tern.store.TransactionOperation.TopicAdd;
import io.tern.store.TransactionStore;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletionStage;

/**
 * The transactions of a kahadb store. A commit is one journal transaction (its operations and a COMMIT
 * record; a replay applies all of it or, if a crash cut it short, none of it), applied to the index in
 * one step, so readers never see half of it. It is checked before anything is written: when one of its
 * adds would store a sequence already stored, nothing is written and the stage fails. Adds to
 * destinations that do not exist create them; removals for unknown ones are dropped.
 *
 * <p>A prepared transaction is one journal record holding all its operations, kept live (and moved
 * forward by compaction) until it is committed (a journal transaction of its operations and the record
 * that forgets it) or rolled back. Prepared transactions are kept in memory too: there are few.
 *
 * <p><b>Threading.</b> Thread-safe; the work is done by the open {@link StoreEngine}.
 */
final class KahaDBTransactionStore implements TransactionStore {

    private final KahaDBPersistenceAdapter adapter;

    KahaDBTransactionStore(KahaDBPersistenceAdapter adapter) {
        this.adapter = adapter;
    }

    @Override
    public CompletionStage<Void> commit(List<TransactionOperation> operations) {
        List<TransactionOperation> ops = checked(operations);
        return adapter.shared(e -> e.commit(ops));
    }

    @Override
    public CompletionStage<Void> prepare(GlobalTransactionId xid, List<TransactionOperation> operations) {
        Objects.requireNonNull(xid, "xid");
        List<TransactionOperation> ops = checked(operations);
        return adapter.shared(e -> e.prepare(xid, ops));
    }

    @Override
    public CompletionStage<Void> commitPrepared(GlobalTransactionId xid) {
        Objects.requireNonNull(xid, "xid");
        return adapter.shared(e -> e.commitPrepared(xid));
    }

    @Override
    public CompletionStage<Void> rollbackPrepared(GlobalTransactionId xid) {
        Objects.requireNonNull(xid, "xid");
        return adapter.shared(e -> e.rollbackPrepared(xid));
    }

    @Override
    public Map<GlobalTransactionId, List<TransactionOperation>> recoverPrepared() {
        return adapter.shared(StoreEngine::recoverPrepared);
    }

    @Override
    public boolean hasCommitted(String outcomeKey) {
        Objects.requireNonNull(outcomeKey, "outcomeKey");
        return adapter.shared(e -> e.hasCommitted(outcomeKey));
    }

    @Override
    public long producerHighWater(String producerId) {
        Objects.requireNonNull(producerId, "producerId");
        return adapter.shared(e -> e.producerHighWater(producerId));
    }

    private static List<TransactionOperation> checked(List<TransactionOperation> operations) {
        List<TransactionOperation> ops = List.copyOf(operations);
        for (TransactionOperation op : ops) {
            if (op instanceof QueueAdd add) {
                requireValidName(add.queue());
                KahaDBMessageStore.requireSequence(add.sequence());
            } else if (op instanceof TopicAdd add) {
                requireValidName(add.topic());
                KahaDBMessageStore.requireSequence(add.sequence());
            }
        }
        return ops;
    }

    private static void requireValidName(String name) {
        String reason = io.tern.protocol.Address.invalidNameReason(name);
        if (reason != null) {
            throw new IllegalArgumentException(reason);
        }
    }
}
