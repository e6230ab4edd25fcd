package io.tern.journal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The journal's single writer: it owns the current segment's file channel, takes every pending record
 * off a queue, writes all that has queued up as one batch, forces it once (as the sync policy says), and
 * then completes the batch's futures in journal order. While it forces, new records queue up and form
 * the next batch: that is the group commit, with no timer and no added latency for a lone writer.
 *
 * <p><b>Threads.</b> Appending threads only call {@link #submit}. Everything else here (the current
 * segment, the write buffer, the offsets, the open transactions' operation counts, the batch) belongs
 * to the writer thread {@code tern-journal-writer-<directory name>}. Shared with other threads: the queue, the
 * {@link #writtenEnd()} position, the failure, and the force counter.
 */
final class GroupCommitWriter {

    private static final Logger LOG = LoggerFactory.getLogger(GroupCommitWriter.class);

    static final int BUFFER_SIZE = 1024 * 1024;
    /** A batch stops growing here, so a flood of appends still completes in bounded slices. */
    static final int MAX_BATCH_BYTES = 8 * 1024 * 1024;

    /** What the writer thread takes from its queue. */
    sealed interface Request permits PendingRecord, SyncRequest, CloseRequest {
        void fail(Throwable cause);
    }

    /** One record waiting to be written. Its position is set by the writer thread. */
    static final class PendingRecord implements Request {
        final RecordKind kind;
        final long transactionId;
        final long recordId;
        final byte recordType;
        final byte[] payload;
        final CompletableFuture<JournalPosition> future = new CompletableFuture<>();
        JournalPosition position;

        PendingRecord(RecordKind kind, long transactionId, long recordId, byte recordType, byte[] payload) {
            this.kind = kind;
            this.transactionId = transactionId;
            this.recordId = recordId;
            this.recordType = recordType;
            this.payload = payload;
        }

        @Override
        public void fail(Throwable cause) {
            future.completeExceptionally(cause);
        }
    }

    record SyncRequest(CompletableFuture<Void> done) implements Request {
        @Override
        public void fail(Throwable cause) {
            done.completeExceptionally(cause);
        }
    }

    record CloseRequest(CompletableFuture<Void> done) implements Request {
        @Override
        public void fail(Throwable cause) {
            done.completeExceptionally(cause);
        }
    }

    // Shared with other threads.
    private final LinkedBlockingQueue<Request> queue = new LinkedBlockingQueue<>();
    private final AtomicLong forces = new AtomicLong();
    private final Thread thread;
    private volatile JournalPosition writtenEnd;
    private volatile Throwable failure;
    private volatile boolean stopped;

    // Set at construction, read-only after.
    private final SyncPolicy policy;
    private final long syncIntervalNanos;
    private final SegmentRegistry segments;
    private final SegmentAllocator allocator;
    private final String directory;

    // Writer thread only.
    private JournalSegment current;
    private int bufferStart;
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER_SIZE);
    private final ByteBuffer header = ByteBuffer.allocate(RecordFrame.HEADER_SIZE);
    private final RecordFrame.Checksum checksum = new RecordFrame.Checksum();
    private final Map<Long, Integer> openTransactions;
    private final List<PendingRecord> written = new ArrayList<>();
    private final List<CompletableFuture<Void>> syncs = new ArrayList<>();
    private boolean unforced;
    private long firstUnforcedNanos;
    private boolean nextSegmentRequested;

    /**
     * @param appendOffset where the next record goes in the current segment
     * @param openTransactions operation counts of transactions open at the end of recovery; taken over
     */
    GroupCommitWriter(JournalConfig config, SegmentRegistry segments, SegmentAllocator allocator, int appendOffset,
                      Map<Long, Integer> openTransactions) {
        this.policy = config.syncPolicy();
        this.syncIntervalNanos = config.syncInterval().toNanos();
        this.segments = segments;
        this.allocator = allocator;
        this.directory = config.directory().toString();
        this.current = segments.current();
        this.bufferStart = appendOffset;
        this.openTransactions = new HashMap<>(openTransactions);
        this.writtenEnd = current.position(appendOffset);
        this.thread = new Thread(this::run, "tern-journal-writer-" + config.directory().getFileName());
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    Thread thread() {
        return thread;
    }

    /** Where the writer's next write goes: every record before it is in the file (perhaps not forced). */
    JournalPosition writtenEnd() {
        return writtenEnd;
    }

    /** How many times a segment was forced. Package-private, for tests of the batching. */
    long forceCount() {
        return forces.get();
    }

    /** Queues a request; fails it at once when the writer has stopped. Any thread. */
    void submit(Request request) {
        Throwable failed = failure;
        if (failed != null) {
            request.fail(new IllegalStateException("journal " + directory + " failed and accepts no more records", failed));
            return;
        }
        if (stopped) {
            request.fail(closed());
            return;
        }
        queue.add(request);
        if (stopped) {
            failQueued(); // the writer stopped while this was being added: nobody else will see it
        }
    }

    /** Writes and forces everything queued before this call, then stops the writer thread. */
    void close() {
        CloseRequest close = new CloseRequest(new CompletableFuture<>());
        submit(close);
        try {
            close.done().join();
        } catch (RuntimeException e) {
            LOG.debug("Journal writer of {} stopped with {}", directory, e.toString());
        }
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        CloseRequest close = null;
        try {
            while (close == null) {
                Request request = nextRequest();
                if (request == null) {
                    forceIfDue();
                    continue;
                }
                long bytes = 0;
                while (request != null) {
                    if (request instanceof CloseRequest c) {
                        close = c;
                        break;
                    }
                    if (request instanceof SyncRequest s) {
                        syncs.add(s.done());
                    } else {
                        PendingRecord record = (PendingRecord) request;
                        try {
                            append(record);
                        } catch (IOException | RuntimeException e) {
                            record.fail(e); // neither queued nor in the batch any more: fail it here
                            throw e;
                        }
                        bytes += RecordFrame.frameLength(record.payload.length);
                    }
                    if (bytes >= MAX_BATCH_BYTES) {
                        break;
                    }
                    request = queue.poll();
                }
                finishBatch(close != null);
            }
            current.closeWriteChannel();
            close.done().complete(null);
        } catch (Throwable t) {
            failure = t;
            LOG.error("Journal {} failed; it accepts no more records until reopened", directory, t);
            written.forEach(r -> r.fail(t));
            syncs.forEach(s -> s.completeExceptionally(t));
            if (close != null) {
                close.fail(t);
            }
        } finally {
            stopped = true;
            failQueued();
        }
    }

    private Request nextRequest() throws InterruptedException {
        if (policy == SyncPolicy.PERIODIC && unforced) {
            long wait = firstUnforcedNanos + syncIntervalNanos - System.nanoTime();
            return queue.poll(Math.max(0, wait), TimeUnit.NANOSECONDS);
        }
        return queue.take();
    }

    private void append(PendingRecord record) throws IOException {
        int length = RecordFrame.frameLength(record.payload.length);
        if (bufferStart + buffer.position() + length > current.capacity()) {
            flush();
            roll();
        }
        if (length > buffer.remaining()) {
            flush();
        }
        int offset = bufferStart + buffer.position();
        long id = countedId(record);
        record.position = current.position(offset);
        if (length > buffer.capacity()) {
            ByteBuffer large = ByteBuffer.allocate(length);
            RecordFrame.encode(large, header, checksum, current.id(), record.kind, record.recordType, id,
                    record.transactionId, record.payload);
            large.flip();
            current.write(large, offset);
            bufferStart = offset + length;
            written();
        } else {
            RecordFrame.encode(buffer, header, checksum, current.id(), record.kind, record.recordType, id,
                    record.transactionId, record.payload);
        }
        written.add(record);
        if (!nextSegmentRequested && offset + length > current.capacity() / 2) {
            allocator.prepare(current.id() + 1);
            nextSegmentRequested = true;
        }
    }

    /**
     * The value of the frame's id field: the record ID of an operation; for PREPARE and COMMIT the number
     * of operations written for the transaction, which replay checks to refuse incomplete transactions.
     */
    private long countedId(PendingRecord record) {
        long tx = record.transactionId;
        return switch (record.kind) {
            case ADD_TX, UPDATE_TX, DELETE_TX -> {
                openTransactions.merge(tx, 1, Integer::sum);
                yield record.recordId;
            }
            case PREPARE -> openTransactions.getOrDefault(tx, 0);
            case COMMIT -> {
                Integer count = openTransactions.remove(tx);
                yield count == null ? 0 : count;
            }
            case ROLLBACK -> {
                openTransactions.remove(tx);
                yield 0;
            }
            default -> record.recordId;
        };
    }

    private void flush() throws IOException {
        if (buffer.position() == 0) {
            return;
        }
        buffer.flip();
        int length = buffer.limit();
        current.write(buffer, bufferStart);
        buffer.clear();
        bufferStart += length;
        written();
    }

    private void written() {
        if (!unforced) {
            unforced = true;
            firstUnforcedNanos = System.nanoTime();
        }
        writtenEnd = current.position(bufferStart);
    }

    /**
     * Completes the current segment (forced whatever the policy, so only the current segment can ever
     * hold unforced records) and moves to the next, prepared ahead by the allocator.
     */
    private void roll() throws IOException {
        JournalSegment next = allocator.take(current.id() + 1);
        segments.roll(next, old -> {
            if (unforced) {
                force();
            }
            old.closeWriteChannel();
        });
        LOG.debug("Journal rolled from {} to {}", current, next);
        current = next;
        bufferStart = JournalSegment.HEADER_SIZE;
        nextSegmentRequested = false;
        writtenEnd = current.position(bufferStart);
    }

    private void finishBatch(boolean closing) throws IOException {
        flush();
        if (unforced && (policy == SyncPolicy.ALWAYS || closing || !syncs.isEmpty() || forceDue())) {
            force();
        }
        for (PendingRecord r : written) {
            r.future.complete(r.position);
        }
        written.clear();
        for (CompletableFuture<Void> s : syncs) {
            s.complete(null);
        }
        syncs.clear();
    }

    private boolean forceDue() {
        return policy == SyncPolicy.PERIODIC && System.nanoTime() - firstUnforcedNanos >= syncIntervalNanos;
    }

    private void forceIfDue() throws IOException {
        if (unforced && forceDue()) {
            force();
        }
    }

    private void force() throws IOException {
        current.force();
        forces.incrementAndGet();
        unforced = false;
    }

    private void failQueued() {
        Request r;
        while ((r = queue.poll()) != null) {
            Throwable failed = failure;
            r.fail(failed != null
                    ? new IllegalStateException("journal " + directory + " failed and accepts no more records", failed)
                    : closed());
        }
    }

    private IllegalStateException closed() {
        return new IllegalStateException("journal " + directory + " is closed");
    }
}
