package io.tern.transport.tcp;

import io.tern.protocol.Frame;
import io.tern.protocol.MessageCodec;
import io.tern.transport.Delivery;
import io.tern.transport.DeliveryListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker's listener for one remote client: turns each delivery into a Delivery frame (the message's
 * cached encoding, so a message that came in over the wire goes out as the very same bytes) and a failure of
 * the broker connection (broker stopping, store lost) into an Error frame that ends the connection.
 *
 * <p>Called on broker threads, often under a destination's lock: it only encodes and queues, never blocks.
 */
final class DeliveryWriter implements DeliveryListener {

    private static final Logger LOG = LoggerFactory.getLogger(DeliveryWriter.class);

    private final OutboundFrames out;
    private final CreditLedger credit;

    DeliveryWriter(OutboundFrames out, CreditLedger credit) {
        this.out = out;
        this.credit = credit;
    }

    @Override
    public void onDelivery(Delivery delivery) {
        credit.delivered(delivery.consumerId());
        byte[] message = MessageCodec.encode(delivery.message());
        out.write(new Frame.Deliver(delivery.consumerId(), delivery.deliveryId(), delivery.deliveryCount(), message));
    }

    @Override
    public void onConnectionFailure(Exception cause) {
        LOG.debug("Broker connection of {} failed: {}", out.channel().remoteAddress(), cause.getMessage());
        out.write(JmsErrors.toFrame(0, cause));
        out.closeWhenWritten();
    }
}
