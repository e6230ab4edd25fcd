package io.tern.broker;

import io.tern.broker.destination.DispatchQueue;
import io.tern.broker.destination.QueueEntry;
import io.tern.broker.destination.TopicDestination;
import io.tern.broker.destination.TopicSubscription;
import io.tern.protocol.Address;
import io.tern.protocol.MessageSnapshot;
import io.tern.store.GlobalTransactionId;
import io.tern.store.SubscriptionInfo;
import io.tern.store.TransactionOperation;
import io.tern.transport.BrokerConnection;
import io.tern.transport.ConsumerSpec;
import io.tern.transport.Delivery;
import io.tern.transport.DeliveryListener;
import jakarta.jms.IllegalStateException;
import jakarta.jms.InvalidClientIDException;
import jakarta.jms.InvalidDestinationException;
import jakarta.jms.JMSException;
import jakarta.jms.ResourceAllocationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * The broker's side of one client connection: its consumers, the deliveries in flight to it, its open
 * transactions and temporary destinations. The vm transport calls it directly; the tcp transport calls
 * it from decoded commands.
 *
 * <p><b>Threading.</b> Any client thread calls in; destinations call {@link #deliver} from their dispatch
 * (under their lock). Shared state is in concurrent maps; a delivery is registered in flight before it is
 * handed to the listener, so an acknowledgement can never overtake it.
 */
public final class ServerConnection implements BrokerConnection {

    private static final Logger LOG = LoggerFactory.getLogger(ServerConnection.class);

    private final RunningBroker broker;
    private final String connectionId;
    private final DeliveryListener listener;
    private final AtomicLong deliveryIds = new AtomicLong();
    private final Map<Long, ServerConsumer> consumers = new ConcurrentHashMap<>();
    private final Map<Long, InFlight> inFlight = new ConcurrentHashMap<>();
    private final Map<Long, BrokerTransaction> transactions = new ConcurrentHashMap<>();
    private final Set<Address> temporaryDestinations = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile String clientId;
    /** Completes when the previous send was handed over; guarded by this object's monitor. */
    private CompletableFuture<Void> sendGate = CompletableFuture.completedFuture(null);

    private record InFlight(DispatchQueue queue, QueueEntry entry) {
    }

    ServerConnection(RunningBroker broker, String connectionId, DeliveryListener listener) {
        this.broker = broker;
        this.connectionId = connectionId;
        this.listener = listener;
    }

    public String connectionId() {
        return connectionId;
    }

    String clientId() {
        return clientId;
    }

    @Override
    public String brokerName() {
        return broker.name();
    }

    @Override
    public void setClientId(String id) throws JMSException {
        checkOpen();
        if (id == null || id.isBlank()) {
            throw new InvalidClientIDException("client ID must not be null or blank");
        }
        if (clientId != null) {
            throw new IllegalStateException("client ID is already set to '" + clientId + "'");
        }
        broker.claimClientId(id, this);
        clientId = id;
    }

    @Override
    public void checkDestination(Address address) throws JMSException {
        checkOpen();
        resolve(address);
    }

    private Object resolve(Address address) throws JMSException {
        checkName(address);
        return address.isTopic() ? broker.destinations().topic(address) : broker.destinations().queue(address);
    }

    @Override
    public CompletableFuture<Void> send(long transactionId, MessageSnapshot message) {
        try {
            checkOpen();
            Address address = message.destination();
            if (address == null) {
                throw new InvalidDestinationException("message has no destination");
            }
            Object destination = resolve(address);
            return inSendOrder(message, address, () -> {
                if (transactionId != 0) {
                    transaction(transactionId).addSend(message);
                    return CompletableFuture.completedFuture(null);
                }
                ProducerSequences.Judgement judgement;
                try {
                    judgement = broker.producerSequences().judge(message);
                } catch (java.io.IOException e) {
                    return CompletableFuture.failedFuture(jmsException("cannot read where producer "
                            + message.producerId() + " stands from the store: " + e.getMessage(), e));
                }
                if (judgement.isResend()) {
                    LOG.debug("Message {} is a resend of producer {} sequence {}; dropped", message.messageId(),
                            message.producerId(), message.producerSequence());
                    return judgement.original();
                }
                CompletableFuture<Void> sent;
                try {
                    sent = deliverSend(destination, message);
                } catch (RuntimeException e) {
                    sent = CompletableFuture.failedFuture(e);
                }
                judgement.sent(sent);
                return sent;
            });
        } catch (JMSException e) {
            return CompletableFuture.failedFuture(e);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * Passes a send through flow control and hands it to its destination (or transaction) strictly in the
     * order the connection sent it, even when flow control holds some back; its completion (the store
     * write) does not hold back the next send, so many sends still share one sync.
     */
    private CompletableFuture<Void> inSendOrder(MessageSnapshot message, Address address,
                                                java.util.function.Supplier<CompletableFuture<Void>> handOver) {
        CompletableFuture<CompletableFuture<Void>> handedOver;
        synchronized (this) {
            handedOver = sendGate.thenCompose(v -> broker.flowControl(message, address)).thenApply(v -> handOver.get());
            sendGate = handedOver.handle((f, failure) -> null);
        }
        return handedOver.thenCompose(f -> f);
    }

    private CompletableFuture<Void> deliverSend(Object destination, MessageSnapshot message) {
        if (destination instanceof TopicDestination topic) {
            return topic.publish(message, this, clientId);
        }
        return ((DispatchQueue) destination).enqueue(message);
    }

    private BrokerTransaction transaction(long transactionId) {
        return transactions.computeIfAbsent(transactionId, id -> new BrokerTransaction());
    }

    @Override
    public void addConsumer(ConsumerSpec spec) throws JMSException {
        checkOpen();
        if (consumers.containsKey(spec.consumerId())) {
            throw new IllegalStateException("consumer " + spec.consumerId() + " exists already");
        }
        Address address = spec.address();
        checkName(address);
        if ((spec.durable() || spec.shared())
                && (spec.subscriptionName() == null || spec.subscriptionName().isEmpty())) {
            throw new JMSException("a durable or shared subscription needs a name");
        }
        if (address.isTemporary()) {
            ServerConnection owner = broker.destinations().temporaryOwner(address);
            if (owner == null) {
                throw new InvalidDestinationException("temporary destination " + address.name()
                        + " does not exist (deleted, or its connection closed)");
            }
            if (owner != this) {
                throw new InvalidDestinationException("temporary destination " + address.name()
                        + " belongs to another connection; only its own connection may consume from it");
            }
        }
        Predicate<MessageSnapshot> filter = MessageFilters.compile(spec.selector());
        ServerConsumer consumer;
        if (!address.isTopic()) {
            consumer = new ServerConsumer(this, spec, broker.destinations().queue(address), filter);
        } else {
            TopicDestination topic = broker.destinations().topic(address);
            consumer = new ServerConsumer(this, spec, topic, subscribe(topic, spec, filter));
        }
        consumers.put(spec.consumerId(), consumer);
        consumer.open();
    }

    private TopicSubscription subscribe(TopicDestination topic, ConsumerSpec spec, Predicate<MessageSnapshot> filter)
            throws JMSException {
        if (!spec.durable() && !spec.shared()) {
            return topic.subscribe(connectionId + ":" + spec.consumerId(), filter, spec.noLocal() ? this : null);
        }
        if (spec.durable() && topic.address().isTemporary()) {
            throw new InvalidDestinationException("a durable subscription cannot be on a temporary topic");
        }
        if (spec.durable() && !spec.shared() && clientId == null) {
            throw new IllegalStateException("an unshared durable subscription needs a client ID;"
                    + " set one on the connection or the connection factory");
        }
        String name = spec.subscriptionName();
        SubscriptionNames names = broker.destinations().subscriptionNames();
        synchronized (names) {
            if (!spec.durable()) {
                String key = SubscriptionInfo.keyOf(clientId, name, true) + ":nondurable";
                TopicDestination holder = names.topicOf(key);
                if (holder != null && holder != topic) {
                    throw new JMSException("shared subscription '" + name + "' is in use on " + holder.address()
                            + "; it cannot also be on " + topic.address());
                }
                TopicSubscription sub = topic.joinShared(key, spec.selector(), filter);
                names.register(key, topic);
                return sub;
            }
            String key = SubscriptionInfo.keyOf(clientId, name, spec.shared());
            String otherKind = SubscriptionInfo.keyOf(clientId, name, !spec.shared());
            if (names.topicOf(otherKind) != null) {
                throw new JMSException("'" + name + "' already names " + (spec.shared() ? "an unshared" : "a shared")
                        + " durable subscription" + (clientId == null ? "" : " of client ID '" + clientId + "'")
                        + "; shared and unshared durable subscriptions cannot share a name");
            }
            TopicDestination holder = names.topicOf(key);
            if (holder != null && holder != topic) {
                // Naming the subscription on another topic replaces it, unless it is in use (spec 8.3.2).
                if (!holder.unsubscribe(key)) {
                    names.unregister(key);
                }
                names.unregister(key);
            }
            SubscriptionInfo info = new SubscriptionInfo(clientId, name, spec.selector(), spec.noLocal(),
                    spec.shared());
            TopicSubscription sub = topic.joinDurable(info, filter, clientId);
            names.register(key, topic);
            return sub;
        }
    }

    @Override
    public void addCredit(long consumerId, int messages) {
        ServerConsumer consumer = consumers.get(consumerId);
        if (consumer != null) {
            consumer.queue().addCredit(consumer, messages);
        }
    }

    @Override
    public void removeConsumer(long consumerId) {
        ServerConsumer consumer = consumers.remove(consumerId);
        if (consumer != null) {
            consumer.close();
        }
    }

    void deliver(ServerConsumer consumer, DispatchQueue queue, QueueEntry entry, int deliveryCount) {
        long id = deliveryIds.incrementAndGet();
        inFlight.put(id, new InFlight(queue, entry));
        listener.onDelivery(new Delivery(consumer.spec().consumerId(), id, entry.message(), deliveryCount));
    }

    @Override
    public void acknowledge(long[] deliveryIdsToAck) throws JMSException {
        checkOpen();
        List<CompletableFuture<Void>> pending = null;
        for (long id : deliveryIdsToAck) {
            InFlight f = inFlight.remove(id);
            if (f == null) {
                continue;
            }
            CompletableFuture<Void> removal = f.queue.acknowledge(f.entry).toCompletableFuture();
            // Most removals are done already (memory-only messages, the memory store): wait only for the rest.
            if (!removal.isDone() || removal.isCompletedExceptionally()) {
                if (pending == null) {
                    pending = new ArrayList<>();
                }
                pending.add(removal);
            }
        }
        if (pending != null) {
            await(CompletableFuture.allOf(pending.toArray(new CompletableFuture[0])), "acknowledge");
        }
    }

    @Override
    public void release(long[] deliveryIdsToRelease, boolean seen) {
        for (long id : deliveryIdsToRelease) {
            InFlight f = inFlight.remove(id);
            if (f != null) {
                f.queue.release(f.entry, seen);
            }
        }
    }

    @Override
    public void commit(long transactionId, long[] acknowledged) throws JMSException {
        checkOpen();
        commitWork(collect(transactionId, acknowledged), null);
    }

    @Override
    public void commit(long transactionId, long[] acknowledged, String outcomeKey) throws JMSException {
        checkOpen();
        if (outcomeKey == null || outcomeKey.isEmpty()) {
            rollback(transactionId, acknowledged);
            throw new JMSException("a commit's outcome key must not be null or empty; the transaction is rolled back");
        }
        try {
            broker.transactionOutcomes().claim(outcomeKey);
        } catch (JMSException e) {
            rollback(transactionId, acknowledged);
            throw e;
        }
        TransactionWork work;
        try {
            work = collect(transactionId, acknowledged);
        } catch (JMSException | RuntimeException e) {
            broker.transactionOutcomes().abandoned(outcomeKey);
            throw e;
        }
        commitWork(work, outcomeKey);
    }

    @Override
    public boolean transactionCommitted(String outcomeKey) throws JMSException {
        checkOpen();
        if (outcomeKey == null || outcomeKey.isEmpty()) {
            throw new JMSException("an outcome key must not be null or empty");
        }
        return broker.transactionOutcomes().wasCommitted(outcomeKey);
    }

    /**
     * Writes a transaction's operations (with its outcome key, when it has one and writes anything) and
     * applies its effects. When the store does not answer in time the outcome is unknown: the effects and
     * the key then follow whatever the store does in the end, and the client is told to ask.
     */
    private void commitWork(TransactionWork work, String outcomeKey) throws JMSException {
        TransactionOutcomes outcomes = broker.transactionOutcomes();
        if (work.operations().isEmpty()) {
            work.committed();
            if (outcomeKey != null) {
                outcomes.committed(outcomeKey);
            }
            return;
        }
        if (outcomeKey != null) {
            work.addOperation(new TransactionOperation.RecordOutcome(outcomeKey));
        }
        CompletableFuture<Void> stored;
        try {
            stored = broker.store().transactionStore().commit(work.operations()).toCompletableFuture();
        } catch (RuntimeException e) {
            stored = CompletableFuture.failedFuture(e);
        }
        try {
            await(stored, "commit");
        } catch (JMSException e) {
            stored.whenComplete((ok, failure) -> {
                if (failure == null) {
                    work.committed();
                    if (outcomeKey != null) {
                        outcomes.committed(outcomeKey);
                    }
                } else {
                    work.rolledBack();
                    if (outcomeKey != null) {
                        outcomes.abandoned(outcomeKey);
                    }
                }
            });
            throw e;
        }
        work.committed();
        if (outcomeKey != null) {
            outcomes.committed(outcomeKey);
        }
    }

    @Override
    public boolean prepare(long transactionId, GlobalTransactionId xid, long[] acknowledged) throws JMSException {
        checkOpen();
        TransactionWork work = collect(transactionId, acknowledged);
        if (work.isEmpty()) {
            return false;
        }
        broker.preparedTransactions().prepare(xid, work);
        return true;
    }

    @Override
    public void commitPrepared(GlobalTransactionId xid) throws JMSException {
        checkOpen();
        broker.preparedTransactions().commit(xid);
    }

    @Override
    public void rollbackPrepared(GlobalTransactionId xid) throws JMSException {
        checkOpen();
        broker.preparedTransactions().rollback(xid);
    }

    @Override
    public List<GlobalTransactionId> recoverPrepared() throws JMSException {
        checkOpen();
        return broker.preparedTransactions().prepared();
    }

    /**
     * The store operations and in-memory effects of a transaction's sends and acknowledgements. The
     * acknowledged deliveries leave the connection's in-flight map: the transaction owns them now.
     */
    private TransactionWork collect(long transactionId, long[] acknowledged) throws JMSException {
        BrokerTransaction tx = transactions.remove(transactionId);
        List<MessageSnapshot> sends = tx == null ? List.of() : tx.sends();
        TransactionWork work = new TransactionWork();
        // Resends of messages accepted already (a failover client's) are dropped from the transaction.
        List<ProducerSequences.Judgement> accepted = new ArrayList<>();
        try {
            for (MessageSnapshot message : sends) {
                ProducerSequences.Judgement judgement = broker.producerSequences().judge(message);
                if (judgement.isResend()) {
                    continue;
                }
                accepted.add(judgement);
                prepareSend(message, work);
            }
        } catch (java.io.IOException e) {
            settle(accepted, false);
            throw jmsException("cannot read where a producer stands from the store: " + e.getMessage(), e);
        } catch (JMSException | RuntimeException e) {
            settle(accepted, false);
            throw e;
        }
        if (!accepted.isEmpty()) {
            work.onCommitted(() -> settle(accepted, true));
            work.onRolledBack(() -> settle(accepted, false));
        }
        for (long id : acknowledged) {
            InFlight f = inFlight.remove(id);
            if (f == null) {
                continue;
            }
            TransactionOperation removal = f.queue.removalOf(f.entry);
            if (removal != null) {
                work.addOperation(removal);
            }
            work.onCommitted(() -> f.queue.acknowledgeStored(f.entry));
            work.onRolledBack(() -> f.queue.release(f.entry, true));
        }
        return work;
    }

    /** Reports the outcome of a transaction's accepted sends; the last first, so failures give back sequences. */
    private static void settle(List<ProducerSequences.Judgement> accepted, boolean committed) {
        CompletableFuture<Void> outcome = committed ? CompletableFuture.completedFuture(null)
                : CompletableFuture.failedFuture(new JMSException("the transaction was not committed"));
        for (int i = accepted.size() - 1; i >= 0; i--) {
            accepted.get(i).sent(outcome);
        }
    }

    private void prepareSend(MessageSnapshot message, TransactionWork work) throws JMSException {
        Address address = message.destination();
        if (address.isTopic()) {
            TopicDestination topic = broker.destinations().topic(address);
            long sequence = topic.reserveSequence();
            List<String> keys = message.isPersistent() && !address.isTemporary()
                    ? topic.durableKeysFor(message, this, clientId) : List.of();
            if (!keys.isEmpty()) {
                work.addOperation(new TransactionOperation.TopicAdd(address.name(), sequence, message, keys));
            }
            String publisherClientId = clientId;
            work.onCommitted(() -> topic.offerCommitted(sequence, message, keys, this, publisherClientId));
            work.onRolledBack(() -> topic.cancelReservation(sequence));
        } else {
            DispatchQueue queue = broker.destinations().queue(address);
            long sequence = queue.reserveSequence();
            boolean stored = message.isPersistent() && !address.isTemporary();
            if (stored) {
                work.addOperation(new TransactionOperation.QueueAdd(address.name(), sequence, message));
            }
            work.onCommitted(() -> queue.offer(sequence, message, stored));
            work.onRolledBack(() -> queue.cancelReservation(sequence));
        }
    }

    @Override
    public void rollback(long transactionId, long[] seen) {
        transactions.remove(transactionId);
        release(seen, true);
    }

    @Override
    public List<MessageSnapshot> browse(Address queue, String selector) throws JMSException {
        checkOpen();
        if (queue.isTopic()) {
            throw new InvalidDestinationException("only queues can be browsed, not " + queue);
        }
        Predicate<MessageSnapshot> filter = MessageFilters.compile(selector);
        List<MessageSnapshot> out = new ArrayList<>();
        try {
            for (MessageSnapshot m : broker.destinations().queue(queue).browse()) {
                if (filter.test(m)) {
                    out.add(m);
                }
            }
        } catch (java.io.IOException e) {
            throw jmsException("cannot read " + queue + " from its store: " + e.getMessage(), e);
        }
        return out;
    }

    @Override
    public void createTemporaryDestination(Address address) throws JMSException {
        checkOpen();
        broker.destinations().createTemporary(address, this);
        temporaryDestinations.add(address);
    }

    @Override
    public void deleteTemporaryDestination(Address address) throws JMSException {
        checkOpen();
        broker.destinations().deleteTemporary(address, this, false);
        temporaryDestinations.remove(address);
    }

    @Override
    public void unsubscribe(String subscriptionName) throws JMSException {
        checkOpen();
        if (subscriptionName == null || subscriptionName.isEmpty()) {
            throw new InvalidDestinationException("subscription name must not be null or empty");
        }
        SubscriptionNames names = broker.destinations().subscriptionNames();
        synchronized (names) {
            for (boolean shared : new boolean[] {false, true}) {
                String key = SubscriptionInfo.keyOf(clientId, subscriptionName, shared);
                TopicDestination holder = names.topicOf(key);
                if (holder != null && holder.unsubscribe(key)) {
                    names.unregister(key);
                    return;
                }
            }
        }
        throw new InvalidDestinationException("no durable subscription named '" + subscriptionName + "'"
                + (clientId == null ? "" : " for client ID '" + clientId + "'"));
    }

    @Override
    public void close() {
        shutDown(null);
    }

    /** Closes the connection; with a cause, tells the client its connection failed. */
    void shutDown(Exception cause) {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        for (ServerConsumer consumer : new ArrayList<>(consumers.values())) {
            consumer.close();
        }
        consumers.clear();
        Set<Long> ids = new HashSet<>(inFlight.keySet());
        for (Long id : ids) {
            InFlight f = inFlight.remove(id);
            if (f != null) {
                f.queue.release(f.entry, true);
            }
        }
        transactions.clear();
        for (Address address : temporaryDestinations) {
            try {
                broker.destinations().deleteTemporary(address, this, true);
            } catch (JMSException e) {
                LOG.debug("Temporary destination {} was already gone", address);
            }
        }
        temporaryDestinations.clear();
        if (clientId != null) {
            broker.releaseClientId(clientId, this);
        }
        broker.connectionClosed(this);
        if (cause != null) {
            listener.onConnectionFailure(cause);
        }
    }

    /** Clients of any transport may send any name; the broker refuses the invalid ones itself. */
    private static void checkName(Address address) throws JMSException {
        String reason = Address.invalidNameReason(address.name());
        if (reason != null) {
            throw new InvalidDestinationException(reason);
        }
    }

    private void checkOpen() throws JMSException {
        if (closed.get()) {
            throw new IllegalStateException("the connection to broker '" + broker.name() + "' is closed");
        }
    }

    private void await(CompletableFuture<?> future, String what) throws JMSException {
        try {
            future.get(broker.storeTimeoutMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw jmsException("interrupted while waiting for the store to " + what, e);
        } catch (ExecutionException | CompletionException e) {
            throw jmsException("the store failed to " + what + ": " + e.getCause().getMessage(), e.getCause());
        } catch (java.util.concurrent.TimeoutException e) {
            throw jmsException("the store did not " + what + " within " + broker.storeTimeoutMillis() + " ms", e);
        }
    }

    private static JMSException jmsException(String message, Throwable cause) {
        if (cause instanceof JMSException j) {
            return j;
        }
        JMSException e = new JMSException(message);
        e.setLinkedException(cause instanceof Exception ex ? ex : new Exception(cause));
        e.initCause(cause);
        return e;
    }

    static ResourceAllocationException resourceExhausted(String message) {
        return new ResourceAllocationException(message);
    }
}
