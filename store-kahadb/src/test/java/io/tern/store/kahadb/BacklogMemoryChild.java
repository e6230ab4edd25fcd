package io.tern.store.kahadb;

import io.tern.broker.Broker;
import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;

import java.nio.file.Path;

/**
 * A broker with a small heap (the test gives it -Xmx256m) and a backlog far larger: it sends
 * {@code args[1]} MiB of persistent 4 KiB messages, restarts, receives them all in order, and prints
 * {@code OK <count>}. Running out of heap kills it with an OutOfMemoryError instead.
 */
public final class BacklogMemoryChild {

    private BacklogMemoryChild() {
    }

    public static void main(String[] args) throws Exception {
        Path directory = Path.of(args[0]);
        long count = Long.parseLong(args[1]) * 1024 * 1024 / 4096;
        byte[] body = new byte[4096];
        Broker broker = Broker.builder().name("backlog").dataDirectory(directory).shutdownHook(false).build().start();
        try (Connection c = broker.connectionFactory().createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer p = s.createProducer(s.createQueue("big"));
            p.setDeliveryMode(DeliveryMode.PERSISTENT);
            for (long i = 1; i <= count; i++) {
                BytesMessage m = s.createBytesMessage();
                m.writeBytes(body);
                m.setLongProperty("n", i);
                p.send(m);
            }
        }
        broker.stop();
        System.out.println("SENT " + count + " heap used " + usedHeap());
        broker.start();
        long received = 0;
        try (Connection c = broker.connectionFactory().createConnection()) {
            c.start();
            Session s = c.createSession(false, Session.DUPS_OK_ACKNOWLEDGE);
            MessageConsumer consumer = s.createConsumer(s.createQueue("big"));
            for (Message m = consumer.receive(30_000); m != null; m = consumer.receive(30_000)) {
                if (m.getLongProperty("n") != received + 1) {
                    throw new IllegalStateException("message " + m.getLongProperty("n") + " after " + received);
                }
                received++;
            }
        }
        broker.close();
        System.out.println((received == count ? "OK " : "MISSING ") + received + " heap used " + usedHeap());
    }

    private static long usedHeap() {
        Runtime r = Runtime.getRuntime();
        return (r.totalMemory() - r.freeMemory()) / (1024 * 1024);
    }
}
