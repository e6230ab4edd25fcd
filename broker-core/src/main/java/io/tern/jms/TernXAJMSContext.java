package io.tern.jms;

import jakarta.jms.JMSContext;
import jakarta.jms.JMSException;
import jakarta.jms.TransactionInProgressRuntimeException;
import jakarta.jms.XAJMSContext;

import javax.transaction.xa.XAResource;

/**
 * A JMSContext whose work belongs to the XA transaction branch of its {@link XAResource}; the
 * transaction manager commits it, so {@link #commit} and {@link #rollback} are refused.
 */
public class TernXAJMSContext extends TernJMSContext implements XAJMSContext {

    TernXAJMSContext(SharedContextConnection shared) {
        super(shared, JMSContext.SESSION_TRANSACTED);
    }

    @Override
    TernSession openSession() throws JMSException {
        return ((TernXAConnection) connection).newXASession();
    }

    @Override
    public JMSContext getContext() {
        checkOpen();
        return this;
    }

    @Override
    public XAResource getXAResource() {
        return ((TernXASession) session()).getXAResource();
    }

    @Override
    public boolean getTransacted() {
        checkOpen();
        return true;
    }

    @Override
    public void commit() {
        checkOpen();
        throw new TransactionInProgressRuntimeException("an XAJMSContext is committed by its transaction manager");
    }

    @Override
    public void rollback() {
        checkOpen();
        throw new TransactionInProgressRuntimeException("an XAJMSContext is rolled back by its transaction manager");
    }
}
