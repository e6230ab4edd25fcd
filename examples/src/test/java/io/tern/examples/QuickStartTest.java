package io.tern.examples;

import io.tern.broker.Broker;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The quick start does what its output says, and leaves no broker and no thread running. */
class QuickStartTest {

    @Test
    void runsToTheEndAndStopsEveryTernThread() throws Exception {
        Set<Thread> before = Thread.getAllStackTraces().keySet();
        String output = runQuickStart();

        for (int i = 1; i <= 3; i++) {
            assertTrue(output.contains("Received from queue 'orders': order #" + i), output);
        }
        assertTrue(output.contains("Queue 'orders': 3 enqueued, 3 dequeued, 0 left"), output);
        for (String subscriber : List.of("dashboard", "audit")) {
            for (String price : List.of("TERN 10.00", "TERN 10.25")) {
                assertTrue(output.contains("Subscriber " + subscriber + " got " + price), output);
            }
        }
        assertTrue(output.contains("Closed the connection and the broker."), output);
        assertTrue(Broker.running("quickstart").isEmpty(), "the broker was stopped");
        assertEquals(List.of(), ternThreadsStillAliveAfterAShortWait(before));
    }

    private static String runQuickStart() throws Exception {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            QuickStart.main(new String[0]);
        } finally {
            System.setOut(original);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }

    /**
     * Tern threads the quick start started (not those of other tests) that are still alive; they may take
     * a moment to finish after their executor was shut down.
     */
    private static List<String> ternThreadsStillAliveAfterAShortWait(Set<Thread> before) throws InterruptedException {
        List<String> live = List.of();
        for (int attempt = 0; attempt < 50; attempt++) {
            live = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.isAlive() && !before.contains(t))
                    .map(Thread::getName)
                    .filter(name -> name.startsWith("tern-"))
                    .sorted()
                    .toList();
            if (live.isEmpty()) {
                return live;
            }
            Thread.sleep(20);
        }
        return live;
    }
}
