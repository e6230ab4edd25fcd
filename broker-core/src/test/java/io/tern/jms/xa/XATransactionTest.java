package io.tern.jms.xa;

import com.arjuna.ats.arjuna.common.CoordinatorEnvironmentBean;
import com.arjuna.ats.arjuna.common.ObjectStoreEnvironmentBean;
import com.arjuna.ats.arjuna.coordinator.TransactionReaper;
import com.arjuna.common.internal.util.propertyservice.BeanPopulator;
import io.tern.broker.Broker;
import io.tern.jms.TestTransport;
import io.tern.store.memory.MemoryPersistenceAdapter;
import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.jms.TransactionInProgressException;
import jakarta.jms.TransactionInProgressRuntimeException;
import jakarta.jms.XAConnection;
import jakarta.jms.XAJMSContext;
import jakarta.jms.XASession;
import jakarta.transaction.Transaction;
import jakarta.transaction.TransactionManager;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.transaction.xa.XAException;
import javax.transaction.xa.XAResource;
import javax.transaction.xa.Xid;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;

import static io.tern.jms.TestTransport.connectionFactory;
import static io.tern.jms.TestTransport.xaConnectionFactory;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * XA through a real JTA transaction manager (Narayana) that enlists Tern and an H2 database in one
 * transaction, and the XAResource contract driven by hand (prepare, restart, recover, resolve).
 */
class XATransactionTest {

    private static final AtomicInteger XIDS = new AtomicInteger();

    @TempDir
    static Path txLog;

    private final MemoryPersistenceAdapter store = new MemoryPersistenceAdapter();
    private Broker broker;
    private XAConnection connection;
    private JdbcDataSource database;

    @BeforeAll
    static void configureTransactionManager() {
        // No status listener socket: its thread would keep the test JVM alive after the tests.
        BeanPopulator.getDefaultInstance(CoordinatorEnvironmentBean.class).setTransactionStatusManagerEnable(false);
        BeanPopulator.getDefaultInstance(ObjectStoreEnvironmentBean.class)
                .setObjectStoreDir(txLog.resolve("narayana").toString());
        BeanPopulator.getNamedInstance(ObjectStoreEnvironmentBean.class, "communicationStore")
                .setObjectStoreDir(txLog.resolve("narayana-comms").toString());
    }

    @AfterAll
    static void stopTransactionManager() {
        TransactionReaper.terminate(false);
    }

    @BeforeEach
    void start() throws Exception {
        broker = TestTransport.brokerBuilder().name("xa").store(store).build().start();
        connection = xaConnectionFactory(broker).createXAConnection();
        connection.start();
        database = new JdbcDataSource();
        database.setURL("jdbc:h2:mem:xa" + XIDS.incrementAndGet() + ";DB_CLOSE_DELAY=-1");
        try (java.sql.Connection c = database.getConnection(); Statement s = c.createStatement()) {
            s.execute("create table orders(id int primary key, item varchar(100))");
        }
    }

    @AfterEach
    void stop() throws Exception {
        connection.close();
        broker.close();
    }

    private static TransactionManager tm() {
        return com.arjuna.ats.jta.TransactionManager.transactionManager();
    }

    private int rows() throws Exception {
        try (java.sql.Connection c = database.getConnection(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("select count(*) from orders")) {
            r.next();
            return r.getInt(1);
        }
    }

    private String receiveText(String queue) throws Exception {
        try (Connection c = connectionFactory(broker).createConnection()) {
            c.start();
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Message m = s.createConsumer(s.createQueue(queue)).receive(1000);
            return m == null ? null : ((TextMessage) m).getText();
        }
    }

    /** One order: a message to Tern and a row to H2, in one distributed transaction. */
    private void placeOrder(XASession session, javax.sql.XAConnection db, int id, boolean commit) throws Exception {
        TransactionManager tm = tm();
        tm.begin();
        Transaction tx = tm.getTransaction();
        assertTrue(tx.enlistResource(session.getXAResource()));
        assertTrue(tx.enlistResource(db.getXAResource()));
        session.createProducer(session.createQueue("orders")).send(session.createTextMessage("order " + id));
        try (Statement s = db.getConnection().createStatement()) {
            s.executeUpdate("insert into orders values (" + id + ", 'book')");
        }
        tx.delistResource(session.getXAResource(), XAResource.TMSUCCESS);
        tx.delistResource(db.getXAResource(), XAResource.TMSUCCESS);
        if (commit) {
            tm.commit();
        } else {
            tm.rollback();
        }
    }

    @Test
    void aTransactionManagerCommitsTernAndTheDatabaseTogether() throws Exception {
        XASession session = connection.createXASession();
        javax.sql.XAConnection db = database.getXAConnection();
        try {
            placeOrder(session, db, 1, true);
        } finally {
            db.close();
        }
        assertEquals(1, rows());
        assertEquals("order 1", receiveText("orders"));
    }

    @Test
    void aTransactionManagerRollsBackTernAndTheDatabaseTogether() throws Exception {
        XASession session = connection.createXASession();
        javax.sql.XAConnection db = database.getXAConnection();
        try {
            placeOrder(session, db, 2, false);
        } finally {
            db.close();
        }
        assertEquals(0, rows());
        assertNull(receiveText("orders"));
        assertEquals(0, broker.queueDepth("orders"));
    }

    @Test
    void aMessageConsumedInARolledBackTransactionComesBackRedelivered() throws Exception {
        try (Connection c = connectionFactory(broker).createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            s.createProducer(s.createQueue("in")).send(s.createTextMessage("work"));
        }
        XASession session = connection.createXASession();
        MessageConsumer consumer = session.createConsumer(session.createQueue("in"));
        TransactionManager tm = tm();

        tm.begin();
        tm.getTransaction().enlistResource(session.getXAResource());
        assertEquals("work", ((TextMessage) consumer.receive(5000)).getText());
        tm.rollback();

        tm.begin();
        tm.getTransaction().enlistResource(session.getXAResource());
        Message again = consumer.receive(5000);
        assertNotNull(again);
        assertTrue(again.getJMSRedelivered());
        tm.getTransaction().delistResource(session.getXAResource(), XAResource.TMSUCCESS);
        tm.commit();
        assertEquals(0, broker.queueDepth("in"));
    }

    @Test
    void aPreparedTransactionSurvivesABrokerRestartAndIsReportedByRecoverUntilResolved() throws Exception {
        try (Connection c = connectionFactory(broker).createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            s.createProducer(s.createQueue("in")).send(s.createTextMessage("consumed in the prepared tx"));
        }
        XASession session = connection.createXASession();
        XAResource xa = session.getXAResource();
        Xid xid = xid();
        xa.start(xid, XAResource.TMNOFLAGS);
        session.createProducer(session.createQueue("out")).send(session.createTextMessage("sent in the prepared tx"));
        assertNotNull(session.createConsumer(session.createQueue("in")).receive(5000));
        xa.end(xid, XAResource.TMSUCCESS);
        assertEquals(XAResource.XA_OK, xa.prepare(xid));
        connection.close();

        broker.stop();
        broker.start();
        assertEquals(1, broker.queueDepth("in"), "the consumed message is held, not gone, until the outcome");
        assertNull(receiveText("in"), "a message a prepared transaction consumed is delivered to nobody");
        assertNull(receiveText("out"), "a prepared send is not visible");

        connection = xaConnectionFactory(broker).createXAConnection();
        connection.start();
        XAResource recovering = connection.createXASession().getXAResource();
        Xid[] prepared = recovering.recover(XAResource.TMSTARTRSCAN | XAResource.TMENDRSCAN);
        assertEquals(1, prepared.length);
        assertEquals(xid.getFormatId(), prepared[0].getFormatId());
        assertArrayEquals(xid.getGlobalTransactionId(), prepared[0].getGlobalTransactionId());
        assertArrayEquals(xid.getBranchQualifier(), prepared[0].getBranchQualifier());

        recovering.commit(prepared[0], false);
        assertEquals("sent in the prepared tx", receiveText("out"));
        assertEquals(0, broker.queueDepth("in"));
        assertEquals(0, recovering.recover(XAResource.TMSTARTRSCAN).length);
    }

    @Test
    void rollingBackARecoveredPreparedTransactionReleasesWhatItConsumed() throws Exception {
        try (Connection c = connectionFactory(broker).createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            s.createProducer(s.createQueue("in")).send(s.createTextMessage("comes back"));
        }
        XASession session = connection.createXASession();
        XAResource xa = session.getXAResource();
        Xid xid = xid();
        xa.start(xid, XAResource.TMNOFLAGS);
        assertNotNull(session.createConsumer(session.createQueue("in")).receive(5000));
        session.createProducer(session.createQueue("out")).send(session.createTextMessage("never"));
        xa.end(xid, XAResource.TMSUCCESS);
        xa.prepare(xid);
        connection.close();
        broker.stop();
        broker.start();

        connection = xaConnectionFactory(broker).createXAConnection();
        XAResource recovering = connection.createXASession().getXAResource();
        recovering.rollback(recovering.recover(XAResource.TMSTARTRSCAN)[0]);
        try (Connection c = connectionFactory(broker).createConnection()) {
            c.start();
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Message back = s.createConsumer(s.createQueue("in")).receive(5000);
            assertNotNull(back);
            assertTrue(back.getJMSRedelivered());
            assertNull(s.createConsumer(s.createQueue("out")).receive(200));
        }
    }

    @Test
    void onePhaseCommitReadOnlyPrepareAndTheErrorCodes() throws Exception {
        XASession session = connection.createXASession();
        XAResource xa = session.getXAResource();
        Xid xid = xid();
        xa.start(xid, XAResource.TMNOFLAGS);
        XAException dup = assertThrows(XAException.class, () -> connection.createXASession().getXAResource()
                .start(xid, XAResource.TMNOFLAGS));
        assertEquals(XAException.XAER_DUPID, dup.errorCode);
        session.createProducer(session.createQueue("one-phase")).send(session.createTextMessage("1pc"));
        xa.end(xid, XAResource.TMSUCCESS);
        xa.commit(xid, true);
        assertEquals("1pc", receiveText("one-phase"));

        Xid empty = xid();
        xa.start(empty, XAResource.TMNOFLAGS);
        xa.end(empty, XAResource.TMSUCCESS);
        assertEquals(XAResource.XA_RDONLY, xa.prepare(empty));

        XAException unknown = assertThrows(XAException.class, () -> xa.commit(xid(), false));
        assertEquals(XAException.XAER_NOTA, unknown.errorCode);
        assertTrue(xa.isSameRM(connection.createXASession().getXAResource()));
        assertFalse(xa.isSameRM(database.getXAConnection().getXAResource()));
        assertTrue(session.getTransacted());
        assertThrows(TransactionInProgressException.class, session::commit);
        assertThrows(TransactionInProgressException.class, session::rollback);
    }

    @Test
    void twoSessionsOfOneConnectionJoinOneBranch() throws Exception {
        XASession first = connection.createXASession();
        XASession second = connection.createXASession();
        Xid xid = xid();
        first.getXAResource().start(xid, XAResource.TMNOFLAGS);
        second.getXAResource().start(xid, XAResource.TMJOIN);
        first.createProducer(first.createQueue("joined")).send(first.createTextMessage("a"));
        second.createProducer(second.createQueue("joined")).send(second.createTextMessage("b"));
        first.getXAResource().end(xid, XAResource.TMSUCCESS);
        second.getXAResource().end(xid, XAResource.TMSUCCESS);
        assertEquals(XAResource.XA_OK, first.getXAResource().prepare(xid));
        assertEquals(0, broker.queueDepth("joined"));
        first.getXAResource().commit(xid, false);
        assertEquals(2, broker.queueDepth("joined"));
    }

    @Test
    void anXAContextWorksInTheTransactionOfItsResource() throws Exception {
        try (XAJMSContext context = xaConnectionFactory(broker).createXAContext()) {
            XAResource xa = context.getXAResource();
            Xid xid = xid();
            xa.start(xid, XAResource.TMNOFLAGS);
            Queue q = context.createQueue("ctx");
            context.createProducer().send(q, "from a context");
            xa.end(xid, XAResource.TMSUCCESS);
            assertEquals(0, broker.queueDepth("ctx"));
            xa.commit(xid, true);
            assertEquals("from a context", receiveText("ctx"));
            assertTrue(context.getTransacted());
            assertThrows(TransactionInProgressRuntimeException.class, context::commit);
        }
    }

    @Test
    void outsideATransactionAnXASessionActsAsAutoAcknowledge() throws Exception {
        XASession session = connection.createXASession();
        MessageProducer p = session.createProducer(session.createQueue("plain"));
        p.send(session.createTextMessage("no tx"));
        assertEquals(1, broker.queueDepth("plain"));
        assertNotNull(session.createConsumer(session.createQueue("plain")).receive(5000));
        assertEquals(0, broker.queueDepth("plain"));
    }

    private static Xid xid() {
        int n = XIDS.incrementAndGet();
        byte[] gtrid = ("gtrid-" + n).getBytes();
        byte[] bqual = ("bqual-" + n).getBytes();
        return new Xid() {
            @Override
            public int getFormatId() {
                return 4660;
            }

            @Override
            public byte[] getGlobalTransactionId() {
                return gtrid.clone();
            }

            @Override
            public byte[] getBranchQualifier() {
                return bqual.clone();
            }

            @Override
            public String toString() {
                return Arrays.toString(gtrid);
            }
        };
    }
}
