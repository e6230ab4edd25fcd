package io.tern.junit5;

import io.tern.broker.Broker;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** An instance field: every test gets a fresh broker, and the previous one is gone. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PerTestBrokerTest {

    @RegisterExtension
    TernBroker broker = TernBroker.create().queue("work");

    private static String firstTestBrokerName;

    @Test
    @Order(1)
    void firstTestLeavesMessagesAndAQueueOfItsOwn() throws Exception {
        firstTestBrokerName = broker.brokerName();
        broker.sendText("work", "left behind");
        broker.sendText("made-by-first-test", "left behind");
        assertEquals(1, broker.queueDepth("work"));
        assertTrue(broker.broker().queueNames().contains("made-by-first-test"));
    }

    @Test
    @Order(2)
    void secondTestGetsAnEmptyBrokerOfItsOwn() throws Exception {
        assertNotNull(firstTestBrokerName, "the first test ran first");
        assertNotEquals(firstTestBrokerName, broker.brokerName());
        assertTrue(Broker.running(firstTestBrokerName).isEmpty(), "the first test's broker was stopped");

        assertEquals(0, broker.queueDepth("work"));
        assertTrue(broker.broker().queueNames().contains("work"), "configured queues exist in every broker");
        assertFalse(broker.broker().queueNames().contains("made-by-first-test"));
        assertNull(broker.receive("work", Duration.ofMillis(100)));
    }
}
