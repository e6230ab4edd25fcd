package io.tern.journal;

/**
 * Receives what {@link Journal#replay} finds, in journal order, on the thread that called replay.
 *
 * <p>Replay is <b>resolved</b>: a visitor sees the effects the layer above has to rebuild, not the raw
 * transaction records. Non-transactional operations arrive where they are. A transaction's operations
 * arrive together when its COMMIT is reached, in the order they were appended (their positions are
 * their own, earlier than the COMMIT; their kind is the transactional form). Rolled-back transactions
 * and transactions with neither outcome nor PREPARE are dropped. Transactions still prepared at the end
 * of the replay are handed to {@link #prepared} after every operation.
 *
 * <p>Every method is abstract on purpose: a visitor decides what prepared transactions and corruption
 * mean for it rather than dropping them by default.
 */
public interface RecordVisitor {

    /** An ADD, UPDATE or DELETE, or an operation of a transaction committed at this point of the journal. */
    void operation(JournalRecord record);

    /** A transaction prepared and unresolved at the end of the replay. Called after every operation. */
    void prepared(PreparedTransaction transaction);

    /**
     * Bytes that were skipped because they are not a valid record, or a committed transaction that was
     * dropped because one of its operations is missing.
     */
    void corruption(JournalCorruption corruption);
}
