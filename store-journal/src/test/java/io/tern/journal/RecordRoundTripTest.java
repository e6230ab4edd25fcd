package io.tern.journal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletionException;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RecordRoundTripTest {

    @TempDir
    Path dir;

    private JournalConfig config() {
        return JournalConfig.builder().directory(dir).fileSize(64 * 1024).build();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void everyRecordKindReadsBackAsWritten() throws IOException {
        try (Journal journal = Journal.open(config())) {
            JournalPosition add = journal.add(1, (byte) 7, bytes("one")).join();
            JournalPosition update = journal.update(1, (byte) 8, bytes("one'")).join();
            JournalPosition delete = journal.delete(1, (byte) 9).join();
            JournalPosition addTx = journal.addTransactional(50, 2, (byte) 10, bytes("two")).join();
            JournalPosition updateTx = journal.updateTransactional(50, 2, (byte) 11, bytes("two'")).join();
            JournalPosition deleteTx = journal.deleteTransactional(50, 3, (byte) 12).join();
            JournalPosition prepare = journal.prepare(50, bytes("xid-50")).join();
            JournalPosition commit = journal.commit(50).join();
            JournalPosition rollback = journal.rollback(51).join();
            JournalPosition empty = journal.add(4, (byte) -1, new byte[0]).join();

            assertRecord(journal.read(add), RecordKind.ADD, 1, 0, 7, "one");
            assertRecord(journal.read(update), RecordKind.UPDATE, 1, 0, 8, "one'");
            assertRecord(journal.read(delete), RecordKind.DELETE, 1, 0, 9, "");
            assertRecord(journal.read(addTx), RecordKind.ADD_TX, 2, 50, 10, "two");
            assertRecord(journal.read(updateTx), RecordKind.UPDATE_TX, 2, 50, 11, "two'");
            assertRecord(journal.read(deleteTx), RecordKind.DELETE_TX, 3, 50, 12, "");
            // PREPARE and COMMIT carry the number of operations of their transaction in the id field
            assertRecord(journal.read(prepare), RecordKind.PREPARE, 3, 50, 0, "xid-50");
            assertRecord(journal.read(commit), RecordKind.COMMIT, 3, 50, 0, "");
            assertRecord(journal.read(rollback), RecordKind.ROLLBACK, 0, 51, 0, "");
            assertRecord(journal.read(empty), RecordKind.ADD, 4, 0, -1, "");

            assertEquals(new JournalPosition(1, JournalSegment.HEADER_SIZE), add);
            assertEquals(add.offset() + RecordFrame.OVERHEAD + 3, update.offset());
            assertEquals(add, journal.read(add).position());
        }
    }

    @Test
    void replayResolvesTransactions() throws IOException {
        try (Journal journal = Journal.open(config())) {
            journal.add(1, (byte) 1, bytes("a"));
            journal.addTransactional(10, 100, (byte) 1, bytes("tx10-a"));
            journal.addTransactional(20, 200, (byte) 1, bytes("tx20-a"));
            journal.add(2, (byte) 1, bytes("b"));
            journal.deleteTransactional(10, 1, (byte) 1);
            journal.commit(10);
            journal.rollback(20);
            journal.addTransactional(30, 300, (byte) 1, bytes("tx30-a"));
            journal.prepare(30, bytes("xid-30"));
            journal.addTransactional(40, 400, (byte) 1, bytes("tx40-a"));
            journal.prepare(40, bytes("xid-40"));
            journal.addTransactional(50, 500, (byte) 1, bytes("tx50-never-resolved"));
            journal.commit(40);
            journal.update(2, (byte) 1, bytes("b'")).join();

            CollectingVisitor v = CollectingVisitor.replayAll(journal);
            // tx 10 arrives at its commit, in its own order; tx 20 rolled back; tx 40 committed after
            // prepare; tx 50 has no outcome
            assertEquals(List.of(1L, 2L, 100L, 1L, 400L, 2L), v.recordIds());
            assertEquals(List.of(RecordKind.ADD, RecordKind.ADD, RecordKind.ADD_TX, RecordKind.DELETE_TX,
                    RecordKind.ADD_TX, RecordKind.UPDATE), v.operations.stream().map(JournalRecord::kind).toList());
            assertEquals(1, v.prepared.size());
            PreparedTransaction p = v.prepared.get(0);
            assertEquals(30, p.transactionId());
            assertArrayEquals(bytes("xid-30"), p.data());
            assertEquals(List.of(300L), p.operations().stream().map(JournalRecord::recordId).toList());
            assertTrue(v.corruptions.isEmpty());
        }
    }

    @Test
    void preparedTransactionIsResolvedAfterReopen() throws IOException {
        try (Journal journal = Journal.open(config())) {
            journal.addTransactional(7, 70, (byte) 1, bytes("x"));
            journal.addTransactional(7, 71, (byte) 1, bytes("y"));
            journal.prepare(7, bytes("xid")).join();
        }
        try (Journal journal = Journal.open(config())) {
            CollectingVisitor before = CollectingVisitor.replayAll(journal);
            assertEquals(1, before.prepared.size());
            assertEquals(2, before.prepared.get(0).operations().size());
            JournalPosition commit = journal.commit(7).join();
            // the count survives the restart: recovery counted the transaction's operations
            assertEquals(2, journal.read(commit).id());
            CollectingVisitor after = CollectingVisitor.replayAll(journal);
            assertEquals(List.of(70L, 71L), after.recordIds());
            assertTrue(after.prepared.isEmpty());
            assertTrue(after.corruptions.isEmpty());
        }
    }

    @Test
    void replayFromAPositionStartsThere() throws IOException {
        try (Journal journal = Journal.open(config())) {
            journal.add(1, (byte) 1, bytes("a"));
            JournalPosition second = journal.add(2, (byte) 1, bytes("b")).join();
            journal.add(3, (byte) 1, bytes("c")).join();
            CollectingVisitor v = new CollectingVisitor();
            JournalPosition end = journal.replay(second, v);
            assertEquals(List.of(2L, 3L), v.recordIds());
            JournalPosition next = journal.add(4, (byte) 1, bytes("d")).join();
            assertEquals(next, end, "replay returns where the next record goes");
        }
    }

    @Test
    void readOfAPositionThatIsNoRecordNamesFileAndOffset() throws IOException {
        try (Journal journal = Journal.open(config())) {
            JournalPosition p = journal.add(1, (byte) 1, bytes("abc")).join();
            IOException e = assertThrows(IOException.class, () -> journal.read(new JournalPosition(1, p.offset() + 1)));
            assertTrue(e.getMessage().contains("journal-0000000001.log offset " + (p.offset() + 1)), e.getMessage());
            assertThrows(java.nio.file.NoSuchFileException.class, () -> journal.read(new JournalPosition(9, 32)));
        }
    }

    @Test
    void aPayloadLargerThanASegmentFailsItsFuture() throws IOException {
        try (Journal journal = Journal.open(config())) {
            CompletionException e = assertThrows(CompletionException.class,
                    () -> journal.add(1, (byte) 1, new byte[64 * 1024]).join());
            assertInstanceOf(IllegalArgumentException.class, e.getCause());
            byte[] largest = new byte[config().maxPayloadSize()];
            largest[largest.length - 1] = 42;
            JournalPosition p = journal.add(2, (byte) 1, largest).join();
            assertArrayEquals(largest, journal.read(p).payload());
        }
    }

    private static void assertRecord(JournalRecord r, RecordKind kind, long id, long tx, int type, String payload) {
        assertEquals(kind, r.kind());
        assertEquals(id, r.id());
        assertEquals(tx, r.transactionId());
        assertEquals((byte) type, r.recordType());
        assertEquals(payload, new String(r.payload(), StandardCharsets.UTF_8));
    }
}
