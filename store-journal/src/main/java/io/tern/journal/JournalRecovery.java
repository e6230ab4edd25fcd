package io.tern.journal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * Brings a journal directory to a state the writer can append to, before the writer starts.
 *
 * <p><b>The rules.</b> Segments are scanned in ID order from the scan position with
 * {@link SegmentScanner}. The <i>tail</i> is the end of the last valid frame of the whole journal.
 * <ul>
 *   <li>Invalid bytes before the tail are <b>corruption</b>: reported (file, offset, length, reason),
 *       logged, and skipped by every replay; the records around them load.</li>
 *   <li>Invalid bytes after the tail are a <b>torn write</b>, the normal result of a crash in the middle
 *       of a write: logged and overwritten with zeros, so the next record goes where the torn one began.
 *       A segment file shorter than its capacity is extended with zeros again.</li>
 *   <li>Segments after the tail's segment hold no valid record (a segment preallocated just before a
 *       crash): they are deleted.</li>
 *   <li>Left-over temporary files of an interrupted segment creation are deleted.</li>
 * </ul>
 * Recovery also counts the operations of transactions still open at the tail, so a COMMIT written
 * after the restart carries the right count.
 *
 * <p>Runs on the thread that opens the journal, before any other thread can see it.
 */
final class JournalRecovery {

    private static final Logger LOG = LoggerFactory.getLogger(JournalRecovery.class);
    private static final int WINDOW_SIZE = 1024 * 1024;

    /** The state recovery leaves: the segments, the one to append to and where, open transactions. */
    record Result(NavigableMap<Long, JournalSegment> segments, JournalSegment current, int appendOffset,
                  Map<Long, Integer> openTransactions, List<JournalCorruption> corruptions) {
    }

    private record Invalid(JournalSegment segment, int offset, int length, String reason) {
        JournalPosition position() {
            return segment.position(offset);
        }
    }

    private JournalRecovery() {
    }

    static Result recover(JournalConfig config, JournalPosition scanFrom, SegmentAllocator allocator) throws IOException {
        Path directory = config.directory();
        NavigableMap<Long, JournalSegment> segments = listSegments(directory);
        if (segments.isEmpty()) {
            JournalSegment first = allocator.take(1);
            LOG.info("Created journal {} in {}", first.file().getFileName(), directory);
            return new Result(new TreeMap<>(), first, JournalSegment.HEADER_SIZE, Map.of(), List.of());
        }

        long firstScanned = Math.min(Math.max(scanFrom.segmentId(), segments.firstKey()), segments.lastKey());
        List<Invalid> invalid = new ArrayList<>();
        Map<Long, Integer> openTransactions = new HashMap<>();
        JournalSegment tailSegment = null;
        int tailOffset = -1;
        long records = 0;
        for (JournalSegment segment : segments.tailMap(firstScanned, true).values()) {
            int start = JournalSegment.HEADER_SIZE;
            if (segment.id() == scanFrom.segmentId()) {
                start = Math.max(start, scanFrom.offset());
            }
            if (segment.headerProblem() != null) {
                invalid.add(new Invalid(segment, 0, JournalSegment.HEADER_SIZE, segment.headerProblem()));
            }
            if (tailSegment == null) {
                tailSegment = segment;
                tailOffset = start;
            }
            int end = (int) Math.min(segment.length(), segment.capacity());
            SegmentScanner scanner = new SegmentScanner(segment, start, end, WINDOW_SIZE,
                    (s, offset, length, reason) -> invalid.add(new Invalid(s, offset, length, reason)));
            while (scanner.next()) {
                records++;
                tailSegment = segment;
                tailOffset = scanner.frameOffset() + scanner.frameLength();
                count(openTransactions, scanner.kind(), scanner.transactionId());
            }
        }

        JournalPosition tail = tailSegment.position(tailOffset);
        List<JournalCorruption> corruptions = new ArrayList<>();
        long tornBytes = 0;
        for (Invalid i : invalid) {
            if (i.position().compareTo(tail) < 0) {
                JournalCorruption c = new JournalCorruption(i.segment.file(), i.segment.id(), i.offset, i.length, i.reason);
                LOG.warn("Journal corruption skipped: {}", c);
                corruptions.add(c);
            } else {
                LOG.warn("Journal torn write truncated: {} at offset {} ({} bytes: {})", i.segment.file(), i.offset,
                        i.length, i.reason);
                tornBytes += i.length;
            }
        }

        truncateTail(tailSegment, tailOffset, tornBytes > 0);
        for (JournalSegment after : new ArrayList<>(segments.tailMap(tailSegment.id(), false).values())) {
            LOG.info("Removing journal segment {}: it holds no record", after.file());
            segments.remove(after.id());
            after.delete();
        }
        if (tailSegment.headerProblem() != null) {
            tailOffset = tailSegment.capacity(); // never append to a damaged segment: the first append rolls
        }
        segments.remove(tailSegment.id());
        LOG.info("Recovered journal {}: {} segments, {} records scanned from {}, appending at {}, {} corruptions",
                directory, segments.size() + 1, records, scanFrom, tailSegment.position(tailOffset), corruptions.size());
        return new Result(segments, tailSegment, tailOffset, openTransactions, List.copyOf(corruptions));
    }

    private static NavigableMap<Long, JournalSegment> listSegments(Path directory) throws IOException {
        NavigableMap<Long, JournalSegment> segments = new TreeMap<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                if (name.startsWith("journal-") && name.endsWith(JournalSegment.TEMPORARY_SUFFIX)) {
                    LOG.info("Removing {}: a segment creation interrupted by a crash", file);
                    Files.delete(file);
                    continue;
                }
                long id = JournalSegment.idOf(file);
                if (id >= 0) {
                    segments.put(id, JournalSegment.open(file, id));
                }
            }
        }
        return segments;
    }

    private static void count(Map<Long, Integer> open, RecordKind kind, long transactionId) {
        switch (kind) {
            case ADD_TX, UPDATE_TX, DELETE_TX -> open.merge(transactionId, 1, Integer::sum);
            case COMMIT, ROLLBACK -> open.remove(transactionId);
            default -> {
            }
        }
    }

    /** Zeroes torn bytes after the tail and restores the segment's preallocated size. */
    private static void truncateTail(JournalSegment segment, int tailOffset, boolean torn) throws IOException {
        long length = segment.length();
        long capacity = segment.headerProblem() == null ? segment.capacity() : length;
        if (torn && length > tailOffset) {
            segment.zero(tailOffset, length);
        }
        if (length < capacity) {
            LOG.info("Extending {} from {} to its capacity of {} bytes", segment.file(), length, capacity);
            segment.zero(Math.max(length, tailOffset), capacity);
        }
        segment.closeWriteChannel();
    }
}
