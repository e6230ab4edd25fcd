package io.tern.jms;

import io.tern.broker.Broker;
import jakarta.jms.JMSConsumer;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSProducer;
import jakarta.jms.Message;
import jakarta.jms.MessageFormatRuntimeException;
import jakarta.jms.Queue;
import jakarta.jms.StreamMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

import java.io.Serializable;
import java.math.BigDecimal;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * JMSConsumer.receiveBody: the body types it returns, the messages it refuses, its timeouts, and what
 * becomes of a message whose body does not fit in each session mode (JMSConsumer javadoc).
 */
class JmsContextReceiveBodyTest {

    private Broker broker;
    private TernConnectionFactory factory;

    @BeforeEach
    void startBroker(TestInfo test) {
        String name = "jmsctx-body-" + test.getTestMethod().orElseThrow().getName();
        broker = TestTransport.brokerBuilder().name(name).persistent(false).build().start();
        factory = TestTransport.connectionFactory(broker);
    }

    @AfterEach
    void stopBroker() {
        broker.close();
    }

    @Test
    void returnsEachBodyTypeAsItsClassOrASupertype() {
        try (JMSContext context = factory.createContext()) {
            Queue queue = context.createQueue("bodies");
            JMSProducer producer = context.createProducer();
            JMSConsumer consumer = context.createConsumer(queue);

            producer.send(queue, "text");
            assertEquals("text", consumer.receiveBody(String.class, 2000));
            producer.send(queue, "as object");
            assertEquals("as object", consumer.receiveBody(Object.class, 2000));
            producer.send(queue, "as char sequence");
            assertEquals("as char sequence", consumer.receiveBody(CharSequence.class, 2000).toString());

            producer.send(queue, new byte[] {1, 2, 3});
            assertArrayEquals(new byte[] {1, 2, 3}, consumer.receiveBody(byte[].class, 2000));

            producer.send(queue, Map.of("a", 1, "b", "two"));
            @SuppressWarnings("unchecked")
            Map<String, Object> map = consumer.receiveBody(Map.class, 2000);
            assertEquals(Map.of("a", 1, "b", "two"), map);

            producer.send(queue, new BigDecimal("1.5"));
            assertEquals(new BigDecimal("1.5"), consumer.receiveBody(BigDecimal.class, 2000));
            producer.send(queue, (Serializable) new BigDecimal("2.5"));
            assertEquals(new BigDecimal("2.5"), consumer.receiveBody(Number.class, 2000));

            producer.send(queue, "blocking");
            assertEquals("blocking", consumer.receiveBody(String.class));
            producer.send(queue, "no wait");
            assertEquals("no wait", awaitNoWait(consumer));
        }
    }

    @Test
    void timeoutsReturnNull() {
        try (JMSContext context = factory.createContext()) {
            JMSConsumer consumer = context.createConsumer(context.createQueue("empty"));
            assertNull(consumer.receiveBodyNoWait(String.class));
            long start = System.nanoTime();
            assertNull(consumer.receiveBody(String.class, 150));
            assertTrue(System.nanoTime() - start >= 140_000_000L);
        }
    }

    @Test
    void plainStreamAndBodylessMessagesAreRefused() throws Exception {
        try (JMSContext context = factory.createContext()) {
            Queue queue = context.createQueue("refused");
            JMSProducer producer = context.createProducer();
            JMSConsumer consumer = context.createConsumer(queue);

            producer.send(queue, context.createMessage());
            assertThrows(MessageFormatRuntimeException.class, () -> consumer.receiveBody(Object.class, 2000));
            assertTrue(consumer.receive(2000) instanceof Message);

            StreamMessage stream = context.createStreamMessage();
            stream.writeInt(1);
            producer.send(queue, stream);
            assertThrows(MessageFormatRuntimeException.class, () -> consumer.receiveBody(Object.class, 2000));
            assertTrue(consumer.receive(2000) instanceof StreamMessage);

            producer.send(queue, (String) null);
            assertThrows(MessageFormatRuntimeException.class, () -> consumer.receiveBody(String.class, 2000));
            consumer.receive(2000);
            producer.send(queue, (byte[]) null);
            assertThrows(MessageFormatRuntimeException.class, () -> consumer.receiveBody(byte[].class, 2000));
            consumer.receive(2000);
            producer.send(queue, (Serializable) null);
            assertThrows(MessageFormatRuntimeException.class, () -> consumer.receiveBody(Object.class, 2000));
            consumer.receive(2000);
            assertNull(consumer.receiveNoWait());
        }
    }

    @Test
    void mismatchInAutoAcknowledgeLeavesTheMessageForTheNextReceive() throws Exception {
        assertMismatchIsAsIfTheCallHadNotHappened(JMSContext.AUTO_ACKNOWLEDGE, "auto-mismatch");
    }

    @Test
    void mismatchInDupsOkLeavesTheMessageForTheNextReceive() throws Exception {
        assertMismatchIsAsIfTheCallHadNotHappened(JMSContext.DUPS_OK_ACKNOWLEDGE, "dups-mismatch");
    }

    private void assertMismatchIsAsIfTheCallHadNotHappened(int mode, String queueName) throws Exception {
        try (JMSContext context = factory.createContext(mode)) {
            Queue queue = context.createQueue(queueName);
            JMSProducer producer = context.createProducer();
            producer.send(queue, "first");
            producer.send(queue, "second");
            JMSConsumer consumer = context.createConsumer(queue);

            assertThrows(MessageFormatRuntimeException.class, () -> consumer.receiveBody(byte[].class, 2000));
            assertThrows(MessageFormatRuntimeException.class, () -> consumer.receiveBodyNoWait(Integer.class));
            assertEquals(2, broker.queueDepth(queueName), "the refused message must not be acknowledged");

            Message again = consumer.receive(2000);
            assertEquals("first", again.getBody(String.class));
            assertFalse(again.getJMSRedelivered(), "not a redelivery");
            assertEquals(1, again.getIntProperty("JMSXDeliveryCount"));
            assertEquals("second", consumer.receiveBody(String.class, 2000));
            assertNull(consumer.receiveNoWait());
        }
        awaitDepth(queueName, 0);
    }

    @Test
    void mismatchAfterPutBackStillTakesTheRightTypeNext() {
        try (JMSContext context = factory.createContext()) {
            Queue queue = context.createQueue("retry");
            context.createProducer().send(queue, new byte[] {9});
            JMSConsumer consumer = context.createConsumer(queue);
            assertThrows(MessageFormatRuntimeException.class, () -> consumer.receiveBody(String.class, 2000));
            assertArrayEquals(new byte[] {9}, consumer.receiveBody(byte[].class, 2000));
        }
    }

    @Test
    void mismatchInClientAcknowledgeCountsAsReceivedUntilRecover() throws Exception {
        try (JMSContext context = factory.createContext(JMSContext.CLIENT_ACKNOWLEDGE)) {
            Queue queue = context.createQueue("client-mismatch");
            JMSProducer producer = context.createProducer();
            producer.send(queue, "first");
            producer.send(queue, "second");
            JMSConsumer consumer = context.createConsumer(queue);

            assertThrows(MessageFormatRuntimeException.class, () -> consumer.receiveBody(Map.class, 2000));
            assertEquals("second", consumer.receiveBody(String.class, 2000));
            context.recover();
            Message again = consumer.receive(2000);
            assertEquals("first", again.getBody(String.class));
            assertTrue(again.getJMSRedelivered());
            assertEquals(2, again.getIntProperty("JMSXDeliveryCount"));
            assertEquals("second", consumer.receiveBody(String.class, 2000));
            context.acknowledge();
        }
        awaitDepth("client-mismatch", 0);
    }

    @Test
    void mismatchInATransactionCountsAsReceivedUntilRollback() throws Exception {
        try (JMSContext context = factory.createContext(JMSContext.SESSION_TRANSACTED)) {
            Queue queue = context.createQueue("tx-mismatch");
            JMSProducer producer = context.createProducer();
            producer.send(queue, "first");
            producer.send(queue, "second");
            context.commit();
            JMSConsumer consumer = context.createConsumer(queue);

            assertThrows(MessageFormatRuntimeException.class, () -> consumer.receiveBody(byte[].class, 2000));
            assertEquals("second", consumer.receiveBody(String.class, 2000));
            context.rollback();
            Message again = consumer.receive(2000);
            assertEquals("first", again.getBody(String.class));
            assertTrue(again.getJMSRedelivered());
            assertEquals("second", consumer.receiveBody(String.class, 2000));
            context.commit();
        }
        awaitDepth("tx-mismatch", 0);
    }

    @Test
    void objectOfAnotherClassIsAMismatch() {
        try (JMSContext context = factory.createContext()) {
            Queue queue = context.createQueue("object-mismatch");
            context.createProducer().send(queue, (Serializable) Integer.valueOf(7));
            JMSConsumer consumer = context.createConsumer(queue);
            assertThrows(MessageFormatRuntimeException.class, () -> consumer.receiveBody(String.class, 2000));
            assertEquals(7, consumer.receiveBody(Integer.class, 2000));
        }
    }

    /** receiveBodyNoWait may run before the broker has handed the message over; retry briefly. */
    private static String awaitNoWait(JMSConsumer consumer) {
        long deadline = System.currentTimeMillis() + 2000;
        String body;
        do {
            body = consumer.receiveBodyNoWait(String.class);
        } while (body == null && System.currentTimeMillis() < deadline);
        return body;
    }

    private void awaitDepth(String queue, long expected) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 5000;
        while (broker.queueDepth(queue) != expected && System.currentTimeMillis() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(expected, broker.queueDepth(queue));
    }
}
