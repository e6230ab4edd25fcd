package io.tern.benchmarks.broker;

import jakarta.jms.ConnectionFactory;
import org.apache.activemq.artemis.api.core.TransportConfiguration;
import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.io.aio.AIOSequentialFileFactory;
import org.apache.activemq.artemis.core.remoting.impl.invm.InVMAcceptorFactory;
import org.apache.activemq.artemis.core.remoting.impl.netty.NettyAcceptorFactory;
import org.apache.activemq.artemis.core.remoting.impl.netty.TransportConstants;
import org.apache.activemq.artemis.core.server.JournalType;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.jms.client.ActiveMQJMSConnectionFactory;

import io.tern.benchmarks.scenario.Transport;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Artemis 2.40.0 (jakarta) embedded on its file journal, with every persistent send and every commit
 * synced (its defaults), reached through its in-VM acceptor, or on the tcp scenarios through a Netty
 * acceptor at its defaults on a free loopback port. One class serves both journal types:
 * NIO, and ASYNCIO (libaio), which needs the native library that ships inside the
 * {@code activemq-artemis-native} jar to be on {@code java.library.path}; see {@link ArtemisNativeLibrary}.
 */
public final class ArtemisJournalTarget implements BrokerTarget {

    private final JournalType journalType;

    private ArtemisJournalTarget(JournalType journalType) {
        this.journalType = journalType;
    }

    /** The NIO journal: what embedded Artemis runs on when its native library is not on the library path. */
    public static ArtemisJournalTarget nio() {
        return new ArtemisJournalTarget(JournalType.NIO);
    }

    /** The ASYNCIO (libaio) journal, Artemis' recommended journal on Linux. */
    public static ArtemisJournalTarget aio() {
        return new ArtemisJournalTarget(JournalType.ASYNCIO);
    }

    @Override
    public String id() {
        return journalType == JournalType.ASYNCIO ? "artemis-aio" : "artemis-nio";
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
        String journal = journalType == JournalType.ASYNCIO
                ? "ASYNCIO journal (libaio; native library extracted from activemq-artemis-native 2.0.0 onto"
                        + " java.library.path), default buffer timeout 500 µs"
                : "NIO journal, default buffer timeout 3,333 µs";
        return "Artemis 2.40.0 jakarta, EmbeddedActiveMQ, persistence on, " + journal
                + ", journal-sync-transactional and -non-transactional true (defaults), security and JMX off,"
                + " in-VM acceptor, ActiveMQJMSConnectionFactory(\"vm://0\") at its defaults"
                + " (blocking durable sends, 1 MiB consumer window); on the tcp scenarios a Netty acceptor on"
                + " 127.0.0.1 and ActiveMQJMSConnectionFactory(\"tcp://127.0.0.1:<port>\"), both at their"
                + " defaults.";
    }

    @Override
    public String unavailableReason() {
        if (journalType != JournalType.ASYNCIO) {
            return null;
        }
        return ArtemisNativeLibrary.unavailableReason();
    }

    @Override
    public List<String> childJvmArguments(Path workRoot) throws java.io.IOException {
        if (journalType != JournalType.ASYNCIO) {
            return List.of();
        }
        return List.of("-Djava.library.path=" + ArtemisNativeLibrary.extractTo(workRoot.resolve("artemis-native")));
    }

    @Override
    public String childClasspath(String moduleClasspath, Path buildDirectory) throws java.io.IOException {
        return ArtemisNetty.substitute(moduleClasspath, buildDirectory);
    }

    @Override
    public StartedBroker start(Path directory, Transport transport) throws Exception {
        if (journalType == JournalType.ASYNCIO && !AIOSequentialFileFactory.isSupported(directory.toFile())) {
            // Artemis would quietly fall back to NIO; a target named aio must not report NIO figures.
            throw new TargetUnavailableException("the libaio journal is not usable in " + directory
                    + " (native library not loaded, or the file system refuses O_DIRECT)");
        }
        Configuration config = new ConfigurationImpl()
                .setName("bench")
                .setPersistenceEnabled(true)
                .setSecurityEnabled(false)
                .setJMXManagementEnabled(false)
                .setJournalType(journalType)
                .setJournalDirectory(directory.resolve("journal").toString())
                .setBindingsDirectory(directory.resolve("bindings").toString())
                .setPagingDirectory(directory.resolve("paging").toString())
                .setLargeMessagesDirectory(directory.resolve("large-messages").toString())
                .addAcceptorConfiguration(new TransportConfiguration(InVMAcceptorFactory.class.getName()));
        int port = transport == Transport.TCP_LOOPBACK ? freeLoopbackPort() : -1;
        if (port > 0) {
            config.addAcceptorConfiguration(new TransportConfiguration(NettyAcceptorFactory.class.getName(),
                    Map.<String, Object>of(TransportConstants.HOST_PROP_NAME, "127.0.0.1",
                            TransportConstants.PORT_PROP_NAME, port),
                    "netty"));
        }
        EmbeddedActiveMQ server = new EmbeddedActiveMQ().setConfiguration(config);
        server.start();
        Configuration running = server.getActiveMQServer().getConfiguration();
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("journal", running.getJournalType().name());
        facts.put("journalBufferTimeoutNanos", String.valueOf(running.getJournalType() == JournalType.ASYNCIO
                ? running.getJournalBufferTimeout_AIO() : running.getJournalBufferTimeout_NIO()));
        io.netty.util.Version netty = io.netty.util.Version.identify().get("netty-common");
        facts.put("netty", netty == null ? "unknown" : netty.artifactVersion());
        ActiveMQJMSConnectionFactory factory = new ActiveMQJMSConnectionFactory(
                port > 0 ? "tcp://127.0.0.1:" + port : "vm://0");
        return new StartedBroker() {
            @Override
            public ConnectionFactory connectionFactory() {
                return factory;
            }

            @Override
            public Map<String, String> facts() {
                return facts;
            }

            @Override
            public void close() throws Exception {
                factory.close();
                server.stop();
            }
        };
    }

    /**
     * A port nothing listens on now, chosen before the broker starts so that the client's URL is known
     * without reaching into the acceptor; in a fresh child JVM nothing else races for it.
     */
    private static int freeLoopbackPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
