package io.tern.store.kahadb;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.jms.TransactionRolledBackException;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The application the failover tests run against a broker they kill: plain and transacted producers and
 * client-acknowledging and transacted consumers on one queue, each on its own connection from one
 * connection factory (a {@code failover:} URL), each message with a unique {@code uid} property. Each worker
 * behaves as a careful application would: an exception from a send, commit or acknowledge is recorded, the
 * messages it covered are not counted, and work goes on in the same session; a transaction that failed is
 * rolled back and its messages are not sent again (the next transaction has new IDs). Only when the
 * connection itself is lost (its ExceptionListener called) does a worker open a new one, which a failover
 * connection should never need.
 *
 * <p>Each worker's JMS objects belong to its own thread; the test thread only starts and stops them.
 */
final class FailoverWorkload implements AutoCloseable {

    static final String QUEUE = "failover.work";
    private static final long RECEIVE_TIMEOUT_MS = 200;
    private static final long DRAIN_QUIET_MS = 3_000;

    private final List<Worker> producers;
    private final List<Worker> consumers;

    private FailoverWorkload(List<Worker> producers, List<Worker> consumers) {
        this.producers = producers;
        this.consumers = consumers;
    }

    /** Starts two plain and two transacted producers, two client-acknowledging and two transacted consumers. */
    static FailoverWorkload start(ConnectionFactory factory, FailoverLedger ledger) {
        List<Worker> producers = List.of(new PlainProducer("plain-producer-1", factory, ledger),
                new PlainProducer("plain-producer-2", factory, ledger),
                new TransactedProducer("tx-producer-1", factory, ledger),
                new TransactedProducer("tx-producer-2", factory, ledger));
        List<Worker> consumers = List.of(new ClientAckConsumer("client-ack-consumer-1", factory, ledger),
                new ClientAckConsumer("client-ack-consumer-2", factory, ledger),
                new TransactedConsumer("tx-consumer-1", factory, ledger),
                new TransactedConsumer("tx-consumer-2", factory, ledger));
        FailoverWorkload load = new FailoverWorkload(producers, consumers);
        consumers.forEach(Worker::start);
        producers.forEach(Worker::start);
        return load;
    }

    void stopProducers() throws InterruptedException {
        stop(producers);
    }

    /** Stops the consumers; what they received and did not acknowledge goes back to the queue. */
    void stopConsumers() throws InterruptedException {
        stop(consumers);
    }

    private static void stop(List<Worker> workers) throws InterruptedException {
        workers.forEach(w -> w.stopping = true);
        for (Worker w : workers) {
            w.thread.join(TimeUnit.SECONDS.toMillis(60));
            if (w.thread.isAlive()) {
                throw new AssertionError(w.name + " did not stop within 60 s; it is at:\n" + Arrays.stream(
                        w.thread.getStackTrace()).map(e -> "    at " + e).collect(Collectors.joining("\n")));
            }
        }
    }

    /**
     * Receives everything left on the queue with a new client-acknowledging consumer (through the same factory),
     * acknowledging every 100 messages, until nothing comes for {@value #DRAIN_QUIET_MS} ms. Nothing is killed
     * meanwhile, so any exception fails the test. (Not transacted, so that a broken commit shows up in the
     * workers' figures rather than hiding what is left on the queue.)
     */
    static void drain(ConnectionFactory factory, FailoverLedger ledger) throws JMSException {
        try (Connection c = factory.createConnection()) {
            c.start();
            Session s = c.createSession(false, Session.CLIENT_ACKNOWLEDGE);
            MessageConsumer consumer = s.createConsumer(s.createQueue(QUEUE));
            List<String> batch = new ArrayList<>();
            Message last = null;
            while (true) {
                Message m = consumer.receive(DRAIN_QUIET_MS);
                if (m != null) {
                    String uid = m.getStringProperty("uid");
                    ledger.delivered("drain", uid, m.getJMSRedelivered());
                    batch.add(uid);
                    last = m;
                }
                if (last != null && (m == null || batch.size() == 100)) {
                    last.acknowledge();
                    ledger.drained(batch);
                    batch.clear();
                    last = null;
                }
                if (m == null) {
                    return;
                }
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop(producers);
        stop(consumers);
    }

    /** One application thread with its own connection. */
    private abstract static class Worker implements Runnable {

        final String name;
        private final ConnectionFactory factory;
        final FailoverLedger ledger;
        final Thread thread;
        volatile boolean stopping;
        /** Set by the connection's ExceptionListener: the connection is gone for good. */
        private volatile boolean connectionLost;
        private Connection connection;

        Worker(String name, ConnectionFactory factory, FailoverLedger ledger) {
            this.name = name;
            this.factory = factory;
            this.ledger = ledger;
            this.thread = new Thread(this, name);
        }

        void start() {
            thread.start();
        }

        @Override
        public void run() {
            while (!stopping) {
                try {
                    if (connection == null) {
                        open();
                    }
                    step();
                } catch (JMSException | RuntimeException e) {
                    if (connection == null) {
                        ledger.exception(name, "connect", e);
                        pause();
                    } else {
                        failed(e);
                        if (connectionLost) {
                            closeConnection();
                            ledger.applicationReconnect();
                        } else {
                            // As an application would, rather than spin on a session that fails at once.
                            pause();
                        }
                    }
                }
            }
            closeConnection();
        }

        private void open() throws JMSException {
            connectionLost = false;
            Connection c = factory.createConnection();
            try {
                c.setExceptionListener(e -> connectionLost = true);
                c.start();
                opened(c);
            } catch (JMSException | RuntimeException e) {
                c.close();
                throw e;
            }
            connection = c;
        }

        private void closeConnection() {
            Connection c = connection;
            connection = null;
            if (c != null) {
                try {
                    c.close();
                } catch (JMSException | RuntimeException e) {
                    ledger.exception(name, "close", e);
                }
            }
        }

        private void pause() {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stopping = true;
            }
        }

        /** Creates this worker's session and producer or consumer on a new connection. */
        abstract void opened(Connection c) throws JMSException;

        /** One unit of work: a send, a transaction, a receive and perhaps an acknowledgement. */
        abstract void step() throws JMSException;

        /** Accounts for an exception thrown by {@link #step}. */
        abstract void failed(Exception e);
    }

    private static final class PlainProducer extends Worker {

        private Session session;
        private MessageProducer producer;
        private long next;
        private String inFlight;

        PlainProducer(String name, ConnectionFactory factory, FailoverLedger ledger) {
            super(name, factory, ledger);
        }

        @Override
        void opened(Connection c) throws JMSException {
            session = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            producer = session.createProducer(session.createQueue(QUEUE));
        }

        @Override
        void step() throws JMSException {
            String uid = name + "-" + ++next;
            TextMessage m = session.createTextMessage(uid);
            m.setStringProperty("uid", uid);
            ledger.attempt(uid);
            inFlight = uid;
            producer.send(m);
            inFlight = null;
            ledger.sent(List.of(uid));
        }

        @Override
        void failed(Exception e) {
            if (inFlight != null) {
                ledger.sendFailed(List.of(inFlight), name, e);
                inFlight = null;
            } else {
                ledger.exception(name, "create message", e);
            }
        }
    }

    private static final class TransactedProducer extends Worker {

        private static final int BATCH = 3;
        private Session session;
        private MessageProducer producer;
        private long next;
        private final List<String> batch = new ArrayList<>();

        TransactedProducer(String name, ConnectionFactory factory, FailoverLedger ledger) {
            super(name, factory, ledger);
        }

        @Override
        void opened(Connection c) throws JMSException {
            session = c.createSession(true, Session.SESSION_TRANSACTED);
            producer = session.createProducer(session.createQueue(QUEUE));
        }

        @Override
        void step() throws JMSException {
            for (int i = 0; i < BATCH; i++) {
                String uid = name + "-" + ++next;
                TextMessage m = session.createTextMessage(uid);
                m.setStringProperty("uid", uid);
                ledger.attempt(uid);
                batch.add(uid);
                producer.send(m);
            }
            session.commit();
            ledger.sent(batch);
            batch.clear();
        }

        /** The transaction's messages are not counted; it is rolled back and the next one has new IDs. */
        @Override
        void failed(Exception e) {
            ledger.sendFailed(batch, name, e);
            batch.clear();
            if (!(e instanceof TransactionRolledBackException)) {
                try {
                    session.rollback();
                } catch (JMSException | RuntimeException r) {
                    ledger.exception(name, "rollback", r);
                }
            }
        }
    }

    private static final class ClientAckConsumer extends Worker {

        private static final int ACK_EVERY = 5;
        private MessageConsumer consumer;
        private final List<String> unacknowledged = new ArrayList<>();
        private Message last;
        private boolean acknowledging;

        ClientAckConsumer(String name, ConnectionFactory factory, FailoverLedger ledger) {
            super(name, factory, ledger);
        }

        @Override
        void opened(Connection c) throws JMSException {
            Session session = c.createSession(false, Session.CLIENT_ACKNOWLEDGE);
            consumer = session.createConsumer(session.createQueue(QUEUE));
            unacknowledged.clear();
        }

        @Override
        void step() throws JMSException {
            Message m = consumer.receive(RECEIVE_TIMEOUT_MS);
            if (m != null) {
                String uid = m.getStringProperty("uid");
                ledger.delivered(name, uid, m.getJMSRedelivered());
                unacknowledged.add(uid);
                last = m;
            }
            if (!unacknowledged.isEmpty() && (unacknowledged.size() >= ACK_EVERY || m == null)) {
                acknowledging = true;
                last.acknowledge();
                acknowledging = false;
                ledger.consumed(name, unacknowledged);
                unacknowledged.clear();
            }
        }

        /**
         * A failed acknowledge leaves its messages unconsumed (they must come back); after a failed receive the
         * messages received before stay to be acknowledged, or not, by the next acknowledge.
         */
        @Override
        void failed(Exception e) {
            if (acknowledging) {
                acknowledging = false;
                ledger.consumeFailed(name, unacknowledged, e);
                unacknowledged.clear();
            } else {
                ledger.exception(name, "receive", e);
            }
        }
    }

    private static final class TransactedConsumer extends Worker {

        private static final int COMMIT_EVERY = 3;
        private Session session;
        private MessageConsumer consumer;
        private final List<String> uncommitted = new ArrayList<>();
        private boolean committing;

        TransactedConsumer(String name, ConnectionFactory factory, FailoverLedger ledger) {
            super(name, factory, ledger);
        }

        @Override
        void opened(Connection c) throws JMSException {
            session = c.createSession(true, Session.SESSION_TRANSACTED);
            consumer = session.createConsumer(session.createQueue(QUEUE));
            uncommitted.clear();
        }

        @Override
        void step() throws JMSException {
            Message m = consumer.receive(RECEIVE_TIMEOUT_MS);
            if (m != null) {
                String uid = m.getStringProperty("uid");
                ledger.delivered(name, uid, m.getJMSRedelivered());
                uncommitted.add(uid);
            }
            if (!uncommitted.isEmpty() && (uncommitted.size() >= COMMIT_EVERY || m == null)) {
                committing = true;
                session.commit();
                committing = false;
                ledger.consumed(name, uncommitted);
                uncommitted.clear();
            }
        }

        /** A failed commit is rolled back: its messages must come back. A failed receive leaves it to the commit. */
        @Override
        void failed(Exception e) {
            if (committing) {
                committing = false;
                ledger.consumeFailed(name, uncommitted, e);
                uncommitted.clear();
                if (!(e instanceof TransactionRolledBackException)) {
                    try {
                        session.rollback();
                    } catch (JMSException | RuntimeException r) {
                        ledger.exception(name, "rollback", r);
                    }
                }
            } else {
                ledger.exception(name, "receive", e);
            }
        }
    }
}
