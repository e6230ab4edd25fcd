package io.tern.benchmarks.broker;

import io.tern.broker.Broker;
import jakarta.jms.ConnectionFactory;

import java.nio.file.Path;

/**
 * Tern on its in-memory store. Not durable: persistent messages are kept in heap only, so on persistent
 * scenarios its figures are reported but never compared with the peers.
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
                + " BLOCK), vm:// connection factory. Not durable.";
    }

    @Override
    public StartedBroker start(Path directory) {
        Broker broker = Broker.builder()
                .name("bench")
                .persistent(false)
                .dataDirectory(directory)
                .build()
                .start();
        return new StartedBroker() {
            @Override
            public ConnectionFactory connectionFactory() {
                return broker.connectionFactory();
            }

            @Override
            public void close() {
                broker.close();
            }
        };
    }
}
