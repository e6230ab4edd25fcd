package io.tern.jms.api;

import io.tern.broker.Broker;
import io.tern.jms.TernConnectionFactory;
import io.tern.jms.TestTransport;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.InvalidDestinationException;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.QueueBrowser;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static io.tern.jms.TestTransport.connectionFactory;
import static io.tern.jms.api.ApiTestSupport.ABSENT_TIMEOUT;
import static io.tern.jms.api.ApiTestSupport.RECEIVE_TIMEOUT;
import static io.tern.jms.api.ApiTestSupport.receiveExpected;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Point-to-point (Jakarta Messaging 3.1, 4.1, 4.2, 6.2.8): one consumer per message, order, priority, browsers. */
class QueueSemanticsTest {

    private final ApiTestSupport.Resources resources = new ApiTestSupport.Resources();
    private Broker broker;
    private Connection connection;

    @BeforeEach
    void start() throws JMSException {
        broker = resources.add(ApiTestSupport.startBroker("queue"));
        connection = resources.started(connectionFactory(broker).createConnection());
    }

    @AfterEach
    void closeAll() {
        resources.close();
    }

    private Session session() throws JMSException {
        return connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
    }

    private void send(String queue, int count) throws JMSException {
        Session s = session();
        MessageProducer p = s.createProducer(s.createQueue(queue));
        for (int i = 0; i < count; i++) {
            TextMessage m = s.createTextMessage("m" + i);
            m.setIntProperty("i", i);
            p.send(m);
        }
        s.close();
    }

    @Test
    void eachMessageGoesToExactlyOneConsumerAndAllConsumersGetSome() throws Exception {
        int consumers = 3;
        int messages = 300;
        Map<Integer, AtomicInteger> deliveries = new ConcurrentHashMap<>();
        AtomicInteger[] perConsumer = new AtomicInteger[consumers];
        CountDownLatch all = new CountDownLatch(messages);
        for (int k = 0; k < consumers; k++) {
            AtomicInteger mine = perConsumer[k] = new AtomicInteger();
            Connection c = resources.started(connectionFactory(broker).createConnection());
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            s.createConsumer(s.createQueue("one-each")).setMessageListener(m -> {
                try {
                    deliveries.computeIfAbsent(m.getIntProperty("i"), x -> new AtomicInteger()).incrementAndGet();
                } catch (JMSException e) {
                    throw new RuntimeException(e);
                }
                mine.incrementAndGet();
                all.countDown();
            });
        }
        send("one-each", messages);
        assertTrue(all.await(RECEIVE_TIMEOUT * 2, TimeUnit.MILLISECONDS));
        Thread.sleep(ABSENT_TIMEOUT); // room for a duplicate to show up
        assertEquals(messages, deliveries.size());
        for (Map.Entry<Integer, AtomicInteger> e : deliveries.entrySet()) {
            assertEquals(1, e.getValue().get(), "message " + e.getKey() + " delivered more than once");
        }
        for (int k = 0; k < consumers; k++) {
            assertTrue(perConsumer[k].get() > 0, "consumer " + k + " got nothing: the queue did not spread");
        }
        assertEquals(0, broker.queueDepth("one-each"));
    }

    @Test
    void higherPriorityFirstAndFifoWithinAPriority() throws Exception {
        Session s = session();
        Queue q = s.createQueue("priority");
        MessageProducer p = s.createProducer(q);
        int[] priorities = {0, 4, 9, 4, 1, 9, 0, 7, 4, 7, 2, 9, 5, 3, 8, 6};
        List<int[]> sent = new ArrayList<>();
        for (int i = 0; i < priorities.length; i++) {
            TextMessage m = s.createTextMessage("p" + priorities[i] + "-" + i);
            m.setIntProperty("i", i);
            p.send(m, DeliveryMode.PERSISTENT, priorities[i], 0);
            sent.add(new int[] {priorities[i], i});
        }
        sent.sort(Comparator.<int[]>comparingInt(a -> -a[0]).thenComparingInt(a -> a[1]));
        MessageConsumer c = s.createConsumer(q); // created after the sends: it sees the whole queue
        List<Integer> order = new ArrayList<>();
        List<Integer> expected = new ArrayList<>();
        for (int[] e : sent) {
            expected.add(e[1]);
            order.add(receiveExpected(c).getIntProperty("i"));
        }
        assertEquals(expected, order);
    }

    @Test
    void prefetchOfOneLeavesMessagesForALaterConsumer() throws Exception {
        TernConnectionFactory f = connectionFactory(broker);
        f.setPrefetch(1);
        assertEquals(1, f.getPrefetch());
        Connection c = resources.started(f.createConnection());
        Session s1 = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
        Session s2 = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
        Queue q = s1.createQueue("prefetch");
        MessageConsumer first = s1.createConsumer(q);
        send("prefetch", 10);
        MessageConsumer second = s2.createConsumer(q);
        Message fromSecond = second.receive(RECEIVE_TIMEOUT);
        assertNotNull(fromSecond, "with prefetch 1 the first consumer must not have taken every message");
        Message fromFirst = first.receive(RECEIVE_TIMEOUT);
        assertNotNull(fromFirst);
        Set<Integer> seen = new HashSet<>();
        seen.add(fromSecond.getIntProperty("i"));
        seen.add(fromFirst.getIntProperty("i"));
        for (int n = 2; n < 10; n++) {
            MessageConsumer next = n % 2 == 0 ? first : second;
            Message m = receiveExpected(next);
            assertTrue(seen.add(m.getIntProperty("i")), "duplicate " + m.getIntProperty("i"));
        }
        assertEquals(10, seen.size());
        assertNull(first.receive(ABSENT_TIMEOUT));
        assertNull(second.receiveNoWait());
    }

    @Test
    void prefetchFromTheUrl() throws Exception {
        Connection c = resources.started(connectionFactory(broker, "jms.prefetch=1")
                .createConnection());
        Session s1 = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
        Session s2 = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
        Queue q = s1.createQueue("prefetch-url");
        MessageConsumer first = s1.createConsumer(q);
        send("prefetch-url", 5);
        MessageConsumer second = s2.createConsumer(q);
        assertNotNull(second.receive(RECEIVE_TIMEOUT), "jms.prefetch=1 in the URL was not honoured");
        assertNotNull(first.receive(RECEIVE_TIMEOUT));
    }

    @Test
    void messagesOfEachProducerArriveInTheOrderSent() throws Exception {
        int producers = 3;
        int perProducer = 200;
        List<MessageProducer> ps = new ArrayList<>();
        List<Session> sessions = new ArrayList<>();
        for (int k = 0; k < producers; k++) {
            Session s = session();
            sessions.add(s);
            ps.add(s.createProducer(s.createQueue("per-producer")));
        }
        for (int i = 0; i < perProducer; i++) {
            for (int k = 0; k < producers; k++) {
                Message m = sessions.get(k).createMessage();
                m.setIntProperty("producer", k);
                m.setIntProperty("seq", i);
                ps.get(k).send(m, i % 2 == 0 ? DeliveryMode.PERSISTENT : DeliveryMode.NON_PERSISTENT, 4, 0);
            }
        }
        Session rs = session();
        MessageConsumer c = rs.createConsumer(rs.createQueue("per-producer"));
        // Order is defined per session and delivery mode (a NON_PERSISTENT message may overtake a PERSISTENT one).
        int[][] last = new int[producers][3];
        for (int[] row : last) {
            row[DeliveryMode.PERSISTENT] = -2;     // even sequence numbers: 0, 2, 4, ...
            row[DeliveryMode.NON_PERSISTENT] = -1; // odd ones: 1, 3, 5, ...
        }
        for (int n = 0; n < producers * perProducer; n++) {
            Message m = receiveExpected(c);
            int k = m.getIntProperty("producer");
            int seq = m.getIntProperty("seq");
            int mode = m.getJMSDeliveryMode();
            assertEquals(last[k][mode] + 2, seq, "producer " + k + " out of order (delivery mode " + mode + ")");
            last[k][mode] = seq;
        }
    }

    @Test
    void unacknowledgedMessageGoesToAnotherConsumer() throws Exception {
        send("handover", 1);
        Session client = connection.createSession(false, Session.CLIENT_ACKNOWLEDGE);
        Queue q = client.createQueue("handover");
        receiveExpected(client.createConsumer(q));
        Session other = session();
        MessageConsumer second = other.createConsumer(q);
        assertNull(second.receive(ABSENT_TIMEOUT), "a message in flight must not be given to a second consumer");
        client.close();
        Message again = receiveExpected(second);
        assertTrue(again.getJMSRedelivered());
    }

    @Test
    void closingAConsumerGivesBackItsPrefetchedMessagesUnflagged() throws Exception {
        send("give-back", 10);
        Session s = session();
        Queue q = s.createQueue("give-back");
        MessageConsumer first = s.createConsumer(q);
        assertEquals(0, receiveExpected(first).getIntProperty("i"));
        first.close(); // nine were buffered and never seen by the application
        MessageConsumer second = s.createConsumer(q);
        for (int i = 1; i < 10; i++) {
            Message m = receiveExpected(second);
            assertEquals(i, m.getIntProperty("i"), "order after give-back");
            assertFalse(m.getJMSRedelivered(), "message " + i + " was never delivered to the application");
            assertEquals(1, m.getIntProperty("JMSXDeliveryCount"));
        }
    }

    @Test
    void noLocalIsIgnoredForQueues() throws Exception {
        Session s = session();
        Queue q = s.createQueue("no-local-queue");
        MessageConsumer c = s.createConsumer(q, null, true);
        s.createProducer(q).send(s.createTextMessage("own"));
        assertEquals("own", ((TextMessage) receiveExpected(c)).getText());
    }

    // ------------------------------------------------------------------ browsers

    @Test
    void browserShowsWaitingMessagesInOrderWithoutConsumingThem() throws Exception {
        Session s = session();
        Queue q = s.createQueue("browse");
        MessageProducer p = s.createProducer(q);
        String[] colors = {"red", "blue", "red", "green", "red"};
        for (int i = 0; i < colors.length; i++) {
            TextMessage m = s.createTextMessage("b" + i);
            m.setStringProperty("color", colors[i]);
            m.setIntProperty("i", i);
            p.send(m);
        }
        QueueBrowser all = s.createBrowser(q);
        assertEquals(q, all.getQueue());
        assertNull(all.getMessageSelector());
        assertEquals(List.of(0, 1, 2, 3, 4), indexes(all.getEnumeration()));

        QueueBrowser red = s.createBrowser(q, "color = 'red'");
        assertEquals("color = 'red'", red.getMessageSelector());
        assertEquals(List.of(0, 2, 4), indexes(red.getEnumeration()));
        assertEquals(List.of(0, 2, 4), indexes(red.getEnumeration()), "a browser can enumerate again");

        assertEquals(5, broker.queueDepth("browse"), "browsing consumes nothing");
        MessageConsumer c = s.createConsumer(q);
        for (int i = 0; i < 5; i++) {
            assertEquals(i, receiveExpected(c).getIntProperty("i"));
        }
        assertFalse(s.createBrowser(q).getEnumeration().hasMoreElements(), "nothing left to browse");
        all.close();
        red.close();
    }

    @Test
    void browserOfAnUnknownOrEmptyQueueIsEmpty() throws Exception {
        Session s = session();
        QueueBrowser b = s.createBrowser(s.createQueue("browse-empty"));
        assertFalse(b.getEnumeration().hasMoreElements());
    }

    @Test
    void browserWithABadSelectorIsRefused() throws Exception {
        Session s = session();
        assertThrows(jakarta.jms.InvalidSelectorException.class,
                () -> s.createBrowser(s.createQueue("browse-bad"), "color = = 'x'"));
    }

    private static List<Integer> indexes(Enumeration<?> e) throws JMSException {
        List<Integer> out = new ArrayList<>();
        for (Object o : Collections.list(e)) {
            out.add(((Message) o).getIntProperty("i"));
        }
        return out;
    }

    // ------------------------------------------------------------------ selectors

    @Test
    void selectorsRouteMessagesAndUnmatchedOnesStayWithoutBlockingOthers() throws Exception {
        Session s = session();
        Queue q = s.createQueue("selectors");
        MessageConsumer red = session().createConsumer(q, "color = 'red'");
        MessageConsumer blue = session().createConsumer(q, "color = 'blue'");
        MessageProducer p = s.createProducer(q);
        for (String color : new String[] {"green", "red", "blue", "green", "red", "blue"}) {
            TextMessage m = s.createTextMessage(color);
            m.setStringProperty("color", color);
            p.send(m);
        }
        for (int i = 0; i < 2; i++) {
            assertEquals("red", ((TextMessage) receiveExpected(red)).getText());
            assertEquals("blue", ((TextMessage) receiveExpected(blue)).getText());
        }
        assertNull(red.receive(ABSENT_TIMEOUT));
        assertNull(blue.receiveNoWait());
        assertEquals(2, broker.queueDepth("selectors"), "the unmatched messages stay queued");

        MessageConsumer any = session().createConsumer(q);
        assertEquals("green", ((TextMessage) receiveExpected(any)).getText());
        assertEquals("green", ((TextMessage) receiveExpected(any)).getText());
        assertNull(any.receive(ABSENT_TIMEOUT));
    }

    @Test
    void selectorOnHeadersAndNumbers() throws Exception {
        Session s = session();
        Queue q = s.createQueue("selector-headers");
        MessageProducer p = s.createProducer(q);
        for (int i = 0; i < 10; i++) {
            Message m = s.createMessage();
            m.setIntProperty("i", i);
            m.setJMSType(i % 2 == 0 ? "even" : "odd");
            p.send(m, DeliveryMode.PERSISTENT, i % 10, 0);
        }
        MessageConsumer c = s.createConsumer(q, "JMSType = 'even' AND i >= 4 AND JMSPriority > 5");
        Set<Integer> got = new HashSet<>();
        for (Message m = c.receive(RECEIVE_TIMEOUT); m != null; m = c.receive(ABSENT_TIMEOUT)) {
            got.add(m.getIntProperty("i"));
        }
        assertEquals(Set.of(6, 8), got);
    }

    // ------------------------------------------------------------------ names and existence

    @Test
    void invalidDestinationNamesAreRefused() throws Exception {
        Session s = session();
        assertThrows(InvalidDestinationException.class, () -> s.createQueue(""));
        assertThrows(InvalidDestinationException.class, () -> s.createQueue("has space"));
        assertThrows(InvalidDestinationException.class, () -> s.createQueue("tab\there"));
        assertThrows(InvalidDestinationException.class, () -> s.createQueue(null));
        assertThrows(InvalidDestinationException.class, () -> s.createTopic(""));
        assertThrows(InvalidDestinationException.class, () -> s.createTopic("a b"));
        assertThrows(InvalidDestinationException.class, () -> s.createQueue("x".repeat(300)));
        assertEquals("ok.name-1_2", s.createQueue("ok.name-1_2").getQueueName());
    }

    @Test
    void queuesAreNotCreatedOnFirstUseWhenSwitchedOff() throws Exception {
        Broker strict = resources.add(TestTransport.brokerBuilder().name(ApiTestSupport.uniqueName("queue-strict"))
                .persistent(false).autoCreateDestinations(false).queue("known").build().start());
        Connection c = resources.started(connectionFactory(strict).createConnection());
        Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
        Queue unknown = s.createQueue("unknown");
        assertThrows(InvalidDestinationException.class, () -> s.createProducer(unknown));
        assertThrows(InvalidDestinationException.class, () -> s.createConsumer(unknown));
        MessageProducer anonymous = s.createProducer(null);
        assertThrows(InvalidDestinationException.class, () -> anonymous.send(unknown, s.createTextMessage("x")));
        assertFalse(strict.queueNames().contains("unknown"));

        Queue known = s.createQueue("known");
        s.createProducer(known).send(s.createTextMessage("fine"));
        assertEquals("fine", ((TextMessage) receiveExpected(s.createConsumer(known))).getText());

        strict.createQueue("later");
        Queue later = s.createQueue("later");
        anonymous.send(later, s.createTextMessage("now it exists"));
        assertEquals("now it exists", ((TextMessage) receiveExpected(s.createConsumer(later))).getText());
    }

    @Test
    void queueDepthCountsWaitingAndUnacknowledgedMessages() throws Exception {
        send("depth", 4);
        assertEquals(4, broker.queueDepth("depth"));
        Session client = connection.createSession(false, Session.CLIENT_ACKNOWLEDGE);
        MessageConsumer c = client.createConsumer(client.createQueue("depth"));
        receiveExpected(c);
        Message second = receiveExpected(c);
        assertEquals(4, broker.queueDepth("depth"), "unacknowledged messages still count");
        second.acknowledge();
        assertEquals(2, broker.queueDepth("depth"));
        client.close();
        broker.purgeQueue("depth");
        assertEquals(0, broker.queueDepth("depth"));
        assertNull(session().createConsumer(session().createQueue("depth")).receive(ABSENT_TIMEOUT));
    }

    @Test
    void countsOfTheBrokerFollowTheQueue() throws Exception {
        Session s = session();
        Queue q = s.createQueue("counts");
        MessageConsumer c = s.createConsumer(q);
        assertEquals(1, broker.queueConsumerCount("counts"));
        send("counts", 3);
        for (int i = 0; i < 3; i++) {
            receiveExpected(c);
        }
        assertEquals(3, broker.queueEnqueuedCount("counts"));
        assertEquals(3, broker.queueDequeuedCount("counts"));
        c.close();
        assertEquals(0, broker.queueConsumerCount("counts"));
    }
}
