package io.tern.transport.failover;

import io.tern.transport.DeliveryListener;
import io.tern.transport.TransportUri;
import jakarta.jms.JMSException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Passes over the list of brokers with the URL's back-off until one connects: for the first connection, and
 * after a link is lost, until a link is restored (by {@link LinkRestore}) or failover gives up. Each link it
 * opens takes the next generation of delivery IDs.
 *
 * <p><b>Threads.</b> {@link #connectFirst} runs on the application thread that connects;
 * {@link #reconnect} runs on the one reconnecting thread ({@code tern-failover-reconnect}) the
 * {@link FailoverBrokerConnection} starts when its current link is lost. Their passes never overlap: a link is
 * lost only once one was connected, and a new reconnecting thread starts only once the previous one made its
 * link live (after which that one only tells the listener). Its own state, the count of generations handed out,
 * the last reason a broker did not take the connection and the name of the broker last connected (read by
 * application threads), is atomic or volatile. It waits between passes on the failover connection's state
 * lock, and never holds that lock during a broker call.
 */
final class Reconnector {

    /** Logs as the failover connection, so that one logger category still covers all of failover. */
    private static final Logger LOG = LoggerFactory.getLogger(FailoverBrokerConnection.class);

    private final FailoverUri uri;
    private final FailoverBrokerConnection.Connector connector;
    private final DeliveryListener listener;
    private final FailoverBrokerConnection failover;
    private final LinkRestore restore;
    private final AtomicInteger generations = new AtomicInteger();
    private volatile JMSException lastConnectFailure;
    private volatile String brokerName = "";

    Reconnector(FailoverUri uri, FailoverBrokerConnection.Connector connector, DeliveryListener listener,
            FailoverBrokerConnection failover, LinkRestore restore) {
        this.uri = uri;
        this.connector = connector;
        this.listener = listener;
        this.failover = failover;
        this.restore = restore;
    }

    /** The name of the broker last connected, or "" before any. */
    String brokerName() {
        return brokerName;
    }

    /**
     * Connects to the first broker of the list that answers, trying the list {@code startupMaxReconnectAttempts}
     * more times (or {@code maxReconnectAttempts}) with the back-off between passes, and for at most
     * {@code timeout} ms when one is set.
     */
    void connectFirst() throws JMSException {
        long deadline = uri.timeoutMillis() < 0 ? Long.MAX_VALUE : System.nanoTime()
                + TimeUnit.MILLISECONDS.toNanos(uri.timeoutMillis());
        int limit = uri.startupAttemptLimit();
        for (int pass = 0; limit < 0 || pass <= limit; pass++) {
            if (pass > 0 && !failover.pause(uri.delayBeforePass(pass), deadline)) {
                break;
            }
            for (TransportUri u : order()) {
                Link link = open(u);
                if (link != null) {
                    failover.connected(link);
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
        failover.failedToConnect();
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

    /**
     * Opens a link to one broker, or returns null (remembering why) when it does not answer or refuses. Only
     * a link that connected takes a generation: nothing is delivered on it before it is restored.
     */
    private Link open(TransportUri target) {
        if (failover.isOver()) {
            return null;
        }
        Link link = new Link(target, failover, listener);
        try {
            link.connection = connector.connect(target, link);
        } catch (JMSException | RuntimeException e) {
            lastConnectFailure = e instanceof JMSException j ? j : wrap(e);
            LOG.debug("Failover: {} did not take the connection: {}", target.text(), e.getMessage());
            return null;
        }
        link.generation = Link.generation(generations.incrementAndGet());
        brokerName = link.connection.brokerName();
        LOG.info("Failover: connected to {} (broker {})", target.text(), brokerName);
        return link;
    }

    private static JMSException wrap(Throwable t) {
        JMSException e = new JMSException(String.valueOf(t.getMessage()));
        e.initCause(t);
        return e;
    }

    /** The reconnecting thread: passes over the brokers until one is restored, or gives up. */
    void reconnect() {
        listener.transportInterrupted();
        long sendsExpire = failover.deadline();
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
                    if (restore.restore(link)) {
                        return;
                    }
                } catch (LinkRestore.GiveUp e) {
                    giveUpReason = e.reason;
                    link.connection.close();
                    break;
                }
            }
            if (giveUpReason != null || failover.isClosed()) {
                break;
            }
        }
        if (failover.isClosed()) {
            return;
        }
        failover.giveUp(giveUpReason != null ? giveUpReason : cannotConnect("failover gave up after "
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
                return !failover.isClosed();
            }
            long slice = Math.min(left, Math.max(0, sendsExpire - System.nanoTime()));
            if (!failover.pause(Math.max(1, TimeUnit.NANOSECONDS.toMillis(slice == 0 ? left : slice)),
                    Long.MAX_VALUE)) {
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
        List<PendingSend> expired = failover.takeUnconfirmedWhileReconnecting();
        if (expired.isEmpty()) {
            return;
        }
        JMSException e = new JMSException("no broker of " + uri.text() + " could be reached within the failover"
                + " timeout of " + uri.timeoutMillis() + " ms to confirm the send; it may or may not have reached"
                + " the broker that was lost");
        for (PendingSend p : expired) {
            p.outer.completeExceptionally(e);
        }
    }
}
