package io.tern.benchmarks.scenario;

import java.util.List;
import java.util.Optional;

/** Every scenario, in report order. */
public final class Scenarios {

    private static final List<Scenario> ALL = List.of(
            QueueThroughputScenario.persistent(1, 1),
            QueueThroughputScenario.persistent(4, 4),
            QueueThroughputScenario.persistent(16, 16),
            QueueThroughputScenario.nonPersistent(1, 1),
            new SendLatencyScenario(),
            new TransactedProducerScenario(100),
            new TopicFanOutScenario(8),
            new BacklogScenario(4),
            QueueThroughputScenario.persistentOverTcp(1, 1),
            QueueThroughputScenario.persistentOverTcp(4, 4));

    private Scenarios() {
    }

    public static List<Scenario> all() {
        return ALL;
    }

    public static Optional<Scenario> byId(String id) {
        return ALL.stream().filter(s -> s.id().equals(id)).findFirst();
    }
}
