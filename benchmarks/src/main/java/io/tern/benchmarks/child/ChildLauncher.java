package io.tern.benchmarks.child;

import io.tern.benchmarks.scenario.Scenario;
import io.tern.benchmarks.scenario.Workload;
import io.tern.benchmarks.broker.BrokerTarget;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs one scenario against one target in a child JVM started in a fresh temporary directory, and
 * collects its result. A child that fails or overruns its time is reported, not thrown, so one broker's
 * trouble does not stop the run; its directory and log are then kept for diagnosis.
 */
public final class ChildLauncher {

    private static final int LOG_LINES_ON_FAILURE = 30;

    private final Path workRoot;
    private final String classpath;
    private final String heap;
    private final Duration timeout;
    private final boolean keepDirectories;

    /**
     * @param workRoot        where each child's temporary directory is created
     * @param heap            the child's {@code -Xmx}, the same for every target
     * @param timeout         how long a child may take before it is ended
     * @param keepDirectories whether to keep the directories (with brokers' data and logs) of children that succeeded
     */
    public ChildLauncher(Path workRoot, String heap, Duration timeout, boolean keepDirectories) {
        this.workRoot = workRoot;
        this.classpath = ChildClasspath.resolve();
        this.heap = heap;
        this.timeout = timeout;
        this.keepDirectories = keepDirectories;
    }

    public ChildOutcome run(BrokerTarget target, Scenario scenario, Workload workload)
            throws IOException, InterruptedException {
        Files.createDirectories(workRoot);
        Path directory = Files.createTempDirectory(workRoot, target.id() + "-" + scenario.id() + "-");
        Path resultFile = directory.resolve("result.properties");
        Path log = directory.resolve("child.log");

        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx" + heap);
        command.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");
        command.add("-Djava.io.tmpdir=" + directory);
        command.addAll(target.childJvmArguments(workRoot));
        command.add("-cp");
        command.add(target.childClasspath(classpath, ChildClasspath.buildDirectory()));
        command.add(ChildMain.class.getName());
        command.add("--target=" + target.id());
        command.add("--scenario=" + scenario.id());
        command.add("--result=" + resultFile);
        command.addAll(workload.toArguments());

        Process process = new ProcessBuilder(command)
                .directory(directory.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        long started = System.nanoTime();
        boolean exited = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        if (!exited) {
            process.destroyForcibly().waitFor();
            return ChildOutcome.failed("timed out after " + timeout.toSeconds() + " s; log: " + log, took);
        }
        if (process.exitValue() != 0 || !Files.exists(resultFile)) {
            return ChildOutcome.failed("exit " + process.exitValue() + "; log: " + log + "\n" + tail(log), took);
        }
        ChildResult result = ChildResult.read(resultFile);
        if (!keepDirectories) {
            deleteRecursively(directory);
        }
        return ChildOutcome.succeeded(result, took);
    }

    private static String tail(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - LOG_LINES_ON_FAILURE), lines.size()));
    }

    private static void deleteRecursively(Path directory) throws IOException {
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
