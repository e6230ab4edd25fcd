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
import jakarta.jms.Topic;
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

/** Local transactions (Jakarta Messaging 3.1, 6.2.9): commit and rollback of sends and receives. */
class TransactionTest {

    private final ApiTestSupport.Resources resources = new ApiTestSupport.Resources();
    private Broker broker;
    private Connection connection;

    @BeforeEach
    void start() throws JMSException {
        broker = resources.add(ApiTestSupport.startBroker("tx"));
        connection = resources.started(connectionFactory(broker).createConnection());
    }

    @AfterEach
    void closeAll() {
        resources.close();
    }

    private Session transacted() throws JMSException {
        return connection.createSession(true, Session.SESSION_TRANSACTED);
    }

    private Session auto() throws JMSException {
        return connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
    }

    private void send(String queue, String... texts) throws JMSException {
        Session s = auto();
        MessageProducer p = s.createProducer(s.createQueue(queue));
        for (String t : texts) {
            p.send(s.createTextMessage(t));
        }
        s.close();
    }

    private List<String> drain(String queue) throws JMSException {
        Session s = auto();
        MessageConsumer c = s.createConsumer(s.createQueue(queue));
        List<String> out = new ArrayList<>();
        for (Message m = c.receive(ABSENT_TIMEOUT * 2); m != null; m = c.receive(ABSENT_TIMEOUT)) {
            out.add(((TextMessage) m).getText());
        }
        s.close();
        return out;
    }

    private static String text(Message m) throws JMSException {
        return ((TextMessage) m).getText();
    }

    @Test
    void sendsAreInvisibleUntilCommit() throws Exception {
        Session tx = transacted();
        MessageProducer p = tx.createProducer(tx.createQueue("tx-send"));
        Session reader = auto();
        MessageConsumer c = reader.createConsumer(reader.createQueue("tx-send"));
        p.send(tx.createTextMessage("1"));
        p.send(tx.createTextMessage("2"));
        p.send(tx.createTextMessage("3"));
        assertNull(c.receive(ABSENT_TIMEOUT), "an uncommitted send must not be visible");
        assertEquals(0, broker.queueDepth("tx-send"));
        tx.commit();
        assertEquals("1", text(receiveExpected(c)));
        assertEquals("2", text(receiveExpected(c)));
        assertEquals("3", text(receiveExpected(c)));
        assertNull(c.receive(ABSENT_TIMEOUT));
    }

    @Test
    void rollbackDiscardsSends() throws Exception {
        Session tx = transacted();
        MessageProducer p = tx.createProducer(tx.createQueue("tx-send-rollback"));
        p.send(tx.createTextMessage("dropped-1"));
        p.send(tx.createTextMessage("dropped-2"));
        tx.rollback();
        p.send(tx.createTextMessage("kept"));
        tx.commit();
        assertEquals(List.of("kept"), drain("tx-send-rollback"));
    }

    @Test
    void committedReceivesAreConsumed() throws Exception {
        send("tx-receive", "a", "b", "c");
        Session tx = transacted();
        MessageConsumer c = tx.createConsumer(tx.createQueue("tx-receive"));
        assertEquals("a", text(receiveExpected(c)));
        assertEquals("b", text(receiveExpected(c)));
        tx.commit();
        tx.close();
        assertEquals(List.of("c"), drain("tx-receive"));
    }

    @Test
    void rollbackRedeliversReceivesWithRisingDeliveryCount() throws Exception {
        send("tx-receive-rollback", "a", "b");
        Session tx = transacted();
        MessageConsumer c = tx.createConsumer(tx.createQueue("tx-receive-rollback"));
        Message a = receiveExpected(c);
        assertFalse(a.getJMSRedelivered());
        assertEquals(1, a.getIntProperty("JMSXDeliveryCount"));
        receiveExpected(c);
        tx.rollback();

        for (int round = 2; round <= 3; round++) {
            Message a2 = receiveExpected(c);
            Message b2 = receiveExpected(c);
            assertEquals("a", text(a2));
            assertEquals("b", text(b2));
            assertTrue(a2.getJMSRedelivered());
            assertTrue(b2.getJMSRedelivered());
            assertEquals(round, a2.getIntProperty("JMSXDeliveryCount"));
            assertEquals(round, b2.getIntProperty("JMSXDeliveryCount"));
            if (round == 2) {
                tx.rollback();
            }
        }
        tx.commit();
        assertNull(c.receive(ABSENT_TIMEOUT));
        assertEquals(0, broker.queueDepth("tx-receive-rollback"));
    }

    @Test
    void rollbackKeepsTheOrderOfReceivedAndBufferedMessages() throws Exception {
        send("tx-order", "1", "2", "3", "4", "5");
        Session tx = transacted();
        MessageConsumer c = tx.createConsumer(tx.createQueue("tx-order"));
        receiveExpected(c);
        receiveExpected(c);
        tx.rollback();
        List<String> got = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            got.add(text(receiveExpected(c)));
        }
        assertEquals(List.of("1", "2", "3", "4", "5"), got);
        tx.commit();
    }

    @Test
    void commitAndRollbackOnANonTransactedSessionAreIllegalState() throws Exception {
        for (int mode : new int[] {Session.AUTO_ACKNOWLEDGE, Session.CLIENT_ACKNOWLEDGE, Session.DUPS_OK_ACKNOWLEDGE}) {
            Session s = connection.createSession(false, mode);
            assertThrows(IllegalStateException.class, s::commit);
            assertThrows(IllegalStateException.class, s::rollback);
        }
    }

    @Test
    void commitOnAClosedSessionIsIllegalState() throws Exception {
        Session tx = transacted();
        tx.close();
        assertThrows(IllegalStateException.class, tx::commit);
        assertThrows(IllegalStateException.class, tx::rollback);
    }

    @Test
    void oneTransactionOverSeveralDestinations() throws Exception {
        Session observer = auto();
        Topic topic = observer.createTopic("tx-topic");
        MessageConsumer subscriber = observer.createConsumer(topic);

        Session tx = transacted();
        MessageProducer anonymous = tx.createProducer(null);
        anonymous.send(tx.createQueue("tx-multi-1"), tx.createTextMessage("q1"));
        anonymous.send(tx.createQueue("tx-multi-2"), tx.createTextMessage("q2"));
        anonymous.send(topic, tx.createTextMessage("t"));
        assertNull(subscriber.receive(ABSENT_TIMEOUT), "uncommitted publish visible to a subscriber");
        assertEquals(0, broker.queueDepth("tx-multi-1"));
        assertEquals(0, broker.queueDepth("tx-multi-2"));
        tx.rollback();
        assertNull(subscriber.receive(ABSENT_TIMEOUT));

        anonymous.send(tx.createQueue("tx-multi-1"), tx.createTextMessage("q1"));
        anonymous.send(tx.createQueue("tx-multi-2"), tx.createTextMessage("q2"));
        anonymous.send(topic, tx.createTextMessage("t"));
        tx.commit();
        assertEquals("t", text(receiveExpected(subscriber)));
        assertEquals(List.of("q1"), drain("tx-multi-1"));
        assertEquals(List.of("q2"), drain("tx-multi-2"));
    }

    @Test
    void receiveAndSendAreAtomic() throws Exception {
        send("tx-in", "request");
        Session tx = transacted();
        MessageConsumer in = tx.createConsumer(tx.createQueue("tx-in"));
        MessageProducer out = tx.createProducer(tx.createQueue("tx-out"));

        Message m = receiveExpected(in);
        out.send(tx.createTextMessage("reply to " + text(m)));
        tx.rollback();
        assertEquals(0, broker.queueDepth("tx-out"));

        Message again = receiveExpected(in);
        assertEquals("request", text(again));
        assertTrue(again.getJMSRedelivered());
        out.send(tx.createTextMessage("reply to " + text(again)));
        tx.commit();
        tx.close();
        assertEquals(List.of(), drain("tx-in"));
        assertEquals(List.of("reply to request"), drain("tx-out"));
    }

    @Test
    void closingATransactedSessionRollsBack() throws Exception {
        send("tx-close-in", "a");
        Session tx = transacted();
        receiveExpected(tx.createConsumer(tx.createQueue("tx-close-in")));
        tx.createProducer(tx.createQueue("tx-close-out")).send(tx.createTextMessage("uncommitted"));
        tx.close();
        assertEquals(List.of("a"), drain("tx-close-in"));
        assertEquals(List.of(), drain("tx-close-out"));
    }

    @Test
    void closingTheConnectionRollsBack() throws Exception {
        send("tx-conn-close-in", "a");
        Connection other = resources.started(connectionFactory(broker).createConnection());
        Session tx = other.createSession(true, Session.SESSION_TRANSACTED);
        receiveExpected(tx.createConsumer(tx.createQueue("tx-conn-close-in")));
        tx.createProducer(tx.createQueue("tx-conn-close-out")).send(tx.createTextMessage("uncommitted"));
        other.close();
        assertEquals(List.of("a"), drain("tx-conn-close-in"));
        assertEquals(List.of(), drain("tx-conn-close-out"));
    }

    @Test
    void commitAndRollbackFromAListener() throws Exception {
        Session tx = transacted();
        List<String> seen = new CopyOnWriteArrayList<>();
        CountDownLatch committed = new CountDownLatch(1);
        tx.createConsumer(tx.createQueue("tx-listener")).setMessageListener(m -> {
            try {
                int count = m.getIntProperty("JMSXDeliveryCount");
                seen.add(text(m) + ":" + count);
                if (count == 1) {
                    tx.rollback();
                } else {
                    tx.commit();
                    committed.countDown();
                }
            } catch (JMSException e) {
                seen.add("error " + e);
            }
        });
        send("tx-listener", "only");
        assertTrue(committed.await(RECEIVE_TIMEOUT, TimeUnit.MILLISECONDS), seen.toString());
        assertEquals(List.of("only:1", "only:2"), seen);
        tx.close();
        assertEquals(List.of(), drain("tx-listener"));
    }

    @Test
    void deliveryDelayStillAppliesToACommittedSend() throws Exception {
        Session tx = transacted();
        MessageProducer p = tx.createProducer(tx.createQueue("tx-delay"));
        p.setDeliveryDelay(1_500);
        p.send(tx.createTextMessage("delayed"));
        tx.commit();
        Session reader = auto();
        MessageConsumer c = reader.createConsumer(reader.createQueue("tx-delay"));
        assertNull(c.receive(ABSENT_TIMEOUT), "the delivery delay is not cut short by the commit");
        assertEquals("delayed", text(receiveExpected(c)));
    }

    @Test
    void transactedSendToATemporaryQueue() throws Exception {
        Session tx = transacted();
        jakarta.jms.TemporaryQueue tq = tx.createTemporaryQueue();
        tx.createProducer(tq).send(tx.createTextMessage("temp"));
        MessageConsumer c = auto().createConsumer(tq);
        assertNull(c.receive(ABSENT_TIMEOUT));
        tx.commit();
        assertEquals("temp", text(receiveExpected(c)));
    }

    @Test
    void persistentAndNonPersistentSendsCommitTogether() throws Exception {
        Session tx = transacted();
        MessageProducer p = tx.createProducer(tx.createQueue("tx-modes"));
        p.send(tx.createTextMessage("persistent"));
        p.send(tx.createTextMessage("non-persistent"), jakarta.jms.DeliveryMode.NON_PERSISTENT, 4, 0);
        tx.commit();
        assertEquals(List.of("persistent", "non-persistent"), drain("tx-modes"));
    }

    @Test
    void receivesFromAClosedConsumerStayInTheTransaction() throws Exception {
        send("tx-closed-consumer", "a", "b");
        Session tx = transacted();
        Queue q = tx.createQueue("tx-closed-consumer");
        MessageConsumer c = tx.createConsumer(q);
        assertEquals("a", text(receiveExpected(c)));
        c.close();
        tx.commit();
        tx.close();
        assertEquals(List.of("b"), drain("tx-closed-consumer"));
    }
}
