package io.tern.journal;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;

/**
 * Measures appends per second of 1 KiB records under sync=always with 1 and 8 writer threads, each
 * waiting for its record's completion before appending the next (as a producer waits for its receipt).
 * Prints, never asserts: figures depend on the machine. Run:
 *
 * <pre>
 * java -cp store-journal/target/classes:store-journal/target/test-classes:$HOME/.m2/repository/org/slf4j/slf4j-api/2.0.17/slf4j-api-2.0.17.jar \
 *      io.tern.journal.AppendThroughput [directory] [seconds per run]
 * </pre>
 */
public final class AppendThroughput {

    private AppendThroughput() {
    }

    public static void main(String[] args) throws Exception {
        Path base = args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("tern-journal-bench");
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true);
        out.printf("1 KiB appends, sync=always, %d s per run, directory %s, %d cores, Java %s%n", seconds, base,
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
        for (int writers : new int[]{1, 8, 1, 8}) {
            Path dir = base.resolve("run-" + writers + "-" + System.nanoTime());
            JournalConfig config = JournalConfig.builder().directory(dir).syncPolicy(SyncPolicy.ALWAYS).build();
            try (FileJournal journal = (FileJournal) Journal.open(config)) {
                run(journal, writers, 1, out, false); // warm-up
                run(journal, writers, seconds, out, true);
            }
            delete(dir);
        }
    }

    private static void run(FileJournal journal, int writers, int seconds, PrintStream out, boolean print)
            throws InterruptedException {
        byte[] payload = new byte[1024];
        long forcesBefore = journal.forceCount();
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        long[] counts = new long[writers];
        CountDownLatch done = new CountDownLatch(writers);
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            int writer = w;
            Thread t = new Thread(() -> {
                long n = 0;
                while (System.nanoTime() < deadline) {
                    journal.add(n++, (byte) writer, payload).join();
                }
                counts[writer] = n;
                done.countDown();
            });
            threads.add(t);
            t.start();
        }
        done.await();
        long total = 0;
        for (long c : counts) {
            total += c;
        }
        long forces = journal.forceCount() - forcesBefore;
        if (print) {
            out.printf("%d writer(s): %,d appends/s, %,d forces/s, %.1f records per force%n", writers, total / seconds,
                    forces / seconds, (double) total / Math.max(1, forces));
        }
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
