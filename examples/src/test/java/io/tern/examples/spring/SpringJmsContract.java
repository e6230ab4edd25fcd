package io.tern.examples.spring;

import io.tern.broker.Broker;
import io.tern.jms.TernConnectionFactory;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageListener;
import jakarta.jms.QueueBrowser;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jms.connection.CachingConnectionFactory;
import org.springframework.jms.connection.JmsTransactionManager;
import org.springframework.jms.connection.SingleConnectionFactory;
import org.springframework.jms.core.JmsTemplate;
import org.springframework.jms.listener.AbstractMessageListenerContainer;
import org.springframework.jms.listener.DefaultMessageListenerContainer;
import org.springframework.jms.listener.SimpleMessageListenerContainer;
import org.springframework.jms.listener.adapter.MessageListenerAdapter;
import org.springframework.transaction.support.TransactionTemplate;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The ways Spring applications use JMS, against a real Tern broker: {@link JmsTemplate} with its message
 * converter, explicit QoS, request-reply over a temporary queue, browse and selectors; the default and the
 * simple listener containers with transacted, client-acknowledged and concurrent consumers; durable and
 * shared topic subscriptions through the container; {@link JmsTransactionManager} around template calls.
 * The subclasses run it over {@code vm://} and {@code tcp://}.
 */
abstract class SpringJmsContract {

    private static final long WAIT_SECONDS = 10;

    private Broker broker;
    private CachingConnectionFactory connectionFactory;
    private final List<AbstractMessageListenerContainer> containers = new ArrayList<>();

    /** A Tern connection factory for the broker, over this class's transport. */
    abstract TernConnectionFactory ternFactory(Broker broker);

    /** Whether the broker needs a tcp connector. */
    abstract boolean overTcp();

    @BeforeEach
    void startBroker() {
        Broker.Builder b = Broker.builder().name("spring-" + java.util.UUID.randomUUID().toString().substring(0, 8))
                .persistent(false);
        if (overTcp()) {
            b.transportConnector("tcp://127.0.0.1:0");
        }
        broker = b.build().start();
        connectionFactory = new CachingConnectionFactory(ternFactory(broker));
        connectionFactory.setSessionCacheSize(10);
    }

    @AfterEach
    void stopEverything() {
        for (AbstractMessageListenerContainer c : containers) {
            c.shutdown();
        }
        connectionFactory.destroy();
        broker.close();
    }

    private JmsTemplate template() {
        JmsTemplate t = new JmsTemplate(connectionFactory);
        t.setReceiveTimeout(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
        return t;
    }

    private DefaultMessageListenerContainer container(ConnectionFactory cf, String destination, Object listener) {
        DefaultMessageListenerContainer c = new DefaultMessageListenerContainer();
        c.setConnectionFactory(cf);
        c.setDestinationName(destination);
        c.setMessageListener(listener);
        c.setReceiveTimeout(200);
        containers.add(c);
        return c;
    }

    private static void started(AbstractMessageListenerContainer c) {
        c.afterPropertiesSet();
        c.start();
    }

    /** A Serializable payload, as applications send through the default converter (ObjectMessage). */
    record Order(String id, int quantity) implements Serializable {
    }

    @Test
    void theConverterCarriesTextMapBytesAndObjects() {
        JmsTemplate t = template();
        t.convertAndSend("converted", "hello");
        t.convertAndSend("converted", Map.of("sku", "T-1", "quantity", 3));
        t.convertAndSend("converted", new byte[] {1, 2, 3});
        t.convertAndSend("converted", new Order("o-1", 2));

        assertEquals("hello", t.receiveAndConvert("converted"));
        assertEquals(Map.of("sku", "T-1", "quantity", 3), t.receiveAndConvert("converted"));
        assertArrayEquals(new byte[] {1, 2, 3}, (byte[]) t.receiveAndConvert("converted"));
        assertEquals(new Order("o-1", 2), t.receiveAndConvert("converted"));
    }

    @Test
    void explicitQosSetsDeliveryModePriorityAndTimeToLive() throws JMSException {
        JmsTemplate t = template();
        t.setExplicitQosEnabled(true);
        t.setDeliveryMode(DeliveryMode.NON_PERSISTENT);
        t.setPriority(7);
        t.setTimeToLive(60_000);
        long before = System.currentTimeMillis();
        t.convertAndSend("qos", "fast");

        Message m = t.receive("qos");
        assertNotNull(m);
        assertEquals(DeliveryMode.NON_PERSISTENT, m.getJMSDeliveryMode());
        assertEquals(7, m.getJMSPriority());
        assertTrue(m.getJMSExpiration() >= before + 60_000, "expiration " + m.getJMSExpiration());
    }

    @Test
    void postProcessorHeadersAndSelectedReceive() throws JMSException {
        JmsTemplate t = template();
        for (String region : List.of("eu", "us", "eu")) {
            t.convertAndSend("selected", "order for " + region, m -> {
                m.setStringProperty("region", region);
                m.setJMSCorrelationID("corr-" + region);
                return m;
            });
        }
        Message us = t.receiveSelected("selected", "region = 'us'");
        assertNotNull(us);
        assertEquals("order for us", ((TextMessage) us).getText());
        assertEquals("corr-us", us.getJMSCorrelationID());
        assertEquals("order for eu", t.receiveSelectedAndConvert("selected", "region = 'eu'"));
        assertEquals("order for eu", t.receiveSelectedAndConvert("selected", "region = 'eu'"));
    }

    @Test
    void receiveTimesOutWithNullOnAnEmptyQueue() {
        JmsTemplate t = template();
        t.setReceiveTimeout(200);
        assertNull(t.receive("empty"));
        t.setReceiveTimeout(JmsTemplate.RECEIVE_TIMEOUT_NO_WAIT);
        assertNull(t.receive("empty"));
    }

    @Test
    void browseCountsWithoutConsuming() {
        JmsTemplate t = template();
        for (int i = 0; i < 5; i++) {
            t.convertAndSend("browsed", "m" + i);
        }
        Integer seen = t.browse("browsed", (Session session, QueueBrowser browser) -> Collections.list(
                browser.getEnumeration()).size());
        assertEquals(5, seen);
        assertEquals("m0", t.receiveAndConvert("browsed"));
    }

    @Test
    void requestReplyThroughAListenerAdapterAndATemporaryQueue() throws JMSException {
        started(container(connectionFactory, "quotes", new MessageListenerAdapter(new Object() {
            @SuppressWarnings("unused")
            public String handleMessage(String product) {
                return product + "=10.25";
            }
        })));
        JmsTemplate t = template();
        Message reply = t.sendAndReceive("quotes", session -> session.createTextMessage("TERN"));
        assertNotNull(reply, "no reply within the receive timeout");
        assertEquals("TERN=10.25", ((TextMessage) reply).getText());
    }

    @Test
    void aTransactedContainerRedeliversWhatTheListenerFailedOn() throws Exception {
        List<String> attempts = new CopyOnWriteArrayList<>();
        CountDownLatch done = new CountDownLatch(1);
        DefaultMessageListenerContainer c = container(connectionFactory, "flaky", (MessageListener) m -> {
            try {
                attempts.add(((TextMessage) m).getText() + ":" + m.getJMSRedelivered() + ":"
                        + m.getIntProperty("JMSXDeliveryCount"));
            } catch (JMSException e) {
                throw new IllegalStateException(e);
            }
            if (attempts.size() == 1) {
                throw new IllegalStateException("first attempt fails on purpose");
            }
            done.countDown();
        });
        c.setSessionTransacted(true);
        started(c);
        template().convertAndSend("flaky", "work");

        assertTrue(done.await(WAIT_SECONDS, TimeUnit.SECONDS), "attempts: " + attempts);
        assertEquals(List.of("work:false:1", "work:true:2"), attempts);
        awaitCondition("the queue to be empty", () -> broker.queueDepth("flaky") == 0);
    }

    @Test
    void aClientAcknowledgeContainerRecoversWhatTheListenerFailedOn() throws Exception {
        List<Boolean> redelivered = new CopyOnWriteArrayList<>();
        CountDownLatch done = new CountDownLatch(1);
        DefaultMessageListenerContainer c = container(connectionFactory, "flaky-ack", (MessageListener) m -> {
            try {
                redelivered.add(m.getJMSRedelivered());
            } catch (JMSException e) {
                throw new IllegalStateException(e);
            }
            if (redelivered.size() == 1) {
                throw new IllegalStateException("first attempt fails on purpose");
            }
            done.countDown();
        });
        c.setSessionAcknowledgeMode(Session.CLIENT_ACKNOWLEDGE);
        started(c);
        template().convertAndSend("flaky-ack", "work");

        assertTrue(done.await(WAIT_SECONDS, TimeUnit.SECONDS), "deliveries: " + redelivered);
        assertEquals(List.of(false, true), redelivered);
        awaitCondition("the queue to be empty", () -> broker.queueDepth("flaky-ack") == 0);
    }

    @Test
    void concurrentConsumersTakeEachMessageExactlyOnce() throws Exception {
        int messages = 300;
        Set<String> seen = ConcurrentHashMap.newKeySet();
        AtomicInteger duplicates = new AtomicInteger();
        CountDownLatch all = new CountDownLatch(messages);
        DefaultMessageListenerContainer c = container(connectionFactory, "work", (MessageListener) m -> {
            try {
                if (!seen.add(((TextMessage) m).getText())) {
                    duplicates.incrementAndGet();
                }
            } catch (JMSException e) {
                throw new IllegalStateException(e);
            }
            all.countDown();
        });
        c.setConcurrency("3-5");
        c.setSessionTransacted(true);
        started(c);
        JmsTemplate t = template();
        for (int i = 0; i < messages; i++) {
            t.convertAndSend("work", "job-" + i);
        }
        assertTrue(all.await(WAIT_SECONDS * 3, TimeUnit.SECONDS), "processed " + seen.size() + " of " + messages);
        assertEquals(0, duplicates.get());
        awaitCondition("the queue to be empty", () -> broker.queueDepth("work") == 0);
    }

    @Test
    void theSimpleContainerDeliversToItsListener() throws Exception {
        CountDownLatch got = new CountDownLatch(2);
        SimpleMessageListenerContainer c = new SimpleMessageListenerContainer();
        c.setConnectionFactory(connectionFactory);
        c.setDestinationName("simple");
        c.setMessageListener((MessageListener) m -> got.countDown());
        containers.add(c);
        started(c);
        template().convertAndSend("simple", "a");
        template().convertAndSend("simple", "b");
        assertTrue(got.await(WAIT_SECONDS, TimeUnit.SECONDS));
    }

    @Test
    void aDurableSubscriptionThroughTheContainerKeepsWhatWasPublishedWhileStopped() throws Exception {
        SingleConnectionFactory withClientId = new SingleConnectionFactory(ternFactory(broker));
        withClientId.setClientId("spring-durable");
        try {
            List<String> got = new CopyOnWriteArrayList<>();
            DefaultMessageListenerContainer c = container(withClientId, "prices", (MessageListener) m -> {
                try {
                    got.add(((TextMessage) m).getText());
                } catch (JMSException e) {
                    throw new IllegalStateException(e);
                }
            });
            c.setPubSubDomain(true);
            c.setSubscriptionDurable(true);
            c.setSubscriptionName("price-audit");
            started(c);
            JmsTemplate publisher = template();
            publisher.setPubSubDomain(true);
            awaitCondition("the subscription to exist", () -> {
                publisher.convertAndSend("prices", "probe");
                return got.contains("probe");
            });

            c.stop();
            awaitCondition("the container to stop", () -> !c.isRunning());
            c.shutdown();
            got.clear();
            publisher.convertAndSend("prices", "while-stopped");

            DefaultMessageListenerContainer again = container(withClientId, "prices", (MessageListener) m -> {
                try {
                    got.add(((TextMessage) m).getText());
                } catch (JMSException e) {
                    throw new IllegalStateException(e);
                }
            });
            again.setPubSubDomain(true);
            again.setSubscriptionDurable(true);
            again.setSubscriptionName("price-audit");
            started(again);
            awaitCondition("the message published while stopped", () -> got.contains("while-stopped"));
        } finally {
            for (AbstractMessageListenerContainer c : containers) {
                c.shutdown();
            }
            containers.clear();
            withClientId.destroy();
        }
    }

    @Test
    void aSharedSubscriptionSplitsMessagesBetweenTwoContainers() throws Exception {
        int messages = 100;
        Set<String> first = ConcurrentHashMap.newKeySet();
        Set<String> second = ConcurrentHashMap.newKeySet();
        CountDownLatch all = new CountDownLatch(messages);
        for (Set<String> into : List.of(first, second)) {
            DefaultMessageListenerContainer c = container(connectionFactory, "events", (MessageListener) m -> {
                try {
                    into.add(((TextMessage) m).getText());
                } catch (JMSException e) {
                    throw new IllegalStateException(e);
                }
                all.countDown();
            });
            c.setPubSubDomain(true);
            c.setSubscriptionShared(true);
            c.setSubscriptionName("event-workers");
            started(c);
        }
        // A topic keeps nothing for a subscription that does not exist yet: count only once both consume.
        awaitCondition("both shared consumers to be subscribed", () -> containers.stream()
                .allMatch(c -> ((DefaultMessageListenerContainer) c).isRegisteredWithDestination()));
        JmsTemplate publisher = template();
        publisher.setPubSubDomain(true);
        first.clear();
        second.clear();
        for (int i = 0; i < messages; i++) {
            publisher.convertAndSend("events", "e-" + i);
        }
        awaitCondition("every event", () -> {
            Set<String> union = new HashSet<>(first);
            union.addAll(second);
            return union.size() == messages;
        });
        Set<String> both = new HashSet<>(first);
        both.retainAll(second);
        assertEquals(Set.of(), both, "a message of a shared subscription went to both containers");
    }

    @Test
    void aJmsTransactionManagerCommitsOrRollsBackTemplateWork() {
        JmsTransactionManager tm = new JmsTransactionManager(connectionFactory);
        TransactionTemplate tx = new TransactionTemplate(tm);
        JmsTemplate t = template();
        t.setSessionTransacted(true);

        tx.executeWithoutResult(status -> {
            t.convertAndSend("ledger", "kept");
            t.convertAndSend("ledger", "kept too");
        });
        assertThrows(IllegalStateException.class, () -> tx.executeWithoutResult(status -> {
            t.convertAndSend("ledger", "undone");
            throw new IllegalStateException("roll back");
        }));

        JmsTemplate reader = template();
        reader.setReceiveTimeout(500);
        List<Object> got = new ArrayList<>();
        for (Object o = reader.receiveAndConvert("ledger"); o != null; o = reader.receiveAndConvert("ledger")) {
            got.add(o);
        }
        assertEquals(List.of("kept", "kept too"), got);
    }

    @Test
    void aReceiveInsideARolledBackTransactionLeavesTheMessageOnTheQueue() {
        JmsTemplate t = template();
        t.convertAndSend("inbox", "letter");
        TransactionTemplate tx = new TransactionTemplate(new JmsTransactionManager(connectionFactory));
        JmsTemplate inTx = template();
        inTx.setSessionTransacted(true);

        assertThrows(IllegalStateException.class, () -> tx.executeWithoutResult(status -> {
            assertEquals("letter", inTx.receiveAndConvert("inbox"));
            throw new IllegalStateException("roll back");
        }));
        // CachingConnectionFactory keeps the transacted session's consumer open (cacheConsumers), so the
        // message comes back to that consumer's buffer: receive it the same way, in a new transaction.
        Message again = tx.execute(status -> inTx.receive("inbox"));
        assertNotNull(again, "the rolled-back receive put the message back");
        try {
            assertTrue(again.getJMSRedelivered());
        } catch (JMSException e) {
            fail(e);
        }
    }

    @Test
    void jmsExceptionsAreTranslated() {
        Broker.Builder b = Broker.builder().name("spring-strict-" + java.util.UUID.randomUUID().toString().substring(0, 8))
                .persistent(false).autoCreateDestinations(false);
        if (overTcp()) {
            b.transportConnector("tcp://127.0.0.1:0");
        }
        try (Broker strict = b.build().start()) {
            JmsTemplate t = new JmsTemplate(ternFactory(strict));
            assertThrows(org.springframework.jms.InvalidDestinationException.class,
                    () -> t.convertAndSend("missing", "x"));
        }
    }

    private static void awaitCondition(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }
}
