package io.tern.benchmarks.scenario;

import jakarta.jms.ConnectionFactory;
import jakarta.jms.DeliveryMode;

import java.util.List;

/**
 * One producer publishing non-persistent messages to a topic with several non-durable subscribers.
 * The rate counts published messages per second, each delivered to every subscriber, from the first
 * send until the last subscriber has the last message.
 */
public final class TopicFanOutScenario implements Scenario {

    private static final Metric RATE = Metric.rate("rate", "published (each to every subscriber)", "msgs/s");

    private final int subscribers;

    public TopicFanOutScenario(int subscribers) {
        this.subscribers = subscribers;
    }

    @Override
    public String id() {
        return "topic-fan-out-1x" + subscribers;
    }

    @Override
    public String title() {
        return "Topic fan-out, 1 producer, " + subscribers + " non-durable subscribers, non-persistent";
    }

    @Override
    public boolean persistent() {
        return false;
    }

    @Override
    public List<Metric> metrics() {
        return List.of(RATE);
    }

    @Override
    public void run(ConnectionFactory factory, Workload workload, Measurements out) throws Exception {
        Payload payload = new Payload(workload.payloadBytes());
        pass(factory, DestinationName.topic("bench.warmup"), workload.warmupMessages(), payload);
        long nanos = pass(factory, DestinationName.topic("bench.measured"), workload.bulkMessages(), payload);
        out.put(RATE, Measurements.perSecond(workload.bulkMessages(), nanos));
    }

    private long pass(ConnectionFactory factory, DestinationName topic, int messages, Payload payload)
            throws Exception {
        try (CountingConsumers receivers = CountingConsumers.start(factory, topic, subscribers,
                (long) messages * subscribers);
             ProducerThreads sender = ProducerThreads.prepare(factory, topic, 1, messages,
                     DeliveryMode.NON_PERSISTENT, payload)) {
            long start = sender.go();
            sender.awaitSent();
            return receivers.awaitAll() - start;
        }
    }
}
