package io.tern.benchmarks.scenario;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.DeliveryMode;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;

import java.util.List;

/**
 * One producer on a transacted session sending persistent messages and committing every
 * {@code batch} messages, with no consumer. The rate counts committed messages per second.
 */
public final class TransactedProducerScenario implements Scenario {

    private static final Metric RATE = Metric.rate("rate", "committed", "msgs/s");

    private final int batch;

    public TransactedProducerScenario(int batch) {
        this.batch = batch;
    }

    @Override
    public String id() {
        return "transacted-producer-" + batch;
    }

    @Override
    public String title() {
        return "Transacted producer, persistent, commit every " + batch;
    }

    @Override
    public boolean persistent() {
        return true;
    }

    @Override
    public List<Metric> metrics() {
        return List.of(RATE);
    }

    @Override
    public void run(ConnectionFactory factory, Workload workload, Measurements out) throws Exception {
        Payload payload = new Payload(workload.payloadBytes());
        try (Connection connection = factory.createConnection()) {
            Session session = connection.createSession(true, Session.SESSION_TRANSACTED);
            MessageProducer producer = session.createProducer(session.createQueue("bench.transacted"));
            producer.setDeliveryMode(DeliveryMode.PERSISTENT);
            send(session, producer, payload, workload.warmupMessages());
            long start = System.nanoTime();
            int sent = send(session, producer, payload, workload.bulkMessages());
            out.put(RATE, Measurements.perSecond(sent, System.nanoTime() - start));
        }
    }

    /** Sends at least {@code messages}, rounded up to whole transactions; returns how many. */
    private int send(Session session, MessageProducer producer, Payload payload, int messages) throws Exception {
        int transactions = Math.max(1, (messages + batch - 1) / batch);
        for (int t = 0; t < transactions; t++) {
            for (int i = 0; i < batch; i++) {
                producer.send(payload.newMessage(session));
            }
            session.commit();
        }
        return transactions * batch;
    }
}
