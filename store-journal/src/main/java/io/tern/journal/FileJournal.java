package io.tern.journal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * The {@link Journal} on segment files: recovery at open, a {@link GroupCommitWriter} for appends,
 * {@link SegmentScanner}s for reads and replays, a {@link SegmentRegistry} for the lifecycle.
 *
 * <p><b>Threads.</b> Public methods are called from any thread. This class keeps no mutable state of
 * its own beyond the closed flag; the writer thread owns the appending state, the registry the set of
 * segments.
 */
final class FileJournal implements Journal {

    private static final Logger LOG = LoggerFactory.getLogger(FileJournal.class);
    private static final byte NO_TYPE = 0;
    private static final byte[] NO_PAYLOAD = new byte[0];
    /** A single read loads this much first and grows to the frame's length: most records fit in one read. */
    private static final int READ_WINDOW = 4 * 1024;
    private static final int REPLAY_WINDOW = 1024 * 1024;

    private final JournalConfig config;
    private final DirectoryLock lock;
    private final SegmentAllocator allocator;
    private final SegmentRegistry segments;
    private final GroupCommitWriter writer;
    private final List<JournalCorruption> corruptions;
    private volatile boolean closed;

    private FileJournal(JournalConfig config, DirectoryLock lock, SegmentAllocator allocator,
                        JournalRecovery.Result recovered) {
        this.config = config;
        this.lock = lock;
        this.allocator = allocator;
        this.segments = new SegmentRegistry(recovered.segments(), recovered.current());
        this.corruptions = recovered.corruptions();
        this.writer = new GroupCommitWriter(config, segments, allocator, recovered.appendOffset(),
                recovered.openTransactions());
    }

    static Journal open(JournalConfig config, JournalPosition scanFrom) throws IOException {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(scanFrom, "scanFrom");
        Path directory = config.directory();
        Files.createDirectories(directory);
        DirectoryLock lock = DirectoryLock.acquire(directory);
        SegmentAllocator allocator = new SegmentAllocator(directory, config.fileSize());
        try {
            JournalRecovery.Result recovered = JournalRecovery.recover(config, scanFrom, allocator);
            FileJournal journal = new FileJournal(config, lock, allocator, recovered);
            journal.writer.start();
            return journal;
        } catch (IOException | RuntimeException e) {
            allocator.close();
            lock.close();
            throw e;
        }
    }

    @Override
    public CompletableFuture<JournalPosition> add(long recordId, byte recordType, byte[] payload) {
        return append(RecordKind.ADD, 0, recordId, recordType, payload);
    }

    @Override
    public CompletableFuture<JournalPosition> update(long recordId, byte recordType, byte[] payload) {
        return append(RecordKind.UPDATE, 0, recordId, recordType, payload);
    }

    @Override
    public CompletableFuture<JournalPosition> delete(long recordId, byte recordType) {
        return append(RecordKind.DELETE, 0, recordId, recordType, NO_PAYLOAD);
    }

    @Override
    public CompletableFuture<JournalPosition> addTransactional(long transactionId, long recordId, byte recordType,
                                                               byte[] payload) {
        return append(RecordKind.ADD_TX, transactionId, recordId, recordType, payload);
    }

    @Override
    public CompletableFuture<JournalPosition> updateTransactional(long transactionId, long recordId, byte recordType,
                                                                  byte[] payload) {
        return append(RecordKind.UPDATE_TX, transactionId, recordId, recordType, payload);
    }

    @Override
    public CompletableFuture<JournalPosition> deleteTransactional(long transactionId, long recordId, byte recordType) {
        return append(RecordKind.DELETE_TX, transactionId, recordId, recordType, NO_PAYLOAD);
    }

    @Override
    public CompletableFuture<JournalPosition> prepare(long transactionId, byte[] transactionData) {
        return append(RecordKind.PREPARE, transactionId, 0, NO_TYPE, transactionData);
    }

    @Override
    public CompletableFuture<JournalPosition> commit(long transactionId) {
        return append(RecordKind.COMMIT, transactionId, 0, NO_TYPE, NO_PAYLOAD);
    }

    @Override
    public CompletableFuture<JournalPosition> rollback(long transactionId) {
        return append(RecordKind.ROLLBACK, transactionId, 0, NO_TYPE, NO_PAYLOAD);
    }

    private CompletableFuture<JournalPosition> append(RecordKind kind, long transactionId, long recordId,
                                                      byte recordType, byte[] payload) {
        Objects.requireNonNull(payload, "payload");
        GroupCommitWriter.PendingRecord record = new GroupCommitWriter.PendingRecord(kind, transactionId, recordId,
                recordType, payload);
        if (payload.length > config.maxPayloadSize()) {
            record.fail(new IllegalArgumentException("a payload of " + payload.length
                    + " bytes does not fit in a journal segment of " + config.fileSize() + " bytes (at most "
                    + config.maxPayloadSize() + ")"));
        } else if (closed) {
            record.fail(new IllegalStateException("journal " + config.directory() + " is closed"));
        } else {
            writer.submit(record);
        }
        return record.future;
    }

    @Override
    public CompletableFuture<Void> sync() {
        GroupCommitWriter.SyncRequest request = new GroupCommitWriter.SyncRequest(new CompletableFuture<>());
        if (closed) {
            request.fail(new IllegalStateException("journal " + config.directory() + " is closed"));
        } else {
            writer.submit(request);
        }
        return request.done();
    }

    @Override
    public JournalRecord read(JournalPosition position) throws IOException {
        checkOpen();
        JournalPosition end = writer.writtenEnd();
        JournalSegment segment = segments.get(position.segmentId());
        if (segment == null) {
            throw new NoSuchFileException(config.directory().resolve(JournalSegment.fileName(position.segmentId())).toString(),
                    null, "the journal has no segment " + position.segmentId());
        }
        int limit = dataEnd(segment, end);
        SegmentScanner scanner = new SegmentScanner(segment, position.offset(), limit, READ_WINDOW, (s, o, l, r) -> {
        });
        String problem = position.offset() < JournalSegment.HEADER_SIZE ? RecordFrame.NO_MARKER
                : scanner.frameAt(position.offset());
        if (problem != null) {
            throw new IOException("no valid journal record at " + segment.file() + " offset " + position.offset()
                    + ": " + problem);
        }
        return scanner.record();
    }

    @Override
    public JournalPosition replay(JournalPosition from, RecordVisitor visitor) throws IOException {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(visitor, "visitor");
        checkOpen();
        JournalPosition end = writer.writtenEnd();
        TransactionResolver resolver = new TransactionResolver(config.directory(), visitor);
        for (JournalSegment segment : segments.from(from.segmentId())) {
            if (segment.id() > end.segmentId()) {
                break;
            }
            int start = JournalSegment.HEADER_SIZE;
            if (segment.id() == from.segmentId()) {
                start = Math.max(start, from.offset());
            }
            if (segment.headerProblem() != null) {
                visitor.corruption(new JournalCorruption(segment.file(), segment.id(), 0, JournalSegment.HEADER_SIZE,
                        segment.headerProblem()));
            }
            SegmentScanner scanner = new SegmentScanner(segment, start, dataEnd(segment, end), REPLAY_WINDOW,
                    (s, offset, length, reason) -> visitor.corruption(
                            new JournalCorruption(s.file(), s.id(), offset, length, reason)));
            while (scanner.next()) {
                resolver.accept(scanner.record());
            }
        }
        resolver.finish();
        return end;
    }

    /** Where a segment's data ends for readers: the written end in the current one, else its file. */
    private static int dataEnd(JournalSegment segment, JournalPosition writtenEnd) throws IOException {
        if (segment.id() == writtenEnd.segmentId()) {
            return writtenEnd.offset();
        }
        return (int) Math.min(segment.length(), segment.capacity());
    }

    @Override
    public List<SegmentInfo> segments() {
        return segments.list();
    }

    @Override
    public void deleteSegment(long segmentId) throws IOException {
        checkOpen();
        segments.delete(segmentId);
    }

    @Override
    public void deleteSegmentsBefore(long segmentId) throws IOException {
        checkOpen();
        segments.deleteBefore(segmentId);
    }

    @Override
    public List<JournalCorruption> corruptions() {
        return corruptions;
    }

    /** How many times the writer forced a segment: for tests of group commit. */
    long forceCount() {
        return writer.forceCount();
    }

    @Override
    public void close() throws IOException {
        // Checked before taking the monitor: a callback on the writer thread must fail, not wait for a
        // close that is itself waiting for the writer thread.
        if (Thread.currentThread() == writer.thread()) {
            throw new IllegalStateException("a journal cannot be closed from its own completion callback");
        }
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            try {
                writer.close();
                allocator.close();
                segments.closeAll();
            } finally {
                lock.close();
            }
        }
        LOG.debug("Closed journal {}", config.directory());
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("journal " + config.directory() + " is closed");
        }
    }

    @Override
    public String toString() {
        return "Journal[" + config + "]";
    }
}
