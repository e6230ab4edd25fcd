package io.tern.broker.destination;

import io.tern.protocol.Address;
import io.tern.protocol.MessageSnapshot;
import io.tern.store.SubscriptionInfo;
import io.tern.store.TopicMessageStore;
import jakarta.jms.IllegalStateException;
import jakarta.jms.JMSException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;

/**
 * A topic: numbers each published message and offers it to every subscription that wants it.
 * A persistent message for durable subscriptions is written once to the topic store with the keys of
 * those subscriptions, then offered to each.
 *
 * <p><b>Threading.</b> The subscription map and the sequence are guarded by this object's monitor;
 * publishing holds it only while choosing subscriptions and submitting the store write, so messages
 * reach every subscription in sequence order.
 */
public final class TopicDestination {

    private final Address address;
    private final TopicMessageStore store;
    private final DestinationContext context;
    private final Map<String, TopicSubscription> subscriptions = new LinkedHashMap<>();
    private long nextSequence;
    private long published;

    /**
     * @param store the topic's store for durable subscriptions; null for a temporary topic
     */
    public TopicDestination(Address address, TopicMessageStore store, DestinationContext context,
                            Map<SubscriptionInfo, Predicate<MessageSnapshot>> recovered) {
        this.address = address;
        this.store = store;
        this.context = context;
        this.nextSequence = (store == null ? 0 : store.lastSequence()) + 1;
        recovered.forEach((info, filter) -> {
            TopicSubscription sub = newDurable(info, filter);
            subscriptions.put(sub.key(), sub);
            sub.queue().recover();
        });
    }

    public Address address() {
        return address;
    }

    /**
     * Publishes a message; completes when every durable subscription that wants it has it stored.
     *
     * @param publisher the publishing connection, for noLocal
     * @param publisherClientId its client ID, for durable noLocal
     */
    public synchronized CompletableFuture<Void> publish(MessageSnapshot message, Object publisher,
                                                       String publisherClientId) {
        long sequence = nextSequence++;
        published++;
        List<TopicSubscription> durable = null;
        for (TopicSubscription sub : subscriptions.values()) {
            if (!sub.wants(message, publisher, publisherClientId)) {
                continue;
            }
            if (sub.isDurable() && message.isPersistent()) {
                if (durable == null) {
                    durable = new ArrayList<>();
                }
                durable.add(sub);
            } else {
                sub.queue().offer(sequence, message, false);
            }
        }
        if (durable == null) {
            return CompletableFuture.completedFuture(null);
        }
        List<String> keys = new ArrayList<>(durable.size());
        durable.forEach(s -> keys.add(s.key()));
        List<TopicSubscription> targets = durable;
        // Stored before it is offered: a subscription paging in meanwhile must not read it too.
        targets.forEach(s -> s.queue().reserve(sequence));
        return store.add(sequence, message, keys).toCompletableFuture().whenComplete((ok, failure) -> {
            if (failure != null) {
                targets.forEach(s -> s.queue().cancelReservation(sequence));
            }
        }).thenRun(() -> targets.forEach(s -> s.queue().offer(sequence, message, true)));
    }

    /** The subscriptions a transaction commit must store a persistent message for. */
    public synchronized List<String> durableKeysFor(MessageSnapshot message, Object publisher,
                                                     String publisherClientId) {
        List<String> keys = new ArrayList<>();
        for (TopicSubscription sub : subscriptions.values()) {
            if (sub.isDurable() && sub.wants(message, publisher, publisherClientId)) {
                keys.add(sub.key());
            }
        }
        return keys;
    }

    /** Makes sure later messages are numbered above a sequence a prepared transaction holds. */
    public synchronized void reserveAbove(long sequence) {
        nextSequence = Math.max(nextSequence, sequence + 1);
        reserveInDurableSubscriptions(sequence);
    }

    /**
     * A sequence for a message a transaction commit will store itself; the durable subscriptions' page-in
     * skips it until {@link #offerCommitted} or {@link #cancelReservation}.
     */
    public synchronized long reserveSequence() {
        long sequence = nextSequence++;
        reserveInDurableSubscriptions(sequence);
        return sequence;
    }

    private void reserveInDurableSubscriptions(long sequence) {
        for (TopicSubscription sub : subscriptions.values()) {
            if (sub.isDurable()) {
                sub.queue().reserve(sequence);
            }
        }
    }

    /** A reserved sequence will not be offered. */
    public synchronized void cancelReservation(long sequence) {
        subscriptions.values().forEach(sub -> sub.queue().cancelReservation(sequence));
    }

    /**
     * Offers a message whose store write (if any, for {@code storedKeys}) a transaction commit did;
     * non-durable subscriptions get it in memory.
     */
    public synchronized void offerCommitted(long sequence, MessageSnapshot message, Collection<String> storedKeys,
                                            Object publisher, String publisherClientId) {
        published++;
        for (TopicSubscription sub : subscriptions.values()) {
            if (storedKeys.contains(sub.key())) {
                sub.queue().offer(sequence, message, true);
            } else if (!sub.isDurable() || !message.isPersistent()) {
                if (sub.wants(message, publisher, publisherClientId)) {
                    sub.queue().offer(sequence, message, false);
                }
            }
        }
        // Offering ended the reservation of the subscriptions it stored for; the others end it here.
        for (TopicSubscription sub : subscriptions.values()) {
            if (sub.isDurable()) {
                sub.queue().cancelReservation(sequence);
            }
        }
    }

    /** A subscription for one plain consumer; it goes when the consumer goes. */
    public synchronized TopicSubscription subscribe(String key, Predicate<MessageSnapshot> filter,
                                                    Object localOwner) {
        DispatchQueue queue = new DispatchQueue(address, null, context);
        TopicSubscription sub = new TopicSubscription(key, null, null, queue, filter, localOwner, null);
        sub.consumers = 1;
        subscriptions.put(key, sub);
        return sub;
    }

    /**
     * Joins (or creates) a shared non-durable subscription; it goes with its last consumer.
     *
     * @throws JMSException when it exists with another selector
     */
    public synchronized TopicSubscription joinShared(String key, String selector, Predicate<MessageSnapshot> filter)
            throws JMSException {
        TopicSubscription sub = subscriptions.get(key);
        if (sub == null) {
            DispatchQueue queue = new DispatchQueue(address, null, context);
            sub = new TopicSubscription(key, null, selector, queue, filter, null, null);
            subscriptions.put(key, sub);
        } else if (!java.util.Objects.equals(sub.selector(), selector)) {
            throw new JMSException("shared subscription on " + address + " is in use with selector "
                    + (sub.selector() == null ? "none" : "'" + sub.selector() + "'") + "; a consumer with selector "
                    + (selector == null ? "none" : "'" + selector + "'") + " cannot join it");
        }
        sub.consumers++;
        return sub;
    }

    /**
     * Joins or creates a durable subscription. An existing one with a different selector or noLocal is
     * replaced (its messages dropped) when nobody consumes from it.
     *
     * @param clientId the connection's client ID (for noLocal)
     * @throws IllegalStateException when an unshared subscription already has its consumer, or a
     *                               replacement is needed while it is in use
     */
    public synchronized TopicSubscription joinDurable(SubscriptionInfo info, Predicate<MessageSnapshot> filter,
                                                      String clientId) throws JMSException {
        TopicSubscription sub = subscriptions.get(info.key());
        if (sub != null && !sameDefinition(sub.info(), info)) {
            if (sub.consumers > 0) {
                throw new IllegalStateException("durable subscription '" + info.name() + "' on " + address
                        + " is in use with another selector or noLocal; close its consumers first");
            }
            dropSubscription(sub);
            sub = null;
        }
        if (sub == null) {
            join(store.addSubscription(info));
            sub = newDurable(info, filter);
            subscriptions.put(sub.key(), sub);
        }
        if (!info.shared() && sub.consumers > 0) {
            throw new IllegalStateException("durable subscription '" + info.name() + "' of client '"
                    + info.clientId() + "' already has an active consumer");
        }
        sub.consumers++;
        return sub;
    }

    private static boolean sameDefinition(SubscriptionInfo a, SubscriptionInfo b) {
        return a.noLocal() == b.noLocal() && java.util.Objects.equals(a.selector(), b.selector());
    }

    private TopicSubscription newDurable(SubscriptionInfo info, Predicate<MessageSnapshot> filter) {
        DispatchQueue queue = new DispatchQueue(address, EntryBacking.of(store, info.key()), context);
        return new TopicSubscription(info.key(), info, info.selector(), queue, filter, null,
                info.noLocal() ? info.clientId() : null);
    }

    /** A consumer leaves; a non-durable subscription goes with its last consumer. */
    public synchronized void removeConsumer(TopicSubscription sub) {
        sub.consumers--;
        if (sub.consumers <= 0 && !sub.isDurable()) {
            subscriptions.remove(sub.key(), sub);
            sub.queue().close();
        }
    }

    /**
     * Removes a durable subscription and its messages.
     *
     * @return false when there is no such subscription
     * @throws IllegalStateException while a consumer uses it
     */
    public synchronized boolean unsubscribe(String key) throws JMSException {
        TopicSubscription sub = subscriptions.get(key);
        if (sub == null || !sub.isDurable()) {
            return false;
        }
        if (sub.consumers > 0) {
            throw new IllegalStateException("durable subscription '" + sub.info().name()
                    + "' has an active consumer; close it before unsubscribing");
        }
        dropSubscription(sub);
        return true;
    }

    public synchronized TopicSubscription subscription(String key) {
        return subscriptions.get(key);
    }

    private void dropSubscription(TopicSubscription sub) {
        subscriptions.remove(sub.key());
        sub.queue().close();
        join(store.removeSubscription(sub.key()));
    }

    private static void join(java.util.concurrent.CompletionStage<Void> stage) {
        try {
            stage.toCompletableFuture().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UncheckedIOException(new IOException("interrupted while writing a subscription"));
        } catch (java.util.concurrent.ExecutionException e) {
            throw new UncheckedIOException(new IOException("cannot write a subscription: " + e.getCause(),
                    e.getCause()));
        }
    }

    public synchronized List<TopicSubscription> subscriptions() {
        return new ArrayList<>(subscriptions.values());
    }

    public synchronized int consumerCount() {
        int n = 0;
        for (TopicSubscription s : subscriptions.values()) {
            n += s.consumers;
        }
        return n;
    }

    public synchronized long publishedCount() {
        return published;
    }

    /** The queues of every subscription, for the broker's periodic expiry and schedule checks. */
    public synchronized List<DispatchQueue> subscriptionQueues() {
        List<DispatchQueue> queues = new ArrayList<>(subscriptions.size());
        subscriptions.values().forEach(s -> queues.add(s.queue()));
        return queues;
    }

    public synchronized void close() {
        close(false);
    }

    /** Closes every subscription's queue; {@code orderly} as in {@link DispatchQueue#close(boolean)}. */
    public synchronized void close(boolean orderly) {
        subscriptions.values().forEach(s -> s.queue().close(orderly));
    }
}
