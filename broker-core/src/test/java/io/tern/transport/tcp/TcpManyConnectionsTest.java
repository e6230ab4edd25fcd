package io.tern.transport.tcp;

import io.tern.broker.Broker;
import io.tern.jms.TernConnectionFactory;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static io.tern.transport.tcp.TcpTestSupport.RECEIVE_TIMEOUT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/** Five hundred connections open at once, each sending and receiving over its own socket. */
class TcpManyConnectionsTest {

    private static final int CONNECTIONS = 500;

    /** One client: its connection, a consumer on its own queue, and a producer to the next client's queue. */
    private record Client(Connection connection, Session session, MessageConsumer consumer, MessageProducer producer) {
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void fiveHundredConnectionsEachSendAndReceive() throws Exception {
        try (Broker broker = TcpTestSupport.startBroker("many", "")) {
            TernConnectionFactory factory = TcpTestSupport.factory(broker);
            ExecutorService pool = Executors.newFixedThreadPool(16);
            List<Client> clients = new ArrayList<>();
            try {
                List<Future<Client>> opening = new ArrayList<>();
                for (int i = 0; i < CONNECTIONS; i++) {
                    int n = i;
                    opening.add(pool.submit(() -> open(factory, n)));
                }
                for (Future<Client> f : opening) {
                    clients.add(f.get());
                }
                assertEquals(CONNECTIONS, broker.connectionCount(), "all connections are open at once");

                // Client i sends to client i+1's queue, so every message crosses between two sockets.
                List<Future<String>> exchanges = new ArrayList<>();
                for (int i = 0; i < CONNECTIONS; i++) {
                    Client c = clients.get(i);
                    int n = i;
                    exchanges.add(pool.submit(() -> {
                        c.producer().send(c.session().createTextMessage("from " + n));
                        TextMessage got = (TextMessage) c.consumer().receive(RECEIVE_TIMEOUT);
                        assertNotNull(got, "client " + n + " received nothing");
                        return got.getText();
                    }));
                }
                for (int i = 0; i < CONNECTIONS; i++) {
                    assertEquals("from " + ((i + CONNECTIONS - 1) % CONNECTIONS), exchanges.get(i).get());
                }
            } finally {
                List<Future<?>> closing = new ArrayList<>();
                for (Client c : clients) {
                    closing.add(pool.submit(() -> {
                        c.connection().close();
                        return null;
                    }));
                }
                for (Future<?> f : closing) {
                    f.get();
                }
                pool.shutdown();
            }
            assertEquals(0, broker.connectionCount());
        }
    }

    private static Client open(TernConnectionFactory factory, int n) throws JMSException {
        Connection connection = factory.createConnection();
        connection.start();
        Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        Queue own = session.createQueue("many." + n);
        Queue next = session.createQueue("many." + ((n + 1) % CONNECTIONS));
        return new Client(connection, session, session.createConsumer(own), session.createProducer(next));
    }
}
