package io.tern.store;

import java.util.Objects;

/**
 * A durable subscription as stored.
 *
 * @param clientId the client ID of an unshared subscription; null for a shared one without client ID
 * @param name the subscription name
 * @param selector the message selector, or null
 * @param noLocal whether messages sent on the subscriber's own connection are dropped
 * @param shared whether it was created as a shared subscription
 */
public record SubscriptionInfo(String clientId, String name, String selector, boolean noLocal, boolean shared) {

    public SubscriptionInfo {
        Objects.requireNonNull(name, "name");
    }

    /** The key a subscription is stored under: unique per topic. */
    public String key() {
        return keyOf(clientId, name, shared);
    }

    public static String keyOf(String clientId, String name, boolean shared) {
        return (shared ? "shared:" : "durable:") + (clientId == null ? "" : clientId) + ":" + name;
    }
}
