package io.tern.benchmarks.scenario;

import jakarta.jms.ConnectionFactory;
import jakarta.jms.DeliveryMode;

import java.util.List;

/**
 * A backlog: persistent messages are enqueued while nobody consumes, then one consumer drains them.
 * Reports both rates and the heap of the child JVM (broker and client): its peak while the backlog was
 * built and drained, and what it still held, after a full collection, with the whole backlog queued.
 */
public final class BacklogScenario implements Scenario {

    private static final Metric ENQUEUE = Metric.rate("enqueue", "enqueue, no consumer", "msgs/s");
    private static final Metric DRAIN = Metric.rate("drain", "drain, 1 consumer", "msgs/s");
    private static final Metric PEAK_HEAP = Metric.cost("peak-heap", "peak heap used", "MiB");
    private static final Metric RETAINED_HEAP = Metric.cost("retained-heap", "heap after GC, backlog queued",
            "MiB");

    private final int producers;

    public BacklogScenario(int producers) {
        this.producers = producers;
    }

    @Override
    public String id() {
        return "persistent-backlog";
    }

    @Override
    public String title() {
        return "Persistent backlog, enqueue with " + producers + " producer" + (producers == 1 ? "" : "s")
                + " and no consumer, then drain";
    }

    @Override
    public boolean persistent() {
        return true;
    }

    @Override
    public List<Metric> metrics() {
        return List.of(ENQUEUE, DRAIN, PEAK_HEAP, RETAINED_HEAP);
    }

    @Override
    public void run(ConnectionFactory factory, Workload workload, Measurements out) throws Exception {
        Payload payload = new Payload(workload.payloadBytes());
        backlog(factory, DestinationName.queue("bench.warmup"), workload.warmupMessages(), payload, null);
        backlog(factory, DestinationName.queue("bench.backlog"), workload.backlogMessages(), payload, out);
    }

    private void backlog(ConnectionFactory factory, DestinationName queue, int messages, Payload payload,
                         Measurements out) throws Exception {
        try (HeapSampler heap = HeapSampler.start()) {
            long enqueueNanos;
            try (ProducerThreads senders = ProducerThreads.prepare(factory, queue, producers, messages,
                    DeliveryMode.PERSISTENT, payload)) {
                long start = senders.go();
                enqueueNanos = senders.awaitSent() - start;
            }
            long retained = out == null ? 0 : heap.retainedBytes();
            long drainNanos;
            long start = System.nanoTime();
            try (CountingConsumers receiver = CountingConsumers.start(factory, queue, 1, messages)) {
                drainNanos = receiver.awaitAll() - start;
            }
            if (out != null) {
                out.put(ENQUEUE, Measurements.perSecond(messages, enqueueNanos));
                out.put(DRAIN, Measurements.perSecond(messages, drainNanos));
                out.put(PEAK_HEAP, heap.peakBytes() / (1024.0 * 1024.0));
                out.put(RETAINED_HEAP, retained / (1024.0 * 1024.0));
            }
        }
    }
}
