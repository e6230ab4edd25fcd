package io.tern.junit5;

import jakarta.jms.TextMessage;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A static field: one broker for the whole class, so what one test leaves the next one sees. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PerClassBrokerTest {

    @RegisterExtension
    static TernBroker broker = TernBroker.create();

    private static String firstTestBrokerName;

    @Test
    @Order(1)
    void firstTestLeavesAMessage() throws Exception {
        firstTestBrokerName = broker.brokerName();
        broker.sendText("left-behind", "from the first test");
        assertEquals(1, broker.queueDepth("left-behind"));
    }

    @Test
    @Order(2)
    void secondTestRunsOnTheSameBrokerAndSeesIt() throws Exception {
        assertEquals(firstTestBrokerName, broker.brokerName());
        assertTrue(broker.broker().isStarted());
        assertEquals(1, broker.queueDepth("left-behind"));
        TextMessage m = (TextMessage) broker.waitForMessage("left-behind", Duration.ofSeconds(5));
        assertEquals("from the first test", m.getText());
    }
}
