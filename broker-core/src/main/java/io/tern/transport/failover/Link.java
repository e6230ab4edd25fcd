package io.tern.transport.failover;

import io.tern.protocol.Address;
import io.tern.transport.BrokerConnection;
import io.tern.transport.Delivery;
import io.tern.transport.DeliveryListener;
import io.tern.transport.TransportUri;
import io.tern.transport.tcp.TcpBrokerConnection;

import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One connection to one broker, made by a {@link FailoverBrokerConnection}: a generation of delivery IDs, the
 * consumers' credit on it and the temporary destinations restored on it. It delivers to the application only
 * while it is the current link, and reports its loss to the failover connection.
 *
 * <p><b>Delivery IDs.</b> A delivery ID the application sees is the broker's ID with the link's generation in
 * bits 47 to 62, so IDs stay unique across reconnects and an ID of an earlier link is told apart at once.
 * Generations wrap after 65536 reconnects, long after any such delivery was purged.
 *
 * <p><b>Threads.</b> The thread that opens the link (the one connecting first, or the reconnecting thread) sets
 * {@link #connection} and {@link #generation} once, before the link becomes current, so before anything is
 * delivered on it. Its I/O thread calls {@link #onDelivery} and {@link #onConnectionFailure}. {@link #lost} is
 * set by whichever thread sees the link end. {@link #credit} and {@link #temporaries} are concurrent: the
 * reconnecting thread fills them while it restores the link, application threads change them once it is live.
 */
final class Link implements DeliveryListener {

    private static final int GENERATION_SHIFT = 47;
    private static final long BROKER_ID_MASK = (1L << GENERATION_SHIFT) - 1;
    private static final int GENERATION_MASK = 0xFFFF;

    /** Set once connected, before the link is current (so before anything is delivered on it). */
    volatile int generation = -1;
    final TransportUri target;
    final LinkCredit credit = new LinkCredit();
    final Set<Address> temporaries = ConcurrentHashMap.newKeySet();
    volatile BrokerConnection connection;
    volatile boolean lost;
    private final FailoverBrokerConnection failover;
    private final DeliveryListener application;

    Link(TransportUri target, FailoverBrokerConnection failover, DeliveryListener application) {
        this.target = target;
        this.failover = failover;
        this.application = application;
    }

    /** The generation of the {@code count}th link connected: generations wrap. */
    static int generation(int count) {
        return count & GENERATION_MASK;
    }

    boolean alive() {
        if (lost) {
            return false;
        }
        return !(connection instanceof TcpBrokerConnection tcp) || tcp.isOpen();
    }

    /** The broker's IDs of those deliveries that came on {@code link}; the others are left out. */
    static long[] brokerIds(Link link, long[] ids) {
        int n = 0;
        long[] out = new long[ids.length];
        for (long id : ids) {
            if (link != null && generationOf(id) == link.generation) {
                out[n++] = id & BROKER_ID_MASK;
            }
        }
        return n == out.length ? out : Arrays.copyOf(out, n);
    }

    private static long external(int generation, long brokerId) {
        return ((long) generation << GENERATION_SHIFT) | (brokerId & BROKER_ID_MASK);
    }

    private static int generationOf(long deliveryId) {
        return (int) (deliveryId >>> GENERATION_SHIFT) & GENERATION_MASK;
    }

    @Override
    public void onDelivery(Delivery d) {
        if (lost || !failover.isCurrent(this)) {
            return;
        }
        credit.delivered(d.consumerId());
        application.onDelivery(new Delivery(d.consumerId(), external(generation, d.deliveryId()), d.message(),
                d.deliveryCount()));
    }

    @Override
    public void onConnectionFailure(Exception cause) {
        failover.linkLost(this, cause);
    }
}
