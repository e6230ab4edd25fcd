package io.tern.benchmarks.report;

import io.tern.benchmarks.child.ChildOutcome;
import io.tern.benchmarks.child.ChildResult;
import io.tern.benchmarks.scenario.Measurements;
import io.tern.benchmarks.scenario.Metric;
import io.tern.benchmarks.scenario.Scenario;
import io.tern.benchmarks.scenario.Transport;
import io.tern.benchmarks.scenario.Workload;
import io.tern.benchmarks.broker.BrokerTarget;
import io.tern.benchmarks.broker.StartedBroker;
import jakarta.jms.ConnectionFactory;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ResultTableTest {

    private static final Metric RATE = Metric.rate("rate", "throughput", "msgs/s");
    private static final Metric P50 = Metric.cost("p50", "latency p50", "µs");

    private static final FakeTarget TERN_MEMORY = new FakeTarget("tern-memory", BrokerTarget.Side.TERN, false);
    private static final FakeTarget TERN_DISK = new FakeTarget("tern-disk", BrokerTarget.Side.TERN, true);
    private static final FakeTarget PEER_A = new FakeTarget("peer-a", BrokerTarget.Side.PEER, true);
    private static final FakeTarget PEER_B = new FakeTarget("peer-b", BrokerTarget.Side.PEER, true);

    private static final FakeScenario PERSISTENT = new FakeScenario("persistent", true);
    private static final FakeScenario NON_PERSISTENT = new FakeScenario("non-persistent", false);

    @Test
    void nonPersistentScenarioComparesTheDurableTernStoreWithTheBestPeer() {
        RunResults results = new RunResults();
        record(results, 0, NON_PERSISTENT, TERN_MEMORY, 9000, 10);
        record(results, 0, NON_PERSISTENT, TERN_DISK, 3000, 50);
        record(results, 0, NON_PERSISTENT, PEER_A, 1000, 200);
        record(results, 0, NON_PERSISTENT, PEER_B, 1500, 100);

        ResultTable table = ResultTable.build(List.of(NON_PERSISTENT),
                List.of(TERN_MEMORY, TERN_DISK, PEER_A, PEER_B), results);

        ResultTable.Ratio rate = table.rows().get(0).ratio();
        assertEquals(2.0, rate.value(), 1e-9, "the durable store, though the memory store was faster");
        assertEquals("tern-disk", rate.tern());
        assertEquals("peer-b", rate.peer());
        ResultTable.Ratio latency = table.rows().get(1).ratio();
        assertEquals(2.0, latency.value(), 1e-9, "lower is better: best peer ÷ Tern");
        assertEquals("peer-b", latency.peer());
    }

    @Test
    void nonPersistentScenarioFallsBackToAStoreThatIsNotDurable() {
        RunResults results = new RunResults();
        record(results, 0, NON_PERSISTENT, TERN_MEMORY, 3000, 50);
        record(results, 0, NON_PERSISTENT, PEER_A, 1000, 200);

        ResultTable table = ResultTable.build(List.of(NON_PERSISTENT), List.of(TERN_MEMORY, PEER_A), results);

        assertEquals(3.0, table.rows().get(0).ratio().value(), 1e-9);
        assertEquals("tern-memory", table.rows().get(0).ratio().tern());
    }

    @Test
    void aStoreThatIsNotDurableRunsNoPersistentScenarioAndIsNeverComparedOnOne() {
        RunResults results = new RunResults();
        record(results, 0, PERSISTENT, PEER_A, 1000, 200);

        ResultTable table = ResultTable.build(List.of(PERSISTENT), List.of(TERN_MEMORY, PEER_A), results);

        ResultTable.Row row = table.rows().get(0);
        assertFalse(TERN_MEMORY.runs(PERSISTENT));
        assertTrue(TERN_MEMORY.runs(NON_PERSISTENT));
        assertFalse(row.cells().get("tern-memory").ran());
        assertTrue(row.cells().get("peer-a").ran());
        assertNull(row.ratio().value());
        assertEquals("no durable Tern figure", row.ratio().note());
    }

    @Test
    void persistentScenarioUsesTheDurableTernStore() {
        RunResults results = new RunResults();
        record(results, 0, PERSISTENT, TERN_DISK, 3000, 100);
        record(results, 0, PERSISTENT, PEER_A, 2000, 200);

        ResultTable table = ResultTable.build(List.of(PERSISTENT), List.of(TERN_MEMORY, TERN_DISK, PEER_A), results);

        assertEquals(1.5, table.rows().get(0).ratio().value(), 1e-9);
        assertEquals("tern-disk", table.rows().get(0).ratio().tern());
    }

    @Test
    void theTableNamesTheTernTargetAndThePeerOfEachRatioAndMarksTargetsThatDidNotRun() {
        RunResults results = new RunResults();
        record(results, 0, PERSISTENT, TERN_DISK, 3000, 100);
        record(results, 0, PERSISTENT, PEER_A, 2000, 200);

        String markdown = MarkdownReport.table(ResultTable.build(List.of(PERSISTENT),
                List.of(TERN_DISK, TERN_MEMORY, PEER_A), results));

        assertTrue(markdown.contains("| persistent | throughput (msgs/s) | 3,000 | – | 2,000 | **1.50×** tern-disk vs peer-a |"),
                markdown);
    }

    @Test
    void cellsHoldTheMedianOfRepeatsAndFailuresLeaveThemEmpty() {
        RunResults results = new RunResults();
        record(results, 0, NON_PERSISTENT, TERN_MEMORY, 100, 1);
        record(results, 1, NON_PERSISTENT, TERN_MEMORY, 300, 1);
        record(results, 2, NON_PERSISTENT, TERN_MEMORY, 200, 1);
        results.record(0, NON_PERSISTENT, PEER_A, new ChildOutcome(null, "exit 1", Duration.ZERO));

        ResultTable table = ResultTable.build(List.of(NON_PERSISTENT), List.of(TERN_MEMORY, PEER_A), results);

        assertEquals(200, table.rows().get(0).cells().get("tern-memory").value(), 1e-9);
        assertNull(table.rows().get(0).cells().get("peer-a").value());
        assertEquals("no peer figure", table.rows().get(0).ratio().note());
        assertEquals(1, results.allFailures().size());
    }

    @Test
    void aTargetThatCannotRunHereIsNeitherAFigureNorAFailure() {
        RunResults results = new RunResults();
        ChildResult unavailable = new ChildResult(Map.of(), Map.of(), "no O_DIRECT");
        results.record(0, PERSISTENT, PEER_A, new ChildOutcome(unavailable, null, Duration.ZERO));

        assertEquals(Map.of("peer-a", "no O_DIRECT"), results.unavailable());
        assertTrue(results.allFailures().isEmpty());
        assertTrue(results.samples().isEmpty());
    }

    private static void record(RunResults results, int repeat, Scenario scenario, BrokerTarget target, double rate,
                               double p50) {
        ChildResult result = new ChildResult(Map.of("rate", rate, "p50", p50), Map.of(), null);
        results.record(repeat, scenario, target, new ChildOutcome(result, null, Duration.ZERO));
    }

    private record FakeTarget(String id, Side side, boolean durable) implements BrokerTarget {
        @Override
        public String settings() {
            return "fake";
        }

        @Override
        public StartedBroker start(Path directory, Transport transport) {
            throw new UnsupportedOperationException("never started");
        }
    }

    private record FakeScenario(String id, boolean persistent) implements Scenario {
        @Override
        public String title() {
            return id;
        }

        @Override
        public List<Metric> metrics() {
            return List.of(RATE, P50);
        }

        @Override
        public void run(ConnectionFactory factory, Workload workload, Measurements out) {
            throw new UnsupportedOperationException("never run");
        }
    }
}
