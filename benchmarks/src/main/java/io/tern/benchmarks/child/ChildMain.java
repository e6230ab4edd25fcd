package io.tern.benchmarks.child;

import io.tern.benchmarks.CommandLineArguments;
import io.tern.benchmarks.scenario.Measurements;
import io.tern.benchmarks.scenario.Scenario;
import io.tern.benchmarks.scenario.Scenarios;
import io.tern.benchmarks.scenario.Workload;
import io.tern.benchmarks.broker.BrokerTarget;
import io.tern.benchmarks.broker.StartedBroker;
import io.tern.benchmarks.broker.TargetUnavailableException;
import io.tern.benchmarks.broker.Targets;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;

/**
 * The entry point of a child JVM: starts one target embedded in the working directory (a fresh
 * temporary directory chosen by the parent), runs one scenario against it through the connection factory
 * of the scenario's transport (in-VM, or the broker's network transport on loopback), writes the figures
 * to a result file and exits. One broker per JVM keeps brokers from sharing heap, JIT profile, threads or
 * garbage.
 */
public final class ChildMain {

    static final Set<String> OPTIONS = Set.of("target", "scenario", "result", "messages", "bulk-messages", "warmup",
            "latency-sends", "backlog", "payload");

    private ChildMain() {
    }

    public static void main(String[] args) {
        int status = 0;
        try {
            run(CommandLineArguments.parse(Arrays.asList(args), OPTIONS));
        } catch (Throwable t) {
            t.printStackTrace();
            status = 1;
        }
        // Some brokers leave non-daemon threads behind after stop; the work is done either way.
        System.exit(status);
    }

    private static void run(Map<String, String> options) throws Exception {
        BrokerTarget target = Targets.byId(required(options, "target"))
                .orElseThrow(() -> new IllegalArgumentException("unknown target " + options.get("target")));
        Scenario scenario = Scenarios.byId(required(options, "scenario"))
                .orElseThrow(() -> new IllegalArgumentException("unknown scenario " + options.get("scenario")));
        Path resultFile = Path.of(required(options, "result"));
        Workload workload = Workload.fromArguments(options);
        Path directory = Path.of("").toAbsolutePath();

        Measurements measurements = new Measurements();
        Map<String, String> facts;
        StartedBroker started;
        try {
            started = target.start(directory, scenario.transport());
        } catch (TargetUnavailableException e) {
            ChildResult.write(resultFile, new ChildResult(Map.of(), Map.of(), e.getMessage()));
            return;
        }
        try (StartedBroker broker = started) {
            facts = broker.facts();
            scenario.run(broker.connectionFactory(), workload, measurements);
        }
        ChildResult.write(resultFile, new ChildResult(measurements.values(), facts, null));
    }

    private static String required(Map<String, String> options, String name) {
        String value = options.get(name);
        if (value == null) {
            throw new IllegalArgumentException("--" + name + " is required");
        }
        return value;
    }
}
