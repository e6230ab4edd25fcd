package io.tern.benchmarks.scenario;

/**
 * One figure a scenario reports, such as a rate or a latency percentile.
 *
 * @param id     stable key, unique within its scenario (used in result files and the CSV)
 * @param label  what the figure is, for the table
 * @param unit   its unit, for the table
 * @param better which direction is an improvement, so ratios always read "above 1 is Tern ahead"
 */
public record Metric(String id, String label, String unit, Better better) {

    /** Which direction of a figure is an improvement. */
    public enum Better { HIGHER, LOWER }

    public static Metric rate(String id, String label, String unit) {
        return new Metric(id, label, unit, Better.HIGHER);
    }

    public static Metric cost(String id, String label, String unit) {
        return new Metric(id, label, unit, Better.LOWER);
    }
}
