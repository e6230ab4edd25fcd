package io.tern.journal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RecoveryTest {

    private static final int FILE_SIZE = 64 * 1024;
    private static final int PAYLOAD = 50;

    @TempDir
    Path dir;

    private JournalConfig config() {
        return JournalConfig.builder().directory(dir).fileSize(FILE_SIZE).build();
    }

    private Path segmentFile(long id) {
        return dir.resolve(JournalSegment.fileName(id));
    }

    private List<JournalPosition> writeRecords(int count) throws IOException {
        List<JournalPosition> positions = new ArrayList<>();
        try (Journal journal = Journal.open(config())) {
            for (int i = 0; i < count; i++) {
                positions.add(journal.add(i, (byte) 1, payload(i)).join());
            }
        }
        return positions;
    }

    private static byte[] payload(int i) {
        byte[] b = new byte[PAYLOAD];
        for (int j = 0; j < b.length; j++) {
            b[j] = (byte) (i + j + 1);
        }
        return b;
    }

    private static List<Long> ids(int from, int to) {
        List<Long> ids = new ArrayList<>();
        for (long i = from; i < to; i++) {
            ids.add(i);
        }
        return ids;
    }

    @Test
    void aRecordCutShortAtTheTailIsTruncatedAndAppendsGoOnWhereItBegan() throws IOException {
        List<JournalPosition> positions = writeRecords(100);
        JournalPosition last = positions.get(99);
        try (FileChannel ch = FileChannel.open(segmentFile(1), StandardOpenOption.WRITE)) {
            ch.truncate(last.offset() + 20); // a crash in the middle of writing the last record
        }
        try (Journal journal = Journal.open(config())) {
            assertTrue(journal.corruptions().isEmpty(), "a torn tail is no corruption");
            assertEquals(ids(0, 99), CollectingVisitor.replayAll(journal).recordIds());
            assertEquals(FILE_SIZE, Files.size(segmentFile(1)), "the segment is preallocated again");
            assertEquals(last, journal.add(1000, (byte) 1, payload(1000)).join());
            journal.add(1001, (byte) 1, payload(1001)).join();
        }
        try (Journal journal = Journal.open(config())) {
            List<Long> expected = ids(0, 99);
            expected.addAll(List.of(1000L, 1001L));
            assertEquals(expected, CollectingVisitor.replayAll(journal).recordIds());
            assertTrue(journal.corruptions().isEmpty());
        }
    }

    @Test
    void aHeaderCutShortAtTheTailIsTruncated() throws IOException {
        List<JournalPosition> positions = writeRecords(10);
        try (FileChannel ch = FileChannel.open(segmentFile(1), StandardOpenOption.WRITE)) {
            ch.truncate(positions.get(9).offset() + 6); // only the marker and part of the length
        }
        try (Journal journal = Journal.open(config())) {
            assertTrue(journal.corruptions().isEmpty());
            assertEquals(ids(0, 9), CollectingVisitor.replayAll(journal).recordIds());
        }
    }

    @Test
    void garbageAfterTheLastRecordIsATornWriteAndIsZeroed() throws IOException {
        List<JournalPosition> positions = writeRecords(10);
        int end = positions.get(9).offset() + RecordFrame.frameLength(PAYLOAD);
        byte[] garbage = new byte[300];
        new Random(1).nextBytes(garbage);
        write(segmentFile(1), end, garbage);
        try (Journal journal = Journal.open(config())) {
            assertTrue(journal.corruptions().isEmpty());
            assertEquals(ids(0, 10), CollectingVisitor.replayAll(journal).recordIds());
            assertEquals(new JournalPosition(1, end), journal.add(10, (byte) 1, payload(10)).join());
        }
        byte[] after = read(segmentFile(1), end + RecordFrame.frameLength(PAYLOAD), FILE_SIZE - end - RecordFrame.frameLength(PAYLOAD));
        for (byte b : after) {
            assertEquals(0, b, "the torn bytes were overwritten with zeros");
        }
    }

    @Test
    void flippedBytesInTheMiddleAreReportedWithFileAndOffsetAndTheRestLoads() throws IOException {
        List<JournalPosition> positions = writeRecords(100);
        JournalPosition damaged = positions.get(50);
        flip(segmentFile(1), damaged.offset() + RecordFrame.PAYLOAD_AT + 10, 3);
        try (Journal journal = Journal.open(config())) {
            assertEquals(1, journal.corruptions().size());
            JournalCorruption c = journal.corruptions().get(0);
            assertEquals(segmentFile(1), c.file());
            assertEquals(1, c.segmentId());
            assertEquals(damaged.offset(), c.offset());
            assertEquals(RecordFrame.frameLength(PAYLOAD), c.length());
            assertEquals(RecordFrame.BAD_CHECKSUM, c.reason());

            CollectingVisitor v = CollectingVisitor.replayAll(journal);
            List<Long> expected = ids(0, 100);
            expected.remove(50L);
            assertEquals(expected, v.recordIds());
            assertEquals(List.of(c), v.corruptions, "replay reports the same corruption");
            assertEquals(new JournalPosition(1, positions.get(99).offset() + RecordFrame.frameLength(PAYLOAD)),
                    journal.add(100, (byte) 1, payload(100)).join(), "appends go on after the last record");
        }
    }

    @Test
    void aDamagedLengthFieldDoesNotMisleadTheSearchForTheNextRecord() throws IOException {
        List<JournalPosition> positions = writeRecords(100);
        JournalPosition damaged = positions.get(30);
        // the length now claims the frame runs far past its end, over many valid records
        write(segmentFile(1), damaged.offset() + RecordFrame.LENGTH_AT, ByteBuffer.allocate(4).putInt(20_000).array());
        try (Journal journal = Journal.open(config())) {
            assertEquals(1, journal.corruptions().size());
            JournalCorruption c = journal.corruptions().get(0);
            assertEquals(damaged.offset(), c.offset());
            assertEquals(positions.get(31).offset() - damaged.offset(), c.length());
            List<Long> expected = ids(0, 100);
            expected.remove(30L);
            assertEquals(expected, CollectingVisitor.replayAll(journal).recordIds());
        }
    }

    @Test
    void aZeroedHoleBeforeValidRecordsIsCorruption() throws IOException {
        List<JournalPosition> positions = writeRecords(20);
        int from = positions.get(5).offset();
        int to = positions.get(8).offset();
        write(segmentFile(1), from, new byte[to - from]); // a lost write: blocks of zeros
        try (Journal journal = Journal.open(config())) {
            assertEquals(1, journal.corruptions().size());
            assertEquals(from, journal.corruptions().get(0).offset());
            assertEquals(to - from, journal.corruptions().get(0).length());
            List<Long> expected = ids(0, 20);
            expected.removeAll(List.of(5L, 6L, 7L));
            assertEquals(expected, CollectingVisitor.replayAll(journal).recordIds());
        }
    }

    @Test
    void aZeroFilledTailEndsReplayCleanly() throws IOException {
        writeRecords(3);
        try (Journal journal = Journal.open(config())) {
            // the file is preallocated: everything after the third record is zeros up to 64 KiB
            assertEquals(FILE_SIZE, Files.size(segmentFile(1)));
            CollectingVisitor v = CollectingVisitor.replayAll(journal);
            assertEquals(ids(0, 3), v.recordIds());
            assertTrue(v.corruptions.isEmpty());
            assertTrue(journal.corruptions().isEmpty());
        }
        try (Journal journal = Journal.open(config())) {
            assertEquals(ids(0, 3), CollectingVisitor.replayAll(journal).recordIds(), "an empty journal file too");
        }
    }

    @Test
    void corruptionInAnEarlierSegmentIsReportedAndLaterSegmentsLoad() throws IOException {
        List<JournalPosition> positions = writeRecords(3000); // 82-byte frames: four segments of 64 KiB
        assertEquals(4, positions.get(2999).segmentId());
        JournalPosition damaged = positions.stream().filter(p -> p.segmentId() == 1).toList().get(200);
        int index = positions.indexOf(damaged);
        flip(segmentFile(1), damaged.offset() + RecordFrame.KIND_AT, 1);
        try (Journal journal = Journal.open(config())) {
            assertEquals(1, journal.corruptions().size());
            assertEquals(segmentFile(1), journal.corruptions().get(0).file());
            assertEquals(damaged.offset(), journal.corruptions().get(0).offset());
            List<Long> expected = ids(0, 3000);
            expected.remove((long) index);
            assertEquals(expected, CollectingVisitor.replayAll(journal).recordIds());
        }
    }

    @Test
    void theLastRecordOfAnEarlierSegmentDamagedIsCorruptionNotATornTail() throws IOException {
        List<JournalPosition> positions = writeRecords(1500);
        List<JournalPosition> inFirst = positions.stream().filter(p -> p.segmentId() == 1).toList();
        JournalPosition lastOfFirst = inFirst.get(inFirst.size() - 1);
        flip(segmentFile(1), lastOfFirst.offset() + RecordFrame.PAYLOAD_AT, 1);
        try (Journal journal = Journal.open(config())) {
            assertEquals(1, journal.corruptions().size(), "valid records follow in segment 2");
            assertEquals(lastOfFirst.offset(), journal.corruptions().get(0).offset());
            assertEquals(1499, CollectingVisitor.replayAll(journal).operations.size());
        }
    }

    @Test
    void aSegmentPreallocatedJustBeforeACrashIsRemovedAndTheTornTailBeforeItTruncated() throws IOException {
        List<JournalPosition> positions = writeRecords(100);
        JournalSegment.create(dir, 2, FILE_SIZE); // the allocator's work, then the crash
        Files.write(dir.resolve(JournalSegment.fileName(3) + JournalSegment.TEMPORARY_SUFFIX), new byte[100]);
        JournalPosition last = positions.get(99);
        write(segmentFile(1), last.offset() + RecordFrame.PAYLOAD_AT, new byte[]{0x55}); // torn last record
        try (Journal journal = Journal.open(config())) {
            assertTrue(journal.corruptions().isEmpty());
            assertEquals(List.of(1L), journal.segments().stream().map(SegmentInfo::id).toList());
            assertFalse(Files.exists(segmentFile(2)));
            assertFalse(Files.exists(dir.resolve(JournalSegment.fileName(3) + JournalSegment.TEMPORARY_SUFFIX)));
            assertEquals(ids(0, 99), CollectingVisitor.replayAll(journal).recordIds());
            assertEquals(last, journal.add(7, (byte) 1, payload(7)).join());
        }
    }

    @Test
    void aDamagedSegmentHeaderIsReportedAndItsRecordsStillLoad() throws IOException {
        List<JournalPosition> positions = writeRecords(1500);
        assertEquals(2, positions.get(1499).segmentId());
        flip(segmentFile(1), 3, 1);
        try (Journal journal = Journal.open(config())) {
            assertEquals(1, journal.corruptions().size());
            assertEquals(0, journal.corruptions().get(0).offset());
            assertEquals("bad segment header", journal.corruptions().get(0).reason());
            assertEquals(ids(0, 1500), CollectingVisitor.replayAll(journal).recordIds());
        }
    }

    @Test
    void aCommittedTransactionThatLostAnOperationIsDroppedWhole() throws IOException {
        JournalPosition second;
        try (Journal journal = Journal.open(config())) {
            journal.add(1, (byte) 1, payload(1));
            journal.addTransactional(9, 90, (byte) 1, payload(90));
            second = journal.addTransactional(9, 91, (byte) 1, payload(91)).join();
            journal.addTransactional(9, 92, (byte) 1, payload(92));
            journal.commit(9);
            journal.add(2, (byte) 1, payload(2)).join();
        }
        flip(segmentFile(1), second.offset() + RecordFrame.PAYLOAD_AT + 1, 1);
        try (Journal journal = Journal.open(config())) {
            CollectingVisitor v = CollectingVisitor.replayAll(journal);
            assertEquals(List.of(1L, 2L), v.recordIds(), "never half a transaction");
            assertEquals(2, v.corruptions.size());
            assertEquals(second.offset(), v.corruptions.get(0).offset());
            assertTrue(v.corruptions.get(1).reason().startsWith("transaction 9 commits 3 operations but 2 were found"),
                    v.corruptions.get(1).reason());
        }
    }

    @Test
    void scanningFromAPositionRecoversTheTailAfterIt() throws IOException {
        List<JournalPosition> positions = writeRecords(1500);
        JournalPosition last = positions.get(1499);
        try (FileChannel ch = FileChannel.open(segmentFile(last.segmentId()), StandardOpenOption.WRITE)) {
            ch.truncate(last.offset() + 40);
        }
        try (Journal journal = Journal.open(config(), positions.get(1400))) {
            assertTrue(journal.corruptions().isEmpty());
            assertEquals(last, journal.add(5000, (byte) 1, payload(1)).join());
            CollectingVisitor v = new CollectingVisitor();
            journal.replay(positions.get(1400), v);
            List<Long> expected = ids(1400, 1499);
            expected.add(5000L);
            assertEquals(expected, v.recordIds());
        }
    }

    private static void flip(Path file, long offset, int count) throws IOException {
        byte[] b = read(file, offset, count);
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) ~b[i];
        }
        write(file, offset, b);
    }

    private static byte[] read(Path file, long offset, int count) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer b = ByteBuffer.allocate(count);
            while (b.hasRemaining() && ch.read(b, offset + b.position()) >= 0) {
                // until full
            }
            return b.array();
        }
    }

    private static void write(Path file, long offset, byte[] bytes) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.wrap(bytes);
            while (b.hasRemaining()) {
                ch.write(b, offset + b.position());
            }
        }
    }
}
