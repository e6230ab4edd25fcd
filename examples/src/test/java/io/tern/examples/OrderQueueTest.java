package io.tern.examples;

import io.tern.junit5.TernBroker;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * A test to copy: code that sends to and reads from a queue, tested against a real in-VM broker.
 * Add {@code io.tern:tern-junit5} in test scope to get {@link TernBroker}.
 */
class OrderQueueTest {

    // static: one broker for all tests of this class. Drop "static" for a fresh broker per test.
    @RegisterExtension
    static TernBroker broker = TernBroker.create().queue("orders");

    @BeforeEach
    void startWithAnEmptyQueue() {
        broker.purge("orders");
    }

    @Test
    void anOrderSentByTheApplicationIsOnTheQueue() throws Exception {
        try (Connection connection = broker.connectionFactory().createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer producer = session.createProducer(session.createQueue("orders"));
            TextMessage order = session.createTextMessage("2 x tern plush");
            order.setStringProperty("customer", "ada");
            producer.send(order);
        }

        broker.awaitQueueDepth("orders", 1, Duration.ofSeconds(5));
        TextMessage received = (TextMessage) broker.waitForMessage("orders", Duration.ofSeconds(5));
        assertEquals("2 x tern plush", received.getText());
        assertEquals("ada", received.getStringProperty("customer"));
    }

    @Test
    void theApplicationReadsOrdersInTheOrderTheyWereSent() throws Exception {
        broker.sendText("orders", "first");
        broker.sendText("orders", "second");

        try (Connection connection = broker.connectionFactory().createConnection()) {
            connection.start();
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = session.createConsumer(session.createQueue("orders"));
            assertEquals("first", text(consumer, 5_000));
            assertEquals("second", text(consumer, 5_000));
            assertNull(consumer.receive(100), "nothing else is on the queue");
        }
        assertEquals(0, broker.queueDepth("orders"));
    }

    private static String text(MessageConsumer consumer, long timeoutMillis) throws JMSException {
        TextMessage m = (TextMessage) consumer.receive(timeoutMillis);
        return m == null ? null : m.getText();
    }
}
