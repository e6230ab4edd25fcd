package io.tern.jms.api;

import io.tern.broker.Broker;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Many producers and consumers of every acknowledgement mode on one queue: exactly-once, nothing left. */
class ConcurrencyTest {

    private static final int PRODUCERS = 4;
    private static final int PER_PRODUCER = 2_500;
    private static final int TOTAL = PRODUCERS * PER_PRODUCER;
    private static final String QUEUE = "concurrent";

    private final ApiTestSupport.Resources resources = new ApiTestSupport.Resources();
    private Broker broker;

    @BeforeEach
    void start() {
        broker = resources.add(ApiTestSupport.startBroker("concurrency"));
    }

    @AfterEach
    void closeAll() {
        resources.close();
    }

    @Test
    void everyMessageIsConsumedExactlyOnce() throws Exception {
        Map<Integer, AtomicInteger> counts = new ConcurrentHashMap<>();
        AtomicInteger received = new AtomicInteger();
        AtomicBoolean producersDone = new AtomicBoolean();
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        CountDownLatch allReceived = new CountDownLatch(TOTAL);

        List<Thread> consumers = new ArrayList<>();
        consumers.add(pollingConsumer("auto", Session.AUTO_ACKNOWLEDGE, counts, received, allReceived,
                producersDone, failures));
        consumers.add(pollingConsumer("client-ack", Session.CLIENT_ACKNOWLEDGE, counts, received, allReceived,
                producersDone, failures));
        consumers.add(pollingConsumer("transacted", Session.SESSION_TRANSACTED, counts, received, allReceived,
                producersDone, failures));

        // The fourth consumer is a listener in AUTO_ACKNOWLEDGE on a connection of its own.
        Connection listenerConnection = resources.started(broker.connectionFactory().createConnection());
        Session listenerSession = listenerConnection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        listenerSession.createConsumer(listenerSession.createQueue(QUEUE)).setMessageListener(m -> {
            try {
                record(m, counts, received, allReceived);
            } catch (Throwable e) {
                failures.add(e);
            }
        });
        consumers.forEach(Thread::start);

        List<Thread> producers = new ArrayList<>();
        for (int p = 0; p < PRODUCERS; p++) {
            int producerIndex = p;
            producers.add(new Thread(() -> {
                try (Connection c = broker.connectionFactory().createConnection()) {
                    Session s = producerIndex % 2 == 0 ? c.createSession(false, Session.AUTO_ACKNOWLEDGE)
                            : c.createSession(true, Session.SESSION_TRANSACTED);
                    MessageProducer producer = s.createProducer(s.createQueue(QUEUE));
                    for (int i = 0; i < PER_PRODUCER; i++) {
                        Message m = s.createMessage();
                        m.setIntProperty("id", producerIndex * PER_PRODUCER + i);
                        producer.send(m);
                        if (s.getTransacted() && i % 50 == 49) {
                            s.commit();
                        }
                    }
                    if (s.getTransacted()) {
                        s.commit();
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            }, "producer-" + p));
        }
        producers.forEach(Thread::start);
        for (Thread t : producers) {
            t.join(60_000);
        }
        producersDone.set(true);
        assertTrue(failures.isEmpty(), "failures: " + failures);

        boolean complete = allReceived.await(60, TimeUnit.SECONDS);
        for (Thread t : consumers) {
            t.join(30_000);
        }
        listenerConnection.close();
        assertTrue(failures.isEmpty(), "failures: " + failures);
        assertTrue(complete, "received " + received.get() + " of " + TOTAL);

        List<Integer> duplicates = new ArrayList<>();
        for (Map.Entry<Integer, AtomicInteger> e : counts.entrySet()) {
            if (e.getValue().get() != 1) {
                duplicates.add(e.getKey());
            }
        }
        assertEquals(List.of(), duplicates, "messages consumed more than once");
        assertEquals(TOTAL, counts.size(), "distinct messages consumed");
        assertEquals(TOTAL, received.get());
        assertEquals(0, broker.queueDepth(QUEUE), "nothing may be left on the queue");

        try (Connection c = broker.connectionFactory().createConnection()) {
            c.start();
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            assertNull(s.createConsumer(s.createQueue(QUEUE)).receive(ApiTestSupport.ABSENT_TIMEOUT));
        }
    }

    private static void record(Message m, Map<Integer, AtomicInteger> counts, AtomicInteger received,
                               CountDownLatch allReceived) throws JMSException {
        counts.computeIfAbsent(m.getIntProperty("id"), k -> new AtomicInteger()).incrementAndGet();
        received.incrementAndGet();
        allReceived.countDown();
    }

    /**
     * A consumer thread with a connection of its own. Client-acknowledge and transacted consumers count a
     * message once its batch is acknowledged or committed, so a redelivery could never hide a loss.
     */
    private Thread pollingConsumer(String name, int mode, Map<Integer, AtomicInteger> counts, AtomicInteger received,
                                   CountDownLatch allReceived, AtomicBoolean producersDone,
                                   List<Throwable> failures) throws JMSException {
        Connection c = resources.started(broker.connectionFactory().createConnection());
        Session s = c.createSession(mode == Session.SESSION_TRANSACTED, mode);
        MessageConsumer consumer = s.createConsumer(s.createQueue(QUEUE));
        return new Thread(() -> {
            List<Message> batch = new ArrayList<>();
            try {
                while (true) {
                    Message m = consumer.receive(100);
                    if (m != null) {
                        batch.add(m);
                    }
                    if (batch.size() >= 10 || (m == null && !batch.isEmpty())) {
                        if (mode == Session.CLIENT_ACKNOWLEDGE) {
                            batch.get(batch.size() - 1).acknowledge();
                        } else if (mode == Session.SESSION_TRANSACTED) {
                            s.commit();
                        }
                        for (Message done : batch) {
                            record(done, counts, received, allReceived);
                        }
                        batch.clear();
                    }
                    if (m == null && producersDone.get() && received.get() >= TOTAL) {
                        return;
                    }
                    if (m == null && allReceived.getCount() == 0) {
                        return;
                    }
                }
            } catch (Throwable e) {
                failures.add(e);
            }
        }, "consumer-" + name);
    }
}
