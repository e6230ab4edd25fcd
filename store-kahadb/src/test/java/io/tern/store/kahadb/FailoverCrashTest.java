package io.tern.store.kahadb;

import io.tern.jms.TernConnectionFactory;
import jakarta.jms.JMSException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * Failover through kill -9: a broker on kahadb in a child JVM ({@link FailoverBrokerChild}) is killed at
 * random moments under load and restarted on the same directory and port, again and again
 * ({@code kahadb.failover.kills}: 5 by default, 20 under -Pkahadb-long), while plain and transacted
 * producers and client-acknowledging and transacted consumers run through one {@code failover:} URL
 * ({@link FailoverWorkload}). Accounting is strict ({@link FailoverLedger}); after the kills the queue is
 * drained and the ledger checks that no sent message is missing and that every message seen
 * twice carried JMSRedelivered the second time.
 *
 * <p>{@code -Dkahadb.failover.transport=tcp} runs the same load over plain {@code tcp://}, the application
 * opening a new connection when one is lost: the broker's side of the same promises, without the failover
 * client.
 */
class FailoverCrashTest {

    private static final Logger LOG = LoggerFactory.getLogger(FailoverCrashTest.class);

    @TempDir
    Path directory;

    @Test
    @Timeout(value = 30, unit = TimeUnit.MINUTES)
    void clientsCarryOnThroughKillMinusNineOfTheirBrokerWithNothingLostAndDuplicatesFlagged() throws Exception {
        int kills = Integer.getInteger("kahadb.failover.kills", 5);
        long seed = Long.getLong("kahadb.failover.seed", System.nanoTime());
        Random random = new Random(seed);
        boolean failover = !"tcp".equals(System.getProperty("kahadb.failover.transport"));
        LOG.info("{} kills over {}, seed {} (rerun with -Dkahadb.failover.seed={})", kills,
                failover ? "failover:" : "tcp://", seed, seed);
        Path log = Path.of("target", "failover-logs", "crash-" + seed + ".log");
        Files.createDirectories(log.getParent());

        FailoverLedger ledger = new FailoverLedger();
        List<Long> failoverMillis = new ArrayList<>();
        try (ChildBroker broker = new ChildBroker(directory.resolve("store"), ChildBroker.freePort(),
                "failover-crash", log)) {
            broker.launch();
            broker.awaitStarted();
            TernConnectionFactory factory = new TernConnectionFactory(failover
                    ? ChildBroker.failoverUri(broker) : broker.tcpUri());
            factory.setTransportListener(ledger.transportListener());
            try (FailoverWorkload load = FailoverWorkload.start(factory, ledger)) {
                ledger.awaitSent(1, "the first sends");
                for (int kill = 1; kill <= kills; kill++) {
                    Thread.sleep(200 + random.nextInt(1300));
                    int sentBefore = ledger.sentCount();
                    broker.kill();
                    long killedAt = System.nanoTime();
                    ledger.watchResume();
                    broker.launch();
                    broker.awaitStarted();
                    long resumed = ledger.awaitResume("kill " + kill + " (seed " + seed + ")");
                    failoverMillis.add(TimeUnit.NANOSECONDS.toMillis(resumed - killedAt));
                    LOG.info("kill {}: {} sent before it, first send returned {} ms after it", kill, sentBefore,
                            failoverMillis.get(failoverMillis.size() - 1));
                    // Load again before the next kill.
                    ledger.awaitSent(ledger.sentCount() + 20, "sends after kill " + kill);
                }
                load.stopProducers();
                load.stopConsumers();
            }
            try {
                FailoverWorkload.drain(factory, ledger);
            } catch (JMSException | RuntimeException e) {
                throw new AssertionError("the drain failed; " + ledger.summary(), e);
            }
        }
        LOG.info("{} kills (seed {}): {}; failover times (kill to first send returned) {} ms", kills, seed,
                ledger.summary(), failoverMillis);
        ledger.assertPromisesKept("seed " + seed + ", broker log " + log.toAbsolutePath(), failover);
    }
}
