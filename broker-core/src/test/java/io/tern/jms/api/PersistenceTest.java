package io.tern.jms.api;

import io.tern.broker.Broker;
import io.tern.broker.FlowControl;
import io.tern.jms.TestTransport;
import io.tern.store.memory.MemoryPersistenceAdapter;
import jakarta.jms.BytesMessage;
import jakarta.jms.CompletionListener;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.QueueBrowser;
import jakarta.jms.ResourceAllocationException;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static io.tern.jms.TestTransport.connectionFactory;
import static io.tern.jms.api.ApiTestSupport.ABSENT_TIMEOUT;
import static io.tern.jms.api.ApiTestSupport.RECEIVE_TIMEOUT;
import static io.tern.jms.api.ApiTestSupport.receiveExpected;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** Persistent messages across restarts, paging to the store, producer flow control. */
class PersistenceTest {

    private final ApiTestSupport.Resources resources = new ApiTestSupport.Resources();
    private final ExecutorService executor = Executors.newCachedThreadPool();

    @AfterEach
    void closeAll() {
        resources.close();
        executor.shutdownNow();
    }

    private Broker broker(String name, MemoryPersistenceAdapter store) {
        return resources.add(TestTransport.brokerBuilder().name(name).store(store).build());
    }

    private Connection connect(Broker broker) throws JMSException {
        return resources.started(connectionFactory(broker).createConnection());
    }

    /** Sends persistent p0..p(n-1) with non-persistent n-messages between them. */
    private static void sendMixed(Broker broker, String queue, int n) throws JMSException {
        try (Connection c = connectionFactory(broker).createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer p = s.createProducer(s.createQueue(queue));
            for (int i = 0; i < n; i++) {
                p.send(s.createTextMessage("p" + i), DeliveryMode.PERSISTENT, 4, 0);
                p.send(s.createTextMessage("n" + i), DeliveryMode.NON_PERSISTENT, 4, 0);
            }
        }
    }

    private List<String> drain(Broker broker, String queue) throws JMSException {
        Session s = connect(broker).createSession(false, Session.AUTO_ACKNOWLEDGE);
        MessageConsumer c = s.createConsumer(s.createQueue(queue));
        List<String> out = new ArrayList<>();
        for (Message m = c.receive(RECEIVE_TIMEOUT); m != null; m = c.receive(ABSENT_TIMEOUT)) {
            out.add(((TextMessage) m).getText());
        }
        return out;
    }

    // ------------------------------------------------------------------ restart

    @Test
    void persistentMessagesSurviveARestartOfTheSameBrokerAndNonPersistentOnesDoNot() throws Exception {
        MemoryPersistenceAdapter store = new MemoryPersistenceAdapter();
        Broker broker = broker(ApiTestSupport.uniqueName("persist-same"), store).start();
        sendMixed(broker, "restart", 3);
        assertEquals(6, broker.queueDepth("restart"));
        broker.stop();
        broker.start();
        assertEquals(List.of("p0", "p1", "p2"), drain(broker, "restart"));
        assertEquals(0, broker.queueDepth("restart"));
    }

    @Test
    void persistentMessagesSurviveInANewBrokerOnTheSameStore() throws Exception {
        MemoryPersistenceAdapter store = new MemoryPersistenceAdapter();
        String name = ApiTestSupport.uniqueName("persist-new");
        Broker first = broker(name, store).start();
        sendMixed(first, "handover", 4);
        first.close();
        Broker second = broker(name, store).start();
        assertTrue(second.queueNames().contains("handover"));
        assertEquals(List.of("p0", "p1", "p2", "p3"), drain(second, "handover"));
        second.close();

        Broker third = broker(ApiTestSupport.uniqueName("persist-other-name"), store).start();
        assertEquals(List.of(), drain(third, "handover"), "consumed messages stay consumed");
    }

    @Test
    void acknowledgedMessagesDoNotComeBackAndUnacknowledgedOnesDoInOrder() throws Exception {
        MemoryPersistenceAdapter store = new MemoryPersistenceAdapter();
        Broker broker = broker(ApiTestSupport.uniqueName("persist-acks"), store).start();
        sendMixed(broker, "acks", 5);
        Connection c = connectionFactory(broker).createConnection();
        c.start();
        Session client = c.createSession(false, Session.CLIENT_ACKNOWLEDGE);
        MessageConsumer consumer = client.createConsumer(client.createQueue("acks"));
        assertEquals("p0", ((TextMessage) receiveExpected(consumer)).getText());
        assertEquals("n0", ((TextMessage) receiveExpected(consumer)).getText());
        receiveExpected(consumer).acknowledge(); // p1: p0, n0, p1 consumed
        assertEquals("n1", ((TextMessage) receiveExpected(consumer)).getText());
        assertEquals("p2", ((TextMessage) receiveExpected(consumer)).getText()); // seen, not acknowledged
        broker.stop();
        c.close();
        broker.start();
        assertEquals(List.of("p2", "p3", "p4"), drain(broker, "acks"));
    }

    @Test
    void committedTransactionsSurviveAndOpenOnesDoNot() throws Exception {
        MemoryPersistenceAdapter store = new MemoryPersistenceAdapter();
        Broker broker = broker(ApiTestSupport.uniqueName("persist-tx"), store).start();
        Connection c = connectionFactory(broker).createConnection();
        Session tx = c.createSession(true, Session.SESSION_TRANSACTED);
        MessageProducer p = tx.createProducer(tx.createQueue("tx"));
        p.send(tx.createTextMessage("committed-1"));
        p.send(tx.createTextMessage("committed-2"));
        tx.commit();
        p.send(tx.createTextMessage("open"));
        broker.stop();
        c.close();
        broker.start();
        assertEquals(List.of("committed-1", "committed-2"), drain(broker, "tx"));
    }

    @Test
    void transactedReceivesSurviveARestartOnlyWhenCommitted() throws Exception {
        MemoryPersistenceAdapter store = new MemoryPersistenceAdapter();
        Broker broker = broker(ApiTestSupport.uniqueName("persist-tx-receive"), store).start();
        sendMixed(broker, "tx-receive", 4); // p0 n0 p1 n1 p2 n2 p3 n3
        Connection c = connectionFactory(broker).createConnection();
        c.start();
        Session tx = c.createSession(true, Session.SESSION_TRANSACTED);
        MessageConsumer consumer = tx.createConsumer(tx.createQueue("tx-receive"));
        assertEquals("p0", ((TextMessage) receiveExpected(consumer)).getText());
        assertEquals("n0", ((TextMessage) receiveExpected(consumer)).getText());
        assertEquals("p1", ((TextMessage) receiveExpected(consumer)).getText());
        tx.commit();
        assertEquals("n1", ((TextMessage) receiveExpected(consumer)).getText());
        assertEquals("p2", ((TextMessage) receiveExpected(consumer)).getText()); // not committed
        broker.stop();
        c.close();
        broker.start();
        assertEquals(List.of("p2", "p3"), drain(broker, "tx-receive"));
    }

    @Test
    void durableSubscriptionConsumptionSurvivesARestart() throws Exception {
        MemoryPersistenceAdapter store = new MemoryPersistenceAdapter();
        Broker broker = broker(ApiTestSupport.uniqueName("persist-durable-ack"), store).start();
        Connection c = connectionFactory(broker).createConnection();
        c.setClientID("durable-ack-restart");
        c.start();
        Session tx = c.createSession(true, Session.SESSION_TRANSACTED);
        Topic t = tx.createTopic("acked-events");
        MessageConsumer sub = tx.createDurableSubscriber(t, "sub");
        MessageProducer p = tx.createProducer(t);
        for (int i = 0; i < 4; i++) {
            p.send(tx.createTextMessage("e" + i));
        }
        tx.commit();
        assertEquals("e0", ((TextMessage) receiveExpected(sub)).getText());
        assertEquals("e1", ((TextMessage) receiveExpected(sub)).getText());
        tx.commit();
        assertEquals("e2", ((TextMessage) receiveExpected(sub)).getText()); // not committed
        broker.stop();
        c.close();
        broker.start();
        Connection again = resources.add(connectionFactory(broker).createConnection());
        again.setClientID("durable-ack-restart");
        again.start();
        Session s2 = again.createSession(false, Session.AUTO_ACKNOWLEDGE);
        MessageConsumer sub2 = s2.createDurableSubscriber(s2.createTopic("acked-events"), "sub");
        List<String> got = new ArrayList<>();
        for (Message m = sub2.receive(RECEIVE_TIMEOUT); m != null; m = sub2.receive(ABSENT_TIMEOUT)) {
            got.add(((TextMessage) m).getText());
        }
        assertEquals(List.of("e2", "e3"), got);
    }

    @Test
    void delayedMessagesSurviveARestartAndStillWait() throws Exception {
        MemoryPersistenceAdapter store = new MemoryPersistenceAdapter();
        Broker broker = broker(ApiTestSupport.uniqueName("persist-delay"), store).start();
        try (Connection c = connectionFactory(broker).createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer p = s.createProducer(s.createQueue("delayed"));
            p.setDeliveryDelay(2_000);
            p.send(s.createTextMessage("later"));
        }
        broker.stop();
        broker.start();
        Session s = connect(broker).createSession(false, Session.AUTO_ACKNOWLEDGE);
        MessageConsumer c = s.createConsumer(s.createQueue("delayed"));
        assertNull(c.receive(ABSENT_TIMEOUT), "the delivery delay still applies after a restart");
        assertEquals("later", ((TextMessage) receiveExpected(c)).getText());
    }

    @Test
    void durableSubscriptionSurvivesARestart() throws Exception {
        MemoryPersistenceAdapter store = new MemoryPersistenceAdapter();
        Broker broker = broker(ApiTestSupport.uniqueName("persist-durable"), store).start();
        Connection c = connectionFactory(broker).createConnection();
        c.setClientID("durable-restart");
        Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
        Topic t = s.createTopic("events");
        s.createDurableSubscriber(t, "sub").close();
        MessageProducer p = s.createProducer(t);
        p.send(s.createTextMessage("e1"));
        p.send(s.createTextMessage("lost"), DeliveryMode.NON_PERSISTENT, 4, 0);
        p.send(s.createTextMessage("e2"));
        c.close();
        broker.stop();
        broker.start();

        Connection again = resources.add(connectionFactory(broker).createConnection());
        again.setClientID("durable-restart");
        again.start();
        Session s2 = again.createSession(false, Session.AUTO_ACKNOWLEDGE);
        MessageConsumer sub = s2.createDurableSubscriber(s2.createTopic("events"), "sub");
        List<String> got = new ArrayList<>();
        for (Message m = sub.receive(RECEIVE_TIMEOUT); m != null; m = sub.receive(ABSENT_TIMEOUT)) {
            got.add(((TextMessage) m).getText());
        }
        assertEquals(List.of("e1", "e2"), got);
    }

    // ------------------------------------------------------------------ paging

    private static final int KIB = 1024;

    private Broker pagingBroker(String prefix, MemoryPersistenceAdapter store) {
        return resources.add(TestTransport.brokerBuilder().name(ApiTestSupport.uniqueName(prefix)).store(store)
                .memoryLimit(256 * KIB).build()).start();
    }

    /** Sends {@code n} persistent 1 KiB messages numbered by property i, failing if the sends block. */
    private void sendPages(Broker broker, String queue, int n) throws Exception {
        Future<?> sends = executor.submit(() -> {
            try (Connection c = connectionFactory(broker).createConnection()) {
                Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
                MessageProducer p = s.createProducer(s.createQueue(queue));
                byte[] payload = new byte[KIB];
                for (int i = 0; i < n; i++) {
                    BytesMessage m = s.createBytesMessage();
                    m.writeBytes(payload);
                    m.setIntProperty("i", i);
                    m.setBooleanProperty("odd", i % 2 == 1);
                    p.send(m);
                }
            }
            return null;
        });
        try {
            sends.get(60, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            fail("persistent sends blocked at the memory limit instead of paging to the store");
        }
    }

    private void receiveAllInOrder(Broker broker, String queue, int n) throws JMSException {
        Session s = connect(broker).createSession(false, Session.AUTO_ACKNOWLEDGE);
        MessageConsumer c = s.createConsumer(s.createQueue(queue));
        for (int i = 0; i < n; i++) {
            Message m = c.receive(RECEIVE_TIMEOUT);
            assertNotNull(m, "message " + i + " of " + n + " missing");
            assertEquals(i, m.getIntProperty("i"), "order");
        }
        assertNull(c.receive(ABSENT_TIMEOUT));
        assertEquals(0, broker.queueDepth(queue));
    }

    @Test
    void persistentMessagesPageToTheStoreInsteadOfBlocking() throws Exception {
        Broker broker = pagingBroker("paging", new MemoryPersistenceAdapter());
        sendPages(broker, "paged", 5_000);
        assertEquals(5_000, broker.queueDepth("paged"));
        assertTrue(broker.memoryUsed() < 5_000L * KIB, "messages were paged out, not all held in memory");
        receiveAllInOrder(broker, "paged", 5_000);
    }

    @Test
    void pagedMessagesSurviveARestartInOrder() throws Exception {
        MemoryPersistenceAdapter store = new MemoryPersistenceAdapter();
        Broker broker = pagingBroker("paging-restart", store);
        sendPages(broker, "paged-restart", 2_000);
        broker.stop();
        broker.start();
        assertEquals(2_000, broker.queueDepth("paged-restart"));
        receiveAllInOrder(broker, "paged-restart", 2_000);
    }

    @Test
    void queueDepthAfterARestartCountsOnlyTheMessagesThatAreThere() throws Exception {
        MemoryPersistenceAdapter store = new MemoryPersistenceAdapter();
        Broker broker = broker(ApiTestSupport.uniqueName("persist-depth"), store).start();
        sendMixed(broker, "depth", 3); // p0 n0 p1 n1 p2 n2: the non-persistent ones leave gaps
        broker.stop();
        broker.start();
        ApiTestSupport.await("queueDepth to settle at the 3 persistent messages (was " + broker.queueDepth("depth")
                + ")", () -> broker.queueDepth("depth") == 3);
    }

    @Test
    void aSelectorConsumerOfAPagedQueueIsNotStarvedByMessagesItDoesNotWant() throws Exception {
        Broker broker = pagingBroker("paging-selector", new MemoryPersistenceAdapter());
        sendPages(broker, "paged-selector", 2_000);
        Session s = connect(broker).createSession(false, Session.AUTO_ACKNOWLEDGE);
        MessageConsumer odd = s.createConsumer(s.createQueue("paged-selector"), "odd = TRUE");
        for (int i = 1; i < 2_000; i += 2) {
            Message m = odd.receive(RECEIVE_TIMEOUT);
            assertNotNull(m, "odd message " + i + " never came: the unmatched even messages held it back");
            assertEquals(i, m.getIntProperty("i"));
        }
        assertEquals(1_000, broker.queueDepth("paged-selector"));
    }

    @Test
    void queueDepthOfAPagedQueueCountsEachMessageOnce() throws Exception {
        MemoryPersistenceAdapter store = new MemoryPersistenceAdapter();
        Broker broker = resources.add(TestTransport.brokerBuilder().name(ApiTestSupport.uniqueName("paging-depth"))
                .store(store).memoryLimit(1024 * KIB).flowControl(FlowControl.FAIL).build()).start();
        // Fill the memory with another queue, so that the next queue starts paged out.
        sendPages(broker, "filler", 1_000);
        sendPages(broker, "paged-depth", 1_200);
        receiveAllInOrder(broker, "filler", 1_000);
        // Now there is room in memory (at most one page of the paged queue was read back): non-persistent
        // messages are held there, with sequence numbers between paged-out ones.
        Connection c = connect(broker);
        Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
        MessageProducer p = s.createProducer(s.createQueue("paged-depth"));
        for (int i = 0; i < 20; i++) {
            p.send(s.createTextMessage("np" + i), DeliveryMode.NON_PERSISTENT, 4, 0);
        }
        for (int i = 0; i < 100; i++) {
            p.send(s.createTextMessage("late" + i));
        }
        long beforeRestart = settledDepth(broker, "paged-depth", 1_320);
        broker.stop();
        broker.start();
        long afterRestart = settledDepth(broker, "paged-depth", 1_300);
        assertEquals("1320 before and 1300 after the restart",
                beforeRestart + " before and " + afterRestart + " after the restart",
                "queueDepth of a queue with non-persistent messages between paged-out ones");
    }

    /** The queue depth once it equals {@code expected}, or what it still is after 3 s. */
    private static long settledDepth(Broker broker, String queue, long expected) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        long depth = broker.queueDepth(queue);
        while (depth != expected && System.nanoTime() < deadline) {
            Thread.sleep(10);
            depth = broker.queueDepth(queue);
        }
        return depth;
    }

    @Test
    void aQueueBrowserSeesPagedOutMessagesToo() throws Exception {
        Broker broker = pagingBroker("paging-browse", new MemoryPersistenceAdapter());
        sendPages(broker, "paged-browse", 1_000);
        Session s = connect(broker).createSession(false, Session.AUTO_ACKNOWLEDGE);
        QueueBrowser browser = s.createBrowser(s.createQueue("paged-browse"));
        List<?> seen = Collections.list(browser.getEnumeration());
        assertEquals(1_000, seen.size(), "a browser must show every message on the queue, also those paged out");
        for (int i = 0; i < seen.size(); i++) {
            assertEquals(i, ((Message) seen.get(i)).getIntProperty("i"));
        }
    }

    @Test
    void mixedPersistentAndNonPersistentKeepOrderWhilePaging() throws Exception {
        Broker broker = pagingBroker("paging-mixed", new MemoryPersistenceAdapter());
        int n = 1_000;
        Connection c = connect(broker);
        Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
        MessageProducer p = s.createProducer(s.createQueue("paged-mixed"));
        byte[] payload = new byte[KIB];
        Future<?> sends = executor.submit(() -> {
            for (int i = 0; i < n; i++) {
                BytesMessage m = s.createBytesMessage();
                m.writeBytes(payload);
                m.setIntProperty("i", i);
                p.send(m, i % 3 == 0 ? DeliveryMode.NON_PERSISTENT : DeliveryMode.PERSISTENT, 4, 0);
            }
            return null;
        });
        // Non-persistent messages are bounded by memory: consume while sending. The spec orders messages of
        // one session per delivery mode (a NON_PERSISTENT one may overtake an earlier PERSISTENT one).
        Session rs = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
        MessageConsumer consumer = rs.createConsumer(rs.createQueue("paged-mixed"));
        int[] last = {-1, -1, -1};
        java.util.Set<Integer> seen = new java.util.HashSet<>();
        for (int k = 0; k < n; k++) {
            Message m = consumer.receive(RECEIVE_TIMEOUT);
            assertNotNull(m, "message missing after " + seen.size() + " received");
            int i = m.getIntProperty("i");
            int mode = m.getJMSDeliveryMode();
            assertTrue(i > last[mode], "order within delivery mode " + mode + ": " + i + " after " + last[mode]);
            last[mode] = i;
            assertTrue(seen.add(i), "duplicate " + i);
        }
        sends.get(30, TimeUnit.SECONDS);
        assertNull(consumer.receive(ABSENT_TIMEOUT));
    }

    // ------------------------------------------------------------------ flow control

    private Broker flowControlBroker(String prefix, FlowControl mode) {
        return resources.add(TestTransport.brokerBuilder().name(ApiTestSupport.uniqueName(prefix)).persistent(false)
                .memoryLimit(16 * KIB).flowControl(mode).build()).start();
    }

    @Test
    void failModeRefusesNonPersistentSendsAtTheMemoryLimit() throws Exception {
        Broker broker = flowControlBroker("flow-fail", FlowControl.FAIL);
        Connection c = connect(broker);
        Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
        MessageProducer p = s.createProducer(s.createQueue("full"));
        p.setDeliveryMode(DeliveryMode.NON_PERSISTENT);
        byte[] payload = new byte[KIB];
        int sent = 0;
        JMSException refused = null;
        for (int i = 0; i < 1_000 && refused == null; i++) {
            BytesMessage m = s.createBytesMessage();
            m.writeBytes(payload);
            try {
                p.send(m);
                sent++;
            } catch (JMSException e) {
                refused = e;
            }
        }
        assertInstanceOf(ResourceAllocationException.class, refused, "a send beyond the memory limit must fail");
        assertTrue(sent > 0, "sends below the limit succeed");
        assertEquals(sent, broker.queueDepth("full"), "the refused send was not queued");

        // Draining makes room again.
        MessageConsumer consumer = s.createConsumer(s.createQueue("full"));
        for (int i = 0; i < sent; i++) {
            receiveExpected(consumer);
        }
        BytesMessage m = s.createBytesMessage();
        m.writeBytes(payload);
        p.send(m);
        assertNotNull(consumer.receive(RECEIVE_TIMEOUT));
    }

    @Test
    void failModeAppliesToTransactedSendsToo() throws Exception {
        Broker broker = flowControlBroker("flow-fail-tx", FlowControl.FAIL);
        Session tx = connect(broker).createSession(true, Session.SESSION_TRANSACTED);
        MessageProducer p = tx.createProducer(tx.createQueue("full-tx"));
        p.setDeliveryMode(DeliveryMode.NON_PERSISTENT);
        JMSException refused = null;
        for (int i = 0; i < 200 && refused == null; i++) {
            BytesMessage m = tx.createBytesMessage();
            m.writeBytes(new byte[KIB]);
            try {
                p.send(m);
                if (i % 10 == 9) {
                    tx.commit();
                }
            } catch (JMSException e) {
                refused = e;
            }
        }
        assertNotNull(refused, "200 KiB committed into a broker with a 16 KiB memory limit and flow control FAIL;"
                + " memory used now " + broker.memoryUsed());
        if (!(refused instanceof ResourceAllocationException)) {
            assertInstanceOf(ResourceAllocationException.class, refused.getCause() != null ? refused.getCause()
                    : refused.getLinkedException(), "commit refused for: " + refused);
        }
    }

    @Test
    void failModeReportsAsyncSendsThroughTheCompletionListener() throws Exception {
        Broker broker = flowControlBroker("flow-fail-async", FlowControl.FAIL);
        Session s = connect(broker).createSession(false, Session.AUTO_ACKNOWLEDGE);
        MessageProducer p = s.createProducer(s.createQueue("full-async"));
        p.setDeliveryMode(DeliveryMode.NON_PERSISTENT);
        AtomicReference<Exception> failure = new AtomicReference<>();
        AtomicInteger completed = new AtomicInteger();
        CountDownLatch failed = new CountDownLatch(1);
        CompletionListener listener = new CompletionListener() {
            @Override
            public void onCompletion(Message message) {
                completed.incrementAndGet();
            }

            @Override
            public void onException(Message message, Exception exception) {
                failure.compareAndSet(null, exception);
                failed.countDown();
            }
        };
        byte[] payload = new byte[KIB];
        for (int i = 0; i < 100; i++) {
            BytesMessage m = s.createBytesMessage();
            m.writeBytes(payload);
            p.send(m, listener);
        }
        assertTrue(failed.await(RECEIVE_TIMEOUT, TimeUnit.MILLISECONDS));
        assertInstanceOf(ResourceAllocationException.class, failure.get());
    }

    @Test
    void blockModeHoldsTheProducerUntilAConsumerDrains() throws Exception {
        Broker broker = flowControlBroker("flow-block", FlowControl.BLOCK);
        int total = 200;
        AtomicInteger sent = new AtomicInteger();
        AtomicReference<Throwable> producerFailure = new AtomicReference<>();
        Connection pc = connect(broker);
        Thread producer = new Thread(() -> {
            try {
                Session s = pc.createSession(false, Session.AUTO_ACKNOWLEDGE);
                MessageProducer p = s.createProducer(s.createQueue("blocked"));
                p.setDeliveryMode(DeliveryMode.NON_PERSISTENT);
                byte[] payload = new byte[KIB];
                for (int i = 0; i < total; i++) {
                    BytesMessage m = s.createBytesMessage();
                    m.writeBytes(payload);
                    m.setIntProperty("i", i);
                    p.send(m);
                    sent.incrementAndGet();
                }
            } catch (Throwable e) {
                producerFailure.set(e);
            }
        }, "blocked-producer");
        producer.start();
        ApiTestSupport.await("memory to fill up", () -> broker.memoryUsed() >= broker.memoryLimit());
        int held = ApiTestSupport.awaitSettled("messages sent", sent::get);
        assertTrue(held < total, "the producer was never held back");
        assertTrue(producer.isAlive());
        assertTrue(broker.memoryUsed() >= broker.memoryLimit(), "held back below the memory limit");
        assertNull(producerFailure.get());

        Session rs = connect(broker).createSession(false, Session.AUTO_ACKNOWLEDGE);
        MessageConsumer consumer = rs.createConsumer(rs.createQueue("blocked"));
        for (int i = 0; i < total; i++) {
            Message m = consumer.receive(RECEIVE_TIMEOUT);
            assertNotNull(m, "message " + i + " missing");
            assertEquals(i, m.getIntProperty("i"));
        }
        producer.join(10_000);
        assertFalse(producer.isAlive());
        assertNull(producerFailure.get());
        assertEquals(total, sent.get());
    }

    @Test
    void asyncSendsHeldBackByFlowControlKeepTheirOrder() throws Exception {
        Broker broker = flowControlBroker("flow-block-async", FlowControl.BLOCK);
        int total = 2_000;
        Connection c = connect(broker);
        Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
        MessageProducer p = s.createProducer(s.createQueue("blocked-async"));
        p.setDeliveryMode(DeliveryMode.NON_PERSISTENT);
        List<Integer> completionOrder = Collections.synchronizedList(new ArrayList<>());
        AtomicReference<Exception> failure = new AtomicReference<>();
        CompletionListener listener = new CompletionListener() {
            @Override
            public void onCompletion(Message message) {
                try {
                    completionOrder.add(message.getIntProperty("i"));
                } catch (JMSException e) {
                    failure.set(e);
                }
            }

            @Override
            public void onException(Message message, Exception exception) {
                failure.set(exception);
            }
        };
        // A consumer drains slowly while the producer sends asynchronously, so sends are held back and
        // released again and again.
        Session rs = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
        MessageConsumer consumer = rs.createConsumer(rs.createQueue("blocked-async"));
        Future<List<Integer>> received = executor.submit(() -> {
            List<Integer> order = new ArrayList<>();
            for (int k = 0; k < total; k++) {
                Message m = consumer.receive(RECEIVE_TIMEOUT);
                if (m == null) {
                    break;
                }
                order.add(m.getIntProperty("i"));
            }
            return order;
        });
        byte[] payload = new byte[KIB];
        for (int i = 0; i < total; i++) {
            BytesMessage m = s.createBytesMessage();
            m.writeBytes(payload);
            m.setIntProperty("i", i);
            p.send(m, listener);
        }
        List<Integer> order = received.get(60, TimeUnit.SECONDS);
        assertNull(failure.get());
        assertEquals(total, order.size(), "messages received");
        List<Integer> outOfOrder = new ArrayList<>();
        for (int k = 0; k < order.size(); k++) {
            if (order.get(k) != k) {
                outOfOrder.add(order.get(k));
            }
        }
        assertEquals(List.of(), outOfOrder.subList(0, Math.min(20, outOfOrder.size())),
                "asynchronous sends of one session must arrive in the order sent");
        ApiTestSupport.await("all completions", () -> completionOrder.size() == total);
        for (int k = 0; k < total; k++) {
            assertEquals(k, completionOrder.get(k), "CompletionListeners run in send order");
        }
    }

    @Test
    void blockedProducerIsReleasedWhenTheBrokerStops() throws Exception {
        Broker broker = flowControlBroker("flow-block-stop", FlowControl.BLOCK);
        AtomicInteger sent = new AtomicInteger();
        AtomicReference<Throwable> outcome = new AtomicReference<>();
        Connection pc = connect(broker);
        Thread producer = new Thread(() -> {
            try {
                Session s = pc.createSession(false, Session.AUTO_ACKNOWLEDGE);
                MessageProducer p = s.createProducer(s.createQueue("blocked-stop"));
                p.setDeliveryMode(DeliveryMode.NON_PERSISTENT);
                for (int i = 0; i < 1_000; i++) {
                    BytesMessage m = s.createBytesMessage();
                    m.writeBytes(new byte[KIB]);
                    p.send(m);
                    sent.incrementAndGet();
                }
                outcome.set(new AssertionError("all sends returned"));
            } catch (Throwable e) {
                outcome.set(e);
            }
        }, "blocked-producer-stop");
        producer.start();
        ApiTestSupport.await("memory to fill up", () -> broker.memoryUsed() >= broker.memoryLimit());
        assertTrue(ApiTestSupport.awaitSettled("messages sent", sent::get) < 1_000, "the producer was never held back");
        broker.stop();
        producer.join(10_000);
        assertFalse(producer.isAlive(), "a producer blocked by flow control must be released when the broker stops");
        assertInstanceOf(JMSException.class, outcome.get());
    }
}
