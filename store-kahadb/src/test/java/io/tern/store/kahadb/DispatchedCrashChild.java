package io.tern.store.kahadb;

import io.tern.broker.Broker;
import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * The broker {@link DispatchedCrashTest} kills: it stores {@code count} messages on a queue, lets a
 * consumer with a small prefetch receive {@code received} of them without acknowledging, prints
 * {@code R n} for each and then {@code READY}, and waits to be killed.
 */
public final class DispatchedCrashChild {

    static final String QUEUE = "dispatched";

    private DispatchedCrashChild() {
    }

    static Broker broker(Path directory) {
        return Broker.builder().name("dispatched").dataDirectory(directory).shutdownHook(false).build();
    }

    public static void main(String[] args) throws Exception {
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true);
        int count = Integer.parseInt(args[1]);
        int received = Integer.parseInt(args[2]);
        Broker broker = broker(Path.of(args[0])).start();
        Connection c = broker.connectionFactory().createConnection();
        c.start();
        Session producing = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
        MessageProducer producer = producing.createProducer(producing.createQueue(QUEUE));
        for (int n = 1; n <= count; n++) {
            Message m = producing.createTextMessage("m" + n);
            m.setIntProperty("n", n);
            producer.send(m);
        }
        Session consuming = c.createSession(false, Session.CLIENT_ACKNOWLEDGE);
        MessageConsumer consumer = consuming.createConsumer(consuming.createQueue(QUEUE + "?consumer.prefetchSize=10"));
        for (int i = 0; i < received; i++) {
            Message m = consumer.receive(10_000);
            out.println("R " + m.getIntProperty("n") + " " + m.getJMSRedelivered());
        }
        out.println("READY");
        Thread.sleep(Long.MAX_VALUE);
    }
}
