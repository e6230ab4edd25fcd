package io.tern.store.kahadb;

import io.tern.broker.Broker;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A broker with no store configured runs on kahadb, and its persistent messages survive restarts. */
class BrokerOnKahaDBTest {

    @TempDir
    Path directory;

    @Test
    void aPersistentBrokerWithNoStoreConfiguredUsesKahadbInItsDataDirectory() throws Exception {
        try (Broker broker = Broker.builder().name("kahadb-default").dataDirectory(directory).build().start()) {
            KahaDBPersistenceAdapter store = assertInstanceOf(KahaDBPersistenceAdapter.class, broker.store());
            assertEquals("kahadb", store.type());
            assertEquals(directory, store.config().directory());
        }
    }

    @Test
    void persistentMessagesSurviveStopStartAndANewBrokerOnTheSameDirectory() throws Exception {
        Broker broker = Broker.builder().name("kahadb-restart").dataDirectory(directory).build().start();
        try (Connection c = broker.connectionFactory().createConnection()) {
            c.setClientID("subscriber");
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Topic prices = s.createTopic("prices");
            s.createDurableSubscriber(prices, "durable").close();
            MessageProducer queueProducer = s.createProducer(s.createQueue("orders"));
            MessageProducer topicProducer = s.createProducer(prices);
            for (int i = 1; i <= 200; i++) {
                queueProducer.send(s.createTextMessage("order " + i));
                topicProducer.send(s.createTextMessage("price " + i));
            }
            queueProducer.send(s.createTextMessage("not kept"), DeliveryMode.NON_PERSISTENT, 4, 0);
        }
        broker.stop();
        broker.start();
        try (Connection c = broker.connectionFactory().createConnection()) {
            c.start();
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            assertEquals(texts("order ", 1, 100), receive(s.createConsumer(s.createQueue("orders")), 100));
        }
        broker.close();

        try (Broker again = Broker.builder().name("kahadb-restart").dataDirectory(directory).build().start();
             Connection c = again.connectionFactory().createConnection()) {
            c.setClientID("subscriber");
            c.start();
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer orders = s.createConsumer(s.createQueue("orders"));
            assertEquals(texts("order ", 101, 200), receive(orders, 100));
            assertNull(orders.receive(200), "the non-persistent message is not kept, nor anything acknowledged");
            MessageConsumer durable = s.createDurableSubscriber(s.createTopic("prices"), "durable");
            assertEquals(texts("price ", 1, 200), receive(durable, 200));
        }
    }

    @Test
    void aSecondBrokerOnTheSameDirectoryWaitsAndTakesOverWhenTheFirstStops() throws Exception {
        Broker master = Broker.builder().name("kahadb-master").dataDirectory(directory).build().start();
        try (Connection c = master.connectionFactory().createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue q = s.createQueue("shared");
            MessageProducer p = s.createProducer(q);
            for (int i = 1; i <= 10; i++) {
                p.send(s.createTextMessage("shared " + i));
            }
        }
        Broker slave = Broker.builder().name("kahadb-slave").dataDirectory(directory).build();
        CompletableFuture<Broker> slaveStarted = CompletableFuture.supplyAsync(slave::start);
        try {
            // The slave stays blocked in start while the master holds the directory.
            assertThrowsTimeout(slaveStarted);
            master.close();
            slaveStarted.get(30, TimeUnit.SECONDS);
            try (Connection c = slave.connectionFactory().createConnection()) {
                c.start();
                Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
                assertEquals(texts("shared ", 1, 10), receive(s.createConsumer(s.createQueue("shared")), 10));
            }
        } finally {
            master.close();
            slaveStarted.get(30, TimeUnit.SECONDS).close();
        }
    }

    private static void assertThrowsTimeout(CompletableFuture<?> f) throws Exception {
        try {
            f.get(1, TimeUnit.SECONDS);
            throw new AssertionError("the slave started while the master held the directory");
        } catch (java.util.concurrent.TimeoutException expected) {
            assertTrue(!f.isDone());
        }
    }

    private static List<String> receive(MessageConsumer consumer, int n) throws Exception {
        List<String> got = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Message m = consumer.receive(10_000);
            if (m == null) {
                break;
            }
            got.add(((TextMessage) m).getText());
        }
        return got;
    }

    private static List<String> texts(String prefix, int from, int to) {
        List<String> t = new ArrayList<>();
        for (int i = from; i <= to; i++) {
            t.add(prefix + i);
        }
        return t;
    }
}
