package io.tern.store.kahadb;

import io.tern.store.ActivationListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

import static io.tern.store.kahadb.StoreFixture.readAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Shared-directory master/slave: a second store on a directory waits in start for the first to stop or
 * die, then takes over; stop ends the wait; losing the lock deactivates the broker.
 */
class SharedDirectoryTest {

    @TempDir
    Path directory;

    private KahaDBConfig config() {
        return KahaDBConfig.builder(directory).journalFileSize(1024 * 1024).lockRetryInterval(Duration.ofMillis(100))
                .build();
    }

    private static CompletableFuture<KahaDBPersistenceAdapter> startAsync(KahaDBPersistenceAdapter adapter) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                adapter.start(ActivationListener.NONE);
                return adapter;
            } catch (IOException e) {
                throw new CompletionException(e);
            }
        });
    }

    private static void assertStillWaiting(CompletableFuture<?> start) throws Exception {
        assertThrows(TimeoutException.class, () -> start.get(500, TimeUnit.MILLISECONDS),
                "the second store started while the first held the directory");
    }

    @Test
    void aSecondStoreWaitsForTheFirstAndTakesOverWhenItStops() throws Exception {
        KahaDBPersistenceAdapter master = StoreFixture.started(config());
        StoreFixture.await(master.queueStore("q").add(1, StoreFixture.message(
                io.tern.protocol.Address.queue("q"), "p", 1, 10)));
        KahaDBPersistenceAdapter slave = new KahaDBPersistenceAdapter(config());
        CompletableFuture<KahaDBPersistenceAdapter> started = startAsync(slave);
        try {
            assertStillWaiting(started);
            master.stop();
            started.get(30, TimeUnit.SECONDS);
            assertEquals(1, readAll(slave.queueStore("q")).size());
        } finally {
            master.stop();
            slave.stop();
        }
    }

    @Test
    void stopEndsAWaitForTheLock() throws Exception {
        KahaDBPersistenceAdapter master = StoreFixture.started(config());
        KahaDBPersistenceAdapter slave = new KahaDBPersistenceAdapter(config());
        CompletableFuture<KahaDBPersistenceAdapter> started = startAsync(slave);
        try {
            assertStillWaiting(started);
            slave.stop();
            ExecutionException e = assertThrows(ExecutionException.class, () -> started.get(30, TimeUnit.SECONDS));
            assertInstanceOf(IOException.class, e.getCause().getCause() == null ? e.getCause() : e.getCause().getCause());
            assertTrue(e.getCause().getMessage().contains("stopped while waiting"), e.getCause().getMessage());
            // The master is untouched.
            assertEquals(0, master.queueStore("q").count());
        } finally {
            master.stop();
        }
    }

    @Test
    void aSlaveTakesOverWhenTheMasterProcessIsKilled() throws Exception {
        try (ChildJvm child = ChildJvm.start(directory.resolve("child.log"), List.of(), LockHolderChild.class,
                directory.toString())) {
            assertTrue(child.awaitLine("READY", 60, TimeUnit.SECONDS), "the child did not open the store");
            KahaDBPersistenceAdapter slave = new KahaDBPersistenceAdapter(config());
            CompletableFuture<KahaDBPersistenceAdapter> started = startAsync(slave);
            try {
                assertStillWaiting(started);
                child.kill();
                started.get(30, TimeUnit.SECONDS);
                assertEquals(1, readAll(slave.queueStore("from-child")).size());
            } finally {
                slave.stop();
            }
        }
    }

    @Test
    void losingTheLockTellsTheBroker() throws Exception {
        KahaDBPersistenceAdapter adapter = new KahaDBPersistenceAdapter(config());
        CountDownLatch lost = new CountDownLatch(1);
        AtomicReference<String> reason = new AtomicReference<>();
        adapter.start(r -> {
            reason.set(r);
            lost.countDown();
        });
        try {
            assertFalse(lost.await(200, TimeUnit.MILLISECONDS));
            Files.delete(config().lockFile());
            assertTrue(lost.await(30, TimeUnit.SECONDS), "activationLost was not called");
            assertTrue(reason.get().contains("lock"), reason.get());
        } finally {
            adapter.stop();
        }
    }
}
