package io.tern.broker;

import io.tern.broker.destination.DispatchQueue;
import io.tern.broker.destination.TopicDestination;
import io.tern.broker.destination.TopicSubscription;
import io.tern.store.GlobalTransactionId;
import io.tern.store.PersistenceAdapter;
import io.tern.store.TransactionOperation;
import io.tern.transport.UnknownTransactionException;
import jakarta.jms.JMSException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The two-phase transactions a broker holds prepared, whichever connection prepared them: a transaction
 * manager may commit from another connection, or after the broker restarted. Prepared work is in the
 * store; its in-memory effects wait here. After a restart the messages a prepared transaction consumed
 * stay locked (delivered to nobody) until it is resolved.
 *
 * <p>Thread-safe: the map is guarded by this object's monitor; store waits happen outside it.
 */
final class PreparedTransactions {

    private static final Logger LOG = LoggerFactory.getLogger(PreparedTransactions.class);

    private final PersistenceAdapter store;
    private final DestinationRegistry destinations;
    private final long timeoutMillis;
    private final Map<GlobalTransactionId, TransactionWork> prepared = new LinkedHashMap<>();

    PreparedTransactions(PersistenceAdapter store, DestinationRegistry destinations, long timeoutMillis) {
        this.store = store;
        this.destinations = destinations;
        this.timeoutMillis = timeoutMillis;
    }

    void prepare(GlobalTransactionId xid, TransactionWork work) throws JMSException {
        synchronized (this) {
            if (prepared.containsKey(xid)) {
                work.rolledBack();
                throw new JMSException("transaction " + xid + " is already prepared");
            }
            prepared.put(xid, work);
        }
        try {
            await(store.transactionStore().prepare(xid, work.operations()), "prepare " + xid);
        } catch (JMSException e) {
            synchronized (this) {
                prepared.remove(xid);
            }
            work.rolledBack();
            throw e;
        }
    }

    void commit(GlobalTransactionId xid) throws JMSException {
        TransactionWork work = take(xid);
        try {
            await(store.transactionStore().commitPrepared(xid), "commit " + xid);
        } catch (JMSException e) {
            synchronized (this) {
                prepared.put(xid, work);
            }
            throw e;
        }
        work.committed();
    }

    void rollback(GlobalTransactionId xid) throws JMSException {
        TransactionWork work = take(xid);
        try {
            await(store.transactionStore().rollbackPrepared(xid), "roll back " + xid);
        } catch (JMSException e) {
            synchronized (this) {
                prepared.put(xid, work);
            }
            throw e;
        }
        work.rolledBack();
    }

    synchronized List<GlobalTransactionId> prepared() {
        return new ArrayList<>(prepared.keySet());
    }

    private synchronized TransactionWork take(GlobalTransactionId xid) throws JMSException {
        TransactionWork work = prepared.remove(xid);
        if (work == null) {
            throw new UnknownTransactionException("no prepared transaction " + xid + " on this broker");
        }
        return work;
    }

    /**
     * Takes back what the store holds prepared: the consumed messages are locked in their queues, the
     * sequences of the sends are reserved, and the effects wait for the outcome.
     */
    void recover() throws IOException {
        Map<GlobalTransactionId, List<TransactionOperation>> recovered = store.transactionStore().recoverPrepared();
        for (Map.Entry<GlobalTransactionId, List<TransactionOperation>> e : recovered.entrySet()) {
            TransactionWork work = new TransactionWork();
            for (TransactionOperation op : e.getValue()) {
                work.addOperation(op);
                restore(op, work);
            }
            synchronized (this) {
                prepared.put(e.getKey(), work);
            }
        }
        if (!recovered.isEmpty()) {
            LOG.info("Recovered {} prepared transactions; they wait for their transaction manager", recovered.size());
        }
    }

    private void restore(TransactionOperation op, TransactionWork work) {
        if (op instanceof TransactionOperation.QueueAdd add) {
            DispatchQueue q = destinations.definedQueue(add.queue());
            q.reserveAbove(add.sequence());
            work.onCommitted(() -> q.offer(add.sequence(), add.message(), true));
            work.onRolledBack(() -> q.cancelReservation(add.sequence()));
        } else if (op instanceof TransactionOperation.TopicAdd add) {
            TopicDestination t = destinations.definedTopic(add.topic());
            t.reserveAbove(add.sequence());
            work.onCommitted(() -> t.offerCommitted(add.sequence(), add.message(), add.subscriptionKeys(), null, null));
            work.onRolledBack(() -> t.cancelReservation(add.sequence()));
        } else if (op instanceof TransactionOperation.QueueRemove remove) {
            lock(destinations.definedQueue(remove.queue()), remove.sequence(), work);
        } else if (op instanceof TransactionOperation.TopicAcknowledge ack) {
            TopicSubscription sub = destinations.definedTopic(ack.topic()).subscription(ack.subscriptionKey());
            if (sub != null) {
                lock(sub.queue(), ack.sequence(), work);
            }
        }
    }

    private static void lock(DispatchQueue queue, long sequence, TransactionWork work) {
        queue.lockRecovered(sequence);
        work.onCommitted(() -> queue.resolveLocked(sequence, true));
        work.onRolledBack(() -> queue.resolveLocked(sequence, false));
    }

    private void await(CompletionStage<Void> stage, String what) throws JMSException {
        try {
            stage.toCompletableFuture().get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JMSException("interrupted while waiting for the store to " + what);
        } catch (ExecutionException e) {
            JMSException j = new JMSException("the store failed to " + what + ": " + e.getCause().getMessage());
            j.initCause(e.getCause());
            throw j;
        } catch (TimeoutException e) {
            throw new JMSException("the store did not " + what + " within " + timeoutMillis + " ms");
        }
    }
}
