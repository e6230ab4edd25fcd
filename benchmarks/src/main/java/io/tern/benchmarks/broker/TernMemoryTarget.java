package io.tern.benchmarks.broker;

import io.tern.benchmarks.scenario.Transport;
import io.tern.broker.Broker;

import java.nio.file.Path;

/**
 * Tern on its in-memory store. Not durable: persistent messages are kept in heap only, so it runs the
 * non-persistent scenarios only (see {@link BrokerTarget#runs}), next to {@link TernKahaDbTarget}.
 */
public final class TernMemoryTarget implements BrokerTarget {

    @Override
    public String id() {
        return "tern-memory";
    }

    @Override
    public Side side() {
        return Side.TERN;
    }

    @Override
    public boolean durable() {
        return false;
    }

    @Override
    public String settings() {
        return "Tern memory store (persistent(false)), builder defaults (64 MiB message memory, flow control"
                + " BLOCK), vm:// connection factory. Not durable, so it runs the non-persistent scenarios only.";
    }

    @Override
    public StartedBroker start(Path directory, Transport transport) {
        return TernStartedBroker.start(Broker.builder()
                .name("bench")
                .persistent(false)
                .dataDirectory(directory), transport);
    }
}
