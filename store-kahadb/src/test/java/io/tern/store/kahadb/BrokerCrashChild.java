package io.tern.store.kahadb;

import io.tern.broker.Broker;
import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The broker the crash test kills: a broker on kahadb with two plain persistent producers, one
 * transacted producer (batches of {@value #BATCH}), a client-acknowledging consumer and a transacted
 * consumer, all on one queue. It prints, flushed, {@code S uid} once a send (or the commit of its batch)
 * returned and {@code R uid} (or {@code V uid} when flagged redelivered) / {@code A uid} when a message
 * was received / its acknowledgement (or commit) returned, and {@code D uid} when the broker asked the store to remove it. It runs until killed.
 */
public final class BrokerCrashChild {

    static final int BATCH = 4;
    static final String QUEUE = "work";
    private static final PrintStream OUT = new PrintStream(new FileOutputStream(FileDescriptor.out), true);

    private BrokerCrashChild() {
    }

    private static final Map<String, String> SETTINGS = Map.of("journalFileSize", "256kb", "checkpointInterval",
            "300ms", "cleanupInterval", System.getProperty("crash.cleanup", "700ms"));

    static Broker broker(Path directory, String name) {
        return Broker.builder().name(name).dataDirectory(directory).shutdownHook(false)
                .storeType("kahadb", SETTINGS).build();
    }

    private static synchronized void print(String line) {
        OUT.println(line);
    }

    public static void main(String[] args) throws Exception {
        Path directory = Path.of(args[0]);
        String cycle = args[1];
        // The same store the test reopens, behind a decorator that prints "D uid" for each removal asked.
        KahaDBPersistenceAdapter kahadb = new KahaDBPersistenceAdapter(KahaDBConfig.from(new io.tern.store.StoreSettings(
                "store.kahadb.", SETTINGS, "crash-" + cycle, directory)));
        Broker broker = Broker.builder().name("crash-" + cycle).shutdownHook(false)
                .store(new RemovalLoggingAdapter(kahadb, uid -> print("D " + uid), w -> print("W " + w))).build().start();
        print("STARTED");
        List<Thread> threads = new ArrayList<>();
        for (int p = 1; p <= 2; p++) {
            String producer = "c" + cycle + "-p" + p;
            threads.add(run(broker, connection -> {
                Session s = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
                MessageProducer producerOf = s.createProducer(s.createQueue(QUEUE));
                for (long n = 1; ; n++) {
                    String uid = producer + "-" + n;
                    Message m = s.createTextMessage(uid);
                    m.setStringProperty("uid", uid);
                    producerOf.send(m);
                    print("S " + uid);
                }
            }));
        }
        threads.add(run(broker, connection -> {
            Session s = connection.createSession(true, Session.SESSION_TRANSACTED);
            MessageProducer producer = s.createProducer(s.createQueue(QUEUE));
            for (long b = 1; ; b++) {
                List<String> batch = new ArrayList<>();
                for (int i = 1; i <= BATCH; i++) {
                    String uid = "c" + cycle + "-t-" + b + "-" + i;
                    Message m = s.createTextMessage(uid);
                    m.setStringProperty("uid", uid);
                    producer.send(m);
                    batch.add(uid);
                }
                s.commit();
                batch.forEach(uid -> print("S " + uid));
            }
        }));
        String consumers = System.getProperty("crash.consumers", "client,transacted");
        if (consumers.contains("client")) threads.add(run(broker, connection -> {
            Session s = connection.createSession(false, Session.CLIENT_ACKNOWLEDGE);
            MessageConsumer consumer = s.createConsumer(s.createQueue(QUEUE));
            while (true) {
                Message m = consumer.receive();
                if (m != null) {
                    String uid = m.getStringProperty("uid");
                    print((m.getJMSRedelivered() ? "V " : "R ") + uid);
                    m.acknowledge();
                    print("A " + uid);
                }
            }
        }));
        if (consumers.contains("transacted")) threads.add(run(broker, connection -> {
            Session s = connection.createSession(true, Session.SESSION_TRANSACTED);
            Queue q = s.createQueue(QUEUE);
            MessageConsumer consumer = s.createConsumer(q);
            while (true) {
                List<String> got = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    Message m = consumer.receive();
                    if (m != null) {
                        String uid = m.getStringProperty("uid");
                        print((m.getJMSRedelivered() ? "V " : "R ") + uid);
                        got.add(uid);
                    }
                }
                s.commit();
                got.forEach(uid -> print("A " + uid));
            }
        }));
        for (Thread t : threads) {
            t.join();
        }
    }

    @FunctionalInterface
    private interface Work {
        void run(Connection connection) throws Exception;
    }

    private static Thread run(Broker broker, Work work) {
        Thread t = new Thread(() -> {
            try (Connection c = broker.connectionFactory().createConnection()) {
                c.start();
                work.run(c);
            } catch (Exception e) {
                e.printStackTrace();
                print("F " + e);
            }
        });
        t.start();
        return t;
    }
}
