package io.tern.jms;

import io.tern.protocol.Address;
import io.tern.transport.BrokerConnection;
import io.tern.transport.Delivery;
import io.tern.transport.DeliveryListener;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionConsumer;
import jakarta.jms.ConnectionMetaData;
import jakarta.jms.Destination;
import jakarta.jms.ExceptionListener;
import jakarta.jms.IllegalStateException;
import jakarta.jms.JMSException;
import jakarta.jms.Queue;
import jakarta.jms.QueueConnection;
import jakarta.jms.QueueSession;
import jakarta.jms.ServerSessionPool;
import jakarta.jms.Session;
import jakarta.jms.Topic;
import jakarta.jms.TopicConnection;
import jakarta.jms.TopicSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A connection to a Tern broker. Delivery starts with {@link #start()}; {@link #stop()} pauses it and
 * waits for message listeners that are running to return.
 *
 * <p><b>Threading.</b> Connections are thread-safe, as the spec requires. Deliveries arrive on broker
 * threads through {@link #deliveryListener()} and are only buffered in their consumer; lifecycle changes
 * are serialised by this object's monitor. The exception listener runs on a thread of its own.
 */
public class TernConnection implements Connection, QueueConnection, TopicConnection, TemporaryDestinationOwner {

    private static final Logger LOG = LoggerFactory.getLogger(TernConnection.class);

    private final String connectionId = "ID:" + UUID.randomUUID();
    private final int prefetch;
    private final List<TernSession> sessions = new CopyOnWriteArrayList<>();
    private final Map<Long, TernMessageConsumer> consumers = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private BrokerConnection broker;
    private volatile boolean started;
    private volatile boolean closed;
    private volatile boolean failed;
    private String clientId;
    private boolean clientIdFromFactory;
    /** Once anything else has been done, the client ID may no longer be set (spec 6.1.2). */
    private volatile boolean clientIdFrozen;
    private volatile ExceptionListener exceptionListener;
    private volatile TransportListener transportListener;
    /** Runs the transport listener's events in order; created with the first event. Guarded by this monitor. */
    private java.util.concurrent.ExecutorService transportEvents;
    /** Whether the application was told of an interruption not yet followed by a resumption. */
    private final java.util.concurrent.atomic.AtomicBoolean interrupted = new java.util.concurrent.atomic.AtomicBoolean();

    TernConnection(int prefetch) {
        this.prefetch = prefetch;
    }

    void attach(BrokerConnection brokerConnection) {
        this.broker = brokerConnection;
    }

    BrokerConnection broker() {
        return broker;
    }

    int prefetch() {
        return prefetch;
    }

    String connectionId() {
        return connectionId;
    }

    long nextId() {
        return ids.incrementAndGet();
    }

    boolean isStarted() {
        return started;
    }

    DeliveryListener deliveryListener() {
        return new DeliveryListener() {
            @Override
            public void onDelivery(Delivery delivery) {
                TernMessageConsumer consumer = consumers.get(delivery.consumerId());
                if (consumer == null || !consumer.offer(delivery)) {
                    releaseQuietly(delivery.deliveryId());
                }
            }

            @Override
            public void onConnectionFailure(Exception cause) {
                connectionFailed(cause);
            }

            @Override
            public void transportInterrupted() {
                for (TernSession s : sessions) {
                    s.transportInterrupted();
                }
                if (interrupted.compareAndSet(false, true)) {
                    notifyTransportListener(true);
                }
            }

            @Override
            public void transportResumed() {
                if (interrupted.compareAndSet(true, false)) {
                    notifyTransportListener(false);
                }
            }
        };
    }

    private void notifyTransportListener(boolean interruption) {
        TransportListener l = transportListener;
        if (l == null) {
            return;
        }
        java.util.concurrent.ExecutorService events;
        synchronized (this) {
            if (transportEvents == null) {
                transportEvents = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
                    Thread t = new Thread(r, "tern-transport-listener");
                    t.setDaemon(true);
                    return t;
                });
            }
            events = transportEvents;
        }
        try {
            events.execute(() -> {
                try {
                    if (interruption) {
                        l.transportInterrupted();
                    } else {
                        l.transportResumed();
                    }
                } catch (RuntimeException e) {
                    LOG.warn("A TransportListener threw", e);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            LOG.debug("Connection closed; transport event not delivered");
        }
    }

    /** The listener told when a {@code failover:} connection loses its broker and when it is back. */
    public TransportListener getTransportListener() {
        return transportListener;
    }

    /**
     * Sets the listener told when a {@code failover:} connection loses its broker and when it is back (see
     * {@link TransportListener}); null for none. Other connections never call it.
     */
    public void setTransportListener(TransportListener listener) {
        this.transportListener = listener;
    }

    private void releaseQuietly(long deliveryId) {
        try {
            broker.release(new long[] {deliveryId}, false);
        } catch (JMSException e) {
            LOG.debug("Could not return delivery {} to the broker", deliveryId, e);
        }
    }

    void register(TernMessageConsumer consumer) {
        consumers.put(consumer.consumerId(), consumer);
    }

    void unregister(TernMessageConsumer consumer) {
        consumers.remove(consumer.consumerId());
    }

    void setClientIDFromFactory(String id) throws JMSException {
        setClientID(id);
        clientIdFromFactory = true;
    }

    @Override
    public synchronized String getClientID() throws JMSException {
        checkOpen();
        return clientId;
    }

    @Override
    public synchronized void setClientID(String id) throws JMSException {
        checkOpen();
        if (clientIdFromFactory || clientId != null) {
            throw new IllegalStateException("the client ID is already set to '" + clientId + "'"
                    + (clientIdFromFactory ? " by the connection factory" : ""));
        }
        if (clientIdFrozen) {
            throw new IllegalStateException("the client ID must be set before the connection is used");
        }
        broker.setClientId(id);
        clientId = id;
        clientIdFrozen = true;
    }

    @Override
    public ConnectionMetaData getMetaData() throws JMSException {
        checkOpen();
        return TernMetaData.INSTANCE;
    }

    @Override
    public ExceptionListener getExceptionListener() throws JMSException {
        checkOpen();
        return exceptionListener;
    }

    @Override
    public void setExceptionListener(ExceptionListener listener) throws JMSException {
        checkOpen();
        clientIdFrozen = true;
        this.exceptionListener = listener;
    }

    @Override
    public void start() throws JMSException {
        checkOpen();
        clientIdFrozen = true;
        synchronized (this) {
            started = true;
        }
        for (TernSession s : sessions) {
            s.connectionStarted();
        }
    }

    @Override
    public void stop() throws JMSException {
        checkOpen();
        TernSession own = TernSession.current();
        if (own != null && own.connection() == this) {
            throw new IllegalStateException("a message listener must not stop its own connection");
        }
        clientIdFrozen = true;
        synchronized (this) {
            started = false;
        }
        for (TernSession s : sessions) {
            s.awaitListenerIdle();
        }
    }

    @Override
    public void close() throws JMSException {
        TernSession own = TernSession.current();
        if (own != null && own.connection() == this && !closed) {
            throw new IllegalStateException("a message listener must not close its own connection");
        }
        for (TernSession s : sessions) {
            if (s.asyncSends().isCallbackThread()) {
                throw new IllegalStateException("a CompletionListener must not close its own connection");
            }
        }
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            started = false;
        }
        for (TernSession s : sessions) {
            try {
                s.close();
            } catch (JMSException e) {
                LOG.debug("Session close failed while closing the connection", e);
            }
        }
        sessions.clear();
        broker.close();
        shutdownTransportEvents();
    }

    private void shutdownTransportEvents() {
        java.util.concurrent.ExecutorService events;
        synchronized (this) {
            events = transportEvents;
        }
        if (events != null) {
            events.shutdown();
        }
    }

    private void connectionFailed(Exception cause) {
        if (closed || failed) {
            return;
        }
        failed = true;
        closed = true;
        started = false;
        for (TernSession s : sessions) {
            s.connectionLost();
        }
        shutdownTransportEvents();
        ExceptionListener listener = exceptionListener;
        if (listener != null) {
            JMSException e = JmsExceptions.fromFailure(cause);
            Thread t = new Thread(() -> listener.onException(e), "tern-exception-listener");
            t.setDaemon(true);
            t.start();
        }
    }

    void sessionClosed(TernSession session) {
        sessions.remove(session);
    }

    @Override
    public Session createSession(boolean transacted, int acknowledgeMode) throws JMSException {
        if (transacted) {
            return createSession(Session.SESSION_TRANSACTED);
        }
        return createSession(acknowledgeMode);
    }

    @Override
    public Session createSession(int sessionMode) throws JMSException {
        return newSession(sessionMode);
    }

    @Override
    public Session createSession() throws JMSException {
        return newSession(Session.AUTO_ACKNOWLEDGE);
    }

    TernSession newSession(int sessionMode) throws JMSException {
        checkOpen();
        clientIdFrozen = true;
        if (sessionMode != Session.AUTO_ACKNOWLEDGE && sessionMode != Session.CLIENT_ACKNOWLEDGE
                && sessionMode != Session.DUPS_OK_ACKNOWLEDGE && sessionMode != Session.SESSION_TRANSACTED) {
            throw new JMSException("invalid session mode " + sessionMode + "; expected AUTO_ACKNOWLEDGE (1),"
                    + " CLIENT_ACKNOWLEDGE (2), DUPS_OK_ACKNOWLEDGE (3) or SESSION_TRANSACTED (0)");
        }
        return adopt(new TernSession(this, sessionMode));
    }

    /** Makes a new session part of this connection. */
    TernSession adopt(TernSession session) throws JMSException {
        checkOpen();
        clientIdFrozen = true;
        sessions.add(session);
        return session;
    }

    @Override
    public QueueSession createQueueSession(boolean transacted, int acknowledgeMode) throws JMSException {
        TernSession s = (TernSession) createSession(transacted, acknowledgeMode);
        s.restrictTo(TernSession.Domain.QUEUE);
        return s;
    }

    @Override
    public TopicSession createTopicSession(boolean transacted, int acknowledgeMode) throws JMSException {
        TernSession s = (TernSession) createSession(transacted, acknowledgeMode);
        s.restrictTo(TernSession.Domain.TOPIC);
        return s;
    }

    @Override
    public ConnectionConsumer createConnectionConsumer(Destination destination, String messageSelector,
                                                       ServerSessionPool sessionPool, int maxMessages)
            throws JMSException {
        throw unsupportedAppServerFacility();
    }

    @Override
    public ConnectionConsumer createConnectionConsumer(Queue queue, String messageSelector,
                                                       ServerSessionPool sessionPool, int maxMessages)
            throws JMSException {
        throw unsupportedAppServerFacility();
    }

    @Override
    public ConnectionConsumer createConnectionConsumer(Topic topic, String messageSelector,
                                                       ServerSessionPool sessionPool, int maxMessages)
            throws JMSException {
        throw unsupportedAppServerFacility();
    }

    @Override
    public ConnectionConsumer createSharedConnectionConsumer(Topic topic, String subscriptionName,
                                                             String messageSelector, ServerSessionPool sessionPool,
                                                             int maxMessages) throws JMSException {
        throw unsupportedAppServerFacility();
    }

    @Override
    public ConnectionConsumer createDurableConnectionConsumer(Topic topic, String subscriptionName,
                                                              String messageSelector, ServerSessionPool sessionPool,
                                                              int maxMessages) throws JMSException {
        throw unsupportedAppServerFacility();
    }

    @Override
    public ConnectionConsumer createSharedDurableConnectionConsumer(Topic topic, String subscriptionName,
                                                                    String messageSelector,
                                                                    ServerSessionPool sessionPool, int maxMessages)
            throws JMSException {
        throw unsupportedAppServerFacility();
    }

    /** Connection consumers are an optional facility for application servers (spec 9.3); Tern omits it. */
    private JMSException unsupportedAppServerFacility() throws JMSException {
        checkOpen();
        return new JMSException("connection consumers (ServerSessionPool) are an optional application-server"
                + " facility that Tern does not provide; use a MessageListener on a session instead");
    }

    TernTemporaryQueue createTemporaryQueue() throws JMSException {
        TernTemporaryQueue q = new TernTemporaryQueue(connectionId + ":tmpq:" + nextId(), this);
        broker.createTemporaryDestination(q.address());
        return q;
    }

    TernTemporaryTopic createTemporaryTopic() throws JMSException {
        TernTemporaryTopic t = new TernTemporaryTopic(connectionId + ":tmpt:" + nextId(), this);
        broker.createTemporaryDestination(t.address());
        return t;
    }

    @Override
    public void deleteTemporaryDestination(Address address) throws JMSException {
        checkOpen();
        broker.deleteTemporaryDestination(address);
    }

    void checkOpen() throws JMSException {
        if (closed) {
            throw new IllegalStateException(failed ? "the connection failed (the broker stopped or went away)"
                    : "the connection is closed");
        }
    }

    boolean isClosed() {
        return closed;
    }

    @Override
    public String toString() {
        return "TernConnection[" + connectionId + (clientId == null ? "" : ", clientID=" + clientId) + "]";
    }
}
