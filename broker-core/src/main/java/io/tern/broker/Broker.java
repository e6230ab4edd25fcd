package io.tern.broker;

import io.tern.broker.destination.DispatchQueue;
import io.tern.broker.destination.TopicDestination;
import io.tern.jms.TernConnectionFactory;
import io.tern.protocol.Address;
import io.tern.store.PersistenceAdapter;
import io.tern.store.PersistenceAdapterFactory;
import io.tern.store.StoreSettings;
import io.tern.transport.BrokerConnection;
import io.tern.transport.DeliveryListener;
import io.tern.transport.tcp.TcpConnectors;
import jakarta.jms.JMSException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An embeddable Tern broker.
 *
 * <pre>{@code
 * try (Broker broker = Broker.builder().name("orders").persistent(false).build().start()) {
 *     ConnectionFactory cf = broker.connectionFactory();   // or new TernConnectionFactory("vm://orders")
 *     ...
 * }
 * }</pre>
 *
 * <p>{@link #start}, {@link #stop} and {@link #close} are safe from any thread and idempotent. A stopped
 * broker may be started again (it recovers what its store holds); a closed one may not. Many brokers can
 * live in one JVM if their names differ. No shutdown hook is installed unless asked for.
 *
 * <p><b>Threading.</b> Lifecycle methods are serialised by this object's monitor, except that {@link #start}
 * waits for its store to activate (a slave waiting for the master's lock) without holding it, so
 * {@link #stop} and {@link #close} can end that wait. The running state is a {@link RunningBroker} replaced
 * at every start and read through a volatile field.
 */
public final class Broker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Broker.class);

    private enum State { NEW, STARTING, STARTED, STOPPED, CLOSED }

    private final BrokerConfig config;
    private State state = State.NEW;
    private volatile RunningBroker running;
    private Thread shutdownHook;
    /** The listening transport connectors while started. */
    private TcpConnectors connectors;
    /** The store a start is waiting on to activate; null otherwise. Guarded by this. */
    private PersistenceAdapter activating;

    private Broker(BrokerConfig config) {
        this.config = config;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The started broker of that name in this JVM, if any. */
    public static Optional<Broker> running(String name) {
        return Optional.ofNullable(BrokerRegistry.find(name));
    }

    public String name() {
        return config.name();
    }

    /** Whether persistent messages go to a durable store. */
    public boolean isPersistent() {
        return config.persistent();
    }

    /** The URI that connects to this broker from inside this JVM: {@code vm://name}. */
    public String vmUri() {
        return "vm://" + name();
    }

    /** A connection factory for this broker over {@code vm://}. */
    public TernConnectionFactory connectionFactory() {
        return new TernConnectionFactory(vmUri());
    }

    /**
     * Starts the broker: opens (and, if it is shared or replicated, waits to activate) the store, recovers
     * destinations and their messages, and accepts connections. Returns this broker.
     *
     * @throws IllegalStateException when the broker was closed, or another running broker has its name
     * @throws UncheckedIOException when the store cannot be opened
     */
    public Broker start() {
        PersistenceAdapter store;
        TcpConnectors listening;
        synchronized (this) {
            while (state == State.STARTING) {
                // Another thread's start waits for activation: this one waits for its outcome, as before.
                try {
                    wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while broker '" + name() + "' was starting", e);
                }
            }
            switch (state) {
                case STARTED:
                    return this;
                case CLOSED:
                    throw new IllegalStateException("broker '" + name() + "' was closed and cannot be started again;"
                            + " build a new one");
                default:
                    break;
            }
            BrokerRegistry.register(this);
            try {
                // Listening before the store activates: a client that connects meanwhile is refused with a reason.
                listening = TcpConnectors.open(this, config.transportConnectors());
                store = createStore();
            } catch (RuntimeException e) {
                BrokerRegistry.unregister(this);
                throw e;
            }
            state = State.STARTING;
            activating = store;
        }
        try {
            // Outside the monitor: a shared or replicated store blocks here until this broker may write,
            // and stop() must be able to end that wait.
            store.start(this::activationLost);
            synchronized (this) {
                if (state != State.STARTING) {
                    throw new IOException("broker '" + name() + "' was stopped while its store was activating");
                }
                RunningBroker r = new RunningBroker(config, store);
                r.open();
                running = r;
                activating = null;
                connectors = listening;
                state = State.STARTED;
                notifyAll();
                if (config.shutdownHook() && shutdownHook == null) {
                    shutdownHook = new Thread(this::stop, "tern-" + name() + "-shutdown");
                    Runtime.getRuntime().addShutdownHook(shutdownHook);
                }
            }
        } catch (IOException | RuntimeException e) {
            synchronized (this) {
                activating = null;
                if (state == State.STARTING) {
                    state = State.STOPPED;
                }
                notifyAll();
                BrokerRegistry.unregister(this);
                listening.close();
                try {
                    store.stop();
                } catch (IOException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            if (e instanceof IOException io) {
                throw new UncheckedIOException("broker '" + name() + "' could not open its store: " + io.getMessage(),
                        io);
            }
            throw (RuntimeException) e;
        }
        LOG.info("Broker {} started ({} store)", name(), store.type());
        return this;
    }

    private PersistenceAdapter createStore() {
        if (config.store() != null) {
            return config.store();
        }
        String type = config.persistent() ? config.storeType() : "memory";
        Map<String, String> settings = config.persistent() ? config.storeSettings() : Map.of();
        StoreSettings storeSettings = new StoreSettings("store." + type + ".", settings, name(),
                config.dataDirectory());
        return PersistenceAdapterFactory.forType(type).create(storeSettings);
    }

    private void activationLost(String reason) {
        LOG.error("Broker {} lost the right to write to its store ({}); it stops serving clients now", name(),
                reason);
        RunningBroker r = running;
        if (r != null) {
            Thread t = new Thread(() -> stop("lost its store: " + reason, false), "tern-" + name() + "-deactivate");
            t.setDaemon(true);
            t.start();
        }
    }

    /** Stops the broker: connections are closed, the store is flushed and closed. Idempotent. */
    public void stop() {
        stop("stopped", true);
    }

    private synchronized void stop(String reason, boolean orderly) {
        if (state == State.STARTING) {
            // Ends the start's wait for activation; that start then fails and cleans up.
            state = State.STOPPED;
            notifyAll();
            LOG.info("Broker {} stopped while waiting for its store to activate", name());
            try {
                activating.stop();
            } catch (IOException e) {
                LOG.warn("Broker {}: the activating store did not stop cleanly", name(), e);
            }
            return;
        }
        if (state != State.STARTED) {
            return;
        }
        RunningBroker r = running;
        running = null;
        state = State.STOPPED;
        BrokerRegistry.unregister(this);
        r.stop(reason, orderly);
        connectors.close();
        connectors = null;
        LOG.info("Broker {} stopped", name());
    }

    /** Stops the broker for good; it cannot be started again. Idempotent. */
    @Override
    public synchronized void close() {
        stop();
        state = State.CLOSED;
        if (shutdownHook != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException alreadyShuttingDown) {
                // The JVM is exiting; the hook is running or about to.
            }
            shutdownHook = null;
        }
    }

    public synchronized boolean isStarted() {
        return state == State.STARTED;
    }

    /**
     * Opens a connection inside this JVM. This is the transports' entry point; applications use a
     * {@link TernConnectionFactory}.
     */
    public BrokerConnection connect(DeliveryListener listener) throws JMSException {
        return runningOrThrow().connect(listener);
    }

    private RunningBroker runningOrThrow() throws JMSException {
        RunningBroker r = running;
        if (r == null) {
            throw new JMSException("broker '" + name() + "' is not running");
        }
        return r;
    }

    private RunningBroker runningOrIllegalState() {
        RunningBroker r = running;
        if (r == null) {
            throw new IllegalStateException("broker '" + name() + "' is not running");
        }
        return r;
    }

    /**
     * The transport connectors' URIs while the broker runs, a {@code tcp://} one with the port it is bound to
     * (so {@code tcp://127.0.0.1:0} shows the port the system chose); empty when stopped.
     */
    public synchronized List<String> transportConnectorUris() {
        return connectors == null ? List.of() : connectors.boundUris();
    }

    /** Open connections. */
    public int connectionCount() {
        RunningBroker r = running;
        return r == null ? 0 : r.connectionCount();
    }

    /** A queue's figures, taken together; {@link QueueStatistics#NONE} for an unknown queue. */
    public QueueStatistics statistics(String queue) {
        DispatchQueue q = runningOrIllegalState().destinations().existingQueue(queue);
        return q == null ? QueueStatistics.NONE : q.statistics();
    }

    /** Messages on a queue, waiting or delivered and not yet acknowledged; 0 for an unknown queue. */
    public long queueDepth(String queue) {
        return statistics(queue).depth();
    }

    /** Consumers on a queue. */
    public int queueConsumerCount(String queue) {
        return statistics(queue).consumers();
    }

    /** Messages ever added to a queue since the broker started. */
    public long queueEnqueuedCount(String queue) {
        return statistics(queue).enqueued();
    }

    /** Messages consumed from a queue since the broker started. */
    public long queueDequeuedCount(String queue) {
        return statistics(queue).dequeued();
    }

    /** Removes every message waiting on a queue (not those delivered and unacknowledged). */
    public void purgeQueue(String queue) {
        DispatchQueue q = runningOrIllegalState().destinations().existingQueue(queue);
        if (q != null) {
            q.purge().join();
        }
    }

    /** Creates a queue now (for brokers that do not create destinations on first use). */
    public void createQueue(String name) {
        checkName(name);
        runningOrIllegalState().destinations().define(Address.queue(name));
    }

    /** Creates a topic now. */
    public void createTopic(String name) {
        checkName(name);
        runningOrIllegalState().destinations().define(Address.topic(name));
    }

    /** Removes a queue and its messages; its consumers stop receiving. Returns false if it did not exist. */
    public boolean removeQueue(String name) {
        try {
            return runningOrIllegalState().destinations().removeQueue(name);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove queue " + name, e);
        }
    }

    /** The names of the queues (not temporary ones). */
    public List<String> queueNames() {
        List<String> names = new ArrayList<>();
        for (DispatchQueue q : runningOrIllegalState().destinations().queues()) {
            names.add(q.address().name());
        }
        return names;
    }

    /** The names of the topics (not temporary ones). */
    public List<String> topicNames() {
        List<String> names = new ArrayList<>();
        for (TopicDestination t : runningOrIllegalState().destinations().topics()) {
            names.add(t.address().name());
        }
        return names;
    }

    /** Messages of a queue moved to its dead-letter queue since the broker started. */
    public long queueDeadLetteredCount(String queue) {
        return statistics(queue).deadLettered();
    }

    /** Messages of a queue found expired since the broker started. */
    public long queueExpiredCount(String queue) {
        return statistics(queue).expired();
    }

    /** Bytes of message memory in use, and the limit. */
    public long memoryUsed() {
        return runningOrIllegalState().memory().used();
    }

    public long memoryLimit() {
        return config.memoryLimit();
    }

    /** The store this broker runs on, while it runs. */
    public PersistenceAdapter store() {
        return runningOrIllegalState().store();
    }

    private static void checkName(String name) {
        String reason = Address.invalidNameReason(name);
        if (reason != null) {
            throw new IllegalArgumentException(reason);
        }
    }

    @Override
    public String toString() {
        return "Broker[" + name() + "]";
    }

    /**
     * Builds a {@link Broker}. Every setting has a default; {@link #build} validates them all and names
     * the one at fault.
     */
    public static final class Builder {
        private String name = "tern";
        private boolean persistent = true;
        private PersistenceAdapter store;
        private String storeType = "kahadb";
        private final Map<String, String> storeSettings = new LinkedHashMap<>();
        private Path dataDirectory;
        private long memoryLimit = 64L * 1024 * 1024;
        private FlowControl flowControl = FlowControl.BLOCK;
        private boolean autoCreateDestinations = true;
        private final List<Address> destinations = new ArrayList<>();
        private final List<String> transportConnectors = new ArrayList<>();
        private Clock clock = Clock.systemUTC();
        private Duration storeTimeout = Duration.ofSeconds(60);
        private boolean shutdownHook;
        private RedeliveryPolicy redeliveryPolicy = RedeliveryPolicy.DEFAULT;
        private final Map<Address, RedeliveryPolicy> destinationRedeliveryPolicies = new LinkedHashMap<>();
        private String expiryQueue = "ExpiryQueue";
        private Duration expirySweepInterval = Duration.ofSeconds(30);

        private Builder() {
        }

        /** The redelivery policy of every destination without one of its own. Default {@link RedeliveryPolicy#DEFAULT}. */
        public Builder redeliveryPolicy(RedeliveryPolicy policy) {
            this.redeliveryPolicy = Objects.requireNonNull(policy, "redeliveryPolicy");
            return this;
        }

        /** The redelivery policy of one queue. */
        public Builder queueRedeliveryPolicy(String queue, RedeliveryPolicy policy) {
            destinationRedeliveryPolicies.put(Address.queue(queue), Objects.requireNonNull(policy, "policy"));
            return this;
        }

        /** The redelivery policy of one topic's subscriptions. */
        public Builder topicRedeliveryPolicy(String topic, RedeliveryPolicy policy) {
            destinationRedeliveryPolicies.put(Address.topic(topic), Objects.requireNonNull(policy, "policy"));
            return this;
        }

        /** The queue that receives expired messages; null discards them. Default {@code ExpiryQueue}. */
        public Builder expiryQueue(String queue) {
            this.expiryQueue = queue;
            return this;
        }

        /** How often every destination is searched for expired messages. Default 30 s. */
        public Builder expirySweepInterval(Duration interval) {
            this.expirySweepInterval = Objects.requireNonNull(interval, "expirySweepInterval");
            return this;
        }

        /** The broker's name, unique among running brokers in the JVM; {@code vm://name} connects. Default "tern". */
        public Builder name(String name) {
            this.name = name;
            return this;
        }

        /**
         * Whether persistent messages go to a durable store (default true: kahadb in
         * {@code ./data/<name>} unless another store is set). False runs on the in-memory store.
         */
        public Builder persistent(boolean persistent) {
            this.persistent = persistent;
            return this;
        }

        /** Runs on this store instance (overrides the store type). */
        public Builder store(PersistenceAdapter store) {
            this.store = Objects.requireNonNull(store, "store");
            return this;
        }

        /** The store type found by ServiceLoader ({@code memory}, {@code kahadb}, ...) and its settings. */
        public Builder storeType(String type, Map<String, String> settings) {
            this.storeType = Objects.requireNonNull(type, "type");
            this.storeSettings.clear();
            this.storeSettings.putAll(settings);
            return this;
        }

        /** The directory under which file stores keep their data. Default {@code ./data/<name>}. */
        public Builder dataDirectory(Path directory) {
            this.dataDirectory = directory;
            return this;
        }

        /** Heap for messages held in memory, in bytes. Default 64 MiB. */
        public Builder memoryLimit(long bytes) {
            this.memoryLimit = bytes;
            return this;
        }

        /** What a send does when memory or the store is full. Default {@link FlowControl#BLOCK}. */
        public Builder flowControl(FlowControl flowControl) {
            this.flowControl = Objects.requireNonNull(flowControl, "flowControl");
            return this;
        }

        /** Whether destinations are created on first use. Default true. */
        public Builder autoCreateDestinations(boolean autoCreate) {
            this.autoCreateDestinations = autoCreate;
            return this;
        }

        /** A queue that exists from start. */
        public Builder queue(String queueName) {
            destinations.add(Address.queue(queueName));
            return this;
        }

        /** A topic that exists from start. */
        public Builder topic(String topicName) {
            destinations.add(Address.topic(topicName));
            return this;
        }

        /**
         * A transport to accept connections on: {@code tcp://host:port?options} (port 0 picks a free one, see
         * {@link Broker#transportConnectorUris}; options in {@code docs/protocol.md}). {@code vm://} needs none.
         */
        public Builder transportConnector(String uri) {
            transportConnectors.add(Objects.requireNonNull(uri, "uri"));
            return this;
        }

        /** The clock for expiry and delivery delay (tests pass a controllable one). Default the system clock. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** How long an acknowledgement or commit waits for the store before failing. Default 60 s. */
        public Builder storeTimeout(Duration timeout) {
            this.storeTimeout = Objects.requireNonNull(timeout, "storeTimeout");
            return this;
        }

        /** Whether to stop the broker when the JVM exits. Default false. */
        public Builder shutdownHook(boolean install) {
            this.shutdownHook = install;
            return this;
        }

        /**
         * @throws IllegalArgumentException for an invalid setting, naming it
         */
        public Broker build() {
            String reason = name == null ? "is null" : BrokerNames.invalidReason(name);
            if (reason != null) {
                throw new IllegalArgumentException("broker.name: '" + name + "' " + reason);
            }
            if (memoryLimit <= 0) {
                throw new IllegalArgumentException("broker.memoryLimit: must be positive, was " + memoryLimit);
            }
            if (storeTimeout.isNegative() || storeTimeout.isZero()) {
                throw new IllegalArgumentException("broker.storeTimeout: must be positive, was " + storeTimeout);
            }
            for (Address a : destinations) {
                String r = Address.invalidNameReason(a.name());
                if (r != null) {
                    throw new IllegalArgumentException("broker." + (a.isTopic() ? "topics" : "queues") + ": " + r);
                }
            }
            for (String uri : transportConnectors) {
                try {
                    TcpConnectors.validate(uri);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("broker.transportConnectors: " + e.getMessage());
                }
            }
            if (expiryQueue != null && Address.invalidNameReason(expiryQueue) != null) {
                throw new IllegalArgumentException("broker.expiryQueue: " + Address.invalidNameReason(expiryQueue));
            }
            if (expirySweepInterval.toMillis() <= 0) {
                throw new IllegalArgumentException("broker.expirySweepInterval: must be at least 1 ms, was "
                        + expirySweepInterval);
            }
            for (Address a : destinationRedeliveryPolicies.keySet()) {
                String r = Address.invalidNameReason(a.name());
                if (r != null) {
                    throw new IllegalArgumentException((a.isTopic() ? "topic." : "queue.") + a.name()
                            + ".redelivery: " + r);
                }
            }
            Path dir = dataDirectory != null ? dataDirectory : Path.of("data", name);
            return new Broker(new BrokerConfig(name, persistent, store, storeType, Map.copyOf(storeSettings), dir,
                    memoryLimit, flowControl, autoCreateDestinations, List.copyOf(destinations),
                    List.copyOf(transportConnectors), clock, storeTimeout, shutdownHook, redeliveryPolicy,
                    Map.copyOf(destinationRedeliveryPolicies), expiryQueue, expirySweepInterval));
        }
    }
}
