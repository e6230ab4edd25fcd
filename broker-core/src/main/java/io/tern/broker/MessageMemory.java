package io.tern.broker;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The broker-wide budget of heap for messages held in memory. Destinations charge what they hold and
 * release it when a message is consumed or paged out; producers wait on {@link #whenAvailable()} when
 * the budget is spent. A destination may overshoot by the message it is adding: the limit is a
 * threshold for holding producers back, not a hard cap on allocation.
 *
 * <p>Thread-safe: any thread charges and releases; waiters are completed by whoever releases.
 */
public final class MessageMemory {

    private final long limit;
    private final AtomicLong used = new AtomicLong();
    private final List<CompletableFuture<Void>> waiters = new ArrayList<>();

    public MessageMemory(long limit) {
        if (limit <= 0) {
            throw new IllegalArgumentException("memory limit must be positive, was " + limit);
        }
        this.limit = limit;
    }

    public long limit() {
        return limit;
    }

    public long used() {
        return used.get();
    }

    public boolean isFull() {
        return used.get() >= limit;
    }

    public void charge(long bytes) {
        used.addAndGet(bytes);
    }

    public void release(long bytes) {
        if (used.addAndGet(-bytes) < limit) {
            List<CompletableFuture<Void>> ready;
            synchronized (waiters) {
                if (waiters.isEmpty()) {
                    return;
                }
                ready = new ArrayList<>(waiters);
                waiters.clear();
            }
            ready.forEach(f -> f.complete(null));
        }
    }

    /** Completes when the budget is no longer spent (at once if it is not). */
    public CompletableFuture<Void> whenAvailable() {
        CompletableFuture<Void> f = new CompletableFuture<>();
        synchronized (waiters) {
            if (!isFull()) {
                f.complete(null);
            } else {
                waiters.add(f);
            }
        }
        return f;
    }

    /** Wakes every waiter, for example when the broker stops. */
    public void wakeAll() {
        List<CompletableFuture<Void>> ready;
        synchronized (waiters) {
            ready = new ArrayList<>(waiters);
            waiters.clear();
        }
        ready.forEach(f -> f.complete(null));
    }
}
