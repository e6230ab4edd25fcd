package io.tern.broker.destination;

import io.tern.protocol.MessageSnapshot;
import io.tern.store.SubscriptionInfo;

import java.util.function.Predicate;

/**
 * One subscription to a topic: a plain consumer's, a shared one, or a durable one. Each has its own
 * {@link DispatchQueue}; a shared subscription's consumers take turns on it.
 *
 * <p>Immutable but for the consumer count, which its topic guards.
 */
public final class TopicSubscription {

    private final String key;
    private final SubscriptionInfo info;
    private final String selector;
    private final DispatchQueue queue;
    private final Predicate<MessageSnapshot> filter;
    private final Object localOwner;
    private final String localClientId;
    int consumers;

    /**
     * @param info the stored description for durable subscriptions, else null
     * @param filter the subscription's selector
     * @param localOwner for noLocal: the publisher whose messages are dropped (a connection), or null
     * @param localClientId for durable noLocal: the client ID whose messages are dropped, or null
     */
    TopicSubscription(String key, SubscriptionInfo info, String selector, DispatchQueue queue,
                      Predicate<MessageSnapshot> filter, Object localOwner, String localClientId) {
        this.key = key;
        this.info = info;
        this.selector = selector == null || selector.isBlank() ? null : selector;
        this.queue = queue;
        this.filter = filter;
        this.localOwner = localOwner;
        this.localClientId = localClientId;
    }

    public String key() {
        return key;
    }

    public boolean isDurable() {
        return info != null;
    }

    public SubscriptionInfo info() {
        return info;
    }

    /** The selector it was created with, or null. */
    public String selector() {
        return selector;
    }

    public DispatchQueue queue() {
        return queue;
    }

    public int consumerCount() {
        return consumers;
    }

    boolean wants(MessageSnapshot message, Object publisher, String publisherClientId) {
        if (localOwner != null && localOwner == publisher) {
            return false;
        }
        if (localClientId != null && localClientId.equals(publisherClientId)) {
            return false;
        }
        return filter.test(message);
    }
}
