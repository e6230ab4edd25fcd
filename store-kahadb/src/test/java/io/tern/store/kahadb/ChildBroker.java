package io.tern.store.kahadb;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * One {@link FailoverBrokerChild} broker: its directory, tcp port and name stay the same across kills, so a
 * restart is the same broker coming back where its clients left it. Used by the test thread only.
 */
final class ChildBroker implements AutoCloseable {

    private final Path directory;
    private final int port;
    private final String name;
    private final Path log;
    private ChildJvm jvm;
    private int starts;

    ChildBroker(Path directory, int port, String name, Path log) {
        this.directory = directory;
        this.port = port;
        this.name = name;
        this.log = log;
    }

    /** A port nobody listens on now; the child binds it, and binds it again after each kill. */
    static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String tcpUri() {
        return "tcp://127.0.0.1:" + port;
    }

    String name() {
        return name;
    }

    /** Launches the child JVM; it serves once {@link #awaitStarted} returns true. */
    void launch() throws IOException {
        if (jvm != null && jvm.isAlive()) {
            throw new IllegalStateException(name + " is running");
        }
        starts++;
        Files.writeString(log, "==== " + name + " start " + starts + "\n", StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
        jvm = ChildJvm.start(log, List.of("-Xmx256m"), FailoverBrokerChild.class, directory.toString(),
                String.valueOf(port), name);
    }

    /** Whether the broker opened its store and serves clients within the timeout. */
    boolean awaitStarted(long timeout, TimeUnit unit) throws InterruptedException {
        return jvm.awaitLine("STARTED " + name, timeout, unit);
    }

    /** Waits (up to 2 minutes) for the broker to serve, failing with where its log is. */
    void awaitStarted() throws InterruptedException {
        if (!awaitStarted(120, TimeUnit.SECONDS)) {
            throw new AssertionError(name + " did not start (alive: " + jvm.isAlive() + "); see "
                    + log.toAbsolutePath());
        }
    }

    /**
     * The URL the test's clients use: every broker in order, reconnecting quickly (10 ms, backing off to 1 s)
     * and for ever.
     */
    static String failoverUri(ChildBroker... brokers) {
        return Arrays.stream(brokers).map(ChildBroker::tcpUri).collect(Collectors.joining(",", "failover:(",
                ")?initialReconnectDelay=10&maxReconnectDelay=1000"));
    }

    /** SIGKILL; returns once the process is gone (so its lock and port are free). */
    void kill() throws InterruptedException {
        jvm.kill();
        if (jvm.isAlive()) {
            throw new AssertionError(name + " survived SIGKILL for 30 s");
        }
    }

    boolean isAlive() {
        return jvm != null && jvm.isAlive();
    }

    Path log() {
        return log;
    }

    @Override
    public void close() {
        if (jvm != null) {
            jvm.close();
        }
    }
}
