package io.tern.store;

import io.tern.protocol.MessageSnapshot;

import java.util.List;
import java.util.Objects;

/** One write inside a transaction. */
public sealed interface TransactionOperation {

    /** Adds a message to a queue. */
    record QueueAdd(String queue, long sequence, MessageSnapshot message) implements TransactionOperation {
        public QueueAdd {
            Objects.requireNonNull(queue, "queue");
            Objects.requireNonNull(message, "message");
        }
    }

    /** Removes (acknowledges) a message of a queue. */
    record QueueRemove(String queue, long sequence) implements TransactionOperation {
        public QueueRemove {
            Objects.requireNonNull(queue, "queue");
        }
    }

    /** Adds a message to a topic for the given durable subscriptions. */
    record TopicAdd(String topic, long sequence, MessageSnapshot message, List<String> subscriptionKeys)
            implements TransactionOperation {
        public TopicAdd {
            Objects.requireNonNull(topic, "topic");
            Objects.requireNonNull(message, "message");
            subscriptionKeys = List.copyOf(subscriptionKeys);
        }
    }

    /** One durable subscription acknowledges a message of a topic. */
    record TopicAcknowledge(String topic, String subscriptionKey, long sequence) implements TransactionOperation {
        public TopicAcknowledge {
            Objects.requireNonNull(topic, "topic");
            Objects.requireNonNull(subscriptionKey, "subscriptionKey");
        }
    }

    /**
     * Records that the transaction committed under an outcome key the client chose (see
     * {@link TransactionStore#hasCommitted}): written with the transaction's other operations, so the
     * key is durable exactly when they are.
     */
    record RecordOutcome(String key) implements TransactionOperation {
        public RecordOutcome {
            Objects.requireNonNull(key, "key");
        }
    }
}
