package io.tern.benchmarks.scenario;

import jakarta.jms.ConnectionFactory;

import java.util.List;

/**
 * One measured workload. Implementations use the {@code jakarta.jms} API only, so every broker runs
 * the very same client code; each warms up first, then measures a fixed amount of work.
 */
public interface Scenario {

    /** Short, stable identifier used on the command line and in result files. */
    String id();

    /** What the scenario does, for the table. */
    String title();

    /**
     * Whether the scenario sends persistent messages. On such a scenario a Tern store that is not
     * durable is reported but never compared with the (durable) peers.
     */
    boolean persistent();

    /** How the client reaches the broker; in-VM unless the scenario is about the network. */
    default Transport transport() {
        return Transport.IN_VM;
    }

    /** The figures {@link #run} reports, in table order. */
    List<Metric> metrics();

    /** Runs warm-up and measurement against a started broker and records every metric in {@code out}. */
    void run(ConnectionFactory factory, Workload workload, Measurements out) throws Exception;
}
