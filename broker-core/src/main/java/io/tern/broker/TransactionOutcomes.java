package io.tern.broker;

import io.tern.store.TransactionStore;
import jakarta.jms.JMSException;
import jakarta.jms.TransactionRolledBackException;

import java.io.IOException;
import java.time.Clock;
import java.util.Iterator;
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
 * <p>Each key is IN_PROGRESS while a commit (or a question about it) is being worked out, then COMMITTED
 * or REFUSED. Answering "not committed" makes the key REFUSED, and a commit with that key that arrives
 * afterwards (still in flight on the half-dead old connection) is refused: so a "no" is final. A key this
 * broker has no entry for (a restart, or pruned) is looked up in the store, where a commit writes its key
 * with its own operations ({@link io.tern.store.TransactionOperation.RecordOutcome}).
 *
 * <p><b>Bound.</b> Resolved entries are kept while there are at most {@value #KEPT} of them, and beyond
 * that as long as they are younger than {@link #MIN_AGE_MILLIS} (10 minutes); IN_PROGRESS entries are never
 * dropped. A COMMITTED entry dropped is still found in the store (when the transaction wrote anything); a
 * REFUSED one guards against a late commit for at least 10 minutes, far longer than a connection takes to
 * be declared dead.
 *
 * <p><b>Threading.</b> The map is guarded by this object's monitor; store look-ups and waits happen
 * outside it, each waiter on the future of the entry it found IN_PROGRESS.
 */
final class TransactionOutcomes {

    static final int KEPT = 100_000;
    static final long MIN_AGE_MILLIS = TimeUnit.MINUTES.toMillis(10);

    private enum State { IN_PROGRESS, COMMITTED, REFUSED }

    private static final class Entry {
        State state = State.IN_PROGRESS;
        long resolvedAt;
        final CompletableFuture<Void> resolved = new CompletableFuture<>();
    }

    private final TransactionStore store;
    private final Clock clock;
    private final long waitMillis;
    /** In order of resolution (an entry is re-inserted when it resolves), oldest first. */
    private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>();

    /** @param waitMillis how long a caller waits for a key another thread is resolving */
    TransactionOutcomes(TransactionStore store, Clock clock, long waitMillis) {
        this.store = store;
        this.clock = clock;
        this.waitMillis = waitMillis;
    }

    /**
     * Claims a key for a commit: afterwards the caller must call {@link #committed} or {@link #abandoned}.
     *
     * @throws TransactionRolledBackException when the key was answered "not committed" already
     * @throws JMSException when the key was committed already (a client reusing keys), or waiting failed
     */
    void claim(String key) throws JMSException {
        while (true) {
            Entry found;
            synchronized (this) {
                found = entries.get(key);
                if (found == null) {
                    entries.put(key, new Entry());
                    return;
                }
                if (found.state == State.REFUSED) {
                    throw new TransactionRolledBackException("the transaction with outcome key '" + key
                            + "' was already reported as not committed; it is rolled back");
                }
                if (found.state == State.COMMITTED) {
                    throw new jakarta.jms.IllegalStateException("outcome key '" + key
                            + "' belongs to a transaction committed already; a key may be used once");
                }
            }
            await(found, key);
        }
    }

    /** The claimed commit is applied. */
    void committed(String key) {
        resolve(key, State.COMMITTED);
    }

    /** The claimed commit failed and applied nothing: the key is free again. */
    void abandoned(String key) {
        Entry e;
        synchronized (this) {
            e = entries.remove(key);
        }
        if (e != null) {
            e.resolved.complete(null);
        }
    }

    /**
     * Whether the transaction with this key committed. Waits while a commit with it is in progress. An
     * answer "no" refuses every later commit with the key.
     */
    boolean wasCommitted(String key) throws JMSException {
        Entry mine;
        while (true) {
            Entry found;
            synchronized (this) {
                found = entries.get(key);
                if (found == null) {
                    mine = new Entry();
                    entries.put(key, mine);
                    break;
                }
                if (found.state != State.IN_PROGRESS) {
                    return found.state == State.COMMITTED;
                }
            }
            await(found, key);
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
        resolve(key, inStore ? State.COMMITTED : State.REFUSED);
        return inStore;
    }

    private void resolve(String key, State state) {
        Entry e;
        synchronized (this) {
            e = entries.remove(key);
            if (e == null) {
                e = new Entry();
            }
            e.state = state;
            e.resolvedAt = clock.millis();
            entries.put(key, e);
            prune(e.resolvedAt);
        }
        e.resolved.complete(null);
    }

    /** Caller holds the monitor. Entries are in resolution order, but IN_PROGRESS ones are skipped. */
    private void prune(long now) {
        Iterator<Map.Entry<String, Entry>> it = entries.entrySet().iterator();
        int excess = entries.size() - KEPT;
        while (excess > 0 && it.hasNext()) {
            Entry e = it.next().getValue();
            if (e.state == State.IN_PROGRESS) {
                continue;
            }
            if (now - e.resolvedAt < MIN_AGE_MILLIS) {
                return;
            }
            it.remove();
            excess--;
        }
    }

    synchronized int size() {
        return entries.size();
    }

    private void await(Entry e, String key) throws JMSException {
        try {
            e.resolved.get(waitMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new JMSException("interrupted while waiting for the outcome of transaction '" + key + "'");
        } catch (ExecutionException | TimeoutException ex) {
            throw new JMSException("the outcome of transaction '" + key + "' was not known within " + waitMillis
                    + " ms; ask again");
        }
    }
}
