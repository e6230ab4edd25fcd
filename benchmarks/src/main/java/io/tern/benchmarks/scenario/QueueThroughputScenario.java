package io.tern.benchmarks.scenario;

import jakarta.jms.ConnectionFactory;
import jakarta.jms.DeliveryMode;

import java.util.List;

/**
 * Producers and consumers on one queue at the same time. The rate is messages per second from the
 * moment the producers start until the consumers have received every message. The client reaches the
 * broker in-VM or over the broker's own network transport on loopback.
 */
public final class QueueThroughputScenario implements Scenario {

    private static final Metric RATE = Metric.rate("rate", "throughput", "msgs/s");

    private final int producers;
    private final int consumers;
    private final boolean persistent;
    private final Transport transport;

    private QueueThroughputScenario(int producers, int consumers, boolean persistent, Transport transport) {
        this.producers = producers;
        this.consumers = consumers;
        this.persistent = persistent;
        this.transport = transport;
    }

    public static QueueThroughputScenario persistent(int producers, int consumers) {
        return new QueueThroughputScenario(producers, consumers, true, Transport.IN_VM);
    }

    public static QueueThroughputScenario nonPersistent(int producers, int consumers) {
        return new QueueThroughputScenario(producers, consumers, false, Transport.IN_VM);
    }

    /** Persistent, with every client on its own connection over the broker's network transport on loopback. */
    public static QueueThroughputScenario persistentOverTcp(int producers, int consumers) {
        return new QueueThroughputScenario(producers, consumers, true, Transport.TCP_LOOPBACK);
    }

    @Override
    public String id() {
        return (transport == Transport.TCP_LOOPBACK ? "tcp-" : "")
                + (persistent ? "persistent" : "non-persistent") + "-queue-" + producers + "x" + consumers;
    }

    @Override
    public String title() {
        return (persistent ? "Persistent" : "Non-persistent") + " queue"
                + (transport == Transport.TCP_LOOPBACK ? " over tcp:// loopback" : "") + ", " + producers
                + " producer" + (producers == 1 ? "" : "s") + " + " + consumers + " consumer"
                + (consumers == 1 ? "" : "s");
    }

    @Override
    public Transport transport() {
        return transport;
    }

    @Override
    public boolean persistent() {
        return persistent;
    }

    @Override
    public List<Metric> metrics() {
        return List.of(RATE);
    }

    @Override
    public void run(ConnectionFactory factory, Workload workload, Measurements out) throws Exception {
        Payload payload = new Payload(workload.payloadBytes());
        pass(factory, DestinationName.queue("bench.warmup"), workload.warmupMessages(), payload);
        int messages = persistent ? workload.messages() : workload.bulkMessages();
        long nanos = pass(factory, DestinationName.queue("bench.measured"), messages, payload);
        out.put(RATE, Measurements.perSecond(messages, nanos));
    }

    private long pass(ConnectionFactory factory, DestinationName queue, int messages, Payload payload)
            throws Exception {
        int deliveryMode = persistent ? DeliveryMode.PERSISTENT : DeliveryMode.NON_PERSISTENT;
        try (CountingConsumers receivers = CountingConsumers.start(factory, queue, consumers, messages);
             ProducerThreads senders = ProducerThreads.prepare(factory, queue, producers, messages, deliveryMode,
                     payload)) {
            long start = senders.go();
            senders.awaitSent();
            return receivers.awaitAll() - start;
        }
    }
}
