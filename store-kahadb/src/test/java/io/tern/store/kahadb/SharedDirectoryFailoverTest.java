package io.tern.store.kahadb;

import io.tern.jms.TernConnectionFactory;
import jakarta.jms.Connection;
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
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Master/slave on a shared kahadb directory, through failover: brokers A and B ({@link FailoverBrokerChild},
 * each a child JVM with its own tcp port) share one directory; A holds the lock and serves, B waits and
 * refuses clients with a reason. Clients run the {@link FailoverWorkload} through
 * {@code failover:(tcp://A,tcp://B)}. A is killed with kill -9: B takes the lock and the clients carry on
 * against it. Then A comes back as the slave and B is killed: the clients carry on against A. The queue is
 * drained and accounted as in {@link FailoverCrashTest}.
 */
class SharedDirectoryFailoverTest {

    private static final Logger LOG = LoggerFactory.getLogger(SharedDirectoryFailoverTest.class);

    @TempDir
    Path directory;

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void clientsCarryOnAgainstTheSlaveWhenTheMasterIsKilledAndBackWhenTheRolesSwap() throws Exception {
        Path store = directory.resolve("store");
        Path log = Path.of("target", "failover-logs", "shared-" + System.currentTimeMillis() + ".log");
        Files.createDirectories(log.getParent());
        FailoverLedger ledger = new FailoverLedger();
        List<Long> failoverMillis = new ArrayList<>();
        try (ChildBroker a = new ChildBroker(store, ChildBroker.freePort(), "shared-a", log);
             ChildBroker b = new ChildBroker(store, ChildBroker.freePort(), "shared-b", log)) {
            a.launch();
            a.awaitStarted();
            b.launch();
            LOG.info("the slave refuses clients: {}", awaitRefusal(b));
            TernConnectionFactory factory = new TernConnectionFactory(ChildBroker.failoverUri(a, b));
            factory.setTransportListener(ledger.transportListener());
            try (FailoverWorkload load = FailoverWorkload.start(factory, ledger)) {
                ledger.awaitSent(50, "the first sends, to A");
                failoverMillis.add(killAndTakeOver(a, b, ledger));
                ledger.awaitSent(ledger.sentCount() + 50, "sends to B");

                a.launch();
                LOG.info("A, back as the slave, refuses clients: {}", awaitRefusal(a));
                failoverMillis.add(killAndTakeOver(b, a, ledger));
                ledger.awaitSent(ledger.sentCount() + 50, "sends to A again");
                load.stopProducers();
                load.stopConsumers();
            }
            try {
                FailoverWorkload.drain(factory, ledger);
            } catch (JMSException | RuntimeException e) {
                throw new AssertionError("the drain failed; " + ledger.summary(), e);
            }
        }
        LOG.info("master/slave: {}; failover times (kill to first send returned) {} ms", ledger.summary(),
                failoverMillis);
        ledger.assertPromisesKept("master/slave, broker log " + log.toAbsolutePath(), true);
    }

    /** Kills the master; the slave takes the lock and serves; returns the ms from the kill to the first send. */
    private static long killAndTakeOver(ChildBroker master, ChildBroker slave, FailoverLedger ledger)
            throws InterruptedException {
        assertFalse(slave.awaitStarted(200, TimeUnit.MILLISECONDS), slave.name() + " started while "
                + master.name() + " held the directory");
        master.kill();
        long killedAt = System.nanoTime();
        ledger.watchResume();
        slave.awaitStarted();
        long millis = TimeUnit.NANOSECONDS.toMillis(ledger.awaitResume("killing " + master.name()) - killedAt);
        LOG.info("{} killed: {} took over, first send returned {} ms after the kill", master.name(), slave.name(),
                millis);
        return millis;
    }

    /**
     * Connects straight to a broker waiting for the directory lock until it answers (it listens before it
     * has the lock) and returns the reason it refuses with. A connection it accepts fails the test.
     */
    private static String awaitRefusal(ChildBroker slave) throws InterruptedException {
        TernConnectionFactory direct = new TernConnectionFactory(slave.tcpUri());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            try (Connection c = direct.createConnection()) {
                throw new AssertionError(slave.name() + " accepted a connection while the master held the directory");
            } catch (JMSException e) {
                if (e.getMessage() != null && e.getMessage().contains("refused the connection")) {
                    return e.getMessage();
                }
                // Not listening yet: the JVM is starting.
            }
            Thread.sleep(50);
        }
        throw new AssertionError(slave.name() + " neither refused nor accepted connections within 60 s; see "
                + slave.log().toAbsolutePath());
    }
}
