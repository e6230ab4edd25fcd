package io.tern.benchmarks.broker;

import io.tern.benchmarks.scenario.Transport;
import io.tern.broker.Broker;

import java.nio.file.Path;
import java.util.Map;

/**
 * Tern on its default persistent store, store-kahadb (journal plus LevelDB index), at its default
 * durability: {@code syncPolicy=always}, so every persistent send and every commit is on disk (group
 * commit: concurrent writers share one fdatasync) before the call returns, like the peers.
 */
public final class TernKahaDbTarget implements BrokerTarget {

    @Override
    public String id() {
        return "tern-kahadb";
    }

    @Override
    public Side side() {
        return Side.TERN;
    }

    @Override
    public boolean durable() {
        return true;
    }

    @Override
    public String settings() {
        return "Tern on store-kahadb with its defaults (syncPolicy=always: every persistent send and commit"
                + " synced before it returns, writers sharing one fdatasync; 32 MiB journal files, LevelDB"
                + " index), builder defaults (64 MiB message memory, flow control BLOCK), the broker's vm://"
                + " connection factory, or TernConnectionFactory(\"tcp://127.0.0.1:<port>\") at its defaults"
                + " (prefetch 1000) on the tcp scenarios.";
    }

    @Override
    public StartedBroker start(Path directory, Transport transport) {
        // syncPolicy is the default; it is named so that a change of default cannot pass unnoticed here.
        return TernStartedBroker.start(Broker.builder()
                .name("bench")
                .persistent(true)
                .storeType("kahadb", Map.of("syncPolicy", "always"))
                .dataDirectory(directory.resolve("tern")), transport);
    }
}
