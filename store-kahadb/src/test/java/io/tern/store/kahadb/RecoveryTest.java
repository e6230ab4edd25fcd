package io.tern.store.kahadb;

import io.tern.journal.JournalRecord;
import io.tern.protocol.Address;
import io.tern.store.GlobalTransactionId;
import io.tern.store.MessageStore;
import io.tern.store.StoredMessage;
import io.tern.store.SubscriptionInfo;
import io.tern.store.TopicMessageStore;
import io.tern.store.TransactionOperation;
import io.tern.store.TransactionOperation.QueueAdd;
import io.tern.store.TransactionOperation.QueueRemove;
import io.tern.store.TransactionOperation.TopicAcknowledge;
import io.tern.store.TransactionOperation.TopicAdd;
import io.tern.store.TransactionStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import java.util.stream.Stream;

import static io.tern.store.kahadb.StoreFixture.await;
import static io.tern.store.kahadb.StoreFixture.message;
import static io.tern.store.kahadb.StoreFixture.readAll;
import static io.tern.store.kahadb.StoreFixture.sequences;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Recovery from what a crash or a damaged disk leaves: a lost index is rebuilt from the journal, an
 * index older than the journal catches up by replay, a torn last record is dropped, a damaged record in
 * the middle is reported with its file and offset and skipped while the rest loads.
 */
class RecoveryTest {

    private static final int FILE_SIZE = 256 * 1024;
    private static final SubscriptionInfo SUB_A = new SubscriptionInfo("client", "a", null, false, false);
    private static final SubscriptionInfo SUB_B = new SubscriptionInfo("client", "b", null, false, false);
    private static final SubscriptionInfo SUB_C = new SubscriptionInfo(null, "c", "x > 1", false, true);

    @TempDir
    Path directory;

    private KahaDBPersistenceAdapter adapter;

    private KahaDBConfig config() {
        return StoreFixture.config(directory, FILE_SIZE).build();
    }

    private void start() throws IOException {
        adapter = StoreFixture.started(config());
    }

    @AfterEach
    void stop() throws Exception {
        if (adapter != null) {
            adapter.stop();
        }
    }

    /** Queues, a topic with subscriptions, removals, transactions and prepared transactions. */
    private void populateFirstPart() throws Exception {
        MessageStore orders = adapter.queueStore("orders");
        Address o = orders.address();
        for (long s = 1; s <= 300; s++) {
            await(orders.add(s, message(o, "p1", s, 300)));
        }
        for (long s = 3; s <= 300; s += 3) {
            await(orders.remove(s));
        }
        await(orders.updateDeliveryCount(4, 2));
        await(orders.updateDeliveryCount(5, 7));

        MessageStore cleared = adapter.queueStore("cleared");
        for (long s = 1; s <= 50; s++) {
            await(cleared.add(s, message(cleared.address(), "p2", s, 100)));
        }
        await(cleared.removeAll());
        for (long s = 51; s <= 55; s++) {
            await(cleared.add(s, message(cleared.address(), "p2", s, 100)));
        }
        MessageStore gone = adapter.queueStore("gone");
        await(gone.add(1, message(gone.address(), "p3", 1, 100)));
        adapter.removeDestination(gone.address());

        TopicMessageStore prices = adapter.topicStore("prices");
        Address p = prices.address();
        await(prices.addSubscription(SUB_A));
        await(prices.addSubscription(SUB_B));
        await(prices.addSubscription(SUB_C));
        for (long s = 1; s <= 100; s++) {
            List<String> keys = s % 2 == 0 ? List.of(SUB_A.key(), SUB_B.key(), SUB_C.key()) : List.of(SUB_A.key());
            await(prices.add(s, message(p, "p4", s, 200), keys));
        }
        for (long s = 1; s <= 40; s++) {
            await(prices.acknowledge(SUB_A.key(), s));
        }
        await(prices.updateDeliveryCount(SUB_B.key(), 50, 3));
        await(prices.removeSubscription(SUB_C.key()));
        await(prices.addSubscription(new SubscriptionInfo("client", "b", "y = 2", false, false)));
        for (long s = 101; s <= 110; s++) {
            await(prices.add(s, message(p, "p4", s, 200), List.of(SUB_A.key(), SUB_B.key())));
        }
    }

    private void populateSecondPart() throws Exception {
        TransactionStore tx = adapter.transactionStore();
        Address o = Address.queue("orders");
        Address p = Address.topic("prices");
        await(tx.commit(List.of(new QueueRemove("orders", 1), new QueueAdd("orders", 301, message(o, "p1", 301, 50)),
                new QueueAdd("audit", 1, message(Address.queue("audit"), "p5", 1, 50)),
                new TopicAcknowledge("prices", SUB_A.key(), 42),
                new TopicAdd("prices", 111, message(p, "p4", 111, 50), List.of(SUB_A.key())))));
        await(tx.prepare(xid(1), List.of(new QueueAdd("orders", 302, message(o, "p1", 302, 50)),
                new TopicAcknowledge("prices", SUB_A.key(), 44))));
        await(tx.prepare(xid(2), List.of(new QueueRemove("orders", 2))));
        await(tx.prepare(xid(3), List.of(new QueueAdd("orders", 303, message(o, "p1", 303, 50)))));
        await(tx.rollbackPrepared(xid(2)));
        await(tx.commitPrepared(xid(3)));
        MessageStore orders = adapter.queueStore("orders");
        for (long s = 2; s <= 100; s += 3) {
            await(orders.remove(s));
        }
        await(adapter.topicStore("prices").acknowledge(SUB_A.key(), 60));
    }

    private static GlobalTransactionId xid(int n) {
        return new GlobalTransactionId(7, ("g" + n).getBytes(), new byte[] {(byte) n});
    }

    @Test
    void aDeletedIndexIsRebuiltFromTheJournalWithTheSameContent() throws Exception {
        start();
        populateFirstPart();
        populateSecondPart();
        Map<String, String> before = StoreState.capture(adapter);
        adapter.stop();

        deleteIndex();
        start();
        assertTrue(adapter.recoveryReport().rebuilt(), adapter.recoveryReport().toString());
        assertEquals(before, StoreState.capture(adapter));
        // And the rebuilt index is a normal one from then on.
        adapter.stop();
        start();
        assertFalse(adapter.recoveryReport().rebuilt());
        assertEquals(0, adapter.recoveryReport().recordsReplayed());
        assertEquals(before, StoreState.capture(adapter));
    }

    @Test
    void anIndexOlderThanTheJournalCatchesUpByReplayingOnlyWhatCameAfter() throws Exception {
        start();
        populateFirstPart();
        adapter.stop();
        Path saved = directory.resolve("saved-index");
        copy(config().indexDirectory(), saved);

        start();
        populateSecondPart();
        Map<String, String> before = StoreState.capture(adapter);
        adapter.stop();

        // As after a power failure that lost the index writes since its last checkpoint.
        LevelDbIndex.delete(config().indexDirectory());
        copy(saved, config().indexDirectory());
        start();
        StoreEngine.RecoveryReport report = adapter.recoveryReport();
        assertFalse(report.rebuilt(), report.toString());
        assertTrue(report.recordsReplayed() > 0 && report.recordsReplayed() < 100, report.toString());
        assertEquals(before, StoreState.capture(adapter));
    }

    @Test
    void aTornLastRecordIsDroppedAndEverythingBeforeItLoads() throws Exception {
        start();
        MessageStore queue = adapter.queueStore("torn");
        for (long s = 1; s <= 100; s++) {
            await(queue.add(s, message(queue.address(), "p", s, 1000)));
        }
        adapter.stop();
        List<JournalRecord> records = JournalFiles.records(config());
        JournalRecord last = records.get(records.size() - 1);
        // Cut the file in the middle of the last record, as a crash during its write would.
        JournalFiles.truncate(JournalFiles.segmentFile(config(), last.position().segmentId()),
                last.position().offset() + 40 + last.payload().length / 2);

        start();
        assertTrue(adapter.recoveryReport().rebuilt(), "the index was ahead of the cut journal");
        MessageStore again = adapter.queueStore("torn");
        assertEquals(LongStream.rangeClosed(1, 99).boxed().toList(), sequences(readAll(again)));
        assertEquals(99, again.count());
        await(again.add(100, message(again.address(), "p", 100, 1000)));
        assertEquals(100, readAll(again).size());
    }

    @Test
    void aDamagedRecordInTheMiddleIsReportedWithItsFileAndOffsetAndTheRestLoads() throws Exception {
        for (boolean deleteIndex : new boolean[] {false, true}) {
            Path dir = directory.resolve(deleteIndex ? "rebuilt" : "kept");
            KahaDBConfig config = StoreFixture.config(dir, FILE_SIZE).build();
            adapter = StoreFixture.started(config);
            MessageStore queue = adapter.queueStore("damaged");
            for (long s = 1; s <= 100; s++) {
                await(queue.add(s, message(queue.address(), "p", s, 1000)));
            }
            adapter.stop();
            JournalRecord fifty = recordOfSequence(config, 50);
            Path file = JournalFiles.segmentFile(config, fifty.position().segmentId());
            JournalFiles.flip(file, fifty.position().offset() + 200, 8);
            if (deleteIndex) {
                LevelDbIndex.delete(config.indexDirectory());
            }

            adapter = StoreFixture.started(config);
            MessageStore again = adapter.queueStore("damaged");
            List<StoredMessage> all = readAll(again);
            List<Long> expected = LongStream.rangeClosed(1, 100).filter(s -> s != 50).boxed().toList();
            assertEquals(expected, sequences(all), "index deleted: " + deleteIndex);
            String reported = String.join("\n", adapter.corruptions());
            assertTrue(reported.contains(file.getFileName().toString()) && reported.contains("offset "
                    + fifty.position().offset()), reported);
            adapter.checkpoint();
            assertEquals(99, again.count());
            adapter.stop();
            adapter = null;
        }
    }

    private static JournalRecord recordOfSequence(KahaDBConfig config, long sequence) throws IOException {
        for (JournalRecord r : JournalFiles.records(config)) {
            if (r.recordType() == StoreRecord.ADD_MESSAGE
                    && ((StoreRecord.AddMessage) StoreRecord.decode(r.recordType(), r.payload())).sequence() == sequence) {
                return r;
            }
        }
        throw new AssertionError("no record of sequence " + sequence);
    }

    private void deleteIndex() throws IOException {
        LevelDbIndex.delete(config().indexDirectory());
        assertFalse(Files.exists(config().indexDirectory()));
    }

    private static void copy(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        List<Path> files = new ArrayList<>();
        try (Stream<Path> s = Files.list(from)) {
            s.forEach(files::add);
        }
        for (Path f : files) {
            if (!f.getFileName().toString().equals("LOCK")) {
                Files.copy(f, to.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

}
