package io.tern.broker;

import io.tern.protocol.Address;
import io.tern.protocol.MessageSnapshot;
import io.tern.store.memory.MemoryPersistenceAdapter;
import io.tern.transport.BrokerConnection;
import io.tern.transport.ConsumerSpec;
import io.tern.transport.Delivery;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the broker records of its deliveries: a dispatch mark ahead of what it handed out (so a crash
 * cannot hide a delivery), lowered again by an orderly stop; and deliveries of a connection that goes
 * away without acknowledging come back flagged redelivered (the broker cannot know what its
 * application saw). The kill -9 case is store-kahadb's DispatchedCrashTest.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DispatchMarkTest {

    private static final Address QUEUE = Address.queue("marked");

    private final MemoryPersistenceAdapter store = new MemoryPersistenceAdapter();
    private final Broker broker = Broker.builder().name("dispatch-mark").store(store).build().start();

    @AfterEach
    void close() {
        broker.close();
    }

    private void send(int count) throws Exception {
        BrokerConnection producer = broker.connect(new DeliveryRecorder());
        for (int n = 1; n <= count; n++) {
            producer.send(0, MessageSnapshot.builder().messageId("ID:m" + n).destination(QUEUE)
                    .body(MessageSnapshot.BodyType.TEXT, "m" + n).build()).get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void theMarkIsRecordedAheadOfDispatchAndLoweredByAnOrderlyStop() throws Exception {
        send(3);
        assertEquals(0, store.queueStore(QUEUE.name()).dispatchMark(), "nothing dispatched yet");
        DeliveryRecorder deliveries = new DeliveryRecorder();
        BrokerConnection consumer = broker.connect(deliveries);
        consumer.addConsumer(ConsumerSpec.plain(1, QUEUE, null, false, 10));
        Delivery first = deliveries.next();
        assertTrue(store.queueStore(QUEUE.name()).dispatchMark() >= 3, "written before the first delivery");
        consumer.acknowledge(new long[] {first.deliveryId()});

        broker.stop();
        broker.start();
        assertEquals(0, store.queueStore(QUEUE.name()).dispatchMark(),
                "the orderly stop released every delivery with its count recorded: nothing is in doubt");
        DeliveryRecorder again = new DeliveryRecorder();
        broker.connect(again).addConsumer(ConsumerSpec.plain(1, QUEUE, null, false, 10));
        for (int i = 0; i < 2; i++) {
            Delivery d = again.next();
            assertTrue(d.redelivered(), "delivered before the stop: " + d.message().messageId());
        }
        assertNull(again.poll(200));
    }

    @Test
    void messagesNeverDispatchedBeforeAnOrderlyRestartAreNotFlagged() throws Exception {
        send(3);
        DeliveryRecorder deliveries = new DeliveryRecorder();
        BrokerConnection consumer = broker.connect(deliveries);
        consumer.addConsumer(ConsumerSpec.plain(1, QUEUE, null, false, 1));
        Delivery first = deliveries.next();
        consumer.acknowledge(new long[] {first.deliveryId()});
        consumer.addCredit(1, 1);
        deliveries.next();
        broker.stop();
        broker.start();
        DeliveryRecorder again = new DeliveryRecorder();
        broker.connect(again).addConsumer(ConsumerSpec.plain(1, QUEUE, null, false, 10));
        assertTrue(again.next().redelivered(), "m2 was delivered before the stop");
        Delivery third = again.next();
        assertEquals("ID:m3", third.message().messageId());
        assertFalse(third.redelivered(), "m3 was never dispatched, though within the mark's window");
    }

    @Test
    void deliveriesOfAConnectionThatGoesAwayComeBackRedelivered() throws Exception {
        send(2);
        DeliveryRecorder deliveries = new DeliveryRecorder();
        BrokerConnection failing = broker.connect(deliveries);
        failing.addConsumer(ConsumerSpec.plain(1, QUEUE, null, false, 10));
        deliveries.next();
        deliveries.next();
        // What the tcp transport does when the socket dies: the connection closes, nothing acknowledged.
        failing.close();
        DeliveryRecorder again = new DeliveryRecorder();
        broker.connect(again).addConsumer(ConsumerSpec.plain(1, QUEUE, null, false, 10));
        for (int i = 0; i < 2; i++) {
            Delivery d = again.next();
            assertTrue(d.redelivered());
            assertEquals(2, d.deliveryCount());
        }
    }
}
