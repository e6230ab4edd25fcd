package io.tern.store.kahadb;

import io.tern.protocol.Address;
import io.tern.store.MessageStore;
import io.tern.store.SubscriptionInfo;
import io.tern.store.TopicMessageStore;
import io.tern.store.TransactionOperation.QueueAdd;
import io.tern.store.TransactionOperation.RecordOutcome;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;

import static io.tern.store.kahadb.StoreFixture.await;
import static io.tern.store.kahadb.StoreFixture.message;
import static io.tern.store.kahadb.StoreFixture.readAll;
import static io.tern.store.kahadb.StoreFixture.sequences;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Outcome keys, producer marks and dispatch marks are never live records, so nothing keeps their journal
 * files: cleanup writes them again before it deletes those files, and an index rebuilt from what is left
 * of the journal still has them.
 */
class RememberedAcrossRebuildTest {

    @TempDir
    Path directory;

    private KahaDBPersistenceAdapter adapter;
    private final Address orders = Address.queue("orders");
    private final Address prices = Address.topic("prices");
    private final SubscriptionInfo subscription = new SubscriptionInfo("c", "s", null, false, false);

    @AfterEach
    void stop() throws Exception {
        if (adapter != null) {
            adapter.stop();
        }
    }

    private KahaDBConfig config() {
        return StoreFixture.config(directory, 64 * 1024).build();
    }

    private void remember() throws Exception {
        MessageStore queue = adapter.queueStore("orders");
        TopicMessageStore topic = adapter.topicStore("prices");
        await(topic.addSubscription(subscription));
        await(adapter.transactionStore().commit(List.of(new QueueAdd("orders", 1, message(orders, "tx", 40, 10)),
                new RecordOutcome("outcome-1"))));
        await(queue.add(2, message(orders, "plain", 7, 10)));
        await(topic.add(1, message(prices, "topical", 3, 10), List.of(subscription.key())));
        await(queue.remove(1));
        await(queue.remove(2));
        await(topic.acknowledge(subscription.key(), 1));
        await(queue.recordDispatchMark(258));
        await(topic.recordDispatchMark(subscription.key(), 17));
    }

    private void assertRemembered() throws Exception {
        assertTrue(adapter.transactionStore().hasCommitted("outcome-1"));
        assertFalse(adapter.transactionStore().hasCommitted("outcome-2"));
        assertEquals(40, adapter.transactionStore().producerHighWater("ID:tx"));
        assertEquals(7, adapter.transactionStore().producerHighWater("ID:plain"));
        assertEquals(3, adapter.transactionStore().producerHighWater("ID:topical"));
        assertEquals(258, adapter.queueStore("orders").dispatchMark());
        assertEquals(17, adapter.topicStore("prices").dispatchMark(subscription.key()));
    }

    private void rebuild() throws Exception {
        adapter.stop();
        LevelDbIndex.delete(config().indexDirectory());
        adapter = StoreFixture.started(config());
        assertTrue(adapter.recoveryReport().rebuilt());
    }

    @Test
    void anIndexRebuiltFromTheJournalHasThem() throws Exception {
        adapter = StoreFixture.started(config());
        remember();
        rebuild();
        assertRemembered();
    }

    @Test
    void theyOutliveTheJournalFilesThatFirstHeldThem() throws Exception {
        adapter = StoreFixture.started(config());
        remember();
        assertEquals(1, JournalFiles.segmentFiles(config()).size(), "everything remembered is in the first file");
        MessageStore churn = adapter.queueStore("churn");
        List<CompletionStage<Void>> pending = new ArrayList<>();
        for (long s = 1; s <= 400; s++) {
            pending.add(churn.add(s, message(Address.queue("churn"), null, s, 1024)));
        }
        pending.forEach(StoreFixture::await);
        for (long s = 1; s <= 400; s++) {
            await(churn.remove(s));
        }
        // The first file also holds the destinations' definitions: a first cleanup moves them forward.
        List<Long> deleted = new ArrayList<>();
        for (int round = 0; round < 4 && !deleted.contains(1L); round++) {
            adapter.checkpoint();
            deleted.addAll(adapter.cleanup());
        }
        assertTrue(deleted.contains(1L), "the first journal file was deleted: " + deleted);
        assertRemembered();

        rebuild();
        assertRemembered();
        assertEquals(List.of(), sequences(readAll(adapter.queueStore("orders"))));
    }

    @Test
    void theStoreKeepsWhatItIsGivenResendsAreTheBrokersToDrop() throws Exception {
        adapter = StoreFixture.started(config());
        MessageStore queue = adapter.queueStore("orders");
        await(queue.add(1, message(orders, "p", 1, 10)));
        await(queue.add(2, message(orders, "p", 1, 10)));
        assertEquals(List.of(1L, 2L), sequences(readAll(queue)));
        assertEquals(1, adapter.transactionStore().producerHighWater("ID:p"));
    }
}
