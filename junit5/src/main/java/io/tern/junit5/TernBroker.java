package io.tern.junit5;

import io.tern.broker.Broker;
import io.tern.jms.TernConnectionFactory;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A JUnit 5 extension that runs an in-VM Tern broker for a test class or for each test.
 *
 * <pre>{@code
 * class OrderServiceTest {
 *     @RegisterExtension
 *     static TernBroker broker = TernBroker.create().queue("orders");   // one broker for the class
 *
 *     @Test
 *     void acceptsAnOrder() throws Exception {
 *         OrderService service = new OrderService(broker.connectionFactory());
 *         service.placeOrder("42");
 *         broker.awaitQueueDepth("orders", 1, Duration.ofSeconds(5));
 *     }
 * }
 * }</pre>
 *
 * <p>In a {@code static} field the broker starts before the class's first test ({@code beforeAll}) and
 * stops after its last ({@code afterAll}); {@code @Nested} classes share it. In an instance field each
 * test gets a fresh, empty broker ({@code beforeEach} / {@code afterEach}). Every broker gets a name of
 * its own ({@code <prefix>-<n>}, the prefix defaulting to the test class's simple name), so test classes
 * may run in parallel in one JVM.
 *
 * <p>Configure the extension where it is declared; the settings are fixed once the broker has started.
 * The broker is not persistent unless asked; a persistent one keeps its data in a temporary directory
 * that is deleted when the broker stops.
 *
 * <p><b>Threading.</b> Configuration happens on the thread that declares the extension. The running
 * broker is published through a volatile field, so the accessors and helpers may be called from any
 * thread while a test runs.
 */
public final class TernBroker implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback,
        AfterEachCallback {

    private String namePrefix;
    private boolean persistent;
    private Long memoryLimit;
    private final List<String> queues = new ArrayList<>();
    private final List<String> topics = new ArrayList<>();
    private final List<Consumer<Broker.Builder>> customisers = new ArrayList<>();
    private boolean configurationFrozen;

    private volatile Broker broker;
    private volatile TemporaryDataDirectory dataDirectory;
    /** The JUnit context that started the broker; only its "after" callback stops it. */
    private String ownerContextId;

    private TernBroker() {
    }

    /** An extension with the defaults: not persistent, 64 MiB of message memory, no predefined destinations. */
    public static TernBroker create() {
        return new TernBroker();
    }

    // ---------------------------------------------------------------- configuration

    /** The start of each broker's name (default: the test class's simple name). */
    public TernBroker namePrefix(String prefix) {
        checkConfigurable();
        this.namePrefix = Objects.requireNonNull(prefix, "prefix");
        return this;
    }

    /** Whether persistent messages go to a durable store, kept in a temporary directory. Default false. */
    public TernBroker persistent(boolean persistent) {
        checkConfigurable();
        this.persistent = persistent;
        return this;
    }

    /** Heap for messages held in memory, in bytes. Default: the broker's own (64 MiB). */
    public TernBroker memoryLimit(long bytes) {
        checkConfigurable();
        this.memoryLimit = bytes;
        return this;
    }

    /** Queues that exist from the start. */
    public TernBroker queue(String... names) {
        checkConfigurable();
        queues.addAll(List.of(names));
        return this;
    }

    /** Topics that exist from the start. */
    public TernBroker topic(String... names) {
        checkConfigurable();
        topics.addAll(List.of(names));
        return this;
    }

    /**
     * Anything else the {@link Broker.Builder} offers, e.g. {@code b -> b.flowControl(FlowControl.FAIL)}.
     * Customisers run after the settings above, in the order given, so they may override them; the broker
     * name is set last and cannot be overridden, because it must stay unique.
     */
    public TernBroker configure(Consumer<Broker.Builder> customiser) {
        checkConfigurable();
        customisers.add(Objects.requireNonNull(customiser, "customiser"));
        return this;
    }

    private synchronized void checkConfigurable() {
        if (configurationFrozen) {
            throw new IllegalStateException("TernBroker is configured where it is declared; its settings are fixed"
                    + " once the first broker has started");
        }
    }

    // ---------------------------------------------------------------- lifecycle

    @Override
    public void beforeAll(ExtensionContext context) {
        startFor(context);
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        startFor(context);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        stopFor(context);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        stopFor(context);
    }

    /**
     * Starts a broker unless one runs already: a static field's broker started in the class's beforeAll
     * is then also seen by beforeEach, and by the beforeAll of {@code @Nested} classes, which share it.
     */
    private synchronized void startFor(ExtensionContext context) {
        if (broker != null) {
            return;
        }
        configurationFrozen = true;
        String name = BrokerNames.next(namePrefix != null ? namePrefix : context.getRequiredTestClass().getSimpleName());
        TemporaryDataDirectory directory = persistent ? TemporaryDataDirectory.create(name) : null;
        try {
            broker = build(name, directory).start();
        } catch (RuntimeException e) {
            if (directory != null) {
                directory.delete();
            }
            throw e;
        }
        dataDirectory = directory;
        ownerContextId = context.getUniqueId();
    }

    private Broker build(String name, TemporaryDataDirectory directory) {
        Broker.Builder builder = Broker.builder().persistent(persistent);
        if (directory != null) {
            builder.dataDirectory(directory.path());
        }
        if (memoryLimit != null) {
            builder.memoryLimit(memoryLimit);
        }
        queues.forEach(builder::queue);
        topics.forEach(builder::topic);
        customisers.forEach(c -> c.accept(builder));
        return builder.name(name).build();
    }

    private synchronized void stopFor(ExtensionContext context) {
        if (broker == null || !context.getUniqueId().equals(ownerContextId)) {
            return;
        }
        Broker stopping = broker;
        TemporaryDataDirectory directory = dataDirectory;
        broker = null;
        dataDirectory = null;
        ownerContextId = null;
        try {
            stopping.close();
        } finally {
            if (directory != null) {
                directory.delete();
            }
        }
    }

    // ---------------------------------------------------------------- access

    /** The running broker. */
    public Broker broker() {
        Broker b = broker;
        if (b == null) {
            throw new IllegalStateException("TernBroker has no running broker here. A static @RegisterExtension field"
                    + " starts its broker before the class's first test (beforeAll) and stops it after the last;"
                    + " an instance field starts one before each test (beforeEach) and stops it after. Use the"
                    + " broker from tests and @BeforeAll/@BeforeEach methods, not from field initialisers,"
                    + " static blocks or after it stopped, and check that the field is annotated with @RegisterExtension.");
        }
        return b;
    }

    /** The running broker's name. */
    public String brokerName() {
        return broker().name();
    }

    /** The URI that reaches the running broker from this JVM: {@code vm://<name>}. */
    public String brokerUri() {
        return broker().vmUri();
    }

    /** A new connection factory for the running broker. */
    public TernConnectionFactory connectionFactory() {
        return broker().connectionFactory();
    }

    /** Where a persistent broker keeps its data (deleted when it stops); empty for a non-persistent one. */
    public Optional<Path> dataDirectory() {
        broker();
        TemporaryDataDirectory d = dataDirectory;
        return d == null ? Optional.empty() : Optional.of(d.path());
    }

    // ---------------------------------------------------------------- helpers

    /** Messages on a queue, waiting or delivered and not yet acknowledged; 0 for a queue that does not exist. */
    public long queueDepth(String queue) {
        return broker().queueDepth(queue);
    }

    /** Removes every message waiting on a queue. */
    public void purge(String queue) {
        broker().purgeQueue(queue);
    }

    /** Sends a persistent text message to a queue and returns when the broker has it. */
    public void sendText(String queue, String text) throws JMSException {
        QueueClient.sendText(connectionFactory(), queue, text);
    }

    /**
     * Takes the next message from a queue (acknowledging it), waiting up to {@code timeout} for one.
     *
     * @return the message, or null when none arrived in time
     */
    public Message receive(String queue, Duration timeout) throws JMSException {
        return QueueClient.receive(connectionFactory(), queue, timeout);
    }

    /**
     * Like {@link #receive} but a missing message fails the test.
     *
     * @throws AssertionError when no message arrived within {@code timeout}, with the queue's depth
     */
    public Message waitForMessage(String queue, Duration timeout) throws JMSException {
        Message m = receive(queue, timeout);
        if (m == null) {
            throw new AssertionError("no message arrived on queue '" + queue + "' within " + timeout
                    + " (its depth is now " + queueDepth(queue) + ")");
        }
        return m;
    }

    /**
     * Waits until a queue holds exactly {@code depth} messages.
     *
     * @throws AssertionError when it does not within {@code timeout}, with the last depth seen
     */
    public void awaitQueueDepth(String queue, long depth, Duration timeout) {
        Broker b = broker();
        long deadline = System.nanoTime() + timeout.toNanos();
        long last = b.queueDepth(queue);
        while (last != depth) {
            if (System.nanoTime() - deadline >= 0) {
                throw new AssertionError("queue '" + queue + "' has depth " + last + ", expected " + depth
                        + " within " + timeout);
            }
            sleepBriefly();
            last = b.queueDepth(queue);
        }
    }

    private static void sleepBriefly() {
        try {
            Thread.sleep(10);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for a queue depth", e);
        }
    }

    @Override
    public String toString() {
        Broker b = broker;
        return "TernBroker[" + (b == null ? "not running" : b.name()) + "]";
    }
}
