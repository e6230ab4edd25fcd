package io.tern.transport.failover;

import io.tern.broker.Broker;
import io.tern.jms.TernConnectionFactory;
import io.tern.transport.AcknowledgeOutcomeUnknownException;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static io.tern.transport.failover.FailoverTestSupport.await;
import static io.tern.transport.failover.FailoverTestSupport.port;
import static io.tern.transport.failover.FailoverTestSupport.startBroker;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A producer and a client-acknowledging consumer work through connections that are cut again and again,
 * and every message is counted: each one whose send returned is consumed, where "consumed" means its
 * acknowledge returned, exactly once; one whose acknowledge threw (received before the failover, or the
 * acknowledgement lost on its way and not recorded) comes again, flagged redelivered; and in the end nothing
 * is left on the broker. With no timeout, no acknowledgement's outcome is ever unknown.
 */
class FailoverUnderLoadTest {

    private static final int MESSAGES = 600;
    private static final int CUTS = 4;

    @Test
    void everyMessageIsConsumedOnceThroughRepeatedCuts() throws Exception {
        Broker broker = startBroker("load");
        try (CuttableProxy proxy = new CuttableProxy(port(broker))) {
            String url = "failover:(" + proxy.uri() + ")?initialReconnectDelay=1&maxReconnectDelay=20&jms.prefetch=20";
            AtomicInteger sent = new AtomicInteger();
            AtomicInteger consumed = new AtomicInteger();
            CompletableFuture<Void> producing = CompletableFuture.runAsync(() -> produce(url, sent));
            CompletableFuture<Set<String>> consuming = CompletableFuture.supplyAsync(() -> consume(url, consumed));
            for (int cut = 1; cut <= CUTS; cut++) {
                int progress = cut * MESSAGES / (CUTS + 1);
                await("progress before cut " + cut, () -> sent.get() >= progress && consumed.get() >= progress / 2
                        || producing.isDone() && consuming.isDone());
                proxy.cut();
            }
            producing.get(60, TimeUnit.SECONDS);
            Set<String> covered = consuming.get(60, TimeUnit.SECONDS);
            assertEquals(MESSAGES, covered.size());
            await("the queue is empty", () -> broker.queueDepth("load") == 0);
        } finally {
            broker.close();
        }
    }

    private static void produce(String url, AtomicInteger sent) {
        try (Connection c = new TernConnectionFactory(url).createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer p = s.createProducer(s.createQueue("load"));
            for (int i = 0; i < MESSAGES; i++) {
                p.send(s.createTextMessage("m" + i));
                sent.incrementAndGet();
            }
        } catch (JMSException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Set<String> consume(String url, AtomicInteger consumed) {
        Set<String> acknowledged = new HashSet<>();
        Set<String> refused = new HashSet<>();
        try (Connection c = new TernConnectionFactory(url).createConnection()) {
            c.start();
            Session s = c.createSession(false, Session.CLIENT_ACKNOWLEDGE);
            MessageConsumer consumer = s.createConsumer(s.createQueue("load"));
            while (true) {
                boolean allSeen = acknowledged.size() == MESSAGES && refused.isEmpty();
                Message m = consumer.receive(allSeen ? 1_000 : 30_000);
                if (m == null) {
                    if (allSeen) {
                        return acknowledged;
                    }
                    throw new AssertionError("nothing more after " + acknowledged.size() + " acknowledged; still to"
                            + " come again: " + refused);
                }
                String text = ((TextMessage) m).getText();
                assertFalse(acknowledged.contains(text), text + " came again after its acknowledge returned");
                if (refused.remove(text)) {
                    assertTrue(m.getJMSRedelivered(), text + " came again unflagged");
                }
                try {
                    m.acknowledge();
                    acknowledged.add(text);
                    consumed.incrementAndGet();
                } catch (JMSException e) {
                    assertFalse(e instanceof AcknowledgeOutcomeUnknownException, e.getMessage());
                    refused.add(text);
                }
            }
        } catch (JMSException e) {
            throw new IllegalStateException(e);
        }
    }
}
