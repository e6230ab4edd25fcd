package io.tern.jms;

import io.tern.broker.Broker;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Locale;

/**
 * The transport the JMS API tests connect over, so that one suite shows that everything that works over
 * {@code vm://} works over {@code tcp://} too. The system property {@value #PROPERTY} chooses it: {@code vm}
 * (the default) or {@code tcp}. broker-core's pom runs the suite once per transport (the surefire execution
 * {@code api-over-tcp} sets {@code tcp}).
 *
 * <p>A test builds its brokers with {@link #brokerBuilder()}, which adds a tcp connector on a free loopback
 * port when the transport is tcp, and connects with {@link #connectionFactory(Broker)}. Over tcp a restarted
 * broker listens on a new port, so a test asks for a factory after each start instead of keeping one across
 * a restart. A test that is about vm:// itself calls {@link #assumeVm(String)}.
 */
public final class TestTransport {

    /** The system property that chooses the transport. */
    public static final String PROPERTY = "tern.test.transport";

    private static final boolean TCP = parse(System.getProperty(PROPERTY, ""));

    private TestTransport() {
    }

    private static boolean parse(String value) {
        switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "":
            case "vm":
                return false;
            case "tcp":
                return true;
            default:
                throw new IllegalArgumentException(PROPERTY + ": '" + value + "' is not a transport; use vm or tcp");
        }
    }

    /** Whether the tests connect over tcp:// (otherwise vm://). */
    public static boolean isTcp() {
        return TCP;
    }

    /** {@code vm} or {@code tcp}. */
    public static String name() {
        return TCP ? "tcp" : "vm";
    }

    /** Skips the calling test unless the transport is vm://, for tests about vm:// itself. */
    public static void assumeVm(String reason) {
        Assumptions.assumeFalse(TCP, () -> "vm:// only: " + reason);
    }

    /** A broker builder whose broker accepts connections over the chosen transport. */
    public static Broker.Builder brokerBuilder() {
        Broker.Builder builder = Broker.builder();
        return TCP ? builder.transportConnector("tcp://127.0.0.1:0") : builder;
    }

    /**
     * The URI that reaches a started broker over the chosen transport, {@code vm://name} or
     * {@code tcp://127.0.0.1:port}.
     */
    public static String uri(Broker broker) {
        if (!TCP) {
            return broker.vmUri();
        }
        return broker.transportConnectorUris().stream().filter(u -> u.startsWith("tcp://")).findFirst()
                .orElseThrow(() -> new AssertionError("broker '" + broker.name() + "' does not listen on tcp"
                        + " (stopped, or not built with TestTransport.brokerBuilder())"));
    }

    public static TernConnectionFactory connectionFactory(Broker broker) {
        return new TernConnectionFactory(uri(broker));
    }

    /** A connection factory with URL options such as {@code jms.prefetch=1}. */
    public static TernConnectionFactory connectionFactory(Broker broker, String options) {
        return new TernConnectionFactory(uri(broker) + "?" + options);
    }

    public static TernXAConnectionFactory xaConnectionFactory(Broker broker) {
        return new TernXAConnectionFactory(uri(broker));
    }

    /** A URI of the chosen transport where no broker is: an unknown vm:// name, or a loopback port nobody holds. */
    public static String unreachableUri() {
        if (!TCP) {
            return "vm://no-broker-has-this-name";
        }
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            // Closed again at once: connecting to the port is refused (unless something takes it meanwhile).
            return "tcp://127.0.0.1:" + socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
