package io.tern.junit5;

import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TernBrokerHelpersTest {

    private static final long ONE_MIB = 1024 * 1024;

    @RegisterExtension
    static TernBroker broker = TernBroker.create()
            .namePrefix("helpers")
            .memoryLimit(ONE_MIB)
            .queue("orders", "invoices")
            .topic("prices")
            .configure(b -> b.autoCreateDestinations(false));

    @BeforeEach
    void emptyQueues() {
        broker.purge("orders");
        broker.purge("invoices");
    }

    @Test
    void settingsReachTheBroker() {
        assertTrue(broker.brokerName().startsWith("helpers-"), broker.brokerName());
        assertEquals("vm://" + broker.brokerName(), broker.brokerUri());
        assertEquals(ONE_MIB, broker.broker().memoryLimit());
        assertFalse(broker.broker().isPersistent());
        assertTrue(broker.broker().queueNames().containsAll(List.of("orders", "invoices")));
        assertTrue(broker.broker().topicNames().contains("prices"));
        assertTrue(broker.dataDirectory().isEmpty());
    }

    @Test
    void customiserReachesTheBroker() {
        // autoCreateDestinations(false) came through configure(...): an unknown queue is refused.
        assertThrows(JMSException.class, () -> broker.sendText("no-such-queue", "x"));
    }

    @Test
    void sentTextIsReceivedInOrderAndConsumed() throws Exception {
        broker.sendText("orders", "one");
        broker.sendText("orders", "two");
        broker.sendText("orders", "three");
        assertEquals(3, broker.queueDepth("orders"));

        for (String expected : new String[] {"one", "two", "three"}) {
            Message m = broker.receive("orders", Duration.ofSeconds(5));
            TextMessage text = assertInstanceOf(TextMessage.class, m);
            assertEquals(expected, text.getText());
            assertFalse(m.getJMSRedelivered(), "a helper's receive gives nothing back redelivered");
        }
        assertEquals(0, broker.queueDepth("orders"));
    }

    @Test
    void receiveReturnsNullAfterTheTimeoutWhenTheQueueIsEmpty() throws Exception {
        long start = System.nanoTime();
        assertNull(broker.receive("orders", Duration.ofMillis(200)));
        assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(150), "it waited");
    }

    @Test
    void waitForMessageFailsNamingTheQueue() {
        AssertionError e = assertThrows(AssertionError.class,
                () -> broker.waitForMessage("invoices", Duration.ofMillis(50)));
        assertTrue(e.getMessage().contains("'invoices'"), e.getMessage());
    }

    @Test
    void waitForMessageWaitsForALateMessage() throws Exception {
        CompletableFuture<Void> late = CompletableFuture.runAsync(() -> sendQuietly("invoices", "late"),
                CompletableFuture.delayedExecutor(100, TimeUnit.MILLISECONDS));
        TextMessage m = (TextMessage) broker.waitForMessage("invoices", Duration.ofSeconds(5));
        assertEquals("late", m.getText());
        late.join();
    }

    @Test
    void awaitQueueDepthReturnsOnceTheDepthMatches() {
        CompletableFuture<Void> late = CompletableFuture.runAsync(() -> {
            sendQuietly("orders", "a");
            sendQuietly("orders", "b");
        }, CompletableFuture.delayedExecutor(100, TimeUnit.MILLISECONDS));
        broker.awaitQueueDepth("orders", 2, Duration.ofSeconds(5));
        assertEquals(2, broker.queueDepth("orders"));
        late.join();
    }

    @Test
    void awaitQueueDepthFailsWithTheLastDepthSeen() throws Exception {
        broker.sendText("orders", "only one");
        AssertionError e = assertThrows(AssertionError.class,
                () -> broker.awaitQueueDepth("orders", 5, Duration.ofMillis(100)));
        assertTrue(e.getMessage().contains("has depth 1, expected 5"), e.getMessage());
    }

    @Test
    void purgeEmptiesAQueue() throws Exception {
        broker.sendText("invoices", "a");
        broker.sendText("invoices", "b");
        assertEquals(2, broker.queueDepth("invoices"));
        broker.purge("invoices");
        assertEquals(0, broker.queueDepth("invoices"));
    }

    @Test
    void connectionFactoryServesPlainJmsCode() throws Exception {
        broker.sendText("orders", "for plain JMS");
        try (Connection connection = broker.connectionFactory().createConnection()) {
            connection.start();
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = session.createConsumer(session.createQueue("orders"));
            TextMessage m = (TextMessage) consumer.receive(5000);
            assertNotNull(m);
            assertEquals("for plain JMS", m.getText());
        }
    }

    @Test
    void settingsCannotChangeOnceTheBrokerRuns() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> broker.queue("late"));
        assertTrue(e.getMessage().contains("fixed"), e.getMessage());
    }

    private static void sendQuietly(String queue, String text) {
        try {
            broker.sendText(queue, text);
        } catch (JMSException e) {
            throw new IllegalStateException(e);
        }
    }
}
