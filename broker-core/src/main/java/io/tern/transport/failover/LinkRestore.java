package io.tern.transport.failover;

import io.tern.protocol.Address;
import io.tern.transport.BrokerConnection;
import io.tern.transport.ConsumerSpec;
import io.tern.transport.DeliveryListener;
import io.tern.transport.tcp.TcpBrokerConnection;
import jakarta.jms.JMSException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The restore sequence run on a newly opened link before any application call may reach it: the client ID,
 * the temporary destinations, the consumers, the producers' destination checks, then every unconfirmed send
 * again in order; last, what the application closed meanwhile is removed and the link goes live.
 *
 * <p><b>Threads.</b> Run only by the reconnecting thread ({@code tern-failover-reconnect}), which owns the link
 * being restored until it goes live. It holds no state of its own: it reads the {@link RestorableState} under
 * the state lock, and makes every broker call without that lock.
 */
final class LinkRestore {

    /** Logs as the failover connection, so that one logger category still covers all of failover. */
    private static final Logger LOG = LoggerFactory.getLogger(FailoverBrokerConnection.class);
    /** How often a restore step the broker refuses (it still holds the old connection's state) is retried. */
    private static final long RESTORE_RETRY_MILLIS = 200;
    /** How long a refused restore step is retried when the broker's inactivity timeout is not known. */
    private static final long DEFAULT_HELD_MILLIS = 5_000;

    private final FailoverBrokerConnection failover;
    private final RestorableState records;
    private final DeliveryListener listener;

    LinkRestore(FailoverBrokerConnection failover, RestorableState records, DeliveryListener listener) {
        this.failover = failover;
        this.records = records;
        this.listener = listener;
    }

    /** Why a restore can never succeed (the restored state is refused for good); failover gives up. */
    static final class GiveUp extends Exception {
        private static final long serialVersionUID = 1L;
        final transient JMSException reason;

        GiveUp(JMSException reason) {
            super(reason.getMessage(), null, false, false);
            this.reason = reason;
        }
    }

    /** The link being restored was lost; the reconnecting thread moves on to the next broker. */
    static final class LinkLost extends Exception {
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
    boolean restore(Link link) throws GiveUp {
        if (!failover.adoptWhileReconnecting(link)) {
            link.connection.close();
            return false;
        }
        RestorableState.Snapshot snapshot = records.snapshot();
        String id = snapshot.clientId();
        // Anything a half-restored earlier link delivered is as stale as what the lost one did.
        listener.transportInterrupted();
        long heldUntil = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(heldPeriodMillis(link));
        try {
            if (id != null) {
                retryWhileHeld(link, heldUntil, "claim the client ID '" + id + "'", c -> c.setClientId(id));
            }
            for (Address a : snapshot.temporaries()) {
                if (records.hasTemporary(a)) {
                    retryWhileHeld(link, heldUntil, "recreate " + a, c -> c.createTemporaryDestination(a));
                    link.temporaries.add(a);
                }
            }
            for (ConsumerSpec spec : records.consumers()) {
                link.credit.open(spec.consumerId(), spec.prefetch());
                retryWhileHeld(link, heldUntil, "restore consumer " + spec.consumerId() + " on " + spec.address(),
                        c -> c.addConsumer(spec));
            }
            for (Address a : snapshot.checked()) {
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
                if (!failover.pause(RESTORE_RETRY_MILLIS, Long.MAX_VALUE)) {
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
        List<PendingSend> sends = records.unconfirmedReissuedOn(link);
        if (!sends.isEmpty()) {
            LOG.info("Failover: resending {} unconfirmed send(s) to {}", sends.size(), link.target.text());
        }
        for (PendingSend p : sends) {
            p.issue(link, records);
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
            if (failover.goLiveUnlessClosedMeanwhile(link, closedConsumers, deletedTemporaries)) {
                return;
            }
            for (Long id : closedConsumers) {
                removeQuietly(link, "consumer " + id, c -> c.removeConsumer(id));
                link.credit.forget(id);
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
}
