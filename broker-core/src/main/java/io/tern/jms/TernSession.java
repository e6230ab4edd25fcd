package io.tern.jms;

import io.tern.transport.ConsumerSpec;
import io.tern.transport.Delivery;
import jakarta.jms.BytesMessage;
import jakarta.jms.Destination;
import jakarta.jms.IllegalStateException;
import jakarta.jms.InvalidDestinationException;
import jakarta.jms.JMSException;
import jakarta.jms.MapMessage;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageListener;
import jakarta.jms.MessageProducer;
import jakarta.jms.ObjectMessage;
import jakarta.jms.Queue;
import jakarta.jms.QueueBrowser;
import jakarta.jms.QueueReceiver;
import jakarta.jms.QueueSender;
import jakarta.jms.QueueSession;
import jakarta.jms.Session;
import jakarta.jms.StreamMessage;
import jakarta.jms.TemporaryQueue;
import jakarta.jms.TemporaryTopic;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;
import jakarta.jms.TopicPublisher;
import jakarta.jms.TopicSession;
import jakarta.jms.TopicSubscriber;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A session: a single-threaded context for producing and consuming, as the spec defines it.
 *
 * <p><b>Threading.</b> The application uses a session from one thread at a time (spec 2.14); only
 * {@link #close} may come from another thread. Message listeners of this session run one at a time on
 * the session's own dispatcher thread, started with the first listener. {@link #listenerLock} is held
 * while a listener runs, so {@code Connection.stop} and {@code close} can wait for it. The list of
 * unacknowledged deliveries is guarded by this object's monitor, because the dispatcher thread and the
 * application thread both touch it. Completion listeners of asynchronous sends run on a separate
 * single thread per session, in send order.
 */
public class TernSession implements Session, QueueSession, TopicSession {

    private static final Logger LOG = LoggerFactory.getLogger(TernSession.class);
    private static final ThreadLocal<TernSession> CURRENT = new ThreadLocal<>();

    private final TernConnection connection;
    private final int mode;
    private final long sessionId;
    private final List<TernMessageConsumer> consumers = new CopyOnWriteArrayList<>();
    private final List<TernMessageProducer> producers = new CopyOnWriteArrayList<>();
    private final List<TernQueueBrowser> browsers = new CopyOnWriteArrayList<>();
    /** Deliveries the application saw and has not acknowledged (client-acknowledge and transacted). */
    private final List<Long> unacknowledged = new ArrayList<>();
    /** DUPS_OK acknowledgements not yet sent. */
    private final List<Long> lazyAcks = new ArrayList<>();
    private final ReentrantLock listenerLock = new ReentrantLock();
    private final ReentrantLock wakeLock = new ReentrantLock();
    private final Condition wake = wakeLock.newCondition();
    private volatile boolean closed;
    private volatile boolean closing;
    private long transactionId;
    /** The broker transaction of the XA branch this session works in, or 0 outside one. */
    private volatile long xaTransactionId;
    private Thread dispatcher;
    /** Changes at every recover or rollback, so a listener's pending auto-acknowledge is skipped after one. */
    private volatile long recoveries;
    private ExecutorService completions;
    /** Completes when the last completion listener queued so far has run; guarded by this monitor. */
    private java.util.concurrent.CompletableFuture<Void> completionTail =
            java.util.concurrent.CompletableFuture.completedFuture(null);
    private final AsyncSendTracker asyncSends = new AsyncSendTracker();

    /** Which messaging domain a session serves: both, or only one for QueueSession / TopicSession. */
    enum Domain { BOTH, QUEUE, TOPIC }

    private Domain domain = Domain.BOTH;

    /** A QueueSession refuses publish/subscribe methods and a TopicSession point-to-point ones. */
    void restrictTo(Domain only) {
        this.domain = only;
    }

    private void checkDomain(Domain needed, String method) throws JMSException {
        if (domain != Domain.BOTH && domain != needed) {
            throw new IllegalStateException(method + " is not available on a "
                    + (domain == Domain.QUEUE ? "QueueSession" : "TopicSession"));
        }
    }

    TernSession(TernConnection connection, int mode) {
        this.connection = connection;
        this.mode = mode;
        this.sessionId = connection.nextId();
        if (mode == SESSION_TRANSACTED) {
            transactionId = connection.nextId();
        }
    }

    /** The session whose listener the calling thread is running, if any. */
    static TernSession current() {
        return CURRENT.get();
    }

    TernConnection connection() {
        return connection;
    }

    long sessionId() {
        return sessionId;
    }

    int mode() {
        return mode;
    }

    long transactionId() {
        return mode == SESSION_TRANSACTED ? transactionId : xaTransactionId;
    }

    /** Work of this session goes into an XA branch's broker transaction from now on. */
    void associate(long branchTransactionId) {
        xaTransactionId = branchTransactionId;
    }

    /** Ends the XA association; returns (and forgets) the deliveries consumed in it. */
    long[] dissociate() {
        xaTransactionId = 0;
        synchronized (this) {
            long[] acks = toArray(unacknowledged);
            unacknowledged.clear();
            return acks;
        }
    }

    boolean isAssociated() {
        return xaTransactionId != 0;
    }

    AsyncSendTracker asyncSends() {
        return asyncSends;
    }

    synchronized ExecutorService completionExecutor() {
        if (completions == null) {
            completions = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "tern-session-" + sessionId + "-completions");
                t.setDaemon(true);
                return t;
            });
        }
        return completions;
    }

    /**
     * Runs a completion listener once {@code sent} is done and every earlier one of this session has run:
     * callbacks come in send order (spec 7.3.8), whichever order the broker completes the sends in.
     */
    synchronized void afterPreviousCompletions(java.util.concurrent.CompletableFuture<Void> sent,
                                               java.util.function.Consumer<Throwable> callback) {
        java.util.concurrent.CompletableFuture<Throwable> outcome = sent.handle((ok, failure) -> failure);
        completionTail = completionTail.thenCombine(outcome, (previous, failure) -> failure)
                .thenAcceptAsync(callback, completionExecutor())
                .handle((v, e) -> null);
    }

    // ---------------------------------------------------------------- messages

    @Override
    public BytesMessage createBytesMessage() throws JMSException {
        checkOpen();
        return new TernBytesMessage();
    }

    @Override
    public MapMessage createMapMessage() throws JMSException {
        checkOpen();
        return new TernMapMessage();
    }

    @Override
    public Message createMessage() throws JMSException {
        checkOpen();
        return new TernMessage();
    }

    @Override
    public ObjectMessage createObjectMessage() throws JMSException {
        checkOpen();
        return new TernObjectMessage();
    }

    @Override
    public ObjectMessage createObjectMessage(Serializable object) throws JMSException {
        checkOpen();
        TernObjectMessage m = new TernObjectMessage();
        m.setObject(object);
        return m;
    }

    @Override
    public StreamMessage createStreamMessage() throws JMSException {
        checkOpen();
        return new TernStreamMessage();
    }

    @Override
    public TextMessage createTextMessage() throws JMSException {
        checkOpen();
        return new TernTextMessage();
    }

    @Override
    public TextMessage createTextMessage(String text) throws JMSException {
        checkOpen();
        TernTextMessage m = new TernTextMessage();
        m.setText(text);
        return m;
    }

    // ---------------------------------------------------------------- transactions and acknowledgement

    @Override
    public boolean getTransacted() throws JMSException {
        checkOpen();
        return mode == SESSION_TRANSACTED;
    }

    @Override
    public int getAcknowledgeMode() throws JMSException {
        checkOpen();
        return mode;
    }

    @Override
    public void commit() throws JMSException {
        checkOpen();
        if (mode != SESSION_TRANSACTED) {
            throw new IllegalStateException("commit is only for a transacted session");
        }
        asyncSends.checkNotInCallback(this, "commit");
        asyncSends.awaitAll();
        long[] acks;
        synchronized (this) {
            acks = toArray(unacknowledged);
            unacknowledged.clear();
        }
        long tx = transactionId;
        transactionId = connection.nextId();
        try {
            connection.broker().commit(tx, acks);
        } catch (jakarta.jms.TransactionRolledBackException | io.tern.transport.TransactionOutcomeUnknownException e) {
            // Both say exactly what happened; an unknown outcome must never pass for a rollback.
            throw e;
        } catch (JMSException e) {
            jakarta.jms.TransactionRolledBackException rolledBack = new jakarta.jms.TransactionRolledBackException(
                    "the transaction was rolled back: " + e.getMessage());
            rolledBack.initCause(e);
            rolledBack.setLinkedException(e);
            throw rolledBack;
        }
    }

    @Override
    public void rollback() throws JMSException {
        checkOpen();
        if (mode != SESSION_TRANSACTED) {
            throw new IllegalStateException("rollback is only for a transacted session");
        }
        asyncSends.checkNotInCallback(this, "rollback");
        asyncSends.awaitAll();
        redeliverAll(true);
    }

    @Override
    public void recover() throws JMSException {
        checkOpen();
        if (mode == SESSION_TRANSACTED) {
            throw new IllegalStateException("recover is not for a transacted session; use rollback");
        }
        redeliverAll(false);
    }

    /**
     * Gives back everything the session holds so it comes again in order: first the buffers are emptied,
     * then the seen messages are released (they come back flagged redelivered), then the unseen ones.
     */
    private void redeliverAll(boolean rollback) throws JMSException {
        recoveries++;
        List<TernMessageConsumer.Drained> drained = new ArrayList<>();
        for (TernMessageConsumer c : consumers) {
            drained.add(c.drainBuffer());
        }
        long[] seen;
        synchronized (this) {
            List<Long> all = new ArrayList<>(unacknowledged);
            TernMessageConsumer.Drained current = currentListenerDelivery();
            if (current != null) {
                all.addAll(current.ids());
            }
            seen = toArray(all);
            unacknowledged.clear();
        }
        if (rollback) {
            long tx = transactionId;
            transactionId = connection.nextId();
            connection.broker().rollback(tx, seen);
        } else if (seen.length > 0) {
            connection.broker().release(seen, true);
        }
        for (TernMessageConsumer.Drained d : drained) {
            d.consumer().returnDrained(d);
        }
    }

    /** In auto-acknowledge, the message a listener is processing when it calls recover. */
    private volatile TernMessageConsumer.Drained listenerDelivery;

    private TernMessageConsumer.Drained currentListenerDelivery() {
        TernMessageConsumer.Drained d = listenerDelivery;
        listenerDelivery = null;
        return d;
    }

    /** The application took a delivery from a consumer (receive or listener). */
    void consumed(Delivery delivery) throws JMSException {
        if (xaTransactionId != 0) {
            synchronized (this) {
                unacknowledged.add(delivery.deliveryId());
            }
            return;
        }
        switch (mode) {
            case AUTO_ACKNOWLEDGE -> {
                try {
                    connection.broker().acknowledge(new long[] {delivery.deliveryId()});
                } catch (io.tern.transport.AcknowledgeOutcomeUnknownException e) {
                    // The application gets the message: if the broker did not record the acknowledgement, it
                    // comes again flagged redelivered (at least once), rather than being lost to the application.
                    LOG.debug("Acknowledgement lost in a failover; the message may come again", e);
                }
            }
            case DUPS_OK_ACKNOWLEDGE -> {
                long[] batch = null;
                synchronized (this) {
                    lazyAcks.add(delivery.deliveryId());
                    if (lazyAcks.size() >= Math.max(1, Math.min(100, connection.prefetch() / 2))) {
                        batch = toArray(lazyAcks);
                        lazyAcks.clear();
                    }
                }
                if (batch != null) {
                    connection.broker().acknowledge(batch);
                }
            }
            default -> {
                synchronized (this) {
                    unacknowledged.add(delivery.deliveryId());
                }
            }
        }
    }

    /**
     * A failover connection lost its broker: what the consumers buffered is stale (the broker gives it to a
     * consumer again) and is dropped, and DUPS_OK acknowledgements held back can no longer be sent (those
     * messages come again, which DUPS_OK allows).
     */
    void transportInterrupted() {
        for (TernMessageConsumer c : consumers) {
            c.purge();
        }
        synchronized (this) {
            lazyAcks.clear();
        }
    }

    /** Sends DUPS_OK acknowledgements held back; called when a consumer's buffer runs dry and at close. */
    void flushLazyAcks() {
        long[] batch;
        synchronized (this) {
            if (lazyAcks.isEmpty()) {
                return;
            }
            batch = toArray(lazyAcks);
            lazyAcks.clear();
        }
        try {
            connection.broker().acknowledge(batch);
        } catch (JMSException e) {
            LOG.warn("Could not send {} lazy acknowledgements; the messages may come again", batch.length, e);
        }
    }

    /** {@code Message.acknowledge()} in client-acknowledge mode: everything the session consumed. */
    void acknowledgeAll() throws JMSException {
        if (closed) {
            throw new IllegalStateException("the session is closed; its unacknowledged messages will come again");
        }
        long[] acks;
        synchronized (this) {
            acks = toArray(unacknowledged);
            unacknowledged.clear();
        }
        if (acks.length > 0) {
            connection.broker().acknowledgeAndConfirm(acks);
        }
    }

    private static long[] toArray(List<Long> ids) {
        long[] out = new long[ids.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = ids.get(i);
        }
        return out;
    }

    // ---------------------------------------------------------------- listener dispatch

    /** A consumer of this session has messages for its listener, or the connection started. */
    void wakeDispatcher() {
        wakeLock.lock();
        try {
            wake.signalAll();
        } finally {
            wakeLock.unlock();
        }
    }

    void listenerSet() {
        synchronized (this) {
            if (dispatcher == null && !closed) {
                dispatcher = new Thread(this::dispatchLoop, "tern-session-" + sessionId);
                dispatcher.setDaemon(true);
                dispatcher.start();
            }
        }
        wakeDispatcher();
    }

    void connectionStarted() {
        wakeDispatcher();
        for (TernMessageConsumer c : consumers) {
            c.wakeReceivers();
        }
    }

    private void dispatchLoop() {
        while (!closed) {
            boolean delivered = false;
            if (connection.isStarted()) {
                for (TernMessageConsumer c : consumers) {
                    if (closed || !connection.isStarted()) {
                        break;
                    }
                    delivered |= deliverToListener(c);
                }
            }
            if (!delivered) {
                wakeLock.lock();
                try {
                    if (!closed && !hasListenerWork()) {
                        wake.await(100, TimeUnit.MILLISECONDS);
                    }
                } catch (InterruptedException e) {
                    return;
                } finally {
                    wakeLock.unlock();
                }
            }
        }
    }

    private boolean hasListenerWork() {
        if (!connection.isStarted()) {
            return false;
        }
        for (TernMessageConsumer c : consumers) {
            if (c.hasListenerWork()) {
                return true;
            }
        }
        return false;
    }

    private boolean deliverToListener(TernMessageConsumer consumer) {
        listenerLock.lock();
        try {
            if (closed || closing || !connection.isStarted()) {
                return false;
            }
            MessageListener listener = consumer.listener();
            if (listener == null) {
                return false;
            }
            Delivery delivery = consumer.pollForListener();
            if (delivery == null) {
                return false;
            }
            runListener(consumer, listener, delivery);
            return true;
        } finally {
            listenerLock.unlock();
        }
    }

    private void runListener(TernMessageConsumer consumer, MessageListener listener, Delivery delivery) {
        TernMessage message = consumer.toMessage(delivery);
        long recoveriesBefore = recoveries;
        boolean autoAck = mode == AUTO_ACKNOWLEDGE || mode == DUPS_OK_ACKNOWLEDGE;
        if (autoAck) {
            listenerDelivery = new TernMessageConsumer.Drained(consumer, List.of(delivery.deliveryId()));
        } else {
            recordConsumed(delivery);
        }
        CURRENT.set(this);
        try {
            listener.onMessage(message);
        } catch (RuntimeException e) {
            LOG.warn("Message listener of {} threw; the message will be redelivered", consumer, e);
            if (autoAck && recoveries == recoveriesBefore) {
                listenerDelivery = null;
                releaseSeen(delivery);
                return;
            }
        } finally {
            CURRENT.remove();
        }
        if (autoAck && recoveries == recoveriesBefore) {
            listenerDelivery = null;
            try {
                consumed(delivery);
            } catch (JMSException e) {
                LOG.warn("Could not acknowledge a message after its listener returned; it may come again", e);
            }
        }
    }

    private void recordConsumed(Delivery delivery) {
        try {
            consumed(delivery);
        } catch (JMSException e) {
            LOG.warn("Could not record a consumed message", e);
        }
    }

    private void releaseSeen(Delivery delivery) {
        try {
            connection.broker().release(new long[] {delivery.deliveryId()}, true);
        } catch (JMSException e) {
            LOG.warn("Could not return a message for redelivery", e);
        }
    }

    /** Waits for a listener that is running to return (unless called from it). */
    void awaitListenerIdle() {
        if (CURRENT.get() == this) {
            return;
        }
        listenerLock.lock();
        listenerLock.unlock();
    }

    @Override
    public MessageListener getMessageListener() throws JMSException {
        checkOpen();
        return null;
    }

    /** Session-level listeners serve application servers' ConnectionConsumer, which Tern does not provide. */
    @Override
    public void setMessageListener(MessageListener listener) throws JMSException {
        checkOpen();
        throw new JMSException("Session.setMessageListener is an optional application-server facility that"
                + " Tern does not provide; set the listener on a MessageConsumer");
    }

    /** Application-server facility that goes with {@link #setMessageListener}; nothing to run. */
    @Override
    public void run() {
        LOG.debug("Session.run called; Tern has no session-level listener to run");
    }

    // ---------------------------------------------------------------- producers and consumers

    @Override
    public MessageProducer createProducer(Destination destination) throws JMSException {
        checkOpen();
        TernDestination d = destination == null ? null : TernDestination.from(destination);
        if (d != null) {
            connection.broker().checkDestination(d.address());
        }
        TernMessageProducer p = new TernMessageProducer(this, d);
        producers.add(p);
        return p;
    }

    @Override
    public QueueSender createSender(Queue queue) throws JMSException {
        return (QueueSender) createProducer(queue);
    }

    @Override
    public TopicPublisher createPublisher(Topic topic) throws JMSException {
        return (TopicPublisher) createProducer(topic);
    }

    void producerClosed(TernMessageProducer producer) {
        producers.remove(producer);
    }

    @Override
    public MessageConsumer createConsumer(Destination destination) throws JMSException {
        return createConsumer(destination, null, false);
    }

    @Override
    public MessageConsumer createConsumer(Destination destination, String messageSelector) throws JMSException {
        return createConsumer(destination, messageSelector, false);
    }

    @Override
    public MessageConsumer createConsumer(Destination destination, String messageSelector, boolean noLocal)
            throws JMSException {
        checkOpen();
        TernDestination d = TernDestination.from(destination);
        return newConsumer(d, messageSelector, d.address().isTopic() && noLocal, null, false, false);
    }

    @Override
    public QueueReceiver createReceiver(Queue queue) throws JMSException {
        return (QueueReceiver) createConsumer(queue);
    }

    @Override
    public QueueReceiver createReceiver(Queue queue, String messageSelector) throws JMSException {
        return (QueueReceiver) createConsumer(queue, messageSelector);
    }

    @Override
    public TopicSubscriber createSubscriber(Topic topic) throws JMSException {
        return (TopicSubscriber) createConsumer(topic);
    }

    @Override
    public TopicSubscriber createSubscriber(Topic topic, String messageSelector, boolean noLocal)
            throws JMSException {
        return (TopicSubscriber) createConsumer(topic, messageSelector, noLocal);
    }

    @Override
    public MessageConsumer createSharedConsumer(Topic topic, String sharedSubscriptionName) throws JMSException {
        return createSharedConsumer(topic, sharedSubscriptionName, null);
    }

    @Override
    public MessageConsumer createSharedConsumer(Topic topic, String sharedSubscriptionName, String messageSelector)
            throws JMSException {
        checkDomain(Domain.TOPIC, "createSharedConsumer");
        checkOpen();
        checkSubscriptionName(sharedSubscriptionName);
        return newConsumer(topicOf(topic), messageSelector, false, sharedSubscriptionName, false, true);
    }

    @Override
    public TopicSubscriber createDurableSubscriber(Topic topic, String name) throws JMSException {
        return createDurableSubscriber(topic, name, null, false);
    }

    @Override
    public TopicSubscriber createDurableSubscriber(Topic topic, String name, String messageSelector, boolean noLocal)
            throws JMSException {
        checkDomain(Domain.TOPIC, "createDurableSubscriber");
        checkOpen();
        checkSubscriptionName(name);
        return newConsumer(topicOf(topic), messageSelector, noLocal, name, true, false);
    }

    @Override
    public MessageConsumer createDurableConsumer(Topic topic, String name) throws JMSException {
        return createDurableSubscriber(topic, name);
    }

    @Override
    public MessageConsumer createDurableConsumer(Topic topic, String name, String messageSelector, boolean noLocal)
            throws JMSException {
        checkDomain(Domain.TOPIC, "createDurableConsumer");
        return createDurableSubscriber(topic, name, messageSelector, noLocal);
    }

    @Override
    public MessageConsumer createSharedDurableConsumer(Topic topic, String name) throws JMSException {
        return createSharedDurableConsumer(topic, name, null);
    }

    @Override
    public MessageConsumer createSharedDurableConsumer(Topic topic, String name, String messageSelector)
            throws JMSException {
        checkDomain(Domain.TOPIC, "createSharedDurableConsumer");
        checkOpen();
        checkSubscriptionName(name);
        return newConsumer(topicOf(topic), messageSelector, false, name, true, true);
    }

    private static TernDestination topicOf(Topic topic) throws JMSException {
        if (topic == null) {
            throw new InvalidDestinationException("topic is null");
        }
        return TernDestination.from(topic);
    }

    private static void checkSubscriptionName(String name) throws JMSException {
        if (name == null || name.isEmpty()) {
            throw new JMSException("subscription name must not be null or empty");
        }
    }

    private TernMessageConsumer newConsumer(TernDestination destination, String selector, boolean noLocal,
                                            String subscriptionName, boolean durable, boolean shared)
            throws JMSException {
        long id = connection.nextId();
        DestinationOptions options = destination.consumerOptions();
        ConsumerSpec spec = new ConsumerSpec(id, destination.address(), selector, noLocal, subscriptionName,
                durable, shared, options.prefetch(connection.prefetch()), options.exclusive());
        TernMessageConsumer consumer = new TernMessageConsumer(this, spec, destination);
        connection.register(consumer);
        try {
            connection.broker().addConsumer(spec);
        } catch (JMSException e) {
            connection.unregister(consumer);
            throw e;
        }
        consumers.add(consumer);
        return consumer;
    }

    void consumerClosed(TernMessageConsumer consumer) {
        consumers.remove(consumer);
        connection.unregister(consumer);
    }

    @Override
    public void unsubscribe(String name) throws JMSException {
        checkDomain(Domain.TOPIC, "unsubscribe");
        checkOpen();
        connection.broker().unsubscribe(name);
    }

    @Override
    public QueueBrowser createBrowser(Queue queue) throws JMSException {
        return createBrowser(queue, null);
    }

    @Override
    public QueueBrowser createBrowser(Queue queue, String messageSelector) throws JMSException {
        checkDomain(Domain.QUEUE, "createBrowser");
        checkOpen();
        if (queue == null) {
            throw new InvalidDestinationException("queue is null");
        }
        TernDestination d = TernDestination.from(queue);
        // Parses the selector now, so a bad one fails here as the spec says, not at enumeration.
        connection.broker().browse(d.address(), messageSelector);
        TernQueueBrowser b = new TernQueueBrowser(this, (Queue) d, messageSelector);
        browsers.add(b);
        return b;
    }

    void browserClosed(TernQueueBrowser browser) {
        browsers.remove(browser);
    }

    @Override
    public Queue createQueue(String queueName) throws JMSException {
        checkDomain(Domain.QUEUE, "createQueue");
        checkOpen();
        try {
            return new TernQueue(queueName);
        } catch (IllegalArgumentException e) {
            throw new InvalidDestinationException(e.getMessage());
        }
    }

    @Override
    public Topic createTopic(String topicName) throws JMSException {
        checkDomain(Domain.TOPIC, "createTopic");
        checkOpen();
        try {
            return new TernTopic(topicName);
        } catch (IllegalArgumentException e) {
            throw new InvalidDestinationException(e.getMessage());
        }
    }

    @Override
    public TemporaryQueue createTemporaryQueue() throws JMSException {
        checkDomain(Domain.QUEUE, "createTemporaryQueue");
        checkOpen();
        return connection.createTemporaryQueue();
    }

    @Override
    public TemporaryTopic createTemporaryTopic() throws JMSException {
        checkDomain(Domain.TOPIC, "createTemporaryTopic");
        checkOpen();
        return connection.createTemporaryTopic();
    }

    // ---------------------------------------------------------------- lifecycle

    @Override
    public void close() throws JMSException {
        if (CURRENT.get() == this && !closed) {
            throw new IllegalStateException("a message listener must not close its own session");
        }
        asyncSends.checkNotInCallback(this, "close");
        synchronized (this) {
            if (closed || closing) {
                return;
            }
            closing = true;
        }
        asyncSends.awaitAll();
        wakeDispatcher();
        awaitListenerIdle();
        closed = true;
        wakeDispatcher();
        for (TernMessageConsumer c : consumers) {
            c.closeForSession();
        }
        for (TernMessageProducer p : producers) {
            p.markClosed();
        }
        for (TernQueueBrowser b : browsers) {
            b.markClosed();
        }
        flushLazyAcks();
        long[] seen;
        synchronized (this) {
            seen = toArray(unacknowledged);
            unacknowledged.clear();
        }
        if (!connection.isClosed() || seen.length > 0) {
            try {
                if (mode == SESSION_TRANSACTED) {
                    connection.broker().rollback(transactionId, seen);
                } else if (seen.length > 0) {
                    connection.broker().release(seen, true);
                }
            } catch (JMSException e) {
                LOG.debug("Could not return unacknowledged messages at session close", e);
            }
        }
        ExecutorService c;
        synchronized (this) {
            c = completions;
        }
        if (c != null) {
            c.shutdown();
        }
        connection.sessionClosed(this);
    }

    /** The connection failed: nothing more can be done with this session. */
    void connectionLost() {
        closed = true;
        wakeDispatcher();
        for (TernMessageConsumer c : consumers) {
            c.connectionLost();
        }
        asyncSends.failAll();
    }

    void checkOpen() throws JMSException {
        if (closed || closing) {
            throw new IllegalStateException("the session is closed");
        }
        connection.checkOpen();
    }

    boolean isClosed() {
        return closed;
    }

    @Override
    public String toString() {
        return "TernSession[" + sessionId + ", mode " + mode + "]";
    }
}
