package io.tern.store.kahadb;

import io.tern.broker.Broker;
import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * JMSRedelivered after kill -9: a message handed to a consumer and not acknowledged comes back flagged
 * redelivered, though the broker never had the chance to record a delivery count for it (its dispatch
 * mark, written ahead of dispatch, says it may have been delivered); messages well past the mark were
 * never dispatched and come back unflagged.
 */
class DispatchedCrashTest {

    private static final int COUNT = 1000;
    private static final int RECEIVED = 5;

    @TempDir
    Path directory;

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void deliveredUnacknowledgedMessagesComeBackRedeliveredAfterKillMinusNine() throws Exception {
        Path store = directory.resolve("store");
        Path log = Path.of("target", "crash-logs", "dispatched-" + System.nanoTime() + ".log");
        Files.createDirectories(log.getParent());
        Set<Integer> receivedBefore = new HashSet<>();
        try (ChildJvm child = ChildJvm.start(log, List.of("-Xmx256m"), DispatchedCrashChild.class, store.toString(),
                String.valueOf(COUNT), String.valueOf(RECEIVED))) {
            for (String line = child.nextLine(120, TimeUnit.SECONDS); !"READY".equals(line);
                    line = child.nextLine(120, TimeUnit.SECONDS)) {
                if (line == null) {
                    fail("the child ended before it was ready; see " + log.toAbsolutePath());
                }
                if (line.startsWith("R ")) {
                    receivedBefore.add(Integer.parseInt(line.split(" ")[1]));
                }
            }
            child.kill();
        }
        assertEquals(RECEIVED, receivedBefore.size());

        List<Integer> flagged = new ArrayList<>();
        List<Integer> all = new ArrayList<>();
        try (Broker broker = DispatchedCrashChild.broker(store).start();
             Connection c = broker.connectionFactory().createConnection()) {
            c.start();
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = s.createConsumer(s.createQueue(DispatchedCrashChild.QUEUE));
            for (int i = 0; i < COUNT; i++) {
                Message m = consumer.receive(10_000);
                assertNotNull(m, "message " + (i + 1) + " of " + COUNT);
                int n = m.getIntProperty("n");
                all.add(n);
                if (m.getJMSRedelivered()) {
                    flagged.add(n);
                    assertEquals(2, m.getIntProperty("JMSXDeliveryCount"), "message " + n);
                } else {
                    assertEquals(1, m.getIntProperty("JMSXDeliveryCount"), "message " + n);
                }
            }
        }
        assertEquals(COUNT, new HashSet<>(all).size(), "every message once");
        assertTrue(flagged.containsAll(receivedBefore), "received before the kill " + receivedBefore
                + " must come back redelivered; flagged: " + flagged);
        assertTrue(flagged.stream().allMatch(n -> n <= COUNT / 2), "messages far past the dispatch mark were never"
                + " dispatched and are not flagged; flagged: " + flagged);
    }
}
