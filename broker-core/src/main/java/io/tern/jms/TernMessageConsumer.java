package io.tern.jms;

import io.tern.transport.ConsumerSpec;
import io.tern.transport.Delivery;
import jakarta.jms.IllegalStateException;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageFormatException;
import jakarta.jms.MessageListener;
import jakarta.jms.Queue;
import jakarta.jms.QueueReceiver;
import jakarta.jms.Session;
import jakarta.jms.Topic;
import jakarta.jms.TopicSubscriber;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Receives messages from a queue or a topic subscription. The broker fills a buffer of at most
 * {@code prefetch} deliveries; the application takes them with {@code receive} or through a
 * {@link MessageListener} on its session's thread, and each one taken gives the broker room for another.
 *
 * <p><b>Threading.</b> The buffer is guarded by {@link #lock}: broker threads add to it, the
 * application's thread or the session's dispatcher take from it. Calls to the broker are never made
 * while holding that lock, because the broker may deliver (and so take the lock) from inside them.
 */
public class TernMessageConsumer implements QueueReceiver, TopicSubscriber {

    private static final Logger LOG = LoggerFactory.getLogger(TernMessageConsumer.class);

    private final TernSession session;
    private final ConsumerSpec spec;
    private final TernDestination destination;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition available = lock.newCondition();
    private final ArrayDeque<Delivery> buffer = new ArrayDeque<>();
    private final int creditBatch;
    private int creditOwed;
    private volatile MessageListener listener;
    private volatile boolean closed;

    /** Deliveries taken out of the buffer to be given back (recover, rollback, close). */
    record Drained(TernMessageConsumer consumer, List<Long> ids) {
    }

    TernMessageConsumer(TernSession session, ConsumerSpec spec, TernDestination destination) {
        this.session = session;
        this.spec = spec;
        this.destination = destination;
        this.creditBatch = Math.max(1, spec.prefetch() / 4);
    }

    long consumerId() {
        return spec.consumerId();
    }

    /** Called by the connection on a broker thread; false when closed (the caller returns the delivery). */
    boolean offer(Delivery delivery) {
        lock.lock();
        try {
            if (closed) {
                return false;
            }
            buffer.add(delivery);
            available.signal();
        } finally {
            lock.unlock();
        }
        if (listener != null) {
            session.wakeDispatcher();
        }
        return true;
    }

    @Override
    public String getMessageSelector() throws JMSException {
        checkOpen();
        return spec.selector();
    }

    @Override
    public MessageListener getMessageListener() throws JMSException {
        checkOpen();
        return listener;
    }

    @Override
    public void setMessageListener(MessageListener listener) throws JMSException {
        checkOpen();
        this.listener = listener;
        if (listener != null) {
            session.listenerSet();
        }
    }

    @Override
    public Message receive() throws JMSException {
        return receiveWithin(-1, WHOLE_MESSAGE);
    }

    @Override
    public Message receive(long timeout) throws JMSException {
        return receiveWithin(timeout <= 0 ? -1 : timeout, WHOLE_MESSAGE);
    }

    @Override
    public Message receiveNoWait() throws JMSException {
        return receiveWithin(0, WHOLE_MESSAGE);
    }

    /** What a receive hands to the application out of the message it takes. */
    @FunctionalInterface
    interface BodyReader<T> {

        /** @throws MessageFormatException when the message has nothing that can be returned */
        T read(TernMessage message) throws JMSException;
    }

    private static final BodyReader<Message> WHOLE_MESSAGE = message -> message;

    /**
     * Receives the next message and returns what {@code reader} reads out of it, for
     * {@code JMSConsumer.receiveBody}. When the reader throws {@link MessageFormatException} in
     * AUTO_ACKNOWLEDGE or DUPS_OK_ACKNOWLEDGE, the delivery goes back to the head of the buffer neither
     * acknowledged nor marked redelivered, so the next receive gets it as if this call had not happened
     * (JMSConsumer.receiveBody javadoc); in the other modes it counts as consumed, like any received message.
     *
     * @param timeoutMillis -1 waits for ever, 0 does not wait
     * @return null when no message came in time or the consumer was closed
     */
    <T> T receiveBody(long timeoutMillis, BodyReader<T> reader) throws JMSException {
        return receiveWithin(timeoutMillis, reader);
    }

    /** @param timeoutMillis -1 waits for ever, 0 does not wait */
    private <T> T receiveWithin(long timeoutMillis, BodyReader<T> reader) throws JMSException {
        checkOpen();
        if (listener != null) {
            throw new IllegalStateException("this consumer has a MessageListener; it cannot also receive");
        }
        long deadline = timeoutMillis > 0 ? System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis) : 0;
        while (true) {
            Delivery d = take(timeoutMillis, deadline);
            if (d == null) {
                return null;
            }
            if (d.message().isExpired(System.currentTimeMillis())) {
                discardExpired(d);
                continue;
            }
            T result;
            try {
                result = reader.read(toMessage(d));
            } catch (MessageFormatException e) {
                if (session.mode() == Session.AUTO_ACKNOWLEDGE || session.mode() == Session.DUPS_OK_ACKNOWLEDGE) {
                    putBack(d);
                } else {
                    session.consumed(d);
                }
                throw e;
            }
            session.consumed(d);
            if (session.mode() == Session.DUPS_OK_ACKNOWLEDGE && isBufferEmpty()) {
                session.flushLazyAcks();
            }
            return result;
        }
    }

    /**
     * Puts a delivery taken by a receive back at the head of the buffer, untouched, and takes back the
     * credit its taking gave the broker; once closed, it goes back to the broker as never delivered.
     */
    private void putBack(Delivery d) throws JMSException {
        lock.lock();
        try {
            if (!closed) {
                buffer.addFirst(d);
                synchronized (this) {
                    creditOwed--;
                }
                available.signal();
                return;
            }
        } finally {
            lock.unlock();
        }
        session.connection().broker().release(new long[] {d.deliveryId()}, false);
    }

    private Delivery take(long timeoutMillis, long deadline) throws JMSException {
        Delivery d;
        lock.lock();
        try {
            while (true) {
                if (closed) {
                    return null;
                }
                if (session.connection().isStarted() && !buffer.isEmpty()) {
                    d = buffer.poll();
                    break;
                }
                if (timeoutMillis == 0) {
                    return null;
                }
                try {
                    if (timeoutMillis < 0) {
                        available.await();
                    } else {
                        long left = deadline - System.nanoTime();
                        if (left <= 0) {
                            return null;
                        }
                        available.awaitNanos(left);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return null;
                }
            }
        } finally {
            lock.unlock();
        }
        returnCredit(1);
        return d;
    }

    private boolean isBufferEmpty() {
        lock.lock();
        try {
            return buffer.isEmpty();
        } finally {
            lock.unlock();
        }
    }

    /** A message that expired while buffered is consumed without being handed to the application. */
    private void discardExpired(Delivery d) {
        try {
            session.connection().broker().acknowledge(new long[] {d.deliveryId()});
        } catch (JMSException e) {
            LOG.debug("Could not discard expired message {}", d.message().messageId(), e);
        }
    }

    /** Gives the broker room for more deliveries, a batch at a time. */
    private void returnCredit(int messages) {
        int grant = 0;
        synchronized (this) {
            creditOwed += messages;
            if (creditOwed >= creditBatch) {
                grant = creditOwed;
                creditOwed = 0;
            }
        }
        if (grant > 0) {
            session.connection().broker().addCredit(spec.consumerId(), grant);
        }
    }

    boolean hasListenerWork() {
        if (listener == null) {
            return false;
        }
        lock.lock();
        try {
            return !buffer.isEmpty() && !closed;
        } finally {
            lock.unlock();
        }
    }

    MessageListener listener() {
        return listener;
    }

    /** The next delivery for the listener, or null; expired ones are discarded on the way. */
    Delivery pollForListener() {
        while (true) {
            Delivery d;
            lock.lock();
            try {
                if (closed) {
                    return null;
                }
                d = buffer.poll();
            } finally {
                lock.unlock();
            }
            if (d == null) {
                if (session.mode() == Session.DUPS_OK_ACKNOWLEDGE) {
                    session.flushLazyAcks();
                }
                return null;
            }
            returnCredit(1);
            if (d.message().isExpired(System.currentTimeMillis())) {
                discardExpired(d);
                continue;
            }
            return d;
        }
    }

    TernMessage toMessage(Delivery d) {
        TernMessage m = TernMessage.fromSnapshot(d.message(), d.redelivered(), d.deliveryCount());
        if (session.mode() == Session.CLIENT_ACKNOWLEDGE) {
            m.setAcknowledger(session::acknowledgeAll);
        }
        return m;
    }

    /** Empties the buffer, for the session to give the deliveries back. */
    Drained drainBuffer() {
        List<Long> ids = new ArrayList<>();
        lock.lock();
        try {
            for (Delivery d : buffer) {
                ids.add(d.deliveryId());
            }
            buffer.clear();
        } finally {
            lock.unlock();
        }
        return new Drained(this, ids);
    }

    /** Returns drained (unseen) deliveries to the broker and restores the credit they held. */
    void returnDrained(Drained drained) throws JMSException {
        if (drained.ids().isEmpty()) {
            return;
        }
        long[] ids = new long[drained.ids().size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = drained.ids().get(i);
        }
        session.connection().broker().release(ids, false);
        if (!closed) {
            returnCredit(ids.length);
        }
    }

    void wakeReceivers() {
        lock.lock();
        try {
            available.signalAll();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() throws JMSException {
        if (closed) {
            return;
        }
        if (TernSession.current() != session) {
            session.awaitListenerIdle();
        }
        closeForSession();
    }

    /** Closes without the listener checks (the session is closing and has waited already). */
    void closeForSession() {
        if (closed) {
            return;
        }
        try {
            session.connection().broker().removeConsumer(spec.consumerId());
        } catch (JMSException e) {
            LOG.debug("Could not remove consumer {} at the broker", spec.consumerId(), e);
        }
        Drained drained;
        lock.lock();
        try {
            closed = true;
            available.signalAll();
        } finally {
            lock.unlock();
        }
        drained = drainBuffer();
        try {
            returnDrained(drained);
        } catch (JMSException e) {
            LOG.debug("Could not return buffered messages of consumer {}", spec.consumerId(), e);
        }
        session.consumerClosed(this);
    }

    /**
     * Drops the buffered deliveries of a connection that failed over: they can no longer be acknowledged and
     * come again on the new one. Credit starts again from the prefetch there, so nothing is owed.
     */
    void purge() {
        lock.lock();
        try {
            buffer.clear();
        } finally {
            lock.unlock();
        }
        synchronized (this) {
            creditOwed = 0;
        }
    }

    void connectionLost() {
        lock.lock();
        try {
            closed = true;
            buffer.clear();
            available.signalAll();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Queue getQueue() throws JMSException {
        checkOpen();
        return (Queue) destination;
    }

    @Override
    public Topic getTopic() throws JMSException {
        checkOpen();
        return (Topic) destination;
    }

    @Override
    public boolean getNoLocal() throws JMSException {
        checkOpen();
        return spec.noLocal();
    }

    private void checkOpen() throws JMSException {
        if (closed) {
            throw new IllegalStateException("the consumer is closed");
        }
        session.checkOpen();
    }

    @Override
    public String toString() {
        return "TernMessageConsumer[" + spec.consumerId() + " on " + destination + "]";
    }
}
