package io.tern.journal;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * An append-only journal of byte records in segment files, with group commit.
 *
 * <p><b>Appends.</b> Each operation is one method that returns a future of the record's position. The
 * future completes when the record is as durable as the {@link SyncPolicy} promises: with {@code always}
 * after the batch holding it has been forced to disk. Records appended from one thread are written in
 * call order. Concurrent appends are batched: one writer thread writes everything queued with one write
 * and one force, then completes the batch's futures in journal order. A future fails with
 * {@link IllegalStateException} after {@link #close()} or after the journal failed, with
 * {@link IllegalArgumentException} when the payload cannot fit in one segment, and with the
 * {@link IOException} of the failed write or force.
 *
 * <p><b>Completions run on the journal's writer thread.</b> Keep callbacks short, hand longer work to
 * your own executor ({@code thenApplyAsync}), and never wait in a callback for another append of the
 * same journal: the writer thread would wait for itself.
 *
 * <p><b>Payloads.</b> The journal reads a payload array on its writer thread after the append method has
 * returned; do not change the array until the future completes.
 *
 * <p><b>Transactions.</b> Transactional operations, PREPARE, COMMIT and ROLLBACK name a transaction ID
 * chosen by the layer above. The journal counts the operations it wrote for each open transaction and
 * stores the count in PREPARE and COMMIT, so a replay can tell a complete transaction from one that lost
 * a record, and never applies half a transaction.
 *
 * <p><b>Threading.</b> All methods are thread-safe.
 */
public interface Journal extends AutoCloseable {

    /**
     * Opens (creating if needed) the journal in the configured directory and recovers it, scanning
     * every segment: a torn write at the tail is truncated; invalid bytes before the last valid record
     * are reported by {@link #corruptions()} and skipped.
     *
     * @throws IOException if the directory cannot be used or is in use by another open journal
     */
    static Journal open(JournalConfig config) throws IOException {
        return FileJournal.open(config, JournalPosition.ORIGIN);
    }

    /**
     * Opens the journal and recovers it scanning from {@code scanFrom} only, for a layer above that
     * knows everything before that position is accounted for (a checkpoint). It must be the position of
     * a record (or {@link JournalPosition#ORIGIN}), at or before the first record of every transaction
     * still open there.
     */
    static Journal open(JournalConfig config, JournalPosition scanFrom) throws IOException {
        return FileJournal.open(config, scanFrom);
    }

    CompletableFuture<JournalPosition> add(long recordId, byte recordType, byte[] payload);

    CompletableFuture<JournalPosition> update(long recordId, byte recordType, byte[] payload);

    CompletableFuture<JournalPosition> delete(long recordId, byte recordType);

    CompletableFuture<JournalPosition> addTransactional(long transactionId, long recordId, byte recordType, byte[] payload);

    CompletableFuture<JournalPosition> updateTransactional(long transactionId, long recordId, byte recordType, byte[] payload);

    CompletableFuture<JournalPosition> deleteTransactional(long transactionId, long recordId, byte recordType);

    /** Prepares a transaction (two-phase commit); {@code transactionData} is opaque to the journal. */
    CompletableFuture<JournalPosition> prepare(long transactionId, byte[] transactionData);

    CompletableFuture<JournalPosition> commit(long transactionId);

    CompletableFuture<JournalPosition> rollback(long transactionId);

    /**
     * Completes once everything appended before this call is forced to disk, whatever the sync policy:
     * for a layer above that writes a checkpoint under {@code periodic} or {@code never}.
     */
    CompletableFuture<Void> sync();

    /**
     * Reads the record whose frame starts at {@code position}, of any kind.
     *
     * @throws IOException if no valid record starts there (the message names the file and offset) or
     *         the segment is gone
     */
    JournalRecord read(JournalPosition position) throws IOException;

    /**
     * Streams every valid record from {@code from} (inclusive) to the end of what was written when the
     * call began, resolved as {@link RecordVisitor} describes, on the calling thread. Safe while appends
     * go on. Invalid bytes are skipped and reported to the visitor.
     *
     * @param from the position of a record, or {@link JournalPosition#ORIGIN} for everything
     * @return the position after the last record replayed, where the next record was to be written
     */
    JournalPosition replay(JournalPosition from, RecordVisitor visitor) throws IOException;

    /** The segment files, oldest first; the last one is the current segment. */
    List<SegmentInfo> segments();

    /**
     * Deletes one segment file. The layer above, which knows which records are live, calls it once no
     * record in the segment is needed.
     *
     * @throws IllegalArgumentException for the current segment
     * @throws java.nio.file.NoSuchFileException for a segment the journal does not have
     */
    void deleteSegment(long segmentId) throws IOException;

    /** Deletes every segment whose ID is lower than {@code segmentId}, never the current one. */
    void deleteSegmentsBefore(long segmentId) throws IOException;

    /** The corruption recovery found when the journal was opened, in journal order. */
    List<JournalCorruption> corruptions();

    /**
     * Writes and forces everything appended so far, completes it, and closes the files and the directory
     * lock. Idempotent. Must not be called from a completion callback.
     */
    @Override
    void close() throws IOException;
}
