package io.tern.jms.api;

import io.tern.broker.Broker;
import io.tern.jms.TernConnectionFactory;
import io.tern.jms.TestTransport;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSException;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static io.tern.jms.TestTransport.connectionFactory;
import static io.tern.jms.api.ApiTestSupport.ABSENT_TIMEOUT;
import static io.tern.jms.api.ApiTestSupport.RECEIVE_TIMEOUT;
import static io.tern.jms.api.ApiTestSupport.receiveExpected;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Broker lifecycle in one JVM, vm:// URLs (vm only) and URL errors. */
class LifecycleTest {

    private final ApiTestSupport.Resources resources = new ApiTestSupport.Resources();

    @AfterEach
    void closeAll() {
        resources.close();
    }

    private Broker newBroker(String name) {
        return resources.add(TestTransport.brokerBuilder().name(name).persistent(false).build());
    }

    private static void roundTrip(Broker broker, String queue, String text) throws JMSException {
        try (Connection c = connectionFactory(broker).createConnection()) {
            c.start();
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            s.createProducer(s.createQueue(queue)).send(s.createTextMessage(text));
            assertEquals(text, ((TextMessage) receiveExpected(s.createConsumer(s.createQueue(queue)))).getText());
        }
    }

    @Test
    void startStopAndStartAgain() throws Exception {
        String name = ApiTestSupport.uniqueName("life");
        Broker broker = newBroker(name);
        assertFalse(broker.isStarted());
        assertTrue(Broker.running(name).isEmpty());
        assertSame(broker, broker.start());
        assertSame(broker, broker.start(), "start is idempotent");
        assertTrue(broker.isStarted());
        assertSame(broker, Broker.running(name).orElseThrow());
        roundTrip(broker, "q", "first run");
        ConnectionFactory whileRunning = connectionFactory(broker);

        broker.stop();
        broker.stop();
        assertFalse(broker.isStarted());
        assertTrue(Broker.running(name).isEmpty());
        assertThrows(JMSException.class, whileRunning::createConnection);

        broker.start();
        assertTrue(broker.isStarted());
        roundTrip(broker, "q", "second run");
        broker.stop();
        broker.start();
        roundTrip(broker, "q", "third run");
        assertEquals(0, broker.connectionCount());
    }

    @Test
    void stoppingTheBrokerClosesItsConnections() throws Exception {
        Broker broker = newBroker(ApiTestSupport.uniqueName("life-conns")).start();
        Connection c = resources.add(connectionFactory(broker).createConnection());
        Connection c2 = resources.add(connectionFactory(broker).createConnection());
        assertEquals(2, broker.connectionCount());
        CountDownLatch failed = new CountDownLatch(1);
        c.setExceptionListener(e -> failed.countDown());
        broker.stop();
        assertTrue(failed.await(RECEIVE_TIMEOUT, TimeUnit.MILLISECONDS));
        assertThrows(jakarta.jms.IllegalStateException.class, () -> c2.createSession(false, Session.AUTO_ACKNOWLEDGE));
        broker.start();
        assertEquals(0, broker.connectionCount());
    }

    @Test
    void manyBrokersInOneJvmAreIndependent() throws Exception {
        List<Broker> brokers = new ArrayList<>();
        List<Connection> connections = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Broker b = newBroker(ApiTestSupport.uniqueName("many-" + i)).start();
            brokers.add(b);
            Connection c = resources.started(connectionFactory(b).createConnection());
            connections.add(c);
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            for (int k = 0; k <= i; k++) {
                s.createProducer(s.createQueue("same-name")).send(s.createTextMessage("broker " + i));
            }
        }
        for (int i = 0; i < 5; i++) {
            assertEquals(i + 1, brokers.get(i).queueDepth("same-name"));
            Session s = connections.get(i).createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer c = s.createConsumer(s.createQueue("same-name"));
            for (int k = 0; k <= i; k++) {
                assertEquals("broker " + i, ((TextMessage) receiveExpected(c)).getText());
            }
            assertNull(c.receive(ABSENT_TIMEOUT));
        }
        brokers.get(2).stop();
        for (int i = 0; i < 5; i++) {
            if (i != 2) {
                roundTrip(brokers.get(i), "after-stop", "still fine " + i);
            }
        }
    }

    @Test
    void aSecondBrokerWithTheSameNameCannotStart() throws Exception {
        String name = ApiTestSupport.uniqueName("life-dup");
        Broker first = newBroker(name).start();
        Broker second = newBroker(name);
        IllegalStateException e = assertThrows(IllegalStateException.class, second::start);
        assertTrue(e.getMessage().contains(name), e.getMessage());
        assertFalse(second.isStarted());
        assertSame(first, Broker.running(name).orElseThrow());
        roundTrip(first, "q", "the first one is unaffected");

        first.close();
        second.start();
        assertSame(second, Broker.running(name).orElseThrow());
        roundTrip(second, "q", "now the second one runs");
    }

    @Test
    void aClosedBrokerCannotStartAgain() {
        Broker broker = newBroker(ApiTestSupport.uniqueName("life-closed")).start();
        broker.close();
        broker.close();
        assertFalse(broker.isStarted());
        assertThrows(IllegalStateException.class, broker::start);
    }

    @Test
    void invalidBrokerSettingsAreRefusedWhenBuilt() {
        assertThrows(IllegalArgumentException.class, () -> Broker.builder().name("has space").build());
        assertThrows(IllegalArgumentException.class, () -> Broker.builder().name("").build());
        assertThrows(IllegalArgumentException.class, () -> Broker.builder().name("ok").memoryLimit(0).build());
        assertThrows(IllegalArgumentException.class, () -> Broker.builder().name("ok").queue("bad name").build());
    }

    // ------------------------------------------------------------------ vm:// URLs

    @Test
    void vmUrlWithoutCreateToAMissingBrokerNamesIt() {
        TestTransport.assumeVm("a vm:// URL names a broker of this JVM; tcp:// reports the address it could not reach");
        String name = ApiTestSupport.uniqueName("missing");
        JMSException e = assertThrows(JMSException.class,
                () -> new TernConnectionFactory("vm://" + name).createConnection());
        assertTrue(e.getMessage().contains(name), e.getMessage());
        assertTrue(Broker.running(name).isEmpty(), "no broker was created");
    }

    @Test
    void vmUrlWithCreateStartsABrokerThatStopsWithItsLastConnection() throws Exception {
        TestTransport.assumeVm("only a vm:// URL can create the broker it connects to (create=true)");
        String name = ApiTestSupport.uniqueName("auto");
        TernConnectionFactory cf = new TernConnectionFactory("vm://" + name + "?create=true&broker.persistent=false");
        Connection first = resources.add(cf.createConnection());
        Broker created = Broker.running(name).orElseThrow();
        assertTrue(created.isStarted());
        assertFalse(created.isPersistent());
        Connection second = resources.add(cf.createConnection());
        assertSame(created, Broker.running(name).orElseThrow(), "the second connection joins the same broker");
        Connection plain = resources.add(new TernConnectionFactory("vm://" + name).createConnection());

        second.start();
        Session s = second.createSession(false, Session.AUTO_ACKNOWLEDGE);
        s.createProducer(s.createQueue("q")).send(s.createTextMessage("via created broker"));
        assertEquals("via created broker", ((TextMessage) receiveExpected(s.createConsumer(s.createQueue("q"))))
                .getText());

        first.close();
        assertTrue(Broker.running(name).isPresent(), "other connections are still open");
        second.close();
        plain.close();
        assertTrue(Broker.running(name).isEmpty(), "the created broker stops with its last connection");
        assertFalse(created.isStarted());

        // A new first connection creates a fresh broker.
        Connection again = resources.add(cf.createConnection());
        Broker recreated = Broker.running(name).orElseThrow();
        again.close();
        assertTrue(Broker.running(name).isEmpty());
        assertFalse(recreated.isStarted());
    }

    @Test
    void vmUrlWithCreateUsesARunningBrokerAndLeavesItRunning() throws Exception {
        TestTransport.assumeVm("only a vm:// URL can create the broker it connects to (create=true)");
        String name = ApiTestSupport.uniqueName("existing");
        Broker broker = newBroker(name).start();
        Connection c = new TernConnectionFactory("vm://" + name + "?create=true").createConnection();
        c.close();
        assertTrue(broker.isStarted(), "a broker vm:// did not create must not be stopped by it");
        assertSame(broker, Broker.running(name).orElseThrow());
    }

    @Test
    void brokerSettingsInTheUrlConfigureTheCreatedBroker() throws Exception {
        TestTransport.assumeVm("only a vm:// URL can create and configure a broker (broker.* options)");
        String name = ApiTestSupport.uniqueName("configured");
        Connection c = resources.add(new TernConnectionFactory("vm://" + name
                + "?create=true&broker.persistent=false&broker.autoCreateDestinations=false&broker.queues=ready")
                .createConnection());
        Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
        assertThrows(jakarta.jms.InvalidDestinationException.class, () -> s.createProducer(s.createQueue("other")));
        assertNotNull(s.createProducer(s.createQueue("ready")));
        c.close();
        assertTrue(Broker.running(name).isEmpty());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "no-scheme-at-all                          | scheme",
            "localhost:61616                           | scheme",
            "vm://api-url-x?create                             | create",
            "vm://api-url-x?create=maybe                       | maybe",
            "vm://api-url-x?bogus=1                            | bogus",
            "vm://api-url-x?create=true&broker.bogus=1         | broker.bogus",
            "vm://api-url-x?create=true&broker.memoryLimit=lots | broker.memoryLimit",
            "vm://api-url-x?broker.persistent=false            | create=true",
            "vm://api-url-x?jms.prefetch=0                     | jms.prefetch",
            "vm://api-url-x?create=true&create=false           | create",
            "vm://                                     | vm://",
            "foo://somewhere                           | foo",
            "tcp-nope://host:1                         | tcp-nope",
    })
    void malformedUrlsAreRefusedWithAClearMessage(String url, String mentioned) {
        JMSException e = assertThrows(JMSException.class, () -> new TernConnectionFactory(url).createConnection());
        assertNotNull(e.getMessage());
        assertTrue(e.getMessage().contains(mentioned), "message for " + url + " should mention '" + mentioned
                + "': " + e.getMessage());
        assertTrue(Broker.running("api-url-x").isEmpty(), "a refused URL must not leave a broker running");
    }

    @Test
    void nullOrBlankUrlIsRefused() {
        assertThrows(JMSException.class, () -> new TernConnectionFactory(null).createConnection());
        assertThrows(JMSException.class, () -> new TernConnectionFactory("  ").createConnection());
    }
}
