package io.tern.broker;

import io.tern.transport.Delivery;
import io.tern.transport.DeliveryListener;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertNotNull;

/** A client connection's listener for tests that speak to the broker through {@code BrokerConnection}. */
final class DeliveryRecorder implements DeliveryListener {

    private final BlockingQueue<Delivery> deliveries = new LinkedBlockingQueue<>();

    @Override
    public void onDelivery(Delivery delivery) {
        deliveries.add(delivery);
    }

    @Override
    public void onConnectionFailure(Exception cause) {
    }

    Delivery next() throws InterruptedException {
        Delivery d = deliveries.poll(10, TimeUnit.SECONDS);
        assertNotNull(d, "no delivery within 10 s");
        return d;
    }

    /** The next delivery if one comes within {@code millis}, else null. */
    Delivery poll(long millis) throws InterruptedException {
        return deliveries.poll(millis, TimeUnit.MILLISECONDS);
    }
}
