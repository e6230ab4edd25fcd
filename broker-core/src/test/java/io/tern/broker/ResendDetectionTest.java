package io.tern.broker;

import io.tern.protocol.Address;
import io.tern.protocol.MessageSnapshot;
import io.tern.transport.BrokerConnection;
import io.tern.transport.ConsumerSpec;
import io.tern.transport.Delivery;
import jakarta.jms.DeliveryMode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * A failover client resends every send whose receipt it lost, as the same snapshot (producer ID and
 * sequence); the broker drops a resend of what it accepted and completes it normally. Through the
 * {@link BrokerConnection} vm:// hands out.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ResendDetectionTest {

    private static final Address QUEUE = Address.queue("resends");

    private final Broker broker = Broker.builder().name("resends").persistent(false).build().start();

    @AfterEach
    void close() {
        broker.close();
    }

    private static MessageSnapshot message(String producerId, long sequence, int deliveryMode) {
        return MessageSnapshot.builder().messageId("ID:" + producerId + ":" + sequence).destination(QUEUE)
                .producerId("ID:" + producerId).producerSequence(sequence).deliveryMode(deliveryMode)
                .body(MessageSnapshot.BodyType.TEXT, "m" + sequence).build();
    }

    private static void send(BrokerConnection c, long tx, MessageSnapshot m) throws Exception {
        c.send(tx, m).get(10, TimeUnit.SECONDS);
    }

    @Test
    void theSameSnapshotSentTwiceIsDeliveredOnceWhetherStoredOrConsumedAlready() throws Exception {
        BrokerConnection old = broker.connect(new DeliveryRecorder());
        BrokerConnection fresh = broker.connect(new DeliveryRecorder());
        for (int mode : new int[] {DeliveryMode.PERSISTENT, DeliveryMode.NON_PERSISTENT}) {
            MessageSnapshot m = message("p" + mode, 1, mode);
            send(old, 0, m);
            send(fresh, 0, m);
            send(fresh, 0, message("p" + mode, 2, mode));
        }
        assertEquals(4, broker.queueDepth(QUEUE.name()));

        DeliveryRecorder deliveries = new DeliveryRecorder();
        BrokerConnection consumer = broker.connect(deliveries);
        consumer.addConsumer(ConsumerSpec.plain(1, QUEUE, null, false, 100));
        for (int i = 0; i < 4; i++) {
            Delivery d = deliveries.next();
            consumer.acknowledge(new long[] {d.deliveryId()});
        }
        assertNull(deliveries.poll(200));
        send(fresh, 0, message("p" + DeliveryMode.PERSISTENT, 2, DeliveryMode.PERSISTENT));
        assertNull(deliveries.poll(200), "a resend of a message consumed already is dropped too");
        send(fresh, 0, message("p" + DeliveryMode.PERSISTENT, 3, DeliveryMode.PERSISTENT));
        assertEquals("ID:p2:3", deliveries.next().message().messageId());
    }

    @Test
    void resendsInsideACommittedTransactionAreDropped() throws Exception {
        BrokerConnection client = broker.connect(new DeliveryRecorder());
        send(client, 0, message("p", 1, DeliveryMode.PERSISTENT));
        send(client, 5, message("p", 1, DeliveryMode.PERSISTENT));
        send(client, 5, message("p", 2, DeliveryMode.PERSISTENT));
        client.commit(5, new long[0]);
        assertEquals(2, broker.queueDepth(QUEUE.name()));

        send(client, 6, message("p", 2, DeliveryMode.PERSISTENT));
        send(client, 6, message("p", 3, DeliveryMode.PERSISTENT));
        client.commit(6, new long[0], "outcome-6");
        assertEquals(3, broker.queueDepth(QUEUE.name()));
    }

    @Test
    void aRolledBackTransactionAcceptsNothingSoItsSendsMaySucceedLater() throws Exception {
        BrokerConnection client = broker.connect(new DeliveryRecorder());
        send(client, 5, message("p", 1, DeliveryMode.PERSISTENT));
        client.rollback(5, new long[0]);
        send(client, 6, message("p", 1, DeliveryMode.PERSISTENT));
        client.commit(6, new long[0]);
        assertEquals(1, broker.queueDepth(QUEUE.name()));
    }

    @Test
    void aResendWhileTheOriginalIsBeingStoredCompletesWhenTheOriginalDoes() throws Exception {
        HeldWriteStore store = new HeldWriteStore();
        try (Broker held = Broker.builder().name("resends-held").store(store).build().start()) {
            BrokerConnection old = held.connect(new DeliveryRecorder());
            BrokerConnection fresh = held.connect(new DeliveryRecorder());
            MessageSnapshot m = message("p", 1, DeliveryMode.PERSISTENT);
            store.holdAdds();
            java.util.concurrent.CompletableFuture<Void> original = old.send(0, m);
            store.awaitApplied();
            java.util.concurrent.CompletableFuture<Void> resend = fresh.send(0, m);
            Thread.sleep(200);
            assertEquals(false, resend.isDone(), "the resend waits for the original's store write");
            store.release();
            original.get(10, TimeUnit.SECONDS);
            resend.get(10, TimeUnit.SECONDS);
            assertEquals(1, held.queueDepth(QUEUE.name()));
        }
    }

    @Test
    void messagesWithoutProducerIdentityAreNeverResends() throws Exception {
        BrokerConnection client = broker.connect(new DeliveryRecorder());
        MessageSnapshot anonymous = MessageSnapshot.builder().messageId("ID:x").destination(QUEUE)
                .body(MessageSnapshot.BodyType.TEXT, "x").build();
        send(client, 0, anonymous);
        send(client, 0, anonymous);
        assertEquals(2, broker.queueDepth(QUEUE.name()));
    }
}
