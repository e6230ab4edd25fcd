package io.tern.benchmarks.broker;

import io.tern.benchmarks.scenario.Scenario;
import io.tern.benchmarks.scenario.Transport;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A broker under test: how to start it embedded, and what the report needs to know about it.
 *
 * <p>A target is started inside a child JVM whose working directory is a fresh temporary directory, and
 * the measured client runs in that same JVM, over the broker's in-VM connector or its own network
 * transport on loopback, as the scenario asks. Adding a broker (or a Tern store) to the benchmarks is one
 * implementation of this interface plus one line in {@link Targets}.
 */
public interface BrokerTarget {

    /** Short, stable identifier used on the command line, in file names and as a table column. */
    String id();

    /** Whether this is Tern (compared against) or a peer (compared with). */
    Side side();

    /**
     * Whether every persistent send is on disk before it returns. Only a durable Tern target may be
     * compared with the peers on a persistent scenario.
     */
    boolean durable();

    /**
     * Whether this target takes part in a scenario. By default a store that is not durable runs only the
     * non-persistent scenarios: its persistent figures would compare heap with disks.
     */
    default boolean runs(Scenario scenario) {
        return durable() || !scenario.persistent();
    }

    /** One line on the settings this target runs with, for the README and the report. */
    String settings();

    /**
     * Why this target cannot run on this machine, or null when it can. Checked in the parent JVM
     * before any child is launched, so a missing native library skips the target instead of failing it.
     */
    default String unavailableReason() {
        return null;
    }

    /**
     * Extra arguments for the child JVM that runs this target, prepared in the parent (for example a
     * native library path under {@code workRoot}, the run's scratch directory); none by default.
     */
    default List<String> childJvmArguments(Path workRoot) throws IOException {
        return List.of();
    }

    /**
     * The class path of this target's child JVM, given the module's runtime class path. Unchanged by
     * default; a peer whose libraries the parent pom manages to other versions (Artemis and Netty)
     * puts back the versions it was released with.
     */
    default String childClasspath(String moduleClasspath, Path buildDirectory) throws IOException {
        return moduleClasspath;
    }

    /**
     * Starts the broker with its data in {@code directory}, reachable over {@code transport}; the caller
     * closes it.
     *
     * @throws TargetUnavailableException when it turns out that this target cannot run here
     */
    StartedBroker start(Path directory, Transport transport) throws Exception;

    /** Which side of the comparison a target is on. */
    enum Side { TERN, PEER }
}
