package io.tern.transport.tcp;

import io.tern.broker.Broker;
import io.tern.jms.TernXAConnectionFactory;
import jakarta.jms.Connection;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.jms.XAConnection;
import jakarta.jms.XASession;
import org.junit.jupiter.api.Test;

import javax.transaction.xa.XAException;
import javax.transaction.xa.XAResource;
import javax.transaction.xa.Xid;
import java.util.Arrays;
import java.util.List;

import static io.tern.transport.tcp.TcpTestSupport.ABSENT_TIMEOUT;
import static io.tern.transport.tcp.TcpTestSupport.RECEIVE_TIMEOUT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Two-phase commit over tcp://: prepare, recover and resolve travel as commands like every other call. */
class TcpXaTest {

    private record TestXid(int formatId, byte[] global, byte[] branch) implements Xid {
        public int getFormatId() {
            return formatId;
        }

        public byte[] getGlobalTransactionId() {
            return global.clone();
        }

        public byte[] getBranchQualifier() {
            return branch.clone();
        }
    }

    @Test
    void preparedWorkIsRecoveredAndCommittedAndUnknownTransactionsAreNota() throws Exception {
        try (Broker broker = TcpTestSupport.startBroker("xa", "")) {
            String url = TcpTestSupport.tcpUri(broker);
            XAConnection xa = new TernXAConnectionFactory(url).createXAConnection();
            try (Connection plain = TcpTestSupport.factory(broker).createConnection()) {
                plain.start();
                Session ps = plain.createSession(false, Session.AUTO_ACKNOWLEDGE);
                Queue q = ps.createQueue("xa");
                MessageConsumer consumer = ps.createConsumer(q);

                XASession xs = xa.createXASession();
                XAResource resource = xs.getXAResource();
                MessageProducer producer = xs.createProducer(q);
                Xid xid = new TestXid(7, new byte[] {1, 2}, new byte[] {3});
                resource.start(xid, XAResource.TMNOFLAGS);
                producer.send(xs.createTextMessage("two-phase"));
                resource.end(xid, XAResource.TMSUCCESS);
                assertEquals(XAResource.XA_OK, resource.prepare(xid));
                assertNull(consumer.receive(ABSENT_TIMEOUT), "prepared, not committed");

                List<Xid> recovered = Arrays.asList(resource.recover(XAResource.TMSTARTRSCAN | XAResource.TMENDRSCAN));
                assertTrue(recovered.stream().anyMatch(r -> r.getFormatId() == 7
                        && Arrays.equals(r.getGlobalTransactionId(), new byte[] {1, 2})), recovered.toString());
                resource.commit(xid, false);
                TextMessage got = (TextMessage) consumer.receive(RECEIVE_TIMEOUT);
                assertNotNull(got);
                assertEquals("two-phase", got.getText());

                XAException nota = assertThrows(XAException.class, () -> resource.commit(xid, false));
                assertEquals(XAException.XAER_NOTA, nota.errorCode, "the broker's UnknownTransactionException"
                        + " crosses the wire as itself");

                Xid empty = new TestXid(7, new byte[] {9}, new byte[] {9});
                resource.start(empty, XAResource.TMNOFLAGS);
                resource.end(empty, XAResource.TMSUCCESS);
                assertEquals(XAResource.XA_RDONLY, resource.prepare(empty));
            } finally {
                xa.close();
            }
        }
    }
}
