package io.tern.store;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * Atomic writes across destinations. A local transaction is written with {@link #commit}: either every
 * operation in it survives a crash or none does. A two-phase transaction is first {@link #prepare}d
 * (durably, surviving restarts, reported by {@link #recoverPrepared}) and then committed or rolled back
 * by its global ID.
 *
 * <p>It also answers for what the store remembers across destinations, so that a broker can recognise a
 * request it already carried out when a client repeats it after losing the reply (a failover client):
 * the outcome keys of committed transactions and each producer's highest stored sequence. Both are kept
 * for a bounded number of keys and producers, the newest; the bound is the store's to document (at least
 * the newest 100,000 of each).
 */
public interface TransactionStore {

    /** Applies every operation atomically; completes when durable. */
    CompletionStage<Void> commit(List<TransactionOperation> operations);

    /** Durably records a prepared transaction, without applying it. */
    CompletionStage<Void> prepare(GlobalTransactionId xid, List<TransactionOperation> operations);

    /** Applies a prepared transaction atomically and forgets it. */
    CompletionStage<Void> commitPrepared(GlobalTransactionId xid);

    /** Forgets a prepared transaction without applying it. */
    CompletionStage<Void> rollbackPrepared(GlobalTransactionId xid);

    /** The prepared transactions not yet committed or rolled back, in the order they were prepared. */
    Map<GlobalTransactionId, List<TransactionOperation>> recoverPrepared() throws IOException;

    /**
     * Whether a commit that held {@link TransactionOperation.RecordOutcome} with this key completed (its
     * stage completed normally), also before a restart. False for a key never committed and for one
     * pruned as too old.
     */
    boolean hasCommitted(String outcomeKey) throws IOException;

    /**
     * The highest producer sequence among the messages of this producer that the store was asked to keep
     * ({@code add} on a queue or topic store, or inside a commit), whether or not they were consumed since;
     * 0 when it knows of none (never seen, or pruned as too old). Messages without a producer ID count for
     * nobody. The broker seeds its duplicate detection from it after a restart.
     */
    long producerHighWater(String producerId) throws IOException;
}
