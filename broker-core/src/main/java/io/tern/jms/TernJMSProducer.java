package io.tern.jms;

import jakarta.jms.BytesMessage;
import jakarta.jms.CompletionListener;
import jakarta.jms.DeliveryMode;
import jakarta.jms.Destination;
import jakarta.jms.InvalidDestinationRuntimeException;
import jakarta.jms.JMSException;
import jakarta.jms.JMSProducer;
import jakarta.jms.MapMessage;
import jakarta.jms.Message;
import jakarta.jms.MessageFormatRuntimeException;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Tern's {@link JMSProducer}: send options, message properties and headers kept here and applied to each
 * message at send, over whatever the message itself holds (JMSProducer javadoc). It sends through its
 * context's anonymous {@link TernMessageProducer}, so it holds no broker resources of its own.
 *
 * <p><b>Threading.</b> Used by one thread at a time, like the context that made it.
 */
public class TernJMSProducer implements JMSProducer {

    private final TernJMSContext context;
    private int deliveryMode = DeliveryMode.PERSISTENT;
    private int priority = Message.DEFAULT_PRIORITY;
    private long timeToLive = Message.DEFAULT_TIME_TO_LIVE;
    private long deliveryDelay = Message.DEFAULT_DELIVERY_DELAY;
    private boolean disableMessageID;
    private boolean disableMessageTimestamp;
    private CompletionListener completionListener;
    /** Property values as the application set them; null is a valid value, as on a message. */
    private final Map<String, Object> properties = new LinkedHashMap<>();
    private String correlationId;
    /** Set only by setJMSCorrelationIDAsBytes, and then sent as bytes. */
    private byte[] correlationIdBytes;
    private String type;
    private Destination replyTo;

    TernJMSProducer(TernJMSContext context) {
        this.context = context;
    }

    // ---------------------------------------------------------------- sends

    @Override
    public JMSProducer send(Destination destination, Message message) {
        checkDestination(destination);
        if (message == null) {
            throw new MessageFormatRuntimeException("message is null");
        }
        try {
            applyHeadersAndProperties(message);
            TernMessageProducer sender = context.sender();
            sender.setDeliveryDelay(deliveryDelay);
            sender.setDisableMessageID(disableMessageID);
            sender.setDisableMessageTimestamp(disableMessageTimestamp);
            if (completionListener == null) {
                sender.send(destination, message, deliveryMode, priority, timeToLive);
            } else {
                sender.send(destination, message, deliveryMode, priority, timeToLive, completionListener);
            }
        } catch (JMSException e) {
            throw JmsExceptions.toRuntime(e);
        }
        return this;
    }

    /** A null body sends a TextMessage without text. */
    @Override
    public JMSProducer send(Destination destination, String body) {
        checkDestination(destination);
        return send(destination, context.createTextMessage(body));
    }

    /** A null body sends a MapMessage without entries. */
    @Override
    public JMSProducer send(Destination destination, Map<String, Object> body) {
        checkDestination(destination);
        MapMessage message = context.createMapMessage();
        if (body != null) {
            try {
                for (Map.Entry<String, Object> entry : body.entrySet()) {
                    message.setObject(entry.getKey(), entry.getValue());
                }
            } catch (JMSException e) {
                throw JmsExceptions.toRuntime(e);
            }
        }
        return send(destination, message);
    }

    /** A null body sends a BytesMessage without a body. */
    @Override
    public JMSProducer send(Destination destination, byte[] body) {
        checkDestination(destination);
        BytesMessage message = context.createBytesMessage();
        if (body != null) {
            try {
                message.writeBytes(body);
            } catch (JMSException e) {
                throw JmsExceptions.toRuntime(e);
            }
        }
        return send(destination, message);
    }

    /** A null body sends an ObjectMessage without an object. */
    @Override
    public JMSProducer send(Destination destination, Serializable body) {
        checkDestination(destination);
        return send(destination, context.createObjectMessage(body));
    }

    /** Checked before a message is made for a body, so a null destination fails as the spec says. */
    private void checkDestination(Destination destination) {
        context.checkOpen();
        if (destination == null) {
            throw new InvalidDestinationRuntimeException("destination is null");
        }
    }

    /** Producer headers and properties override the message's own (JMSProducer javadoc). */
    private void applyHeadersAndProperties(Message message) throws JMSException {
        if (correlationIdBytes != null) {
            message.setJMSCorrelationIDAsBytes(correlationIdBytes);
        } else if (correlationId != null) {
            message.setJMSCorrelationID(correlationId);
        }
        if (type != null) {
            message.setJMSType(type);
        }
        if (replyTo != null) {
            message.setJMSReplyTo(replyTo);
        }
        for (Map.Entry<String, Object> p : properties.entrySet()) {
            message.setObjectProperty(p.getKey(), p.getValue());
        }
    }

    // ---------------------------------------------------------------- send options

    @Override
    public JMSProducer setDisableMessageID(boolean value) {
        disableMessageID = value;
        return this;
    }

    @Override
    public boolean getDisableMessageID() {
        return disableMessageID;
    }

    @Override
    public JMSProducer setDisableMessageTimestamp(boolean value) {
        disableMessageTimestamp = value;
        return this;
    }

    @Override
    public boolean getDisableMessageTimestamp() {
        return disableMessageTimestamp;
    }

    /** @throws jakarta.jms.JMSRuntimeException unless PERSISTENT or NON_PERSISTENT */
    @Override
    public JMSProducer setDeliveryMode(int deliveryMode) {
        try {
            TernMessageProducer.checkDeliveryMode(deliveryMode);
        } catch (JMSException e) {
            throw JmsExceptions.toRuntime(e);
        }
        this.deliveryMode = deliveryMode;
        return this;
    }

    @Override
    public int getDeliveryMode() {
        return deliveryMode;
    }

    /** @throws jakarta.jms.JMSRuntimeException unless 0 to 9 */
    @Override
    public JMSProducer setPriority(int priority) {
        try {
            TernMessageProducer.checkPriority(priority);
        } catch (JMSException e) {
            throw JmsExceptions.toRuntime(e);
        }
        this.priority = priority;
        return this;
    }

    @Override
    public int getPriority() {
        return priority;
    }

    @Override
    public JMSProducer setTimeToLive(long timeToLive) {
        this.timeToLive = timeToLive;
        return this;
    }

    @Override
    public long getTimeToLive() {
        return timeToLive;
    }

    @Override
    public JMSProducer setDeliveryDelay(long deliveryDelay) {
        this.deliveryDelay = deliveryDelay;
        return this;
    }

    @Override
    public long getDeliveryDelay() {
        return deliveryDelay;
    }

    /** A listener makes later sends asynchronous; null makes them synchronous again. */
    @Override
    public JMSProducer setAsync(CompletionListener completionListener) {
        this.completionListener = completionListener;
        return this;
    }

    @Override
    public CompletionListener getAsync() {
        return completionListener;
    }

    // ---------------------------------------------------------------- properties

    @Override
    public JMSProducer setProperty(String name, boolean value) {
        return putProperty(name, value);
    }

    @Override
    public JMSProducer setProperty(String name, byte value) {
        return putProperty(name, value);
    }

    @Override
    public JMSProducer setProperty(String name, short value) {
        return putProperty(name, value);
    }

    @Override
    public JMSProducer setProperty(String name, int value) {
        return putProperty(name, value);
    }

    @Override
    public JMSProducer setProperty(String name, long value) {
        return putProperty(name, value);
    }

    @Override
    public JMSProducer setProperty(String name, float value) {
        return putProperty(name, value);
    }

    @Override
    public JMSProducer setProperty(String name, double value) {
        return putProperty(name, value);
    }

    @Override
    public JMSProducer setProperty(String name, String value) {
        return putProperty(name, value);
    }

    /**
     * @throws IllegalArgumentException       when the name is not a valid property name
     * @throws MessageFormatRuntimeException when the value is not a boxed primitive (but Character) or a String
     */
    @Override
    public JMSProducer setProperty(String name, Object value) {
        return putProperty(name, value);
    }

    /** The same name and type rules as message properties ({@link MessageProperties}). */
    private JMSProducer putProperty(String name, Object value) {
        MessageProperties.checkName(name);
        if (value != null && !ValueConversions.isPropertyType(value)) {
            throw new MessageFormatRuntimeException("property " + name + " cannot hold a value of type "
                    + ValueConversions.typeName(value)
                    + ": only Boolean, Byte, Short, Integer, Long, Float, Double and String are allowed");
        }
        properties.put(name, value);
        return this;
    }

    @Override
    public JMSProducer clearProperties() {
        properties.clear();
        return this;
    }

    @Override
    public boolean propertyExists(String name) {
        return properties.containsKey(name);
    }

    @Override
    public boolean getBooleanProperty(String name) {
        try {
            return ValueConversions.toBoolean(properties.get(name));
        } catch (JMSException e) {
            throw JmsExceptions.toRuntime(e);
        }
    }

    @Override
    public byte getByteProperty(String name) {
        try {
            return ValueConversions.toByte(properties.get(name));
        } catch (JMSException e) {
            throw JmsExceptions.toRuntime(e);
        }
    }

    @Override
    public short getShortProperty(String name) {
        try {
            return ValueConversions.toShort(properties.get(name));
        } catch (JMSException e) {
            throw JmsExceptions.toRuntime(e);
        }
    }

    @Override
    public int getIntProperty(String name) {
        try {
            return ValueConversions.toInt(properties.get(name));
        } catch (JMSException e) {
            throw JmsExceptions.toRuntime(e);
        }
    }

    @Override
    public long getLongProperty(String name) {
        try {
            return ValueConversions.toLong(properties.get(name));
        } catch (JMSException e) {
            throw JmsExceptions.toRuntime(e);
        }
    }

    @Override
    public float getFloatProperty(String name) {
        try {
            return ValueConversions.toFloat(properties.get(name));
        } catch (JMSException e) {
            throw JmsExceptions.toRuntime(e);
        }
    }

    @Override
    public double getDoubleProperty(String name) {
        try {
            return ValueConversions.toDouble(properties.get(name));
        } catch (JMSException e) {
            throw JmsExceptions.toRuntime(e);
        }
    }

    @Override
    public String getStringProperty(String name) {
        try {
            return ValueConversions.toText(properties.get(name));
        } catch (JMSException e) {
            throw JmsExceptions.toRuntime(e);
        }
    }

    @Override
    public Object getObjectProperty(String name) {
        return properties.get(name);
    }

    /** A read-only view that follows later changes, as the javadoc asks. */
    @Override
    public Set<String> getPropertyNames() {
        return Collections.unmodifiableSet(properties.keySet());
    }

    // ---------------------------------------------------------------- headers

    /** The bytes are copied; consumers see them exactly, as set on a message. */
    @Override
    public JMSProducer setJMSCorrelationIDAsBytes(byte[] correlationID) {
        if (correlationID == null) {
            correlationIdBytes = null;
            correlationId = null;
        } else {
            correlationIdBytes = correlationID.clone();
            correlationId = new String(correlationID, StandardCharsets.UTF_8);
        }
        return this;
    }

    /** The bytes as set, or the UTF-8 form of a correlation ID set as a String, as for a message. */
    @Override
    public byte[] getJMSCorrelationIDAsBytes() {
        if (correlationIdBytes != null) {
            return correlationIdBytes.clone();
        }
        return correlationId == null ? null : correlationId.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public JMSProducer setJMSCorrelationID(String correlationID) {
        correlationId = correlationID;
        correlationIdBytes = null;
        return this;
    }

    @Override
    public String getJMSCorrelationID() {
        return correlationId;
    }

    @Override
    public JMSProducer setJMSType(String type) {
        this.type = type;
        return this;
    }

    @Override
    public String getJMSType() {
        return type;
    }

    @Override
    public JMSProducer setJMSReplyTo(Destination replyTo) {
        this.replyTo = replyTo;
        return this;
    }

    @Override
    public Destination getJMSReplyTo() {
        return replyTo;
    }
}
