package io.tern.jms.api;

import io.tern.broker.Broker;
import io.tern.jms.TestTransport;
import io.tern.testing.Eventually;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

/** Shared helpers of the jakarta.jms API tests: unique broker names, waiting, and closing what a test opened. */
final class ApiTestSupport {

    /** Receive timeout for messages that are expected to arrive. */
    static final long RECEIVE_TIMEOUT = 5_000;
    /** Receive timeout for messages that are expected to be absent. */
    static final long ABSENT_TIMEOUT = 300;

    private ApiTestSupport() {
    }

    /** A broker name no other test of this JVM uses. */
    static String uniqueName(String prefix) {
        return "api-" + prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** A started broker on the in-memory store, with a unique name. */
    static Broker startBroker(String prefix) {
        return TestTransport.brokerBuilder().name(uniqueName(prefix)).persistent(false).build().start();
    }

    /** Waits (up to 10 s) for a condition, failing with {@code what} when it never holds. */
    static void await(String what, BooleanSupplier condition) {
        Eventually.await(what, Duration.ofSeconds(10), condition);
    }

    /**
     * Waits (up to 10 s) for a count to settle: to read the same twice {@link #ABSENT_TIMEOUT} ms apart, and
     * returns it. This is how a test sees that a producer is held back, whatever its thread does meanwhile
     * (over tcp every synchronous send waits for its receipt, so a waiting thread is no sign of being held).
     */
    static int awaitSettled(String what, IntSupplier count) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        int last = count.getAsInt();
        while (true) {
            try {
                Thread.sleep(ABSENT_TIMEOUT);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted waiting for " + what + " to settle");
            }
            int now = count.getAsInt();
            if (now == last) {
                return now;
            }
            if (System.nanoTime() > deadline) {
                fail("timed out waiting for " + what + " to settle, still changing at " + now);
            }
            last = now;
        }
    }

    /** Waits for a thread to be parked (WAITING or TIMED_WAITING), as a sign that it blocked. */
    static void awaitBlocked(Thread t) {
        await(t.getName() + " to block", () -> t.getState() == Thread.State.WAITING
                || t.getState() == Thread.State.TIMED_WAITING);
    }

    static Message receiveExpected(MessageConsumer consumer) throws JMSException {
        Message m = consumer.receive(RECEIVE_TIMEOUT);
        assertNotNull(m, "expected a message within " + RECEIVE_TIMEOUT + " ms");
        return m;
    }

    /** Closes what a test opened, in reverse order, and the brokers last. */
    static final class Resources implements AutoCloseable {
        private final List<AutoCloseable> opened = new ArrayList<>();

        <T extends AutoCloseable> T add(T resource) {
            opened.add(resource);
            return resource;
        }

        Connection started(Connection c) throws JMSException {
            add(c);
            c.start();
            return c;
        }

        @Override
        public void close() {
            for (int i = opened.size() - 1; i >= 0; i--) {
                try {
                    opened.get(i).close();
                } catch (Exception e) {
                    // best effort: a test that failed may leave things half open
                }
            }
            opened.clear();
        }
    }
}
