package io.tern.broker;

import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Maximum redeliveries, dead-letter queues and redelivery delays, through jakarta.jms. */
class RedeliveryPolicyTest {

    private Broker broker;

    @AfterEach
    void closeBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    private Connection start(Broker.Builder builder) throws Exception {
        broker = builder.persistent(false).build().start();
        Connection c = broker.connectionFactory().createConnection();
        c.start();
        return c;
    }

    @Test
    void aMessageRolledBackMoreThanMaximumRedeliveriesGoesToTheDeadLetterQueueWithItsOrigin() throws Exception {
        try (Connection c = start(Broker.builder().name("redelivery-dlq")
                .redeliveryPolicy(RedeliveryPolicy.DEFAULT.withMaximumRedeliveries(2)))) {
            Session tx = c.createSession(true, Session.SESSION_TRANSACTED);
            Queue orders = tx.createQueue("orders");
            tx.createProducer(orders).send(tx.createTextMessage("poison"));
            tx.commit();
            MessageConsumer consumer = tx.createConsumer(orders);
            for (int delivery = 1; delivery <= 3; delivery++) {
                Message m = consumer.receive(5000);
                assertNotNull(m, "delivery " + delivery);
                assertEquals(delivery, m.getIntProperty("JMSXDeliveryCount"));
                tx.rollback();
            }
            assertNull(consumer.receive(200), "after 1 delivery and 2 redeliveries the message is gone");

            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            TextMessage dead = (TextMessage) s.createConsumer(s.createQueue("DLQ")).receive(5000);
            assertNotNull(dead);
            assertEquals("poison", dead.getText());
            assertEquals("queue://orders", dead.getStringProperty("JMS_Tern_OriginalDestination"));
            assertTrue(dead.getStringProperty("JMS_Tern_DeadLetterReason").contains("maximumRedeliveries=2"),
                    dead.getStringProperty("JMS_Tern_DeadLetterReason"));
            assertEquals(0, broker.queueDepth("orders"));
            assertEquals(1, broker.queueDeadLetteredCount("orders"));
        }
    }

    @Test
    void aQueueMayHaveItsOwnPolicyAndDeadLetterQueue() throws Exception {
        try (Connection c = start(Broker.builder().name("redelivery-own")
                .queueRedeliveryPolicy("payments", RedeliveryPolicy.DEFAULT.withMaximumRedeliveries(0)
                        .withDeadLetterQueue("payments.DLQ")))) {
            Session s = c.createSession(false, Session.CLIENT_ACKNOWLEDGE);
            Queue payments = s.createQueue("payments");
            Queue other = s.createQueue("other");
            s.createProducer(payments).send(s.createTextMessage("p"));
            s.createProducer(other).send(s.createTextMessage("o"));
            assertNotNull(s.createConsumer(payments).receive(5000));
            MessageConsumer otherConsumer = s.createConsumer(other);
            assertNotNull(otherConsumer.receive(5000));
            s.recover();
            Message again = otherConsumer.receive(5000);
            assertNotNull(again, "the other queue keeps the default policy");
            assertTrue(again.getJMSRedelivered());
            again.acknowledge();
            Session reader = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            assertNotNull(reader.createConsumer(reader.createQueue("payments.DLQ")).receive(5000));
            assertNull(reader.createConsumer(reader.createQueue("DLQ")).receive(200));
        }
    }

    @Test
    void unlimitedRedeliveriesNeverDeadLetter() throws Exception {
        try (Connection c = start(Broker.builder().name("redelivery-unlimited")
                .redeliveryPolicy(RedeliveryPolicy.DEFAULT.withMaximumRedeliveries(-1)))) {
            Session s = c.createSession(false, Session.CLIENT_ACKNOWLEDGE);
            Queue q = s.createQueue("q");
            s.createProducer(q).send(s.createTextMessage("x"));
            MessageConsumer consumer = s.createConsumer(q);
            for (int i = 1; i <= 20; i++) {
                Message m = consumer.receive(5000);
                assertNotNull(m, "delivery " + i);
                assertEquals(i, m.getIntProperty("JMSXDeliveryCount"));
                s.recover();
            }
            assertEquals(0, broker.queueDeadLetteredCount("q"));
        }
    }

    @Test
    void aRedeliveryDelayHoldsTheMessageBackUntilTheClockPassesIt() throws Exception {
        MutableClock clock = new MutableClock();
        try (Connection c = start(Broker.builder().name("redelivery-delay").clock(clock)
                .redeliveryPolicy(RedeliveryPolicy.DEFAULT.withInitialRedeliveryDelay(60_000)))) {
            Session s = c.createSession(false, Session.CLIENT_ACKNOWLEDGE);
            Queue q = s.createQueue("q");
            s.createProducer(q).send(s.createTextMessage("x"));
            MessageConsumer consumer = s.createConsumer(q);
            assertNotNull(consumer.receive(5000));
            s.recover();
            assertNull(consumer.receive(300), "held back for a minute of broker time");
            clock.advance(61_000);
            Message again = consumer.receive(5000);
            assertNotNull(again, "due once the clock passed the delay");
            assertTrue(again.getJMSRedelivered());
        }
    }

    @Test
    void delaysGrowByTheMultiplierUpToTheMaximum() {
        RedeliveryPolicy p = RedeliveryPolicy.DEFAULT.withInitialRedeliveryDelay(100).withBackOffMultiplier(3)
                .withMaximumRedeliveryDelay(1000);
        assertEquals(100, p.delayBefore(1));
        assertEquals(300, p.delayBefore(2));
        assertEquals(900, p.delayBefore(3));
        assertEquals(1000, p.delayBefore(4));
        assertEquals(0, RedeliveryPolicy.DEFAULT.delayBefore(3));
    }

    @Test
    void badPolicySettingsNameTheSetting() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RedeliveryPolicy.DEFAULT.withMaximumRedeliveries(-2));
        assertTrue(e.getMessage().startsWith("maximumRedeliveries"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> RedeliveryPolicy.DEFAULT.withBackOffMultiplier(0.5));
        assertTrue(e.getMessage().startsWith("backOffMultiplier"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> RedeliveryPolicy.DEFAULT.withDeadLetterQueue(" "));
        assertTrue(e.getMessage().startsWith("deadLetterQueue"), e.getMessage());
    }
}
