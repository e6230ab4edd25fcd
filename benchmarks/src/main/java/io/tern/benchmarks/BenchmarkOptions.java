package io.tern.benchmarks;

import io.tern.benchmarks.scenario.Scenario;
import io.tern.benchmarks.scenario.Scenarios;
import io.tern.benchmarks.scenario.Workload;
import io.tern.benchmarks.broker.BrokerTarget;
import io.tern.benchmarks.broker.Targets;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * What a run does, from the command line. {@code --short} switches every default to a minute-long
 * run (the smoke test's); any explicit option still wins over it.
 *
 * @param workload          what each scenario sends
 * @param repeats           how many times each scenario runs on each target; the order of targets
 *                          alternates between repeats so neither goes first every time
 * @param targets           targets to run, in report order
 * @param scenarios         scenarios to run, in report order
 * @param outputDirectory   where the Markdown, CSV and PNG go
 * @param workDirectory     under which the run's temporary directories are made (brokers' data, disk probe)
 * @param childHeap         every child's {@code -Xmx}
 * @param childTimeout      how long one child may run
 * @param diskProbeDuration how long the disk probe runs each of its two modes
 * @param keepWork          keep the children's directories (data, logs) after success
 */
public record BenchmarkOptions(Workload workload, int repeats, List<BrokerTarget> targets, List<Scenario> scenarios,
                               Path outputDirectory, Path workDirectory, String childHeap, Duration childTimeout,
                               Duration diskProbeDuration, boolean keepWork) {

    static final Workload FULL = new Workload(4_000, 40_000, 1_000, 3_000, 20_000, 1024);
    static final Workload SHORT = new Workload(200, 200, 50, 100, 300, 1024);

    private static final Set<String> OPTIONS = Set.of("short", "messages", "bulk-messages", "warmup", "latency-sends", "backlog",
            "payload", "repeats", "targets", "scenarios", "output", "work-dir", "child-heap", "child-timeout",
            "disk-probe-seconds", "keep-work", "help");

    public static final String USAGE = """
            Runs every scenario against every broker, each in its own child JVM, and writes the results.
            Options (--name=value):
              --short                 smoke run with tiny counts (what BenchmarkSmokeTest runs)
              --messages=N            messages per measured pass, persistent queues       (default 4000; short 200)
              --bulk-messages=N       the same for non-persistent, fan-out, transacted    (default 40000; short 200)
              --warmup=N              messages per warm-up pass                           (default 1000; short 50)
              --latency-sends=N       timed sends in the latency scenario                 (default 3000; short 100)
              --backlog=N             messages in the backlog scenario                    (default 20000; short 300)
              --payload=BYTES         message body size                                   (default 1024)
              --repeats=N             runs of each scenario on each target                (default 2; short 1)
              --targets=a,b           target ids        (default all: %s)
              --scenarios=a,b         scenario ids      (default all: %s)
              --output=DIR            results directory (default benchmarks/results of this module)
              --work-dir=DIR          where brokers write (default java.io.tmpdir)
              --child-heap=SIZE       -Xmx of each child JVM                              (default 1g)
              --child-timeout=SECONDS limit per child JVM                                 (default 900; short 120)
              --disk-probe-seconds=S  duration of each disk probe mode                    (default 2; short 0.2)
              --keep-work             keep brokers' directories and logs after success
            """.formatted(ids(Targets.all(), BrokerTarget::id), ids(Scenarios.all(), Scenario::id));

    public static boolean wantsHelp(List<String> args) {
        return args.contains("--help") || args.contains("-h");
    }

    public static BenchmarkOptions parse(List<String> args, Path defaultOutput) {
        Map<String, String> options = CommandLineArguments.parse(args, OPTIONS);
        boolean shortRun = Boolean.parseBoolean(options.getOrDefault("short", "false"));
        Workload workload = Workload.fromArguments(options, shortRun ? SHORT : FULL);
        return new BenchmarkOptions(
                workload,
                positiveInt(options, "repeats", shortRun ? 1 : 2),
                select(options.get("targets"), Targets.all(), BrokerTarget::id, "target"),
                select(options.get("scenarios"), Scenarios.all(), Scenario::id, "scenario"),
                Path.of(options.getOrDefault("output", defaultOutput.toString())).toAbsolutePath(),
                Path.of(options.getOrDefault("work-dir", System.getProperty("java.io.tmpdir"))).toAbsolutePath(),
                options.getOrDefault("child-heap", "1g"),
                Duration.ofSeconds(positiveInt(options, "child-timeout", shortRun ? 120 : 900)),
                Duration.ofMillis(Math.round(1000 * positiveDouble(options, "disk-probe-seconds", shortRun ? 0.2 : 2))),
                Boolean.parseBoolean(options.getOrDefault("keep-work", "false")));
    }

    private static <T> List<T> select(String requested, List<T> all, Function<T, String> id, String what) {
        if (requested == null || requested.isBlank()) {
            return all;
        }
        List<T> selected = new ArrayList<>();
        for (String name : requested.split(",")) {
            String trimmed = name.trim();
            T found = all.stream().filter(t -> id.apply(t).equals(trimmed)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("unknown " + what + " '" + trimmed
                            + "'; known: " + ids(all, id)));
            selected.add(found);
        }
        // Report order stays the registry's, whatever order they were named in.
        return all.stream().filter(selected::contains).toList();
    }

    private static <T> String ids(List<T> all, Function<T, String> id) {
        return String.join(",", all.stream().map(id).toList());
    }

    private static int positiveInt(Map<String, String> options, String name, int defaultValue) {
        double value = positiveDouble(options, name, defaultValue);
        if (value != Math.rint(value)) {
            throw new IllegalArgumentException("--" + name + " takes a whole number, got " + options.get(name));
        }
        return (int) value;
    }

    private static double positiveDouble(Map<String, String> options, String name, double defaultValue) {
        String text = options.get(name);
        if (text == null) {
            return defaultValue;
        }
        double value;
        try {
            value = Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " takes a number, got '" + text + "'");
        }
        if (!(value > 0)) {
            throw new IllegalArgumentException("--" + name + " must be positive, got " + text);
        }
        return value;
    }
}
