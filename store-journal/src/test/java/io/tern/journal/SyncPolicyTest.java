package io.tern.journal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SyncPolicyTest {

    @TempDir
    Path dir;

    private FileJournal open(SyncPolicy policy, Duration interval) throws IOException {
        return (FileJournal) Journal.open(JournalConfig.builder().directory(dir).fileSize(64 * 1024)
                .syncPolicy(policy).syncInterval(interval).build());
    }

    @Test
    void alwaysCompletesOnlyAfterTheForce() throws IOException {
        try (FileJournal journal = open(SyncPolicy.ALWAYS, Duration.ofSeconds(1))) {
            for (int i = 0; i < 20; i++) {
                long forcesBefore = journal.forceCount();
                long forcesAtCompletion = journal.add(i, (byte) 1, new byte[8]).thenApply(p -> journal.forceCount()).join();
                assertTrue(forcesAtCompletion > forcesBefore, "completed before a force");
            }
        }
    }

    @Test
    void periodicCompletesAfterTheWriteAndForcesOnlyOnItsInterval() throws IOException {
        try (FileJournal journal = open(SyncPolicy.PERIODIC, Duration.ofHours(1))) {
            for (int i = 0; i < 20; i++) {
                journal.add(i, (byte) 1, new byte[8]).join();
            }
            assertEquals(0, journal.forceCount(), "an hour has not passed");
            journal.sync().join();
            assertEquals(1, journal.forceCount(), "sync forces whatever the policy");
            journal.sync().join();
            assertEquals(1, journal.forceCount(), "nothing new to force");
        }
    }

    @Test
    void periodicForcesOnceTheIntervalHasPassedWithoutFurtherAppends() throws Exception {
        try (FileJournal journal = open(SyncPolicy.PERIODIC, Duration.ofMillis(20))) {
            journal.add(1, (byte) 1, new byte[8]).join();
            long giveUp = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (journal.forceCount() == 0 && System.nanoTime() < giveUp) {
                Thread.sleep(5);
            }
            assertEquals(1, journal.forceCount(), "the idle writer forces the written record on its interval");
        }
    }

    @Test
    void neverForcesOnlyOnSyncAndClose() throws IOException {
        try (FileJournal journal = open(SyncPolicy.NEVER, Duration.ofMillis(1))) {
            for (int i = 0; i < 20; i++) {
                journal.add(i, (byte) 1, new byte[8]).join();
            }
            assertEquals(0, journal.forceCount());
            journal.sync().join();
            assertEquals(1, journal.forceCount());
            journal.add(99, (byte) 1, new byte[8]).join();
            assertEquals(1, journal.forceCount());
        }
    }
}
