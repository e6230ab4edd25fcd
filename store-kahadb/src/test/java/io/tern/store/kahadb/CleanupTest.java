package io.tern.store.kahadb;

import io.tern.protocol.Address;
import io.tern.store.MessageStore;
import io.tern.store.StoredMessage;
import io.tern.store.SubscriptionInfo;
import io.tern.store.TopicMessageStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

import static io.tern.store.kahadb.StoreFixture.await;
import static io.tern.store.kahadb.StoreFixture.message;
import static io.tern.store.kahadb.StoreFixture.readAll;
import static io.tern.store.kahadb.StoreFixture.sequences;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Disk use follows live data: journal files go once nothing in them is needed, and files kept only for
 * a few long-lived records are compacted. The diagnostic names what keeps a file.
 */
class CleanupTest {

    private static final Logger LOG = LoggerFactory.getLogger(CleanupTest.class);

    @TempDir
    Path directory;

    private KahaDBPersistenceAdapter adapter;

    @AfterEach
    void stop() throws Exception {
        if (adapter != null) {
            adapter.stop();
        }
    }

    /**
     * A backlog of {@code kahadb.disk.megabytes} (64 by default, 500 under -Pkahadb-long) is drained:
     * disk use falls back to a few journal files.
     */
    @Test
    void aDrainedBacklogLeavesAFewJournalFiles() throws Exception {
        long megabytes = Long.getLong("kahadb.disk.megabytes", 64);
        int fileSize = megabytes > 100 ? 32 * 1024 * 1024 : 2 * 1024 * 1024;
        KahaDBConfig config = StoreFixture.config(directory, fileSize).build();
        adapter = StoreFixture.started(config);
        MessageStore queue = adapter.queueStore("backlog");
        int body = 8 * 1024;
        long messages = megabytes * 1024 * 1024 / body;
        List<CompletionStage<Void>> pending = new ArrayList<>();
        for (long s = 1; s <= messages; s++) {
            pending.add(queue.add(s, message(queue.address(), "p", s, body)));
            if (pending.size() == 1000) {
                pending.forEach(StoreFixture::await);
                pending.clear();
            }
        }
        pending.forEach(StoreFixture::await);
        pending.clear();
        long full = JournalFiles.journalBytes(config);
        assertTrue(full >= megabytes * 1024 * 1024, "journal holds " + full + " bytes");

        for (long s = 1; s <= messages; s++) {
            pending.add(queue.remove(s));
            if (pending.size() == 5000) {
                pending.forEach(StoreFixture::await);
                pending.clear();
            }
        }
        pending.forEach(StoreFixture::await);
        // A checkpoint moves the replay point past the backlog; cleanup deletes what nothing needs.
        adapter.checkpoint();
        adapter.cleanup();
        long drained = JournalFiles.journalBytes(config);
        int files = JournalFiles.segmentFiles(config).size();
        LOG.info("Backlog of {} MB: journal {} bytes full, {} bytes in {} files drained", megabytes, full, drained, files);
        assertTrue(files <= 3, files + " journal files left after draining");
        assertEquals(0, adapter.usage().usedBytes());
    }

    @Test
    void oneOldMessageNoLongerPinsItsFileItIsMovedForward() throws Exception {
        int fileSize = 64 * 1024;
        KahaDBConfig config = StoreFixture.config(directory, fileSize).build();
        adapter = StoreFixture.started(config);
        MessageStore pinned = adapter.queueStore("pinned");
        MessageStore busy = adapter.queueStore("busy");
        await(pinned.add(1, message(pinned.address(), "old", 1, 500)));
        await(pinned.updateDeliveryCount(1, 3));
        TopicMessageStore topic = adapter.topicStore("news");
        SubscriptionInfo sub = new SubscriptionInfo("c", "slow", null, false, false);
        SubscriptionInfo fast = new SubscriptionInfo("c", "fast", null, false, false);
        await(topic.addSubscription(sub));
        await(topic.addSubscription(fast));
        await(topic.add(1, message(topic.address(), "t", 1, 500), List.of(sub.key(), fast.key())));
        await(topic.updateDeliveryCount(sub.key(), 1, 2));
        await(topic.acknowledge(fast.key(), 1));
        for (long s = 1; s <= 600; s++) {
            await(busy.add(s, message(busy.address(), "busy", s, 1000)));
            await(busy.remove(s));
        }
        Map<String, String> before = StoreState.capture(adapter);
        adapter.checkpoint();

        List<SegmentPin> pins = adapter.pinnedSegments();
        SegmentPin first = pins.get(0);
        assertEquals(1, first.segmentId());
        assertTrue(first.liveRecordsByOwner().containsKey("queue://pinned"), first.toString());
        assertTrue(first.liveRecordsByOwner().containsKey("topic://news"), first.toString());
        assertTrue(first.toString().contains("journal-0000000001.log is kept by"), first.toString());

        adapter.cleanup(); // moves the live records of the first files forward
        adapter.checkpoint();
        List<Long> deleted = adapter.cleanup();
        assertTrue(deleted.contains(1L), "segment 1 was not deleted: " + deleted + " " + adapter.pinnedSegments());
        assertTrue(JournalFiles.segmentFiles(config).size() <= 4,
                "files left: " + JournalFiles.segmentFiles(config) + " " + adapter.pinnedSegments());
        assertEquals(before, StoreState.capture(adapter));

        adapter.stop();
        adapter = StoreFixture.started(config);
        assertEquals(before, StoreState.capture(adapter));
        List<StoredMessage> kept = readAll(adapter.queueStore("pinned"));
        assertEquals(List.of(1L), sequences(kept));
        assertEquals(3, kept.get(0).deliveryCount());

        // The moved records rebuild the same state when the index is lost.
        adapter.stop();
        LevelDbIndex.delete(config.indexDirectory());
        adapter = StoreFixture.started(config);
        assertTrue(adapter.recoveryReport().rebuilt());
        assertEquals(before, StoreState.capture(adapter));
    }

    @Test
    void removalsKeepTheirFileWhileTheFileOfWhatTheyRemovedIsKept() throws Exception {
        int fileSize = 64 * 1024;
        KahaDBConfig config = StoreFixture.config(directory, fileSize).build();
        adapter = StoreFixture.started(config);
        MessageStore queue = adapter.queueStore("q");
        Address a = queue.address();
        // Segment 1: messages 1..40 (kept alive by message 40).
        for (long s = 1; s <= 40; s++) {
            await(queue.add(s, message(a, "p", s, 1000)));
        }
        // Later segments remove 1..39: their removals must outlive segment 1, or a rebuild would bring
        // 1..39 back.
        for (long s = 41; s <= 200; s++) {
            await(queue.add(s, message(a, "p", s, 1000)));
            await(queue.remove(s));
            if (s <= 79) {
                await(queue.remove(s - 40));
            }
        }
        adapter.checkpoint();
        adapter.cleanup();
        adapter.checkpoint();
        adapter.cleanup();
        Map<String, String> before = StoreState.capture(adapter);
        assertEquals(List.of(40L), sequences(readAll(queue)));
        adapter.stop();
        LevelDbIndex.delete(config.indexDirectory());
        adapter = StoreFixture.started(config);
        assertEquals(before, StoreState.capture(adapter));
        assertFalse(adapter.corruptions().stream().anyMatch(c -> !c.contains("transaction")), adapter.corruptions().toString());
    }

}
