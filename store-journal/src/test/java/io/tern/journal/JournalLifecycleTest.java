package io.tern.journal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JournalLifecycleTest {

    @TempDir
    Path dir;

    private JournalConfig config() {
        return JournalConfig.builder().directory(dir).fileSize(64 * 1024).build();
    }

    @Test
    void reopenAfterCloseSeesEverything() throws IOException {
        List<CompletableFuture<JournalPosition>> futures = new ArrayList<>();
        try (Journal journal = Journal.open(config())) {
            for (int i = 0; i < 3000; i++) {
                futures.add(journal.add(i, (byte) 1, new byte[]{(byte) i, (byte) (i >> 8)}));
            }
        }
        // close completed every pending append before it returned
        futures.forEach(f -> assertTrue(f.isDone() && !f.isCompletedExceptionally()));
        try (Journal journal = Journal.open(config())) {
            CollectingVisitor v = CollectingVisitor.replayAll(journal);
            assertEquals(3000, v.operations.size());
            for (int i = 0; i < 3000; i++) {
                JournalRecord r = v.operations.get(i);
                assertEquals(i, r.recordId());
                assertEquals((byte) i, r.payload()[0]);
                assertEquals((byte) (i >> 8), r.payload()[1]);
            }
            assertTrue(journal.corruptions().isEmpty());
            assertTrue(journal.segments().size() > 1, "3000 records of 34 bytes span two 64 KiB segments");
        }
    }

    @Test
    void appendAfterCloseFailsWithIllegalState() throws IOException {
        Journal journal = Journal.open(config());
        journal.close();
        journal.close(); // idempotent
        CompletionException e = assertThrows(CompletionException.class, () -> journal.add(1, (byte) 1, new byte[1]).join());
        assertInstanceOf(IllegalStateException.class, e.getCause());
        e = assertThrows(CompletionException.class, () -> journal.commit(3).join());
        assertInstanceOf(IllegalStateException.class, e.getCause());
        e = assertThrows(CompletionException.class, () -> journal.sync().join());
        assertInstanceOf(IllegalStateException.class, e.getCause());
        assertThrows(IllegalStateException.class, () -> journal.read(new JournalPosition(1, 32)));
    }

    @Test
    void aSecondJournalOnTheSameDirectoryIsRefused() throws IOException {
        try (Journal first = Journal.open(config())) {
            IOException e = assertThrows(IOException.class, () -> Journal.open(config()));
            assertTrue(e.getMessage().contains("journal directory " + dir), e.getMessage());
            first.add(1, (byte) 1, new byte[1]).join();
        }
        try (Journal again = Journal.open(config())) {
            assertEquals(1, CollectingVisitor.replayAll(again).operations.size());
        }
    }

    @Test
    void closeFromACompletionCallbackIsRefused() throws IOException {
        try (Journal journal = Journal.open(config())) {
            Object outcome = null;
            // A callback registered after the future completed runs on this thread instead; try again then.
            for (int attempt = 0; attempt < 100 && outcome == null; attempt++) {
                outcome = journal.add(attempt, (byte) 1, new byte[1]).handle((p, t) -> {
                    if (!Thread.currentThread().getName().startsWith("tern-journal-writer-")) {
                        return null;
                    }
                    try {
                        journal.close();
                        return "closed";
                    } catch (Exception e) {
                        return e;
                    }
                }).join();
            }
            assertInstanceOf(IllegalStateException.class, outcome);
            assertEquals(1, journal.add(1000, (byte) 1, new byte[1]).join().segmentId(), "the journal still works");
        }
    }


    @Test
    void anIoErrorFailsTheJournalUntilItIsReopened() throws IOException {
        List<JournalPosition> acknowledged = new ArrayList<>();
        Journal journal = Journal.open(config());
        // a directory where the next segment's temporary file must go: creating segment 2 fails
        Files.createDirectory(dir.resolve(JournalSegment.fileName(2) + JournalSegment.TEMPORARY_SUFFIX));
        CompletionException failure = null;
        for (int i = 0; i < 10_000 && failure == null; i++) {
            try {
                acknowledged.add(journal.add(i, (byte) 1, new byte[100]).join());
            } catch (CompletionException e) {
                failure = e;
            }
        }
        assertInstanceOf(IOException.class, failure.getCause(), "the append that needed segment 2 gets the I/O error");
        CompletionException later = assertThrows(CompletionException.class, () -> journal.add(1, (byte) 1, new byte[1]).join());
        assertInstanceOf(IllegalStateException.class, later.getCause());
        assertTrue(later.getCause().getMessage().contains("failed"), later.getCause().getMessage());
        journal.close();

        try (Journal reopened = Journal.open(config())) {
            assertEquals(acknowledged.size(), CollectingVisitor.replayAll(reopened).operations.size());
            assertEquals(2, reopened.add(99_999, (byte) 1, new byte[100]).join().segmentId(), "recovery removed the obstacle");
        }
    }

    @Test
    void segmentFilesArePreallocatedAndNamedBySequence() throws IOException {
        try (Journal journal = Journal.open(config())) {
            journal.add(1, (byte) 1, new byte[10]).join();
            SegmentInfo only = journal.segments().get(0);
            assertEquals(dir.resolve("journal-0000000001.log"), only.file());
            assertTrue(only.current());
            assertEquals(64 * 1024, Files.size(only.file()));
        }
    }
}
