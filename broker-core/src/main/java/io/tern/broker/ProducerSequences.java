package io.tern.broker;

import io.tern.protocol.MessageSnapshot;
import io.tern.store.TransactionStore;

import java.io.IOException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Duplicate detection of sends: per producer ID, the highest producer sequence the broker accepted. A
 * failover client resends every send whose receipt it did not get, with the same producer ID and sequence;
 * a producer's sends reach the broker in order, so a send at or below its producer's highest is a resend
 * and is dropped, whether the original is still stored, consumed already, or still being stored (then the
 * resend completes when the original does, with its outcome).
 *
 * <p><b>Bound.</b> The {@value #PRODUCERS_KEPT} producers that sent most recently are kept in memory. A
 * producer this broker has no entry for (new, evicted, or the broker restarted) starts from the store's
 * high-water mark for it ({@link TransactionStore#producerHighWater}), which covers the persistent messages
 * the store kept; so after a restart the resend of a persistent message is still recognised, that of a
 * non-persistent one (lost with the broker anyway) is not.
 *
 * <p>A send that failed after it was accepted gives its sequence back when it is still its producer's
 * highest, so a resend of it goes through. Sends without a producer ID or sequence (copies the broker
 * routes to a dead-letter queue) are never taken for resends.
 *
 * <p><b>Threading.</b> The map and every producer's state are guarded by this object's monitor; the store
 * look-up for a producer not in memory happens outside it.
 */
final class ProducerSequences {

    static final int PRODUCERS_KEPT = 10_000;

    private static final class Producer {
        long highest;
        /** Accepted sends not yet completed, by sequence: what a resend of one of them waits for. */
        final Map<Long, CompletableFuture<Void>> inProgress = new HashMap<>();

        Producer(long highest) {
            this.highest = highest;
        }
    }

    private final TransactionStore store;
    private final LinkedHashMap<String, Producer> producers = new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Producer> eldest) {
            return size() > PRODUCERS_KEPT;
        }
    };

    ProducerSequences(TransactionStore store) {
        this.store = store;
    }

    /** What {@link #judge} found: a new send (report its outcome with {@link #sent}) or a resend. */
    final class Judgement {
        private final Producer producer;
        private final long sequence;
        private final CompletableFuture<Void> original;

        private Judgement(Producer producer, long sequence, CompletableFuture<Void> original) {
            this.producer = producer;
            this.sequence = sequence;
            this.original = original;
        }

        boolean isResend() {
            return original != null;
        }

        /** For a resend: completes when the original's write does, with its outcome. */
        CompletableFuture<Void> original() {
            return original;
        }

        /** For a new send: its outcome. A failed send gives back its sequence if still the highest. */
        void sent(CompletableFuture<Void> outcome) {
            if (producer != null) {
                outcome.whenComplete((ok, failure) -> settle(producer, sequence, failure));
            }
        }
    }

    private final Judgement untracked = new Judgement(null, 0, null);

    /**
     * Judges a send. A new one is accepted (its sequence becomes its producer's highest): the caller sends
     * it and reports the outcome through {@link Judgement#sent}. A resend is not accepted.
     *
     * @throws IOException when the store cannot say where a producer it knows nothing of stands
     */
    Judgement judge(MessageSnapshot message) throws IOException {
        String id = message.producerId();
        long sequence = message.producerSequence();
        if (id == null || sequence <= 0) {
            return untracked;
        }
        Producer p;
        synchronized (this) {
            p = producers.get(id);
        }
        if (p == null) {
            long stored = store.producerHighWater(id);
            synchronized (this) {
                p = producers.get(id);
                if (p == null) {
                    p = new Producer(stored);
                    producers.put(id, p);
                }
            }
        }
        synchronized (this) {
            if (sequence <= p.highest) {
                CompletableFuture<Void> original = p.inProgress.get(sequence);
                return new Judgement(null, sequence,
                        original == null ? CompletableFuture.completedFuture(null) : original.copy());
            }
            p.highest = sequence;
            p.inProgress.put(sequence, new CompletableFuture<>());
            return new Judgement(p, sequence, null);
        }
    }

    private void settle(Producer p, long sequence, Throwable failure) {
        CompletableFuture<Void> waiting;
        synchronized (this) {
            waiting = p.inProgress.remove(sequence);
            if (failure != null && p.highest == sequence) {
                p.highest = sequence - 1;
            }
        }
        if (waiting != null) {
            if (failure == null) {
                waiting.complete(null);
            } else {
                waiting.completeExceptionally(failure);
            }
        }
    }
}
