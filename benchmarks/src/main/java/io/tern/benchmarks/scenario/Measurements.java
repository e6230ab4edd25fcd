package io.tern.benchmarks.scenario;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** The figures one scenario run produced, by metric id. */
public final class Measurements {

    private final Map<String, Double> values = new LinkedHashMap<>();

    public void put(Metric metric, double value) {
        values.put(metric.id(), value);
    }

    public Map<String, Double> values() {
        return Collections.unmodifiableMap(values);
    }

    /** Messages per second for {@code count} messages handled in {@code nanos}. */
    public static double perSecond(long count, long nanos) {
        return count * 1_000_000_000.0 / Math.max(1, nanos);
    }
}
