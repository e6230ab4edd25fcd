package io.tern.jms;

import jakarta.jms.BytesMessage;
import jakarta.jms.ConnectionMetaData;
import jakarta.jms.Destination;
import jakarta.jms.ExceptionListener;
import jakarta.jms.IllegalStateRuntimeException;
import jakarta.jms.JMSConsumer;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSException;
import jakarta.jms.JMSProducer;
import jakarta.jms.JMSRuntimeException;
import jakarta.jms.MapMessage;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.ObjectMessage;
import jakarta.jms.Queue;
import jakarta.jms.QueueBrowser;
import jakarta.jms.StreamMessage;
import jakarta.jms.TemporaryQueue;
import jakarta.jms.TemporaryTopic;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;

import java.io.Serializable;

/**
 * Tern's {@link JMSContext}: a {@link TernSession} on a {@link TernConnection}, with every checked
 * {@link JMSException} turned into its runtime counterpart ({@link JmsExceptions#toRuntime}).
 *
 * <p>The session is made on first use, not at creation, because the spec lets the application set the
 * client ID right after creating the context, and any session freezes it. Contexts made with
 * {@link #createContext(int)} share this one's connection, which closes with the last of them
 * ({@link SharedContextConnection}).
 *
 * <p><b>Threading.</b> Like a session, a context is used by one thread at a time (spec 2.14); only
 * {@link #close} may come from another thread. Message listeners of its consumers run on the session's
 * dispatcher thread, completion listeners of its asynchronous sends on the session's completion thread.
 */
public class TernJMSContext implements JMSContext {

    private final SharedContextConnection shared;
    final TernConnection connection;
    private final int sessionMode;
    private volatile boolean closed;
    private volatile boolean autoStart = true;
    /** Made on first use; guarded by this. */
    private TernSession session;
    /** The anonymous producer every JMSProducer of this context sends through; made on first send. */
    private TernMessageProducer sender;

    TernJMSContext(SharedContextConnection shared, int sessionMode) {
        this.shared = shared;
        this.connection = shared.connection();
        this.sessionMode = sessionMode;
    }

    /**
     * Fails unless {@code sessionMode} is one of the four the spec defines.
     *
     * @throws JMSRuntimeException naming the allowed values
     */
    static void checkSessionMode(int sessionMode) {
        if (sessionMode != SESSION_TRANSACTED && sessionMode != AUTO_ACKNOWLEDGE
                && sessionMode != CLIENT_ACKNOWLEDGE && sessionMode != DUPS_OK_ACKNOWLEDGE) {
            throw new JMSRuntimeException("invalid session mode " + sessionMode + "; expected"
                    + " JMSContext.AUTO_ACKNOWLEDGE (1), CLIENT_ACKNOWLEDGE (2), DUPS_OK_ACKNOWLEDGE (3)"
                    + " or SESSION_TRANSACTED (0)");
        }
    }

    // ---------------------------------------------------------------- context and connection

    @Override
    public JMSContext createContext(int sessionMode) {
        checkOpen();
        checkSessionMode(sessionMode);
        try {
            shared.retain();
        } catch (JMSException e) {
            throw JmsExceptions.toRuntime(e);
        }
        return new TernJMSContext(shared, sessionMode);
    }

    @Override
    public String getClientID() {
        checkOpen();
        try {
            return connection.getClientID();
        } catch (JMSException e) {
            throw JmsExceptions.toRuntime(e);
        }
    }

    @Override
    public void setClientID(String clientID) {
        checkOpen();
        try {
            connection.setClientID(clientID);
        } catch (JMSException e) {
            throw JmsExceptions.toRuntime(e);
        }
    }

    @Override
    public ConnectionMetaData getMetaData() {
        checkOpen();
        try {
            return connection.getMetaData();
        } catch (JMSException e) {
            throw JmsExceptions.toRuntime(e);
        }
    }

    @Override
    public ExceptionListener getExceptionListener() {
        checkOpen();
        try {
            return connection.getExceptionListener();
        } catch (JMSException e) {
            throw JmsExceptions.toRuntime(e);
        }
    }

    @Override
    public void setExceptionListener(ExceptionListener listener) {
        checkOpen();
        try {
            connection.setExceptionListener(listener);
        } catch (JMSException e) {
            throw JmsExceptions.toRuntime(e);
        }
    }

    @Override
    public void start() {
        checkOpen();
        try {
            connection.start();
        } catch (JMSException e) {
            throw JmsExceptions.toRuntime(e);
        }
    }

    @Override
    public void stop() {
        checkOpen();
        try {
            connection.stop();
        } catch (JMSException e) {
            throw JmsExceptions.toRuntime(e);
        }
    }

    @Override
    public void setAutoStart(boolean autoStart) {
        checkOpen();
        this.autoStart = autoStart;
    }

    @Override
    public boolean getAutoStart() {
        checkOpen();
        return autoStart;
    }

    /**
     * Closes the session (waiting for asynchronous sends and a running listener) and, when this was the
     * last open context on it, the connection. Forbidden from this context's own message and completion
     * listeners, where it would wait for itself.
     */
    @Override
    public void close() {
        TernSession s;
        synchronized (this) {
            if (closed) {
                return;
            }
            s = session;
            if (s != null) {
                if (TernSession.current() == s) {
                    throw new IllegalStateRuntimeException(
                            "a MessageListener must not close its own JMSContext");
                }
                try {
                    s.asyncSends().checkNotInCallback(this, "close");
                } catch (JMSException e) {
                    throw JmsExceptions.toRuntime(e);
                }
            }
            closed = true;
        }
        try {
            if (s != null) {
                s.close();
            }
        } catch (JMSException e) {
            throw JmsExceptions.toRuntime(e);
        } finally {
            try {
                shared.release();
            } catch (JMSException e) {
                throw JmsExceptions.toRuntime(e);
            }
        }
    }

    // ---------------------------------------------------------------- session

    @Override
    public boolean getTransacted() {
        checkOpen();
        return sessionMode == SESSION_TRANSACTED;
    }

    @Override
    public int getSessionMode() {
        checkOpen();
        return sessionMode;
    }

    @Override
    public void commit() {
        TernSession s = session();
        try {
            s.asyncSends().checkNotInCallback(this, "commit");
            s.commit();
        } catch (JMSException e) {
            throw JmsExceptions.toRuntime(e);
        }
    }

    @Override
    public void rollback() {
        TernSession s = session();
        try {
            s.asyncSends().checkNotInCallback(this, "rollback");
            s.rollback();
        } catch (JMSException e) {
            throw JmsExceptions.toRuntime(e);
        }
    }

    @Override
    public void recover() {
        try {
            session().recover();
        } catch (JMSException e) {
            throw JmsExceptions.toRuntime(e);
        }
    }

    /** Acknowledges everything the session consumed in CLIENT_ACKNOWLEDGE; in the other modes, nothing to do. */
    @Override
    public void acknowledge() {
        checkOpen();
        TernSession s;
        synchronized (this) {
            s = session;
        }
        if (sessionMode != CLIENT_ACKNOWLEDGE || s == null) {
            return; // without a session, nothing has been consumed yet
        }
        try {
            s.acknowledgeAll();
        } catch (JMSException e) {
            throw JmsExceptions.toRuntime(e);
        }
    }

    // ---------------------------------------------------------------- producers and messages

    @Override
    public JMSProducer createProducer() {
        session();
        return new TernJMSProducer(this);
    }

    /** The session's anonymous producer, which every JMSProducer of this context sends through. */
    synchronized TernMessageProducer sender() {
        TernSession s = session();
        if (sender == null) {
            try {
                sender = (TernMessageProducer) s.createProducer(null);
            } catch (JMSException e) {
                throw JmsExceptions.toRuntime(e);
            }
        }
        return sender;
    }

    @Override
    public BytesMessage createBytesMessage() {
        try {
            return session().createBytesMessage();
        } catch (JMSException e) {
            throw JmsExceptions.toRuntime(e);
        }
    }

    @Override
    public MapMessage createMapMessage() {
        try {
            return session().createMapMessage();
        } catch (JMSException e) {
            throw JmsExceptions.toRuntime(e);
        }
    }

    @Override
    public Message createMessage() {
        try {
            return session().createMessage();
        } catch (JMSException e) {
            throw JmsExceptions.toRuntime(e);
        }
    }

    @Override
    public ObjectMessage createObjectMessage() {
        try {
            return session().createObjectMessage();
        } catch (JMSException e) {
            throw JmsExceptions.toRuntime(e);
        }
    }

    @Override
    public ObjectMessage createObjectMessage(Serializable object) {
        try {
            return session().createObjectMessage(object);
        } catch (JMSException e) {
            throw JmsExceptions.toRuntime(e);
        }
    }

    @Override
    public StreamMessage createStreamMessage() {
        try {
            return session().createStreamMessage();
        } catch (JMSException e) {
            throw JmsExceptions.toRuntime(e);
        }
    }

    @Override
    public TextMessage createTextMessage() {
        try {
            return session().createTextMessage();
        } catch (JMSException e) {
            throw JmsExceptions.toRuntime(e);
        }
    }

    @Override
    public TextMessage createTextMessage(String text) {
        try {
            return session().createTextMessage(text);
        } catch (JMSException e) {
            throw JmsExceptions.toRuntime(e);
        }
    }

    // ---------------------------------------------------------------- consumers

    @Override
    public JMSConsumer createConsumer(Destination destination) {
        return createConsumer(destination, null, false);
    }

    @Override
    public JMSConsumer createConsumer(Destination destination, String messageSelector) {
        return createConsumer(destination, messageSelector, false);
    }

    @Override
    public JMSConsumer createConsumer(Destination destination, String messageSelector, boolean noLocal) {
        TernSession s = session();
        try {
            return started(s.createConsumer(destination, messageSelector, noLocal));
        } catch (JMSException e) {
            throw JmsExceptions.toRuntime(e);
        }
    }

    @Override
    public JMSConsumer createSharedConsumer(Topic topic, String sharedSubscriptionName) {
        return createSharedConsumer(topic, sharedSubscriptionName, null);
    }

    @Override
    public JMSConsumer createSharedConsumer(Topic topic, String sharedSubscriptionName, String messageSelector) {
        TernSession s = session();
        try {
            return started(s.createSharedConsumer(topic, sharedSubscriptionName, messageSelector));
        } catch (JMSException e) {
            throw JmsExceptions.toRuntime(e);
        }
    }

    @Override
    public JMSConsumer createDurableConsumer(Topic topic, String name) {
        return createDurableConsumer(topic, name, null, false);
    }

    @Override
    public JMSConsumer createDurableConsumer(Topic topic, String name, String messageSelector, boolean noLocal) {
        TernSession s = session();
        try {
            return started(s.createDurableConsumer(topic, name, messageSelector, noLocal));
        } catch (JMSException e) {
            throw JmsExceptions.toRuntime(e);
        }
    }

    @Override
    public JMSConsumer createSharedDurableConsumer(Topic topic, String name) {
        return createSharedDurableConsumer(topic, name, null);
    }

    @Override
    public JMSConsumer createSharedDurableConsumer(Topic topic, String name, String messageSelector) {
        TernSession s = session();
        try {
            return started(s.createSharedDurableConsumer(topic, name, messageSelector));
        } catch (JMSException e) {
            throw JmsExceptions.toRuntime(e);
        }
    }

    /** Wraps a new consumer and, with autoStart, starts the connection (spec: on consumer creation). */
    private JMSConsumer started(MessageConsumer consumer) throws JMSException {
        TernJMSConsumer c = new TernJMSConsumer((TernMessageConsumer) consumer);
        if (autoStart) {
            connection.start();
        }
        return c;
    }

    @Override
    public QueueBrowser createBrowser(Queue queue) {
        return createBrowser(queue, null);
    }

    @Override
    public QueueBrowser createBrowser(Queue queue, String messageSelector) {
        try {
            return session().createBrowser(queue, messageSelector);
        } catch (JMSException e) {
            throw JmsExceptions.toRuntime(e);
        }
    }

    @Override
    public void unsubscribe(String name) {
        try {
            session().unsubscribe(name);
        } catch (JMSException e) {
            throw JmsExceptions.toRuntime(e);
        }
    }

    // ---------------------------------------------------------------- destinations

    @Override
    public Queue createQueue(String queueName) {
        try {
            return session().createQueue(queueName);
        } catch (JMSException e) {
            throw JmsExceptions.toRuntime(e);
        }
    }

    @Override
    public Topic createTopic(String topicName) {
        try {
            return session().createTopic(topicName);
        } catch (JMSException e) {
            throw JmsExceptions.toRuntime(e);
        }
    }

    @Override
    public TemporaryQueue createTemporaryQueue() {
        try {
            return session().createTemporaryQueue();
        } catch (JMSException e) {
            throw JmsExceptions.toRuntime(e);
        }
    }

    @Override
    public TemporaryTopic createTemporaryTopic() {
        try {
            return session().createTemporaryTopic();
        } catch (JMSException e) {
            throw JmsExceptions.toRuntime(e);
        }
    }

    // ---------------------------------------------------------------- state

    /** The context's session, made now if this is its first use. */
    /** The session a context works in: a plain one here, an XA session in {@link TernXAJMSContext}. */
    TernSession openSession() throws JMSException {
        return connection.newSession(sessionMode);
    }

    synchronized TernSession session() {
        checkOpen();
        if (session == null) {
            try {
                session = openSession();
            } catch (JMSException e) {
                throw JmsExceptions.toRuntime(e);
            }
        }
        return session;
    }

    void checkOpen() {
        if (closed) {
            throw new IllegalStateRuntimeException("the JMSContext is closed");
        }
    }

    @Override
    public String toString() {
        return "TernJMSContext[" + connection + ", mode " + sessionMode + (closed ? ", closed" : "") + "]";
    }
}
