package io.tern.transport.failover;

import io.tern.broker.Broker;
import io.tern.jms.TernConnection;
import io.tern.jms.TernConnectionFactory;
import jakarta.jms.CompletionListener;
import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static io.tern.transport.failover.FailoverConnectTest.recorder;
import static io.tern.transport.failover.FailoverTestSupport.ABSENT_TIMEOUT;
import static io.tern.transport.failover.FailoverTestSupport.RECEIVE_TIMEOUT;
import static io.tern.transport.failover.FailoverTestSupport.await;
import static io.tern.transport.failover.FailoverTestSupport.port;
import static io.tern.transport.failover.FailoverTestSupport.startBroker;
import static io.tern.transport.failover.FailoverTestSupport.tcpUri;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Sends the broker had not confirmed when the connection dropped are sent again, in order, and the broker
 * keeps each message once. The broker keeps running behind a cut proxy (a restarted memory broker would have
 * lost them), so the resends really are duplicates of what it holds.
 */
class FailoverSendTest {

    private final List<AutoCloseable> cleanup = new CopyOnWriteArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : cleanup) {
            c.close();
        }
    }

    @Test
    void unconfirmedAsynchronousSendsAreResentInOrderAndKeptOnce() throws Exception {
        Broker broker = startBroker("resend");
        cleanup.add(broker);
        CuttableProxy proxy = new CuttableProxy(port(broker));
        cleanup.add(0, proxy);
        List<String> events = new CopyOnWriteArrayList<>();
        TernConnection c = (TernConnection) new TernConnectionFactory("failover:(" + proxy.uri()
                + ")?initialReconnectDelay=1").createConnection();
        cleanup.add(0, c);
        c.setTransportListener(recorder(events));
        Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
        MessageProducer producer = s.createProducer(s.createQueue("ledger"));
        producer.send(s.createTextMessage("confirmed"));

        proxy.dropReplies();
        int n = 20;
        List<CompletableFuture<Void>> completions = new CopyOnWriteArrayList<>();
        for (int i = 0; i < n; i++) {
            CompletableFuture<Void> done = new CompletableFuture<>();
            completions.add(done);
            producer.send(s.createTextMessage("entry " + i), new CompletionListener() {
                @Override
                public void onCompletion(Message message) {
                    done.complete(null);
                }

                @Override
                public void onException(Message message, Exception exception) {
                    done.completeExceptionally(exception);
                }
            });
        }
        await("the broker holds every send, though no receipt came back", () -> broker.queueDepth("ledger") == n + 1);
        proxy.cut();
        await("resumed", () -> events.contains("resumed"));
        for (CompletableFuture<Void> done : completions) {
            done.get(RECEIVE_TIMEOUT, TimeUnit.MILLISECONDS);
        }
        assertEquals(n + 1, broker.queueDepth("ledger"), "the resends were recognised as duplicates");

        c.start();
        MessageConsumer consumer = s.createConsumer(s.createQueue("ledger"));
        assertEquals("confirmed", ((TextMessage) consumer.receive(RECEIVE_TIMEOUT)).getText());
        for (int i = 0; i < n; i++) {
            Message m = consumer.receive(RECEIVE_TIMEOUT);
            assertNotNull(m, "entry " + i);
            assertEquals("entry " + i, ((TextMessage) m).getText());
        }
        assertNull(consumer.receive(ABSENT_TIMEOUT), "no message twice");
    }

    @Test
    void aSynchronousSendWhoseReceiptWasLostReturnsOnceTheNextConnectionConfirmsIt() throws Exception {
        Broker a = startBroker("sync-a");
        Broker b = startBroker("sync-b");
        cleanup.add(a);
        cleanup.add(b);
        CuttableProxy proxy = new CuttableProxy(port(a));
        cleanup.add(0, proxy);
        Connection c = new TernConnectionFactory("failover:(" + proxy.uri() + "," + tcpUri(b)
                + ")?randomize=false&initialReconnectDelay=1").createConnection();
        cleanup.add(0, c);
        Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
        MessageProducer producer = s.createProducer(s.createQueue("sync"));
        proxy.dropCommands();
        CompletableFuture<Void> sent = CompletableFuture.runAsync(() -> {
            try {
                producer.send(s.createTextMessage("lost on the way"));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        a.stop();
        sent.get(RECEIVE_TIMEOUT, TimeUnit.MILLISECONDS);
        assertTrue(b.queueDepth("sync") == 1, "the send went to the second broker");
    }
}
