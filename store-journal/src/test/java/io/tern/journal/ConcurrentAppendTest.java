package io.tern.journal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConcurrentAppendTest {

    private static final int WRITERS = 8;

    @TempDir
    Path dir;

    @Test
    void manyConcurrentWritersAllCompleteAndReplayInOrderPerWriter() throws Exception {
        int perWriter = 5000;
        JournalConfig config = JournalConfig.builder().directory(dir).fileSize(1024 * 1024).build();
        try (Journal journal = Journal.open(config)) {
            ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
            List<Future<List<JournalPosition>>> results = new ArrayList<>();
            for (int w = 0; w < WRITERS; w++) {
                int writer = w;
                results.add(pool.submit(() -> {
                    List<CompletableFuture<JournalPosition>> inFlight = new ArrayList<>();
                    List<JournalPosition> positions = new ArrayList<>();
                    for (int seq = 0; seq < perWriter; seq++) {
                        inFlight.add(journal.add(id(writer, seq), (byte) writer, payload(writer, seq)));
                        if (inFlight.size() == 64) {
                            inFlight.forEach(f -> positions.add(f.join()));
                            inFlight.clear();
                        }
                    }
                    inFlight.forEach(f -> positions.add(f.join()));
                    return positions;
                }));
            }
            for (Future<List<JournalPosition>> r : results) {
                List<JournalPosition> positions = r.get();
                assertEquals(perWriter, positions.size());
                for (int i = 1; i < positions.size(); i++) {
                    assertTrue(positions.get(i - 1).compareTo(positions.get(i)) < 0, "positions follow call order");
                }
            }
            pool.shutdown();
            assertTrue(journal.segments().size() > 3, "the test spans several segment rolls");

            int[] next = new int[WRITERS];
            CollectingVisitor v = CollectingVisitor.replayAll(journal);
            assertEquals(WRITERS * perWriter, v.operations.size());
            for (JournalRecord r : v.operations) {
                int writer = r.recordType();
                assertEquals(id(writer, next[writer]), r.recordId(), "writer " + writer + " replays in order");
                assertEquals(ByteBuffer.wrap(payload(writer, next[writer])), ByteBuffer.wrap(r.payload()));
                next[writer]++;
            }
            assertTrue(v.corruptions.isEmpty());
        }
    }

    @Test
    void groupCommitSharesOneForceAmongConcurrentWriters() throws Exception {
        int perWriter = 300;
        JournalConfig config = JournalConfig.builder().directory(dir).build();
        try (FileJournal journal = (FileJournal) Journal.open(config)) {
            long before = journal.forceCount();
            ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < WRITERS; w++) {
                int writer = w;
                done.add(pool.submit(() -> {
                    for (int seq = 0; seq < perWriter; seq++) {
                        // each writer waits for its record to be on disk before the next, as a producer does
                        journal.add(id(writer, seq), (byte) writer, payload(writer, seq)).join();
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
            pool.shutdown();
            long forces = journal.forceCount() - before;
            long appends = (long) WRITERS * perWriter;
            assertTrue(forces * 2 <= appends, "8 writers under sync=always forced " + forces + " times for " + appends
                    + " appends: at least two records per force expected");
        }
    }

    @Test
    void aLoneWriterUnderAlwaysForcesOncePerAppend() throws IOException {
        JournalConfig config = JournalConfig.builder().directory(dir).build();
        try (FileJournal journal = (FileJournal) Journal.open(config)) {
            long before = journal.forceCount();
            for (int i = 0; i < 50; i++) {
                journal.add(i, (byte) 0, payload(0, i)).join();
            }
            assertEquals(50, journal.forceCount() - before);
        }
    }

    static long id(int writer, int seq) {
        return ((long) writer << 32) | seq;
    }

    static byte[] payload(int writer, int seq) {
        int length = 8 + (seq * 31 + writer * 7) % 200;
        byte[] b = new byte[length];
        ByteBuffer.wrap(b).putInt(writer).putInt(seq);
        for (int i = 8; i < length; i++) {
            b[i] = (byte) (seq + i);
        }
        return b;
    }

}
