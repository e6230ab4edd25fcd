package io.tern.transport.tcp;

import io.tern.broker.Broker;
import io.tern.jms.TernConnectionFactory;
import io.tern.protocol.Address;
import io.tern.protocol.Frame;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static io.tern.transport.tcp.TcpTestSupport.RECEIVE_TIMEOUT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Heartbeats keep idle connections alive, and each side finds a silent peer dead after the inactivity period. */
class TcpHeartbeatTest {

    private Broker broker;

    @BeforeEach
    void start() {
        broker = TcpTestSupport.startBroker("heartbeat", "inactivityTimeout=1000");
    }

    @AfterEach
    void stop() {
        broker.close();
    }

    @Test
    void aSilentClientIsClosedAndItsUnacknowledgedMessagesGoToAnotherConsumer() throws Exception {
        try (Connection c = TcpTestSupport.factory(broker, "inactivityTimeout=1000").createConnection()) {
            c.start();
            Session s = c.createSession(false, Session.CLIENT_ACKNOWLEDGE);
            Queue q = s.createQueue("work");
            MessageProducer p = s.createProducer(q);
            for (int i = 0; i < 5; i++) {
                p.send(s.createTextMessage("job " + i));
            }
            try (RawPeer vanishing = RawPeer.connect(TcpTestSupport.port(broker))) {
                vanishing.handshake(0);
                vanishing.send(new Frame.AddConsumer(1, 1, Address.queue("work"), null, false, null, false, false, 10, false));
                Set<Long> delivered = new HashSet<>();
                while (delivered.size() < 5) {
                    Frame f = vanishing.read();
                    if (f instanceof Frame.Deliver d) {
                        delivered.add(d.deliveryId());
                    }
                }
                assertEquals(5, broker.queueDepth("work"), "delivered, not acknowledged");
                // From here on the peer neither writes nor acknowledges: it has vanished.
                MessageConsumer survivor = s.createConsumer(q);
                for (int i = 0; i < 5; i++) {
                    Message m = survivor.receive(RECEIVE_TIMEOUT);
                    assertNotNull(m, "the vanished consumer's messages come back");
                    assertEquals("job " + i, ((TextMessage) m).getText());
                    assertTrue(m.getJMSRedelivered());
                    m.acknowledge();
                }
                Frame.Error error = vanishing.expectErrorAndClose();
                assertTrue(error.message().contains("sent nothing for 1000 ms"), error.message());
            }
            TcpTestSupport.await("the queue to drain", () -> broker.queueDepth("work") == 0);
        }
    }

    @Test
    void idleConnectionsStayOpenThroughHeartbeats() throws Exception {
        try (Connection c = TcpTestSupport.factory(broker, "inactivityTimeout=1000").createConnection()) {
            AtomicReference<JMSException> failure = new AtomicReference<>();
            c.setExceptionListener(failure::set);
            c.start();
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue q = s.createQueue("idle");
            MessageConsumer consumer = s.createConsumer(q);
            int connections = broker.connectionCount();
            // Several inactivity periods of silence from the application: only heartbeats flow.
            assertNull(consumer.receive(3500));
            s.createProducer(q).send(s.createTextMessage("still here"));
            assertEquals("still here", ((TextMessage) consumer.receive(RECEIVE_TIMEOUT)).getText());
            assertNull(failure.get());
            assertEquals(connections, broker.connectionCount());
        }
    }

    @Test
    void theClientFindsASilentBrokerDeadAndTellsItsExceptionListener() throws Exception {
        try (ServerSocket fake = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Socket> accepted = CompletableFuture.supplyAsync(() -> {
                try {
                    Socket s = fake.accept();
                    RawPeer silentBroker = new RawPeer(s);
                    assertInstanceOf(Frame.Hello.class, silentBroker.read());
                    silentBroker.send(new Frame.Hello(1, 0, 0, 1 << 20, "silent", "ID:silent"));
                    return s;
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            Connection c = new TernConnectionFactory("tcp://127.0.0.1:" + fake.getLocalPort()
                    + "?inactivityTimeout=1000").createConnection();
            CountDownLatch told = new CountDownLatch(1);
            AtomicReference<JMSException> failure = new AtomicReference<>();
            c.setExceptionListener(e -> {
                failure.set(e);
                told.countDown();
            });
            try {
                assertTrue(told.await(RECEIVE_TIMEOUT, TimeUnit.MILLISECONDS), "the exception listener is called");
                assertTrue(failure.get().getMessage().contains("sent nothing for 1000 ms"), failure.get().getMessage());
            } finally {
                c.close();
                accepted.get().close();
            }
        }
    }
}
