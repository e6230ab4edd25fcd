package io.tern.broker;

/** What a send does when the broker's memory or its store is full. */
public enum FlowControl {
    /** The send waits until there is room again (the default, as in ActiveMQ). */
    BLOCK,
    /** The send fails at once with {@code jakarta.jms.ResourceAllocationException}. */
    FAIL
}
