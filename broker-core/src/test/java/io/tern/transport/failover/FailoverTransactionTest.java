package io.tern.transport.failover;

import io.tern.broker.Broker;
import io.tern.jms.TernConnection;
import io.tern.jms.TernConnectionFactory;
import io.tern.transport.TransactionOutcomeUnknownException;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TransactionRolledBackException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static io.tern.transport.failover.FailoverConnectTest.assertReceived;
import static io.tern.transport.failover.FailoverConnectTest.recorder;
import static io.tern.transport.failover.FailoverTestSupport.ABSENT_TIMEOUT;
import static io.tern.transport.failover.FailoverTestSupport.RECEIVE_TIMEOUT;
import static io.tern.transport.failover.FailoverTestSupport.await;
import static io.tern.transport.failover.FailoverTestSupport.port;
import static io.tern.transport.failover.FailoverTestSupport.startBroker;
import static io.tern.transport.failover.FailoverTestSupport.tcpUri;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Transactions and failover: one open across the failover is rolled back; a commit whose reply is lost is
 * never guessed but asked of the broker; with no broker to ask, the outcome is reported unknown.
 */
class FailoverTransactionTest {

    private final List<AutoCloseable> cleanup = new CopyOnWriteArrayList<>();
    private final List<String> events = new CopyOnWriteArrayList<>();
    private Broker broker;
    private CuttableProxy proxy;

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : cleanup) {
            c.close();
        }
    }

    private TernConnection connect(String options) throws Exception {
        broker = startBroker("tx");
        cleanup.add(broker);
        proxy = new CuttableProxy(port(broker));
        cleanup.add(0, proxy);
        TernConnection c = (TernConnection) new TernConnectionFactory("failover:(" + proxy.uri()
                + ")?initialReconnectDelay=1" + options).createConnection();
        cleanup.add(0, c);
        c.setTransportListener(recorder(events));
        return c;
    }

    private void send(String queue, String text) throws JMSException {
        try (Connection other = new TernConnectionFactory(tcpUri(broker)).createConnection()) {
            Session s = other.createSession(false, Session.AUTO_ACKNOWLEDGE);
            s.createProducer(s.createQueue(queue)).send(s.createTextMessage(text));
        }
    }

    @Test
    void aTransactionOpenAcrossTheFailoverIsRolledBack() throws Exception {
        TernConnection c = connect("");
        c.start();
        send("in", "to consume");
        Session s = c.createSession(Session.SESSION_TRANSACTED);
        MessageConsumer consumer = s.createConsumer(s.createQueue("in"));
        assertReceived("to consume", consumer.receive(RECEIVE_TIMEOUT));
        s.createProducer(s.createQueue("out")).send(s.createTextMessage("never visible"));

        proxy.cut();
        await("resumed", () -> events.contains("resumed"));
        assertThrows(TransactionRolledBackException.class, s::commit);
        assertEquals(0, broker.queueDepth("out"), "the rolled back send never became visible");

        Message again = consumer.receive(RECEIVE_TIMEOUT);
        assertReceived("to consume", again);
        assertTrue(again.getJMSRedelivered());
        s.commit();
        await("consumed", () -> broker.queueDepth("in") == 0);
    }

    @Test
    void aCommitWhoseReplyWasLostReturnsNormallyWhenTheBrokerCommittedIt() throws Exception {
        TernConnection c = connect("");
        Session s = c.createSession(Session.SESSION_TRANSACTED);
        MessageProducer p = s.createProducer(s.createQueue("committed"));
        p.send(s.createTextMessage("once"));
        proxy.dropReplies();
        CompletableFuture<Void> commit = CompletableFuture.runAsync(() -> {
            try {
                s.commit();
            } catch (JMSException e) {
                throw new IllegalStateException(e);
            }
        });
        await("the broker committed", () -> broker.queueDepth("committed") == 1);
        proxy.cut();
        commit.get(RECEIVE_TIMEOUT, TimeUnit.MILLISECONDS);
        assertEquals(1, broker.queueDepth("committed"));
    }

    @Test
    void aCommitThatNeverReachedTheBrokerIsReportedRolledBack() throws Exception {
        TernConnection c = connect("");
        Session s = c.createSession(Session.SESSION_TRANSACTED);
        s.createProducer(s.createQueue("lost")).send(s.createTextMessage("not committed"));
        proxy.dropCommands();
        CompletableFuture<Void> commit = CompletableFuture.runAsync(() -> {
            try {
                s.commit();
            } catch (JMSException e) {
                throw new IllegalStateException(e);
            }
        });
        assertFalse(commit.isDone());
        proxy.cut();
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> commit.get(RECEIVE_TIMEOUT, TimeUnit.MILLISECONDS));
        assertInstanceOf(TransactionRolledBackException.class, e.getCause().getCause(), e.toString());
        assertEquals(0, broker.queueDepth("lost"));
        c.start();
        assertNull(s.createConsumer(s.createQueue("lost")).receive(ABSENT_TIMEOUT));
    }

    @Test
    void withNoBrokerToAskTheOutcomeIsUnknownNotRolledBack() throws Exception {
        TernConnection c = connect("&timeout=500");
        Session s = c.createSession(Session.SESSION_TRANSACTED);
        s.createProducer(s.createQueue("doubt")).send(s.createTextMessage("maybe"));
        proxy.dropReplies();
        CompletableFuture<Void> commit = CompletableFuture.runAsync(() -> {
            try {
                s.commit();
            } catch (JMSException e) {
                throw new IllegalStateException(e);
            }
        });
        await("the broker committed", () -> broker.queueDepth("doubt") == 1);
        broker.stop();
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> commit.get(RECEIVE_TIMEOUT, TimeUnit.MILLISECONDS));
        Throwable thrown = e.getCause().getCause();
        assertInstanceOf(TransactionOutcomeUnknownException.class, thrown, e.toString());
        assertFalse(thrown instanceof TransactionRolledBackException);
        assertTrue(thrown.getMessage().contains("outcome is unknown"), thrown.getMessage());
    }
}
