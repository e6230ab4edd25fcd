package io.tern.store.kahadb;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import io.tern.store.StoredMessage;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Kill -9 under load: a child JVM runs a broker on kahadb with plain and transacted producers and
 * consumers ({@link BrokerCrashChild}), its store behind {@link RemovalLoggingAdapter}, which prints what
 * the broker asked of the store and what completed. The test kills the child at a random moment, again
 * and again on the same directory ({@code kahadb.crash.cycles}: 20 by default, 300 under -Pkahadb-long),
 * then reads the store and checks it against what it was asked, by queue sequence: every add that
 * completed is still stored unless the broker asked for its removal; nothing whose removal completed is
 * back; every read returned the message written under its sequence; a transaction is all or nothing. End
 * to end, a message received again (in a later run) is always flagged redelivered.
 * End-to-end figures (sends that returned against messages received) are logged too.
 */
class BrokerCrashTest {

    private static final Logger LOG = LoggerFactory.getLogger(BrokerCrashTest.class);

    @TempDir
    Path directory;

    @Test
    @Timeout(value = 60, unit = TimeUnit.MINUTES)
    void messagesSurviveKillMinusNineExactlyOnce() throws Exception {
        int cycles = Integer.getInteger("kahadb.crash.cycles", 20);
        long seed = Long.getLong("kahadb.crash.seed", System.nanoTime());
        Random random = new Random(seed);
        LOG.info("{} kill -9 cycles, seed {}", cycles, seed);
        String cleanup = System.getProperty("crash.cleanup", "700ms");
        Path store = directory.resolve("store");
        // Kept after the test, for the story of a failure.
        Path log = Path.of("target", "crash-logs", "children-" + seed + ".log");
        Files.createDirectories(log.getParent());

        Map<Long, String> written = new HashMap<>();      // sequence -> uid, add completed
        Set<Long> removalAsked = new HashSet<>();        // the broker asked to remove
        Set<Long> removalDone = new HashSet<>();         // the removal completed
        Map<String, Long> readUids = new HashMap<>();    // uid -> sequence, returned by a read
        List<String> readWrong = new ArrayList<>();
        Set<String> sent = new HashSet<>();
        Set<String> received = new HashSet<>();
        Map<String, List<String>> receipts = new HashMap<>();   // uid -> "R"/"V" per receipt, in order
        Map<String, Integer> acknowledged = new HashMap<>();
        for (int cycle = 1; cycle <= cycles; cycle++) {
            Files.writeString(log, "==== cycle " + cycle + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            try (ChildJvm child = ChildJvm.start(log, List.of("-Xmx256m",
                    "-Dorg.slf4j.simpleLogger.log.io.tern.store.kahadb=info", "-Dcrash.cleanup=" + cleanup), BrokerCrashChild.class, store.toString(),
                    String.valueOf(cycle))) {
                if (!child.awaitLine("STARTED", 120, TimeUnit.SECONDS)) {
                    fail("cycle " + cycle + ": the broker did not start; see " + log.toAbsolutePath());
                }
                long killAt = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(150 + random.nextInt(1200));
                List<String> lines = new ArrayList<>();
                while (System.nanoTime() < killAt) {
                    String line = child.nextLine(killAt - System.nanoTime(), TimeUnit.NANOSECONDS);
                    if (line == null && !child.isAlive()) {
                        fail("cycle " + cycle + ": the child died by itself; see " + log.toAbsolutePath());
                    }
                    if (line != null) {
                        lines.add(line);
                    }
                }
                child.kill();
                lines.addAll(child.drainAfterExit());
                for (String line : lines) {
                    String rest = line.length() > 2 ? line.substring(2) : "";
                    switch (line.charAt(0)) {
                        case 'S' -> sent.add(rest);
                        case 'R', 'V' -> {
                            received.add(rest);
                            receipts.computeIfAbsent(rest, u -> new ArrayList<>()).add("cycle " + cycle + ":" + line.charAt(0));
                        }
                        case 'A' -> acknowledged.merge(rest, 1, Integer::sum);
                        case 'D' -> removalAsked.add(sequenceOf(rest));
                        case 'W' -> {
                            if (rest.startsWith("X@")) {
                                removalDone.add(sequenceOf(rest));
                            } else if (rest.startsWith("P")) {
                                String uid = rest.substring(1, rest.indexOf('@'));
                                String truth = written.get(sequenceOf(rest));
                                if (truth != null && !truth.equals(uid)) {
                                    readWrong.add("cycle " + cycle + ": read " + rest + ", written there: " + truth);
                                }
                                readUids.put(uid, sequenceOf(rest));
                            } else {
                                written.put(sequenceOf(rest), rest.substring(0, rest.indexOf('@')));
                            }
                        }
                        case 'F' -> fail("cycle " + cycle + ": " + line + "; see " + log.toAbsolutePath());
                        default -> {
                        }
                    }
                }
            }
        }

        // What the store holds at the end, read straight from it.
        Map<Long, String> stored = new TreeMap<>();
        KahaDBPersistenceAdapter adapter = StoreFixture.started(KahaDBConfig.builder(store).build());
        try {
            for (StoredMessage m : StoreFixture.readAll(adapter.queueStore(BrokerCrashChild.QUEUE))) {
                String previous = stored.put(m.sequence(), (String) m.message().properties().get("uid"));
                assertEquals(null, previous, "sequence " + m.sequence() + " read twice");
            }
        } finally {
            adapter.stop();
        }
        LOG.info("{} cycles (seed {}): {} adds completed, {} removals completed, {} messages left in the store",
                cycles, seed, written.size(), removalDone.size(), stored.size());
        assertTrue(written.size() > cycles * 5, "too little traffic to mean anything: " + written.size() + " adds");

        // The store's promises, against exactly what it was asked:
        assertEquals(List.of(), first(readWrong), "a read returned another message than the one written");
        List<String> lost = written.keySet().stream().filter(s -> !stored.containsKey(s) && !removalAsked.contains(s))
                .sorted().map(s -> s + "=" + written.get(s)).toList();
        if (!lost.isEmpty()) {
            // The journal says what the store was asked: a removal record is only ever written by a removal
            // call, and an add whose file is gone was dead by the store's own accounting. What is left is a
            // message the store dropped on its own.
            Set<Long> inJournal = new HashSet<>();
            Set<Long> removedInJournal = new HashSet<>();
            for (io.tern.journal.JournalRecord r : JournalFiles.records(KahaDBConfig.builder(store).build())) {
                StoreRecord rec = StoreRecord.decode(r.recordType(), r.payload());
                if (rec instanceof StoreRecord.AddMessage add) {
                    inJournal.add(add.sequence());
                } else if (rec instanceof StoreRecord.MoveMessage move) {
                    inJournal.add(move.sequence());
                } else if (rec instanceof StoreRecord.RemoveMessage remove) {
                    removedInJournal.add(remove.sequence());
                }
            }
            List<String> dropped = lost.stream().map(l -> Long.parseLong(l.substring(0, l.indexOf('='))))
                    .filter(seq -> inJournal.contains(seq) && !removedInJournal.contains(seq))
                    .map(seq -> seq + "=" + written.get(seq)).toList();
            assertEquals(List.of(), first(dropped), "adds that completed and were never removed, gone after kill -9"
                    + " (seed " + seed + ")");
            LOG.warn("{} messages were removed through the store's API without the test's log seeing the call: {}",
                    lost.size(), first(lost));
        }
        List<String> resurrected = removalDone.stream().filter(stored::containsKey).sorted()
                .map(s -> s + "=" + stored.get(s)).toList();
        assertEquals(List.of(), first(resurrected), "removals that completed, yet the message is back (seed " + seed + ")");
        Set<String> storedUids = new HashSet<>(stored.values());
        assertEquals(stored.size(), storedUids.size(), "a message stored twice");
        // A commit is all or nothing: a transacted batch is seen whole (written, read back or stored) or not at all.
        Map<String, Set<String>> batches = new TreeMap<>();
        Set<String> seen = new HashSet<>(written.values());
        seen.addAll(readUids.keySet());
        seen.addAll(storedUids);
        for (String uid : seen) {
            if (uid.contains("-t-")) {
                batches.computeIfAbsent(uid.substring(0, uid.lastIndexOf('-')), k -> new HashSet<>()).add(uid);
            }
        }
        List<String> partial = batches.entrySet().stream().filter(e -> e.getValue().size() != BrokerCrashChild.BATCH)
                .map(e -> e.getKey() + "=" + e.getValue()).toList();
        assertEquals(List.of(), first(partial), "transacted batches stored in part");

        // No message comes back to a consumer unless flagged redelivered (JMSRedelivered), also when the broker
        // was killed before it could record the delivery: its dispatch mark says what may have been delivered.
        List<String> unflagged = receipts.entrySet().stream()
                .filter(e -> e.getValue().stream().skip(1).anyMatch(r -> r.endsWith(":R")))
                .map(e -> e.getKey() + "=" + e.getValue()).sorted().toList();
        assertEquals(List.of(), first(unflagged), "messages received again without JMSRedelivered (seed " + seed + ")");
        LOG.info("{} messages were received more than once, every repeat flagged redelivered",
                receipts.values().stream().filter(r -> r.size() > 1).count());

        // End to end, through the broker: every send that returned is acknowledged, in flight or stored.
        // Differences here with the store checks above passing are the broker's; they are logged.
        List<String> notAccounted = sent.stream().filter(u -> !acknowledged.containsKey(u) && !received.contains(u)
                && !storedUids.contains(u)).sorted().toList();
        long ackedTwice = acknowledged.values().stream().filter(n -> n > 1).count();
        if (!notAccounted.isEmpty() || ackedTwice > 0) {
            LOG.warn("Broker-level anomalies with the store consistent: {} sends removed by the broker without a"
                    + " consumer receiving them {}, {} messages acknowledged twice", notAccounted.size(),
                    first(notAccounted), ackedTwice);
        }
    }

    private static long sequenceOf(String uidAtSequence) {
        return Long.parseLong(uidAtSequence.substring(uidAtSequence.indexOf('@') + 1));
    }

    private static <T> List<T> first(List<T> all) {
        return all.subList(0, Math.min(20, all.size()));
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (Exception e) {
            return log.toString();
        }
    }
}
