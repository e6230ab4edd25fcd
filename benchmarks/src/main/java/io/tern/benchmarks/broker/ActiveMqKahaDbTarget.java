package io.tern.benchmarks.broker;

import io.tern.benchmarks.scenario.Transport;
import jakarta.jms.ConnectionFactory;
import org.apache.activemq.ActiveMQConnectionFactory;
import org.apache.activemq.broker.BrokerService;
import org.apache.activemq.broker.TransportConnector;
import org.apache.activemq.store.kahadb.KahaDBPersistenceAdapter;

import java.nio.file.Path;

/**
 * ActiveMQ Classic 6.1.7 embedded on KahaDB with its defaults: the journal is synced on every write
 * ({@code journalDiskSyncStrategy=always}) and queues store and dispatch concurrently, which lets a
 * message acknowledged before its write is done skip the write. Over tcp:// it adds an OpenWire
 * transport connector on a free loopback port, at the connector's and the client's defaults.
 */
public final class ActiveMqKahaDbTarget implements BrokerTarget {

    private static final String BROKER_NAME = "bench";

    @Override
    public String id() {
        return "activemq-kahadb";
    }

    @Override
    public Side side() {
        return Side.PEER;
    }

    @Override
    public boolean durable() {
        return true;
    }

    @Override
    public String settings() {
        return "ActiveMQ Classic 6.1.7, BrokerService with KahaDB at its defaults (journalDiskSyncStrategy=always,"
                + " concurrentStoreAndDispatchQueues=true), JMX off, vm://bench?create=false connection factory"
                + " at its defaults (prefetch 1000, synchronous persistent sends); on the tcp scenarios an"
                + " OpenWire transport connector tcp://127.0.0.1:0 and ActiveMQConnectionFactory on its"
                + " connect URI, both at their defaults.";
    }

    @Override
    public StartedBroker start(Path directory, Transport transport) throws Exception {
        BrokerService broker = new BrokerService();
        broker.setBrokerName(BROKER_NAME);
        broker.setDataDirectoryFile(directory.toFile());
        broker.setTmpDataDirectory(directory.resolve("tmp").toFile());
        broker.setUseJmx(false);
        broker.setUseShutdownHook(false);
        broker.setPersistent(true);
        KahaDBPersistenceAdapter kahaDb = new KahaDBPersistenceAdapter();
        kahaDb.setDirectory(directory.resolve("kahadb").toFile());
        broker.setPersistenceAdapter(kahaDb);
        TransportConnector tcp = transport == Transport.TCP_LOOPBACK
                ? broker.addConnector("tcp://127.0.0.1:0") : null;
        broker.start();
        broker.waitUntilStarted();
        String url = tcp == null ? "vm://" + BROKER_NAME + "?create=false" : tcp.getConnectUri().toString();
        ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(url);
        return new StartedBroker() {
            @Override
            public ConnectionFactory connectionFactory() {
                return factory;
            }

            @Override
            public void close() throws Exception {
                broker.stop();
                broker.waitUntilStopped();
            }
        };
    }
}
