package io.tern.benchmarks.scenario;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.DeliveryMode;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import org.HdrHistogram.Histogram;

import java.util.List;

/**
 * One producer sending persistent messages one after another, with no consumer, so every send waits for
 * its own trip to the store. Each {@code send} is timed into an HdrHistogram.
 */
public final class SendLatencyScenario implements Scenario {

    private static final Metric RATE = Metric.rate("rate", "sends", "msgs/s");
    private static final Metric P50 = Metric.cost("p50", "latency p50", "µs");
    private static final Metric P99 = Metric.cost("p99", "latency p99", "µs");
    private static final Metric P999 = Metric.cost("p99.9", "latency p99.9", "µs");
    private static final Metric MAX = Metric.cost("max", "latency max", "µs");

    @Override
    public String id() {
        return "persistent-send-latency";
    }

    @Override
    public String title() {
        return "Synchronous persistent send, 1 producer, no consumer";
    }

    @Override
    public boolean persistent() {
        return true;
    }

    @Override
    public List<Metric> metrics() {
        return List.of(RATE, P50, P99, P999, MAX);
    }

    @Override
    public void run(ConnectionFactory factory, Workload workload, Measurements out) throws Exception {
        Payload payload = new Payload(workload.payloadBytes());
        try (Connection connection = factory.createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer producer = session.createProducer(session.createQueue("bench.latency"));
            producer.setDeliveryMode(DeliveryMode.PERSISTENT);
            for (int i = 0; i < workload.warmupMessages(); i++) {
                producer.send(payload.newMessage(session));
            }
            Histogram histogram = new Histogram(3);
            long start = System.nanoTime();
            for (int i = 0; i < workload.latencySends(); i++) {
                var message = payload.newMessage(session);
                long before = System.nanoTime();
                producer.send(message);
                histogram.recordValue(System.nanoTime() - before);
            }
            long elapsed = System.nanoTime() - start;
            out.put(RATE, Measurements.perSecond(workload.latencySends(), elapsed));
            out.put(P50, micros(histogram.getValueAtPercentile(50)));
            out.put(P99, micros(histogram.getValueAtPercentile(99)));
            out.put(P999, micros(histogram.getValueAtPercentile(99.9)));
            out.put(MAX, micros(histogram.getMaxValue()));
        }
    }

    private static double micros(long nanos) {
        return nanos / 1_000.0;
    }
}
