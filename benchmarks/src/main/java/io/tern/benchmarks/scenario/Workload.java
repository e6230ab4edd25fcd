package io.tern.benchmarks.scenario;

import java.util.List;
import java.util.Map;

/**
 * How much each scenario sends. The parent JVM chooses it and hands it to every child on its command
 * line, so all targets run exactly the same workload.
 *
 * @param messages        messages per measured pass of the scenarios whose every send waits for the disk
 *                        (persistent queues)
 * @param bulkMessages    messages per measured pass of the scenarios that run an order of magnitude
 *                        faster (non-persistent queue, topic fan-out, transacted producer), so that their
 *                        measurement lasts long enough to mean something
 * @param warmupMessages  messages per warm-up pass, sent before measuring and not counted
 * @param latencySends    measured synchronous sends of the latency scenario
 * @param backlogMessages messages enqueued, then drained, by the backlog scenario
 * @param payloadBytes    body size of every message
 */
public record Workload(int messages, int bulkMessages, int warmupMessages, int latencySends, int backlogMessages, int payloadBytes) {

    public Workload {
        requirePositive("messages", messages);
        requirePositive("bulk-messages", bulkMessages);
        requirePositive("warmup", warmupMessages);
        requirePositive("latency-sends", latencySends);
        requirePositive("backlog", backlogMessages);
        requirePositive("payload", payloadBytes);
    }

    private static void requirePositive(String name, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException("--" + name + " must be a positive number, got " + value);
        }
    }

    /** The workload as {@code --name=value} arguments; {@link #fromArguments} reads them back. */
    public List<String> toArguments() {
        return List.of("--messages=" + messages, "--bulk-messages=" + bulkMessages, "--warmup=" + warmupMessages, "--latency-sends=" + latencySends,
                "--backlog=" + backlogMessages, "--payload=" + payloadBytes);
    }

    /** Reads the workload from arguments, taking what they do not name from {@code defaults}. */
    public static Workload fromArguments(Map<String, String> arguments, Workload defaults) {
        return new Workload(
                intArgument(arguments, "messages", defaults.messages()),
                intArgument(arguments, "bulk-messages", defaults.bulkMessages()),
                intArgument(arguments, "warmup", defaults.warmupMessages()),
                intArgument(arguments, "latency-sends", defaults.latencySends()),
                intArgument(arguments, "backlog", defaults.backlogMessages()),
                intArgument(arguments, "payload", defaults.payloadBytes()));
    }

    /** Reads the workload from arguments that must name every part of it. */
    public static Workload fromArguments(Map<String, String> arguments) {
        return new Workload(
                intArgument(arguments, "messages", null),
                intArgument(arguments, "bulk-messages", null),
                intArgument(arguments, "warmup", null),
                intArgument(arguments, "latency-sends", null),
                intArgument(arguments, "backlog", null),
                intArgument(arguments, "payload", null));
    }

    private static int intArgument(Map<String, String> arguments, String name, Integer defaultValue) {
        String value = arguments.get(name);
        if (value == null) {
            if (defaultValue == null) {
                throw new IllegalArgumentException("--" + name + " is required");
            }
            return defaultValue;
        }
        try {
            return Integer.parseInt(value.replace("_", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " takes a whole number, got '" + value + "'");
        }
    }
}
