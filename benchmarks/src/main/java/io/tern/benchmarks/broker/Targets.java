package io.tern.benchmarks.broker;

import java.util.List;
import java.util.Optional;

/**
 * Every broker the benchmarks know, in report order: Tern's stores first, then the peers. When another
 * Tern store module lands (jdbc-journal, replicated-leveldb), its target is one class and one line here.
 */
public final class Targets {

    private static final List<BrokerTarget> ALL = List.of(
            new TernKahaDbTarget(),
            new TernMemoryTarget(),
            new ActiveMqKahaDbTarget(),
            ArtemisJournalTarget.nio(),
            ArtemisJournalTarget.aio());

    private Targets() {
    }

    public static List<BrokerTarget> all() {
        return ALL;
    }

    public static Optional<BrokerTarget> byId(String id) {
        return ALL.stream().filter(t -> t.id().equals(id)).findFirst();
    }
}
