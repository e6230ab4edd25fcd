package io.tern.benchmarks.scenario;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSException;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Auto-acknowledging consumers, each on its own connection and thread, that count what they receive
 * until all of them together have the expected number of messages. They subscribe before
 * {@link #start} returns, so a producer started afterwards loses nothing, even on a topic.
 */
final class CountingConsumers implements AutoCloseable {

    /** How long a receive waits before the thread checks whether it should stop. */
    private static final long RECEIVE_TIMEOUT_MILLIS = 100;

    private final long expected;
    private final AtomicLong received = new AtomicLong();
    private final CountDownLatch allReceived = new CountDownLatch(1);
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final List<Connection> connections = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean stopping;
    private volatile long lastReceivedNanos;

    private CountingConsumers(long expected) {
        this.expected = expected;
    }

    /** Subscribes {@code consumers} consumers to {@code destination} and starts their threads. */
    static CountingConsumers start(ConnectionFactory factory, DestinationName destination, int consumers,
                                   long expected) throws JMSException {
        CountingConsumers group = new CountingConsumers(expected);
        try {
            for (int i = 0; i < consumers; i++) {
                Connection connection = factory.createConnection();
                group.connections.add(connection);
                Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
                MessageConsumer consumer = session.createConsumer(destination.in(session));
                connection.start();
                Thread thread = new Thread(() -> group.receiveLoop(consumer), "bench-consumer-" + i);
                thread.setDaemon(true);
                group.threads.add(thread);
            }
        } catch (JMSException | RuntimeException e) {
            group.close();
            throw e;
        }
        group.threads.forEach(Thread::start);
        return group;
    }

    private void receiveLoop(MessageConsumer consumer) {
        try {
            while (!stopping) {
                if (consumer.receive(RECEIVE_TIMEOUT_MILLIS) != null && received.incrementAndGet() == expected) {
                    lastReceivedNanos = System.nanoTime();
                    allReceived.countDown();
                }
            }
        } catch (Throwable t) {
            if (!stopping) {
                failure.compareAndSet(null, t);
                allReceived.countDown();
            }
        }
    }

    /** Waits until the expected number of messages arrived; returns {@link System#nanoTime} of the last one. */
    long awaitAll() throws Exception {
        while (!allReceived.await(1, TimeUnit.SECONDS)) {
            // Waiting without bound: the parent JVM enforces the time limit by ending this process.
        }
        Throwable t = failure.get();
        if (t != null) {
            throw new IllegalStateException("a consumer failed after " + received.get() + " of " + expected
                    + " messages", t);
        }
        return lastReceivedNanos;
    }

    @Override
    public void close() throws JMSException {
        stopping = true;
        for (Thread thread : threads) {
            try {
                thread.join(TimeUnit.SECONDS.toMillis(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        for (Connection connection : connections) {
            connection.close();
        }
    }
}
