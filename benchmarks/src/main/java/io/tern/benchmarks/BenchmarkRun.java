package io.tern.benchmarks;

import io.tern.benchmarks.child.ChildLauncher;
import io.tern.benchmarks.child.ChildOutcome;
import io.tern.benchmarks.disk.DiskProbe;
import io.tern.benchmarks.disk.DiskProbeResult;
import io.tern.benchmarks.report.CsvReport;
import io.tern.benchmarks.report.MachineInfo;
import io.tern.benchmarks.report.MarkdownReport;
import io.tern.benchmarks.report.RatioChart;
import io.tern.benchmarks.report.ResultTable;
import io.tern.benchmarks.report.RunResults;
import io.tern.benchmarks.report.RunSummary;
import io.tern.benchmarks.scenario.Scenario;
import io.tern.benchmarks.broker.BrokerTarget;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The one command: probes the disk, runs every scenario against every target that takes part in it (each
 * in its own child JVM, the order of targets alternating between repeats), probes the disk again, then prints the table
 * and writes it as Markdown and CSV with a PNG chart of the ratios.
 */
public final class BenchmarkRun {

    static final String MARKDOWN = "benchmark.md";
    static final String CSV = "benchmark.csv";
    static final String SAMPLES_CSV = "samples.csv";
    static final String CHART = "ratios.png";

    private final BenchmarkOptions options;
    private final PrintStream console;

    public BenchmarkRun(BenchmarkOptions options, PrintStream console) {
        this.options = options;
        this.console = console;
    }

    public static void main(String[] args) throws Exception {
        List<String> arguments = Arrays.asList(args);
        if (BenchmarkOptions.wantsHelp(arguments)) {
            System.out.println(BenchmarkOptions.USAGE);
            return;
        }
        BenchmarkOptions options;
        try {
            options = BenchmarkOptions.parse(arguments, defaultOutputDirectory());
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(BenchmarkOptions.USAGE);
            System.exit(2);
            return;
        }
        RunSummary summary = new BenchmarkRun(options, System.out).run();
        System.exit(summary.results().allFailures().isEmpty() ? 0 : 1);
    }

    /** Runs everything, writes the reports and returns what was written. */
    public RunSummary run() throws IOException, InterruptedException {
        Path workRoot = Files.createTempDirectory(Files.createDirectories(options.workDirectory()), "tern-bench-");
        boolean keepWorkRoot = options.keepWork();
        String loadBefore = MachineInfo.loadAverage();
        try {
            Map<String, String> skipped = new LinkedHashMap<>();
            List<BrokerTarget> targets = new ArrayList<>();
            for (BrokerTarget target : options.targets()) {
                String reason = target.unavailableReason();
                if (reason == null) {
                    targets.add(target);
                } else {
                    skipped.put(target.id(), reason);
                    console.println("skipping " + target.id() + ": " + reason);
                }
            }

            console.printf(Locale.ROOT, "work directory %s%n", workRoot);
            DiskProbeResult disk = probeDisk(workRoot);
            RunResults results = runAll(targets, workRoot);
            DiskProbeResult diskAfter = probeDisk(workRoot);
            results.unavailable().forEach((id, reason) -> {
                skipped.put(id, reason);
                targets.removeIf(t -> t.id().equals(id));
            });
            ResultTable table = ResultTable.build(options.scenarios(), targets, results);
            RunSummary summary = new RunSummary(MachineInfo.detect(workRoot), disk, diskAfter, options.workload(),
                    options.repeats(), options.childHeap(), table, results, skipped, loadBefore,
                    MachineInfo.loadAverage());
            write(summary);
            // A failed child's directory holds its log and its broker's data: keep them for diagnosis.
            keepWorkRoot |= !results.allFailures().isEmpty();
            return summary;
        } finally {
            if (keepWorkRoot) {
                console.println("kept " + workRoot);
            } else {
                deleteQuietly(workRoot);
            }
        }
    }

    private DiskProbeResult probeDisk(Path workRoot) throws IOException {
        DiskProbeResult disk = DiskProbe.run(workRoot.resolve("disk-probe"), options.diskProbeDuration());
        console.printf(Locale.ROOT, "disk probe: %.0f fsyncs/s with 1 record per sync; %.0f records/s with %d per"
                + " sync%n", disk.syncsPerSecond(), disk.batchedRecordsPerSecond(), disk.recordsPerSync());
        return disk;
    }

    private RunResults runAll(List<BrokerTarget> targets, Path workRoot) throws IOException, InterruptedException {
        ChildLauncher launcher = new ChildLauncher(workRoot, options.childHeap(), options.childTimeout(),
                options.keepWork());
        RunResults results = new RunResults();
        for (int repeat = 0; repeat < options.repeats(); repeat++) {
            List<BrokerTarget> order = new ArrayList<>(targets);
            if (repeat % 2 == 1) {
                Collections.reverse(order);
            }
            for (Scenario scenario : options.scenarios()) {
                for (BrokerTarget target : order) {
                    if (!target.runs(scenario)) {
                        continue;
                    }
                    ChildOutcome outcome = launcher.run(target, scenario, options.workload());
                    results.record(repeat, scenario, target, outcome);
                    console.println(progressLine(repeat, scenario, target, outcome));
                }
            }
        }
        return results;
    }

    private String progressLine(int repeat, Scenario scenario, BrokerTarget target, ChildOutcome outcome) {
        String head = String.format(Locale.ROOT, "[%d/%d] %-26s %-16s %5.1f s  ", repeat + 1, options.repeats(),
                scenario.id(), target.id(), outcome.took().toMillis() / 1000.0);
        if (!outcome.succeeded()) {
            return head + "FAILED: " + outcome.failure();
        }
        if (outcome.result().unavailable() != null) {
            return head + "cannot run here: " + outcome.result().unavailable();
        }
        StringBuilder line = new StringBuilder(head);
        for (var metric : scenario.metrics()) {
            Double value = outcome.result().metrics().get(metric.id());
            line.append(metric.id()).append('=').append(value == null ? "missing" : String.format(Locale.ROOT,
                    "%,.1f", value)).append(' ').append(metric.unit()).append("  ");
        }
        return line.toString().stripTrailing();
    }

    private void write(RunSummary summary) throws IOException {
        Path out = Files.createDirectories(options.outputDirectory());
        Files.writeString(out.resolve(MARKDOWN), MarkdownReport.render(summary), StandardCharsets.UTF_8);
        Files.writeString(out.resolve(CSV), CsvReport.table(summary.table()), StandardCharsets.UTF_8);
        Files.writeString(out.resolve(SAMPLES_CSV), CsvReport.samples(summary.results()), StandardCharsets.UTF_8);
        boolean charted = RatioChart.write(summary.table(), out.resolve(CHART));
        console.println();
        console.println(MarkdownReport.table(summary.table()));
        console.println("written: " + out.resolve(MARKDOWN) + ", " + out.resolve(CSV) + ", "
                + out.resolve(SAMPLES_CSV) + (charted ? ", " + out.resolve(CHART) : " (no ratio to chart)"));
        summary.results().allFailures().forEach((where, reasons) ->
                reasons.forEach(reason -> console.println("FAILED " + where + ": " + reason)));
    }

    /** {@code results/} of this module: the module directory is two levels above its compiled classes. */
    static Path defaultOutputDirectory() {
        try {
            Path classes = Path.of(BenchmarkRun.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path module = classes.getParent().getParent();
            return module.resolve("results");
        } catch (URISyntaxException | RuntimeException e) {
            return Path.of("results");
        }
    }

    private static void deleteQuietly(Path directory) {
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Collections.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            // A leftover temporary directory is not worth failing a finished run for.
        }
    }
}
