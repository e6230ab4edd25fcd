package io.tern.benchmarks.report;

import io.tern.benchmarks.scenario.Metric;
import io.tern.benchmarks.scenario.Scenario;
import io.tern.benchmarks.broker.BrokerTarget;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The summary table: one row per scenario figure, one cell per target holding the median over repeats,
 * and the ratio of Tern to the best peer.
 *
 * <p>The ratio is oriented so that above 1 always means Tern ahead: Tern ÷ peer for rates, peer ÷ Tern
 * for latencies and heap. On a persistent scenario only a durable Tern store may be compared, since a
 * store that never touches the disk racing stores that sync every send proves nothing; with no durable
 * Tern store the ratio is n/a.
 */
public final class ResultTable {

    /**
     * One target's figure in a row.
     *
     * @param value      median over successful repeats, or null when every repeat failed or it did not run
     * @param notDurable whether this is a Tern store that is not durable, on a persistent scenario
     */
    public record Cell(Double value, boolean notDurable) {
    }

    /**
     * The comparison in a row.
     *
     * @param value the ratio, or null when there is nothing to compare
     * @param tern  the Tern target compared, or null
     * @param peer  the best peer, or null
     * @param note  why there is no ratio, or null
     */
    public record Ratio(Double value, String tern, String peer, String note) {
    }

    public record Row(Scenario scenario, Metric metric, Map<String, Cell> cells, Ratio ratio) {
    }

    private final List<BrokerTarget> targets;
    private final List<Row> rows;

    private ResultTable(List<BrokerTarget> targets, List<Row> rows) {
        this.targets = targets;
        this.rows = rows;
    }

    public static ResultTable build(List<Scenario> scenarios, List<BrokerTarget> targets, RunResults results) {
        List<Row> rows = new ArrayList<>();
        for (Scenario scenario : scenarios) {
            for (Metric metric : scenario.metrics()) {
                Map<String, Cell> cells = new LinkedHashMap<>();
                for (BrokerTarget target : targets) {
                    Double median = median(results.values(scenario.id(), target.id(), metric.id()));
                    boolean notDurable = scenario.persistent() && target.side() == BrokerTarget.Side.TERN
                            && !target.durable();
                    cells.put(target.id(), new Cell(median, notDurable));
                }
                rows.add(new Row(scenario, metric, cells, ratio(scenario, metric, targets, cells)));
            }
        }
        return new ResultTable(targets, rows);
    }

    private static Ratio ratio(Scenario scenario, Metric metric, List<BrokerTarget> targets, Map<String, Cell> cells) {
        Comparator<BrokerTarget> better = Comparator.comparingDouble(t -> cells.get(t.id()).value());
        if (metric.better() == Metric.Better.LOWER) {
            better = better.reversed();
        }
        List<BrokerTarget> measured = targets.stream().filter(t -> cells.get(t.id()).value() != null).toList();
        BrokerTarget tern = measured.stream()
                .filter(t -> t.side() == BrokerTarget.Side.TERN && (t.durable() || !scenario.persistent()))
                .max(better).orElse(null);
        BrokerTarget peer = measured.stream()
                .filter(t -> t.side() == BrokerTarget.Side.PEER)
                .max(better).orElse(null);
        if (tern == null) {
            boolean anyTern = measured.stream().anyMatch(t -> t.side() == BrokerTarget.Side.TERN);
            return new Ratio(null, null, peer == null ? null : peer.id(),
                    scenario.persistent() && anyTern ? "no durable Tern store yet" : "no Tern figure");
        }
        if (peer == null) {
            return new Ratio(null, tern.id(), null, "no peer figure");
        }
        double ternValue = cells.get(tern.id()).value();
        double peerValue = cells.get(peer.id()).value();
        double ratio = metric.better() == Metric.Better.HIGHER ? ternValue / peerValue : peerValue / ternValue;
        return new Ratio(ratio, tern.id(), peer.id(), null);
    }

    static Double median(List<Double> values) {
        if (values.isEmpty()) {
            return null;
        }
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    public List<BrokerTarget> targets() {
        return targets;
    }

    public List<Row> rows() {
        return rows;
    }
}
