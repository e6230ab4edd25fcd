package io.tern.store.kahadb;

import io.tern.broker.Broker;
import io.tern.transport.BrokerConnection;
import io.tern.transport.ConsumerSpec;
import io.tern.transport.Delivery;
import io.tern.transport.DeliveryListener;
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

    @Test
    void aResendOfAMessageAcceptedBeforeARestartIsDroppedWhetherConsumedOrNot() throws Exception {
        Broker broker = Broker.builder().name("kahadb-resend").dataDirectory(directory).build().start();
        try {
            BrokerConnection first = broker.connect(new Recorder());
            first.send(0, snapshot(1)).get(10, TimeUnit.SECONDS);
            first.send(0, snapshot(2)).get(10, TimeUnit.SECONDS);
            Recorder deliveries = new Recorder();
            BrokerConnection consumer = broker.connect(deliveries);
            consumer.addConsumer(ConsumerSpec.plain(1, ORDERS, null, false, 1));
            Delivery one = deliveries.next();
            assertEquals("ID:p:1", one.message().messageId());
            consumer.acknowledge(new long[] {one.deliveryId()});
            consumer.close();

            broker.stop();
            broker.start();
            BrokerConnection resending = broker.connect(new Recorder());
            for (long sequence = 1; sequence <= 3; sequence++) {
                resending.send(0, snapshot(sequence)).get(10, TimeUnit.SECONDS);
            }
            Recorder after = new Recorder();
            BrokerConnection again = broker.connect(after);
            again.addConsumer(ConsumerSpec.plain(1, ORDERS, null, false, 10));
            assertEquals("ID:p:2", after.next().message().messageId());
            assertEquals("ID:p:3", after.next().message().messageId());
            assertNull(after.deliveries.poll(300, TimeUnit.MILLISECONDS), "nothing was stored twice");
        } finally {
            broker.close();
        }
    }

    @Test
    void deadLetteredCopiesOfOneMessageForTwoSubscriptionsAreBothKeptAcrossARestart() throws Exception {
        try (Broker broker = Broker.builder().name("kahadb-dlq").dataDirectory(directory)
                .redeliveryPolicy(io.tern.broker.RedeliveryPolicy.DEFAULT.withMaximumRedeliveries(0)).build().start()) {
            try (Connection c = broker.connectionFactory().createConnection()) {
                c.setClientID("c");
                c.start();
                Session s = c.createSession(true, Session.SESSION_TRANSACTED);
                Topic prices = s.createTopic("prices");
                MessageConsumer a = s.createDurableSubscriber(prices, "a");
                MessageConsumer b = s.createDurableSubscriber(prices, "b");
                s.createProducer(prices).send(s.createTextMessage("price"));
                s.commit();
                assertTrue(a.receive(10_000) != null && b.receive(10_000) != null);
                s.rollback();
            }
            long deadline = System.currentTimeMillis() + 10_000;
            while (broker.queueDepth("DLQ") < 2 && System.currentTimeMillis() < deadline) {
                Thread.sleep(20);
            }
            broker.stop();
            broker.start();
            try (Connection c = broker.connectionFactory().createConnection()) {
                c.start();
                Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
                assertEquals(List.of("price", "price"), receive(s.createConsumer(s.createQueue("DLQ")), 2),
                        "one copy per subscription, both stored");
            }
        }
    }

    private static final io.tern.protocol.Address ORDERS = io.tern.protocol.Address.queue("orders");

    private static io.tern.protocol.MessageSnapshot snapshot(long sequence) {
        return io.tern.protocol.MessageSnapshot.builder().messageId("ID:p:" + sequence).destination(ORDERS)
                .producerId("ID:p").producerSequence(sequence)
                .body(io.tern.protocol.MessageSnapshot.BodyType.TEXT, "m" + sequence).build();
    }

    /** A client connection's listener. */
    static final class Recorder implements DeliveryListener {
        final java.util.concurrent.BlockingQueue<Delivery> deliveries = new java.util.concurrent.LinkedBlockingQueue<>();

        @Override
        public void onDelivery(Delivery delivery) {
            deliveries.add(delivery);
        }

        @Override
        public void onConnectionFailure(Exception cause) {
        }

        Delivery next() throws InterruptedException {
            Delivery d = deliveries.poll(10, TimeUnit.SECONDS);
            assertTrue(d != null, "no delivery within 10 s");
            return d;
        }
    }

    @Test
    void stoppingASlaveThatWaitsForTheDirectoryEndsItsStartAndItNeverBecomesMaster() throws Exception {
        Broker master = Broker.builder().name("kahadb-master-2").dataDirectory(directory).build().start();
        Broker slave = Broker.builder().name("kahadb-slave-2").dataDirectory(directory).build();
        CompletableFuture<Broker> slaveStarted = CompletableFuture.supplyAsync(slave::start);
        try {
            assertThrowsTimeout(slaveStarted);
            CompletableFuture<Void> stopped = CompletableFuture.runAsync(slave::close);
            stopped.get(10, TimeUnit.SECONDS);
            java.util.concurrent.ExecutionException failed = org.junit.jupiter.api.Assertions.assertThrows(
                    java.util.concurrent.ExecutionException.class, () -> slaveStarted.get(10, TimeUnit.SECONDS));
            assertInstanceOf(java.io.UncheckedIOException.class, failed.getCause());
            master.close();
            try (Broker next = Broker.builder().name("kahadb-next").dataDirectory(directory).build()) {
                CompletableFuture<Broker> nextStarted = CompletableFuture.supplyAsync(next::start);
                nextStarted.get(30, TimeUnit.SECONDS);
                assertTrue(!slave.isStarted(), "the stopped slave never took over");
            }
        } finally {
            master.close();
            slave.close();
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
