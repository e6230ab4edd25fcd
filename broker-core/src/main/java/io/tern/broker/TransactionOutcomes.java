package io.tern.broker;

import io.tern.store.TransactionStore;
import jakarta.jms.JMSException;
import jakarta.jms.TransactionRolledBackException;

import java.io.IOException;
import java.time.Clock;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * What became of the transactions committed with an outcome key, so a client that lost a commit's reply
 * (a failover client whose connection dropped) can ask on its next connection whether it was applied.
 *
 * <p>A key is in progress while a commit (or a question about it) is being worked out, then committed or
 * refused. Answering "not committed" makes the key refused, and a commit with that key that arrives
 * afterwards (still in flight on the half-dead old connection) is refused: so a "no" is final. A key this
 * broker has no entry for (a restart, or pruned) is looked up in the store, where a commit writes its key
 * with its own operations ({@link io.tern.store.TransactionOperation.RecordOutcome}).
 *
 * <p><b>Bound.</b> Memory stays bounded whatever the commit rate: the newest {@code kept} committed keys
 * are held (100,000 by default: a question comes seconds after the failover, and older keys are still in
 * the store when their transaction wrote anything), and refused keys for {@link #REFUSED_FOR_MILLIS} (10
 * minutes, far longer than a connection takes to be declared dead, so a late commit is still refused) up to
 * {@code kept} of them; they are rare, since only a question about a commit that never arrived makes one.
 * Keys in progress are never dropped. A resolved key costs its string and a map entry, nothing more.
 *
 * <p><b>Threading.</b> The maps are guarded by this object's monitor; store look-ups and waits happen
 * outside it, each waiter on the future of the key it found in progress.
 */
final class TransactionOutcomes {

    static final int KEPT = 100_000;
    static final long REFUSED_FOR_MILLIS = TimeUnit.MINUTES.toMillis(10);

    private final TransactionStore store;
    private final Clock clock;
    private final long waitMillis;
    private final int kept;
    /** Keys being committed or asked about; the future completes when they resolve. */
    private final Map<String, CompletableFuture<Void>> inProgress = new HashMap<>();
    /** Committed keys, oldest first. */
    private final LinkedHashSet<String> committed = new LinkedHashSet<>();
    /** Refused keys and when they were refused, oldest first. */
    private final LinkedHashMap<String, Long> refused = new LinkedHashMap<>();

    /** @param waitMillis how long a caller waits for a key another thread is resolving */
    TransactionOutcomes(TransactionStore store, Clock clock, long waitMillis) {
        this(store, clock, waitMillis, KEPT);
    }

    TransactionOutcomes(TransactionStore store, Clock clock, long waitMillis, int kept) {
        this.store = store;
        this.clock = clock;
        this.waitMillis = waitMillis;
        this.kept = kept;
    }

    /**
     * Claims a key for a commit: afterwards the caller must call {@link #committed} or {@link #abandoned}.
     *
     * @throws TransactionRolledBackException when the key was answered "not committed" already
     * @throws JMSException when the key was committed already (a client reusing keys), or waiting failed
     */
    void claim(String key) throws JMSException {
        while (true) {
            CompletableFuture<Void> pending;
            synchronized (this) {
                pending = inProgress.get(key);
                if (pending == null) {
                    if (refused.containsKey(key)) {
                        throw new TransactionRolledBackException("the transaction with outcome key '" + key
                                + "' was already reported as not committed; it is rolled back");
                    }
                    if (committed.contains(key)) {
                        throw new jakarta.jms.IllegalStateException("outcome key '" + key
                                + "' belongs to a transaction committed already; a key may be used once");
                    }
                    inProgress.put(key, new CompletableFuture<>());
                    return;
                }
            }
            await(pending, key);
        }
    }

    /** The claimed commit is applied. */
    void committed(String key) {
        resolve(key, true);
    }

    /** The claimed commit failed and applied nothing: the key is free again. */
    void abandoned(String key) {
        CompletableFuture<Void> pending;
        synchronized (this) {
            pending = inProgress.remove(key);
        }
        if (pending != null) {
            pending.complete(null);
        }
    }

    /**
     * Whether the transaction with this key committed. Waits while a commit with it is in progress. An
     * answer "no" refuses every later commit with the key.
     */
    boolean wasCommitted(String key) throws JMSException {
        while (true) {
            CompletableFuture<Void> pending;
            synchronized (this) {
                pending = inProgress.get(key);
                if (pending == null) {
                    if (committed.contains(key)) {
                        return true;
                    }
                    if (refused.containsKey(key)) {
                        return false;
                    }
                    inProgress.put(key, new CompletableFuture<>());
                    break;
                }
            }
            await(pending, key);
        }
        boolean inStore;
        try {
            inStore = store.hasCommitted(key);
        } catch (IOException | RuntimeException e) {
            abandoned(key);
            JMSException j = new JMSException("cannot read the outcome of transaction '" + key + "' from the store: "
                    + e.getMessage());
            j.initCause(e);
            throw j;
        }
        resolve(key, inStore);
        return inStore;
    }

    private void resolve(String key, boolean wasCommitted) {
        CompletableFuture<Void> pending;
        synchronized (this) {
            pending = inProgress.remove(key);
            long now = clock.millis();
            if (wasCommitted) {
                committed.add(key);
                if (committed.size() > kept) {
                    Iterator<String> oldest = committed.iterator();
                    oldest.next();
                    oldest.remove();
                }
            } else {
                refused.put(key, now);
            }
            Iterator<Map.Entry<String, Long>> it = refused.entrySet().iterator();
            while (it.hasNext()) {
                Map.Entry<String, Long> oldest = it.next();
                if (refused.size() <= kept && now - oldest.getValue() < REFUSED_FOR_MILLIS) {
                    break;
                }
                it.remove();
            }
        }
        if (pending != null) {
            pending.complete(null);
        }
    }

    /** Keys held: in progress, committed and refused. */
    synchronized int size() {
        return inProgress.size() + committed.size() + refused.size();
    }

    private void await(CompletableFuture<Void> pending, String key) throws JMSException {
        try {
            pending.get(waitMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new JMSException("interrupted while waiting for the outcome of transaction '" + key + "'");
        } catch (ExecutionException | TimeoutException ex) {
            throw new JMSException("the outcome of transaction '" + key + "' was not known within " + waitMillis
                    + " ms; ask again");
        }
    }
}
