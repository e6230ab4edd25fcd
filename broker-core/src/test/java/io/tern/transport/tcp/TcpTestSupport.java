package io.tern.transport.tcp;

import io.tern.broker.Broker;
import io.tern.jms.TernConnectionFactory;
import io.tern.testing.Eventually;

import java.time.Duration;
import java.util.UUID;
import java.util.function.BooleanSupplier;


/** Brokers with a tcp connector on a free loopback port, and waiting, for the tcp transport tests. */
final class TcpTestSupport {

    /** Receive timeout for messages that are expected to arrive. */
    static final long RECEIVE_TIMEOUT = 10_000;
    /** Receive timeout for messages that are expected to be absent. */
    static final long ABSENT_TIMEOUT = 300;

    private TcpTestSupport() {
    }

    static String uniqueName(String prefix) {
        return "tcp-" + prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** A started in-memory broker listening on {@code tcp://127.0.0.1:<free port>} with the given options. */
    static Broker startBroker(String prefix, String connectorOptions) {
        return startBroker(Broker.builder().name(uniqueName(prefix)).persistent(false), connectorOptions);
    }

    static Broker startBroker(Broker.Builder builder, String connectorOptions) {
        String uri = "tcp://127.0.0.1:0" + (connectorOptions.isEmpty() ? "" : "?" + connectorOptions);
        return builder.transportConnector(uri).build().start();
    }

    /** The broker's bound tcp URI, {@code tcp://127.0.0.1:port}. */
    static String tcpUri(Broker broker) {
        return broker.transportConnectorUris().stream().filter(u -> u.startsWith("tcp://")).findFirst()
                .orElseThrow(() -> new AssertionError("broker has no tcp connector"));
    }

    static int port(Broker broker) {
        String uri = tcpUri(broker);
        return Integer.parseInt(uri.substring(uri.lastIndexOf(':') + 1));
    }

    /** A connection factory for the broker over tcp, with extra client options (may be empty). */
    static TernConnectionFactory factory(Broker broker, String clientOptions) {
        return new TernConnectionFactory(tcpUri(broker) + (clientOptions.isEmpty() ? "" : "?" + clientOptions));
    }

    static TernConnectionFactory factory(Broker broker) {
        return factory(broker, "");
    }

    /** Waits (up to 15 s) for a condition, failing with {@code what} when it never holds. */
    static void await(String what, BooleanSupplier condition) {
        Eventually.await(what, Duration.ofSeconds(15), condition);
    }
}
