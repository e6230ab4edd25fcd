package io.tern.store.kahadb;

import io.tern.broker.Broker;
import io.tern.broker.RedeliveryPolicy;

import java.nio.file.Path;

/**
 * The broker the failover tests kill: a persistent broker on kahadb (default settings, so every write is
 * forced before it completes) in the directory {@code args[0]}, listening on {@code tcp://127.0.0.1:args[1]}
 * under the name {@code args[2]}. It listens before it opens its store, so a slave waiting for the directory
 * lock refuses clients with a reason; it prints {@code STARTED} once the store is open and it serves
 * clients, then runs until killed.
 *
 * <p>Redeliveries are unlimited: messages given back at every kill must stay on their queue for the test
 * to account for them, not move to a dead-letter queue.
 */
public final class FailoverBrokerChild {

    private FailoverBrokerChild() {
    }

    public static void main(String[] args) throws Exception {
        Broker broker = Broker.builder().name(args[2]).dataDirectory(Path.of(args[0])).shutdownHook(false)
                .redeliveryPolicy(RedeliveryPolicy.DEFAULT.withMaximumRedeliveries(-1))
                .transportConnector("tcp://127.0.0.1:" + args[1]).build().start();
        System.out.println("STARTED " + broker.name());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
