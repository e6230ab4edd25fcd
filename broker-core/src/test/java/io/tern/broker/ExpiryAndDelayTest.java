package io.tern.broker;

import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Expiry (at dispatch and by the sweep) and delivery delay, with a clock the test moves. */
class ExpiryAndDelayTest {

    private final MutableClock clock = new MutableClock();
    private Broker broker;

    @AfterEach
    void closeBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    private Connection start(Broker.Builder builder) throws Exception {
        broker = builder.persistent(false).clock(clock).build().start();
        Connection c = broker.connectionFactory().createConnection();
        c.start();
        return c;
    }

    @Test
    void anExpiredMessageIsNeverDeliveredAndGoesToTheExpiryQueue() throws Exception {
        try (Connection c = start(Broker.builder().name("expiry-dispatch"))) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue q = s.createQueue("q");
            MessageProducer p = s.createProducer(q);
            p.setTimeToLive(60_000);
            p.send(s.createTextMessage("short-lived"));
            p.setTimeToLive(0);
            p.send(s.createTextMessage("forever"));
            clock.advance(120_000);
            MessageConsumer consumer = s.createConsumer(q);
            TextMessage m = (TextMessage) consumer.receive(5000);
            assertEquals("forever", m.getText());
            assertNull(consumer.receive(200));
            TextMessage expired = (TextMessage) s.createConsumer(s.createQueue("ExpiryQueue")).receive(5000);
            assertNotNull(expired);
            assertEquals("short-lived", expired.getText());
            assertEquals("queue://q", expired.getStringProperty("JMS_Tern_OriginalDestination"));
            assertEquals(0, expired.getJMSExpiration(), "the copy does not expire again");
            assertTrue(expired.getLongProperty("JMS_Tern_OriginalExpiration") > 0);
            assertEquals(1, broker.queueExpiredCount("q"));
        }
    }

    @Test
    void theSweepFindsExpiredMessagesWithoutAConsumer() throws Exception {
        try (Connection c = start(Broker.builder().name("expiry-sweep").expirySweepInterval(Duration.ofMillis(50)))) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer p = s.createProducer(s.createQueue("idle"));
            p.setTimeToLive(1_000);
            for (int i = 0; i < 5; i++) {
                p.send(s.createTextMessage("m" + i), DeliveryMode.NON_PERSISTENT, 4, 1_000);
            }
            assertEquals(5, broker.queueDepth("idle"));
            clock.advance(5_000);
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (broker.queueDepth("idle") > 0 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertEquals(0, broker.queueDepth("idle"));
            assertEquals(5, broker.queueExpiredCount("idle"));
        }
    }

    @Test
    void expiredMessagesAreDiscardedWhenThereIsNoExpiryQueue() throws Exception {
        try (Connection c = start(Broker.builder().name("expiry-discard").expiryQueue(null))) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer p = s.createProducer(s.createQueue("q"));
            p.setTimeToLive(1_000);
            p.send(s.createTextMessage("x"));
            clock.advance(5_000);
            assertNull(s.createConsumer(s.createQueue("q")).receive(300));
            assertTrue(broker.queueNames().stream().noneMatch("ExpiryQueue"::equals), broker.queueNames().toString());
        }
    }

    @Test
    void aDelayedPersistentMessageKeepsItsDeliveryTimeAcrossARestart() throws Exception {
        io.tern.store.memory.MemoryPersistenceAdapter store = new io.tern.store.memory.MemoryPersistenceAdapter();
        broker = Broker.builder().name("delay-restart").store(store).clock(clock).build().start();
        try (Connection c = broker.connectionFactory().createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer p = s.createProducer(s.createQueue("later"));
            p.setDeliveryDelay(60_000);
            p.send(s.createTextMessage("after a minute"));
        }
        broker.stop();
        broker.start();
        try (Connection c = broker.connectionFactory().createConnection()) {
            c.start();
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = s.createConsumer(s.createQueue("later"));
            assertNull(consumer.receive(300), "still not due after the restart");
            clock.advance(61_000);
            TextMessage m = (TextMessage) consumer.receive(5000);
            assertNotNull(m, "due once the clock passed its delivery time");
            assertEquals("after a minute", m.getText());
        }
    }

    @Test
    void aDelayedMessageWaitsForItsDeliveryTimeAndOthersOvertakeIt() throws Exception {
        try (Connection c = start(Broker.builder().name("delay"))) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue q = s.createQueue("q");
            MessageProducer p = s.createProducer(q);
            p.setDeliveryDelay(60_000);
            p.send(s.createTextMessage("later"));
            p.setDeliveryDelay(0);
            p.send(s.createTextMessage("now"));
            MessageConsumer consumer = s.createConsumer(q);
            assertEquals("now", ((TextMessage) consumer.receive(5000)).getText());
            assertNull(consumer.receive(300));
            clock.advance(61_000);
            Message later = consumer.receive(5000);
            assertNotNull(later, "due after the clock moved (found by the broker's schedule check)");
            assertEquals("later", ((TextMessage) later).getText());
            assertTrue(later.getJMSDeliveryTime() > later.getJMSTimestamp());
        }
    }
}
