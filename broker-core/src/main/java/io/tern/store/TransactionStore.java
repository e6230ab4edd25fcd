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
}
