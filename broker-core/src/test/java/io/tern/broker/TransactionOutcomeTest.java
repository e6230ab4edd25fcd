package io.tern.broker;

import io.tern.protocol.Address;
import io.tern.protocol.MessageSnapshot;
import io.tern.transport.BrokerConnection;
import io.tern.transport.ConsumerSpec;
import io.tern.transport.Delivery;
import jakarta.jms.DeliveryMode;
import jakarta.jms.TransactionRolledBackException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The broker's answer to "was my commit applied?": commits with an outcome key, as a failover client makes
 * them, and the question asked on another connection, through {@link BrokerConnection} as vm:// hands it.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TransactionOutcomeTest {

    private static final Address QUEUE = Address.queue("outcomes");

    private final HeldWriteStore store = new HeldWriteStore();
    private final Broker broker = Broker.builder().name("outcomes").store(store).build().start();

    @AfterEach
    void close() {
        broker.close();
    }

    private static MessageSnapshot message(String producerId, long sequence, int deliveryMode) {
        return MessageSnapshot.builder().messageId("ID:" + producerId + ":" + sequence).destination(QUEUE)
                .producerId("ID:" + producerId).producerSequence(sequence).deliveryMode(deliveryMode)
                .body(MessageSnapshot.BodyType.TEXT, "m" + sequence).build();
    }

    @Test
    void aCommitWithAKeyIsReportedCommittedOnAnotherConnectionAndAfterARestart() throws Exception {
        BrokerConnection client = broker.connect(new DeliveryRecorder());
        client.send(1, message("p", 1, DeliveryMode.PERSISTENT)).get(10, TimeUnit.SECONDS);
        client.commit(1, new long[0], "key-1");

        BrokerConnection asker = broker.connect(new DeliveryRecorder());
        assertTrue(asker.transactionCommitted("key-1"));
        assertTrue(asker.transactionCommitted("key-1"), "asking again gives the same answer");
        assertEquals(1, broker.queueDepth(QUEUE.name()));

        broker.stop();
        broker.start();
        assertTrue(broker.connect(new DeliveryRecorder()).transactionCommitted("key-1"),
                "after a restart the broker finds the key in the store");
    }

    @Test
    void aCommitWithoutStoreWritesIsKnownWhileTheBrokerRuns() throws Exception {
        BrokerConnection client = broker.connect(new DeliveryRecorder());
        client.send(1, message("p", 1, DeliveryMode.NON_PERSISTENT)).get(10, TimeUnit.SECONDS);
        client.commit(1, new long[0], "key-memory");
        assertTrue(broker.connect(new DeliveryRecorder()).transactionCommitted("key-memory"));
    }

    @Test
    void notCommittedIsFinalALaterCommitWithTheKeyIsRefusedAndRolledBack() throws Exception {
        BrokerConnection seed = broker.connect(new DeliveryRecorder());
        seed.send(0, message("seed", 1, DeliveryMode.PERSISTENT)).get(10, TimeUnit.SECONDS);
        DeliveryRecorder deliveries = new DeliveryRecorder();
        BrokerConnection old = broker.connect(deliveries);
        old.addConsumer(ConsumerSpec.plain(1, QUEUE, null, false, 10));
        Delivery consumed = deliveries.next();
        old.send(7, message("p", 1, DeliveryMode.PERSISTENT)).get(10, TimeUnit.SECONDS);

        BrokerConnection asker = broker.connect(new DeliveryRecorder());
        assertFalse(asker.transactionCommitted("key-late"));

        assertThrows(TransactionRolledBackException.class,
                () -> old.commit(7, new long[] {consumed.deliveryId()}, "key-late"));
        assertFalse(asker.transactionCommitted("key-late"));
        Delivery again = deliveries.next();
        assertEquals("ID:seed:1", again.message().messageId(), "the consumed message came back");
        assertTrue(again.redelivered());
        assertEquals(1, broker.queueDepth(QUEUE.name()), "the transaction's send was dropped");
    }

    @Test
    void theQuestionWaitsForACommitInProgress() throws Exception {
        BrokerConnection client = broker.connect(new DeliveryRecorder());
        client.send(1, message("p", 1, DeliveryMode.PERSISTENT)).get(10, TimeUnit.SECONDS);
        store.hold();
        CompletableFuture<Void> commit = CompletableFuture.runAsync(() -> {
            try {
                client.commit(1, new long[0], "key-slow");
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        store.awaitApplied();
        BrokerConnection asker = broker.connect(new DeliveryRecorder());
        CompletableFuture<Boolean> answer = CompletableFuture.supplyAsync(() -> {
            try {
                return asker.transactionCommitted("key-slow");
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        Thread.sleep(200);
        assertFalse(answer.isDone(), "no answer while the commit is in progress");
        store.release();
        commit.get(10, TimeUnit.SECONDS);
        assertTrue(answer.get(10, TimeUnit.SECONDS));
    }

    @Test
    void aKeyIsUsedOnce() throws Exception {
        BrokerConnection client = broker.connect(new DeliveryRecorder());
        client.send(1, message("p", 1, DeliveryMode.PERSISTENT)).get(10, TimeUnit.SECONDS);
        client.commit(1, new long[0], "key-once");
        client.send(2, message("p", 2, DeliveryMode.PERSISTENT)).get(10, TimeUnit.SECONDS);
        assertThrows(jakarta.jms.JMSException.class, () -> client.commit(2, new long[0], "key-once"));
        assertEquals(1, broker.queueDepth(QUEUE.name()));
    }
}
