package io.tern.transport.failover;

import io.tern.protocol.Address;
import io.tern.protocol.MessageSnapshot;
import io.tern.store.GlobalTransactionId;
import io.tern.transport.AcknowledgeOutcomeUnknownException;
import io.tern.transport.BrokerConnection;
import io.tern.transport.ConsumerSpec;
import io.tern.transport.Delivery;
import io.tern.transport.DeliveryListener;
import io.tern.transport.TransactionOutcomeUnknownException;
import io.tern.transport.TransportUri;
import io.tern.transport.tcp.TcpBrokerConnection;
import jakarta.jms.IllegalStateException;
import jakarta.jms.JMSException;
import jakarta.jms.TransactionRolledBackException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * {@code failover:(uri,uri,...)}: a connection that survives the loss of its broker. It holds one connection
 * to one of the brokers at a time (a <i>link</i>); when that link drops it connects to the next broker that
 * answers and restores what the client had there (client ID, temporary destinations, consumers, producers'
 * destination checks), resends every send the broker had not confirmed, in order, and carries on.
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
 * <p><b>Delivery IDs.</b> Each link is a new generation; a delivery ID the application sees is the broker's
 * ID with the generation in bits 47 to 62, so IDs stay unique across reconnects and an ID of an earlier link
 * is told apart at once. Generations wrap after 65536 reconnects, long after any such delivery was purged.
 *
 * <p><b>Threads.</b> {@link #lock} guards the state ({@link #state}, {@link #current}, the records of what to
 * restore, the unconfirmed sends and the transactions' generations); it is never held during a call to a
 * broker. Application threads make their calls on the current link once the state is CONNECTED, after
 * recording under the lock what a reconnection must restore. A link's I/O thread delivers through the link
 * (which drops deliveries of a link that is no longer current) and reports the link's loss; it never waits
 * for the lock's condition. One reconnecting thread ({@code tern-failover-reconnect}), started when the
 * current link is lost, owns the links it opens until it has restored one and switched the state back to
 * CONNECTED, so application calls never reach a half-restored link. Per-consumer credit on each link is
 * tracked lock-free (deliveries count down on the I/O thread, grants up on application threads) so that no
 * grant ever takes a consumer beyond its prefetch, whatever the application's consumers still owe from an
 * earlier link.
 */
public final class FailoverBrokerConnection implements BrokerConnection {

    private static final Logger LOG = LoggerFactory.getLogger(FailoverBrokerConnection.class);
    private static final int GENERATION_SHIFT = 47;
    private static final long BROKER_ID_MASK = (1L << GENERATION_SHIFT) - 1;
    private static final int GENERATION_MASK = 0xFFFF;
    /** How often a restore step the broker refuses (it still holds the old connection's state) is retried. */
    private static final long RESTORE_RETRY_MILLIS = 200;
    /** How long a refused restore step is retried when the broker's inactivity timeout is not known. */
    private static final long DEFAULT_HELD_MILLIS = 5_000;
    /** Producers' destination checks remembered for re-checking; beyond this, new ones are not recorded. */
    private static final int MAX_CHECKED_DESTINATIONS = 10_000;

    /** Opens a connection to one broker of the list ({@code vm://} or {@code tcp://}). */
    @FunctionalInterface
    public interface Connector {
        BrokerConnection connect(TransportUri uri, DeliveryListener listener) throws JMSException;
    }

    private enum State { CONNECTING, CONNECTED, RECONNECTING, FAILED, CLOSED }

    private final FailoverUri uri;
    private final DeliveryListener listener;
    private final Connector connector;
    /** Outcome keys are this prefix and the transaction ID: unique, since transaction IDs are never reused. */
    private final String outcomePrefix = "failover:" + UUID.randomUUID() + ":";
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition stateChanged = lock.newCondition();

    // Guarded by lock (current is also read without it on the delivery and credit paths).
    private State state = State.CONNECTING;
    private volatile Link current;
    private int generations;
    private JMSException failure;
    private volatile JMSException lastConnectFailure;
    private String clientId;
    private final Map<Long, ConsumerSpec> consumers = new LinkedHashMap<>();
    private final Set<Address> temporaries = new LinkedHashSet<>();
    private final Set<Address> checked = new LinkedHashSet<>();
    /** Sends not yet confirmed by a broker, in the order they were made. */
    private final Set<PendingSend> unconfirmed = new LinkedHashSet<>();
    /** Each open transaction's generation: that of the link its first send went to. */
    private final Map<Long, Integer> transactions = new HashMap<>();
    private Thread reconnector;
    /** Transactions that only acknowledge get negative IDs, never the session transactions' positive ones. */
    private final java.util.concurrent.atomic.AtomicLong acknowledgementTransactions =
            new java.util.concurrent.atomic.AtomicLong();
    private volatile String brokerName = "";

    private FailoverBrokerConnection(FailoverUri uri, DeliveryListener listener, Connector connector) {
        this.uri = uri;
        this.listener = listener;
        this.connector = connector;
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
        f.connectFirst();
        return f;
    }

    private void connectFirst() throws JMSException {
        long deadline = uri.timeoutMillis() < 0 ? Long.MAX_VALUE : System.nanoTime()
                + TimeUnit.MILLISECONDS.toNanos(uri.timeoutMillis());
        int limit = uri.startupAttemptLimit();
        for (int pass = 0; limit < 0 || pass <= limit; pass++) {
            if (pass > 0 && !pause(uri.delayBeforePass(pass), deadline)) {
                break;
            }
            for (TransportUri u : order()) {
                Link link = open(u);
                if (link != null) {
                    lock.lock();
                    try {
                        current = link;
                        state = State.CONNECTED;
                    } finally {
                        lock.unlock();
                    }
                    return;
                }
                if (System.nanoTime() - deadline > 0) {
                    break;
                }
            }
            if (System.nanoTime() - deadline > 0) {
                break;
            }
        }
        lock.lock();
        try {
            state = State.FAILED;
        } finally {
            lock.unlock();
        }
        throw cannotConnect("could not connect to any broker of " + uri.text());
    }

    private JMSException cannotConnect(String what) {
        JMSException last = lastConnectFailure;
        JMSException e = new JMSException(what + (last == null ? "" : "; last failure: " + last.getMessage()));
        if (last != null) {
            e.setLinkedException(last);
            e.initCause(last);
        }
        return e;
    }

    /** The brokers in the order of one pass. */
    private List<TransportUri> order() {
        List<TransportUri> list = new ArrayList<>(uri.uris());
        if (uri.randomize()) {
            Collections.shuffle(list);
        }
        return list;
    }

    /** Waits between passes; false when the connection closed or the deadline passes first. */
    private boolean pause(long millis, long deadline) {
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

    /**
     * Opens a link to one broker, or returns null (remembering why) when it does not answer or refuses. Only
     * a link that connected takes a generation: nothing is delivered on it before it is restored.
     */
    private Link open(TransportUri target) {
        if (isOver()) {
            return null;
        }
        Link link = new Link(target);
        try {
            link.connection = connector.connect(target, link);
        } catch (JMSException | RuntimeException e) {
            lastConnectFailure = e instanceof JMSException j ? j : wrap(e);
            LOG.debug("Failover: {} did not take the connection: {}", target.text(), e.getMessage());
            return null;
        }
        lock.lock();
        try {
            link.generation = ++generations & GENERATION_MASK;
        } finally {
            lock.unlock();
        }
        brokerName = link.connection.brokerName();
        LOG.info("Failover: connected to {} (broker {})", target.text(), brokerName);
        return link;
    }

    private static JMSException wrap(Throwable t) {
        JMSException e = new JMSException(String.valueOf(t.getMessage()));
        e.initCause(t);
        return e;
    }

    // ---------------------------------------------------------------- losing and restoring a link

    /** A link's connection ended (called on its I/O thread, or on the thread that saw it end). */
    private void linkLost(Link link, Exception cause) {
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
                reconnector = new Thread(this::reconnect, "tern-failover-reconnect");
                reconnector.setDaemon(true);
                reconnector.start();
            }
            stateChanged.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The reconnecting thread: passes over the brokers until one is restored, or gives up. */
    private void reconnect() {
        listener.transportInterrupted();
        long sendsExpire = deadline();
        int limit = uri.maxReconnectAttempts();
        JMSException giveUpReason = null;
        for (int pass = 0; limit < 0 || pass <= limit; pass++) {
            if (pass > 0 && !pauseExpiring(uri.delayBeforePass(pass), sendsExpire)) {
                return;
            }
            for (TransportUri u : order()) {
                expireUnconfirmedIfDue(sendsExpire);
                Link link = open(u);
                if (link == null) {
                    continue;
                }
                try {
                    if (restore(link)) {
                        return;
                    }
                } catch (GiveUp e) {
                    giveUpReason = e.reason;
                    link.connection.close();
                    break;
                }
            }
            if (giveUpReason != null || isClosed()) {
                break;
            }
        }
        if (isClosed()) {
            return;
        }
        giveUp(giveUpReason != null ? giveUpReason : cannotConnect("failover gave up after "
                + (limit + 1) + " passes over " + uri.uris().size() + " broker(s) (maxReconnectAttempts=" + limit
                + ") of " + uri.text()));
    }

    /** Pauses between passes, failing the unconfirmed sends on the way when the timeout passes. */
    private boolean pauseExpiring(long millis, long sendsExpire) {
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (true) {
            expireUnconfirmedIfDue(sendsExpire);
            long left = until - System.nanoTime();
            if (left <= 0) {
                return !isClosed();
            }
            long slice = Math.min(left, Math.max(0, sendsExpire - System.nanoTime()));
            if (!pause(Math.max(1, TimeUnit.NANOSECONDS.toMillis(slice == 0 ? left : slice)), Long.MAX_VALUE)) {
                return false;
            }
        }
    }

    /**
     * Sends waiting for a receipt fail once no broker was reached within the timeout, as new ones do; whether
     * such a send reached the lost broker nobody can tell, and it is not resent.
     */
    private void expireUnconfirmedIfDue(long sendsExpire) {
        if (System.nanoTime() - sendsExpire < 0) {
            return;
        }
        List<PendingSend> expired;
        lock.lock();
        try {
            if (state != State.RECONNECTING || unconfirmed.isEmpty()) {
                return;
            }
            expired = new ArrayList<>(unconfirmed);
            unconfirmed.clear();
        } finally {
            lock.unlock();
        }
        JMSException e = new JMSException("no broker of " + uri.text() + " could be reached within the failover"
                + " timeout of " + uri.timeoutMillis() + " ms to confirm the send; it may or may not have reached"
                + " the broker that was lost");
        for (PendingSend p : expired) {
            p.outer.completeExceptionally(e);
        }
    }

    private boolean isOver() {
        lock.lock();
        try {
            return state == State.CLOSED || state == State.FAILED;
        } finally {
            lock.unlock();
        }
    }

    private boolean isClosed() {
        lock.lock();
        try {
            return state == State.CLOSED;
        } finally {
            lock.unlock();
        }
    }

    /** Failover is over: every waiting call and unconfirmed send fails, and the listener is told. */
    private void giveUp(JMSException reason) {
        List<PendingSend> sends;
        lock.lock();
        try {
            if (state == State.CLOSED || state == State.FAILED) {
                return;
            }
            state = State.FAILED;
            failure = reason;
            current = null;
            sends = new ArrayList<>(unconfirmed);
            unconfirmed.clear();
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

    /** Why a restore can never succeed (the restored state is refused for good); failover gives up. */
    private static final class GiveUp extends Exception {
        private static final long serialVersionUID = 1L;
        final transient JMSException reason;

        GiveUp(JMSException reason) {
            super(reason.getMessage(), null, false, false);
            this.reason = reason;
        }
    }

    /** The link being restored was lost; the reconnecting thread moves on to the next broker. */
    private static final class LinkLost extends Exception {
        private static final long serialVersionUID = 1L;

        LinkLost() {
            super(null, null, false, false);
        }
    }

    /** A step of the restore that the broker may refuse for a while. */
    @FunctionalInterface
    private interface Step {
        void run(BrokerConnection c) throws JMSException;
    }

    /**
     * Restores the client's state on a new link, resends what was unconfirmed, then makes the link current and
     * live. False when the link was lost on the way (the caller tries the next broker).
     */
    private boolean restore(Link link) throws GiveUp {
        String id;
        List<Address> temps;
        List<Address> checks;
        lock.lock();
        try {
            if (state == State.RECONNECTING) {
                current = link;
            }
        } finally {
            lock.unlock();
        }
        if (current != link) {
            link.connection.close();
            return false;
        }
        lock.lock();
        try {
            id = clientId;
            temps = new ArrayList<>(temporaries);
            checks = new ArrayList<>(checked);
        } finally {
            lock.unlock();
        }
        // Anything a half-restored earlier link delivered is as stale as what the lost one did.
        listener.transportInterrupted();
        long heldUntil = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(heldPeriodMillis(link));
        try {
            if (id != null) {
                retryWhileHeld(link, heldUntil, "claim the client ID '" + id + "'", c -> c.setClientId(id));
            }
            for (Address a : temps) {
                if (isRecorded(temporaries, a)) {
                    retryWhileHeld(link, heldUntil, "recreate " + a, c -> c.createTemporaryDestination(a));
                    link.temporaries.add(a);
                }
            }
            for (ConsumerSpec spec : consumerSnapshot()) {
                link.credit.put(spec.consumerId(), new Credit(spec.prefetch()));
                retryWhileHeld(link, heldUntil, "restore consumer " + spec.consumerId() + " on " + spec.address(),
                        c -> c.addConsumer(spec));
            }
            for (Address a : checks) {
                try {
                    link.connection.checkDestination(a);
                } catch (JMSException e) {
                    if (!link.alive()) {
                        throw new LinkLost();
                    }
                    LOG.warn("Failover: a producer's destination {} is refused by {}: {}", a, link.target.text(),
                            e.getMessage());
                }
            }
            resend(link);
            goLive(link);
        } catch (LinkLost e) {
            LOG.info("Failover: lost {} while restoring the connection; trying the next broker", link.target.text());
            link.connection.close();
            return false;
        }
        listener.transportResumed();
        return true;
    }

    private boolean isRecorded(Set<Address> record, Address a) {
        lock.lock();
        try {
            return record.contains(a);
        } finally {
            lock.unlock();
        }
    }

    private List<ConsumerSpec> consumerSnapshot() {
        lock.lock();
        try {
            return new ArrayList<>(consumers.values());
        } finally {
            lock.unlock();
        }
    }

    /**
     * A broker that has not yet noticed the old connection's end still holds its client ID, durable
     * subscriptions and temporary destinations; it lets go after its inactivity timeout. Until then the step
     * is retried; after it, the refusal is final.
     */
    private void retryWhileHeld(Link link, long heldUntil, String what, Step step) throws LinkLost, GiveUp {
        while (true) {
            try {
                step.run(link.connection);
                return;
            } catch (JMSException e) {
                if (!link.alive()) {
                    throw new LinkLost();
                }
                if (System.nanoTime() - heldUntil > 0) {
                    JMSException reason = new JMSException("failover reconnected to " + link.target.text()
                            + " but could not " + what + ": " + e.getMessage());
                    reason.setLinkedException(e);
                    reason.initCause(e);
                    throw new GiveUp(reason);
                }
                LOG.debug("Failover: {} refused to {} ({}); retrying", link.target.text(), what, e.getMessage());
                if (!pause(RESTORE_RETRY_MILLIS, Long.MAX_VALUE)) {
                    throw new LinkLost();
                }
            }
        }
    }

    private static long heldPeriodMillis(Link link) {
        if (link.connection instanceof TcpBrokerConnection tcp) {
            int t = tcp.brokerInactivityTimeoutMillis();
            return t > 0 ? t + DEFAULT_HELD_MILLIS : 60_000;
        }
        return DEFAULT_HELD_MILLIS;
    }

    /** Sends every unconfirmed send again, in order, before any new call can reach the link. */
    private void resend(Link link) throws LinkLost {
        List<PendingSend> sends;
        lock.lock();
        try {
            sends = new ArrayList<>(unconfirmed);
            for (PendingSend p : sends) {
                p.link = link;
            }
        } finally {
            lock.unlock();
        }
        if (!sends.isEmpty()) {
            LOG.info("Failover: resending {} unconfirmed send(s) to {}", sends.size(), link.target.text());
        }
        for (PendingSend p : sends) {
            issue(p, link);
        }
        if (!link.alive()) {
            throw new LinkLost();
        }
    }

    /**
     * Removes what the application closed while the link was being restored, then lets calls through. Done
     * in a loop because each removal is a broker call made without the lock.
     */
    private void goLive(Link link) throws LinkLost {
        while (true) {
            List<Long> closedConsumers = new ArrayList<>();
            List<Address> deletedTemporaries = new ArrayList<>();
            lock.lock();
            try {
                for (Long id : link.credit.keySet()) {
                    if (!consumers.containsKey(id)) {
                        closedConsumers.add(id);
                    }
                }
                for (Address a : link.temporaries) {
                    if (!temporaries.contains(a)) {
                        deletedTemporaries.add(a);
                    }
                }
                if (closedConsumers.isEmpty() && deletedTemporaries.isEmpty()) {
                    if (!link.alive()) {
                        throw new LinkLost();
                    }
                    if (state != State.RECONNECTING) {
                        throw new LinkLost();
                    }
                    state = State.CONNECTED;
                    reconnector = null;
                    stateChanged.signalAll();
                    LOG.info("Failover: resumed on {}", link.target.text());
                    return;
                }
            } finally {
                lock.unlock();
            }
            for (Long id : closedConsumers) {
                removeQuietly(link, "consumer " + id, c -> c.removeConsumer(id));
                link.credit.remove(id);
            }
            for (Address a : deletedTemporaries) {
                removeQuietly(link, a.toString(), c -> c.deleteTemporaryDestination(a));
                link.temporaries.remove(a);
            }
        }
    }

    private static void removeQuietly(Link link, String what, Step step) throws LinkLost {
        try {
            step.run(link.connection);
        } catch (JMSException e) {
            if (!link.alive()) {
                throw new LinkLost();
            }
            LOG.warn("Failover: could not remove {}, closed during the reconnection: {}", what, e.getMessage());
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

    private long deadline() {
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

    // ---------------------------------------------------------------- delivery IDs

    private static long external(int generation, long brokerId) {
        return ((long) generation << GENERATION_SHIFT) | (brokerId & BROKER_ID_MASK);
    }

    private static int generationOf(long deliveryId) {
        return (int) (deliveryId >>> GENERATION_SHIFT) & GENERATION_MASK;
    }

    /** The broker's IDs of those deliveries that came on {@code link}; the others are counted in {@code stale}. */
    private static long[] ofLink(Link link, long[] ids) {
        int n = 0;
        long[] out = new long[ids.length];
        for (long id : ids) {
            if (link != null && generationOf(id) == link.generation) {
                out[n++] = id & BROKER_ID_MASK;
            }
        }
        return n == out.length ? out : java.util.Arrays.copyOf(out, n);
    }

    private static JMSException staleDeliveries(int stale) {
        return new JMSException(stale + " of the messages being acknowledged were received before the connection"
                + " to the broker failed over; the broker released them and delivers them again"
                + " (JMSRedelivered=true), so they are not acknowledged");
    }

    // ---------------------------------------------------------------- BrokerConnection

    @Override
    public String brokerName() {
        return brokerName;
    }

    @Override
    public void setClientId(String id) throws JMSException {
        Link link;
        lock.lock();
        try {
            link = awaitLiveLocked("set the client ID", deadline());
            clientId = id;
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
            lock.lock();
            try {
                clientId = null;
            } finally {
                lock.unlock();
            }
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
            p.link = link;
            unconfirmed.add(p);
        } catch (JMSException e) {
            return CompletableFuture.failedFuture(e);
        } finally {
            lock.unlock();
        }
        issue(p, link);
        return p.outer;
    }

    private void issue(PendingSend p, Link link) {
        CompletableFuture<Void> sent;
        try {
            sent = link.connection.send(0, p.message);
        } catch (RuntimeException e) {
            sent = CompletableFuture.failedFuture(e);
        }
        sent.whenComplete((ok, err) -> sendDone(p, link, err));
    }

    /**
     * A send's receipt or failure from one link. A failure because the link was lost leaves the send to be
     * resent on the next link; a failure the broker gave is the application's.
     */
    private void sendDone(PendingSend p, Link link, Throwable err) {
        if (err != null && !link.alive()) {
            return;
        }
        lock.lock();
        try {
            if (!unconfirmed.remove(p) || err != null && p.link != link) {
                return;
            }
        } finally {
            lock.unlock();
        }
        if (err == null) {
            p.outer.complete(null);
        } else {
            p.outer.completeExceptionally(err instanceof CompletionException && err.getCause() != null
                    ? err.getCause() : err);
        }
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
        lock.lock();
        try {
            if (checked.size() < MAX_CHECKED_DESTINATIONS) {
                checked.add(address);
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void addConsumer(ConsumerSpec spec) throws JMSException {
        Link link;
        long deadline = deadline();
        lock.lock();
        try {
            link = awaitLiveLocked("create a consumer", deadline);
            consumers.put(spec.consumerId(), spec);
            link.credit.put(spec.consumerId(), new Credit(spec.prefetch()));
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
            consumers.remove(consumerId);
            link.credit.remove(consumerId);
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
        Credit c = link.credit.get(consumerId);
        if (c == null) {
            return;
        }
        int grant = c.take(messages);
        if (grant > 0) {
            link.connection.addCredit(consumerId, grant);
        }
    }

    @Override
    public void removeConsumer(long consumerId) throws JMSException {
        Link link;
        lock.lock();
        try {
            consumers.remove(consumerId);
            link = state == State.CONNECTED ? current : null;
        } finally {
            lock.unlock();
        }
        // While reconnecting, the restore leaves it out, or removes it before going live.
        if (link == null || !link.credit.containsKey(consumerId)) {
            return;
        }
        try {
            link.connection.removeConsumer(consumerId);
            link.credit.remove(consumerId);
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
        Link link = current;
        long[] ofLink = ofLink(link, deliveryIds);
        if (ofLink.length < deliveryIds.length) {
            releaseQuietly(link, ofLink, true);
            throw staleDeliveries(deliveryIds.length - ofLink.length);
        }
        Link live = awaitLive("acknowledge", deadline());
        if (live != link) {
            throw staleDeliveries(deliveryIds.length);
        }
        try {
            link.connection.acknowledge(ofLink);
        } catch (JMSException e) {
            if (link.alive()) {
                throw e;
            }
            linkLost(link, e);
            AcknowledgeOutcomeUnknownException unknown = new AcknowledgeOutcomeUnknownException("the connection"
                    + " to the broker was lost before it confirmed the acknowledgement of " + deliveryIds.length
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
        Link link = current;
        long[] ofLink = ofLink(link, deliveryIds);
        if (ofLink.length < deliveryIds.length) {
            releaseQuietly(link, ofLink, true);
            throw staleDeliveries(deliveryIds.length - ofLink.length);
        }
        Link live = awaitLive("acknowledge", deadline());
        if (live != link) {
            throw staleDeliveries(deliveryIds.length);
        }
        if (link.connection instanceof TcpBrokerConnection tcp && !tcp.recordsOutcomes()) {
            acknowledge(deliveryIds);
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
        long[] ofLink = ofLink(link, deliveryIds);
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
        Integer began;
        lock.lock();
        try {
            began = transactions.remove(transactionId);
        } finally {
            lock.unlock();
        }
        long[] ofLink = ofLink(link, acknowledged);
        if (began != null && began != link.generation || ofLink.length < acknowledged.length) {
            try {
                link.connection.rollback(transactionId, ofLink);
            } catch (JMSException e) {
                LOG.debug("Failover: could not roll back transaction {}: {}", transactionId, e.getMessage());
            }
            throw new TransactionRolledBackException("the connection to the broker failed over while the"
                    + " transaction was open, so it was rolled back: its sends were dropped and the messages it"
                    + " consumed will be delivered again (JMSRedelivered=true)");
        }
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
            link.connection.rollback(transactionId, ofLink(link, seen));
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
        Integer began;
        lock.lock();
        try {
            began = transactions.remove(transactionId);
        } finally {
            lock.unlock();
        }
        long[] ofLink = ofLink(link, acknowledged);
        if (began != null && began != link.generation || ofLink.length < acknowledged.length) {
            try {
                link.connection.rollback(transactionId, ofLink);
            } catch (JMSException e) {
                LOG.debug("Failover: could not roll back transaction {}: {}", transactionId, e.getMessage());
            }
            throw new TransactionRolledBackException("the connection to the broker failed over while the XA"
                    + " branch was open, so its work was rolled back");
        }
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
            temporaries.add(address);
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
                    forgetTemporary(address);
                    throw notRestored;
                }
            }
            forgetTemporary(address);
            throw e;
        }
    }

    private void forgetTemporary(Address address) {
        lock.lock();
        try {
            temporaries.remove(address);
        } finally {
            lock.unlock();
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
        forgetTemporary(address);
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
            sends = new ArrayList<>(unconfirmed);
            unconfirmed.clear();
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

    // ---------------------------------------------------------------- parts

    /** A send not yet confirmed; {@link #link} (guarded by the lock) is the link it was last issued on. */
    private static final class PendingSend {
        final MessageSnapshot message;
        final CompletableFuture<Void> outer = new CompletableFuture<>();
        Link link;

        PendingSend(MessageSnapshot message) {
            this.message = message;
        }
    }

    /** A consumer's credit at the broker of one link, as far as the client knows: never above its prefetch. */
    private static final class Credit {
        private final int prefetch;
        private final AtomicInteger credit;

        Credit(int prefetch) {
            this.prefetch = prefetch;
            this.credit = new AtomicInteger(prefetch);
        }

        void delivered() {
            credit.decrementAndGet();
        }

        /** How much of a grant may go to the broker. */
        int take(int messages) {
            while (true) {
                int now = credit.get();
                int grant = Math.min(messages, prefetch - now);
                if (grant <= 0) {
                    return 0;
                }
                if (credit.compareAndSet(now, now + grant)) {
                    return grant;
                }
            }
        }
    }

    /** One connection to one broker: a generation of delivery IDs, and what was restored on it. */
    private final class Link implements DeliveryListener {
        /** Set once connected, before the link is current (so before anything is delivered on it). */
        volatile int generation = -1;
        final TransportUri target;
        final Map<Long, Credit> credit = new ConcurrentHashMap<>();
        final Set<Address> temporaries = ConcurrentHashMap.newKeySet();
        volatile BrokerConnection connection;
        volatile boolean lost;

        Link(TransportUri target) {
            this.target = target;
        }

        boolean alive() {
            if (lost) {
                return false;
            }
            return !(connection instanceof TcpBrokerConnection tcp) || tcp.isOpen();
        }

        @Override
        public void onDelivery(Delivery d) {
            if (lost || current != this) {
                return;
            }
            Credit c = credit.get(d.consumerId());
            if (c != null) {
                c.delivered();
            }
            listener.onDelivery(new Delivery(d.consumerId(), external(generation, d.deliveryId()), d.message(),
                    d.deliveryCount()));
        }

        @Override
        public void onConnectionFailure(Exception cause) {
            linkLost(this, cause);
        }
    }
}
