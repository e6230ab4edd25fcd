package io.tern.jms;

import io.tern.broker.Broker;
import jakarta.jms.ConnectionMetaData;
import jakarta.jms.ExceptionListener;
import jakarta.jms.IllegalStateRuntimeException;
import jakarta.jms.InvalidClientIDRuntimeException;
import jakarta.jms.InvalidDestinationRuntimeException;
import jakarta.jms.InvalidSelectorRuntimeException;
import jakarta.jms.JMSConsumer;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSProducer;
import jakarta.jms.JMSRuntimeException;
import jakarta.jms.Message;
import jakarta.jms.Queue;
import jakarta.jms.QueueBrowser;
import jakarta.jms.TemporaryQueue;
import jakarta.jms.TextMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.function.Executable;

import java.util.Collections;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** JMSContext creation, session modes, shared connections, autoStart, client ID and the closed state. */
class JmsContextLifecycleTest {

    private Broker broker;
    private TernConnectionFactory factory;

    @BeforeEach
    void startBroker(TestInfo test) {
        String name = "jmsctx-life-" + test.getTestMethod().orElseThrow().getName();
        broker = TestTransport.brokerBuilder().name(name).persistent(false).build().start();
        factory = TestTransport.connectionFactory(broker);
    }

    @AfterEach
    void stopBroker() {
        broker.close();
    }

    @Test
    void createContextDefaultsToAutoAcknowledge() {
        try (JMSContext context = factory.createContext()) {
            assertEquals(JMSContext.AUTO_ACKNOWLEDGE, context.getSessionMode());
            assertFalse(context.getTransacted());
            assertTrue(context.getAutoStart());
        }
        try (JMSContext context = factory.createContext("user", "password")) {
            assertEquals(JMSContext.AUTO_ACKNOWLEDGE, context.getSessionMode());
        }
    }

    @Test
    void everySessionModeIsAccepted() {
        for (int mode : new int[] {JMSContext.AUTO_ACKNOWLEDGE, JMSContext.CLIENT_ACKNOWLEDGE,
                                   JMSContext.DUPS_OK_ACKNOWLEDGE, JMSContext.SESSION_TRANSACTED}) {
            try (JMSContext context = factory.createContext(mode);
                 JMSContext viaCredentials = factory.createContext("user", "password", mode);
                 JMSContext derived = context.createContext(mode)) {
                assertEquals(mode, context.getSessionMode());
                assertEquals(mode, viaCredentials.getSessionMode());
                assertEquals(mode, derived.getSessionMode());
                assertEquals(mode == JMSContext.SESSION_TRANSACTED, context.getTransacted());
                // The mode must also work for real: a message goes through each of them.
                Queue queue = context.createQueue("modes-" + mode);
                context.createProducer().send(queue, "in mode " + mode);
                if (context.getTransacted()) {
                    context.commit();
                }
                assertEquals("in mode " + mode,
                        derived.createConsumer(queue).receiveBody(String.class, 2000));
            }
        }
    }

    @Test
    void invalidSessionModeFailsNamingTheAllowedValuesAndOpensNothing() {
        JMSRuntimeException e = assertThrows(JMSRuntimeException.class, () -> factory.createContext(42));
        assertTrue(e.getMessage().contains("42"), e.getMessage());
        assertTrue(e.getMessage().contains("AUTO_ACKNOWLEDGE"), e.getMessage());
        assertTrue(e.getMessage().contains("SESSION_TRANSACTED"), e.getMessage());
        assertThrows(JMSRuntimeException.class, () -> factory.createContext("u", "p", -1));
        assertEquals(0, broker.connectionCount());
        try (JMSContext context = factory.createContext()) {
            JMSRuntimeException derived = assertThrows(JMSRuntimeException.class, () -> context.createContext(7));
            assertTrue(derived.getMessage().contains("CLIENT_ACKNOWLEDGE"), derived.getMessage());
        }
    }

    @Test
    void unreachableBrokerIsAJmsRuntimeException() {
        TernConnectionFactory nowhere = new TernConnectionFactory(TestTransport.unreachableUri());
        assertThrows(JMSRuntimeException.class, nowhere::createContext);
    }

    @Test
    void derivedContextsShareTheConnectionUntilTheLastCloses() throws Exception {
        JMSContext first = factory.createContext();
        JMSContext second = first.createContext(JMSContext.CLIENT_ACKNOWLEDGE);
        JMSContext third = second.createContext(JMSContext.SESSION_TRANSACTED);
        assertEquals(1, broker.connectionCount());

        Queue queue = first.createQueue("shared");
        first.close();
        assertEquals(1, broker.connectionCount());
        assertThrows(IllegalStateRuntimeException.class, () -> first.createQueue("x"));

        // The others still work on the shared connection.
        second.createProducer().send(queue, "still here");
        assertEquals("still here", third.createConsumer(queue).receiveBody(String.class, 2000));
        third.commit();
        third.close();
        assertEquals(1, broker.connectionCount());

        second.close();
        awaitConnections(0);
        assertThrows(IllegalStateRuntimeException.class, () -> second.createContext(JMSContext.AUTO_ACKNOWLEDGE));
    }

    @Test
    void closingTwiceDoesNotCountTwice() throws Exception {
        JMSContext first = factory.createContext();
        JMSContext second = first.createContext(JMSContext.AUTO_ACKNOWLEDGE);
        first.close();
        first.close();
        assertEquals(1, broker.connectionCount());
        Queue queue = second.createQueue("twice");
        second.createProducer().send(queue, "ok");
        assertEquals("ok", second.createConsumer(queue).receiveBody(String.class, 2000));
        second.close();
        awaitConnections(0);
    }

    @Test
    void consumerCreationStartsTheConnectionWhenAutoStartIsOn() {
        try (JMSContext context = factory.createContext()) {
            Queue queue = context.createQueue("auto");
            context.createProducer().send(queue, "one");
            assertEquals("one", context.createConsumer(queue).receiveBody(String.class, 2000));
        }
    }

    @Test
    void withoutAutoStartNothingArrivesUntilStart() {
        try (JMSContext context = factory.createContext()) {
            context.setAutoStart(false);
            assertFalse(context.getAutoStart());
            Queue queue = context.createQueue("manual");
            context.createProducer().send(queue, "waiting");
            JMSConsumer consumer = context.createConsumer(queue);
            assertNull(consumer.receive(200));
            context.start();
            assertEquals("waiting", consumer.receiveBody(String.class, 2000));
        }
    }

    @Test
    void aConsumerOnAnyContextOfTheConnectionStartsIt() {
        try (JMSContext manual = factory.createContext()) {
            manual.setAutoStart(false);
            Queue queue = manual.createQueue("any-context");
            JMSConsumer waiting = manual.createConsumer(queue);
            manual.createProducer().send(queue, "m");
            assertNull(waiting.receive(200));
            try (JMSContext auto = manual.createContext(JMSContext.AUTO_ACKNOWLEDGE)) {
                auto.createConsumer(auto.createQueue("elsewhere"));
                assertEquals("m", waiting.receiveBody(String.class, 2000));
            }
        }
    }

    @Test
    void stopPausesDeliveryAndStartResumesIt() {
        try (JMSContext context = factory.createContext()) {
            Queue queue = context.createQueue("paused");
            JMSConsumer consumer = context.createConsumer(queue);
            context.stop();
            context.createProducer().send(queue, "later");
            assertNull(consumer.receive(200));
            context.start();
            assertEquals("later", consumer.receiveBody(String.class, 2000));
        }
    }

    @Test
    void clientIdMayBeSetRightAfterCreationOnly() {
        try (JMSContext context = factory.createContext()) {
            assertNull(context.getClientID());
            context.setClientID("client-a");
            assertEquals("client-a", context.getClientID());
            assertThrows(IllegalStateRuntimeException.class, () -> context.setClientID("client-b"));
        }
        try (JMSContext context = factory.createContext()) {
            context.createProducer();
            assertThrows(IllegalStateRuntimeException.class, () -> context.setClientID("too-late"));
        }
    }

    @Test
    void duplicateClientIdIsAnInvalidClientIdRuntimeException() {
        try (JMSContext first = factory.createContext()) {
            first.setClientID("taken");
            try (JMSContext second = factory.createContext()) {
                assertThrows(InvalidClientIDRuntimeException.class, () -> second.setClientID("taken"));
            }
            TernConnectionFactory configured = new TernConnectionFactory(factory.getBrokerURL());
            configured.setClientID("taken");
            assertThrows(InvalidClientIDRuntimeException.class, configured::createContext);
        }
    }

    @Test
    void clientIdFromTheFactoryCannotBeChanged() {
        factory.setClientID("configured");
        try (JMSContext context = factory.createContext()) {
            assertEquals("configured", context.getClientID());
            assertThrows(IllegalStateRuntimeException.class, () -> context.setClientID("other"));
        }
    }

    @Test
    void metaDataAndExceptionListener() throws Exception {
        try (JMSContext context = factory.createContext()) {
            ConnectionMetaData meta = context.getMetaData();
            assertEquals(3, meta.getJMSMajorVersion());
            assertEquals(1, meta.getJMSMinorVersion());
            assertNull(context.getExceptionListener());
            ExceptionListener listener = e -> { };
            context.setExceptionListener(listener);
            assertSame(listener, context.getExceptionListener());
        }
    }

    @Test
    void exceptionListenerHearsOfABrokerThatGoesAway() throws Exception {
        JMSContext context = factory.createContext();
        java.util.concurrent.CompletableFuture<Exception> heard = new java.util.concurrent.CompletableFuture<>();
        context.setExceptionListener(heard::complete);
        broker.close();
        assertNotNull(heard.get(5, java.util.concurrent.TimeUnit.SECONDS));
        assertThrows(IllegalStateRuntimeException.class, () -> context.createProducer().send(
                new TernQueue("gone"), "x"));
        context.close();
    }

    @Test
    void everyMethodOfAClosedContextIsAnIllegalStateRuntimeException() {
        JMSContext context = factory.createContext(JMSContext.CLIENT_ACKNOWLEDGE);
        Queue queue = context.createQueue("closed");
        JMSProducer producer = context.createProducer();
        JMSConsumer consumer = context.createConsumer(queue);
        context.close();
        context.close(); // closing a closed context is not an error

        List<Executable> calls = List.of(
                context::createProducer, () -> context.createConsumer(queue), () -> context.createQueue("q"),
                () -> context.createTopic("t"), context::createTemporaryQueue, context::createTemporaryTopic,
                context::createTextMessage, context::createMessage, context::createBytesMessage,
                context::createMapMessage, context::createStreamMessage, context::createObjectMessage,
                context::acknowledge, context::recover, context::commit, context::rollback, context::start,
                context::stop, context::getClientID, () -> context.setClientID("x"), context::getMetaData,
                context::getSessionMode, context::getTransacted, context::getExceptionListener,
                () -> context.createContext(JMSContext.AUTO_ACKNOWLEDGE), () -> context.unsubscribe("s"),
                () -> context.createBrowser(queue), () -> context.createDurableConsumer(
                        context.createTopic("t"), "d"),
                () -> producer.send(queue, "after close"), consumer::receiveNoWait,
                () -> consumer.receiveBodyNoWait(String.class), () -> consumer.setMessageListener(m -> { }));
        for (Executable call : calls) {
            assertThrows(IllegalStateRuntimeException.class, call);
        }
        consumer.close(); // closing a closed consumer is not an error either
    }

    @Test
    void checkedExceptionsArriveAsTheirRuntimeCounterparts() {
        try (JMSContext context = factory.createContext()) {
            assertThrows(InvalidDestinationRuntimeException.class, () -> context.createConsumer(null));
            assertThrows(InvalidDestinationRuntimeException.class, () -> context.createQueue(""));
            assertThrows(InvalidSelectorRuntimeException.class,
                    () -> context.createConsumer(context.createQueue("sel"), "color = = 'red'"));
            assertThrows(InvalidSelectorRuntimeException.class,
                    () -> context.createBrowser(context.createQueue("sel"), "x >"));
            assertThrows(InvalidDestinationRuntimeException.class, () -> context.unsubscribe("never-made"));
            assertThrows(IllegalStateRuntimeException.class, context::commit);
            assertThrows(IllegalStateRuntimeException.class, context::rollback);
            // An unshared durable subscription needs a client ID.
            assertThrows(IllegalStateRuntimeException.class,
                    () -> context.createDurableConsumer(context.createTopic("news"), "sub"));
        }
    }

    @Test
    void selectorsAndBrowsers() throws Exception {
        try (JMSContext context = factory.createContext()) {
            Queue queue = context.createQueue("colours");
            JMSProducer producer = context.createProducer();
            producer.setProperty("color", "red").send(queue, "r1");
            producer.setProperty("color", "blue").send(queue, "b1");
            producer.setProperty("color", "red").send(queue, "r2");

            QueueBrowser browser = context.createBrowser(queue, "color = 'blue'");
            List<?> seen = Collections.list(browser.getEnumeration());
            assertEquals(1, seen.size());
            assertEquals("b1", ((TextMessage) seen.get(0)).getText());
            assertEquals(3, Collections.list(context.createBrowser(queue).getEnumeration()).size());

            JMSConsumer red = context.createConsumer(queue, "color = 'red'");
            assertEquals("color = 'red'", red.getMessageSelector());
            assertEquals("r1", red.receiveBody(String.class, 2000));
            assertEquals("r2", red.receiveBody(String.class, 2000));
            assertNull(red.receiveNoWait());
            assertNull(context.createConsumer(queue, "").getMessageSelector());
        }
    }

    @Test
    void temporaryQueueLivesWithTheConnection() {
        try (JMSContext context = factory.createContext()) {
            TemporaryQueue temp = context.createTemporaryQueue();
            context.createProducer().send(temp, "to temp");
            assertEquals("to temp", context.createConsumer(temp).receiveBody(String.class, 2000));
            assertNotNull(context.createTemporaryTopic());
        }
    }

    @Test
    void noLocalConsumerSkipsItsOwnConnectionsMessages() {
        try (JMSContext context = factory.createContext(); JMSContext other = factory.createContext()) {
            var topic = context.createTopic("chatter");
            JMSConsumer notMine = context.createConsumer(topic, null, true);
            JMSConsumer all = context.createConsumer(topic);
            context.createProducer().send(topic, "mine");
            other.createProducer().send(topic, "theirs");
            assertEquals("mine", all.receiveBody(String.class, 2000));
            assertEquals("theirs", all.receiveBody(String.class, 2000));
            assertEquals("theirs", notMine.receiveBody(String.class, 2000));
            assertNull(notMine.receive(200));
        }
    }

    @Test
    void sharedConsumersSplitASubscription() {
        try (JMSContext context = factory.createContext(); JMSContext other = factory.createContext()) {
            var topic = context.createTopic("work");
            JMSConsumer a = context.createSharedConsumer(topic, "workers");
            JMSConsumer b = other.createSharedConsumer(topic, "workers");
            JMSProducer producer = context.createProducer();
            for (int i = 0; i < 10; i++) {
                producer.send(topic, "job " + i);
            }
            int received = 0;
            while (a.receive(300) != null) {
                received++;
            }
            while (b.receive(300) != null) {
                received++;
            }
            assertEquals(10, received);
        }
    }

    @Test
    void durableSubscriptionKeepsMessagesUntilUnsubscribed() {
        try (JMSContext context = factory.createContext()) {
            context.setClientID("durable-client");
            var topic = context.createTopic("news");
            JMSConsumer durable = context.createDurableConsumer(topic, "reader");
            durable.close();
            context.createProducer().send(topic, "while away");
            durable = context.createDurableConsumer(topic, "reader");
            assertEquals("while away", durable.receiveBody(String.class, 2000));
            assertThrows(IllegalStateRuntimeException.class, () -> context.unsubscribe("reader"));
            durable.close();
            context.unsubscribe("reader");
            assertThrows(InvalidDestinationRuntimeException.class, () -> context.unsubscribe("reader"));

            JMSConsumer shared = context.createSharedDurableConsumer(topic, "team", "kind = 'x'");
            context.createProducer().setProperty("kind", "x").send(topic, Map.of("k", 1));
            Message m = shared.receive(2000);
            assertNotNull(m);
            shared.close();
            context.unsubscribe("team");
        }
    }

    private void awaitConnections(int expected) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 5000;
        while (broker.connectionCount() != expected && System.currentTimeMillis() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(expected, broker.connectionCount());
    }
}
