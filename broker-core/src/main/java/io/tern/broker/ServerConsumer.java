package io.tern.broker;

import io.tern.broker.destination.DispatchQueue;
import io.tern.broker.destination.QueueEntry;
import io.tern.broker.destination.Subscriber;
import io.tern.broker.destination.TopicDestination;
import io.tern.broker.destination.TopicSubscription;
import io.tern.protocol.MessageSnapshot;
import io.tern.transport.ConsumerSpec;

import java.util.function.Predicate;

/**
 * A consumer as the broker keeps it: bound to one {@link DispatchQueue} (a queue, or a topic
 * subscription's), passing what it is given to its connection. Immutable after creation.
 */
final class ServerConsumer implements Subscriber {

    private final ServerConnection connection;
    private final ConsumerSpec spec;
    private final DispatchQueue queue;
    private final Predicate<MessageSnapshot> filter;
    private final TopicDestination topic;
    private final TopicSubscription subscription;

    /** A consumer on a queue, filtering with its selector. */
    ServerConsumer(ServerConnection connection, ConsumerSpec spec, DispatchQueue queue,
                   Predicate<MessageSnapshot> filter) {
        this(connection, spec, queue, filter, null, null);
    }

    /** A consumer on a topic subscription, which filters before messages reach its queue. */
    ServerConsumer(ServerConnection connection, ConsumerSpec spec, TopicDestination topic,
                   TopicSubscription subscription) {
        this(connection, spec, subscription.queue(), m -> true, topic, subscription);
    }

    private ServerConsumer(ServerConnection connection, ConsumerSpec spec, DispatchQueue queue,
                           Predicate<MessageSnapshot> filter, TopicDestination topic,
                           TopicSubscription subscription) {
        this.connection = connection;
        this.spec = spec;
        this.queue = queue;
        this.filter = filter;
        this.topic = topic;
        this.subscription = subscription;
    }

    ConsumerSpec spec() {
        return spec;
    }

    DispatchQueue queue() {
        return queue;
    }

    @Override
    public boolean isExclusive() {
        return spec.exclusive();
    }

    @Override
    public boolean accepts(MessageSnapshot message) {
        return filter.test(message);
    }

    @Override
    public void deliver(DispatchQueue from, QueueEntry entry, int deliveryCount) {
        connection.deliver(this, from, entry, deliveryCount);
    }

    void open() {
        queue.addSubscriber(this, spec.prefetch());
    }

    void close() {
        queue.removeSubscriber(this);
        if (topic != null) {
            topic.removeConsumer(subscription);
        }
    }
}
