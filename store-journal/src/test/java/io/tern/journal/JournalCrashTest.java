package io.tern.journal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Kills a journal-writing child JVM with SIGKILL ({@code Process.destroyForcibly} on Linux) at random
 * moments, then reopens the journal and checks: every record and transaction whose future completed in
 * the child is present; every payload is intact; what is present of each writer is a prefix of what it
 * wrote (a crash loses only the tail); no transaction is present in part; recovery reports no corruption.
 * The same directory is used for every cycle, so each cycle also recovers the previous crash.
 *
 * <p>Cycles: {@code journal.crash.cycles} (5 by default; {@code mvn -Pcrash-long} runs 200).
 */
class JournalCrashTest {

    @TempDir
    Path base;

    @Test
    void everyCompletedRecordSurvivesKillDashNine() throws Exception {
        int cycles = Integer.getInteger("journal.crash.cycles", 5);
        Path dir = base.resolve("journal");
        Random random = new Random();
        Set<Long> completedRecords = new HashSet<>();
        Set<Long> completedTransactions = new HashSet<>();
        for (int cycle = 1; cycle <= cycles; cycle++) {
            int target = random.nextInt(3000);
            runChildUntilKilled(dir, cycle, target, completedRecords, completedTransactions);
            try (Journal journal = Journal.open(JournalConfig.builder().directory(dir).fileSize(CrashChild.FILE_SIZE).build())) {
                assertEquals(List.of(), journal.corruptions(), "cycle " + cycle + ": kill -9 leaves no corruption");
                verify(journal, cycle, completedRecords, completedTransactions);
            }
        }
    }

    private void runChildUntilKilled(Path dir, int cycle, int target, Set<Long> records, Set<Long> transactions)
            throws Exception {
        Path stderr = base.resolve("child-" + cycle + ".err");
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx128m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                CrashChild.class.getName(), dir.toString(), Integer.toString(cycle))
                .redirectError(stderr.toFile())
                .start();
        AtomicBoolean open = new AtomicBoolean();
        AtomicInteger completed = new AtomicInteger();
        Set<Long> seenRecords = ConcurrentHashMap.newKeySet();
        Set<Long> seenTransactions = ConcurrentHashMap.newKeySet();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    if (line.equals("OPEN")) {
                        open.set(true);
                    } else if (line.startsWith("C ")) {
                        seenRecords.add(Long.parseLong(line.substring(2)));
                        completed.incrementAndGet();
                    } else if (line.startsWith("T ")) {
                        seenTransactions.add(Long.parseLong(line.substring(2)));
                        completed.incrementAndGet();
                    }
                }
            } catch (IOException | NumberFormatException e) {
                // the pipe closes when the child dies; a half-written last line is not a completion
            }
        }, "crash-child-reader");
        reader.start();
        // A hang guard, not a timing assertion: the child normally gets there in well under a second.
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!(open.get() && completed.get() >= target) && child.isAlive() && System.nanoTime() < giveUp) {
            Thread.sleep(1);
        }
        if (!child.isAlive()) {
            fail("cycle " + cycle + ": the child exited with " + child.exitValue() + ": " + Files.readString(stderr));
        }
        if (!open.get() || completed.get() < target) {
            child.destroyForcibly();
            fail("cycle " + cycle + ": the child made no progress: " + Files.readString(stderr));
        }
        child.destroyForcibly(); // SIGKILL
        child.waitFor();
        reader.join();
        records.addAll(seenRecords);
        transactions.addAll(seenTransactions);
    }

    private static void verify(Journal journal, int cycle, Set<Long> completedRecords, Set<Long> completedTransactions)
            throws IOException {
        CollectingVisitor v = CollectingVisitor.replayAll(journal);
        assertEquals(List.of(), v.corruptions);
        assertEquals(List.of(), v.prepared);
        Set<Long> present = new HashSet<>();
        Map<Long, Integer> operationsPerTransaction = new HashMap<>();
        Map<Long, Long> nextSequence = new HashMap<>(); // per (cycle, writer): what is present is a prefix
        for (JournalRecord r : v.operations) {
            assertArrayEquals(CrashChild.payload(r.recordId()), r.payload(), "payload of " + r);
            assertTrue(present.add(r.recordId()), "record " + r.recordId() + " replayed twice");
            long streamKey;
            long sequence;
            if (r.kind() == RecordKind.ADD_TX) {
                long tx = r.transactionId();
                assertEquals(tx, r.recordId() / 8);
                operationsPerTransaction.merge(tx, 1, Integer::sum);
                streamKey = tx >>> 32;
                sequence = tx & 0xFFFFFFFFL;
                if (r.recordId() % 8 != 0) {
                    continue; // count a transaction's sequence once
                }
            } else {
                assertEquals(RecordKind.ADD, r.kind());
                streamKey = r.recordId() >>> 32;
                sequence = r.recordId() & 0xFFFFFFFFL;
            }
            long expected = nextSequence.getOrDefault(streamKey, 0L);
            assertEquals(expected, sequence, "writer stream " + Long.toHexString(streamKey) + " has a gap");
            nextSequence.put(streamKey, expected + 1);
        }
        operationsPerTransaction.forEach((tx, n) ->
                assertEquals(CrashChild.OPERATIONS_PER_TRANSACTION, n, "transaction " + tx + " is present in part"));
        for (long id : completedRecords) {
            assertTrue(present.contains(id), "cycle " + cycle + ": completed record " + Long.toHexString(id) + " is lost");
        }
        for (long tx : completedTransactions) {
            assertTrue(operationsPerTransaction.containsKey(tx),
                    "cycle " + cycle + ": committed transaction " + Long.toHexString(tx) + " is lost");
        }
    }
}
