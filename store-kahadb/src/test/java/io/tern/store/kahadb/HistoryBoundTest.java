package io.tern.store.kahadb;

import io.tern.protocol.Address;
import io.tern.store.MessageStore;
import io.tern.store.TransactionOperation.QueueRemove;
import io.tern.store.TransactionOperation.RecordOutcome;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import static io.tern.store.kahadb.StoreFixture.await;
import static io.tern.store.kahadb.StoreFixture.message;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Outcome keys and producer marks are bounded: cleanup keeps the newest {@value OutcomeKeys#KEPT} keys and
 * the {@value ProducerMarks#KEPT} producers that stored most recently, and drops the rest.
 */
class HistoryBoundTest {

    private static final int EXTRA = 50;

    @TempDir
    Path directory;

    private KahaDBPersistenceAdapter adapter;

    @AfterEach
    void stop() throws Exception {
        if (adapter != null) {
            adapter.stop();
        }
    }

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void cleanupKeepsTheNewestOutcomeKeysAndProducers() throws Exception {
        adapter = StoreFixture.started(KahaDBConfig.builder(directory).syncPolicy(io.tern.journal.SyncPolicy.NEVER).build());
        Address queue = Address.queue("bounded");
        MessageStore store = adapter.queueStore("bounded");
        int producers = ProducerMarks.KEPT + EXTRA;
        List<CompletionStage<Void>> pending = new ArrayList<>();
        for (int p = 1; p <= producers; p++) {
            pending.add(store.add(p, message(queue, "producer-" + p, 3, 1)));
            pending.add(adapter.transactionStore().commit(List.of(new QueueRemove("bounded", p),
                    new RecordOutcome("key-" + p))));
            if (pending.size() >= 2000) {
                pending.forEach(StoreFixture::await);
                pending.clear();
            }
        }
        pending.forEach(StoreFixture::await);
        // A producer seen long ago stores again: it is among the most recent now.
        await(store.add(producers + 1, message(queue, "producer-1", 9, 1)));

        adapter.cleanup();

        assertEquals(9, adapter.transactionStore().producerHighWater("ID:producer-1"), "stored again lately");
        for (int p = 2; p <= EXTRA + 1; p++) {
            assertEquals(0, adapter.transactionStore().producerHighWater("ID:producer-" + p), "producer " + p);
        }
        assertEquals(3, adapter.transactionStore().producerHighWater("ID:producer-" + (EXTRA + 2)));
        assertEquals(3, adapter.transactionStore().producerHighWater("ID:producer-" + producers));
        for (int p = 1; p <= EXTRA; p++) {
            assertFalse(adapter.transactionStore().hasCommitted("key-" + p), "key " + p);
        }
        assertTrue(adapter.transactionStore().hasCommitted("key-" + (EXTRA + 1)));
        assertTrue(adapter.transactionStore().hasCommitted("key-" + producers));
    }
}
