package io.tern.jms;

import io.tern.broker.Broker;
import jakarta.jms.BytesMessage;
import jakarta.jms.CompletionListener;
import jakarta.jms.DeliveryMode;
import jakarta.jms.Destination;
import jakarta.jms.InvalidDestinationRuntimeException;
import jakarta.jms.JMSConsumer;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSProducer;
import jakarta.jms.JMSRuntimeException;
import jakarta.jms.MapMessage;
import jakarta.jms.Message;
import jakarta.jms.MessageFormatRuntimeException;
import jakarta.jms.MessageNotWriteableRuntimeException;
import jakarta.jms.ObjectMessage;
import jakarta.jms.Queue;
import jakarta.jms.TextMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** JMSProducer: fluent send options, properties with the conversion table, headers, bodies and sends. */
class JmsContextProducerTest {

    private Broker broker;
    private TernConnectionFactory factory;
    private JMSContext context;

    @BeforeEach
    void startBroker(TestInfo test) {
        String name = "jmsctx-producer-" + test.getTestMethod().orElseThrow().getName();
        broker = TestTransport.brokerBuilder().name(name).persistent(false).build().start();
        factory = TestTransport.connectionFactory(broker);
        context = factory.createContext();
    }

    @AfterEach
    void stopBroker() {
        context.close();
        broker.close();
    }

    @Test
    void settersAreFluentAndRemembered() {
        JMSProducer producer = context.createProducer();
        assertEquals(DeliveryMode.PERSISTENT, producer.getDeliveryMode());
        assertEquals(Message.DEFAULT_PRIORITY, producer.getPriority());
        assertEquals(0, producer.getTimeToLive());
        assertEquals(0, producer.getDeliveryDelay());
        assertNull(producer.getAsync());
        CompletionListener listener = new RecordingListener();
        Destination replyTo = context.createQueue("replies");

        JMSProducer same = producer.setDeliveryMode(DeliveryMode.NON_PERSISTENT).setPriority(8).setTimeToLive(60_000)
                .setDeliveryDelay(5).setDisableMessageID(true).setDisableMessageTimestamp(true).setAsync(listener)
                .setJMSCorrelationID("corr").setJMSType("kind").setJMSReplyTo(replyTo).setProperty("p", 1)
                .clearProperties().setProperty("q", "v");
        assertSame(producer, same);
        assertEquals(DeliveryMode.NON_PERSISTENT, producer.getDeliveryMode());
        assertEquals(8, producer.getPriority());
        assertEquals(60_000, producer.getTimeToLive());
        assertEquals(5, producer.getDeliveryDelay());
        assertTrue(producer.getDisableMessageID());
        assertTrue(producer.getDisableMessageTimestamp());
        assertSame(listener, producer.getAsync());
        assertEquals("corr", producer.getJMSCorrelationID());
        assertArrayEquals("corr".getBytes(StandardCharsets.UTF_8), producer.getJMSCorrelationIDAsBytes());
        assertEquals("kind", producer.getJMSType());
        assertEquals(replyTo, producer.getJMSReplyTo());
        assertEquals(Set.of("q"), producer.getPropertyNames());
        assertNull(producer.setAsync(null).getAsync());
    }

    @Test
    void invalidDeliveryModeOrPriorityIsAJmsRuntimeExceptionAndChangesNothing() {
        JMSProducer producer = context.createProducer();
        JMSRuntimeException mode = assertThrows(JMSRuntimeException.class, () -> producer.setDeliveryMode(3));
        assertTrue(mode.getMessage().contains("3"), mode.getMessage());
        assertThrows(JMSRuntimeException.class, () -> producer.setPriority(10));
        assertThrows(JMSRuntimeException.class, () -> producer.setPriority(-1));
        assertEquals(DeliveryMode.PERSISTENT, producer.getDeliveryMode());
        assertEquals(Message.DEFAULT_PRIORITY, producer.getPriority());
    }

    @Test
    void sendOptionsReachTheMessage() throws Exception {
        Queue queue = context.createQueue("options");
        JMSConsumer consumer = context.createConsumer(queue);
        long before = System.currentTimeMillis();
        context.createProducer().setDeliveryMode(DeliveryMode.NON_PERSISTENT).setPriority(7).setTimeToLive(60_000)
                .send(queue, "with options");
        Message m = consumer.receive(2000);
        assertEquals(DeliveryMode.NON_PERSISTENT, m.getJMSDeliveryMode());
        assertEquals(7, m.getJMSPriority());
        assertTrue(m.getJMSExpiration() >= before + 60_000, "expiration " + m.getJMSExpiration());
        assertNotNull(m.getJMSMessageID());
        assertTrue(m.getJMSTimestamp() >= before);
        assertEquals(queue, m.getJMSDestination());

        context.createProducer().setDisableMessageID(true).setDisableMessageTimestamp(true).send(queue, "bare");
        Message bare = consumer.receive(2000);
        assertNull(bare.getJMSMessageID());
        assertEquals(0, bare.getJMSTimestamp());
        assertEquals(0, bare.getJMSExpiration());
        assertEquals(DeliveryMode.PERSISTENT, bare.getJMSDeliveryMode());
    }

    @Test
    void deliveryDelayHoldsTheMessageBack() throws Exception {
        Queue queue = context.createQueue("delayed");
        JMSConsumer consumer = context.createConsumer(queue);
        long sent = System.currentTimeMillis();
        context.createProducer().setDeliveryDelay(400).send(queue, "later");
        assertNull(consumer.receive(150));
        Message m = consumer.receive(3000);
        assertNotNull(m);
        assertTrue(System.currentTimeMillis() - sent >= 390);
        assertTrue(m.getJMSDeliveryTime() >= sent + 400);
    }

    @Test
    void propertiesFollowTheConversionTable() {
        JMSProducer producer = context.createProducer();
        producer.setProperty("int", 42).setProperty("text", "12").setProperty("flag", true)
                .setProperty("float", 1.5f).setProperty("byte", (byte) 3).setProperty("short", (short) 300)
                .setProperty("long", 5L).setProperty("double", 2.25).setProperty("object", (Object) 9);

        assertEquals(42L, producer.getLongProperty("int"));
        assertEquals(42, producer.getObjectProperty("int"));
        assertEquals("42", producer.getStringProperty("int"));
        assertThrows(MessageFormatRuntimeException.class, () -> producer.getShortProperty("int"));
        assertThrows(MessageFormatRuntimeException.class, () -> producer.getBooleanProperty("int"));
        assertThrows(MessageFormatRuntimeException.class, () -> producer.getFloatProperty("int"));

        assertEquals(12, producer.getIntProperty("text"));
        assertEquals(12.0, producer.getDoubleProperty("text"));
        assertEquals(12, producer.getByteProperty("text"));
        producer.setProperty("word", "abc");
        assertThrows(NumberFormatException.class, () -> producer.getIntProperty("word"));
        assertThrows(MessageFormatRuntimeException.class, () -> producer.getByteProperty("flag"));
        assertTrue(producer.getBooleanProperty("flag"));
        assertEquals("true", producer.getStringProperty("flag"));
        assertThrows(MessageFormatRuntimeException.class, () -> producer.getIntProperty("flag"));

        assertEquals(1.5, producer.getDoubleProperty("float"));
        assertThrows(MessageFormatRuntimeException.class, () -> producer.getLongProperty("float"));
        assertEquals(3, producer.getShortProperty("byte"));
        assertEquals(300, producer.getIntProperty("short"));
        assertThrows(MessageFormatRuntimeException.class, () -> producer.getByteProperty("short"));
        assertThrows(MessageFormatRuntimeException.class, () -> producer.getIntProperty("long"));
        assertThrows(MessageFormatRuntimeException.class, () -> producer.getFloatProperty("double"));
        assertEquals(9, producer.getObjectProperty("object"));

        // Missing properties read as a null would: false, null, or NumberFormatException.
        assertFalse(producer.getBooleanProperty("missing"));
        assertNull(producer.getStringProperty("missing"));
        assertNull(producer.getObjectProperty("missing"));
        assertThrows(NumberFormatException.class, () -> producer.getIntProperty("missing"));
        assertFalse(producer.propertyExists("missing"));
        assertTrue(producer.propertyExists("int"));
    }

    @Test
    void propertyNamesAndValuesAreChecked() {
        JMSProducer producer = context.createProducer();
        assertThrows(IllegalArgumentException.class, () -> producer.setProperty(null, 1));
        assertThrows(IllegalArgumentException.class, () -> producer.setProperty("", "x"));
        assertThrows(IllegalArgumentException.class, () -> producer.setProperty("1abc", "x"));
        assertThrows(IllegalArgumentException.class, () -> producer.setProperty("AND", "x"));
        assertThrows(MessageFormatRuntimeException.class, () -> producer.setProperty("o", new Object()));
        assertThrows(MessageFormatRuntimeException.class, () -> producer.setProperty("c", (Object) 'c'));
        assertThrows(MessageFormatRuntimeException.class, () -> producer.setProperty("b", (Object) new byte[1]));
        assertTrue(producer.getPropertyNames().isEmpty());
    }

    @Test
    void propertyNamesAreAReadOnlyLiveView() {
        JMSProducer producer = context.createProducer().setProperty("a", 1);
        Set<String> names = producer.getPropertyNames();
        assertThrows(UnsupportedOperationException.class, () -> names.add("b"));
        producer.setProperty("b", 2);
        assertEquals(Set.of("a", "b"), names);
        producer.clearProperties();
        assertTrue(names.isEmpty());
        assertFalse(producer.propertyExists("a"));
    }

    @Test
    void producerPropertiesAndHeadersApplyToEachMessageOverItsOwn() throws Exception {
        Queue queue = context.createQueue("overrides");
        Queue replyTo = context.createQueue("reply-here");
        JMSConsumer consumer = context.createConsumer(queue);
        JMSProducer producer = context.createProducer().setProperty("shared", "from producer")
                .setProperty("count", 1).setJMSCorrelationID("corr-1").setJMSType("order").setJMSReplyTo(replyTo);

        TextMessage own = context.createTextMessage("own");
        own.setStringProperty("shared", "from message");
        own.setStringProperty("ownOnly", "kept");
        own.setJMSCorrelationID("message corr");
        own.setJMSType("message type");
        producer.send(queue, own);
        producer.send(queue, "second");

        Message first = consumer.receive(2000);
        assertEquals("from producer", first.getStringProperty("shared"));
        assertEquals("kept", first.getStringProperty("ownOnly"));
        assertEquals(1, first.getIntProperty("count"));
        assertEquals("corr-1", first.getJMSCorrelationID());
        assertEquals("order", first.getJMSType());
        assertEquals(replyTo, first.getJMSReplyTo());
        Message second = consumer.receive(2000);
        assertEquals("from producer", second.getStringProperty("shared"));
        assertEquals("corr-1", second.getJMSCorrelationID());
        assertEquals(replyTo, second.getJMSReplyTo());

        byte[] raw = {0x01, 0x02, 0x7f};
        producer.setJMSCorrelationIDAsBytes(raw);
        raw[0] = 0x55; // the producer keeps its own copy
        producer.send(queue, "bytes id");
        assertArrayEquals(new byte[] {0x01, 0x02, 0x7f}, consumer.receive(2000).getJMSCorrelationIDAsBytes());
    }

    @Test
    void propertiesOnAReadOnlyMessageAreNotWriteable() {
        Queue queue = context.createQueue("read-only");
        JMSConsumer consumer = context.createConsumer(queue);
        context.createProducer().send(queue, "received");
        Message received = consumer.receive(2000);
        JMSProducer producer = context.createProducer();
        producer.send(queue, received); // no producer properties: sent as it is
        assertEquals("received", consumer.receiveBody(String.class, 2000));
        producer.setProperty("extra", 1);
        assertThrows(MessageNotWriteableRuntimeException.class, () -> producer.send(queue, received));
    }

    @Test
    void eachBodySendMakesTheMatchingMessageType() throws Exception {
        Queue queue = context.createQueue("bodies");
        JMSConsumer consumer = context.createConsumer(queue);
        JMSProducer producer = context.createProducer().setProperty("tag", "t");

        producer.send(queue, "text");
        TextMessage text = (TextMessage) consumer.receive(2000);
        assertEquals("text", text.getText());
        assertEquals("t", text.getStringProperty("tag"));

        Map<String, Object> body = new HashMap<>();
        body.put("n", 1);
        body.put("s", "two");
        body.put("b", new byte[] {3});
        producer.send(queue, body);
        MapMessage map = (MapMessage) consumer.receive(2000);
        assertEquals(1, map.getInt("n"));
        assertEquals("two", map.getString("s"));
        assertArrayEquals(new byte[] {3}, map.getBytes("b"));
        assertEquals("t", map.getStringProperty("tag"));

        producer.send(queue, new byte[] {4, 5});
        BytesMessage bytes = (BytesMessage) consumer.receive(2000);
        assertEquals(2, bytes.getBodyLength());

        producer.send(queue, (Serializable) new ArrayList<>(List.of("x")));
        ObjectMessage object = (ObjectMessage) consumer.receive(2000);
        assertEquals(List.of("x"), object.getObject());

        producer.send(queue, (String) null);
        assertNull(((TextMessage) consumer.receive(2000)).getText());
        producer.send(queue, (Map<String, Object>) null);
        assertFalse(((MapMessage) consumer.receive(2000)).getMapNames().hasMoreElements());
        producer.send(queue, (byte[]) null);
        assertEquals(0, ((BytesMessage) consumer.receive(2000)).getBodyLength());
        producer.send(queue, (Serializable) null);
        assertNull(((ObjectMessage) consumer.receive(2000)).getObject());
    }

    @Test
    void badBodiesAndNullArgumentsAreRefused() {
        JMSProducer producer = context.createProducer();
        Queue queue = context.createQueue("refused");
        assertThrows(MessageFormatRuntimeException.class,
                () -> producer.send(queue, Collections.singletonMap("bad", (Object) new Object())));
        assertThrows(MessageFormatRuntimeException.class, () -> producer.send(queue, (Message) null));
        assertThrows(InvalidDestinationRuntimeException.class, () -> producer.send(null, context.createMessage()));
        assertThrows(InvalidDestinationRuntimeException.class, () -> producer.send(null, "text"));
        assertThrows(InvalidDestinationRuntimeException.class, () -> producer.send(null, Map.of()));
        assertThrows(InvalidDestinationRuntimeException.class, () -> producer.send(null, new byte[0]));
        assertThrows(InvalidDestinationRuntimeException.class, () -> producer.send(null, (Serializable) 1));
        assertEquals(0, broker.queueDepth("refused"));
    }

    @Test
    void asyncSendCallsTheCompletionListenerWithTheMessage() throws Exception {
        Queue queue = context.createQueue("async");
        RecordingListener listener = new RecordingListener();
        TextMessage message = context.createTextMessage("async");
        context.createProducer().setAsync(listener).setProperty("via", "async").send(queue, message);
        Message completed = listener.completions.poll(5, TimeUnit.SECONDS);
        assertSame(message, completed);
        assertNotNull(completed.getJMSMessageID());
        assertNotSame(Thread.currentThread(), listener.thread);
        Message received = context.createConsumer(queue).receive(2000);
        assertEquals("async", received.getStringProperty("via"));
        assertEquals(completed.getJMSMessageID(), received.getJMSMessageID());
    }

    @Test
    void closeWaitsForOutstandingCompletions() throws Exception {
        JMSContext own = factory.createContext();
        Queue queue = own.createQueue("async-close");
        RecordingListener slow = new RecordingListener() {
            @Override
            public void onCompletion(Message message) {
                sleep(200);
                super.onCompletion(message);
            }
        };
        JMSProducer producer = own.createProducer().setAsync(slow);
        for (int i = 0; i < 3; i++) {
            producer.send(queue, "m" + i);
        }
        own.close();
        assertEquals(3, slow.completions.size(), "close returned before every completion listener had");
        assertEquals(3, broker.queueDepth("async-close"));
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Records completions and the thread they came on. */
    static class RecordingListener implements CompletionListener {
        final BlockingQueue<Message> completions = new LinkedBlockingQueue<>();
        final BlockingQueue<Exception> failures = new LinkedBlockingQueue<>();
        volatile Thread thread;

        @Override
        public void onCompletion(Message message) {
            thread = Thread.currentThread();
            completions.add(message);
        }

        @Override
        public void onException(Message message, Exception exception) {
            thread = Thread.currentThread();
            failures.add(exception);
        }
    }
}
