package io.tern.jms;

import io.tern.protocol.MessageSnapshot;
import jakarta.jms.CompletionListener;
import jakarta.jms.DeliveryMode;
import jakarta.jms.Destination;
import jakarta.jms.IllegalStateException;
import jakarta.jms.InvalidDestinationException;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageFormatException;
import jakarta.jms.Queue;
import jakarta.jms.QueueSender;
import jakarta.jms.Topic;
import jakarta.jms.TopicPublisher;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * Sends messages, with or without a fixed destination (an anonymous producer names one per send).
 * A synchronous send returns when the broker holds the message (a persistent one durably); an
 * asynchronous send calls its {@link CompletionListener} at that point, on the session's completion thread.
 *
 * <p>Not thread-safe, like its session.
 */
public class TernMessageProducer implements QueueSender, TopicPublisher {

    private final TernSession session;
    private final TernDestination destination;
    private final String producerId;
    private long sequence;
    private volatile boolean closed;
    private int deliveryMode = DeliveryMode.PERSISTENT;
    private int priority = Message.DEFAULT_PRIORITY;
    private long timeToLive = Message.DEFAULT_TIME_TO_LIVE;
    private long deliveryDelay = Message.DEFAULT_DELIVERY_DELAY;
    private boolean disableMessageID;
    private boolean disableMessageTimestamp;

    TernMessageProducer(TernSession session, TernDestination destination) {
        this.session = session;
        this.destination = destination;
        this.producerId = session.connection().connectionId() + ":" + session.connection().nextId();
    }

    @Override
    public void setDisableMessageID(boolean value) throws JMSException {
        checkOpen();
        disableMessageID = value;
    }

    @Override
    public boolean getDisableMessageID() throws JMSException {
        checkOpen();
        return disableMessageID;
    }

    @Override
    public void setDisableMessageTimestamp(boolean value) throws JMSException {
        checkOpen();
        disableMessageTimestamp = value;
    }

    @Override
    public boolean getDisableMessageTimestamp() throws JMSException {
        checkOpen();
        return disableMessageTimestamp;
    }

    @Override
    public void setDeliveryMode(int deliveryMode) throws JMSException {
        checkOpen();
        checkDeliveryMode(deliveryMode);
        this.deliveryMode = deliveryMode;
    }

    @Override
    public int getDeliveryMode() throws JMSException {
        checkOpen();
        return deliveryMode;
    }

    @Override
    public void setPriority(int priority) throws JMSException {
        checkOpen();
        checkPriority(priority);
        this.priority = priority;
    }

    @Override
    public int getPriority() throws JMSException {
        checkOpen();
        return priority;
    }

    @Override
    public void setTimeToLive(long timeToLive) throws JMSException {
        checkOpen();
        this.timeToLive = timeToLive;
    }

    @Override
    public long getTimeToLive() throws JMSException {
        checkOpen();
        return timeToLive;
    }

    @Override
    public void setDeliveryDelay(long deliveryDelay) throws JMSException {
        checkOpen();
        this.deliveryDelay = deliveryDelay;
    }

    @Override
    public long getDeliveryDelay() throws JMSException {
        checkOpen();
        return deliveryDelay;
    }

    @Override
    public Destination getDestination() throws JMSException {
        checkOpen();
        return destination;
    }

    @Override
    public Queue getQueue() throws JMSException {
        return (Queue) getDestination();
    }

    @Override
    public Topic getTopic() throws JMSException {
        return (Topic) getDestination();
    }

    @Override
    public void close() throws JMSException {
        if (closed) {
            return;
        }
        session.asyncSends().checkNotInCallback(session, "close");
        closed = true;
        session.producerClosed(this);
    }

    void markClosed() {
        closed = true;
    }

    // ---------------------------------------------------------------- sends

    @Override
    public void send(Message message) throws JMSException {
        send(message, deliveryMode, priority, timeToLive);
    }

    @Override
    public void send(Message message, int deliveryMode, int priority, long timeToLive) throws JMSException {
        checkOpen();
        doSend(fixedDestination(), message, deliveryMode, priority, timeToLive, null);
    }

    @Override
    public void send(Destination destination, Message message) throws JMSException {
        send(destination, message, deliveryMode, priority, timeToLive);
    }

    @Override
    public void send(Destination destination, Message message, int deliveryMode, int priority, long timeToLive)
            throws JMSException {
        checkOpen();
        doSend(namedDestination(destination), message, deliveryMode, priority, timeToLive, null);
    }

    @Override
    public void send(Message message, CompletionListener completionListener) throws JMSException {
        send(message, deliveryMode, priority, timeToLive, completionListener);
    }

    @Override
    public void send(Message message, int deliveryMode, int priority, long timeToLive,
                     CompletionListener completionListener) throws JMSException {
        checkOpen();
        checkListener(completionListener);
        doSend(fixedDestination(), message, deliveryMode, priority, timeToLive, completionListener);
    }

    @Override
    public void send(Destination destination, Message message, CompletionListener completionListener)
            throws JMSException {
        send(destination, message, deliveryMode, priority, timeToLive, completionListener);
    }

    @Override
    public void send(Destination destination, Message message, int deliveryMode, int priority, long timeToLive,
                     CompletionListener completionListener) throws JMSException {
        checkOpen();
        checkListener(completionListener);
        doSend(namedDestination(destination), message, deliveryMode, priority, timeToLive, completionListener);
    }

    @Override
    public void publish(Message message) throws JMSException {
        send(message);
    }

    @Override
    public void publish(Message message, int deliveryMode, int priority, long timeToLive) throws JMSException {
        send(message, deliveryMode, priority, timeToLive);
    }

    @Override
    public void publish(Topic topic, Message message) throws JMSException {
        send(topic, message);
    }

    @Override
    public void publish(Topic topic, Message message, int deliveryMode, int priority, long timeToLive)
            throws JMSException {
        send(topic, message, deliveryMode, priority, timeToLive);
    }

    @Override
    public void send(Queue queue, Message message) throws JMSException {
        send((Destination) queue, message);
    }

    @Override
    public void send(Queue queue, Message message, int deliveryMode, int priority, long timeToLive)
            throws JMSException {
        send((Destination) queue, message, deliveryMode, priority, timeToLive);
    }

    private TernDestination fixedDestination() {
        if (destination == null) {
            throw new UnsupportedOperationException("this producer has no destination; use a send method that"
                    + " names one");
        }
        return destination;
    }

    private TernDestination namedDestination(Destination d) throws JMSException {
        if (destination != null) {
            throw new UnsupportedOperationException("this producer sends to " + destination
                    + "; a send that names a destination is only for a producer created without one");
        }
        if (d == null) {
            throw new InvalidDestinationException("destination is null");
        }
        return TernDestination.from(d);
    }

    private static void checkListener(CompletionListener listener) {
        if (listener == null) {
            throw new IllegalArgumentException("completionListener is null");
        }
    }

    static void checkDeliveryMode(int mode) throws JMSException {
        if (mode != DeliveryMode.PERSISTENT && mode != DeliveryMode.NON_PERSISTENT) {
            throw new JMSException("invalid delivery mode " + mode + "; expected DeliveryMode.PERSISTENT (2) or"
                    + " DeliveryMode.NON_PERSISTENT (1)");
        }
    }

    static void checkPriority(int priority) throws JMSException {
        if (priority < 0 || priority > 9) {
            throw new JMSException("invalid priority " + priority + "; expected 0 to 9");
        }
    }

    private void doSend(TernDestination target, Message message, int mode, int prio, long ttl,
                        CompletionListener listener) throws JMSException {
        if (message == null) {
            throw new MessageFormatException("message is null");
        }
        checkDeliveryMode(mode);
        checkPriority(prio);
        long now = System.currentTimeMillis();
        long seq = ++sequence;
        message.setJMSDestination(target);
        message.setJMSDeliveryMode(mode);
        message.setJMSPriority(prio);
        message.setJMSExpiration(ttl > 0 ? now + ttl : 0);
        message.setJMSTimestamp(disableMessageTimestamp ? 0 : now);
        message.setJMSDeliveryTime(now + Math.max(0, deliveryDelay));
        message.setJMSMessageID(disableMessageID ? null : "ID:" + producerId.substring(3) + ":" + seq);
        TernMessage tern = message instanceof TernMessage t ? t : TernMessage.copyOf(message);
        MessageSnapshot snapshot = tern.toSnapshot(producerId, seq);
        CompletableFuture<Void> sent = session.connection().broker().send(session.transactionId(), snapshot);
        if (listener == null) {
            await(sent);
            return;
        }
        AsyncSendTracker tracker = session.asyncSends();
        tracker.begin();
        session.afterPreviousCompletions(sent, failure -> tracker.runCallback(() -> {
            if (failure == null) {
                listener.onCompletion(message);
            } else {
                listener.onException(message, JmsExceptions.fromFailure(failure));
            }
        }));
    }

    private static void await(CompletableFuture<Void> sent) throws JMSException {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    sent.get();
                    return;
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    throw JmsExceptions.fromFailure(e);
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void checkOpen() throws JMSException {
        if (closed) {
            throw new IllegalStateException("the producer is closed");
        }
        session.checkOpen();
    }
}
