package io.tern.store;

import io.tern.protocol.Address;
import io.tern.protocol.MessageSnapshot;

import java.io.IOException;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * The durable subscriptions of one topic and the messages they still owe. A message is stored once
 * with the keys of the subscriptions that must receive it, and is gone when the last of them acknowledged
 * it. Sequences are unique and increasing per topic.
 */
public interface TopicMessageStore {

    Address address();

    /** Creates or replaces a subscription (a changed selector or noLocal replaces it and drops its messages). */
    CompletionStage<Void> addSubscription(SubscriptionInfo subscription);

    /** Removes a subscription and its claim on every message. */
    CompletionStage<Void> removeSubscription(String subscriptionKey);

    List<SubscriptionInfo> subscriptions();

    /** Stores one message for the given subscriptions; completes when durable. */
    CompletionStage<Void> add(long sequence, MessageSnapshot message, Collection<String> subscriptionKeys);

    /** One subscription is done with a message. */
    CompletionStage<Void> acknowledge(String subscriptionKey, long sequence);

    /** Records a delivery count for one subscription's message; may be applied lazily. */
    CompletionStage<Void> updateDeliveryCount(String subscriptionKey, long sequence, int deliveryCount);

    /**
     * Durably records how far the broker may have dispatched a durable subscription (see
     * {@link MessageStore#recordDispatchMark}); ignored for a subscription the topic does not have.
     */
    CompletionStage<Void> recordDispatchMark(String subscriptionKey, long mark);

    /** The last dispatch mark recorded for a subscription (also before a restart), or 0. */
    long dispatchMark(String subscriptionKey);

    /** Up to {@code max} messages still owed to a subscription after {@code afterSequence}, in order. */
    List<StoredMessage> read(String subscriptionKey, long afterSequence, int max) throws IOException;

    /** Messages still owed to a subscription. */
    long count(String subscriptionKey);

    /** The highest sequence ever added to this topic, or 0. */
    long lastSequence();
}
