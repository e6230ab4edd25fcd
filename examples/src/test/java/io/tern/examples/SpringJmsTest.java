package io.tern.examples;

import io.tern.broker.Broker;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Spring example does what its output says and stops its broker. */
class SpringJmsTest {

    @Test
    void listenerGetsEveryOrderAndTheRequestIsAnswered() throws Exception {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            SpringJms.main(new String[0]);
        } finally {
            System.setOut(original);
        }
        String output = captured.toString(StandardCharsets.UTF_8);
        for (int i = 1; i <= 3; i++) {
            assertTrue(output.contains("Listener got order #" + i), output);
        }
        assertTrue(output.contains("Reply: TERN costs 10.25"), output);
        assertTrue(output.contains("Closed the containers, the connection and the broker."), output);
        assertTrue(Broker.running("spring").isEmpty(), "the broker was stopped");
    }
}
