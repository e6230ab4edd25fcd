package io.tern.jms.api;

import io.tern.broker.Broker;
import jakarta.jms.Connection;
import jakarta.jms.IllegalStateException;
import jakarta.jms.InvalidSelectorException;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageListener;
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
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static io.tern.jms.TestTransport.connectionFactory;
import static io.tern.jms.api.ApiTestSupport.ABSENT_TIMEOUT;
import static io.tern.jms.api.ApiTestSupport.RECEIVE_TIMEOUT;
import static io.tern.jms.api.ApiTestSupport.awaitBlocked;
import static io.tern.jms.api.ApiTestSupport.receiveExpected;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** MessageConsumer (Jakarta Messaging 3.1, 8): synchronous receive and message listeners. */
class ConsumerTest {

    private final ApiTestSupport.Resources resources = new ApiTestSupport.Resources();
    private Broker broker;
    private Connection connection;

    @BeforeEach
    void start() throws JMSException {
        broker = resources.add(ApiTestSupport.startBroker("consumer"));
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

    private static String text(Message m) throws JMSException {
        return ((TextMessage) m).getText();
    }

    // ------------------------------------------------------------------ synchronous receive

    @Test
    void receiveBlocksUntilAMessageArrives() throws Exception {
        Session s = session();
        MessageConsumer c = s.createConsumer(s.createQueue("blocking"));
        AtomicReference<Object> got = new AtomicReference<>();
        Thread receiver = new Thread(() -> {
            try {
                got.set(c.receive());
            } catch (Throwable e) {
                got.set(e);
            }
        }, "receiver");
        receiver.start();
        awaitBlocked(receiver);
        assertNull(got.get());
        send("blocking", 1);
        receiver.join(10_000);
        assertFalse(receiver.isAlive());
        assertEquals("m0", text(assertInstanceOf(Message.class, got.get())));
    }

    @Test
    void receiveWithTimeoutReturnsNullWhenNothingComes() throws Exception {
        Session s = session();
        MessageConsumer c = s.createConsumer(s.createQueue("timeout"));
        assertNull(c.receive(ABSENT_TIMEOUT));
        send("timeout", 1);
        assertEquals("m0", text(receiveExpected(c)));
        assertNull(c.receive(ABSENT_TIMEOUT));
    }

    @Test
    void receiveNoWaitReturnsBufferedMessagesOrNull() throws Exception {
        Session s = session();
        MessageConsumer c = s.createConsumer(s.createQueue("nowait"));
        assertNull(c.receiveNoWait());
        send("nowait", 2);
        List<String> got = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(RECEIVE_TIMEOUT);
        while (got.size() < 2 && System.nanoTime() < deadline) {
            Message m = c.receiveNoWait();
            if (m != null) {
                got.add(text(m));
            } else {
                Thread.sleep(5);
            }
        }
        assertEquals(List.of("m0", "m1"), got);
        assertNull(c.receiveNoWait());
    }

    @Test
    void receiveReturnsNullWhenTheConsumerIsClosedFromAnotherThread() throws Exception {
        Session s = session();
        MessageConsumer c = s.createConsumer(s.createQueue("closed-while-receiving"));
        AtomicReference<Object> got = new AtomicReference<>("nothing yet");
        Thread receiver = new Thread(() -> {
            try {
                got.set(c.receive());
            } catch (Throwable e) {
                got.set(e);
            }
        }, "receiver");
        receiver.start();
        awaitBlocked(receiver);
        c.close();
        receiver.join(10_000);
        assertFalse(receiver.isAlive(), "receive() still blocked after close()");
        assertNull(got.get());
    }

    @Test
    void receiveWithTimeoutReturnsNullWhenTheSessionIsClosedFromAnotherThread() throws Exception {
        Session s = session();
        MessageConsumer c = s.createConsumer(s.createQueue("session-closed-while-receiving"));
        AtomicReference<Object> got = new AtomicReference<>("nothing yet");
        Thread receiver = new Thread(() -> {
            try {
                got.set(c.receive(60_000));
            } catch (Throwable e) {
                got.set(e);
            }
        }, "receiver");
        receiver.start();
        awaitBlocked(receiver);
        s.close();
        receiver.join(10_000);
        assertFalse(receiver.isAlive(), "receive(timeout) still blocked after the session closed");
        assertNull(got.get());
    }

    @Test
    void firstDeliveryHeaders() throws Exception {
        send("first-delivery", 1);
        Session s = session();
        Message m = receiveExpected(s.createConsumer(s.createQueue("first-delivery")));
        assertFalse(m.getJMSRedelivered());
        assertEquals(1, m.getIntProperty("JMSXDeliveryCount"));
        assertTrue(m.propertyExists("JMSXDeliveryCount"));
    }

    @Test
    void invalidSelectorIsRefusedAtCreation() throws Exception {
        Session s = session();
        Queue q = s.createQueue("bad-selector");
        assertThrows(InvalidSelectorException.class, () -> s.createConsumer(q, "color = "));
        assertThrows(InvalidSelectorException.class, () -> s.createConsumer(q, "nonsense ((("));
        MessageConsumer c = s.createConsumer(q, "color = 'red'");
        assertEquals("color = 'red'", c.getMessageSelector());
    }

    // ------------------------------------------------------------------ listeners

    @Test
    void listenerIsReportedAndReceivesMessages() throws Exception {
        Session s = session();
        MessageConsumer c = s.createConsumer(s.createQueue("listener"));
        assertNull(c.getMessageListener());
        List<String> got = new CopyOnWriteArrayList<>();
        CountDownLatch three = new CountDownLatch(3);
        MessageListener listener = m -> {
            try {
                got.add(text(m));
            } catch (JMSException e) {
                got.add(e.toString());
            }
            three.countDown();
        };
        c.setMessageListener(listener);
        assertSame(listener, c.getMessageListener());
        send("listener", 3);
        assertTrue(three.await(RECEIVE_TIMEOUT, TimeUnit.MILLISECONDS));
        assertEquals(List.of("m0", "m1", "m2"), got);
    }

    @Test
    void listenersOfOneSessionNeverRunConcurrently() throws Exception {
        Session s = session();
        int perQueue = 200;
        AtomicInteger active = new AtomicInteger();
        AtomicInteger maxActive = new AtomicInteger();
        CountDownLatch all = new CountDownLatch(3 * perQueue);
        MessageListener listener = m -> {
            int now = active.incrementAndGet();
            maxActive.accumulateAndGet(now, Math::max);
            for (int i = 0; i < 50; i++) {
                Thread.yield();
            }
            active.decrementAndGet();
            all.countDown();
        };
        for (String q : new String[] {"serial-1", "serial-2", "serial-3"}) {
            s.createConsumer(s.createQueue(q)).setMessageListener(listener);
        }
        Thread[] senders = new Thread[3];
        for (int i = 0; i < 3; i++) {
            String q = "serial-" + (i + 1);
            senders[i] = new Thread(() -> {
                try {
                    send(q, perQueue);
                } catch (JMSException e) {
                    throw new RuntimeException(e);
                }
            });
            senders[i].start();
        }
        for (Thread t : senders) {
            t.join(10_000);
        }
        assertTrue(all.await(20, TimeUnit.SECONDS), "listeners got " + (3 * perQueue - all.getCount()));
        assertEquals(1, maxActive.get(), "listeners of one session ran concurrently");
    }

    @Test
    void listenersOfDifferentSessionsMayRunAtTheSameTime() throws Exception {
        CountDownLatch bothInside = new CountDownLatch(2);
        AtomicBoolean overlapped = new AtomicBoolean();
        MessageListener listener = m -> {
            bothInside.countDown();
            try {
                overlapped.compareAndSet(false, bothInside.await(RECEIVE_TIMEOUT, TimeUnit.MILLISECONDS));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        Session a = session();
        Session b = session();
        a.createConsumer(a.createQueue("parallel-a")).setMessageListener(listener);
        b.createConsumer(b.createQueue("parallel-b")).setMessageListener(listener);
        send("parallel-a", 1);
        send("parallel-b", 1);
        assertTrue(bothInside.await(RECEIVE_TIMEOUT, TimeUnit.MILLISECONDS));
        ApiTestSupport.await("a listener to see the other", overlapped::get);
    }

    @Test
    void listenerThrowingInAutoAcknowledgeGetsTheMessageAgain() throws Exception {
        Session s = session();
        List<String> seen = new CopyOnWriteArrayList<>();
        CountDownLatch redelivered = new CountDownLatch(1);
        s.createConsumer(s.createQueue("throwing")).setMessageListener(m -> {
            try {
                seen.add(text(m) + ":" + m.getJMSRedelivered() + ":" + m.getIntProperty("JMSXDeliveryCount"));
                if (!m.getJMSRedelivered()) {
                    throw new RuntimeException("listener failure (expected by the test)");
                }
                redelivered.countDown();
            } catch (JMSException e) {
                seen.add(e.toString());
            }
        });
        send("throwing", 1);
        assertTrue(redelivered.await(RECEIVE_TIMEOUT, TimeUnit.MILLISECONDS), seen.toString());
        assertEquals(List.of("m0:false:1", "m0:true:2"), seen);
        s.close();
        assertEquals(0, broker.queueDepth("throwing"), "the redelivered message was acknowledged");
    }

    @Test
    void listenerThrowingInDupsOkGetsTheMessageAgain() throws Exception {
        Session s = connection.createSession(false, Session.DUPS_OK_ACKNOWLEDGE);
        AtomicInteger calls = new AtomicInteger();
        CountDownLatch redelivered = new CountDownLatch(1);
        s.createConsumer(s.createQueue("throwing-dups")).setMessageListener(m -> {
            calls.incrementAndGet();
            try {
                if (!m.getJMSRedelivered()) {
                    throw new RuntimeException("listener failure (expected by the test)");
                }
            } catch (JMSException e) {
                throw new RuntimeException(e);
            }
            redelivered.countDown();
        });
        send("throwing-dups", 1);
        assertTrue(redelivered.await(RECEIVE_TIMEOUT, TimeUnit.MILLISECONDS));
        assertEquals(2, calls.get());
    }

    @Test
    void consumerMayCloseItselfFromItsListener() throws Exception {
        Session s = session();
        Queue q = s.createQueue("self-close");
        MessageConsumer c = s.createConsumer(q);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicInteger calls = new AtomicInteger();
        CountDownLatch closed = new CountDownLatch(1);
        c.setMessageListener(m -> {
            calls.incrementAndGet();
            try {
                c.close();
            } catch (Throwable e) {
                failure.set(e);
            }
            closed.countDown();
        });
        send("self-close", 3);
        assertTrue(closed.await(RECEIVE_TIMEOUT, TimeUnit.MILLISECONDS));
        assertNull(failure.get(), "close() from the consumer's own listener must be allowed");
        // The message being processed was acknowledged when onMessage returned; the others stay.
        MessageConsumer next = session().createConsumer(q);
        List<String> rest = new ArrayList<>();
        for (Message m = next.receive(RECEIVE_TIMEOUT); m != null; m = next.receive(ABSENT_TIMEOUT)) {
            rest.add(text(m));
        }
        assertEquals(List.of("m1", "m2"), rest);
        assertEquals(1, calls.get(), "a closed consumer's listener is not called again");
    }

    @Test
    void closingTheOwnSessionFromAListenerIsIllegalState() throws Exception {
        Session s = session();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(1);
        s.createConsumer(s.createQueue("session-close-in-listener")).setMessageListener(m -> {
            try {
                s.close();
            } catch (Throwable e) {
                failure.set(e);
            }
            done.countDown();
        });
        send("session-close-in-listener", 1);
        assertTrue(done.await(RECEIVE_TIMEOUT, TimeUnit.MILLISECONDS));
        assertInstanceOf(IllegalStateException.class, failure.get());
        assertFalse(s.getTransacted(), "the session is still open");
    }

    @Test
    void receiveOnAConsumerWithAListenerIsIllegalState() throws Exception {
        Session s = session();
        MessageConsumer c = s.createConsumer(s.createQueue("listener-and-receive"));
        c.setMessageListener(m -> { });
        assertThrows(IllegalStateException.class, c::receive);
        assertThrows(IllegalStateException.class, () -> c.receive(10));
        assertThrows(IllegalStateException.class, c::receiveNoWait);
    }

    @Test
    void removingTheListenerAllowsReceiveAgain() throws Exception {
        connection.stop();
        Session s = session();
        MessageConsumer c = s.createConsumer(s.createQueue("listener-removed"));
        AtomicInteger calls = new AtomicInteger();
        c.setMessageListener(m -> calls.incrementAndGet());
        c.setMessageListener(null);
        send("listener-removed", 1);
        connection.start();
        assertEquals("m0", text(receiveExpected(c)));
        assertEquals(0, calls.get());
    }

    @Test
    void consumerCloseWaitsForItsRunningListener() throws Exception {
        Session s = session();
        MessageConsumer c = s.createConsumer(s.createQueue("close-waits"));
        CountDownLatch entered = new CountDownLatch(1);
        AtomicReference<Thread> closer = new AtomicReference<>();
        AtomicBoolean listenerFinished = new AtomicBoolean();
        AtomicBoolean finishedWhenCloseReturned = new AtomicBoolean();
        c.setMessageListener(m -> {
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
        send("close-waits", 1);
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
        assertFalse(t.isAlive());
        assertTrue(finishedWhenCloseReturned.get(), "close() returned while the listener was still running");
    }

    @Test
    void sessionCloseFromAnotherThreadWaitsForItsRunningListener() throws Exception {
        Session s = session();
        CountDownLatch entered = new CountDownLatch(1);
        AtomicReference<Thread> closer = new AtomicReference<>();
        AtomicBoolean listenerFinished = new AtomicBoolean();
        AtomicBoolean finishedWhenCloseReturned = new AtomicBoolean();
        s.createConsumer(s.createQueue("session-close-waits")).setMessageListener(m -> {
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
        send("session-close-waits", 1);
        assertTrue(entered.await(RECEIVE_TIMEOUT, TimeUnit.MILLISECONDS));
        Thread t = new Thread(() -> {
            try {
                s.close();
                finishedWhenCloseReturned.set(listenerFinished.get());
            } catch (JMSException e) {
                throw new RuntimeException(e);
            }
        }, "closer");
        closer.set(t);
        t.start();
        t.join(10_000);
        assertFalse(t.isAlive());
        assertTrue(finishedWhenCloseReturned.get(), "Session.close() returned while its listener was still running");
        assertEquals(0, broker.queueDepth("session-close-waits"));
    }

    @Test
    void listenerThrowingInClientAcknowledgeGoesOnWithTheNextMessage() throws Exception {
        Session s = connection.createSession(false, Session.CLIENT_ACKNOWLEDGE);
        List<String> seen = new CopyOnWriteArrayList<>();
        CountDownLatch two = new CountDownLatch(2);
        s.createConsumer(s.createQueue("throwing-client")).setMessageListener(m -> {
            try {
                seen.add(text(m));
            } catch (JMSException e) {
                seen.add(e.toString());
            }
            two.countDown();
            throw new RuntimeException("listener failure (expected by the test)");
        });
        send("throwing-client", 2);
        assertTrue(two.await(RECEIVE_TIMEOUT, TimeUnit.MILLISECONDS));
        Thread.sleep(ABSENT_TIMEOUT);
        assertEquals(List.of("m0", "m1"), seen, "in CLIENT_ACKNOWLEDGE the next message follows; no redelivery");
        s.recover();
        ApiTestSupport.await("redelivery after recover", () -> seen.size() == 4);
        assertEquals(List.of("m0", "m1", "m0", "m1"), seen);
    }

    @Test
    void listenerSetBeforeStartGetsMessagesSentEarlier() throws Exception {
        send("early", 5);
        Connection fresh = resources.add(connectionFactory(broker).createConnection());
        Session s = fresh.createSession(false, Session.AUTO_ACKNOWLEDGE);
        CountDownLatch five = new CountDownLatch(5);
        List<String> got = new CopyOnWriteArrayList<>();
        s.createConsumer(s.createQueue("early")).setMessageListener(m -> {
            try {
                got.add(text(m));
            } catch (JMSException e) {
                got.add(e.toString());
            }
            five.countDown();
        });
        fresh.start();
        assertTrue(five.await(RECEIVE_TIMEOUT, TimeUnit.MILLISECONDS));
        assertEquals(List.of("m0", "m1", "m2", "m3", "m4"), got);
    }

    @Test
    void sessionRecoverInAutoListenerRedeliversTheCurrentMessage() throws Exception {
        Session s = session();
        List<String> seen = new CopyOnWriteArrayList<>();
        CountDownLatch done = new CountDownLatch(1);
        s.createConsumer(s.createQueue("auto-recover")).setMessageListener(m -> {
            try {
                seen.add(text(m) + ":" + m.getIntProperty("JMSXDeliveryCount"));
                if (m.getIntProperty("JMSXDeliveryCount") == 1) {
                    s.recover();
                } else {
                    done.countDown();
                }
            } catch (JMSException e) {
                seen.add(e.toString());
            }
        });
        send("auto-recover", 1);
        assertTrue(done.await(RECEIVE_TIMEOUT, TimeUnit.MILLISECONDS), seen.toString());
        assertEquals(List.of("m0:1", "m0:2"), seen);
    }

    @Test
    void consumerOfAClosedSessionIsClosed() throws Exception {
        Session s = session();
        MessageConsumer c = s.createConsumer(s.createQueue("closed-with-session"));
        s.close();
        assertThrows(IllegalStateException.class, c::receiveNoWait);
        assertThrows(IllegalStateException.class, c::getMessageListener);
        c.close();
        assertNotNull(session().createConsumer(session().createQueue("closed-with-session")));
    }
}
