package io.tern.journal;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;

/**
 * The process {@link JournalCrashTest} kills with {@code kill -9}: it opens the journal with sync=always
 * and appends from several threads until it dies, printing to stdout (flushed) {@code C <id>} for each
 * record and {@code T <tx>} for each transaction whose future has completed.
 *
 * <p>Record IDs are {@code cycle << 40 | writer << 32 | sequence}; the payload is a function of the ID,
 * so the test can check every byte it reads back. Writer 0 writes transactions of
 * {@link #OPERATIONS_PER_TRANSACTION} additions each, with IDs {@code tx * 8 + n}.
 */
public final class CrashChild {

    static final int WRITERS = 4;
    static final int OPERATIONS_PER_TRANSACTION = 3;
    static final int FILE_SIZE = 256 * 1024;

    private CrashChild() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        long cycle = Long.parseLong(args[1]);
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), false);
        Journal journal = Journal.open(JournalConfig.builder().directory(dir).fileSize(FILE_SIZE)
                .syncPolicy(SyncPolicy.ALWAYS).build());
        synchronized (out) {
            out.println("OPEN");
            out.flush();
        }
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < WRITERS; w++) {
            int writer = w;
            Thread t = new Thread(() -> {
                Semaphore window = new Semaphore(16); // several records in flight per writer: larger batches
                for (long seq = 0; ; seq++) {
                    window.acquireUninterruptibly();
                    if (writer == 0) {
                        long tx = id(cycle, 0, seq);
                        for (int n = 0; n < OPERATIONS_PER_TRANSACTION; n++) {
                            journal.addTransactional(tx, tx * 8 + n, (byte) 0, payload(tx * 8 + n));
                        }
                        journal.commit(tx).whenComplete((p, e) -> {
                            report(out, e == null ? "T " + tx : null);
                            window.release();
                        });
                    } else {
                        long id = id(cycle, writer, seq);
                        CompletableFuture<JournalPosition> f = journal.add(id, (byte) writer, payload(id));
                        f.whenComplete((p, e) -> {
                            report(out, e == null ? "C " + id : null);
                            window.release();
                        });
                    }
                }
            }, "crash-writer-" + w);
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
    }

    private static void report(PrintStream out, String line) {
        if (line != null) {
            synchronized (out) {
                out.println(line);
                out.flush();
            }
        }
    }

    static long id(long cycle, int writer, long seq) {
        return cycle << 40 | (long) writer << 32 | seq;
    }

    static byte[] payload(long id) {
        int length = 16 + (int) Long.remainderUnsigned(id * 2654435761L, 2000);
        byte[] b = new byte[length];
        ByteBuffer buf = ByteBuffer.wrap(b).putLong(id).putLong(~id);
        while (buf.hasRemaining()) {
            buf.put((byte) (id + buf.position()));
        }
        return b;
    }
}
