package io.tern.junit5;

import io.tern.jms.TernConnectionFactory;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;

import java.time.Duration;

/**
 * The one-shot sends and receives behind {@link TernBroker}'s helpers. Each call opens and closes its own
 * connection, so a helper never leaves a consumer behind that would take messages the code under test
 * expects to receive.
 */
final class QueueClient {

    private QueueClient() {
    }

    static void sendText(ConnectionFactory factory, String queue, String text) throws JMSException {
        try (Connection connection = factory.createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            session.createProducer(session.createQueue(queue)).send(session.createTextMessage(text));
        }
    }

    static Message receive(TernConnectionFactory factory, String queue, Duration timeout) throws JMSException {
        // A prefetch of one: the consumer buffers only the message it is about to return, so closing it
        // gives nothing else back to the queue out of turn.
        factory.setPrefetch(1);
        try (Connection connection = factory.createConnection()) {
            connection.start();
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = session.createConsumer(session.createQueue(queue));
            long millis = Math.max(1, timeout.toMillis());
            return consumer.receive(millis);
        }
    }
}
