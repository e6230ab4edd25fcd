package io.tern.jms.api;

import io.tern.broker.Broker;
import io.tern.jms.TestTransport;
import jakarta.jms.BytesMessage;
import jakarta.jms.CompletionListener;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.IllegalStateException;
import jakarta.jms.InvalidDestinationException;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static io.tern.jms.TestTransport.connectionFactory;
import static io.tern.jms.api.ApiTestSupport.ABSENT_TIMEOUT;
import static io.tern.jms.api.ApiTestSupport.RECEIVE_TIMEOUT;
import static io.tern.jms.api.ApiTestSupport.awaitBlocked;
import static io.tern.jms.api.ApiTestSupport.receiveExpected;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** MessageProducer (Jakarta Messaging 3.1, 7): headers it sets, anonymous producers, async send. */
class ProducerTest {

    private final ApiTestSupport.Resources resources = new ApiTestSupport.Resources();
    private Broker broker;
    private Connection connection;
    private Session session;

    @BeforeEach
    void start() throws JMSException {
        broker = resources.add(ApiTestSupport.startBroker("producer"));
        connection = resources.started(connectionFactory(broker).createConnection());
        session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
    }

    @AfterEach
    void closeAll() {
        resources.close();
    }

    private MessageConsumer consumer(Queue q) throws JMSException {
        return connection.createSession(false, Session.AUTO_ACKNOWLEDGE).createConsumer(q);
    }

    @Test
    void defaultsAndTheHeadersTheySet() throws Exception {
        Queue q = session.createQueue("defaults");
        MessageProducer p = session.createProducer(q);
        assertEquals(DeliveryMode.PERSISTENT, p.getDeliveryMode());
        assertEquals(Message.DEFAULT_PRIORITY, p.getPriority());
        assertEquals(Message.DEFAULT_TIME_TO_LIVE, p.getTimeToLive());
        assertEquals(Message.DEFAULT_DELIVERY_DELAY, p.getDeliveryDelay());
        assertFalse(p.getDisableMessageID());
        assertFalse(p.getDisableMessageTimestamp());
        assertEquals(q, p.getDestination());

        MessageConsumer c = consumer(q);
        TextMessage sent = session.createTextMessage("defaults");
        long before = System.currentTimeMillis();
        p.send(sent);
        long after = System.currentTimeMillis();

        // The send sets the headers on the message object it was given.
        assertEquals(q, sent.getJMSDestination());
        assertEquals(DeliveryMode.PERSISTENT, sent.getJMSDeliveryMode());
        assertEquals(4, sent.getJMSPriority());
        assertEquals(0, sent.getJMSExpiration());
        assertNotNull(sent.getJMSMessageID());
        assertTrue(sent.getJMSTimestamp() >= before && sent.getJMSTimestamp() <= after);

        Message m = receiveExpected(c);
        assertEquals(q, m.getJMSDestination());
        assertEquals(DeliveryMode.PERSISTENT, m.getJMSDeliveryMode());
        assertEquals(4, m.getJMSPriority());
        assertEquals(0, m.getJMSExpiration(), "no time to live: never expires");
        assertEquals(sent.getJMSMessageID(), m.getJMSMessageID());
        assertEquals(sent.getJMSTimestamp(), m.getJMSTimestamp());
        assertTrue(m.getJMSDeliveryTime() >= m.getJMSTimestamp(), "JMSDeliveryTime = JMSTimestamp + 0 delay");
        assertTrue(m.getJMSDeliveryTime() <= after);
    }

    @Test
    void producerSettingsBecomeHeaders() throws Exception {
        Queue q = session.createQueue("settings");
        MessageProducer p = session.createProducer(q);
        p.setDeliveryMode(DeliveryMode.NON_PERSISTENT);
        p.setPriority(7);
        p.setTimeToLive(60_000);
        assertEquals(DeliveryMode.NON_PERSISTENT, p.getDeliveryMode());
        assertEquals(7, p.getPriority());
        assertEquals(60_000, p.getTimeToLive());
        MessageConsumer c = consumer(q);
        long before = System.currentTimeMillis();
        p.send(session.createTextMessage("x"));
        long after = System.currentTimeMillis();
        Message m = receiveExpected(c);
        assertEquals(DeliveryMode.NON_PERSISTENT, m.getJMSDeliveryMode());
        assertEquals(7, m.getJMSPriority());
        assertTrue(m.getJMSExpiration() >= before + 60_000 && m.getJMSExpiration() <= after + 60_000,
                "JMSExpiration = send time + time to live, was " + m.getJMSExpiration());
    }

    @Test
    void perSendArgumentsOverrideTheProducerAndDoNotChangeIt() throws Exception {
        Queue q = session.createQueue("per-send");
        MessageProducer p = session.createProducer(q);
        MessageConsumer c = consumer(q);
        long before = System.currentTimeMillis();
        p.send(session.createTextMessage("x"), DeliveryMode.NON_PERSISTENT, 9, 30_000);
        Message m = receiveExpected(c);
        assertEquals(DeliveryMode.NON_PERSISTENT, m.getJMSDeliveryMode());
        assertEquals(9, m.getJMSPriority());
        assertTrue(m.getJMSExpiration() >= before + 30_000);
        assertEquals(DeliveryMode.PERSISTENT, p.getDeliveryMode());
        assertEquals(4, p.getPriority());
        assertEquals(0, p.getTimeToLive());
    }

    @Test
    void headersSetByTheApplicationAreOverwrittenBySend() throws Exception {
        Queue q = session.createQueue("overwrite");
        MessageProducer p = session.createProducer(q);
        MessageConsumer c = consumer(q);
        TextMessage msg = session.createTextMessage("x");
        msg.setJMSPriority(1);
        msg.setJMSDeliveryMode(DeliveryMode.NON_PERSISTENT);
        msg.setJMSExpiration(12345);
        msg.setJMSMessageID("ID:mine");
        msg.setJMSDestination(session.createQueue("elsewhere"));
        p.send(msg);
        Message m = receiveExpected(c);
        assertEquals(4, m.getJMSPriority());
        assertEquals(DeliveryMode.PERSISTENT, m.getJMSDeliveryMode());
        assertEquals(0, m.getJMSExpiration());
        assertNotEquals("ID:mine", m.getJMSMessageID());
        assertEquals(q, m.getJMSDestination());
    }

    @Test
    void deliveryDelayHoldsTheMessageBack() throws Exception {
        Queue q = session.createQueue("delay");
        MessageProducer p = session.createProducer(q);
        p.setDeliveryDelay(2_000);
        assertEquals(2_000, p.getDeliveryDelay());
        MessageConsumer c = consumer(q);
        p.send(session.createTextMessage("later"));
        assertNull(c.receive(ABSENT_TIMEOUT), "a message with a delivery delay came early");
        Message m = receiveExpected(c);
        assertEquals("later", ((TextMessage) m).getText());
        assertTrue(m.getJMSDeliveryTime() >= m.getJMSTimestamp() + 2_000,
                "JMSDeliveryTime = JMSTimestamp + delivery delay");
    }

    @Test
    void expiredMessagesAreNotDelivered() throws Exception {
        Queue q = session.createQueue("expiry");
        MessageProducer p = session.createProducer(q);
        p.send(session.createTextMessage("short-lived"), DeliveryMode.NON_PERSISTENT, 4, 50);
        p.send(session.createTextMessage("long-lived"), DeliveryMode.NON_PERSISTENT, 4, 0);
        Thread.sleep(300);
        MessageConsumer c = consumer(q);
        assertEquals("long-lived", ((TextMessage) receiveExpected(c)).getText());
        assertNull(c.receive(ABSENT_TIMEOUT));
    }

    @Test
    void messagesThatExpireInTheConsumersBufferAreNotDelivered() throws Exception {
        connection.stop();
        Queue q = session.createQueue("expire-buffered");
        MessageConsumer c = consumer(q); // buffers what the broker sends even while stopped
        MessageProducer p = session.createProducer(q);
        p.send(session.createTextMessage("short-lived"), DeliveryMode.PERSISTENT, 4, 100);
        p.send(session.createTextMessage("long-lived"), DeliveryMode.PERSISTENT, 4, 0);
        Thread.sleep(400);
        connection.start();
        assertEquals("long-lived", ((TextMessage) receiveExpected(c)).getText());
        assertNull(c.receive(ABSENT_TIMEOUT));
        ApiTestSupport.await("the expired message to leave the queue", () -> broker.queueDepth("expire-buffered") == 0);
    }

    @Test
    void expiredMessagesAreNotBrowsed() throws Exception {
        Queue q = session.createQueue("expire-browse");
        MessageProducer p = session.createProducer(q);
        p.send(session.createTextMessage("short-lived"), DeliveryMode.NON_PERSISTENT, 4, 50);
        p.send(session.createTextMessage("long-lived"), DeliveryMode.NON_PERSISTENT, 4, 0);
        Thread.sleep(300);
        java.util.List<?> seen = java.util.Collections.list(session.createBrowser(q).getEnumeration());
        assertEquals(1, seen.size());
        assertEquals("long-lived", ((TextMessage) seen.get(0)).getText());
    }

    @Test
    void timeToLiveAppliesToTopicSubscribersToo() throws Exception {
        jakarta.jms.Topic t = session.createTopic("expire-topic");
        connection.stop();
        MessageConsumer subscriber = session.createConsumer(t);
        MessageProducer p = session.createProducer(t);
        p.send(session.createTextMessage("short-lived"), DeliveryMode.NON_PERSISTENT, 4, 50);
        p.send(session.createTextMessage("long-lived"), DeliveryMode.NON_PERSISTENT, 4, 0);
        Thread.sleep(300);
        connection.start();
        assertEquals("long-lived", ((TextMessage) receiveExpected(subscriber)).getText());
        assertNull(subscriber.receive(ABSENT_TIMEOUT));
    }

    @Test
    void disabledMessageIdAndTimestamp() throws Exception {
        Queue q = session.createQueue("disabled");
        MessageProducer p = session.createProducer(q);
        p.setDisableMessageID(true);
        p.setDisableMessageTimestamp(true);
        assertTrue(p.getDisableMessageID());
        assertTrue(p.getDisableMessageTimestamp());
        MessageConsumer c = consumer(q);
        p.send(session.createTextMessage("anonymous"));
        Message m = receiveExpected(c);
        assertNull(m.getJMSMessageID());
        assertEquals(0, m.getJMSTimestamp());
        assertEquals("anonymous", ((TextMessage) m).getText());
    }

    @Test
    void messageIdsAreUniqueAndStartWithId() throws Exception {
        Queue q = session.createQueue("ids");
        Session other = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        MessageProducer p1 = session.createProducer(q);
        MessageProducer p2 = other.createProducer(q);
        Connection second = resources.add(connectionFactory(broker).createConnection());
        Session s3 = second.createSession(false, Session.AUTO_ACKNOWLEDGE);
        MessageProducer p3 = s3.createProducer(q);
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            for (MessageProducer p : List.of(p1, p2, p3)) {
                Message m = session.createMessage();
                p.send(m);
                assertTrue(m.getJMSMessageID().startsWith("ID:"), m.getJMSMessageID());
                assertTrue(ids.add(m.getJMSMessageID()), "duplicate " + m.getJMSMessageID());
            }
        }
        MessageConsumer c = consumer(q);
        Set<String> received = new HashSet<>();
        for (int i = 0; i < 300; i++) {
            received.add(receiveExpected(c).getJMSMessageID());
        }
        assertEquals(ids, received);
    }

    @Test
    void sameMessageObjectSentTwiceGetsTwoIds() throws Exception {
        Queue q = session.createQueue("resend");
        MessageProducer p = session.createProducer(q);
        TextMessage m = session.createTextMessage("again");
        p.send(m);
        String first = m.getJMSMessageID();
        p.send(m);
        assertNotEquals(first, m.getJMSMessageID());
        MessageConsumer c = consumer(q);
        assertEquals(first, receiveExpected(c).getJMSMessageID());
        assertEquals(m.getJMSMessageID(), receiveExpected(c).getJMSMessageID());
    }

    // ------------------------------------------------------------------ anonymous producers

    @Test
    void anonymousProducerNamesTheDestinationPerSend() throws Exception {
        MessageProducer anonymous = session.createProducer(null);
        assertNull(anonymous.getDestination());
        Queue a = session.createQueue("anon-a");
        Queue b = session.createQueue("anon-b");
        anonymous.send(a, session.createTextMessage("to a"));
        anonymous.send(b, session.createTextMessage("to b"), DeliveryMode.NON_PERSISTENT, 6, 0);
        assertEquals("to a", ((TextMessage) receiveExpected(consumer(a))).getText());
        Message mb = receiveExpected(consumer(b));
        assertEquals("to b", ((TextMessage) mb).getText());
        assertEquals(6, mb.getJMSPriority());
        assertEquals(b, mb.getJMSDestination());
    }

    @Test
    void anonymousProducerRefusesSendsWithoutDestination() throws Exception {
        MessageProducer anonymous = session.createProducer(null);
        TextMessage m = session.createTextMessage("x");
        assertThrows(UnsupportedOperationException.class, () -> anonymous.send(m));
        assertThrows(UnsupportedOperationException.class,
                () -> anonymous.send(m, DeliveryMode.PERSISTENT, 4, 0));
        assertThrows(InvalidDestinationException.class, () -> anonymous.send(null, m));
        assertThrows(InvalidDestinationException.class,
                () -> anonymous.send(null, m, DeliveryMode.PERSISTENT, 4, 0));
    }

    @Test
    void producerWithADestinationRefusesAnotherDestination() throws Exception {
        Queue q = session.createQueue("fixed");
        MessageProducer p = session.createProducer(q);
        TextMessage m = session.createTextMessage("x");
        assertThrows(UnsupportedOperationException.class, () -> p.send(session.createQueue("other"), m));
        assertThrows(UnsupportedOperationException.class,
                () -> p.send(session.createQueue("other"), m, DeliveryMode.PERSISTENT, 4, 0));
        assertEquals(0, broker.queueDepth("other"));
    }

    @Test
    void sendToAForeignQueueGoesToTheQueueOfThatName() throws Exception {
        Queue foreign = () -> "foreign-named";
        MessageProducer anonymous = session.createProducer(null);
        anonymous.send(foreign, session.createTextMessage("x"));
        assertEquals("x", ((TextMessage) receiveExpected(consumer(session.createQueue("foreign-named")))).getText());
    }

    // ------------------------------------------------------------------ invalid arguments

    @Test
    void invalidPriorityAndDeliveryModeAreRefused() throws Exception {
        Queue q = session.createQueue("invalid");
        MessageProducer p = session.createProducer(q);
        assertThrows(JMSException.class, () -> p.setPriority(10));
        assertThrows(JMSException.class, () -> p.setPriority(-1));
        assertThrows(JMSException.class, () -> p.setDeliveryMode(0));
        assertThrows(JMSException.class, () -> p.setDeliveryMode(3));
        assertEquals(4, p.getPriority(), "a refused value leaves the producer unchanged");
        assertEquals(DeliveryMode.PERSISTENT, p.getDeliveryMode());
        TextMessage m = session.createTextMessage("x");
        assertThrows(JMSException.class, () -> p.send(m, DeliveryMode.PERSISTENT, 10, 0));
        assertThrows(JMSException.class, () -> p.send(m, 7, 4, 0));
        assertEquals(0, broker.queueDepth("invalid"), "refused sends send nothing");
        for (int priority = 0; priority <= 9; priority++) {
            p.setPriority(priority);
        }
    }

    @Test
    void sendingNullIsRefused() throws Exception {
        MessageProducer p = session.createProducer(session.createQueue("null-message"));
        assertThrows(JMSException.class, () -> p.send(null));
    }

    // ------------------------------------------------------------------ foreign messages

    @Test
    void foreignMessagesAreAccepted() throws Exception {
        Queue q = session.createQueue("foreign");
        MessageProducer p = session.createProducer(q);
        MessageConsumer c = consumer(q);
        ForeignTextMessage foreign = new ForeignTextMessage("from elsewhere");
        foreign.setStringProperty("origin", "other-provider");
        foreign.setIntProperty("n", 42);
        foreign.setJMSCorrelationID("corr-1");
        foreign.setJMSType("kind");
        Queue foreignReplyTo = () -> "foreign-replies";
        foreign.setJMSReplyTo(foreignReplyTo);
        p.send(foreign, DeliveryMode.NON_PERSISTENT, 3, 0);

        // The provider sets the headers on the foreign object too.
        assertNotNull(foreign.getJMSMessageID());
        assertTrue(foreign.getJMSMessageID().startsWith("ID:"));
        assertNotNull(foreign.getJMSDestination());
        assertEquals(DeliveryMode.NON_PERSISTENT, foreign.getJMSDeliveryMode());
        assertEquals(3, foreign.getJMSPriority());

        Message m = receiveExpected(c);
        TextMessage t = assertInstanceOf(TextMessage.class, m);
        assertEquals("from elsewhere", t.getText());
        assertEquals("other-provider", m.getStringProperty("origin"));
        assertEquals(42, m.getIntProperty("n"));
        assertEquals("corr-1", m.getJMSCorrelationID());
        assertEquals("kind", m.getJMSType());
        assertEquals(foreign.getJMSMessageID(), m.getJMSMessageID());
        assertEquals(3, m.getJMSPriority());
        assertEquals(q, m.getJMSDestination());
        Queue replyTo = assertInstanceOf(Queue.class, m.getJMSReplyTo());
        assertEquals("foreign-replies", replyTo.getQueueName());
        assertEquals(1, m.getIntProperty("JMSXDeliveryCount"));
    }

    // ------------------------------------------------------------------ snapshots

    @Test
    void laterChangesToASentMessageAreNotSeenByTheConsumer() throws Exception {
        Queue q = session.createQueue("snapshot");
        MessageProducer p = session.createProducer(q);
        MessageConsumer c = consumer(q);
        TextMessage text = session.createTextMessage("first");
        text.setIntProperty("version", 1);
        p.send(text);
        text.setText("second");
        text.setIntProperty("version", 2);
        text.setStringProperty("added", "later");
        BytesMessage bytes = session.createBytesMessage();
        bytes.writeBytes(new byte[] {1, 2, 3});
        p.send(bytes);
        bytes.writeBytes(new byte[] {4, 5});

        TextMessage got = (TextMessage) receiveExpected(c);
        assertEquals("first", got.getText());
        assertEquals(1, got.getIntProperty("version"));
        assertFalse(got.propertyExists("added"));
        BytesMessage gotBytes = (BytesMessage) receiveExpected(c);
        assertEquals(3, gotBytes.getBodyLength());
        byte[] body = new byte[3];
        gotBytes.readBytes(body);
        assertArrayEquals(new byte[] {1, 2, 3}, body);

        // The changed object can be sent again and is seen as changed.
        p.send(text);
        TextMessage second = (TextMessage) receiveExpected(c);
        assertEquals("second", second.getText());
        assertEquals(2, second.getIntProperty("version"));
    }

    // ------------------------------------------------------------------ asynchronous send

    @Test
    void asyncSendCallsTheListenerOnAnotherThreadInOrder() throws Exception {
        Queue q = session.createQueue("async");
        MessageProducer p = session.createProducer(q);
        int n = 50;
        List<Integer> order = new CopyOnWriteArrayList<>();
        List<String> threads = new CopyOnWriteArrayList<>();
        List<Message> completed = new CopyOnWriteArrayList<>();
        AtomicReference<Exception> failure = new AtomicReference<>();
        CountDownLatch all = new CountDownLatch(n);
        List<Message> sent = new ArrayList<>();
        CompletionListener listener = new CompletionListener() {
            @Override
            public void onCompletion(Message message) {
                try {
                    order.add(message.getIntProperty("i"));
                } catch (JMSException e) {
                    failure.set(e);
                }
                threads.add(Thread.currentThread().getName());
                completed.add(message);
                all.countDown();
            }

            @Override
            public void onException(Message message, Exception exception) {
                failure.set(exception);
                all.countDown();
            }
        };
        String sender = Thread.currentThread().getName();
        for (int i = 0; i < n; i++) {
            TextMessage m = session.createTextMessage("async " + i);
            m.setIntProperty("i", i);
            sent.add(m);
            p.send(m, listener);
        }
        assertTrue(all.await(RECEIVE_TIMEOUT, TimeUnit.MILLISECONDS));
        assertNull(failure.get());
        List<Integer> expected = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            expected.add(i);
            assertSame(sent.get(i), completed.get(i), "onCompletion gets the message object that was sent");
        }
        assertEquals(expected, order, "completion listeners run in send order");
        for (String t : threads) {
            assertNotEquals(sender, t, "a CompletionListener must not run on the sending thread");
        }
        MessageConsumer c = consumer(q);
        for (int i = 0; i < n; i++) {
            assertEquals(i, receiveExpected(c).getIntProperty("i"));
        }
    }

    @Test
    void asyncSendFailureGoesToOnExceptionOrIsThrown() throws Exception {
        try (Broker strict = TestTransport.brokerBuilder().name(ApiTestSupport.uniqueName("producer-strict"))
                .persistent(false).autoCreateDestinations(false).build().start()) {
            Connection c = resources.add(connectionFactory(strict).createConnection());
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer anonymous = s.createProducer(null);
            AtomicReference<Exception> reported = new AtomicReference<>();
            CountDownLatch done = new CountDownLatch(1);
            try {
                anonymous.send(s.createQueue("missing"), s.createTextMessage("x"), new CompletionListener() {
                    @Override
                    public void onCompletion(Message message) {
                        done.countDown();
                    }

                    @Override
                    public void onException(Message message, Exception exception) {
                        reported.set(exception);
                        done.countDown();
                    }
                });
                assertTrue(done.await(RECEIVE_TIMEOUT, TimeUnit.MILLISECONDS));
                assertInstanceOf(InvalidDestinationException.class, reported.get());
            } catch (InvalidDestinationException thrownAtOnce) {
                // also allowed: the error is known before the send is handed over
            }
            c.close();
        }
    }

    @Test
    void sessionCloseWaitsForCompletionListeners() throws Exception {
        Session s = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        MessageProducer p = s.createProducer(s.createQueue("async-close"));
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger completions = new AtomicInteger();
        AtomicInteger completionsWhenClosed = new AtomicInteger(-1);
        CompletionListener slow = new CompletionListener() {
            @Override
            public void onCompletion(Message message) {
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                completions.incrementAndGet();
            }

            @Override
            public void onException(Message message, Exception exception) {
                completions.incrementAndGet();
            }
        };
        for (int i = 0; i < 3; i++) {
            p.send(s.createTextMessage("m" + i), slow);
        }
        Thread closer = new Thread(() -> {
            try {
                s.close();
                completionsWhenClosed.set(completions.get());
            } catch (JMSException e) {
                completionsWhenClosed.set(-2);
            }
        }, "closer");
        closer.start();
        awaitBlocked(closer);
        assertTrue(closer.isAlive());
        release.countDown();
        closer.join(10_000);
        assertFalse(closer.isAlive());
        assertEquals(3, completionsWhenClosed.get(), "close() must wait for every CompletionListener to return");
    }

    @Test
    void closeCommitOrRollbackInsideACompletionListenerIsIllegalState() throws Exception {
        Connection own = resources.started(connectionFactory(broker).createConnection());
        Session s = own.createSession(false, Session.AUTO_ACKNOWLEDGE);
        Session tx = own.createSession(true, Session.SESSION_TRANSACTED);
        MessageProducer p = s.createProducer(s.createQueue("async-illegal"));
        MessageProducer txp = tx.createProducer(tx.createQueue("async-illegal-tx"));
        List<String> outcomes = new CopyOnWriteArrayList<>();
        CountDownLatch done = new CountDownLatch(2);
        p.send(s.createTextMessage("x"), new CompletionListener() {
            @Override
            public void onCompletion(Message message) {
                outcomes.add("producer.close: " + outcome(p::close));
                outcomes.add("session.close: " + outcome(s::close));
                outcomes.add("connection.close: " + outcome(own::close));
                done.countDown();
            }

            @Override
            public void onException(Message message, Exception exception) {
                outcomes.add("failed " + exception);
                done.countDown();
            }
        });
        txp.send(tx.createTextMessage("y"), new CompletionListener() {
            @Override
            public void onCompletion(Message message) {
                outcomes.add("commit: " + outcome(tx::commit));
                outcomes.add("rollback: " + outcome(tx::rollback));
                done.countDown();
            }

            @Override
            public void onException(Message message, Exception exception) {
                outcomes.add("failed " + exception);
                done.countDown();
            }
        });
        assertTrue(done.await(RECEIVE_TIMEOUT, TimeUnit.MILLISECONDS), outcomes.toString());
        assertTrue(outcomes.containsAll(List.of("producer.close: IllegalStateException",
                "session.close: IllegalStateException", "connection.close: IllegalStateException",
                "commit: IllegalStateException", "rollback: IllegalStateException")), outcomes.toString());
    }

    private interface JmsAction {
        void run() throws JMSException;
    }

    private static String outcome(JmsAction action) {
        try {
            action.run();
            return "returned";
        } catch (IllegalStateException e) {
            return "IllegalStateException";
        } catch (Throwable e) {
            return e.getClass().getSimpleName();
        }
    }

    @Test
    void closedProducerRefusesSends() throws Exception {
        MessageProducer p = session.createProducer(session.createQueue("closed-producer"));
        p.close();
        assertThrows(IllegalStateException.class, () -> p.send(session.createTextMessage("x")));
        assertThrows(IllegalStateException.class, () -> p.send(session.createTextMessage("x"), new CompletionListener() {
            @Override
            public void onCompletion(Message message) {
            }

            @Override
            public void onException(Message message, Exception exception) {
            }
        }));
    }
}
