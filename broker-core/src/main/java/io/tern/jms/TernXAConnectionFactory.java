package io.tern.jms;

import jakarta.jms.JMSException;
import jakarta.jms.XAConnection;
import jakarta.jms.XAConnectionFactory;
import jakarta.jms.XAJMSContext;
import jakarta.jms.XAQueueConnection;
import jakarta.jms.XAQueueConnectionFactory;
import jakarta.jms.XATopicConnection;
import jakarta.jms.XATopicConnectionFactory;

/**
 * A connection factory whose connections can take part in distributed (XA) transactions run by a
 * JTA transaction manager. It is also an ordinary {@link TernConnectionFactory}.
 */
public class TernXAConnectionFactory extends TernConnectionFactory
        implements XAConnectionFactory, XAQueueConnectionFactory, XATopicConnectionFactory {

    private static final long serialVersionUID = 1L;

    public TernXAConnectionFactory() {
        super();
    }

    public TernXAConnectionFactory(String brokerURL) {
        super(brokerURL);
    }

    @Override
    TernConnection newConnection(int prefetch) {
        return new TernXAConnection(prefetch);
    }

    @Override
    public XAConnection createXAConnection() throws JMSException {
        return (TernXAConnection) open();
    }

    /** User name and password are accepted and ignored: this version has no authentication. */
    @Override
    public XAConnection createXAConnection(String userName, String password) throws JMSException {
        return createXAConnection();
    }

    @Override
    public XAQueueConnection createXAQueueConnection() throws JMSException {
        return (TernXAConnection) open();
    }

    @Override
    public XAQueueConnection createXAQueueConnection(String userName, String password) throws JMSException {
        return createXAQueueConnection();
    }

    @Override
    public XATopicConnection createXATopicConnection() throws JMSException {
        return (TernXAConnection) open();
    }

    @Override
    public XATopicConnection createXATopicConnection(String userName, String password) throws JMSException {
        return createXATopicConnection();
    }

    @Override
    public XAJMSContext createXAContext() {
        try {
            return new TernXAJMSContext(new SharedContextConnection(open()));
        } catch (JMSException e) {
            throw JmsExceptions.toRuntime(e);
        }
    }

    @Override
    public XAJMSContext createXAContext(String userName, String password) {
        return createXAContext();
    }
}
