package io.tern.store.kahadb;

import io.tern.protocol.Address;
import io.tern.protocol.MessageSnapshot;
import io.tern.store.MessageStore;
import io.tern.store.StoredMessage;
import io.tern.store.TransactionOperation;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static io.tern.store.kahadb.StoreFixture.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Readers paging through a queue while plain and transactional writers add (transactions with
 * sequences taken earlier, as the broker reserves them), a remover removes and cleanup compacts: every
 * message read is the one stored under its sequence, and at the end the store holds exactly what was
 * added and not removed.
 */
class ConcurrentReadWriteTest {

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
    void readsMatchTheirSequencesUnderConcurrentWritesRemovalsAndCompaction() throws Exception {
        adapter = StoreFixture.started(StoreFixture.config(directory, 64 * 1024).build());
        MessageStore queue = adapter.queueStore("busy");
        Address a = queue.address();
        AtomicLong sequences = new AtomicLong();
        Map<Long, Boolean> stored = new ConcurrentHashMap<>();
        List<String> wrong = new CopyOnWriteArrayList<>();
        AtomicBoolean done = new AtomicBoolean();
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < 3; w++) {
            threads.add(new Thread(() -> {
                for (int i = 0; i < 1500; i++) {
                    long s = sequences.incrementAndGet();
                    await(queue.add(s, withSequence(a, s)));
                    stored.put(s, true);
                }
            }));
        }
        threads.add(new Thread(() -> {
            for (int i = 0; i < 300; i++) {
                List<TransactionOperation> ops = new ArrayList<>();
                List<Long> batch = new ArrayList<>();
                for (int k = 0; k < 4; k++) {
                    long s = sequences.incrementAndGet();
                    batch.add(s);
                }
                Thread.yield();
                for (long s : batch) {
                    ops.add(new TransactionOperation.QueueAdd("busy", s, withSequence(a, s)));
                }
                await(adapter.transactionStore().commit(ops));
                batch.forEach(s -> stored.put(s, true));
            }
        }));
        threads.add(new Thread(() -> {
            Random random = new Random(1);
            while (!done.get()) {
                List<Long> keys = new ArrayList<>(stored.keySet());
                if (keys.size() > 10) {
                    long s = keys.get(random.nextInt(keys.size()));
                    if (stored.remove(s) != null) {
                        await(queue.remove(s));
                    }
                }
            }
        }));
        for (int r = 0; r < 2; r++) {
            threads.add(new Thread(() -> {
                try {
                    while (!done.get()) {
                        for (StoredMessage m : StoreFixture.readAll(queue)) {
                            Object s = m.message().properties().get("seq");
                            if (!Long.valueOf(m.sequence()).equals(s)) {
                                wrong.add(m.sequence() + " holds " + s);
                            }
                        }
                    }
                } catch (Exception e) {
                    wrong.add(e.toString());
                }
            }));
        }
        threads.add(new Thread(() -> {
            try {
                while (!done.get()) {
                    adapter.checkpoint();
                    adapter.cleanup();
                    Thread.sleep(50);
                }
            } catch (Exception e) {
                wrong.add(e.toString());
            }
        }));
        threads.forEach(Thread::start);
        for (int i = 0; i < 4; i++) {
            threads.get(i).join(TimeUnit.MINUTES.toMillis(2));
        }
        done.set(true);
        for (Thread t : threads) {
            t.join(TimeUnit.MINUTES.toMillis(1));
        }
        assertEquals(List.of(), wrong);
        List<Long> expected = new ArrayList<>(stored.keySet());
        expected.sort(null);
        assertEquals(expected, StoreFixture.sequences(StoreFixture.readAll(queue)));
        adapter.stop();
        adapter = StoreFixture.started(StoreFixture.config(directory, 64 * 1024).build());
        assertEquals(expected, StoreFixture.sequences(StoreFixture.readAll(adapter.queueStore("busy"))));
        assertTrue(JournalFiles.segmentFiles(adapter.config()).size() < 40);
    }

    private static MessageSnapshot withSequence(Address a, long s) {
        return MessageSnapshot.builder().messageId("ID:m-" + s).destination(a).properties(Map.of("seq", s))
                .body(MessageSnapshot.BodyType.BYTES, new byte[200]).build();
    }
}
