package io.tern.jms;

import io.tern.broker.Broker;
import jakarta.jms.IllegalStateRuntimeException;
import jakarta.jms.JMSConsumer;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSProducer;
import jakarta.jms.Message;
import jakarta.jms.Queue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Acknowledgement and transactions through JMSContext, one test per session mode and rule. */
class JmsContextSessionModesTest {

    private Broker broker;
    private TernConnectionFactory factory;

    @BeforeEach
    void startBroker(TestInfo test) {
        String name = "jmsctx-modes-" + test.getTestMethod().orElseThrow().getName();
        broker = TestTransport.brokerBuilder().name(name).persistent(false).build().start();
        factory = TestTransport.connectionFactory(broker);
    }

    @AfterEach
    void stopBroker() {
        broker.close();
    }

    @Test
    void autoAcknowledgeConsumesOnReceive() throws Exception {
        try (JMSContext context = factory.createContext(JMSContext.AUTO_ACKNOWLEDGE)) {
            Queue queue = context.createQueue("auto");
            send(context, queue, 3);
            JMSConsumer consumer = context.createConsumer(queue);
            for (int i = 0; i < 3; i++) {
                assertEquals("m" + i, consumer.receiveBody(String.class, 2000));
            }
            context.acknowledge(); // no effect outside CLIENT_ACKNOWLEDGE, and no error
            context.recover();     // nothing unacknowledged to give back
            assertNull(consumer.receive(200));
        }
        awaitDepth("auto", 0);
    }

    @Test
    void clientAcknowledgeKeepsMessagesUntilTheContextAcknowledges() throws Exception {
        Queue queue;
        try (JMSContext context = factory.createContext(JMSContext.CLIENT_ACKNOWLEDGE)) {
            queue = context.createQueue("client");
            send(context, queue, 3);
            JMSConsumer consumer = context.createConsumer(queue);
            assertEquals("m0", consumer.receiveBody(String.class, 2000));
            assertEquals("m1", consumer.receiveBody(String.class, 2000));
            context.recover();
            Message again = consumer.receive(2000);
            assertEquals("m0", again.getBody(String.class));
            assertTrue(again.getJMSRedelivered());
            assertEquals(2, again.getIntProperty("JMSXDeliveryCount"));
            assertEquals("m1", consumer.receiveBody(String.class, 2000));
            assertEquals(3, broker.queueDepth("client"));
            context.acknowledge();
            awaitDepth("client", 1);
            // m2 was never received: it stays for the next consumer.
        }
        try (JMSContext context = factory.createContext(JMSContext.CLIENT_ACKNOWLEDGE)) {
            JMSConsumer consumer = context.createConsumer(queue);
            assertEquals("m2", consumer.receiveBody(String.class, 2000));
            assertNull(consumer.receive(200));
        }
    }

    @Test
    void clientAcknowledgeThroughTheMessageAcknowledgesTheWholeSession() throws Exception {
        try (JMSContext context = factory.createContext(JMSContext.CLIENT_ACKNOWLEDGE)) {
            Queue queue = context.createQueue("via-message");
            send(context, queue, 2);
            JMSConsumer consumer = context.createConsumer(queue);
            consumer.receive(2000);
            Message second = consumer.receive(2000);
            second.acknowledge();
            awaitDepth("via-message", 0);
        }
    }

    @Test
    void unacknowledgedMessagesComeBackAfterClose() throws Exception {
        Queue queue;
        try (JMSContext context = factory.createContext(JMSContext.CLIENT_ACKNOWLEDGE)) {
            queue = context.createQueue("unacked");
            send(context, queue, 1);
            assertEquals("m0", context.createConsumer(queue).receiveBody(String.class, 2000));
        }
        try (JMSContext context = factory.createContext(JMSContext.AUTO_ACKNOWLEDGE)) {
            Message m = context.createConsumer(queue).receive(2000);
            assertNotNull(m);
            assertTrue(m.getJMSRedelivered());
        }
    }

    @Test
    void dupsOkConsumesEverythingByClose() throws Exception {
        try (JMSContext context = factory.createContext(JMSContext.DUPS_OK_ACKNOWLEDGE)) {
            Queue queue = context.createQueue("dups");
            send(context, queue, 5);
            JMSConsumer consumer = context.createConsumer(queue);
            for (int i = 0; i < 5; i++) {
                assertEquals("m" + i, consumer.receiveBody(String.class, 2000));
            }
        }
        awaitDepth("dups", 0);
        try (JMSContext context = factory.createContext()) {
            assertNull(context.createConsumer(context.createQueue("dups")).receive(200));
        }
    }

    @Test
    void transactedSendsAppearAtCommitOnly() throws Exception {
        try (JMSContext tx = factory.createContext(JMSContext.SESSION_TRANSACTED);
             JMSContext reader = factory.createContext()) {
            assertTrue(tx.getTransacted());
            Queue queue = tx.createQueue("tx-send");
            send(tx, queue, 2);
            JMSConsumer consumer = reader.createConsumer(queue);
            assertNull(consumer.receive(200));
            tx.rollback();
            assertNull(consumer.receive(200));
            send(tx, queue, 2);
            tx.commit();
            assertEquals("m0", consumer.receiveBody(String.class, 2000));
            assertEquals("m1", consumer.receiveBody(String.class, 2000));
        }
    }

    @Test
    void transactedReceivesAreUndoneByRollback() throws Exception {
        try (JMSContext tx = factory.createContext(JMSContext.SESSION_TRANSACTED)) {
            Queue queue = tx.createQueue("tx-receive");
            send(tx, queue, 1);
            tx.commit();
            JMSConsumer consumer = tx.createConsumer(queue);
            Message first = consumer.receive(2000);
            assertFalse(first.getJMSRedelivered());
            tx.rollback();
            Message again = consumer.receive(2000);
            assertEquals("m0", again.getBody(String.class));
            assertTrue(again.getJMSRedelivered());
            tx.commit();
            awaitDepth("tx-receive", 0);
            assertNull(consumer.receive(200));
        }
    }

    @Test
    void closingATransactedContextRollsBack() {
        Queue queue;
        try (JMSContext tx = factory.createContext(JMSContext.SESSION_TRANSACTED)) {
            queue = tx.createQueue("tx-close");
            send(tx, queue, 1);
        }
        try (JMSContext reader = factory.createContext()) {
            assertNull(reader.createConsumer(queue).receive(200));
        }
    }

    @Test
    void commitAndRollbackNeedATransactionAndRecoverMustNotHaveOne() {
        for (int mode : new int[] {JMSContext.AUTO_ACKNOWLEDGE, JMSContext.CLIENT_ACKNOWLEDGE,
                                   JMSContext.DUPS_OK_ACKNOWLEDGE}) {
            try (JMSContext context = factory.createContext(mode)) {
                assertThrows(IllegalStateRuntimeException.class, context::commit);
                assertThrows(IllegalStateRuntimeException.class, context::rollback);
                context.recover();
            }
        }
        try (JMSContext tx = factory.createContext(JMSContext.SESSION_TRANSACTED)) {
            assertThrows(IllegalStateRuntimeException.class, tx::recover);
            tx.acknowledge(); // no effect in a transacted context
        }
    }

    private static void send(JMSContext context, Queue queue, int count) {
        JMSProducer producer = context.createProducer();
        for (int i = 0; i < count; i++) {
            producer.send(queue, "m" + i);
        }
    }

    private void awaitDepth(String queue, long expected) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 5000;
        while (broker.queueDepth(queue) != expected && System.currentTimeMillis() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(expected, broker.queueDepth(queue));
    }
}
