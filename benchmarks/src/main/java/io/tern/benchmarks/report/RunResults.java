package io.tern.benchmarks.report;

import io.tern.benchmarks.child.ChildOutcome;
import io.tern.benchmarks.scenario.Scenario;
import io.tern.benchmarks.broker.BrokerTarget;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Every figure and failure of a run, per repeat, as the children reported them. */
public final class RunResults {

    /**
     * One figure from one child.
     *
     * @param repeat   0-based repeat number
     * @param scenario scenario id
     * @param target   target id
     * @param metric   metric id within the scenario
     * @param value    the figure
     */
    public record Sample(int repeat, String scenario, String target, String metric, double value) {
    }

    private final List<Sample> samples = new ArrayList<>();
    private final Map<String, List<String>> failures = new LinkedHashMap<>();
    private final Map<String, Map<String, String>> facts = new LinkedHashMap<>();
    private final Map<String, String> unavailable = new LinkedHashMap<>();

    public synchronized void record(int repeat, Scenario scenario, BrokerTarget target, ChildOutcome outcome) {
        if (!outcome.succeeded()) {
            failures.computeIfAbsent(key(scenario.id(), target.id()), k -> new ArrayList<>())
                    .add("repeat " + (repeat + 1) + ": " + outcome.failure());
            return;
        }
        if (outcome.result().unavailable() != null) {
            unavailable.put(target.id(), outcome.result().unavailable());
            return;
        }
        outcome.result().metrics().forEach((metric, value) ->
                samples.add(new Sample(repeat, scenario.id(), target.id(), metric, value)));
        facts.computeIfAbsent(target.id(), k -> new TreeMap<>()).putAll(outcome.result().facts());
    }

    public synchronized List<Sample> samples() {
        return List.copyOf(samples);
    }

    /** Every value one metric took for one target, one per successful repeat. */
    public synchronized List<Double> values(String scenario, String target, String metric) {
        return samples.stream()
                .filter(s -> s.scenario().equals(scenario) && s.target().equals(target) && s.metric().equals(metric))
                .map(Sample::value)
                .toList();
    }

    public synchronized List<String> failures(String scenario, String target) {
        return failures.getOrDefault(key(scenario, target), List.of());
    }

    /** Failures by "scenario / target". */
    public synchronized Map<String, List<String>> allFailures() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(failures));
    }

    /** Targets that found at start that they cannot run here, with the reason, by target id. */
    public synchronized Map<String, String> unavailable() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(unavailable));
    }

    /** Facts the target's brokers reported at start (the journal Artemis chose, for example). */
    public synchronized Map<String, String> facts(String target) {
        return facts.getOrDefault(target, Map.of());
    }

    private static String key(String scenario, String target) {
        return scenario + " / " + target;
    }
}
