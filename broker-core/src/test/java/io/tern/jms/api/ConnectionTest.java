package io.tern.jms.api;

import io.tern.broker.Broker;
import io.tern.jms.TernConnectionFactory;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.ConnectionMetaData;
import jakarta.jms.IllegalStateException;
import jakarta.jms.InvalidClientIDException;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.QueueConnection;
import jakarta.jms.QueueConnectionFactory;
import jakarta.jms.QueueReceiver;
import jakarta.jms.QueueSender;
import jakarta.jms.QueueSession;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;
import jakarta.jms.TopicConnection;
import jakarta.jms.TopicConnectionFactory;
import jakarta.jms.TopicPublisher;
import jakarta.jms.TopicSession;
import jakarta.jms.TopicSubscriber;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static io.tern.jms.TestTransport.connectionFactory;
import static io.tern.jms.api.ApiTestSupport.ABSENT_TIMEOUT;
import static io.tern.jms.api.ApiTestSupport.RECEIVE_TIMEOUT;
import static io.tern.jms.api.ApiTestSupport.awaitBlocked;
import static io.tern.jms.api.ApiTestSupport.receiveExpected;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Connections: client ID rules, start/stop, exception listener, metadata, close (Jakarta Messaging 3.1, 6.1). */
class ConnectionTest {

    private final ApiTestSupport.Resources resources = new ApiTestSupport.Resources();
    private Broker broker;
    private ConnectionFactory cf;

    @BeforeEach
    void startBroker() {
        broker = resources.add(ApiTestSupport.startBroker("conn"));
        cf = connectionFactory(broker);
    }

    @AfterEach
    void closeAll() {
        resources.close();
    }

    private Connection connection() throws JMSException {
        return resources.add(cf.createConnection());
    }

    // ------------------------------------------------------------------ client ID

    @Test
    void clientIdIsSetOnceAndThenReported() throws Exception {
        Connection c = connection();
        assertNull(c.getClientID());
        c.setClientID("once");
        assertEquals("once", c.getClientID());
        assertThrows(IllegalStateException.class, () -> c.setClientID("twice"));
        assertEquals("once", c.getClientID());
    }

    @Test
    void clientIdCannotBeSetAfterTheConnectionWasUsed() throws Exception {
        Connection afterSession = connection();
        afterSession.createSession(false, Session.AUTO_ACKNOWLEDGE);
        assertThrows(IllegalStateException.class, () -> afterSession.setClientID("late-1"));

        Connection afterStart = connection();
        afterStart.start();
        assertThrows(IllegalStateException.class, () -> afterStart.setClientID("late-2"));

        Connection afterStop = connection();
        afterStop.stop();
        assertThrows(IllegalStateException.class, () -> afterStop.setClientID("late-3"));

        // The refused IDs were not claimed: another connection may take them.
        Connection fresh = connection();
        fresh.setClientID("late-1");
        assertEquals("late-1", fresh.getClientID());
    }

    @Test
    void duplicateClientIdOnTheSameBrokerIsInvalid() throws Exception {
        Connection first = connection();
        first.setClientID("dup");
        Connection second = connection();
        assertThrows(InvalidClientIDException.class, () -> second.setClientID("dup"));
        assertNull(second.getClientID(), "a refused client ID must not be kept");
        second.setClientID("other");
        assertEquals("other", second.getClientID());

        first.close();
        Connection third = connection();
        third.setClientID("dup");
        assertEquals("dup", third.getClientID(), "a closed connection gives its client ID back");
    }

    @Test
    void sameClientIdOnAnotherBrokerIsAllowed() throws Exception {
        Broker other = resources.add(ApiTestSupport.startBroker("conn-other"));
        Connection a = connection();
        a.setClientID("shared-id");
        Connection b = resources.add(connectionFactory(other).createConnection());
        b.setClientID("shared-id");
        assertEquals("shared-id", b.getClientID());
    }

    @Test
    void clientIdFromTheFactory() throws Exception {
        TernConnectionFactory factory = connectionFactory(broker);
        factory.setClientID("from-factory");
        Connection c = resources.add(factory.createConnection());
        assertEquals("from-factory", c.getClientID());
        assertThrows(IllegalStateException.class, () -> c.setClientID("mine"),
                "a client ID configured on the factory cannot be replaced");
        assertThrows(InvalidClientIDException.class, factory::createConnection,
                "a second connection of the factory would claim the same client ID");
        c.close();
        Connection again = resources.add(factory.createConnection());
        assertEquals("from-factory", again.getClientID());
    }

    @Test
    void clientIdFromTheUrl() throws Exception {
        Connection c = resources.add(connectionFactory(broker, "jms.clientID=url-id")
                .createConnection());
        assertEquals("url-id", c.getClientID());
    }

    // ------------------------------------------------------------------ start and stop

    @Test
    void nothingIsReceivedBeforeStart() throws Exception {
        Connection c = connection();
        Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
        Queue q = s.createQueue("before-start");
        MessageConsumer consumer = s.createConsumer(q);
        s.createProducer(q).send(s.createTextMessage("m"));
        assertNull(consumer.receive(ABSENT_TIMEOUT), "a connection delivers nothing until started");
        assertNull(consumer.receiveNoWait());
        c.start();
        assertEquals("m", ((TextMessage) receiveExpected(consumer)).getText());
    }

    @Test
    void stopPausesReceiveAndStartResumes() throws Exception {
        Connection c = connection();
        c.start();
        Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
        Queue q = s.createQueue("stop-receive");
        MessageConsumer consumer = s.createConsumer(q);
        MessageProducer producer = s.createProducer(q);
        producer.send(s.createTextMessage("1"));
        assertEquals("1", ((TextMessage) receiveExpected(consumer)).getText());

        c.stop();
        producer.send(s.createTextMessage("2"));
        assertNull(consumer.receive(ABSENT_TIMEOUT), "receive must not return a message while stopped");
        assertNull(consumer.receiveNoWait());

        c.start();
        assertEquals("2", ((TextMessage) receiveExpected(consumer)).getText());
    }

    @Test
    void listenerIsNotCalledWhileStopped() throws Exception {
        Connection c = connection();
        Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
        Queue q = s.createQueue("stop-listener");
        CountDownLatch received = new CountDownLatch(1);
        s.createConsumer(q).setMessageListener(m -> received.countDown());
        s.createProducer(q).send(s.createTextMessage("m"));
        assertFalse(received.await(ABSENT_TIMEOUT, TimeUnit.MILLISECONDS), "listener called before start");

        c.start();
        assertTrue(received.await(RECEIVE_TIMEOUT, TimeUnit.MILLISECONDS), "listener not called after start");

        c.stop();
        CountDownLatch second = new CountDownLatch(1);
        Session s2 = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
        s2.createConsumer(s2.createQueue("stop-listener-2")).setMessageListener(m -> second.countDown());
        s2.createProducer(s2.createQueue("stop-listener-2")).send(s2.createTextMessage("m2"));
        assertFalse(second.await(ABSENT_TIMEOUT, TimeUnit.MILLISECONDS), "listener called while stopped");
        c.start();
        assertTrue(second.await(RECEIVE_TIMEOUT, TimeUnit.MILLISECONDS), "listener not called after restart");
    }

    @Test
    void stopWaitsForARunningListenerToReturn() throws Exception {
        Connection c = connection();
        c.start();
        Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
        Queue q = s.createQueue("stop-waits");
        CountDownLatch entered = new CountDownLatch(1);
        AtomicReference<Thread> stopper = new AtomicReference<>();
        AtomicBoolean listenerFinished = new AtomicBoolean();
        AtomicBoolean finishedWhenStopReturned = new AtomicBoolean();
        s.createConsumer(q).setMessageListener(m -> {
            entered.countDown();
            // Stay in onMessage until the stopping thread is parked inside stop().
            ApiTestSupport.await("stop() to be called", () -> stopper.get() != null);
            Thread t = stopper.get();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (t.getState() != Thread.State.WAITING && t.getState() != Thread.State.TERMINATED
                    && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            listenerFinished.set(true);
        });
        s.createProducer(q).send(s.createTextMessage("m"));
        assertTrue(entered.await(RECEIVE_TIMEOUT, TimeUnit.MILLISECONDS));

        AtomicReference<Throwable> stopFailure = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                c.stop();
                finishedWhenStopReturned.set(listenerFinished.get());
            } catch (Throwable e) {
                stopFailure.set(e);
            }
        }, "stopper");
        stopper.set(t);
        t.start();
        t.join(10_000);
        assertFalse(t.isAlive(), "stop() did not return");
        assertNull(stopFailure.get());
        assertTrue(finishedWhenStopReturned.get(), "stop() returned while a message listener was still running");
    }

    @Test
    void closeWaitsForARunningListenerToReturn() throws Exception {
        Connection c = connection();
        c.start();
        Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
        Queue q = s.createQueue("close-waits");
        CountDownLatch entered = new CountDownLatch(1);
        AtomicReference<Thread> closer = new AtomicReference<>();
        AtomicBoolean listenerFinished = new AtomicBoolean();
        AtomicBoolean finishedWhenCloseReturned = new AtomicBoolean();
        s.createConsumer(q).setMessageListener(m -> {
            entered.countDown();
            ApiTestSupport.await("close() to be called", () -> closer.get() != null);
            Thread t = closer.get();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (t.getState() != Thread.State.WAITING && t.getState() != Thread.State.TERMINATED
                    && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            listenerFinished.set(true);
        });
        s.createProducer(q).send(s.createTextMessage("m"));
        assertTrue(entered.await(RECEIVE_TIMEOUT, TimeUnit.MILLISECONDS));
        Thread t = new Thread(() -> {
            try {
                c.close();
                finishedWhenCloseReturned.set(listenerFinished.get());
            } catch (JMSException e) {
                throw new RuntimeException(e);
            }
        }, "closer");
        closer.set(t);
        t.start();
        t.join(10_000);
        assertFalse(t.isAlive(), "close() did not return");
        assertTrue(finishedWhenCloseReturned.get(), "close() returned while a message listener was still running");
        assertEquals(0, broker.queueDepth("close-waits"), "the listener's message was acknowledged");
    }

    // ------------------------------------------------------------------ exception listener

    @Test
    void exceptionListenerIsCalledWhenTheBrokerStops() throws Exception {
        Connection c = connection();
        AtomicReference<JMSException> reported = new AtomicReference<>();
        CountDownLatch called = new CountDownLatch(1);
        c.setExceptionListener(e -> {
            reported.set(e);
            called.countDown();
        });
        assertNotNull(c.getExceptionListener());
        c.start();
        broker.stop();
        assertTrue(called.await(RECEIVE_TIMEOUT, TimeUnit.MILLISECONDS), "exception listener not called");
        assertNotNull(reported.get());
        assertThrows(IllegalStateException.class, () -> c.createSession(false, Session.AUTO_ACKNOWLEDGE),
                "a failed connection cannot be used");
        assertDoesNotThrow(c::close);
    }

    @Test
    void exceptionListenerIsNotCalledOnANormalClose() throws Exception {
        Connection c = connection();
        CountDownLatch called = new CountDownLatch(1);
        c.setExceptionListener(e -> called.countDown());
        c.start();
        c.close();
        broker.stop();
        assertFalse(called.await(ABSENT_TIMEOUT, TimeUnit.MILLISECONDS), "a closed connection reports nothing");
    }

    @Test
    void exceptionListenerIsCalledOnceAndMayCloseTheConnection() throws Exception {
        Connection c = connection();
        java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
        AtomicReference<Throwable> closeFailure = new AtomicReference<>();
        CountDownLatch closed = new CountDownLatch(1);
        c.setExceptionListener(e -> {
            calls.incrementAndGet();
            try {
                c.close();
            } catch (Throwable t) {
                closeFailure.set(t);
            }
            closed.countDown();
        });
        c.createSession(false, Session.AUTO_ACKNOWLEDGE).createConsumer(
                c.createSession(false, Session.AUTO_ACKNOWLEDGE).createQueue("exception-close"));
        broker.stop();
        assertTrue(closed.await(RECEIVE_TIMEOUT, TimeUnit.MILLISECONDS));
        assertNull(closeFailure.get(), "closing the failed connection from its exception listener must work");
        Thread.sleep(ABSENT_TIMEOUT);
        assertEquals(1, calls.get());
    }

    @Test
    void blockedReceiveReturnsWhenTheBrokerStops() throws Exception {
        Connection c = connection();
        c.start();
        Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
        MessageConsumer consumer = s.createConsumer(s.createQueue("broker-stop-receive"));
        AtomicReference<Object> result = new AtomicReference<>("nothing yet");
        Thread receiver = new Thread(() -> {
            try {
                result.set(consumer.receive());
            } catch (JMSException e) {
                result.set(e);
            }
        }, "receiver");
        receiver.start();
        awaitBlocked(receiver);
        broker.stop();
        receiver.join(10_000);
        assertFalse(receiver.isAlive(), "receive() still blocked after the broker stopped");
        Object r = result.get();
        assertTrue(r == null || r instanceof JMSException, "receive returned " + r);
    }

    // ------------------------------------------------------------------ metadata

    @Test
    void metadataDescribesJms31AndTern() throws Exception {
        ConnectionMetaData md = connection().getMetaData();
        assertEquals("3.1", md.getJMSVersion());
        assertEquals(3, md.getJMSMajorVersion());
        assertEquals(1, md.getJMSMinorVersion());
        assertEquals("Tern", md.getJMSProviderName());
        assertNotNull(md.getProviderVersion());
        assertTrue(md.getProviderMajorVersion() >= 0);
        assertTrue(md.getProviderMinorVersion() >= 0);
        List<String> jmsx = new ArrayList<>();
        Collections.list(md.getJMSXPropertyNames()).forEach(n -> jmsx.add((String) n));
        assertTrue(jmsx.contains("JMSXDeliveryCount"), jmsx.toString());
        assertTrue(jmsx.contains("JMSXGroupID"), "JMSXGroupID must be supported by every provider: " + jmsx);
        assertTrue(jmsx.contains("JMSXGroupSeq"), "JMSXGroupSeq must be supported by every provider: " + jmsx);
        for (String name : jmsx) {
            assertTrue(name.startsWith("JMSX"), name);
        }
    }

    @Test
    void gettingMetadataDoesNotFixTheClientId() throws Exception {
        Connection c = connection();
        c.getMetaData();
        c.setClientID("after-metadata");
        assertEquals("after-metadata", c.getClientID());
    }

    // ------------------------------------------------------------------ close

    @Test
    void closeIsIdempotentForEveryObject() throws Exception {
        Connection c = connection();
        Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
        Queue q = s.createQueue("close-twice");
        MessageProducer p = s.createProducer(q);
        MessageConsumer mc = s.createConsumer(q);
        mc.close();
        mc.close();
        p.close();
        p.close();
        s.close();
        s.close();
        c.close();
        c.close();
    }

    @Test
    void closedConnectionRefusesEveryOperationWithIllegalState() throws Exception {
        Connection c = connection();
        Session s = c.createSession(false, Session.CLIENT_ACKNOWLEDGE);
        Queue q = s.createQueue("closed-conn");
        MessageProducer p = s.createProducer(q);
        MessageConsumer mc = s.createConsumer(q);
        c.start();
        p.send(s.createTextMessage("m"));
        Message received = receiveExpected(mc);
        c.close();

        assertThrows(IllegalStateException.class, () -> c.createSession(false, Session.AUTO_ACKNOWLEDGE));
        assertThrows(IllegalStateException.class, c::createSession);
        assertThrows(IllegalStateException.class, c::start);
        assertThrows(IllegalStateException.class, c::stop);
        assertThrows(IllegalStateException.class, c::getClientID);
        assertThrows(IllegalStateException.class, () -> c.setClientID("x"));
        assertThrows(IllegalStateException.class, c::getMetaData);
        assertThrows(IllegalStateException.class, c::getExceptionListener);
        assertThrows(IllegalStateException.class, () -> c.setExceptionListener(e -> { }));

        // Its sessions, producers and consumers are closed with it.
        assertThrows(IllegalStateException.class, () -> s.createTextMessage("x"));
        assertThrows(IllegalStateException.class, () -> s.createProducer(q));
        assertThrows(IllegalStateException.class, () -> s.createConsumer(q));
        assertThrows(IllegalStateException.class, s::getAcknowledgeMode);
        assertThrows(IllegalStateException.class, () -> p.send(received));
        assertThrows(IllegalStateException.class, mc::receiveNoWait);
        assertThrows(IllegalStateException.class, () -> mc.receive(10));
        assertThrows(IllegalStateException.class, received::acknowledge,
                "acknowledge after the connection closed must fail");
        // close of each stays harmless
        mc.close();
        p.close();
        s.close();
    }

    @Test
    void closedSessionRefusesOperationsWithIllegalState() throws Exception {
        Connection c = connection();
        c.start();
        Session s = c.createSession(false, Session.CLIENT_ACKNOWLEDGE);
        Queue q = s.createQueue("closed-session");
        MessageProducer p = s.createProducer(q);
        MessageConsumer mc = s.createConsumer(q);
        p.send(s.createTextMessage("m"));
        Message received = receiveExpected(mc);
        s.close();

        assertThrows(IllegalStateException.class, () -> s.createTextMessage("x"));
        assertThrows(IllegalStateException.class, () -> s.createQueue("x"));
        assertThrows(IllegalStateException.class, () -> s.createConsumer(q));
        assertThrows(IllegalStateException.class, () -> s.createBrowser(q));
        assertThrows(IllegalStateException.class, s::recover);
        assertThrows(IllegalStateException.class, s::getTransacted);
        assertThrows(IllegalStateException.class, () -> p.send(received));
        assertThrows(IllegalStateException.class, p::getDeliveryMode);
        assertThrows(IllegalStateException.class, () -> mc.receive(10));
        assertThrows(IllegalStateException.class, mc::getMessageSelector);
        assertThrows(IllegalStateException.class, received::acknowledge);

        // the connection itself is fine
        Session other = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
        Message again = receiveExpected(other.createConsumer(q));
        assertTrue(again.getJMSRedelivered(), "the unacknowledged message comes back after the session closed");
    }

    @Test
    void closedProducerAndConsumerRefuseOperations() throws Exception {
        Connection c = connection();
        Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
        Queue q = s.createQueue("closed-parts");
        MessageProducer p = s.createProducer(q);
        MessageConsumer mc = s.createConsumer(q);
        p.close();
        mc.close();
        assertThrows(IllegalStateException.class, () -> p.send(s.createTextMessage("x")));
        assertThrows(IllegalStateException.class, () -> p.setPriority(5));
        assertThrows(IllegalStateException.class, p::getDestination);
        assertThrows(IllegalStateException.class, mc::receiveNoWait);
        assertThrows(IllegalStateException.class, () -> mc.setMessageListener(m -> { }));
        // the session is fine
        assertNotNull(s.createProducer(q));
    }

    @Test
    void closeEndsABlockedReceive() throws Exception {
        Connection c = connection();
        c.start();
        Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
        MessageConsumer consumer = s.createConsumer(s.createQueue("close-unblocks"));
        AtomicReference<Object> result = new AtomicReference<>("nothing yet");
        Thread receiver = new Thread(() -> {
            try {
                result.set(consumer.receive());
            } catch (Throwable e) {
                result.set(e);
            }
        }, "receiver");
        receiver.start();
        awaitBlocked(receiver);
        c.close();
        receiver.join(10_000);
        assertFalse(receiver.isAlive(), "connection close must end a blocked receive");
        assertNull(result.get(), "receive interrupted by close returns null");
    }

    @Test
    void closeAndStopFromOwnListenerAreIllegalState() throws Exception {
        Connection c = connection();
        c.start();
        Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
        Queue q = s.createQueue("close-from-listener");
        AtomicReference<Throwable> onClose = new AtomicReference<>();
        AtomicReference<Throwable> onStop = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(1);
        s.createConsumer(q).setMessageListener(m -> {
            try {
                c.close();
            } catch (Throwable e) {
                onClose.set(e);
            }
            try {
                c.stop();
            } catch (Throwable e) {
                onStop.set(e);
            }
            done.countDown();
        });
        s.createProducer(q).send(s.createTextMessage("m"));
        assertTrue(done.await(RECEIVE_TIMEOUT, TimeUnit.MILLISECONDS));
        assertInstanceOf(IllegalStateException.class, onClose.get(), "close() from its own listener");
        assertInstanceOf(IllegalStateException.class, onStop.get(), "stop() from its own listener");
    }

    // ------------------------------------------------------------------ domain-specific factories

    @Test
    void queueConnectionFactoryWorks() throws Exception {
        QueueConnectionFactory qcf = connectionFactory(broker);
        QueueConnection c = resources.add(qcf.createQueueConnection());
        c.start();
        QueueSession s = c.createQueueSession(false, Session.AUTO_ACKNOWLEDGE);
        Queue q = s.createQueue("domain-queue");
        QueueSender sender = s.createSender(q);
        QueueReceiver receiver = s.createReceiver(q);
        assertEquals(q, sender.getQueue());
        assertEquals(q, receiver.getQueue());
        sender.send(s.createTextMessage("via queue api"));
        assertEquals("via queue api", ((TextMessage) receiver.receive(RECEIVE_TIMEOUT)).getText());

        QueueConnection withCredentials = resources.add(qcf.createQueueConnection("user", "password"));
        assertNotNull(withCredentials.createQueueSession(true, Session.SESSION_TRANSACTED));
    }

    @Test
    void topicConnectionFactoryWorks() throws Exception {
        TopicConnectionFactory tcf = connectionFactory(broker);
        TopicConnection c = resources.add(tcf.createTopicConnection());
        c.start();
        TopicSession s = c.createTopicSession(false, Session.AUTO_ACKNOWLEDGE);
        Topic t = s.createTopic("domain-topic");
        TopicSubscriber subscriber = s.createSubscriber(t);
        TopicPublisher publisher = s.createPublisher(t);
        assertEquals(t, publisher.getTopic());
        assertEquals(t, subscriber.getTopic());
        publisher.publish(s.createTextMessage("via topic api"));
        assertEquals("via topic api", ((TextMessage) subscriber.receive(RECEIVE_TIMEOUT)).getText());

        TopicConnection withCredentials = resources.add(tcf.createTopicConnection("user", "password"));
        assertNotNull(withCredentials.createTopicSession(false, Session.CLIENT_ACKNOWLEDGE));
    }

    @Test
    void queueSessionRefusesPublishSubscribeMethods() throws Exception {
        QueueConnection c = resources.add(((QueueConnectionFactory) cf).createQueueConnection());
        c.setClientID("queue-session-client");
        QueueSession s = c.createQueueSession(false, Session.AUTO_ACKNOWLEDGE);
        Topic t = resources.add(cf.createConnection()).createSession().createTopic("not-for-queue-sessions");
        // QueueSession javadoc: these methods inherit from Session but must throw IllegalStateException.
        assertThrows(IllegalStateException.class, () -> s.createTopic("t"));
        assertThrows(IllegalStateException.class, s::createTemporaryTopic);
        assertThrows(IllegalStateException.class, () -> s.createDurableSubscriber(t, "d"));
        assertThrows(IllegalStateException.class, () -> s.createDurableConsumer(t, "d"));
        assertThrows(IllegalStateException.class, () -> s.createSharedConsumer(t, "s"));
        assertThrows(IllegalStateException.class, () -> s.createSharedDurableConsumer(t, "s"));
        assertThrows(IllegalStateException.class, () -> s.unsubscribe("d"));
    }

    @Test
    void topicSessionRefusesPointToPointMethods() throws Exception {
        TopicConnection c = resources.add(((TopicConnectionFactory) cf).createTopicConnection());
        TopicSession s = c.createTopicSession(false, Session.AUTO_ACKNOWLEDGE);
        Queue q = resources.add(cf.createConnection()).createSession().createQueue("not-for-topic-sessions");
        // TopicSession javadoc: these methods inherit from Session but must throw IllegalStateException.
        assertThrows(IllegalStateException.class, () -> s.createQueue("q"));
        assertThrows(IllegalStateException.class, s::createTemporaryQueue);
        assertThrows(IllegalStateException.class, () -> s.createBrowser(q));
        assertThrows(IllegalStateException.class, () -> s.createBrowser(q, "a = 1"));
    }
}
