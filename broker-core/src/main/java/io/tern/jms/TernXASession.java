package io.tern.jms;

import jakarta.jms.JMSException;
import jakarta.jms.QueueSession;
import jakarta.jms.Session;
import jakarta.jms.TopicSession;
import jakarta.jms.TransactionInProgressException;
import jakarta.jms.XAQueueSession;
import jakarta.jms.XASession;
import jakarta.jms.XATopicSession;

import javax.transaction.xa.XAResource;

/**
 * A session whose work belongs to the XA transaction branch its {@link XAResource} is associated with.
 * Between transactions it works as an auto-acknowledge session. The transaction manager, not the
 * application, commits: {@link #commit} and {@link #rollback} are refused, as the spec says.
 */
public class TernXASession extends TernSession implements XASession, XAQueueSession, XATopicSession {

    private final TernXAResource resource;

    TernXASession(TernXAConnection connection) {
        super(connection, Session.AUTO_ACKNOWLEDGE);
        this.resource = new TernXAResource(connection, this);
    }

    @Override
    public Session getSession() throws JMSException {
        checkOpen();
        return this;
    }

    @Override
    public QueueSession getQueueSession() throws JMSException {
        checkOpen();
        return this;
    }

    @Override
    public TopicSession getTopicSession() throws JMSException {
        checkOpen();
        return this;
    }

    @Override
    public XAResource getXAResource() {
        return resource;
    }

    /** An XA session is always transacted: its transaction is the distributed one. */
    @Override
    public boolean getTransacted() throws JMSException {
        checkOpen();
        return true;
    }

    @Override
    public void commit() throws JMSException {
        checkOpen();
        throw new TransactionInProgressException("an XA session is committed by its transaction manager through"
                + " its XAResource, not by Session.commit");
    }

    @Override
    public void rollback() throws JMSException {
        checkOpen();
        throw new TransactionInProgressException("an XA session is rolled back by its transaction manager through"
                + " its XAResource, not by Session.rollback");
    }
}
