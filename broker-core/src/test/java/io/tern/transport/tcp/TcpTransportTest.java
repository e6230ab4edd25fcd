package io.tern.transport.tcp;

import io.tern.broker.Broker;
import io.tern.broker.FlowControl;
import io.tern.jms.TernConnectionFactory;
import jakarta.jms.BytesMessage;
import jakarta.jms.CompletionListener;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.IllegalStateException;
import jakarta.jms.InvalidClientIDException;
import jakarta.jms.InvalidDestinationException;
import jakarta.jms.InvalidSelectorException;
import jakarta.jms.JMSException;
import jakarta.jms.MapMessage;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.ObjectMessage;
import jakarta.jms.Queue;
import jakarta.jms.QueueBrowser;
import jakarta.jms.ResourceAllocationException;
import jakarta.jms.Session;
import jakarta.jms.StreamMessage;
import jakarta.jms.TemporaryQueue;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;
import jakarta.jms.TopicSubscriber;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static io.tern.transport.tcp.TcpTestSupport.ABSENT_TIMEOUT;
import static io.tern.transport.tcp.TcpTestSupport.RECEIVE_TIMEOUT;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The JMS API over tcp://: what works over vm:// works the same over the network, errors included. */
class TcpTransportTest {

    private Broker broker;
    private TernConnectionFactory factory;
    private final List<Connection> opened = new ArrayList<>();

    @BeforeEach
    void start() {
        broker = TcpTestSupport.startBroker("api", "");
        factory = TcpTestSupport.factory(broker);
    }

    @AfterEach
    void stop() {
        for (Connection c : opened) {
            try {
                c.close();
            } catch (JMSException ignored) {
                // already failed
            }
        }
        broker.close();
    }

    private Connection connect() throws JMSException {
        return connect(factory);
    }

    private Connection connect(TernConnectionFactory f) throws JMSException {
        Connection c = f.createConnection();
        opened.add(c);
        c.start();
        return c;
    }

    private static Message receive(MessageConsumer consumer) throws JMSException {
        Message m = consumer.receive(RECEIVE_TIMEOUT);
        assertNotNull(m, "expected a message within " + RECEIVE_TIMEOUT + " ms");
        return m;
    }

    @Test
    void everyMessageTypeTravelsWithItsHeadersAndProperties() throws Exception {
        Session s = connect().createSession(false, Session.AUTO_ACKNOWLEDGE);
        Queue q = s.createQueue("types");
        MessageProducer p = s.createProducer(q);
        MessageConsumer consumer = s.createConsumer(q);

        TextMessage text = s.createTextMessage("h\u00e9llo \ud83d\ude00");
        text.setStringProperty("s", "v");
        text.setIntProperty("i", 42);
        text.setJMSCorrelationID("corr-1");
        text.setJMSType("greeting");
        p.send(text, DeliveryMode.PERSISTENT, 7, 0);
        BytesMessage bytes = s.createBytesMessage();
        bytes.writeBytes(new byte[] {1, 2, 3});
        p.send(bytes);
        MapMessage map = s.createMapMessage();
        map.setLong("n", Long.MIN_VALUE);
        p.send(map);
        StreamMessage stream = s.createStreamMessage();
        stream.writeDouble(1.5);
        p.send(stream);
        p.send(s.createObjectMessage(new ArrayList<>(List.of("a", "b"))));
        p.send(s.createMessage());

        TextMessage t = (TextMessage) receive(consumer);
        assertEquals("h\u00e9llo \ud83d\ude00", t.getText());
        assertEquals("v", t.getStringProperty("s"));
        assertEquals(42, t.getIntProperty("i"));
        assertEquals("corr-1", t.getJMSCorrelationID());
        assertEquals("greeting", t.getJMSType());
        assertEquals(7, t.getJMSPriority());
        assertEquals(DeliveryMode.PERSISTENT, t.getJMSDeliveryMode());
        assertEquals(text.getJMSMessageID(), t.getJMSMessageID());
        assertEquals(q, t.getJMSDestination());
        assertFalse(t.getJMSRedelivered());
        BytesMessage b = (BytesMessage) receive(consumer);
        byte[] read = new byte[3];
        assertEquals(3, b.readBytes(read));
        assertArrayEquals(new byte[] {1, 2, 3}, read);
        assertEquals(Long.MIN_VALUE, ((MapMessage) receive(consumer)).getLong("n"));
        assertEquals(1.5, ((StreamMessage) receive(consumer)).readDouble());
        assertEquals(List.of("a", "b"), ((ObjectMessage) receive(consumer)).getObject());
        assertNotNull(receive(consumer));
        assertNull(consumer.receive(ABSENT_TIMEOUT));
    }

    @Test
    void aLargeMessageArrivesWhole() throws Exception {
        Session s = connect().createSession(false, Session.AUTO_ACKNOWLEDGE);
        Queue q = s.createQueue("large");
        byte[] payload = new byte[3 * 1024 * 1024];
        new Random(7).nextBytes(payload);
        BytesMessage m = s.createBytesMessage();
        m.writeBytes(payload);
        s.createProducer(q).send(m);
        BytesMessage got = (BytesMessage) receive(s.createConsumer(q));
        byte[] read = new byte[payload.length];
        assertEquals(payload.length, got.readBytes(read));
        assertArrayEquals(payload, read);
    }

    @Test
    void messagesSentOverVmArriveOverTcpAndBack() throws Exception {
        Connection vm = connect(broker.connectionFactory());
        Session vmSession = vm.createSession(false, Session.AUTO_ACKNOWLEDGE);
        Session tcpSession = connect().createSession(false, Session.AUTO_ACKNOWLEDGE);
        Queue toTcp = tcpSession.createQueue("vm-to-tcp");
        Queue toVm = tcpSession.createQueue("tcp-to-vm");
        vmSession.createProducer(toTcp).send(vmSession.createTextMessage("from vm"));
        assertEquals("from vm", ((TextMessage) receive(tcpSession.createConsumer(toTcp))).getText());
        tcpSession.createProducer(toVm).send(tcpSession.createTextMessage("from tcp"));
        assertEquals("from tcp", ((TextMessage) receive(vmSession.createConsumer(toVm))).getText());
    }

    @Test
    void topicsReachEverySubscriberAndDurableSubscriptionsKeepMessages() throws Exception {
        Connection c = connect(TcpTestSupport.factory(broker, "jms.clientID=durable-client"));
        Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
        Topic topic = s.createTopic("prices");
        MessageConsumer first = s.createConsumer(topic);
        MessageConsumer second = connect().createSession(false, Session.AUTO_ACKNOWLEDGE).createConsumer(topic);
        TopicSubscriber durable = s.createDurableSubscriber(topic, "keeper");
        MessageProducer p = s.createProducer(topic);
        p.send(s.createTextMessage("one"));
        assertEquals("one", ((TextMessage) receive(first)).getText());
        assertEquals("one", ((TextMessage) receive(second)).getText());
        assertEquals("one", ((TextMessage) receive(durable)).getText());

        durable.close();
        p.send(s.createTextMessage("two"));
        IllegalStateException inUse = null;
        TopicSubscriber again = s.createDurableSubscriber(topic, "keeper");
        assertEquals("two", ((TextMessage) receive(again)).getText());
        try {
            s.unsubscribe("keeper");
        } catch (IllegalStateException e) {
            inUse = e;
        }
        assertNotNull(inUse, "unsubscribing an active durable subscription is an IllegalStateException");
        again.close();
        s.unsubscribe("keeper");
        assertThrows(InvalidDestinationException.class, () -> s.unsubscribe("keeper"));
    }

    @Test
    void transactedSendsAppearOnlyOnCommitAndRolledBackReceivesComeAgain() throws Exception {
        Connection c = connect();
        Session tx = c.createSession(true, Session.SESSION_TRANSACTED);
        Queue q = tx.createQueue("tx");
        MessageProducer p = tx.createProducer(q);
        MessageConsumer plain = c.createSession(false, Session.AUTO_ACKNOWLEDGE).createConsumer(q);
        p.send(tx.createTextMessage("dropped"));
        tx.rollback();
        p.send(tx.createTextMessage("kept"));
        assertNull(plain.receive(ABSENT_TIMEOUT), "an uncommitted send is invisible");
        tx.commit();
        assertEquals("kept", ((TextMessage) receive(plain)).getText());
        plain.close();

        p.send(tx.createTextMessage("again"));
        tx.commit();
        MessageConsumer txConsumer = tx.createConsumer(q);
        Message first = receive(txConsumer);
        assertFalse(first.getJMSRedelivered());
        tx.rollback();
        Message second = receive(txConsumer);
        assertEquals("again", ((TextMessage) second).getText());
        assertTrue(second.getJMSRedelivered());
        assertEquals(2, second.getIntProperty("JMSXDeliveryCount"));
        tx.commit();
        assertNull(txConsumer.receive(ABSENT_TIMEOUT));
        assertEquals(0, broker.queueDepth("tx"));
    }

    @Test
    void clientAcknowledgeRecoverAndUnacknowledgedOnCloseAreRedelivered() throws Exception {
        Connection c = connect();
        Session s = c.createSession(false, Session.CLIENT_ACKNOWLEDGE);
        Queue q = s.createQueue("client-ack");
        MessageProducer p = s.createProducer(q);
        p.send(s.createTextMessage("a"));
        p.send(s.createTextMessage("b"));
        MessageConsumer consumer = s.createConsumer(q);
        receive(consumer);
        s.recover();
        Message a = receive(consumer);
        assertEquals("a", ((TextMessage) a).getText());
        assertTrue(a.getJMSRedelivered());
        a.acknowledge();
        Message b = receive(consumer);
        assertEquals("b", ((TextMessage) b).getText());
        c.close();

        Session other = connect().createSession(false, Session.CLIENT_ACKNOWLEDGE);
        Message again = receive(other.createConsumer(q));
        assertEquals("b", ((TextMessage) again).getText());
        assertTrue(again.getJMSRedelivered(), "received but unacknowledged when its connection closed");
        again.acknowledge();
        TcpTestSupport.await("the queue to drain", () -> broker.queueDepth("client-ack") == 0);
    }

    @Test
    void selectorsFilterAndABadSelectorIsAnInvalidSelectorException() throws Exception {
        Session s = connect().createSession(false, Session.AUTO_ACKNOWLEDGE);
        Queue q = s.createQueue("selected");
        MessageProducer p = s.createProducer(q);
        for (int i = 0; i < 10; i++) {
            Message m = s.createTextMessage("m" + i);
            m.setIntProperty("n", i);
            p.send(m);
        }
        MessageConsumer evens = s.createConsumer(q, "n / 2 * 2 = n AND n > 3");
        assertEquals(4, receive(evens).getIntProperty("n"));
        assertEquals(6, receive(evens).getIntProperty("n"));
        assertEquals(8, receive(evens).getIntProperty("n"));
        assertNull(evens.receive(ABSENT_TIMEOUT));
        assertThrows(InvalidSelectorException.class, () -> s.createConsumer(q, "n >"));
    }

    @Test
    void temporaryQueuesCarryRepliesAndBelongToTheirConnection() throws Exception {
        Connection requester = connect();
        Session rs = requester.createSession(false, Session.AUTO_ACKNOWLEDGE);
        TemporaryQueue replies = rs.createTemporaryQueue();
        Session service = connect().createSession(false, Session.AUTO_ACKNOWLEDGE);
        Queue requests = service.createQueue("requests");
        MessageConsumer serviceConsumer = service.createConsumer(requests);

        TextMessage request = rs.createTextMessage("ping");
        request.setJMSReplyTo(replies);
        rs.createProducer(requests).send(request);
        Message got = receive(serviceConsumer);
        service.createProducer(got.getJMSReplyTo()).send(service.createTextMessage("pong"));
        MessageConsumer replyConsumer = rs.createConsumer(replies);
        assertEquals("pong", ((TextMessage) receive(replyConsumer)).getText());

        assertThrows(InvalidDestinationException.class, () -> service.createConsumer(got.getJMSReplyTo()),
                "only the connection that made a temporary queue may consume from it");
        assertThrows(IllegalStateException.class, replies::delete, "a temporary queue with a consumer");
        replyConsumer.close();
        replies.delete();
        assertThrows(InvalidDestinationException.class,
                () -> service.createProducer(got.getJMSReplyTo()).send(service.createTextMessage("late")));
    }

    @Test
    void browsingSeesEveryWaitingMessageAcrossManyChunks() throws Exception {
        Session s = connect().createSession(false, Session.AUTO_ACKNOWLEDGE);
        Queue q = s.createQueue("browsed");
        MessageProducer p = s.createProducer(q);
        byte[] kib = new byte[1024];
        int count = 700; // about 700 KiB: several chunks of the browse reply
        for (int i = 0; i < count; i++) {
            BytesMessage m = s.createBytesMessage();
            m.writeBytes(kib);
            m.setIntProperty("n", i);
            p.send(m);
        }
        QueueBrowser all = s.createBrowser(q);
        List<Message> seen = Collections.list(castEnumeration(all.getEnumeration()));
        assertEquals(count, seen.size());
        for (int i = 0; i < count; i++) {
            assertEquals(i, seen.get(i).getIntProperty("n"));
        }
        QueueBrowser some = s.createBrowser(q, "n < 3");
        assertEquals(3, Collections.list(castEnumeration(some.getEnumeration())).size());
        assertEquals(count, broker.queueDepth("browsed"), "browsing consumes nothing");
        assertThrows(InvalidSelectorException.class, () -> s.createBrowser(q, "n <").getEnumeration());
    }

    @SuppressWarnings("unchecked")
    private static Enumeration<Message> castEnumeration(Enumeration<?> e) {
        return (Enumeration<Message>) e;
    }

    @Test
    void aClientIdInUseIsAnInvalidClientIdException() throws Exception {
        connect(TcpTestSupport.factory(broker, "jms.clientID=only-one"));
        Connection second = factory.createConnection();
        opened.add(second);
        assertThrows(InvalidClientIDException.class, () -> second.setClientID("only-one"));
    }

    @Test
    void anUnknownDestinationIsAnInvalidDestinationException() throws Exception {
        try (Broker strict = TcpTestSupport.startBroker(Broker.builder().name(TcpTestSupport.uniqueName("strict"))
                .persistent(false).autoCreateDestinations(false).queue("known"), "")) {
            Session s = connect(TcpTestSupport.factory(strict)).createSession(false, Session.AUTO_ACKNOWLEDGE);
            assertThrows(InvalidDestinationException.class, () -> s.createProducer(s.createQueue("unknown")));
            assertThrows(InvalidDestinationException.class, () -> s.createConsumer(s.createQueue("unknown")));
            s.createProducer(s.createQueue("known")).send(s.createTextMessage("fine"));
        }
    }

    @Test
    void aFullBrokerThatFailsSendsThrowsResourceAllocationException() throws Exception {
        try (Broker small = TcpTestSupport.startBroker(Broker.builder().name(TcpTestSupport.uniqueName("full"))
                .persistent(false).memoryLimit(64 * 1024).flowControl(FlowControl.FAIL), "")) {
            Session s = connect(TcpTestSupport.factory(small)).createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer p = s.createProducer(s.createQueue("filling"));
            p.setDeliveryMode(DeliveryMode.NON_PERSISTENT);
            BytesMessage m = s.createBytesMessage();
            m.writeBytes(new byte[4096]);
            ResourceAllocationException refused = null;
            for (int i = 0; i < 1000 && refused == null; i++) {
                try {
                    p.send(m);
                } catch (ResourceAllocationException e) {
                    refused = e;
                }
            }
            assertNotNull(refused, "the memory limit was never reached");
            assertTrue(refused.getMessage().contains("memory limit"), refused.getMessage());
            s.createQueue("filling");
            MessageConsumer drain = s.createConsumer(s.createQueue("filling"));
            assertNotNull(drain.receive(RECEIVE_TIMEOUT), "the connection still works after the refusal");
        }
    }

    @Test
    void asynchronousSendsCompleteInOrder() throws Exception {
        Session s = connect().createSession(false, Session.AUTO_ACKNOWLEDGE);
        Queue q = s.createQueue("async");
        MessageProducer p = s.createProducer(q);
        int count = 2000;
        List<String> completed = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch done = new CountDownLatch(count);
        AtomicReference<Exception> failure = new AtomicReference<>();
        for (int i = 0; i < count; i++) {
            TextMessage m = s.createTextMessage("m" + i);
            p.send(m, new CompletionListener() {
                @Override
                public void onCompletion(Message message) {
                    try {
                        completed.add(((TextMessage) message).getText());
                    } catch (JMSException e) {
                        failure.set(e);
                    }
                    done.countDown();
                }

                @Override
                public void onException(Message message, Exception exception) {
                    failure.set(exception);
                    done.countDown();
                }
            });
        }
        assertTrue(done.await(30, TimeUnit.SECONDS), "every asynchronous send completes");
        assertNull(failure.get());
        for (int i = 0; i < count; i++) {
            assertEquals("m" + i, completed.get(i));
        }
        assertEquals(count, broker.queueDepth("async"));
    }

    @Test
    void messageListenersReceiveOverTcp() throws Exception {
        Session s = connect().createSession(false, Session.AUTO_ACKNOWLEDGE);
        Queue q = s.createQueue("listened");
        int count = 500;
        CountDownLatch received = new CountDownLatch(count);
        s.createConsumer(q).setMessageListener(m -> received.countDown());
        Session producerSession = connect().createSession(false, Session.AUTO_ACKNOWLEDGE);
        MessageProducer p = producerSession.createProducer(q);
        for (int i = 0; i < count; i++) {
            p.send(producerSession.createTextMessage("m" + i));
        }
        assertTrue(received.await(30, TimeUnit.SECONDS));
    }

    @Test
    void aStoppingBrokerCallsTheExceptionListener() throws Exception {
        Broker own = TcpTestSupport.startBroker("stopping", "");
        Connection c = connect(TcpTestSupport.factory(own));
        AtomicReference<JMSException> told = new AtomicReference<>();
        CountDownLatch called = new CountDownLatch(1);
        c.setExceptionListener(e -> {
            told.set(e);
            called.countDown();
        });
        Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
        MessageConsumer waiting = s.createConsumer(s.createQueue("q"));
        own.close();
        assertTrue(called.await(RECEIVE_TIMEOUT, TimeUnit.MILLISECONDS), "the exception listener is called");
        assertTrue(told.get().getMessage().contains("stopped"), told.get().getMessage());
        assertThrows(IllegalStateException.class, () -> waiting.receive(ABSENT_TIMEOUT));
        assertThrows(IllegalStateException.class, () -> s.createProducer(s.createQueue("q")));
    }

    @Test
    void connectingToNothingNamesTheAddress() {
        int port = TcpTestSupport.port(broker);
        broker.stop();
        JMSException e = assertThrows(JMSException.class,
                () -> new TernConnectionFactory("tcp://127.0.0.1:" + port).createConnection());
        assertTrue(e.getMessage().contains("tcp://127.0.0.1:" + port), e.getMessage());
    }

    @Test
    void aBadClientOptionNamesIt() {
        JMSException e = assertThrows(JMSException.class,
                () -> TcpTestSupport.factory(broker, "inactivityTimeout=soon").createConnection());
        assertTrue(e.getMessage().contains("inactivityTimeout"), e.getMessage());
        JMSException unknown = assertThrows(JMSException.class,
                () -> TcpTestSupport.factory(broker, "colour=blue").createConnection());
        assertTrue(unknown.getMessage().contains("colour"), unknown.getMessage());
    }

    @Test
    void javaNioWorksAsWellAsEpoll() throws Exception {
        try (Broker nio = TcpTestSupport.startBroker("nio", "epoll=false")) {
            Session s = connect(TcpTestSupport.factory(nio, "epoll=false")).createSession(false,
                    Session.AUTO_ACKNOWLEDGE);
            Queue q = s.createQueue("nio");
            s.createProducer(q).send(s.createTextMessage("over nio"));
            assertEquals("over nio", ((TextMessage) receive(s.createConsumer(q))).getText());
        }
    }

    @Test
    void closingAConnectionGivesBackWhatItHeldBeforeCloseReturns() throws Exception {
        Connection c = connect();
        Session s = c.createSession(false, Session.CLIENT_ACKNOWLEDGE);
        Queue q = s.createQueue("held");
        MessageProducer p = s.createProducer(q);
        for (int i = 0; i < 5; i++) {
            p.send(s.createTextMessage("m" + i));
        }
        receive(s.createConsumer(q));
        assertEquals(1, broker.queueConsumerCount("held"));
        int before = broker.connectionCount();
        c.close();
        assertEquals(before - 1, broker.connectionCount(), "the broker let go of the connection before close returned");
        assertEquals(0, broker.queueConsumerCount("held"));
        assertEquals(5, broker.queueDepth("held"));
    }
}
