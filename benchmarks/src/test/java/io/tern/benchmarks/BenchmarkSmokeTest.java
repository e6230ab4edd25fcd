package io.tern.benchmarks;

import io.tern.benchmarks.report.ResultTable;
import io.tern.benchmarks.report.RunSummary;
import io.tern.benchmarks.broker.BrokerTarget;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs the whole harness in its short mode (every scenario, in-VM and over tcp:// loopback, against every
 * target this machine can run that takes part in it, tiny counts) so that {@code mvn verify} keeps it
 * working. It checks that figures come out, never how large
 * they are: timings on a shared build machine prove nothing.
 */
class BenchmarkSmokeTest {

    @Test
    void everyScenarioProducesAPositiveFigureForEveryTarget(@TempDir Path dir) throws Exception {
        Path output = dir.resolve("results");
        BenchmarkOptions options = BenchmarkOptions.parse(List.of("--short", "--messages=100", "--bulk-messages=100",
                "--warmup=20", "--latency-sends=50", "--backlog=100", "--output=" + output,
                "--work-dir=" + dir.resolve("work")), output);

        RunSummary summary = new BenchmarkRun(options, System.out).run();

        assertEquals(List.of(), new ArrayList<>(summary.results().allFailures().entrySet()), "children that failed");
        List<String> missing = new ArrayList<>();
        for (ResultTable.Row row : summary.table().rows()) {
            for (BrokerTarget target : summary.table().targets()) {
                ResultTable.Cell cell = row.cells().get(target.id());
                Double value = cell.value();
                if (cell.ran() && (value == null || !(value > 0))) {
                    missing.add(row.scenario().id() + "/" + row.metric().id() + " on " + target.id() + ": " + value);
                }
            }
        }
        assertEquals(List.of(), missing, "figures that are missing or not positive");
        List<String> withoutRatio = summary.table().rows().stream().filter(row -> row.ratio().value() == null)
                .map(row -> row.scenario().id() + "/" + row.metric().id() + ": " + row.ratio().note()).toList();
        assertEquals(List.of(), withoutRatio, "rows without a Tern ÷ peer ratio");
        assertTrue(summary.table().targets().stream().anyMatch(t -> t.side() == BrokerTarget.Side.TERN
                        && t.durable()), "a durable Tern store ran");
        assertTrue(summary.table().targets().stream().anyMatch(t -> t.side() == BrokerTarget.Side.PEER),
                "a peer ran");
        for (String file : List.of(BenchmarkRun.MARKDOWN, BenchmarkRun.CSV, BenchmarkRun.SAMPLES_CSV,
                BenchmarkRun.CHART)) {
            assertTrue(Files.size(output.resolve(file)) > 0, file + " written");
        }
    }
}
