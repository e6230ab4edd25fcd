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

import static io.tern.jms.TestTransport.connectionFactory;
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
        Connection listenerConnection = resources.started(connectionFactory(broker).createConnection());
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
                try (Connection c = connectionFactory(broker).createConnection()) {
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

        try (Connection c = connectionFactory(broker).createConnection()) {
            c.start();
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            assertNull(s.createConsumer(s.createQueue(QUEUE)).receive(ApiTestSupport.ABSENT_TIMEOUT));
        }
    }

    @Test
    void consumersThatComeAndGoWithoutAcknowledgingLoseNothing() throws Exception {
        int producers = 2;
        int perProducer = 2_000;
        int total = producers * perProducer;
        String queue = "come-and-go";
        Map<Integer, AtomicInteger> consumed = new ConcurrentHashMap<>();
        AtomicInteger consumedCount = new AtomicInteger();
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        AtomicBoolean stop = new AtomicBoolean();

        List<Thread> threads = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            int producerIndex = p;
            threads.add(new Thread(() -> {
                try (Connection c = connectionFactory(broker).createConnection()) {
                    Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
                    MessageProducer producer = s.createProducer(s.createQueue(queue));
                    for (int i = 0; i < perProducer; i++) {
                        Message m = s.createMessage();
                        m.setIntProperty("id", producerIndex * perProducer + i);
                        producer.send(m);
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            }, "come-and-go-producer-" + p));
        }
        for (int k = 0; k < 3; k++) {
            boolean transacted = k == 1;
            int seed = k;
            threads.add(new Thread(() -> {
                java.util.Random random = new java.util.Random(seed);
                try (Connection c = connectionFactory(broker).createConnection()) {
                    c.start();
                    while (!stop.get() && consumedCount.get() < total) {
                        Session s = transacted ? c.createSession(true, Session.SESSION_TRANSACTED)
                                : c.createSession(false, Session.CLIENT_ACKNOWLEDGE);
                        MessageConsumer consumer = s.createConsumer(s.createQueue(queue));
                        List<Message> batch = new ArrayList<>();
                        int want = 1 + random.nextInt(30);
                        for (Message m = consumer.receive(100); m != null; m = consumer.receive(20)) {
                            batch.add(m);
                            if (batch.size() >= want) {
                                break;
                            }
                        }
                        // A third of the batches are given back, but never a message delivered 3 times
                        // already: the test stays clear of any redelivery limit (dead-letter policy).
                        boolean keep = random.nextInt(3) != 0;
                        for (Message m : batch) {
                            keep |= m.getIntProperty("JMSXDeliveryCount") >= 3;
                        }
                        if (!batch.isEmpty() && keep) {
                            if (transacted) {
                                s.commit();
                            } else {
                                batch.get(0).acknowledge();
                            }
                            for (Message m : batch) {
                                consumed.computeIfAbsent(m.getIntProperty("id"), x -> new AtomicInteger())
                                        .incrementAndGet();
                                consumedCount.incrementAndGet();
                            }
                        } else if (transacted) {
                            s.rollback();
                        }
                        s.close();
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            }, "come-and-go-consumer-" + k));
        }
        threads.forEach(Thread::start);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (consumedCount.get() < total && failures.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        stop.set(true);
        for (Thread t : threads) {
            t.join(30_000);
        }
        assertTrue(failures.isEmpty(), "failures: " + failures);
        List<Integer> twice = new ArrayList<>();
        consumed.forEach((id, n) -> {
            if (n.get() != 1) {
                twice.add(id);
            }
        });
        assertEquals(List.of(), twice, "acknowledged more than once");
        assertEquals(total, consumed.size(), "distinct messages acknowledged");
        assertEquals(0, broker.queueDepth(queue));
    }

    @Test
    void everySubscriberGetsEveryPublicationInPublisherOrder() throws Exception {
        int publishers = 3;
        int perPublisher = 1_000;
        String topic = "concurrent-topic";
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        List<MessageConsumer> subscribers = new ArrayList<>();
        for (int k = 0; k < 3; k++) {
            Connection c = resources.started(connectionFactory(broker).createConnection());
            Session s = c.createSession(false, k == 0 ? Session.AUTO_ACKNOWLEDGE
                    : k == 1 ? Session.DUPS_OK_ACKNOWLEDGE : Session.CLIENT_ACKNOWLEDGE);
            subscribers.add(s.createConsumer(s.createTopic(topic)));
        }
        List<Thread> threads = new ArrayList<>();
        for (int p = 0; p < publishers; p++) {
            int publisher = p;
            threads.add(new Thread(() -> {
                try (Connection c = connectionFactory(broker).createConnection()) {
                    Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
                    MessageProducer producer = s.createProducer(s.createTopic(topic));
                    for (int i = 0; i < perPublisher; i++) {
                        Message m = s.createMessage();
                        m.setIntProperty("publisher", publisher);
                        m.setIntProperty("seq", i);
                        producer.send(m);
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            }, "publisher-" + p));
        }
        List<int[]> results = new CopyOnWriteArrayList<>();
        for (MessageConsumer subscriber : subscribers) {
            threads.add(new Thread(() -> {
                int[] next = new int[publishers];
                int received = 0;
                try {
                    while (received < publishers * perPublisher) {
                        Message m = subscriber.receive(ApiTestSupport.RECEIVE_TIMEOUT);
                        if (m == null) {
                            break;
                        }
                        int p = m.getIntProperty("publisher");
                        if (m.getIntProperty("seq") != next[p]) {
                            failures.add(new AssertionError("publisher " + p + ": expected " + next[p] + ", got "
                                    + m.getIntProperty("seq")));
                            return;
                        }
                        next[p]++;
                        received++;
                        if (received % 100 == 0) {
                            m.acknowledge();
                        }
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
                results.add(new int[] {received});
            }));
        }
        threads.forEach(Thread::start);
        for (Thread t : threads) {
            t.join(60_000);
        }
        assertTrue(failures.isEmpty(), "failures: " + failures);
        assertEquals(3, results.size());
        for (int[] r : results) {
            assertEquals(publishers * perPublisher, r[0]);
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
        Connection c = resources.started(connectionFactory(broker).createConnection());
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
