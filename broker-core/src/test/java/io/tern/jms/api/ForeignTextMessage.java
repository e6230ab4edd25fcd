package io.tern.jms.api;

import jakarta.jms.Destination;
import jakarta.jms.JMSException;
import jakarta.jms.MessageFormatException;
import jakarta.jms.TextMessage;

import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;

/** A TextMessage of "another provider": a plain implementation of the interface, nothing of Tern in it. */
final class ForeignTextMessage implements TextMessage {

    private String text;
    private final Map<String, Object> properties = new LinkedHashMap<>();
    private String messageId;
    private long timestamp;
    private String correlationId;
    private Destination replyTo;
    private Destination destination;
    private int deliveryMode;
    private boolean redelivered;
    private String type;
    private long expiration;
    private long deliveryTime;
    private int priority;

    ForeignTextMessage(String text) {
        this.text = text;
    }

    @Override public void setText(String string) { text = string; }
    @Override public String getText() { return text; }
    @Override public String getJMSMessageID() { return messageId; }
    @Override public void setJMSMessageID(String id) { messageId = id; }
    @Override public long getJMSTimestamp() { return timestamp; }
    @Override public void setJMSTimestamp(long t) { timestamp = t; }
    @Override public byte[] getJMSCorrelationIDAsBytes() throws JMSException {
        throw new JMSException("byte correlation IDs are not supported by this provider");
    }
    @Override public void setJMSCorrelationIDAsBytes(byte[] id) throws JMSException {
        throw new JMSException("byte correlation IDs are not supported by this provider");
    }
    @Override public void setJMSCorrelationID(String id) { correlationId = id; }
    @Override public String getJMSCorrelationID() { return correlationId; }
    @Override public Destination getJMSReplyTo() { return replyTo; }
    @Override public void setJMSReplyTo(Destination d) { replyTo = d; }
    @Override public Destination getJMSDestination() { return destination; }
    @Override public void setJMSDestination(Destination d) { destination = d; }
    @Override public int getJMSDeliveryMode() { return deliveryMode; }
    @Override public void setJMSDeliveryMode(int mode) { deliveryMode = mode; }
    @Override public boolean getJMSRedelivered() { return redelivered; }
    @Override public void setJMSRedelivered(boolean r) { redelivered = r; }
    @Override public String getJMSType() { return type; }
    @Override public void setJMSType(String t) { type = t; }
    @Override public long getJMSExpiration() { return expiration; }
    @Override public void setJMSExpiration(long e) { expiration = e; }
    @Override public long getJMSDeliveryTime() { return deliveryTime; }
    @Override public void setJMSDeliveryTime(long t) { deliveryTime = t; }
    @Override public int getJMSPriority() { return priority; }
    @Override public void setJMSPriority(int p) { priority = p; }
    @Override public void clearProperties() { properties.clear(); }
    @Override public boolean propertyExists(String name) { return properties.containsKey(name); }

    private Object prop(String name) {
        return properties.get(name);
    }

    @Override public boolean getBooleanProperty(String name) throws JMSException {
        return cast(name, Boolean.class);
    }
    @Override public byte getByteProperty(String name) throws JMSException { return cast(name, Byte.class); }
    @Override public short getShortProperty(String name) throws JMSException { return cast(name, Short.class); }
    @Override public int getIntProperty(String name) throws JMSException { return cast(name, Integer.class); }
    @Override public long getLongProperty(String name) throws JMSException { return cast(name, Long.class); }
    @Override public float getFloatProperty(String name) throws JMSException { return cast(name, Float.class); }
    @Override public double getDoubleProperty(String name) throws JMSException { return cast(name, Double.class); }
    @Override public String getStringProperty(String name) {
        Object v = prop(name);
        return v == null ? null : v.toString();
    }
    @Override public Object getObjectProperty(String name) { return prop(name); }
    @Override public Enumeration<String> getPropertyNames() {
        return Collections.enumeration(properties.keySet());
    }

    private <T> T cast(String name, Class<T> type) throws JMSException {
        Object v = prop(name);
        if (!type.isInstance(v)) {
            throw new MessageFormatException(name + " is not a " + type.getSimpleName());
        }
        return type.cast(v);
    }

    @Override public void setBooleanProperty(String name, boolean v) { properties.put(name, v); }
    @Override public void setByteProperty(String name, byte v) { properties.put(name, v); }
    @Override public void setShortProperty(String name, short v) { properties.put(name, v); }
    @Override public void setIntProperty(String name, int v) { properties.put(name, v); }
    @Override public void setLongProperty(String name, long v) { properties.put(name, v); }
    @Override public void setFloatProperty(String name, float v) { properties.put(name, v); }
    @Override public void setDoubleProperty(String name, double v) { properties.put(name, v); }
    @Override public void setStringProperty(String name, String v) { properties.put(name, v); }
    @Override public void setObjectProperty(String name, Object v) { properties.put(name, v); }
    @Override public void acknowledge() { }
    @Override public void clearBody() { text = null; }

    @Override
    public <T> T getBody(Class<T> c) throws JMSException {
        if (text == null) {
            return null;
        }
        if (!c.isAssignableFrom(String.class)) {
            throw new MessageFormatException("body is a String");
        }
        return c.cast(text);
    }

    @Override
    @SuppressWarnings("rawtypes")
    public boolean isBodyAssignableTo(Class c) {
        return text == null || c.isAssignableFrom(String.class);
    }
}
