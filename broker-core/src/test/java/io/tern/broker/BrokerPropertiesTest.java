package io.tern.broker;

import jakarta.jms.Connection;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Configuration from flat keys: what is accepted, and the errors for what is not. */
class BrokerPropertiesTest {

    @TempDir
    Path dir;

    @Test
    void aPropertiesFileConfiguresTheBrokerItsStoreAndItsPolicies() throws Exception {
        Path file = dir.resolve("broker.properties");
        Files.writeString(file, String.join("\n",
                "broker.name=from-file",
                "broker.persistent=true",
                "store.type=memory",
                "store.memory.limit=16mb",
                "broker.memoryLimit=8mb",
                "broker.flowControl=fail",
                "broker.queues=orders,payments",
                "broker.redelivery.maximumRedeliveries=1",
                "queue.payments.redelivery.maximumRedeliveries=0",
                "queue.payments.redelivery.deadLetterQueue=payments.DLQ",
                "broker.expiryQueue=none"));
        try (Broker broker = BrokerProperties.load(file).start();
             Connection c = broker.connectionFactory().createConnection()) {
            assertEquals("from-file", broker.name());
            assertEquals(8L * 1024 * 1024, broker.memoryLimit());
            assertTrue(broker.queueNames().containsAll(java.util.List.of("orders", "payments")));
            assertEquals(16L * 1024 * 1024, broker.store().usage().limitBytes());
            c.start();
            Session s = c.createSession(false, Session.CLIENT_ACKNOWLEDGE);
            s.createProducer(s.createQueue("payments")).send(s.createTextMessage("p"));
            assertNotNull(s.createConsumer(s.createQueue("payments")).receive(5000));
            s.recover();
            MessageConsumer dlq = s.createConsumer(s.createQueue("payments.DLQ"));
            assertNotNull(dlq.receive(5000), "maximumRedeliveries=0 for payments sends it to payments.DLQ at once");
            assertNull(s.createConsumer(s.createQueue("DLQ")).receive(100));
        }
    }

    @Test
    void unknownKeysAndBadValuesNameTheKeyAndWhatItAccepts() {
        assertMessage(Map.of("broker.nmae", "x"), "broker.nmae: unknown setting");
        assertMessage(Map.of("broker.persistent", "yes"), "broker.persistent: 'yes' is not a boolean");
        assertMessage(Map.of("broker.flowControl", "wait"), "expected block or fail");
        assertMessage(Map.of("broker.memoryLimit", "lots"), "broker.memoryLimit: 'lots' is not a positive size");
        assertMessage(Map.of("broker.redelivery.maximumRedeliveries", "many"),
                "broker.redelivery.maximumRedeliveries: 'many' is not a number");
        assertMessage(Map.of("broker.redelivery.tries", "3"), "unknown redelivery setting 'tries'");
        assertMessage(Map.of("queue.q.redelivery.backOffMultiplier", "0.5"), "queue.q.redelivery.backOffMultiplier");
        assertMessage(Map.of("store.kahadb.directory", "/tmp"), "store settings need store.type");
        assertMessage(Map.of("store.type", "memory", "store.kahadb.directory", "/tmp"),
                "expected keys starting with store.memory.");
    }

    private static void assertMessage(Map<String, String> settings, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BrokerProperties.builder(settings).build());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
