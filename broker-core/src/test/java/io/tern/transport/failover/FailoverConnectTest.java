package io.tern.transport.failover;

import io.tern.broker.Broker;
import io.tern.jms.TernConnection;
import io.tern.jms.TernConnectionFactory;
import io.tern.jms.TransportListener;
import io.tern.transport.tcp.SlowStartingStore;
import jakarta.jms.Connection;
import jakarta.jms.IllegalStateException;
import jakarta.jms.JMSException;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static io.tern.transport.failover.FailoverTestSupport.RECEIVE_TIMEOUT;
import static io.tern.transport.failover.FailoverTestSupport.startBroker;
import static io.tern.transport.failover.FailoverTestSupport.tcpUri;
import static io.tern.transport.failover.FailoverTestSupport.unusedPort;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Choosing a broker: the list, randomize, refusals, giving up (startup and later) and the timeout. */
class FailoverConnectTest {

    @Test
    void connectsToTheSecondBrokerWhenTheFirstIsDown() throws Exception {
        Broker b = startBroker("second");
        try (Connection c = new TernConnectionFactory("failover:(tcp://127.0.0.1:" + unusedPort() + ","
                + tcpUri(b) + ")?randomize=false&initialReconnectDelay=1").createConnection()) {
            c.start();
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            s.createProducer(s.createQueue("q")).send(s.createTextMessage("hello"));
            TextMessage m = (TextMessage) s.createConsumer(s.createQueue("q")).receive(RECEIVE_TIMEOUT);
            assertEquals("hello", m.getText());
            assertEquals(1, b.connectionCount());
        } finally {
            b.close();
        }
    }

    @Test
    void randomizeSpreadsConnectionsAndFalseKeepsTheListOrder() throws Exception {
        Broker a = startBroker("rand-a");
        Broker b = startBroker("rand-b");
        List<Connection> open = new ArrayList<>();
        try {
            String list = "failover:(" + tcpUri(a) + "," + tcpUri(b) + ")";
            for (int i = 0; i < 24; i++) {
                open.add(new TernConnectionFactory(list).createConnection());
            }
            // The chance that 24 random picks all land on one broker is 2^-23.
            assertTrue(a.connectionCount() > 0 && b.connectionCount() > 0,
                    a.connectionCount() + " / " + b.connectionCount());
            for (Connection c : open) {
                c.close();
            }
            open.clear();
            FailoverTestSupport.await("connections closed", () -> a.connectionCount() == 0 && b.connectionCount() == 0);
            for (int i = 0; i < 8; i++) {
                open.add(new TernConnectionFactory(list + "?randomize=false").createConnection());
            }
            assertEquals(8, a.connectionCount());
            assertEquals(0, b.connectionCount());
        } finally {
            for (Connection c : open) {
                c.close();
            }
            a.close();
            b.close();
        }
    }

    @Test
    void aBrokerThatIsNotServingIsPassedOver() throws Exception {
        SlowStartingStore store = new SlowStartingStore();
        int port = unusedPort();
        Broker starting = Broker.builder().name(FailoverTestSupport.uniqueName("slave")).store(store)
                .transportConnector("tcp://127.0.0.1:" + port).build();
        CompletableFuture<Broker> started = CompletableFuture.supplyAsync(starting::start);
        Broker live = startBroker("live");
        try {
            store.awaitStarting();
            try (Connection c = new TernConnectionFactory("failover:(tcp://127.0.0.1:" + port + "," + tcpUri(live)
                    + ")?randomize=false&maxReconnectAttempts=0").createConnection()) {
                c.createSession(false, Session.AUTO_ACKNOWLEDGE).createQueue("served");
                assertEquals(1, live.connectionCount(), "the refusing broker was skipped in the first pass");
            }
        } finally {
            store.activate();
            started.get().close();
            live.close();
        }
    }

    @Test
    void startupGivesUpAfterStartupMaxReconnectAttempts() {
        JMSException e = assertThrows(JMSException.class, () -> new TernConnectionFactory("failover:(tcp://127.0.0.1:"
                + unusedPort() + ")?startupMaxReconnectAttempts=2&initialReconnectDelay=1").createConnection());
        assertTrue(e.getMessage().contains("could not connect to any broker"), e.getMessage());
        assertTrue(e.getMessage().contains("last failure"), e.getMessage());
    }

    @Test
    void givingUpCallsTheExceptionListenerAfterTheTransportListenerHeardOfTheInterruption() throws Exception {
        Broker a = startBroker("give-up");
        List<String> events = new CopyOnWriteArrayList<>();
        CountDownLatch failed = new CountDownLatch(1);
        AtomicReference<JMSException> reported = new AtomicReference<>();
        TernConnectionFactory factory = new TernConnectionFactory("failover:(" + tcpUri(a)
                + ")?maxReconnectAttempts=2&initialReconnectDelay=1");
        factory.setTransportListener(recorder(events));
        try (Connection c = factory.createConnection()) {
            c.setExceptionListener(e -> {
                reported.set(e);
                failed.countDown();
            });
            a.stop();
            assertTrue(failed.await(20, TimeUnit.SECONDS), "the exception listener is called when failover gives up");
            assertTrue(reported.get().getMessage().contains("gave up"), reported.get().getMessage());
            assertEquals(List.of("interrupted"), events);
            assertThrows(IllegalStateException.class, () -> c.createSession(false, Session.AUTO_ACKNOWLEDGE));
        } finally {
            a.close();
        }
    }

    @Test
    void aSendWhileNoBrokerIsReachableFailsAfterTheTimeout() throws Exception {
        Broker a = startBroker("timeout");
        try (Connection c = new TernConnectionFactory("failover:(" + tcpUri(a) + ")?timeout=300"
                + "&maxReconnectDelay=50").createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer p = s.createProducer(s.createQueue("q"));
            p.send(s.createTextMessage("before"));
            a.stop();
            JMSException e = assertThrows(JMSException.class, () -> {
                for (int i = 0; i < 1000; i++) {
                    p.send(s.createTextMessage("during"));
                }
            });
            assertTrue(e.getMessage().contains("failover timeout of 300 ms"), e.getMessage());
        } finally {
            a.close();
        }
    }

    @Test
    void theTransportListenerHearsOfInterruptionAndResumption() throws Exception {
        Broker a = startBroker("events-a");
        Broker b = startBroker("events-b");
        List<String> events = new CopyOnWriteArrayList<>();
        try (Connection c = new TernConnectionFactory("failover:(" + tcpUri(a) + "," + tcpUri(b)
                + ")?randomize=false&initialReconnectDelay=1").createConnection()) {
            ((TernConnection) c).setTransportListener(recorder(events));
            a.stop();
            FailoverTestSupport.await("resumed", () -> events.size() == 2);
            assertEquals(List.of("interrupted", "resumed"), events);
            assertEquals(1, b.connectionCount());
        } finally {
            a.close();
            b.close();
        }
    }

    @Test
    void vmBrokersFailOverToo() throws Exception {
        Broker a = Broker.builder().name(FailoverTestSupport.uniqueName("vm-a")).persistent(false).build().start();
        Broker b = Broker.builder().name(FailoverTestSupport.uniqueName("vm-b")).persistent(false).build().start();
        List<String> events = new CopyOnWriteArrayList<>();
        try (Connection c = new TernConnectionFactory("failover:(vm://" + a.name() + ",vm://" + b.name()
                + ")?randomize=false&initialReconnectDelay=1").createConnection()) {
            ((TernConnection) c).setTransportListener(recorder(events));
            c.start();
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            jakarta.jms.MessageConsumer consumer = s.createConsumer(s.createQueue("vmq"));
            a.stop();
            FailoverTestSupport.await("resumed", () -> events.contains("resumed"));
            s.createProducer(s.createQueue("vmq")).send(s.createTextMessage("over vm"));
            assertReceived("over vm", consumer.receive(RECEIVE_TIMEOUT));
            assertEquals(1, b.queueConsumerCount("vmq"));
        } finally {
            a.close();
            b.close();
        }
    }

    @Test
    void transactionsAndClientAcknowledgementsWorkThroughABrokerTheUrlCreates() throws Exception {
        String name = FailoverTestSupport.uniqueName("vm-created");
        try (Connection c = new TernConnectionFactory("failover:(vm://" + name
                + "?create=true&broker.persistent=false)").createConnection()) {
            c.start();
            Session tx = c.createSession(Session.SESSION_TRANSACTED);
            tx.createProducer(tx.createQueue("created")).send(tx.createTextMessage("committed"));
            tx.commit();
            Session ack = c.createSession(Session.CLIENT_ACKNOWLEDGE);
            jakarta.jms.Message m = ack.createConsumer(ack.createQueue("created")).receive(RECEIVE_TIMEOUT);
            assertReceived("committed", m);
            m.acknowledge();
            Broker created = Broker.running(name).orElseThrow();
            FailoverTestSupport.await("the acknowledged message gone", () -> created.queueDepth("created") == 0);
        }
    }

    static TransportListener recorder(List<String> events) {
        return new TransportListener() {
            @Override
            public void transportInterrupted() {
                events.add("interrupted");
            }

            @Override
            public void transportResumed() {
                events.add("resumed");
            }
        };
    }

    static void assertReceived(String text, jakarta.jms.Message m) throws JMSException {
        assertNotNull(m, "expected " + text);
        assertEquals(text, ((TextMessage) m).getText());
    }
}
