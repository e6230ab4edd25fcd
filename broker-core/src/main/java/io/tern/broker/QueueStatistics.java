package io.tern.broker;

/**
 * The figures of one queue at one moment, taken together under its lock.
 *
 * @param depth messages waiting, scheduled, in flight or paged out to the store
 * @param consumers consumers on the queue now
 * @param enqueued messages added since the broker started
 * @param dequeued messages consumed (or purged) since the broker started
 * @param expired messages found expired since the broker started
 * @param deadLettered messages moved to a dead-letter queue since the broker started
 */
public record QueueStatistics(long depth, int consumers, long enqueued, long dequeued, long expired,
                              long deadLettered) {

    /** The figures of a queue that does not exist. */
    public static final QueueStatistics NONE = new QueueStatistics(0, 0, 0, 0, 0, 0);
}
