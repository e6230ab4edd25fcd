package io.tern.broker;

import io.tern.broker.destination.TopicDestination;

import java.util.HashMap;
import java.util.Map;

/**
 * Which topic holds each named subscription. Subscription names are unique per client ID across all
 * topics (spec 8.3), so naming one on another topic must find and replace (or refuse, while in use) the
 * old one. Keys are the stored subscription keys ({@code SubscriptionInfo.keyOf}).
 *
 * <p>Callers hold this object's monitor across a check and the change it leads to.
 */
final class SubscriptionNames {

    private final Map<String, TopicDestination> topics = new HashMap<>();

    /** The topic that holds a subscription with this key, or null (also when it has gone since). */
    TopicDestination topicOf(String key) {
        TopicDestination t = topics.get(key);
        if (t != null && t.subscription(key) == null) {
            topics.remove(key);
            return null;
        }
        return t;
    }

    void register(String key, TopicDestination topic) {
        topics.put(key, topic);
    }

    void unregister(String key) {
        topics.remove(key);
    }
}
