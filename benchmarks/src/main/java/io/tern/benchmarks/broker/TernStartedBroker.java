package io.tern.benchmarks.broker;

import io.tern.benchmarks.scenario.Transport;
import io.tern.broker.Broker;
import io.tern.jms.TernConnectionFactory;
import jakarta.jms.ConnectionFactory;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A Tern broker started for one scenario, whatever its store: over {@code vm://} it hands out the broker's
 * own connection factory; over tcp:// it binds a connector to a free loopback port and hands out a
 * factory for the URI the broker reports, at the client's defaults.
 */
final class TernStartedBroker implements StartedBroker {

    private static final String LOOPBACK_CONNECTOR = "tcp://127.0.0.1:0";

    private final Broker broker;
    private final ConnectionFactory factory;
    private final Map<String, String> facts;

    private TernStartedBroker(Broker broker, ConnectionFactory factory, Map<String, String> facts) {
        this.broker = broker;
        this.factory = factory;
        this.facts = facts;
    }

    static TernStartedBroker start(Broker.Builder builder, Transport transport) {
        if (transport == Transport.TCP_LOOPBACK) {
            builder.transportConnector(LOOPBACK_CONNECTOR);
        }
        Broker broker = builder.build().start();
        try {
            Map<String, String> facts = new LinkedHashMap<>();
            facts.put("store", broker.store().getClass().getSimpleName());
            ConnectionFactory factory;
            if (transport == Transport.TCP_LOOPBACK) {
                String uri = broker.transportConnectorUris().get(0);
                factory = new TernConnectionFactory(uri);
            } else {
                factory = broker.connectionFactory();
            }
            return new TernStartedBroker(broker, factory, facts);
        } catch (RuntimeException e) {
            broker.close();
            throw e;
        }
    }

    @Override
    public ConnectionFactory connectionFactory() {
        return factory;
    }

    @Override
    public Map<String, String> facts() {
        return facts;
    }

    @Override
    public void close() {
        broker.close();
    }
}
