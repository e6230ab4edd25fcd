package io.tern.jms;

import jakarta.jms.BytesMessage;
import jakarta.jms.JMSConsumer;
import jakarta.jms.JMSException;
import jakarta.jms.MapMessage;
import jakarta.jms.Message;
import jakarta.jms.MessageFormatException;
import jakarta.jms.MessageListener;
import jakarta.jms.ObjectMessage;
import jakarta.jms.TextMessage;

/**
 * Tern's {@link JMSConsumer}: a {@link TernMessageConsumer} with runtime exceptions, and
 * {@code receiveBody}, which reads the body before the message counts as consumed so that a body of the
 * wrong type leaves the message for the next receive in AUTO_ACKNOWLEDGE and DUPS_OK_ACKNOWLEDGE
 * (see {@link TernMessageConsumer#receiveBody}).
 *
 * <p><b>Threading.</b> As its context: one thread at a time, but {@link #close} may come from any thread
 * (it waits for a running listener or a blocked receive to finish).
 */
public class TernJMSConsumer implements JMSConsumer {

    private final TernMessageConsumer consumer;

    TernJMSConsumer(TernMessageConsumer consumer) {
        this.consumer = consumer;
    }

    /** Null when there is no selector, also when it was given as an empty string (JMSConsumer javadoc). */
    @Override
    public String getMessageSelector() {
        try {
            String selector = consumer.getMessageSelector();
            return selector == null || selector.isEmpty() ? null : selector;
        } catch (JMSException e) {
            throw JmsExceptions.toRuntime(e);
        }
    }

    @Override
    public MessageListener getMessageListener() {
        try {
            return consumer.getMessageListener();
        } catch (JMSException e) {
            throw JmsExceptions.toRuntime(e);
        }
    }

    @Override
    public void setMessageListener(MessageListener listener) {
        try {
            consumer.setMessageListener(listener);
        } catch (JMSException e) {
            throw JmsExceptions.toRuntime(e);
        }
    }

    @Override
    public Message receive() {
        try {
            return consumer.receive();
        } catch (JMSException e) {
            throw JmsExceptions.toRuntime(e);
        }
    }

    @Override
    public Message receive(long timeout) {
        try {
            return consumer.receive(timeout);
        } catch (JMSException e) {
            throw JmsExceptions.toRuntime(e);
        }
    }

    @Override
    public Message receiveNoWait() {
        try {
            return consumer.receiveNoWait();
        } catch (JMSException e) {
            throw JmsExceptions.toRuntime(e);
        }
    }

    @Override
    public void close() {
        try {
            consumer.close();
        } catch (JMSException e) {
            throw JmsExceptions.toRuntime(e);
        }
    }

    @Override
    public <T> T receiveBody(Class<T> c) {
        return receiveBodyWithin(c, -1);
    }

    /** A timeout of zero (or less) never expires, as for {@code receive(long)}. */
    @Override
    public <T> T receiveBody(Class<T> c, long timeout) {
        return receiveBodyWithin(c, timeout <= 0 ? -1 : timeout);
    }

    @Override
    public <T> T receiveBodyNoWait(Class<T> c) {
        return receiveBodyWithin(c, 0);
    }

    private <T> T receiveBodyWithin(Class<T> c, long timeoutMillis) {
        try {
            return consumer.receiveBody(timeoutMillis, message -> bodyOf(message, c));
        } catch (JMSException e) {
            throw JmsExceptions.toRuntime(e);
        }
    }

    /**
     * The body as {@code receiveBody} returns it: only text, bytes, map and object messages qualify, and
     * only with a body that can be assigned to {@code c}.
     *
     * @throws MessageFormatException when the message is a plain or stream message, has no body, or its
     *                                body is not assignable to {@code c} (or cannot be deserialized)
     */
    static <T> T bodyOf(Message message, Class<T> c) throws JMSException {
        if (!(message instanceof TextMessage || message instanceof BytesMessage || message instanceof MapMessage
                || message instanceof ObjectMessage)) {
            throw new MessageFormatException("receiveBody cannot return the body of a "
                    + kindOf(message) + "; only TextMessage, BytesMessage, MapMessage and ObjectMessage qualify");
        }
        T body = message.getBody(c);
        if (body == null) {
            throw new MessageFormatException("receiveBody received a " + kindOf(message) + " without a body");
        }
        return body;
    }

    private static String kindOf(Message message) {
        for (Class<?> kind : message.getClass().getInterfaces()) {
            if (Message.class.isAssignableFrom(kind)) {
                return kind.getSimpleName();
            }
        }
        return "Message";
    }

    @Override
    public String toString() {
        return "TernJMSConsumer[" + consumer + "]";
    }
}
