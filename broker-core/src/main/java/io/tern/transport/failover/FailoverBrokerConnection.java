package io.tern.transport.failover;

import io.tern.protocol.Address;
import io.tern.protocol.MessageSnapshot;
import io.tern.store.GlobalTransactionId;
import io.tern.transport.AcknowledgeOutcomeUnknownException;
import io.tern.transport.BrokerConnection;
import io.tern.transport.ConsumerSpec;
import io.tern.transport.DeliveryListener;
import io.tern.transport.TransactionOutcomeUnknownException;
import io.tern.transport.TransportUri;
import io.tern.transport.tcp.TcpBrokerConnection;
import jakarta.jms.IllegalStateException;
import jakarta.jms.JMSException;
import jakarta.jms.TransactionRolledBackException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * {@code failover:(uri,uri,...)}: a connection that survives the loss of its broker. It holds one connection
 * to one of the brokers at a time (a {@link Link}); when that link drops, a {@link Reconnector} connects to the
 * next broker that answers, a {@link LinkRestore} restores there what the client had (client ID, temporary
 * destinations, consumers, producers' destination checks, as recorded in a {@link RestorableState}), resends
 * every send the broker had not confirmed, in order, and the connection carries on. This class is the
 * {@link BrokerConnection} the client sees, and holds the state machine (connecting, connected, reconnecting,
 * failed, closed) that decides which calls go through.
 *
 * <p><b>What the application sees.</b> Calls made while no broker is connected wait up to the URL's
 * {@code timeout}. Deliveries of a lost link can no longer be acknowledged: the broker released them and
 * delivers them again flagged redelivered, so acknowledging one throws, saying so. A transaction open across
 * the failover is rolled back (its commit throws {@code TransactionRolledBackException}). A commit whose reply
 * was lost is never guessed: it commits under an outcome key and, after reconnecting, asks the broker whether
 * that key committed; when no broker answers in time it throws {@link TransactionOutcomeUnknownException}.
 * The listener's {@link DeliveryListener#onConnectionFailure} is called only when failover gives up
 * ({@code maxReconnectAttempts} exhausted, or the restored state refused for good).
 *
 * <p><b>Delivery IDs.</b> Each link is a new generation; a delivery ID the application sees carries it (see
 * {@link Link}), so an ID of an earlier link is told apart at once.
 *
 * <p><b>Threads.</b> {@link #lock} guards the state ({@link #state}, {@link #current}, the
 * {@link RestorableState} that shares it, with the unconfirmed sends, and the transactions' generations); it is
 * never held during a call to a broker. Application threads make their calls on the current link once the state
 * is CONNECTED, after recording under the lock what a reconnection must restore. A link's I/O thread delivers
 * through the link (which drops deliveries of a link that is no longer current) and reports the link's loss; it
 * never waits for the lock's condition. One reconnecting thread ({@code tern-failover-reconnect}, running the
 * {@link Reconnector}), started when the current link is lost, owns the links it opens until it has restored
 * one and switched the state back to CONNECTED, so application calls never reach a half-restored link.
 * Per-consumer credit on each link is tracked lock-free ({@link LinkCredit}) so that no grant ever takes a
 * consumer beyond its prefetch, whatever the application's consumers still owe from an earlier link.
 */
public final class FailoverBrokerConnection implements BrokerConnection {

    private static final Logger LOG = LoggerFactory.getLogger(FailoverBrokerConnection.class);

    /** Opens a connection to one broker of the list ({@code vm://} or {@code tcp://}). */
    @FunctionalInterface
    public interface Connector {
        BrokerConnection connect(TransportUri uri, DeliveryListener listener) throws JMSException;
    }

    private enum State { CONNECTING, CONNECTED, RECONNECTING, FAILED, CLOSED }

    private final FailoverUri uri;
    private final DeliveryListener listener;
    /** Outcome keys are this prefix and the transaction ID: unique, since transaction IDs are never reused. */
    private final String outcomePrefix = "failover:" + UUID.randomUUID() + ":";
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition stateChanged = lock.newCondition();
    private final RestorableState records = new RestorableState(lock);
    private final Reconnector reconnector;

    // Guarded by lock (current is also read without it on the delivery and credit paths).
    private State state = State.CONNECTING;
    private volatile Link current;
    private JMSException failure;
    /** Each open transaction's generation: that of the link its first send went to. */
    private final Map<Long, Integer> transactions = new HashMap<>();
    /** Transactions that only acknowledge get negative IDs, never the session transactions' positive ones. */
    private final AtomicLong acknowledgementTransactions = new AtomicLong();

    private FailoverBrokerConnection(FailoverUri uri, DeliveryListener listener, Connector connector) {
        this.uri = uri;
        this.listener = listener;
        this.reconnector = new Reconnector(uri, connector, listener, this,
                new LinkRestore(this, records, listener));
    }

    /**
     * Connects to the first broker of the list that answers, trying the list {@code startupMaxReconnectAttempts}
     * more times (or {@code maxReconnectAttempts}) with the back-off between passes, and for at most
     * {@code timeout} ms when one is set.
     *
     * @throws JMSException naming the brokers tried and the last reason, when none could be connected
     */
    public static FailoverBrokerConnection connect(FailoverUri uri, DeliveryListener listener, Connector connector)
            throws JMSException {
        FailoverBrokerConnection f = new FailoverBrokerConnection(uri, listener, connector);
        f.reconnector.connectFirst();
        return f;
    }

    // ---------------------------------------------------------------- the state machine

    /** The first link connected: calls go through. */
    void connected(Link link) {
        lock.lock();
        try {
            current = link;
            state = State.CONNECTED;
        } finally {
            lock.unlock();
        }
    }

    /** No broker took the first connection. */
    void failedToConnect() {
        lock.lock();
        try {
            state = State.FAILED;
        } finally {
            lock.unlock();
        }
    }

    /** Whether {@code link} is the current one (read without the lock, on the delivery path). */
    boolean isCurrent(Link link) {
        return current == link;
    }

    /**
     * Waits between passes, or before a refused restore step is retried; false when the connection closed or
     * the deadline passes first.
     */
    boolean pause(long millis, long deadline) {
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        if (until - deadline > 0) {
            return false;
        }
        lock.lock();
        try {
            while (state != State.CLOSED) {
                long left = until - System.nanoTime();
                if (left <= 0) {
                    return true;
                }
                stateChanged.awaitNanos(left);
            }
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            lock.unlock();
        }
    }

    /** A link's connection ended (called on its I/O thread, or on the thread that saw it end). */
    void linkLost(Link link, Exception cause) {
        link.lost = true;
        lock.lock();
        try {
            if (link != current) {
                return;
            }
            current = null;
            if (state == State.CONNECTED) {
                LOG.warn("Failover: lost the broker at {} ({}); reconnecting", link.target.text(),
                        cause == null ? "closed" : cause.getMessage());
                state = State.RECONNECTING;
                Thread reconnecting = new Thread(reconnector::reconnect, "tern-failover-reconnect");
                reconnecting.setDaemon(true);
                reconnecting.start();
            }
            stateChanged.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Closed or failed: no link is to be opened any more. */
    boolean isOver() {
        lock.lock();
        try {
            return state == State.CLOSED || state == State.FAILED;
        } finally {
            lock.unlock();
        }
    }

    boolean isClosed() {
        lock.lock();
        try {
            return state == State.CLOSED;
        } finally {
            lock.unlock();
        }
    }

    /** Failover is over: every waiting call and unconfirmed send fails, and the listener is told. */
    void giveUp(JMSException reason) {
        List<PendingSend> sends;
        lock.lock();
        try {
            if (state == State.CLOSED || state == State.FAILED) {
                return;
            }
            state = State.FAILED;
            failure = reason;
            current = null;
            sends = records.takeUnconfirmed();
            stateChanged.signalAll();
        } finally {
            lock.unlock();
        }
        LOG.error("Failover: giving up: {}", reason.getMessage());
        for (PendingSend p : sends) {
            p.outer.completeExceptionally(reason);
        }
        listener.onConnectionFailure(reason);
    }

    /** The unconfirmed sends, taken to be failed, while reconnecting; none in any other state. */
    List<PendingSend> takeUnconfirmedWhileReconnecting() {
        lock.lock();
        try {
            if (state != State.RECONNECTING) {
                return List.of();
            }
            return records.takeUnconfirmed();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Makes {@code link} current while reconnecting, so that it delivers (application calls still wait for
     * CONNECTED); false when it is not, the connection being closed or failed meanwhile.
     */
    boolean adoptWhileReconnecting(Link link) {
        lock.lock();
        try {
            if (state == State.RECONNECTING) {
                current = link;
            }
        } finally {
            lock.unlock();
        }
        return current == link;
    }

    /**
     * Switches a restored link to CONNECTED unless the application closed consumers or deleted temporary
     * destinations while it was restored: those are filled in for removal, and it stays RECONNECTING.
     *
     * @throws LinkRestore.LinkLost when the link was lost, or the connection closed or failed meanwhile
     */
    boolean goLiveUnlessClosedMeanwhile(Link link, List<Long> closedConsumers, List<Address> deletedTemporaries)
            throws LinkRestore.LinkLost {
        lock.lock();
        try {
            records.closedSinceRestored(link, closedConsumers, deletedTemporaries);
            if (!closedConsumers.isEmpty() || !deletedTemporaries.isEmpty()) {
                return false;
            }
            if (!link.alive()) {
                throw new LinkRestore.LinkLost();
            }
            if (state != State.RECONNECTING) {
                throw new LinkRestore.LinkLost();
            }
            state = State.CONNECTED;
            stateChanged.signalAll();
            LOG.info("Failover: resumed on {}", link.target.text());
            return true;
        } finally {
            lock.unlock();
        }
    }

    // ---------------------------------------------------------------- waiting for a live link

    /** The live link, waiting up to the URL's timeout while reconnecting; the lock must be held. */
    private Link awaitLiveLocked(String what, long deadline) throws JMSException {
        while (true) {
            switch (state) {
                case CONNECTED -> {
                    return current;
                }
                case CLOSED -> throw new IllegalStateException("the connection is closed");
                case FAILED -> {
                    IllegalStateException e = new IllegalStateException("the connection failed: failover gave up"
                            + (failure == null ? "" : " (" + failure.getMessage() + ")"));
                    if (failure != null) {
                        e.setLinkedException(failure);
                    }
                    throw e;
                }
                default -> {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        throw new JMSException("cannot " + what + ": no broker of " + uri.text()
                                + " could be reached within the failover timeout of " + uri.timeoutMillis() + " ms");
                    }
                    try {
                        stateChanged.awaitNanos(Math.min(left, TimeUnit.SECONDS.toNanos(1)));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new JMSException("interrupted while waiting for the failover connection to " + what);
                    }
                }
            }
        }
    }

    long deadline() {
        return uri.timeoutMillis() < 0 ? Long.MAX_VALUE
                : System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(uri.timeoutMillis());
    }

    private Link awaitLive(String what, long deadline) throws JMSException {
        lock.lock();
        try {
            return awaitLiveLocked(what, deadline);
        } finally {
            lock.unlock();
        }
    }

    @FunctionalInterface
    private interface LinkCall<T> {
        T call(BrokerConnection c) throws JMSException;
    }

    /** A call that may simply be made again on the next link when its link is lost before the reply. */
    private <T> T retrying(String what, LinkCall<T> call) throws JMSException {
        long deadline = deadline();
        while (true) {
            Link link = awaitLive(what, deadline);
            try {
                return call.call(link.connection);
            } catch (JMSException e) {
                if (link.alive()) {
                    throw e;
                }
                linkLost(link, e);
            }
        }
    }

    private static JMSException staleDeliveries(int stale) {
        return new JMSException(stale + " of the messages being acknowledged were received before the connection"
                + " to the broker failed over; the broker released them and delivers them again"
                + " (JMSRedelivered=true), so they are not acknowledged");
    }

    // ---------------------------------------------------------------- BrokerConnection

    @Override
    public String brokerName() {
        return reconnector.brokerName();
    }

    @Override
    public void setClientId(String id) throws JMSException {
        Link link;
        lock.lock();
        try {
            link = awaitLiveLocked("set the client ID", deadline());
            records.clientId(id);
        } finally {
            lock.unlock();
        }
        try {
            link.connection.setClientId(id);
        } catch (JMSException e) {
            if (!link.alive()) {
                linkLost(link, e);
                awaitLive("set the client ID", deadline());
                return;
            }
            records.clientId(null);
            throw e;
        }
    }

    @Override
    public CompletableFuture<Void> send(long transactionId, MessageSnapshot message) {
        if (transactionId != 0) {
            return sendInTransaction(transactionId, message);
        }
        PendingSend p = new PendingSend(message);
        Link link;
        lock.lock();
        try {
            link = awaitLiveLocked("send", deadline());
            records.addUnconfirmed(p, link);
        } catch (JMSException e) {
            return CompletableFuture.failedFuture(e);
        } finally {
            lock.unlock();
        }
        p.issue(link, records);
        return p.outer;
    }

    /**
     * A send of a transaction. A transaction lives on one broker connection: when its first send went to an
     * earlier link, it died with that link, so the send is dropped (the commit reports the rollback).
     */
    private CompletableFuture<Void> sendInTransaction(long transactionId, MessageSnapshot message) {
        Link link;
        boolean doomed;
        lock.lock();
        try {
            link = awaitLiveLocked("send", deadline());
            Integer g = transactions.putIfAbsent(transactionId, link.generation);
            doomed = g != null && g != link.generation;
        } catch (JMSException e) {
            return CompletableFuture.failedFuture(e);
        } finally {
            lock.unlock();
        }
        if (doomed) {
            return CompletableFuture.completedFuture(null);
        }
        return link.connection.send(transactionId, message).handle((ok, err) -> {
            if (err == null || !link.alive()) {
                return null;
            }
            throw err instanceof CompletionException c ? c : new CompletionException(err);
        });
    }

    @Override
    public void checkDestination(Address address) throws JMSException {
        retrying("check a destination", c -> {
            c.checkDestination(address);
            return null;
        });
        records.checked(address);
    }

    @Override
    public void addConsumer(ConsumerSpec spec) throws JMSException {
        Link link;
        long deadline = deadline();
        lock.lock();
        try {
            link = awaitLiveLocked("create a consumer", deadline);
            records.addConsumer(spec);
            link.credit.open(spec.consumerId(), spec.prefetch());
        } finally {
            lock.unlock();
        }
        try {
            link.connection.addConsumer(spec);
        } catch (JMSException e) {
            if (!link.alive()) {
                // Recorded before the call, so the reconnection restores it.
                linkLost(link, e);
                try {
                    awaitLive("create a consumer", deadline);
                    return;
                } catch (JMSException notRestored) {
                    forgetConsumer(spec.consumerId(), link);
                    throw notRestored;
                }
            }
            forgetConsumer(spec.consumerId(), link);
            throw e;
        }
    }

    private void forgetConsumer(long consumerId, Link link) {
        lock.lock();
        try {
            records.removeConsumer(consumerId);
            link.credit.forget(consumerId);
        } finally {
            lock.unlock();
        }
    }

    /** Never waits (the client calls it from the delivery path); no grant takes a consumer beyond its prefetch. */
    @Override
    public void addCredit(long consumerId, int messages) {
        Link link = current;
        if (link == null || link.lost) {
            return;
        }
        int grant = link.credit.take(consumerId, messages);
        if (grant > 0) {
            link.connection.addCredit(consumerId, grant);
        }
    }

    @Override
    public void removeConsumer(long consumerId) throws JMSException {
        Link link;
        lock.lock();
        try {
            records.removeConsumer(consumerId);
            link = state == State.CONNECTED ? current : null;
        } finally {
            lock.unlock();
        }
        // While reconnecting, the restore leaves it out, or removes it before going live.
        if (link == null || !link.credit.has(consumerId)) {
            return;
        }
        try {
            link.connection.removeConsumer(consumerId);
            link.credit.forget(consumerId);
        } catch (JMSException e) {
            if (link.alive()) {
                throw e;
            }
            linkLost(link, e);
        }
    }

    /**
     * Returns only once the broker recorded it. Deliveries of an earlier link cannot be acknowledged: then
     * nothing is (those of the current link are released as seen, so everything named comes again) and the
     * call throws, so an application that counts "consumed when acknowledge returned" is never wrong. When
     * the link is lost while the acknowledgement is on its way, the broker may or may not have recorded it:
     * {@link AcknowledgeOutcomeUnknownException} says so.
     */
    @Override
    public void acknowledge(long[] deliveryIds) throws JMSException {
        Acknowledged owned = ofLiveLink(deliveryIds);
        acknowledgeOn(owned.link(), owned.brokerIds());
    }

    /** Deliveries of one live link, by the broker's IDs. */
    private record Acknowledged(Link link, long[] brokerIds) {
    }

    /**
     * The live link the deliveries were made on and their broker IDs. When some were made on an earlier link,
     * nothing is acknowledged: those of the current link are released as seen and the call throws.
     */
    private Acknowledged ofLiveLink(long[] deliveryIds) throws JMSException {
        Link link = current;
        long[] ofLink = Link.brokerIds(link, deliveryIds);
        if (ofLink.length < deliveryIds.length) {
            releaseQuietly(link, ofLink, true);
            throw staleDeliveries(deliveryIds.length - ofLink.length);
        }
        Link live = awaitLive("acknowledge", deadline());
        if (live != link) {
            throw staleDeliveries(deliveryIds.length);
        }
        return new Acknowledged(link, ofLink);
    }

    private void acknowledgeOn(Link link, long[] ofLink) throws JMSException {
        try {
            link.connection.acknowledge(ofLink);
        } catch (JMSException e) {
            if (link.alive()) {
                throw e;
            }
            linkLost(link, e);
            AcknowledgeOutcomeUnknownException unknown = new AcknowledgeOutcomeUnknownException("the connection"
                    + " to the broker was lost before it confirmed the acknowledgement of " + ofLink.length
                    + " message(s): each was either consumed or will be delivered again (JMSRedelivered=true)");
            unknown.setLinkedException(e);
            throw unknown;
        }
    }

    /**
     * Acknowledges as a transaction that only consumes, committed under an outcome key, so that when the link
     * is lost before the reply the next broker says whether it was recorded: it returns when it was, and
     * throws (the messages come again, flagged redelivered) when it was not. Only when no broker answers within
     * the timeout is the outcome unknown.
     */
    @Override
    public void acknowledgeAndConfirm(long[] deliveryIds) throws JMSException {
        Acknowledged owned = ofLiveLink(deliveryIds);
        Link link = owned.link();
        long[] ofLink = owned.brokerIds();
        if (link.connection instanceof TcpBrokerConnection tcp && !tcp.recordsOutcomes()) {
            acknowledgeOn(link, ofLink);
            return;
        }
        long transactionId = acknowledgementTransactions.decrementAndGet();
        String key = outcomePrefix + "ack" + transactionId;
        try {
            link.connection.commit(transactionId, ofLink, key);
            return;
        } catch (JMSException e) {
            if (link.alive()) {
                throw e;
            }
            linkLost(link, e);
        }
        boolean recorded;
        try {
            recorded = outcome(key);
        } catch (JMSException e) {
            AcknowledgeOutcomeUnknownException unknown = new AcknowledgeOutcomeUnknownException("the connection"
                    + " to the broker was lost before it confirmed the acknowledgement of " + deliveryIds.length
                    + " message(s), and no broker could say whether it recorded it: each was either consumed or"
                    + " will be delivered again (JMSRedelivered=true): " + e.getMessage());
            unknown.setLinkedException(e);
            throw unknown;
        }
        if (!recorded) {
            throw new JMSException("the connection to the broker was lost before it recorded the acknowledgement of "
                    + deliveryIds.length + " message(s); they are not acknowledged and will be delivered again"
                    + " (JMSRedelivered=true)");
        }
    }

    private static void releaseQuietly(Link link, long[] brokerIds, boolean seen) {
        if (link == null || brokerIds.length == 0) {
            return;
        }
        try {
            link.connection.release(brokerIds, seen);
        } catch (JMSException e) {
            LOG.debug("Failover: could not release {} deliveries: {}", brokerIds.length, e.getMessage());
        }
    }

    /** Never waits. Deliveries of an earlier link were released by the broker already and are ignored. */
    @Override
    public void release(long[] deliveryIds, boolean seen) throws JMSException {
        Link link = current;
        long[] ofLink = Link.brokerIds(link, deliveryIds);
        if (ofLink.length == 0) {
            return;
        }
        try {
            link.connection.release(ofLink, seen);
        } catch (JMSException e) {
            if (link.alive()) {
                throw e;
            }
        }
    }

    @Override
    public void commit(long transactionId, long[] acknowledged) throws JMSException {
        commit(transactionId, acknowledged, outcomePrefix + transactionId);
    }

    /**
     * Commits under an outcome key. A transaction that began on an earlier link (a send, or a delivery it
     * consumed) died with it: it is rolled back here and {@code TransactionRolledBackException} says so. When
     * the link is lost before the reply, the next link's broker is asked whether the key committed.
     */
    @Override
    public void commit(long transactionId, long[] acknowledged, String outcomeKey) throws JMSException {
        Link link;
        try {
            link = awaitLive("commit", deadline());
        } catch (IllegalStateException e) {
            throw e;
        } catch (JMSException e) {
            // No link now means the transaction's link is gone, and its broker rolled it back.
            lock.lock();
            try {
                transactions.remove(transactionId);
            } finally {
                lock.unlock();
            }
            TransactionRolledBackException rolledBack = new TransactionRolledBackException("the connection to the"
                    + " broker was lost while the transaction was open, so it was rolled back (" + e.getMessage() + ")");
            rolledBack.setLinkedException(e);
            throw rolledBack;
        }
        long[] ofLink = ownAcknowledgements(link, transactionId, acknowledged, "the connection to the broker"
                + " failed over while the transaction was open, so it was rolled back: its sends were dropped and"
                + " the messages it consumed will be delivered again (JMSRedelivered=true)");
        try {
            link.connection.commit(transactionId, ofLink, outcomeKey);
            return;
        } catch (JMSException e) {
            if (link.alive()) {
                throw e;
            }
            linkLost(link, e);
            LOG.info("Failover: the connection was lost during a commit; asking the next broker for its outcome");
        }
        learnOutcome(outcomeKey);
    }

    private void learnOutcome(String outcomeKey) throws JMSException {
        boolean committed;
        try {
            committed = outcome(outcomeKey);
        } catch (JMSException e) {
            throw outcomeUnknown(e);
        }
        if (!committed) {
            throw new TransactionRolledBackException("the connection to the broker was lost during the commit,"
                    + " and the broker says the transaction did not commit; it was rolled back: its sends were"
                    + " dropped and the messages it consumed will be delivered again (JMSRedelivered=true)");
        }
    }

    /** Asks the broker serving now; a key committed through this connection is answered by its commit. */
    @Override
    public boolean transactionCommitted(String outcomeKey) throws JMSException {
        return outcome(outcomeKey);
    }

    /**
     * Asks the next live link whether the commit under that key was applied, waiting for one up to the
     * timeout and asking again when the link asked is lost too.
     *
     * @throws JMSException when no broker could answer
     */
    private boolean outcome(String outcomeKey) throws JMSException {
        long deadline = deadline();
        while (true) {
            Link link = awaitLive("learn the outcome of a commit", deadline);
            try {
                return link.connection.transactionCommitted(outcomeKey);
            } catch (JMSException e) {
                if (link.alive()) {
                    throw e;
                }
                linkLost(link, e);
            }
        }
    }

    /**
     * The broker IDs of a transaction's acknowledgements on {@code link}, once the transaction is known to
     * have begun there. One that began on an earlier link (a send, or a delivery it consumed) died with that
     * link's broker connection: what is left of it here is rolled back and {@code rolledBack} is thrown.
     */
    private long[] ownAcknowledgements(Link link, long transactionId, long[] acknowledged, String rolledBack)
            throws TransactionRolledBackException {
        Integer began;
        lock.lock();
        try {
            began = transactions.remove(transactionId);
        } finally {
            lock.unlock();
        }
        long[] ofLink = Link.brokerIds(link, acknowledged);
        if (began != null && began != link.generation || ofLink.length < acknowledged.length) {
            try {
                link.connection.rollback(transactionId, ofLink);
            } catch (JMSException e) {
                LOG.debug("Failover: could not roll back transaction {}: {}", transactionId, e.getMessage());
            }
            throw new TransactionRolledBackException(rolledBack);
        }
        return ofLink;
    }

    private static TransactionOutcomeUnknownException outcomeUnknown(JMSException cause) {
        TransactionOutcomeUnknownException e = new TransactionOutcomeUnknownException("the connection to the"
                + " broker was lost during the commit and no broker could say whether the transaction committed;"
                + " its outcome is unknown: " + cause.getMessage());
        e.setLinkedException(cause);
        e.initCause(cause);
        return e;
    }

    /** Never waits: when no link is live, the broker rolled the transaction back with the lost connection. */
    @Override
    public void rollback(long transactionId, long[] seen) throws JMSException {
        Link link;
        lock.lock();
        try {
            transactions.remove(transactionId);
            link = state == State.CONNECTED ? current : null;
        } finally {
            lock.unlock();
        }
        if (link == null) {
            return;
        }
        try {
            link.connection.rollback(transactionId, Link.brokerIds(link, seen));
        } catch (JMSException e) {
            if (link.alive()) {
                throw e;
            }
            linkLost(link, e);
        }
    }

    @Override
    public boolean prepare(long transactionId, GlobalTransactionId xid, long[] acknowledged) throws JMSException {
        Link link = awaitLive("prepare", deadline());
        long[] ofLink = ownAcknowledgements(link, transactionId, acknowledged, "the connection to the broker"
                + " failed over while the XA branch was open, so its work was rolled back");
        try {
            return link.connection.prepare(transactionId, xid, ofLink);
        } catch (JMSException e) {
            if (link.alive()) {
                throw e;
            }
            linkLost(link, e);
            JMSException lost = new JMSException("the connection to the broker was lost during prepare; whether"
                    + " the branch was prepared is for recovery to find out");
            lost.setLinkedException(e);
            throw lost;
        }
    }

    @Override
    public void commitPrepared(GlobalTransactionId xid) throws JMSException {
        retrying("commit a prepared transaction", c -> {
            c.commitPrepared(xid);
            return null;
        });
    }

    @Override
    public void rollbackPrepared(GlobalTransactionId xid) throws JMSException {
        retrying("roll back a prepared transaction", c -> {
            c.rollbackPrepared(xid);
            return null;
        });
    }

    @Override
    public List<GlobalTransactionId> recoverPrepared() throws JMSException {
        return retrying("recover prepared transactions", BrokerConnection::recoverPrepared);
    }

    @Override
    public List<MessageSnapshot> browse(Address queue, String selector) throws JMSException {
        return retrying("browse", c -> c.browse(queue, selector));
    }

    @Override
    public void createTemporaryDestination(Address address) throws JMSException {
        Link link;
        long deadline = deadline();
        lock.lock();
        try {
            link = awaitLiveLocked("create a temporary destination", deadline);
            records.addTemporary(address);
        } finally {
            lock.unlock();
        }
        try {
            link.connection.createTemporaryDestination(address);
            link.temporaries.add(address);
        } catch (JMSException e) {
            if (!link.alive()) {
                linkLost(link, e);
                try {
                    awaitLive("create a temporary destination", deadline);
                    return;
                } catch (JMSException notRestored) {
                    records.removeTemporary(address);
                    throw notRestored;
                }
            }
            records.removeTemporary(address);
            throw e;
        }
    }

    @Override
    public void deleteTemporaryDestination(Address address) throws JMSException {
        Link link = awaitLive("delete a temporary destination", deadline());
        try {
            link.connection.deleteTemporaryDestination(address);
        } catch (JMSException e) {
            if (link.alive()) {
                throw e;
            }
            // Gone with the lost connection; not recorded any more, so not recreated.
            linkLost(link, e);
        }
        link.temporaries.remove(address);
        records.removeTemporary(address);
    }

    @Override
    public void unsubscribe(String subscriptionName) throws JMSException {
        retrying("unsubscribe", c -> {
            c.unsubscribe(subscriptionName);
            return null;
        });
    }

    @Override
    public void close() {
        Link link;
        List<PendingSend> sends;
        lock.lock();
        try {
            if (state == State.CLOSED) {
                return;
            }
            state = State.CLOSED;
            link = current;
            current = null;
            sends = records.takeUnconfirmed();
            stateChanged.signalAll();
        } finally {
            lock.unlock();
        }
        for (PendingSend p : sends) {
            p.outer.completeExceptionally(new IllegalStateException("the connection was closed before the broker"
                    + " confirmed the send"));
        }
        if (link != null) {
            link.connection.close();
        }
    }

    @Override
    public String toString() {
        Link link = current;
        return "FailoverBrokerConnection[" + uri.text() + (link == null ? ", disconnected" : ", on " + link.target.text())
                + "]";
    }
}
