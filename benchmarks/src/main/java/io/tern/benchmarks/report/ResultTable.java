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
 * for latencies and heap. It compares a durable Tern store whenever one was measured, since the peers
 * all run with their durable stores, even on non-persistent scenarios (a broker's non-persistent path is
 * not free of its store's threads and locks); the best of them if several. Only on a non-persistent
 * scenario with no durable Tern figure does it fall back to a store that is not durable. On a persistent
 * scenario a store that never touches the disk racing stores that sync every send proves nothing, so
 * without a durable Tern figure the ratio is n/a.
 */
public final class ResultTable {

    /**
     * One target's figure in a row.
     *
     * @param value median over successful repeats, or null when every repeat failed or it did not run
     * @param ran   whether the target takes part in the scenario at all ({@link BrokerTarget#runs})
     */
    public record Cell(Double value, boolean ran) {
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
                    cells.put(target.id(), new Cell(median, target.runs(scenario)));
                }
                rows.add(new Row(scenario, metric, cells, ratio(scenario, metric, targets, cells)));
            }
        }
        return new ResultTable(targets, rows);
    }

    private static Ratio ratio(Scenario scenario, Metric metric, List<BrokerTarget> targets, Map<String, Cell> cells) {
        Comparator<BrokerTarget> byValue = Comparator.comparingDouble(t -> cells.get(t.id()).value());
        Comparator<BrokerTarget> better = metric.better() == Metric.Better.LOWER ? byValue.reversed() : byValue;
        List<BrokerTarget> measured = targets.stream().filter(t -> cells.get(t.id()).value() != null).toList();
        List<BrokerTarget> measuredTern = measured.stream().filter(t -> t.side() == BrokerTarget.Side.TERN).toList();
        BrokerTarget tern = measuredTern.stream().filter(BrokerTarget::durable).max(better)
                .orElseGet(() -> scenario.persistent() ? null : measuredTern.stream().max(better).orElse(null));
        BrokerTarget peer = measured.stream()
                .filter(t -> t.side() == BrokerTarget.Side.PEER)
                .max(better).orElse(null);
        if (tern == null) {
            return new Ratio(null, null, peer == null ? null : peer.id(),
                    scenario.persistent() ? "no durable Tern figure" : "no Tern figure");
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
