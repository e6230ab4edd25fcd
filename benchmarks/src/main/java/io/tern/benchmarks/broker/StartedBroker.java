package io.tern.benchmarks.broker;

import jakarta.jms.ConnectionFactory;

import java.util.Map;

/** A running embedded broker, as the measured client sees it: a connection factory and nothing more. */
public interface StartedBroker extends AutoCloseable {

    /** A factory whose connections reach this broker over the transport it was started for. */
    ConnectionFactory connectionFactory();

    /**
     * Facts learnt at start that the report should carry, such as the journal type a broker actually
     * chose; empty by default.
     */
    default Map<String, String> facts() {
        return Map.of();
    }

    @Override
    void close() throws Exception;
}
