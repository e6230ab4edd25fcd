package io.tern.store.kahadb;

import io.tern.protocol.Address;
import io.tern.store.MessageStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.stream.Stream;

import static io.tern.store.kahadb.StoreFixture.message;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Restart time depends on the work since the last checkpoint, not on the size of the store:
 * {@code kahadb.restart.messages} (100,000 by default, 1,000,000 under -Pkahadb-long) messages of 1 KiB
 * are stored; a clean restart replays nothing, a restart whose index lost the last 1,000 changes replays
 * those only, and a rebuild (index deleted) replays everything. The times are written to
 * {@code target/kahadb-figures.txt}; what is asserted is the number of records replayed, not time.
 */
class RestartTimeTest {

    private static final int SINCE_CHECKPOINT = 1000;

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
    void restartReadsOnlyWhatCameAfterTheCheckpoint() throws Exception {
        int messages = Integer.getInteger("kahadb.restart.messages", 100_000);
        KahaDBConfig config = KahaDBConfig.builder(directory).build();
        adapter = StoreFixture.started(config);
        MessageStore queue = adapter.queueStore("backlog");
        fill(queue, 1, messages);
        adapter.stop();

        long started = System.nanoTime();
        adapter = StoreFixture.started(config);
        long clean = millisSince(started);
        assertEquals(0, adapter.recoveryReport().recordsReplayed());
        assertEquals(messages, adapter.queueStore("backlog").count());
        adapter.stop();

        Path saved = directory.resolve("index-at-checkpoint");
        copy(config.indexDirectory(), saved);
        adapter = StoreFixture.started(config);
        fill(adapter.queueStore("backlog"), messages + 1, messages + SINCE_CHECKPOINT);
        adapter.stop();
        // As a power failure would leave it: the index as of its last checkpoint, the journal complete.
        LevelDbIndex.delete(config.indexDirectory());
        copy(saved, config.indexDirectory());
        started = System.nanoTime();
        adapter = StoreFixture.started(config);
        long afterCheckpoint = millisSince(started);
        StoreEngine.RecoveryReport report = adapter.recoveryReport();
        assertFalse(report.rebuilt());
        assertEquals(SINCE_CHECKPOINT, report.recordsReplayed());
        assertEquals(messages + SINCE_CHECKPOINT, adapter.queueStore("backlog").count());
        adapter.stop();

        LevelDbIndex.delete(config.indexDirectory());
        started = System.nanoTime();
        adapter = StoreFixture.started(config);
        long rebuild = millisSince(started);
        assertTrue(adapter.recoveryReport().rebuilt());
        assertEquals(messages + SINCE_CHECKPOINT + 1, adapter.recoveryReport().recordsReplayed());
        assertEquals(messages + SINCE_CHECKPOINT, adapter.queueStore("backlog").count());

        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target", "kahadb-figures.txt"), String.format(
                "restart with %,d messages of 1 KiB stored (%s index): clean %d ms; %,d changes after the checkpoint"
                        + " %d ms; index rebuilt from the journal %d ms%n", messages + SINCE_CHECKPOINT,
                adapter.engineForTests().index.engine(), clean, SINCE_CHECKPOINT, afterCheckpoint, rebuild),
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    private static void fill(MessageStore queue, long from, long to) {
        Address a = queue.address();
        List<CompletionStage<Void>> pending = new ArrayList<>();
        for (long s = from; s <= to; s++) {
            pending.add(queue.add(s, message(a, "p", s, 1024)));
            if (pending.size() == 2000) {
                pending.forEach(StoreFixture::await);
                pending.clear();
            }
        }
        pending.forEach(StoreFixture::await);
    }

    private static long millisSince(long nanos) {
        return (System.nanoTime() - nanos) / 1_000_000;
    }

    private static void copy(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path f : files.toList()) {
                if (!f.getFileName().toString().equals("LOCK")) {
                    Files.copy(f, to.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }
}
