package io.tern.broker;

/**
 * How a destination redelivers a message its consumer gave back (rollback, recover, a listener that
 * threw, a consumer that closed without acknowledging) and when it gives up.
 *
 * @param maximumRedeliveries redeliveries after the first delivery before the message goes to the
 *                            dead-letter queue; -1 for no limit. Default 6.
 * @param initialRedeliveryDelayMillis how long the first redelivery waits; 0 for at once. Default 0.
 * @param backOffMultiplier each later redelivery waits this many times longer than the one before
 *                          (1 for a constant delay). Default 2.
 * @param maximumRedeliveryDelayMillis the longest wait, whatever the multiplier. Default 60 000.
 * @param deadLetterQueue the queue that receives messages redelivered too often; {@code DLQ} by default
 */
public record RedeliveryPolicy(int maximumRedeliveries, long initialRedeliveryDelayMillis, double backOffMultiplier,
                               long maximumRedeliveryDelayMillis, String deadLetterQueue) {

    public static final RedeliveryPolicy DEFAULT = new RedeliveryPolicy(6, 0, 2.0, 60_000, "DLQ");

    public RedeliveryPolicy {
        if (maximumRedeliveries < -1) {
            throw new IllegalArgumentException("maximumRedeliveries: " + maximumRedeliveries
                    + " is not allowed; expected -1 (no limit) or 0 and above");
        }
        if (initialRedeliveryDelayMillis < 0) {
            throw new IllegalArgumentException("initialRedeliveryDelay: " + initialRedeliveryDelayMillis
                    + " is negative; expected 0 (at once) or more milliseconds");
        }
        if (!(backOffMultiplier >= 1.0) || Double.isInfinite(backOffMultiplier)) {
            throw new IllegalArgumentException("backOffMultiplier: " + backOffMultiplier
                    + " is not allowed; expected a finite number of at least 1");
        }
        if (maximumRedeliveryDelayMillis < 0) {
            throw new IllegalArgumentException("maximumRedeliveryDelay: " + maximumRedeliveryDelayMillis
                    + " is negative; expected 0 or more milliseconds");
        }
        String reason = io.tern.protocol.Address.invalidNameReason(deadLetterQueue);
        if (reason != null) {
            throw new IllegalArgumentException("deadLetterQueue: " + reason);
        }
    }

    public RedeliveryPolicy withMaximumRedeliveries(int value) {
        return new RedeliveryPolicy(value, initialRedeliveryDelayMillis, backOffMultiplier,
                maximumRedeliveryDelayMillis, deadLetterQueue);
    }

    public RedeliveryPolicy withInitialRedeliveryDelay(long millis) {
        return new RedeliveryPolicy(maximumRedeliveries, millis, backOffMultiplier, maximumRedeliveryDelayMillis,
                deadLetterQueue);
    }

    public RedeliveryPolicy withBackOffMultiplier(double value) {
        return new RedeliveryPolicy(maximumRedeliveries, initialRedeliveryDelayMillis, value,
                maximumRedeliveryDelayMillis, deadLetterQueue);
    }

    public RedeliveryPolicy withMaximumRedeliveryDelay(long millis) {
        return new RedeliveryPolicy(maximumRedeliveries, initialRedeliveryDelayMillis, backOffMultiplier, millis,
                deadLetterQueue);
    }

    public RedeliveryPolicy withDeadLetterQueue(String queue) {
        return new RedeliveryPolicy(maximumRedeliveries, initialRedeliveryDelayMillis, backOffMultiplier,
                maximumRedeliveryDelayMillis, queue);
    }

    /** Whether a message delivered {@code deliveredCount} times has been redelivered too often. */
    public boolean isExhausted(int deliveredCount) {
        return maximumRedeliveries >= 0 && deliveredCount > maximumRedeliveries;
    }

    /** The wait before redelivery number {@code redelivery} (1 for the first). */
    public long delayBefore(int redelivery) {
        if (initialRedeliveryDelayMillis == 0 || redelivery < 1) {
            return 0;
        }
        double delay = initialRedeliveryDelayMillis * Math.pow(backOffMultiplier, redelivery - 1);
        return (long) Math.min(delay, maximumRedeliveryDelayMillis);
    }
}
