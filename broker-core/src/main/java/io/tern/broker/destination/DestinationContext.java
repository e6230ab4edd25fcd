package io.tern.broker.destination;

import io.tern.broker.MessageMemory;
import io.tern.broker.RedeliveryPolicy;
import io.tern.protocol.Address;

import java.time.Clock;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Function;

/**
 * What every destination of one running broker shares: the memory budget, the clock, the task thread,
 * where given-up messages go, and the redelivery policy of each destination. Immutable.
 */
public record DestinationContext(MessageMemory memory, Clock clock, ScheduledExecutorService tasks,
                                 MessageRouter router, Function<Address, RedeliveryPolicy> policies) {
}
