package io.tern.store.kahadb;

import io.tern.journal.JournalPosition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * The thread that applies durable journal records to the index, in journal order, and then completes
 * the writers' stages.
 *
 * <p><b>The flow.</b> A writer appends its record(s) to the journal and {@link #enqueue enqueues} a
 * {@link Write} under the store's append lock, so the queue is in journal order. The journal completes
 * each append when it is durable (group commit); its callback only wakes this thread. This thread takes
 * every durable write at the head of the queue (one after another, in order), applies them through the
 * {@link IndexUpdater} into one LevelDB batch, writes the batch (unforced: the journal is the source of
 * truth and a replay redoes what a crash lost), and hands the writers' stages to a completion thread.
 * So index writes are batched as much as the journal's group commit batches appends, and a stage
 * completes only when its change is durable <em>and</em> visible to reads.
 *
 * <p>Stages complete on {@code tern-kahadb-completions-*}, never on this thread or the journal's writer:
 * a broker callback that waits for another store write cannot deadlock the store.
 *
 * <p>{@link #call Tasks} run on this thread in queue order, after every write queued before them has
 * been applied: barriers for stop and compaction, and reading the segment statistics for cleanup.
 *
 * <p><b>Threads.</b> The queue is concurrent; everything else, the updater included, belongs to the
 * applier thread.
 */
final class IndexApplier {

    private static final Logger LOG = LoggerFactory.getLogger(IndexApplier.class);
    /** Writes applied in one LevelDB batch at most. */
    private static final int MAX_BATCH = 4096;

    /** Something in the queue: it runs when it {@link #isDone is done} and everything before it has. */
    private abstract static class Work {
        abstract boolean isDone();
    }

    /**
     * Records appended to the journal: one plain record, or a transaction's operations and its commit.
     * {@code afterApply} runs on the applier once the index holds the change (or the write failed), before
     * the stage completes.
     */
    static final class Write extends Work {
        final List<StoreRecord> records;
        final int[] payloadLengths;
        final List<CompletableFuture<JournalPosition>> positions;
        final CompletableFuture<JournalPosition> commit;
        final CompletableFuture<Void> done = new CompletableFuture<>();
        final Runnable afterApply;

        Write(List<StoreRecord> records, int[] payloadLengths, List<CompletableFuture<JournalPosition>> positions,
              CompletableFuture<JournalPosition> commit, Runnable afterApply) {
            this.records = records;
            this.payloadLengths = payloadLengths;
            this.positions = positions;
            this.commit = commit;
            this.afterApply = afterApply;
        }

        CompletableFuture<JournalPosition> last() {
            return commit != null ? commit : positions.get(positions.size() - 1);
        }

        @Override
        boolean isDone() {
            return last().isDone();
        }
    }

    private static final class Task<T> extends Work {
        final Callable<T> body;
        final CompletableFuture<T> result = new CompletableFuture<>();

        Task(Callable<T> body) {
            this.body = body;
        }

        @Override
        boolean isDone() {
            return true;
        }
    }

    private final IndexUpdater updater;
    private final Queue<Work> queue = new ConcurrentLinkedQueue<>();
    private final ExecutorService completions;
    private final Consumer<Throwable> onFailure;
    private final Thread thread;
    private volatile boolean running = true;
    /** Set on this thread when applying failed; every later write then fails. */
    private volatile Throwable failure;

    /**
     * @param onFailure told once, on the applier thread, when the journal or the index failed and the
     *                  store can no longer write
     */
    IndexApplier(IndexUpdater updater, String name, Consumer<Throwable> onFailure) {
        this.updater = updater;
        this.onFailure = onFailure;
        this.completions = Executors.newSingleThreadExecutor(r -> daemon(r, "tern-kahadb-completions-" + name));
        this.thread = daemon(this::run, "tern-kahadb-index-" + name);
    }

    void start() {
        thread.start();
    }

    /**
     * Queues a write whose journal appends were just made. Callers hold the append lock, so queue order
     * is journal order.
     */
    CompletableFuture<Void> enqueue(Write write) {
        queue.add(write);
        write.last().whenComplete((p, e) -> LockSupport.unpark(thread));
        return write.done;
    }

    /** Runs {@code body} on the applier thread after everything queued before it. */
    <T> CompletableFuture<T> call(Callable<T> body) {
        Task<T> task = new Task<>(body);
        if (!running) {
            task.result.completeExceptionally(new IllegalStateException("the kahadb index applier is stopped"));
            return task.result;
        }
        queue.add(task);
        LockSupport.unpark(thread);
        return task.result;
    }

    /** The failure that stopped writes, or null. */
    Throwable failure() {
        return failure;
    }

    /** Stops the thread once the queue is empty (callers drain it first) and the completion thread. */
    void stop() throws InterruptedException {
        running = false;
        LockSupport.unpark(thread);
        thread.join(TimeUnit.SECONDS.toMillis(30));
        completions.shutdown();
        completions.awaitTermination(30, TimeUnit.SECONDS);
    }

    private void run() {
        List<Write> applied = new ArrayList<>();
        while (running || !queue.isEmpty()) {
            Work head = queue.peek();
            if (head == null || !head.isDone()) {
                LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(50));
                continue;
            }
            try {
                while ((head = queue.peek()) != null && head.isDone() && applied.size() < MAX_BATCH) {
                    queue.poll();
                    if (head instanceof Task<?> task) {
                        finish(applied);
                        runTask(task);
                    } else {
                        apply((Write) head, applied);
                    }
                }
                finish(applied);
            } catch (Throwable t) {
                fail(t, applied);
            }
        }
    }

    private void apply(Write w, List<Write> applied) throws Exception {
        if (failure != null) {
            completeLater(w, failure);
            return;
        }
        JournalPosition next;
        try {
            for (int i = 0; i < w.records.size(); i++) {
                JournalPosition p = w.positions.get(i).join();
                updater.apply(w.records.get(i), Location.of(p, w.payloadLengths[i]));
            }
            if (w.commit != null) {
                next = Location.of(w.commit.join(), 0).next();
            } else {
                next = Location.of(w.positions.get(w.positions.size() - 1).join(),
                        w.payloadLengths[w.payloadLengths.length - 1]).next();
            }
        } catch (CompletionException e) {
            // The journal could not write it (an I/O error is fatal to the journal): nothing is applied.
            Throwable cause = e.getCause() == null ? e : e.getCause();
            finish(applied);
            failed(cause);
            completeLater(w, cause);
            return;
        }
        updater.endEntry(next);
        applied.add(w);
    }

    /** Writes the batch and completes the writers' stages. */
    private void finish(List<Write> applied) throws Exception {
        if (applied.isEmpty()) {
            return;
        }
        updater.flush();
        List<Write> done = new ArrayList<>(applied);
        applied.clear();
        for (Write w : done) {
            w.afterApply.run();
        }
        completions.execute(() -> done.forEach(w -> w.done.complete(null)));
    }

    private <T> void runTask(Task<T> task) {
        try {
            task.result.complete(task.body.call());
        } catch (Throwable t) {
            task.result.completeExceptionally(t);
        }
    }

    private void fail(Throwable t, List<Write> applied) {
        LOG.error("The kahadb index could not be updated; the store stops accepting writes", t);
        failed(t);
        for (Write w : applied) {
            completeLater(w, t);
        }
        applied.clear();
    }

    private void failed(Throwable t) {
        if (failure == null) {
            failure = t;
            onFailure.accept(t);
        }
    }

    private void completeLater(Write w, Throwable t) {
        w.afterApply.run();
        completions.execute(() -> w.done.completeExceptionally(t));
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}
