package io.tern.broker;

import jakarta.jms.Connection;
import jakarta.jms.InvalidDestinationException;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Exclusive consumers ({@code ?consumer.exclusive=true}) and message groups (JMSXGroupID). */
class ExclusiveConsumerAndGroupTest {

    private Broker broker;
    private Connection connection;

    @BeforeEach
    void startBroker() throws Exception {
        broker = Broker.builder().name("exclusive-groups").persistent(false).build().start();
        connection = broker.connectionFactory().createConnection();
        connection.start();
    }

    @AfterEach
    void closeBroker() throws Exception {
        connection.close();
        broker.close();
    }

    @Test
    void theExclusiveConsumerGetsEverythingAndTheNextTakesOverWhenItCloses() throws Exception {
        Session s1 = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        Session s2 = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        Queue exclusive = s1.createQueue("work?consumer.exclusive=true");
        assertEquals("work", exclusive.getQueueName());
        MessageConsumer first = s1.createConsumer(exclusive);
        MessageConsumer second = s2.createConsumer(s2.createQueue("work?consumer.exclusive=true"));
        MessageProducer p = s1.createProducer(s1.createQueue("work"));
        for (int i = 0; i < 10; i++) {
            p.send(s1.createTextMessage("m" + i));
        }
        for (int i = 0; i < 10; i++) {
            assertEquals("m" + i, ((TextMessage) first.receive(5000)).getText());
        }
        assertNull(second.receive(200));
        first.close();
        p.send(s1.createTextMessage("after"));
        assertEquals("after", ((TextMessage) second.receive(5000)).getText());
    }

    @Test
    void anUnknownDestinationOptionIsAnInvalidDestination() throws Exception {
        Session s = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        InvalidDestinationException e = assertThrows(InvalidDestinationException.class,
                () -> s.createQueue("work?consumer.exclusiv=true"));
        assertTrue(e.getMessage().contains("consumer.exclusiv"), e.getMessage());
    }

    @Test
    void aGroupStaysWithOneConsumerUntilItCloses() throws Exception {
        Session producerSession = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        Queue q = producerSession.createQueue("grouped?consumer.prefetchSize=1");
        Session sa = connection.createSession(false, Session.CLIENT_ACKNOWLEDGE);
        Session sb = connection.createSession(false, Session.CLIENT_ACKNOWLEDGE);
        MessageConsumer a = sa.createConsumer(q);
        MessageConsumer b = sb.createConsumer(q);
        MessageProducer p = producerSession.createProducer(q);
        for (int i = 0; i < 40; i++) {
            Message m = producerSession.createTextMessage("m" + i);
            m.setStringProperty("JMSXGroupID", "group-" + (i % 4));
            p.send(m);
        }
        Map<String, String> owner = new HashMap<>();
        List<Message> got = new ArrayList<>();
        int fromA = 0;
        int fromB = 0;
        while (got.size() < 40) {
            Message m = a.receive(100);
            if (m != null) {
                fromA++;
                record(owner, m, "a");
                got.add(m);
                m.acknowledge();
            }
            m = b.receive(100);
            if (m != null) {
                fromB++;
                record(owner, m, "b");
                got.add(m);
                m.acknowledge();
            }
            assertTrue(fromA + fromB <= 40);
        }
        assertTrue(fromA > 0 && fromB > 0, "groups are spread over both consumers: " + owner);

        String groupOfA = null;
        for (Map.Entry<String, String> e : owner.entrySet()) {
            if (e.getValue().equals("a")) {
                groupOfA = e.getKey();
            }
        }
        assertNotNull(groupOfA);
        a.close();
        Message m = producerSession.createTextMessage("after close");
        m.setStringProperty("JMSXGroupID", groupOfA);
        p.send(m);
        Message taken = b.receive(5000);
        assertNotNull(taken, "the group moves to a remaining consumer when its owner closes");
        assertEquals(groupOfA, taken.getStringProperty("JMSXGroupID"));
    }

    private static void record(Map<String, String> owner, Message m, String consumer) throws Exception {
        String group = m.getStringProperty("JMSXGroupID");
        String previous = owner.putIfAbsent(group, consumer);
        assertTrue(previous == null || previous.equals(consumer),
                group + " went to " + consumer + " after " + previous);
    }
}
