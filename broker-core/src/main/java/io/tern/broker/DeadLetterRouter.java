package io.tern.broker;

import io.tern.broker.destination.DispatchQueue;
import io.tern.broker.destination.MessageRouter;
import io.tern.protocol.Address;
import io.tern.protocol.MessageSnapshot;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Moves expired messages to the expiry queue and messages redelivered too often to their dead-letter
 * queue, as copies that say where they came from and why:
 * {@value #ORIGINAL_DESTINATION} ({@code queue://orders}), {@value #REASON}, and for expired ones
 * {@value #ORIGINAL_EXPIRATION}. The copies never expire, so a message cannot bounce between queues. They
 * keep the message ID but not the producer ID and sequence, so no copy is ever taken for a producer's resend.
 * A message given up by the expiry or dead-letter queue itself is discarded (and logged).
 *
 * <p>Thread-safe: it holds only configuration and the registry, which is thread-safe.
 */
final class DeadLetterRouter implements MessageRouter {

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterRouter.class);

    static final String ORIGINAL_DESTINATION = "JMS_Tern_OriginalDestination";
    static final String REASON = "JMS_Tern_DeadLetterReason";
    static final String ORIGINAL_EXPIRATION = "JMS_Tern_OriginalExpiration";

    private final String expiryQueue;
    private volatile DestinationRegistry registry;

    /** @param expiryQueue the queue for expired messages, or null to discard them */
    DeadLetterRouter(String expiryQueue) {
        this.expiryQueue = expiryQueue;
    }

    void attach(DestinationRegistry destinations) {
        this.registry = destinations;
    }

    @Override
    public CompletableFuture<Void> expired(DispatchQueue from, MessageSnapshot message) {
        if (expiryQueue == null || from.address().equals(Address.queue(expiryQueue))) {
            LOG.debug("Expired message {} of {} discarded", message.messageId(), from.address());
            return CompletableFuture.completedFuture(null);
        }
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put(ORIGINAL_EXPIRATION, message.expiration());
        return moveTo(expiryQueue, from, message, "expired", extra);
    }

    @Override
    public CompletableFuture<Void> deadLetter(DispatchQueue from, MessageSnapshot message, String deadLetterQueue,
                                              String reason) {
        if (from.address().equals(Address.queue(deadLetterQueue))) {
            LOG.warn("Message {} was redelivered too often on dead-letter queue {} itself; discarded",
                    message.messageId(), deadLetterQueue);
            return CompletableFuture.completedFuture(null);
        }
        LOG.info("Message {} of {} goes to dead-letter queue {}: {}", message.messageId(), from.address(),
                deadLetterQueue, reason);
        return moveTo(deadLetterQueue, from, message, reason, Map.of());
    }

    private CompletableFuture<Void> moveTo(String queue, DispatchQueue from, MessageSnapshot message, String reason,
                                           Map<String, Object> extra) {
        Map<String, Object> properties = new LinkedHashMap<>(message.properties());
        properties.put(ORIGINAL_DESTINATION, from.address().toString());
        properties.put(REASON, reason);
        properties.putAll(extra);
        // A copy is a new message of the broker's, not a send of the original producer: it must never be
        // judged a resend of one (duplicate detection goes by producer ID and sequence). JMSMessageID stays.
        MessageSnapshot copy = message.toBuilder()
                .producerId(null)
                .producerSequence(0)
                .destination(Address.queue(queue))
                .expiration(0)
                .properties(properties)
                .build();
        try {
            return registry.definedQueue(queue).enqueue(copy);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }
}
