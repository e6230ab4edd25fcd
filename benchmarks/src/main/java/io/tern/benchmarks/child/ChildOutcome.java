package io.tern.benchmarks.child;

import java.time.Duration;

/**
 * How one child JVM ended.
 *
 * @param result  its figures, or null when it failed
 * @param failure why it failed, or null
 * @param took    wall-clock time of the whole child, start-up included
 */
public record ChildOutcome(ChildResult result, String failure, Duration took) {

    static ChildOutcome succeeded(ChildResult result, Duration took) {
        return new ChildOutcome(result, null, took);
    }

    static ChildOutcome failed(String failure, Duration took) {
        return new ChildOutcome(null, failure, took);
    }

    public boolean succeeded() {
        return failure == null;
    }
}
