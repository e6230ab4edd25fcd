package io.tern.broker;

import io.tern.broker.destination.DestinationContext;
import io.tern.broker.destination.DispatchQueue;
import io.tern.broker.destination.TopicDestination;
import io.tern.protocol.Address;
import io.tern.protocol.MessageSnapshot;
import io.tern.store.PersistenceAdapter;
import io.tern.store.SubscriptionInfo;
import jakarta.jms.InvalidDestinationException;
import jakarta.jms.InvalidSelectorException;
import jakarta.jms.JMSException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * The destinations of one running broker: created on first use (unless that is turned off), recovered
 * from the store at start, temporary ones tied to their connection.
 *
 * <p>Thread-safe: lookups are lock-free; creation of one destination happens once (computeIfAbsent).
 */
final class DestinationRegistry {

    private static final Logger LOG = LoggerFactory.getLogger(DestinationRegistry.class);

    private final PersistenceAdapter store;
    private final DestinationContext context;
    private final boolean autoCreate;
    private final Map<String, DispatchQueue> queues = new ConcurrentHashMap<>();
    private final Map<String, TopicDestination> topics = new ConcurrentHashMap<>();
    private final Map<Address, ServerConnection> temporaryOwners = new ConcurrentHashMap<>();
    private final Map<Address, DispatchQueue> temporaryQueues = new ConcurrentHashMap<>();
    private final SubscriptionNames subscriptionNames = new SubscriptionNames();
    private final Map<Address, TopicDestination> temporaryTopics = new ConcurrentHashMap<>();

    DestinationRegistry(PersistenceAdapter store, DestinationContext context, boolean autoCreate) {
        this.store = store;
        this.context = context;
        this.autoCreate = autoCreate;
    }

    /** Re-creates every destination the store knows and starts paging their messages in. */
    void recover() throws IOException {
        for (Address address : store.destinations()) {
            if (address.kind() == Address.Kind.QUEUE) {
                DispatchQueue queue = createQueue(address.name());
                queues.put(address.name(), queue);
                queue.recover();
            } else if (address.kind() == Address.Kind.TOPIC) {
                TopicDestination topic = createTopic(address.name());
                topics.put(address.name(), topic);
                synchronized (subscriptionNames) {
                    topic.subscriptions().forEach(sub -> subscriptionNames.register(sub.key(), topic));
                }
            }
        }
        LOG.debug("Recovered {} queues and {} topics", queues.size(), topics.size());
    }

    /** Creates a destination up front (for brokers that do not create them on first use). */
    void define(Address address) {
        if (address.isTopic()) {
            topics.computeIfAbsent(address.name(), this::createTopic);
        } else {
            queues.computeIfAbsent(address.name(), this::createQueue);
        }
    }

    DispatchQueue queue(Address address) throws JMSException {
        if (address.isTemporary()) {
            DispatchQueue q = temporaryQueues.get(address);
            if (q == null) {
                throw new InvalidDestinationException("temporary queue " + address.name() + " does not exist"
                        + " (it was deleted, or its connection closed)");
            }
            return q;
        }
        DispatchQueue q = queues.get(address.name());
        if (q != null) {
            return q;
        }
        if (!autoCreate) {
            throw new InvalidDestinationException("queue " + address.name() + " does not exist and this broker"
                    + " does not create destinations on first use");
        }
        return queues.computeIfAbsent(address.name(), this::createQueue);
    }

    TopicDestination topic(Address address) throws JMSException {
        if (address.isTemporary()) {
            TopicDestination t = temporaryTopics.get(address);
            if (t == null) {
                throw new InvalidDestinationException("temporary topic " + address.name() + " does not exist"
                        + " (it was deleted, or its connection closed)");
            }
            return t;
        }
        TopicDestination t = topics.get(address.name());
        if (t != null) {
            return t;
        }
        if (!autoCreate) {
            throw new InvalidDestinationException("topic " + address.name() + " does not exist and this broker"
                    + " does not create destinations on first use");
        }
        return topics.computeIfAbsent(address.name(), this::createTopic);
    }

    /** The queue if it exists, without creating it. */
    DispatchQueue existingQueue(String name) {
        return queues.get(name);
    }

    TopicDestination existingTopic(String name) {
        return topics.get(name);
    }

    List<DispatchQueue> queues() {
        return new ArrayList<>(queues.values());
    }

    List<TopicDestination> topics() {
        return new ArrayList<>(topics.values());
    }

    /** Every dispatch queue: queues, temporary queues and every topic subscription's. */
    List<DispatchQueue> allDispatchQueues() {
        List<DispatchQueue> all = new ArrayList<>(queues.values());
        all.addAll(temporaryQueues.values());
        for (TopicDestination t : topics.values()) {
            all.addAll(t.subscriptionQueues());
        }
        for (TopicDestination t : temporaryTopics.values()) {
            all.addAll(t.subscriptionQueues());
        }
        return all;
    }

    SubscriptionNames subscriptionNames() {
        return subscriptionNames;
    }

    /** A topic that exists from now on, whether or not destinations are created on first use. */
    TopicDestination definedTopic(String name) {
        return topics.computeIfAbsent(name, this::createTopic);
    }

    /** A queue that exists from now on, whether or not destinations are created on first use. */
    DispatchQueue definedQueue(String name) {
        return queues.computeIfAbsent(name, this::createQueue);
    }

    void createTemporary(Address address, ServerConnection owner) throws JMSException {
        if (temporaryOwners.putIfAbsent(address, owner) != null) {
            throw new InvalidDestinationException("temporary destination " + address.name() + " exists already");
        }
        if (address.isTopic()) {
            temporaryTopics.put(address, new TopicDestination(address, null, context, Map.of()));
        } else {
            temporaryQueues.put(address, new DispatchQueue(address, null, context));
        }
    }

    ServerConnection temporaryOwner(Address address) {
        return temporaryOwners.get(address);
    }

    /** Deletes a temporary destination; refused while it has consumers. */
    void deleteTemporary(Address address, ServerConnection owner, boolean force) throws JMSException {
        if (temporaryOwners.get(address) != owner) {
            throw new InvalidDestinationException("temporary destination " + address.name()
                    + " does not exist or belongs to another connection");
        }
        if (address.isTopic()) {
            TopicDestination t = temporaryTopics.get(address);
            if (!force && t != null && t.consumerCount() > 0) {
                throw new jakarta.jms.IllegalStateException("temporary topic " + address.name()
                        + " has consumers; close them before deleting it");
            }
            temporaryTopics.remove(address);
            if (t != null) {
                t.close();
            }
        } else {
            DispatchQueue q = temporaryQueues.get(address);
            if (!force && q != null && q.statistics().consumers() > 0) {
                throw new jakarta.jms.IllegalStateException("temporary queue " + address.name()
                        + " has consumers; close them before deleting it");
            }
            temporaryQueues.remove(address);
            if (q != null) {
                q.close();
            }
        }
        temporaryOwners.remove(address);
    }

    /** Removes a queue and its stored messages. */
    boolean removeQueue(String name) throws IOException {
        DispatchQueue q = queues.remove(name);
        if (q == null) {
            return false;
        }
        q.close();
        store.removeDestination(Address.queue(name));
        return true;
    }

    /** Closes every destination; {@code orderly} when every delivery was released (a broker's stop). */
    void closeAll(boolean orderly) {
        queues.values().forEach(q -> q.close(orderly));
        topics.values().forEach(t -> t.close(orderly));
        temporaryQueues.values().forEach(DispatchQueue::close);
        temporaryTopics.values().forEach(TopicDestination::close);
    }

    private DispatchQueue createQueue(String name) {
        Address address = Address.queue(name);
        try {
            return new DispatchQueue(address, io.tern.broker.destination.EntryBacking.of(store.queueStore(name)),
                    context);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot open the store of queue " + name, e);
        }
    }

    private TopicDestination createTopic(String name) {
        Address address = Address.topic(name);
        try {
            var topicStore = store.topicStore(name);
            Map<SubscriptionInfo, Predicate<MessageSnapshot>> recovered = new LinkedHashMap<>();
            for (SubscriptionInfo info : topicStore.subscriptions()) {
                try {
                    recovered.put(info, MessageFilters.compile(info.selector()));
                } catch (InvalidSelectorException e) {
                    LOG.error("Durable subscription {} on topic {} has a selector that no longer parses;"
                            + " it receives nothing until replaced: {}", info.name(), name, e.getMessage());
                    recovered.put(info, m -> false);
                }
            }
            return new TopicDestination(address, topicStore, context, recovered);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot open the store of topic " + name, e);
        }
    }
}
