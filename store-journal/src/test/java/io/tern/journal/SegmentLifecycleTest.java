package io.tern.journal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SegmentLifecycleTest {

    private static final int FILE_SIZE = 8 * 1024;

    @TempDir
    Path dir;

    private JournalConfig config() {
        return JournalConfig.builder().directory(dir).fileSize(FILE_SIZE).build();
    }

    private static List<JournalPosition> appendRecords(Journal journal, int from, int count) {
        List<JournalPosition> positions = new ArrayList<>();
        for (int i = from; i < from + count; i++) {
            positions.add(journal.add(i, (byte) 1, new byte[100]).join());
        }
        return positions;
    }

    @Test
    void rollsToANewSegmentWhenTheCurrentIsFull() throws IOException {
        try (Journal journal = Journal.open(config())) {
            List<JournalPosition> positions = appendRecords(journal, 0, 500);
            int frame = RecordFrame.frameLength(100);
            for (JournalPosition p : positions) {
                assertTrue(p.offset() >= JournalSegment.HEADER_SIZE && p.offset() + frame <= FILE_SIZE,
                        "a frame never crosses the end of its segment: " + p);
            }
            int perSegment = (FILE_SIZE - JournalSegment.HEADER_SIZE) / frame;
            assertEquals(new JournalPosition(2, JournalSegment.HEADER_SIZE), positions.get(perSegment));
            List<SegmentInfo> segments = journal.segments();
            assertEquals(positions.get(499).segmentId(), segments.size());
            for (int i = 0; i < segments.size(); i++) {
                SegmentInfo s = segments.get(i);
                assertEquals(i + 1, s.id());
                assertEquals(dir.resolve(String.format("journal-%010d.log", i + 1)), s.file());
                assertEquals(i == segments.size() - 1, s.current());
                assertEquals(FILE_SIZE, Files.size(s.file()));
            }
        }
    }

    @Test
    void deletedSegmentsDisappearFromListingReadsAndReplay() throws IOException {
        try (Journal journal = Journal.open(config())) {
            List<JournalPosition> positions = appendRecords(journal, 0, 500);
            long last = journal.segments().get(journal.segments().size() - 1).id();
            assertTrue(last >= 6);

            journal.deleteSegment(2);
            assertFalse(Files.exists(dir.resolve("journal-0000000002.log")));
            JournalPosition inTwo = positions.stream().filter(p -> p.segmentId() == 2).findFirst().orElseThrow();
            assertThrows(NoSuchFileException.class, () -> journal.read(inTwo));
            assertThrows(NoSuchFileException.class, () -> journal.deleteSegment(2));

            journal.deleteSegmentsBefore(5);
            assertEquals(List.of(5L), journal.segments().stream().map(SegmentInfo::id).limit(1).toList());
            assertThrows(IllegalArgumentException.class, () -> journal.deleteSegment(last));
            journal.deleteSegmentsBefore(Long.MAX_VALUE); // never the current one
            assertEquals(List.of(last), journal.segments().stream().map(SegmentInfo::id).toList());

            List<Long> expected = new ArrayList<>();
            for (int i = 0; i < positions.size(); i++) {
                if (positions.get(i).segmentId() == last) {
                    expected.add((long) i);
                }
            }
            assertEquals(expected, CollectingVisitor.replayAll(journal).recordIds());
        }
    }

    @Test
    void segmentIdsKeepGrowingAcrossReopenAndNoUnusedSegmentIsLeftBehind() throws IOException {
        long lastBefore;
        try (Journal journal = Journal.open(config())) {
            appendRecords(journal, 0, 200);
            lastBefore = journal.segments().get(journal.segments().size() - 1).id();
            journal.deleteSegmentsBefore(lastBefore);
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(JournalSegment.fileName(lastBefore), DirectoryLock.FILE_NAME),
                    files.map(p -> p.getFileName().toString()).sorted().toList(),
                    "the segment preallocated ahead of need is removed at close");
        }
        try (Journal journal = Journal.open(config())) {
            List<JournalPosition> more = appendRecords(journal, 200, 200);
            assertEquals(lastBefore, more.get(0).segmentId(), "appends continue in the last segment");
            assertTrue(more.get(199).segmentId() > lastBefore);
            CollectingVisitor v = CollectingVisitor.replayAll(journal);
            assertEquals(399L, v.recordIds().get(v.recordIds().size() - 1));
        }
    }

    @Test
    void recordsLargerThanTheWriteBufferRoundTrip() throws IOException {
        JournalConfig config = JournalConfig.builder().directory(dir).fileSize(4 * 1024 * 1024).build();
        try (Journal journal = Journal.open(config)) {
            byte[] large = new byte[GroupCommitWriter.BUFFER_SIZE + 12345];
            for (int i = 0; i < large.length; i++) {
                large[i] = (byte) (i * 7);
            }
            journal.add(1, (byte) 1, new byte[10]);
            JournalPosition p = journal.add(2, (byte) 1, large).join();
            JournalPosition after = journal.add(3, (byte) 1, new byte[10]).join();
            assertArrayEquals(large, journal.read(p).payload());
            assertEquals(p.offset() + RecordFrame.frameLength(large.length), after.offset());
        }
        try (Journal journal = Journal.open(config)) {
            assertEquals(List.of(1L, 2L, 3L), CollectingVisitor.replayAll(journal).recordIds());
        }
    }
}
