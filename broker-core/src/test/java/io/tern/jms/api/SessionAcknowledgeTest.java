package io.tern.jms.api;

import io.tern.broker.Broker;
import jakarta.jms.Connection;
import jakarta.jms.IllegalStateException;
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
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static io.tern.jms.TestTransport.connectionFactory;
import static io.tern.jms.api.ApiTestSupport.ABSENT_TIMEOUT;
import static io.tern.jms.api.ApiTestSupport.RECEIVE_TIMEOUT;
import static io.tern.jms.api.ApiTestSupport.receiveExpected;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Acknowledgement modes (Jakarta Messaging 3.1, 6.2.10): AUTO, CLIENT, DUPS_OK and recover. */
class SessionAcknowledgeTest {

    private final ApiTestSupport.Resources resources = new ApiTestSupport.Resources();
    private Broker broker;
    private Connection connection;

    @BeforeEach
    void start() throws JMSException {
        broker = resources.add(ApiTestSupport.startBroker("ack"));
        connection = resources.started(connectionFactory(broker).createConnection());
    }

    @AfterEach
    void closeAll() {
        resources.close();
    }

    private void send(String queue, String... texts) throws JMSException {
        Session s = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        MessageProducer p = s.createProducer(s.createQueue(queue));
        for (String t : texts) {
            p.send(s.createTextMessage(t));
        }
        s.close();
    }

    private static String text(Message m) throws JMSException {
        return ((TextMessage) m).getText();
    }

    private static int deliveryCount(Message m) throws JMSException {
        return m.getIntProperty("JMSXDeliveryCount");
    }

    /** What a fresh AUTO session finds on the queue: the texts, in order, until nothing comes. */
    private List<Message> drain(String queue) throws JMSException {
        Session s = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        MessageConsumer c = s.createConsumer(s.createQueue(queue));
        List<Message> out = new ArrayList<>();
        for (Message m = c.receive(ABSENT_TIMEOUT * 2); m != null; m = c.receive(ABSENT_TIMEOUT)) {
            out.add(m);
        }
        s.close();
        return out;
    }

    private static List<String> texts(List<Message> messages) throws JMSException {
        List<String> out = new ArrayList<>();
        for (Message m : messages) {
            out.add(text(m));
        }
        return out;
    }

    @Test
    void modesAreReported() throws Exception {
        for (int mode : new int[] {Session.AUTO_ACKNOWLEDGE, Session.CLIENT_ACKNOWLEDGE, Session.DUPS_OK_ACKNOWLEDGE}) {
            Session s = connection.createSession(false, mode);
            assertEquals(mode, s.getAcknowledgeMode());
            assertFalse(s.getTransacted());
        }
        Session tx = connection.createSession(true, Session.AUTO_ACKNOWLEDGE);
        assertTrue(tx.getTransacted());
        assertEquals(Session.SESSION_TRANSACTED, tx.getAcknowledgeMode());
        Session tx2 = connection.createSession(Session.SESSION_TRANSACTED);
        assertTrue(tx2.getTransacted());
        assertEquals(Session.AUTO_ACKNOWLEDGE, connection.createSession().getAcknowledgeMode());
    }

    @Test
    void anInvalidSessionModeIsRefused() {
        assertThrows(JMSException.class, () -> connection.createSession(false, 99));
        assertThrows(JMSException.class, () -> connection.createSession(-1));
    }

    // ------------------------------------------------------------------ AUTO

    @Test
    void autoAcknowledgedMessagesAreNotRedeliveredAfterSessionClose() throws Exception {
        send("auto", "a", "b", "c");
        Session s = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        MessageConsumer c = s.createConsumer(s.createQueue("auto"));
        for (String expected : new String[] {"a", "b", "c"}) {
            Message m = receiveExpected(c);
            assertEquals(expected, text(m));
            assertFalse(m.getJMSRedelivered());
            assertEquals(1, deliveryCount(m));
        }
        s.close();
        assertEquals(List.of(), texts(drain("auto")));
        assertEquals(0, broker.queueDepth("auto"));
    }

    @Test
    void autoAcknowledgedListenerMessagesAreNotRedelivered() throws Exception {
        Session s = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        CountDownLatch three = new CountDownLatch(3);
        s.createConsumer(s.createQueue("auto-listener")).setMessageListener(m -> three.countDown());
        send("auto-listener", "a", "b", "c");
        assertTrue(three.await(RECEIVE_TIMEOUT, TimeUnit.MILLISECONDS));
        s.close();
        assertEquals(List.of(), texts(drain("auto-listener")));
    }

    @Test
    void acknowledgeIsIgnoredOutsideClientAcknowledge() throws Exception {
        send("auto-ack-call", "a", "b");
        Session s = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        MessageConsumer c = s.createConsumer(s.createQueue("auto-ack-call"));
        Message m = receiveExpected(c);
        m.acknowledge();
        assertEquals("b", text(receiveExpected(c)));
    }

    // ------------------------------------------------------------------ CLIENT_ACKNOWLEDGE

    @Test
    void clientAcknowledgeAcknowledgesEverythingTheSessionConsumed() throws Exception {
        send("client-1", "a1", "a2");
        send("client-2", "b1");
        Session s = connection.createSession(false, Session.CLIENT_ACKNOWLEDGE);
        MessageConsumer c1 = s.createConsumer(s.createQueue("client-1"));
        MessageConsumer c2 = s.createConsumer(s.createQueue("client-2"));
        Message first = receiveExpected(c1);
        receiveExpected(c2);
        receiveExpected(c1);
        first.acknowledge(); // acknowledging any message acknowledges all consumed by the session
        s.close();
        assertEquals(List.of(), texts(drain("client-1")));
        assertEquals(List.of(), texts(drain("client-2")));
        assertEquals(0, broker.queueDepth("client-1"));
        assertEquals(0, broker.queueDepth("client-2"));
    }

    @Test
    void unacknowledgedMessagesComeBackAfterSessionCloseFlaggedRedelivered() throws Exception {
        send("client-unacked", "a", "b", "c");
        Session s = connection.createSession(false, Session.CLIENT_ACKNOWLEDGE);
        MessageConsumer c = s.createConsumer(s.createQueue("client-unacked"));
        assertEquals("a", text(receiveExpected(c)));
        assertEquals("b", text(receiveExpected(c)));
        assertEquals("c", text(receiveExpected(c)));
        assertEquals(3, broker.queueDepth("client-unacked"), "unacknowledged messages are still on the queue");
        s.close();

        List<Message> again = drain("client-unacked");
        assertEquals(List.of("a", "b", "c"), texts(again));
        for (Message m : again) {
            assertTrue(m.getJMSRedelivered(), text(m));
            assertEquals(2, deliveryCount(m), text(m));
        }
    }

    @Test
    void onlyMessagesAfterTheLastAcknowledgeComeBack() throws Exception {
        send("client-partial", "a", "b", "c");
        Session s = connection.createSession(false, Session.CLIENT_ACKNOWLEDGE);
        MessageConsumer c = s.createConsumer(s.createQueue("client-partial"));
        receiveExpected(c);
        receiveExpected(c).acknowledge();
        Message third = receiveExpected(c);
        assertEquals("c", text(third));
        s.close();
        List<Message> again = drain("client-partial");
        assertEquals(List.of("c"), texts(again));
        assertTrue(again.get(0).getJMSRedelivered());
        assertEquals(2, deliveryCount(again.get(0)));
    }

    @Test
    void unacknowledgedMessagesComeBackAfterConnectionClose() throws Exception {
        send("client-conn-close", "a", "b");
        Connection other = resources.started(connectionFactory(broker).createConnection());
        Session s = other.createSession(false, Session.CLIENT_ACKNOWLEDGE);
        MessageConsumer c = s.createConsumer(s.createQueue("client-conn-close"));
        receiveExpected(c);
        receiveExpected(c);
        other.close();
        List<Message> again = drain("client-conn-close");
        assertEquals(List.of("a", "b"), texts(again));
        assertTrue(again.get(0).getJMSRedelivered());
    }

    @Test
    void unacknowledgedListenerMessagesComeBackAfterSessionClose() throws Exception {
        Session s = connection.createSession(false, Session.CLIENT_ACKNOWLEDGE);
        CountDownLatch two = new CountDownLatch(2);
        s.createConsumer(s.createQueue("client-listener")).setMessageListener(m -> two.countDown());
        send("client-listener", "a", "b");
        assertTrue(two.await(RECEIVE_TIMEOUT, TimeUnit.MILLISECONDS));
        s.close();
        assertEquals(List.of("a", "b"), texts(drain("client-listener")));
    }

    @Test
    void recoverRedeliversUnacknowledgedMessagesInOrder() throws Exception {
        send("recover", "m1", "m2", "m3", "m4", "m5");
        Session s = connection.createSession(false, Session.CLIENT_ACKNOWLEDGE);
        MessageConsumer c = s.createConsumer(s.createQueue("recover"));
        assertEquals("m1", text(receiveExpected(c)));
        assertEquals("m2", text(receiveExpected(c)));
        assertEquals("m3", text(receiveExpected(c)));
        s.recover();

        List<Message> after = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            after.add(receiveExpected(c));
        }
        assertEquals(List.of("m1", "m2", "m3", "m4", "m5"), texts(after));
        for (int i = 0; i < 3; i++) {
            assertTrue(after.get(i).getJMSRedelivered(), text(after.get(i)));
            assertEquals(2, deliveryCount(after.get(i)), text(after.get(i)));
        }
        for (int i = 3; i < 5; i++) {
            assertFalse(after.get(i).getJMSRedelivered(), "never seen before: " + text(after.get(i)));
            assertEquals(1, deliveryCount(after.get(i)), text(after.get(i)));
        }
        assertNull(c.receive(ABSENT_TIMEOUT));
        after.get(4).acknowledge();
        s.close();
        assertEquals(List.of(), texts(drain("recover")));
    }

    @Test
    void recoverTwiceRaisesTheDeliveryCountAgain() throws Exception {
        send("recover-twice", "x", "y");
        Session s = connection.createSession(false, Session.CLIENT_ACKNOWLEDGE);
        MessageConsumer c = s.createConsumer(s.createQueue("recover-twice"));
        assertEquals(1, deliveryCount(receiveExpected(c)));
        s.recover();
        assertEquals(2, deliveryCount(receiveExpected(c)));
        s.recover();
        Message third = receiveExpected(c);
        assertEquals("x", text(third));
        assertEquals(3, deliveryCount(third));
        assertTrue(third.getJMSRedelivered());
        Message y = receiveExpected(c);
        assertEquals("y", text(y));
        assertEquals(1, deliveryCount(y));
    }

    @Test
    void recoverInsideAListenerRedeliversToIt() throws Exception {
        Session s = connection.createSession(false, Session.CLIENT_ACKNOWLEDGE);
        List<String> seen = new CopyOnWriteArrayList<>();
        CountDownLatch done = new CountDownLatch(1);
        s.createConsumer(s.createQueue("recover-listener")).setMessageListener(m -> {
            try {
                seen.add(text(m) + ":" + deliveryCount(m));
                if (deliveryCount(m) == 1 && text(m).equals("b")) {
                    s.recover();
                } else if (text(m).equals("b")) {
                    m.acknowledge();
                    done.countDown();
                }
            } catch (JMSException e) {
                seen.add("error " + e);
            }
        });
        send("recover-listener", "a", "b");
        assertTrue(done.await(RECEIVE_TIMEOUT, TimeUnit.MILLISECONDS), seen.toString());
        assertEquals(List.of("a:1", "b:1", "a:2", "b:2"), seen);
    }

    @Test
    void aMessageThatExpiredWhileUnacknowledgedIsNotRedelivered() throws Exception {
        Session s = connection.createSession(false, Session.CLIENT_ACKNOWLEDGE);
        Queue q = s.createQueue("expired-unacked");
        MessageProducer p = s.createProducer(q);
        p.send(s.createTextMessage("short-lived"), jakarta.jms.DeliveryMode.NON_PERSISTENT, 4, 300);
        p.send(s.createTextMessage("long-lived"), jakarta.jms.DeliveryMode.NON_PERSISTENT, 4, 0);
        MessageConsumer c = s.createConsumer(q);
        assertEquals("short-lived", text(receiveExpected(c)));
        Thread.sleep(500);
        s.recover();
        assertEquals("long-lived", text(receiveExpected(c)), "the expired message must not come back");
        assertNull(c.receive(ABSENT_TIMEOUT));
    }

    @Test
    void recoverKeepsPriorityOrder() throws Exception {
        Session s = connection.createSession(false, Session.CLIENT_ACKNOWLEDGE);
        Queue q = s.createQueue("recover-priority");
        MessageProducer p = s.createProducer(q);
        p.send(s.createTextMessage("low"), jakarta.jms.DeliveryMode.PERSISTENT, 1, 0);
        p.send(s.createTextMessage("high"), jakarta.jms.DeliveryMode.PERSISTENT, 8, 0);
        MessageConsumer c = s.createConsumer(q);
        assertEquals("high", text(receiveExpected(c)));
        assertEquals("low", text(receiveExpected(c)));
        s.recover();
        assertEquals("high", text(receiveExpected(c)));
        assertEquals("low", text(receiveExpected(c)));
    }

    @Test
    void recoverOnATransactedSessionIsIllegalState() throws Exception {
        Session tx = connection.createSession(true, Session.SESSION_TRANSACTED);
        assertThrows(IllegalStateException.class, tx::recover);
    }

    @Test
    void acknowledgeAfterSessionCloseIsIllegalState() throws Exception {
        send("ack-after-close", "a");
        Session s = connection.createSession(false, Session.CLIENT_ACKNOWLEDGE);
        Message m = receiveExpected(s.createConsumer(s.createQueue("ack-after-close")));
        s.close();
        assertThrows(IllegalStateException.class, m::acknowledge);
    }

    // ------------------------------------------------------------------ DUPS_OK

    @Test
    void dupsOkMessagesAreAcknowledgedByTheTimeTheSessionCloses() throws Exception {
        String[] texts = new String[30];
        for (int i = 0; i < texts.length; i++) {
            texts[i] = "d" + i;
        }
        send("dups-ok", texts);
        Session s = connection.createSession(false, Session.DUPS_OK_ACKNOWLEDGE);
        MessageConsumer c = s.createConsumer(s.createQueue("dups-ok"));
        for (String expected : texts) {
            Message m = receiveExpected(c);
            assertEquals(expected, text(m));
            assertFalse(m.getJMSRedelivered());
        }
        s.close();
        assertEquals(List.of(), texts(drain("dups-ok")));
        assertEquals(0, broker.queueDepth("dups-ok"));
    }

    @Test
    void dupsOkListenerMessagesAreAcknowledged() throws Exception {
        Session s = connection.createSession(false, Session.DUPS_OK_ACKNOWLEDGE);
        CountDownLatch all = new CountDownLatch(10);
        s.createConsumer(s.createQueue("dups-ok-listener")).setMessageListener(m -> all.countDown());
        send("dups-ok-listener", "0", "1", "2", "3", "4", "5", "6", "7", "8", "9");
        assertTrue(all.await(RECEIVE_TIMEOUT, TimeUnit.MILLISECONDS));
        s.close();
        assertEquals(List.of(), texts(drain("dups-ok-listener")));
    }
}
