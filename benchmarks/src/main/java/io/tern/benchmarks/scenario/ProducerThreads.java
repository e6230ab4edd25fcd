package io.tern.benchmarks.scenario;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSException;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Non-transacted producers, each on its own connection and thread, that share out a number of
 * messages. Everything is connected by {@link #prepare}; {@link #go} releases all threads at once, so
 * connection set-up is never part of a measurement.
 */
final class ProducerThreads implements AutoCloseable {

    private final CountDownLatch startSignal = new CountDownLatch(1);
    private final CountDownLatch finished;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final List<Connection> connections = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();

    private ProducerThreads(int producers) {
        finished = new CountDownLatch(producers);
    }

    static ProducerThreads prepare(ConnectionFactory factory, DestinationName destination, int producers,
                                   int messages, int deliveryMode, Payload payload) throws JMSException {
        ProducerThreads group = new ProducerThreads(producers);
        try {
            for (int i = 0; i < producers; i++) {
                Connection connection = factory.createConnection();
                group.connections.add(connection);
                Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
                MessageProducer producer = session.createProducer(destination.in(session));
                producer.setDeliveryMode(deliveryMode);
                int share = messages / producers + (i < messages % producers ? 1 : 0);
                Thread thread = new Thread(() -> group.sendLoop(session, producer, share, payload),
                        "bench-producer-" + i);
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

    private void sendLoop(Session session, MessageProducer producer, int count, Payload payload) {
        try {
            startSignal.await();
            for (int i = 0; i < count && failure.get() == null; i++) {
                producer.send(payload.newMessage(session));
            }
        } catch (Throwable t) {
            failure.compareAndSet(null, t);
        } finally {
            finished.countDown();
        }
    }

    /** Starts every producer now; returns {@link System#nanoTime} at the start. */
    long go() {
        long start = System.nanoTime();
        startSignal.countDown();
        return start;
    }

    /** Waits until every producer has sent its share; returns {@link System#nanoTime} at the end. */
    long awaitSent() throws Exception {
        while (!finished.await(1, TimeUnit.SECONDS)) {
            // Waiting without bound: the parent JVM enforces the time limit by ending this process.
        }
        long end = System.nanoTime();
        Throwable t = failure.get();
        if (t != null) {
            throw new IllegalStateException("a producer failed", t);
        }
        return end;
    }

    @Override
    public void close() throws JMSException {
        startSignal.countDown();
        for (Connection connection : connections) {
            connection.close();
        }
    }
}
