package io.tern.jms;

import io.tern.store.GlobalTransactionId;
import jakarta.jms.JMSException;
import jakarta.jms.Session;
import jakarta.jms.XAConnection;
import jakarta.jms.XAQueueConnection;
import jakarta.jms.XAQueueSession;
import jakarta.jms.XASession;
import jakarta.jms.XATopicConnection;
import jakarta.jms.XATopicSession;

import java.util.HashMap;
import java.util.Map;

/**
 * A connection whose XA sessions take part in distributed transactions. It keeps the branches its
 * sessions work in, so a second session can join a branch the first one started (TMJOIN).
 *
 * <p>The branch map is guarded by its own monitor; everything else is as in {@link TernConnection}.
 */
public class TernXAConnection extends TernConnection implements XAConnection, XAQueueConnection, XATopicConnection {

    private final Map<GlobalTransactionId, XABranch> branches = new HashMap<>();

    TernXAConnection(int prefetch) {
        super(prefetch);
    }

    @Override
    public XASession createXASession() throws JMSException {
        return newXASession();
    }

    @Override
    public XAQueueSession createXAQueueSession() throws JMSException {
        return newXASession();
    }

    @Override
    public XATopicSession createXATopicSession() throws JMSException {
        return newXASession();
    }

    TernXASession newXASession() throws JMSException {
        return (TernXASession) adopt(new TernXASession(this));
    }

    /** The branches of this connection's XA sessions; callers synchronise on the map. */
    Map<GlobalTransactionId, XABranch> branches() {
        return branches;
    }

    /** Plain sessions of an XA connection work as on any connection. */
    @Override
    public Session createSession(boolean transacted, int acknowledgeMode) throws JMSException {
        return super.createSession(transacted, acknowledgeMode);
    }
}
