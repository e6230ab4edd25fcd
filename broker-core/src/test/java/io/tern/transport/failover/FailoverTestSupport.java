package io.tern.transport.failover;

import io.tern.broker.Broker;
import io.tern.testing.Eventually;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.UUID;
import java.util.function.BooleanSupplier;


/** Brokers with tcp connectors on free loopback ports, free ports nothing listens on, and waiting. */
final class FailoverTestSupport {

    static final long RECEIVE_TIMEOUT = 10_000;
    static final long ABSENT_TIMEOUT = 300;

    private FailoverTestSupport() {
    }

    static String uniqueName(String prefix) {
        return "failover-" + prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** A started in-memory broker on {@code tcp://127.0.0.1:<free port>}. */
    static Broker startBroker(String prefix) {
        return Broker.builder().name(uniqueName(prefix)).persistent(false)
                .transportConnector("tcp://127.0.0.1:0").build().start();
    }

    /** A started in-memory broker on a free port, its tcp connector with the given options. */
    static Broker startBroker(String prefix, String connectorOptions) {
        return Broker.builder().name(uniqueName(prefix)).persistent(false)
                .transportConnector("tcp://127.0.0.1:0?" + connectorOptions).build().start();
    }

    static String tcpUri(Broker broker) {
        return broker.transportConnectorUris().stream().filter(u -> u.startsWith("tcp://")).findFirst()
                .orElseThrow(() -> new AssertionError("broker has no tcp connector"));
    }

    static int port(Broker broker) {
        String uri = tcpUri(broker);
        return Integer.parseInt(uri.substring(uri.lastIndexOf(':') + 1));
    }

    /** A loopback port that nothing listens on (it was free a moment ago). */
    static int unusedPort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits (up to 20 s) for a condition, failing with {@code what} when it never holds. */
    static void await(String what, BooleanSupplier condition) {
        Eventually.await(what, Duration.ofSeconds(20), condition);
    }
}
