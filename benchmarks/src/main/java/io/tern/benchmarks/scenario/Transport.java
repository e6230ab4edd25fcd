package io.tern.benchmarks.scenario;

/**
 * How a scenario's client reaches the broker. The broker and the client run in the same child JVM either
 * way; over {@link #TCP_LOOPBACK} every message still goes through the broker's own network transport,
 * its wire format and the kernel's loopback device.
 */
public enum Transport {

    /** The broker's in-VM connector ({@code vm://} for Tern and ActiveMQ, Artemis' in-VM acceptor). */
    IN_VM("in-VM"),

    /** The broker's own network transport at its defaults, bound to 127.0.0.1 on a free port. */
    TCP_LOOPBACK("tcp:// loopback");

    private final String label;

    Transport(String label) {
        this.label = label;
    }

    /** How the report names it. */
    public String label() {
        return label;
    }
}
