package io.tern.examples;

import io.tern.broker.Broker;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Tern in one sitting: an embedded broker, a queue (point to point) and a topic (publish and subscribe).
 *
 * <p>Run it from the repository root with {@code mvn -q -pl examples -am compile -Dexample=QuickStart}.
 */
public final class QuickStart {

    private static final int ORDERS = 3;
    private static final String[] PRICES = {"TERN 10.00", "TERN 10.25"};

    private QuickStart() {
    }

    public static void main(String[] args) throws Exception {
        // persistent(false): messages live in memory only, so the example leaves no files behind.
        try (Broker broker = Broker.builder().name("quickstart").persistent(false).build().start();
             Connection connection = broker.connectionFactory().createConnection()) {
            System.out.println("Started broker '" + broker.name() + "', reachable in this JVM as " + broker.vmUri());
            connection.start();

            sendAndReceiveOnAQueue(connection);
            System.out.println("Queue 'orders': " + broker.queueEnqueuedCount("orders") + " enqueued, "
                    + broker.queueDequeuedCount("orders") + " dequeued, " + broker.queueDepth("orders") + " left");

            publishToTwoSubscribers(connection);
        }
        // Closing the connection and the broker ends every thread Tern started; main returns normally.
        System.out.println("Closed the connection and the broker.");
    }

    /** Each message on a queue goes to exactly one consumer. */
    private static void sendAndReceiveOnAQueue(Connection connection) throws JMSException {
        Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        Queue orders = session.createQueue("orders");

        MessageProducer producer = session.createProducer(orders);
        for (int i = 1; i <= ORDERS; i++) {
            producer.send(session.createTextMessage("order #" + i));
            System.out.println("Sent     to queue 'orders':   order #" + i);
        }

        MessageConsumer consumer = session.createConsumer(orders);
        for (int i = 1; i <= ORDERS; i++) {
            TextMessage m = (TextMessage) consumer.receive(5_000);
            if (m == null) {
                throw new IllegalStateException("order #" + i + " did not arrive within 5 seconds");
            }
            System.out.println("Received from queue 'orders': " + m.getText());
        }
        session.close();
    }

    /**
     * Every subscriber of a topic gets its own copy of each message published after it subscribed. Each
     * subscriber has a session of its own, because a session delivers to its listeners on one thread.
     */
    private static void publishToTwoSubscribers(Connection connection) throws JMSException, InterruptedException {
        CountDownLatch allDelivered = new CountDownLatch(2 * PRICES.length);
        List<String> deliveries = new CopyOnWriteArrayList<>();
        for (String subscriber : List.of("dashboard", "audit")) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            session.createConsumer(session.createTopic("prices")).setMessageListener(message -> {
                deliveries.add(subscriber + " got " + text(message));
                allDelivered.countDown();
            });
        }

        Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        Topic prices = session.createTopic("prices");
        MessageProducer publisher = session.createProducer(prices);
        for (String price : PRICES) {
            publisher.send(session.createTextMessage(price));
            System.out.println("Published to topic 'prices': " + price);
        }

        if (!allDelivered.await(5, TimeUnit.SECONDS)) {
            throw new IllegalStateException("only " + deliveries.size() + " of " + 2 * PRICES.length
                    + " topic deliveries arrived within 5 seconds");
        }
        // Listeners run on their sessions' threads; print in one place so the lines do not interleave.
        deliveries.stream().sorted().forEach(d -> System.out.println("Subscriber " + d));
    }

    private static String text(Message message) {
        try {
            return ((TextMessage) message).getText();
        } catch (JMSException e) {
            return "<unreadable: " + e.getMessage() + ">";
        }
    }
}
