package io.tern.transport.failover;

import io.tern.broker.Broker;
import io.tern.jms.TernConnection;
import io.tern.jms.TernConnectionFactory;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.TemporaryQueue;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.tern.transport.failover.FailoverConnectTest.assertReceived;
import static io.tern.transport.failover.FailoverConnectTest.recorder;
import static io.tern.transport.failover.FailoverTestSupport.ABSENT_TIMEOUT;
import static io.tern.transport.failover.FailoverTestSupport.RECEIVE_TIMEOUT;
import static io.tern.transport.failover.FailoverTestSupport.await;
import static io.tern.transport.failover.FailoverTestSupport.port;
import static io.tern.transport.failover.FailoverTestSupport.startBroker;
import static io.tern.transport.failover.FailoverTestSupport.tcpUri;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a reconnection restores: consumers, temporary queues, the client ID and durable subscriptions, on
 * another broker (the first one stopped) or on the same one behind a cut connection; and what happens to
 * deliveries received before the failover.
 */
class FailoverRestoreTest {

    private final List<AutoCloseable> cleanup = new CopyOnWriteArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : cleanup) {
            c.close();
        }
    }

    private Broker broker(String prefix) {
        Broker b = startBroker(prefix);
        cleanup.add(b);
        return b;
    }

    private CuttableProxy proxy(Broker b) throws Exception {
        CuttableProxy p = new CuttableProxy(port(b));
        cleanup.add(0, p);
        return p;
    }

    private TernConnection connect(String url, List<String> events) throws JMSException {
        TernConnection c = (TernConnection) new TernConnectionFactory(url).createConnection();
        c.setTransportListener(recorder(events));
        cleanup.add(0, c);
        return c;
    }

    @Test
    void consumersAndTemporaryQueuesMoveToTheNextBroker() throws Exception {
        Broker a = broker("restore-a");
        Broker b = broker("restore-b");
        List<String> events = new CopyOnWriteArrayList<>();
        TernConnection c = connect("failover:(" + tcpUri(a) + "," + tcpUri(b)
                + ")?randomize=false&initialReconnectDelay=1", events);
        c.start();
        Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
        MessageConsumer orders = s.createConsumer(s.createQueue("orders"));
        TemporaryQueue replies = s.createTemporaryQueue();
        MessageConsumer replyConsumer = s.createConsumer(replies);
        assertEquals(1, a.queueConsumerCount("orders"));

        a.stop();
        await("resumed", () -> events.contains("resumed"));
        assertEquals(1, b.queueConsumerCount("orders"), "the consumer was recreated on the second broker");

        try (Connection other = new TernConnectionFactory(tcpUri(b)).createConnection()) {
            Session os = other.createSession(false, Session.AUTO_ACKNOWLEDGE);
            os.createProducer(os.createQueue("orders")).send(os.createTextMessage("order 1"));
        }
        assertReceived("order 1", orders.receive(RECEIVE_TIMEOUT));
        s.createProducer(replies).send(s.createTextMessage("reply 1"));
        assertReceived("reply 1", replyConsumer.receive(RECEIVE_TIMEOUT));
    }

    @Test
    void theClientIdAndADurableSubscriptionComeBackOnTheSameBroker() throws Exception {
        Broker a = broker("durable");
        CuttableProxy proxy = proxy(a);
        List<String> events = new CopyOnWriteArrayList<>();
        TernConnection c = connect("failover:(" + proxy.uri() + ")?initialReconnectDelay=1&jms.clientID=keeper",
                events);
        c.start();
        Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
        Topic news = s.createTopic("news");
        MessageConsumer durable = s.createDurableConsumer(news, "headlines");

        proxy.cut();
        await("resumed", () -> events.contains("resumed"));
        assertEquals("keeper", c.getClientID());

        try (Connection other = new TernConnectionFactory(tcpUri(a)).createConnection()) {
            Session os = other.createSession(false, Session.AUTO_ACKNOWLEDGE);
            os.createProducer(os.createTopic("news")).send(os.createTextMessage("extra"));
        }
        assertReceived("extra", durable.receive(RECEIVE_TIMEOUT));
        JMSException inUse = assertThrows(JMSException.class,
                () -> new TernConnectionFactory(tcpUri(a) + "?jms.clientID=keeper").createConnection(),
                "the restored connection holds the client ID again");
        assertTrue(inUse.getMessage().contains("keeper"), inUse.getMessage());
    }

    @Test
    void afterAPartitionTheClientIdIsClaimedAgainOnceTheBrokerLetsTheOldConnectionGo() throws Exception {
        Broker a = startBroker("partition", "inactivityTimeout=1500");
        cleanup.add(a);
        CuttableProxy proxy = proxy(a);
        List<String> events = new CopyOnWriteArrayList<>();
        TernConnection c = connect("failover:(" + proxy.uri() + "?inactivityTimeout=1000)?initialReconnectDelay=1"
                + "&jms.clientID=partitioned", events);
        c.start();
        Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
        MessageConsumer durable = s.createDurableConsumer(s.createTopic("alerts"), "pager");

        proxy.partition();
        // The client finds the broker silent after 1 s and reconnects; the broker still holds the client ID
        // and the subscription until its own 1.5 s pass, and the restore waits for that.
        await("resumed", () -> events.contains("resumed"));
        try (Connection other = new TernConnectionFactory(tcpUri(a)).createConnection()) {
            Session os = other.createSession(false, Session.AUTO_ACKNOWLEDGE);
            os.createProducer(os.createTopic("alerts")).send(os.createTextMessage("wake up"));
        }
        assertReceived("wake up", durable.receive(RECEIVE_TIMEOUT));
        assertEquals("partitioned", c.getClientID());
    }

    @Test
    void acknowledgingAMessageReceivedBeforeTheFailoverThrowsAndItComesAgainRedelivered() throws Exception {
        Broker a = broker("client-ack");
        CuttableProxy proxy = proxy(a);
        List<String> events = new CopyOnWriteArrayList<>();
        TernConnection c = connect("failover:(" + proxy.uri() + ")?initialReconnectDelay=1", events);
        c.start();
        Session s = c.createSession(false, Session.CLIENT_ACKNOWLEDGE);
        MessageConsumer consumer = s.createConsumer(s.createQueue("jobs"));
        s.createProducer(s.createQueue("jobs")).send(s.createTextMessage("job 1"));
        Message before = consumer.receive(RECEIVE_TIMEOUT);
        assertReceived("job 1", before);
        assertTrue(!before.getJMSRedelivered());

        proxy.cut();
        await("resumed", () -> events.contains("resumed"));
        JMSException e = assertThrows(JMSException.class, before::acknowledge);
        assertTrue(e.getMessage().contains("delivers them again"), e.getMessage());

        Message again = consumer.receive(RECEIVE_TIMEOUT);
        assertReceived("job 1", again);
        assertTrue(again.getJMSRedelivered(), "a message the application saw before the failover is redelivered");
        again.acknowledge();
        assertNull(consumer.receive(ABSENT_TIMEOUT));
        await("acknowledged", () -> a.queueDepth("jobs") == 0);
    }

    @Test
    void bufferedMessagesOfTheLostConnectionArePurgedNotHandedOutTwice() throws Exception {
        Broker a = broker("purge");
        CuttableProxy proxy = proxy(a);
        List<String> events = new CopyOnWriteArrayList<>();
        TernConnection c = connect("failover:(" + proxy.uri() + ")?initialReconnectDelay=1&jms.prefetch=100",
                events);
        Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
        for (int i = 0; i < 10; i++) {
            s.createProducer(s.createQueue("batch")).send(s.createTextMessage("m" + i));
        }
        MessageConsumer consumer = s.createConsumer(s.createQueue("batch"));
        c.start();
        assertReceived("m0", consumer.receive(RECEIVE_TIMEOUT));
        await("the rest is buffered", () -> a.queueDepth("batch") == 9);

        proxy.cut();
        await("resumed", () -> events.contains("resumed"));
        for (int i = 1; i < 10; i++) {
            assertReceived("m" + i, consumer.receive(RECEIVE_TIMEOUT));
        }
        assertNull(consumer.receive(ABSENT_TIMEOUT), "each message once: the stale buffer was dropped");
        await("all acknowledged", () -> a.queueDepth("batch") == 0);
    }
}
