package io.tern.broker;

import io.tern.broker.destination.DestinationContext;
import io.tern.broker.destination.DispatchQueue;
import io.tern.protocol.Address;
import io.tern.protocol.MessageSnapshot;
import io.tern.store.PersistenceAdapter;
import io.tern.transport.DeliveryListener;
import jakarta.jms.InvalidClientIDException;
import jakarta.jms.JMSException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Everything that exists while a {@link Broker} runs: its store, memory budget, destinations, task
 * threads and connections. A broker makes a new one at each start, so a restart begins clean.
 *
 * <p>Thread-safe: connections and client IDs are in concurrent maps; the rest is fixed at creation.
 */
final class RunningBroker {

    private static final Logger LOG = LoggerFactory.getLogger(RunningBroker.class);
    private static final AtomicLong CONNECTION_IDS = new AtomicLong();

    private final String name;
    private final BrokerConfig config;
    private final PersistenceAdapter store;
    private final MessageMemory memory;
    private final ScheduledExecutorService tasks;
    private final DestinationRegistry destinations;
    private final PreparedTransactions preparedTransactions;
    private final TransactionOutcomes transactionOutcomes;
    private final ProducerSequences producerSequences;
    private final Set<ServerConnection> connections = ConcurrentHashMap.newKeySet();
    private final Map<String, ServerConnection> clientIds = new ConcurrentHashMap<>();
    private final String instanceId;
    private volatile boolean stopping;

    RunningBroker(BrokerConfig config, PersistenceAdapter store) {
        this.name = config.name();
        this.config = config;
        this.store = store;
        this.memory = new MessageMemory(config.memoryLimit());
        AtomicInteger threads = new AtomicInteger();
        this.tasks = Executors.newScheduledThreadPool(1, r -> {
            Thread t = new Thread(r, "tern-" + name + "-tasks-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        DeadLetterRouter router = new DeadLetterRouter(config.expiryQueue());
        this.destinations = new DestinationRegistry(store,
                new DestinationContext(memory, config.clock(), tasks, router, config::redeliveryPolicyFor),
                config.autoCreateDestinations());
        router.attach(destinations);
        this.preparedTransactions = new PreparedTransactions(store, destinations, config.storeTimeout().toMillis());
        this.transactionOutcomes = new TransactionOutcomes(store.transactionStore(), config.clock(),
                config.storeTimeout().toMillis());
        this.producerSequences = new ProducerSequences(store.transactionStore());
        this.instanceId = java.util.UUID.randomUUID().toString().substring(0, 8);
    }

    void open() throws IOException {
        destinations.recover();
        preparedTransactions.recover();
        for (Address address : config.destinations()) {
            destinations.define(address);
        }
        // Due messages are normally woken by a timer per queue; this also catches a clock moved by hand.
        tasks.scheduleWithFixedDelay(this::checkScheduled, 1, 1, TimeUnit.SECONDS);
        long sweep = config.expirySweepInterval().toMillis();
        tasks.scheduleWithFixedDelay(this::sweepExpired, sweep, sweep, TimeUnit.MILLISECONDS);
    }

    private void checkScheduled() {
        for (DispatchQueue q : destinations.allDispatchQueues()) {
            q.checkScheduled();
        }
    }

    private void sweepExpired() {
        for (DispatchQueue q : destinations.allDispatchQueues()) {
            q.sweepExpired();
        }
    }

    String name() {
        return name;
    }

    PersistenceAdapter store() {
        return store;
    }

    DestinationRegistry destinations() {
        return destinations;
    }

    PreparedTransactions preparedTransactions() {
        return preparedTransactions;
    }

    ProducerSequences producerSequences() {
        return producerSequences;
    }

    TransactionOutcomes transactionOutcomes() {
        return transactionOutcomes;
    }

    MessageMemory memory() {
        return memory;
    }

    long storeTimeoutMillis() {
        return config.storeTimeout().toMillis();
    }

    ServerConnection connect(DeliveryListener listener) throws JMSException {
        if (stopping) {
            throw new JMSException("broker '" + name + "' is stopping");
        }
        ServerConnection c = new ServerConnection(this,
                "ID:" + name + "-" + instanceId + "-" + CONNECTION_IDS.incrementAndGet(), listener);
        connections.add(c);
        return c;
    }

    void connectionClosed(ServerConnection connection) {
        connections.remove(connection);
    }

    int connectionCount() {
        return connections.size();
    }

    void claimClientId(String clientId, ServerConnection connection) throws JMSException {
        ServerConnection existing = clientIds.putIfAbsent(clientId, connection);
        if (existing != null && existing != connection) {
            throw new InvalidClientIDException("client ID '" + clientId + "' is already in use on broker '"
                    + name + "' by another connection");
        }
    }

    void releaseClientId(String clientId, ServerConnection connection) {
        clientIds.remove(clientId, connection);
    }

    /**
     * Completes when a send may go ahead: at once when there is room; later when the memory budget (for
     * messages held in memory) or the store (for persistent queue messages) has room again; exceptionally
     * with {@code ResourceAllocationException} when full and configured to fail.
     */
    CompletableFuture<Void> flowControl(MessageSnapshot message, Address address) {
        boolean pagesToStore = message.isPersistent() && !address.isTopic() && !address.isTemporary();
        if (pagesToStore) {
            if (!store.usage().isFull()) {
                return CompletableFuture.completedFuture(null);
            }
            if (config.flowControl() == FlowControl.FAIL) {
                return CompletableFuture.failedFuture(ServerConnection.resourceExhausted("the store of broker '"
                        + name + "' is full (" + store.usage().usedBytes() + " of " + store.usage().limitBytes()
                        + " bytes); the send to " + address + " was refused"));
            }
            CompletableFuture<Void> ready = new CompletableFuture<>();
            pollStore(ready);
            return ready;
        }
        if (!memory.isFull()) {
            return CompletableFuture.completedFuture(null);
        }
        if (config.flowControl() == FlowControl.FAIL) {
            return CompletableFuture.failedFuture(ServerConnection.resourceExhausted("the memory limit of broker '"
                    + name + "' (" + memory.limit() + " bytes) is reached; the send to " + address
                    + " was refused"));
        }
        // Memory is released by whoever consumes, often while holding a destination's lock; resuming the
        // waiting send on the task thread keeps it from taking another destination's lock from there.
        return memory.whenAvailable().thenComposeAsync(v -> stopping
                ? CompletableFuture.failedFuture(new JMSException("broker '" + name + "' is stopping"))
                : flowControl(message, address), tasks);
    }

    /** Stores have no room notifications, so a blocked producer checks again every few milliseconds. */
    private void pollStore(CompletableFuture<Void> ready) {
        if (stopping) {
            ready.completeExceptionally(new JMSException("broker '" + name + "' is stopping"));
        } else if (!store.usage().isFull()) {
            ready.complete(null);
        } else {
            tasks.schedule(() -> pollStore(ready), 20, TimeUnit.MILLISECONDS);
        }
    }

    /**
     * Fails every connection, closes destinations and the store. {@code orderly} unless the broker lost the
     * right to write: only an orderly stop writes the last bookkeeping (dispatch marks) to the store.
     */
    void stop(String reason, boolean orderly) {
        stopping = true;
        memory.wakeAll();
        for (ServerConnection c : new ArrayList<>(connections)) {
            c.shutDown(new JMSException("broker '" + name + "' " + reason));
        }
        destinations.closeAll(orderly);
        tasks.shutdown();
        try {
            if (!tasks.awaitTermination(10, TimeUnit.SECONDS)) {
                LOG.warn("Broker {}: background tasks did not finish within 10 s", name);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            store.stop();
        } catch (IOException e) {
            LOG.error("Broker {}: the store did not stop cleanly", name, e);
        }
    }
}
