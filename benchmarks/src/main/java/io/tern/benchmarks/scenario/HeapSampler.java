package io.tern.benchmarks.scenario;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The highest heap use this JVM (broker and client together) reached while sampling, read from the
 * {@link MemoryMXBean} every few milliseconds. Heap use includes garbage not yet collected, so the
 * peak depends on the collector as well as on what the broker keeps.
 */
final class HeapSampler implements AutoCloseable {

    private static final long INTERVAL_MILLIS = 5;

    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    private final AtomicLong peak = new AtomicLong();
    private final Thread thread;
    private volatile boolean running = true;

    private HeapSampler() {
        thread = new Thread(this::sampleLoop, "bench-heap-sampler");
        thread.setDaemon(true);
    }

    /** Collects garbage (so earlier work does not count), then samples until closed. */
    static HeapSampler start() {
        System.gc();
        HeapSampler sampler = new HeapSampler();
        sampler.thread.start();
        return sampler;
    }

    private void sampleLoop() {
        while (running) {
            sample();
            try {
                Thread.sleep(INTERVAL_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void sample() {
        long used = memory.getHeapMemoryUsage().getUsed();
        peak.accumulateAndGet(used, Math::max);
    }

    long peakBytes() {
        sample();
        return peak.get();
    }

    /** Heap in use after a full collection: what the JVM really keeps at this moment. */
    long retainedBytes() {
        System.gc();
        return memory.getHeapMemoryUsage().getUsed();
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.interrupt();
        thread.join();
    }
}
