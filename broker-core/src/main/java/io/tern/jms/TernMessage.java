package io.tern.jms;

import io.tern.protocol.Address;
import io.tern.protocol.MessageSnapshot;
import io.tern.protocol.MessageSnapshot.BodyType;
import jakarta.jms.DeliveryMode;
import jakarta.jms.Destination;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageFormatException;
import jakarta.jms.MessageNotWriteableException;

import java.nio.charset.StandardCharsets;
import java.util.Enumeration;

/**
 * Tern's {@link Message}: headers, properties and, in the subclasses, the five body types.
 *
 * <p>A message travels as an immutable {@link MessageSnapshot}: {@link #toSnapshot} takes one when the
 * message is sent, so later changes to this object are never seen by consumers, and
 * {@link #fromSnapshot} makes a fresh object for each delivery, with read-only properties and body that
 * share the snapshot's immutable data until cleared.
 *
 * <p>Not thread-safe: as the spec says of messages, one thread at a time uses a message object.
 */
public class TernMessage implements Message {

    private String messageId;
    private long timestamp;
    private String correlationId;
    /** Exactly what setJMSCorrelationIDAsBytes was given; never written after it is set, so it may be shared. */
    private byte[] correlationIdBytes;
    private Destination replyTo;
    private Destination destination;
    private int deliveryMode = DeliveryMode.PERSISTENT;
    private boolean redelivered;
    private String type;
    private long expiration;
    private long deliveryTime;
    private int priority = Message.DEFAULT_PRIORITY;

    private MessageProperties properties = new MessageProperties();
    /** True on a received message until clearBody; for bytes and stream messages it also means read mode. */
    boolean bodyReadOnly;
    private MessageAcknowledger acknowledger;

    public TernMessage() {
    }

    /**
     * A fresh message object for one delivery of {@code snapshot}: headers as sent, properties and body
     * read-only (bytes and stream bodies in read mode), {@code JMSXDeliveryCount} equal to
     * {@code deliveryCount} (1 on the first delivery; below 1, no such property). Each call gives an
     * independent object.
     */
    public static TernMessage fromSnapshot(MessageSnapshot snapshot, boolean redelivered, int deliveryCount) {
        TernMessage m = switch (snapshot.bodyType()) {
            case MESSAGE -> new TernMessage();
            case TEXT -> new TernTextMessage();
            case BYTES -> new TernBytesMessage();
            case MAP -> new TernMapMessage();
            case STREAM -> new TernStreamMessage();
            case OBJECT -> new TernObjectMessage();
        };
        m.messageId = snapshot.messageId();
        m.timestamp = snapshot.timestamp();
        m.correlationId = snapshot.correlationId();
        m.correlationIdBytes = snapshot.correlationIdBytes();
        m.replyTo = TernDestination.of(snapshot.replyTo());
        m.destination = TernDestination.of(snapshot.destination());
        m.deliveryMode = snapshot.deliveryMode();
        m.redelivered = redelivered;
        m.type = snapshot.type();
        m.expiration = snapshot.expiration();
        m.deliveryTime = snapshot.deliveryTime();
        m.priority = snapshot.priority();
        m.properties = new MessageProperties(snapshot.properties(), deliveryCount);
        m.loadSnapshotBody(snapshot.body());
        m.bodyReadOnly = true;
        return m;
    }

    /**
     * A Tern message with the headers, properties and body of a message of any provider, as the spec
     * requires a provider to accept foreign messages in {@code send}. Reading the body of a foreign
     * {@code StreamMessage} (and of a {@code BytesMessage} whose provider cannot return it through
     * {@code getBody}) leaves that message reset to read mode.
     */
    public static TernMessage copyOf(Message message) throws JMSException {
        return ForeignMessages.copyOf(message);
    }

    /**
     * An immutable snapshot of the message as it is now, for sending. Destinations of other providers
     * become Tern addresses by their name. Nothing of the snapshot changes when this object changes later.
     *
     * @throws jakarta.jms.InvalidDestinationException when JMSDestination or JMSReplyTo is a destination
     *                                                 that is neither a Queue nor a Topic
     */
    public MessageSnapshot toSnapshot(String producerId, long producerSequence) throws JMSException {
        return MessageSnapshot.builder()
                .messageId(messageId)
                .timestamp(timestamp)
                .correlationId(correlationId)
                .correlationIdBytes(correlationIdBytes)
                .replyTo(addressOf(replyTo))
                .destination(addressOf(destination))
                .type(type)
                .deliveryMode(deliveryMode)
                .expiration(expiration)
                .priority(priority)
                .deliveryTime(deliveryTime)
                .producerId(producerId)
                .producerSequence(producerSequence)
                .properties(properties.values())
                .body(bodyType(), snapshotBody())
                .build();
    }

    private static Address addressOf(Destination d) throws JMSException {
        return d == null ? null : TernDestination.from(d).address();
    }

    /** Makes {@link #acknowledge()} call {@code acknowledger}; the consumer sets it on each delivery. */
    public void setAcknowledger(MessageAcknowledger acknowledger) {
        this.acknowledger = acknowledger;
    }

    // ---- body hooks, overridden by the body types ----

    BodyType bodyType() {
        return BodyType.MESSAGE;
    }

    /** The body as {@link MessageSnapshot#body()} holds it, sharing nothing that this object may change. */
    Object snapshotBody() throws JMSException {
        return null;
    }

    /** Takes a snapshot's body, read-only; the snapshot's data may be shared as it never changes. */
    void loadSnapshotBody(Object body) {
    }

    /** Empties the body and makes it writable (write mode for bytes and stream bodies). */
    void clearBodyContent() {
    }

    /** False when the body is absent or empty, which is when getBody returns null for any type. */
    boolean hasBody() {
        return false;
    }

    /** The type getBody returns when there is a body. */
    Class<?> bodyClass() {
        return Void.class;
    }

    /** A copy of the body as getBody returns it; called only when hasBody() is true. */
    Object copyOfBody() throws JMSException {
        return null;
    }

    final void checkBodyWritable() throws MessageNotWriteableException {
        if (bodyReadOnly) {
            throw new MessageNotWriteableException("the body of " + getClass().getSimpleName()
                    + " is read-only (received, or reset) until clearBody() is called");
        }
    }

    @Override
    public void clearBody() throws JMSException {
        clearBodyContent();
        bodyReadOnly = false;
    }

    @Override
    public <T> T getBody(Class<T> c) throws JMSException {
        if (!hasBody()) {
            return null;
        }
        if (c == null || !c.isAssignableFrom(bodyClass())) {
            throw new MessageFormatException("the body of " + getClass().getSimpleName() + " is a "
                    + bodyClass().getName() + " and cannot be returned as " + (c == null ? "null" : c.getName()));
        }
        return c.cast(copyOfBody());
    }

    @Override
    @SuppressWarnings({"rawtypes", "unchecked"})
    public boolean isBodyAssignableTo(Class c) throws JMSException {
        return !hasBody() || (c != null && c.isAssignableFrom(bodyClass()));
    }

    @Override
    public void acknowledge() throws JMSException {
        if (acknowledger != null) {
            acknowledger.acknowledge();
        }
    }

    // ---- headers ----

    @Override
    public String getJMSMessageID() {
        return messageId;
    }

    @Override
    public void setJMSMessageID(String id) {
        this.messageId = id;
    }

    @Override
    public long getJMSTimestamp() {
        return timestamp;
    }

    @Override
    public void setJMSTimestamp(long timestamp) {
        this.timestamp = timestamp;
    }

    /** The bytes as set, or the UTF-8 form of a correlation ID set as a String. */
    @Override
    public byte[] getJMSCorrelationIDAsBytes() {
        if (correlationIdBytes != null) {
            return correlationIdBytes.clone();
        }
        return correlationId == null ? null : correlationId.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Keeps the bytes exactly; {@link #getJMSCorrelationID()} (and selectors) then see them decoded as
     * UTF-8, which is lossless for bytes that are valid UTF-8.
     */
    @Override
    public void setJMSCorrelationIDAsBytes(byte[] correlationID) {
        if (correlationID == null) {
            this.correlationIdBytes = null;
            this.correlationId = null;
        } else {
            this.correlationIdBytes = correlationID.clone();
            this.correlationId = new String(correlationID, StandardCharsets.UTF_8);
        }
    }

    @Override
    public void setJMSCorrelationID(String correlationID) {
        this.correlationId = correlationID;
        this.correlationIdBytes = null;
    }

    @Override
    public String getJMSCorrelationID() {
        return correlationId;
    }

    @Override
    public Destination getJMSReplyTo() {
        return replyTo;
    }

    @Override
    public void setJMSReplyTo(Destination replyTo) {
        this.replyTo = replyTo;
    }

    @Override
    public Destination getJMSDestination() {
        return destination;
    }

    @Override
    public void setJMSDestination(Destination destination) {
        this.destination = destination;
    }

    @Override
    public int getJMSDeliveryMode() {
        return deliveryMode;
    }

    @Override
    public void setJMSDeliveryMode(int deliveryMode) {
        this.deliveryMode = deliveryMode;
    }

    @Override
    public boolean getJMSRedelivered() {
        return redelivered;
    }

    @Override
    public void setJMSRedelivered(boolean redelivered) {
        this.redelivered = redelivered;
    }

    @Override
    public String getJMSType() {
        return type;
    }

    @Override
    public void setJMSType(String type) {
        this.type = type;
    }

    @Override
    public long getJMSExpiration() {
        return expiration;
    }

    @Override
    public void setJMSExpiration(long expiration) {
        this.expiration = expiration;
    }

    @Override
    public long getJMSDeliveryTime() {
        return deliveryTime;
    }

    @Override
    public void setJMSDeliveryTime(long deliveryTime) {
        this.deliveryTime = deliveryTime;
    }

    @Override
    public int getJMSPriority() {
        return priority;
    }

    @Override
    public void setJMSPriority(int priority) {
        this.priority = priority;
    }

    // ---- properties ----

    @Override
    public void clearProperties() {
        properties.clear();
    }

    @Override
    public boolean propertyExists(String name) {
        return properties.exists(name);
    }

    @Override
    public boolean getBooleanProperty(String name) throws JMSException {
        return ValueConversions.toBoolean(properties.get(name));
    }

    @Override
    public byte getByteProperty(String name) throws JMSException {
        return ValueConversions.toByte(properties.get(name));
    }

    @Override
    public short getShortProperty(String name) throws JMSException {
        return ValueConversions.toShort(properties.get(name));
    }

    @Override
    public int getIntProperty(String name) throws JMSException {
        return ValueConversions.toInt(properties.get(name));
    }

    @Override
    public long getLongProperty(String name) throws JMSException {
        return ValueConversions.toLong(properties.get(name));
    }

    @Override
    public float getFloatProperty(String name) throws JMSException {
        return ValueConversions.toFloat(properties.get(name));
    }

    @Override
    public double getDoubleProperty(String name) throws JMSException {
        return ValueConversions.toDouble(properties.get(name));
    }

    @Override
    public String getStringProperty(String name) throws JMSException {
        return ValueConversions.toText(properties.get(name));
    }

    @Override
    public Object getObjectProperty(String name) {
        return properties.get(name);
    }

    @Override
    public Enumeration<String> getPropertyNames() {
        return properties.names();
    }

    @Override
    public void setBooleanProperty(String name, boolean value) throws JMSException {
        properties.set(name, value);
    }

    @Override
    public void setByteProperty(String name, byte value) throws JMSException {
        properties.set(name, value);
    }

    @Override
    public void setShortProperty(String name, short value) throws JMSException {
        properties.set(name, value);
    }

    @Override
    public void setIntProperty(String name, int value) throws JMSException {
        properties.set(name, value);
    }

    @Override
    public void setLongProperty(String name, long value) throws JMSException {
        properties.set(name, value);
    }

    @Override
    public void setFloatProperty(String name, float value) throws JMSException {
        properties.set(name, value);
    }

    @Override
    public void setDoubleProperty(String name, double value) throws JMSException {
        properties.set(name, value);
    }

    @Override
    public void setStringProperty(String name, String value) throws JMSException {
        properties.set(name, value);
    }

    @Override
    public void setObjectProperty(String name, Object value) throws JMSException {
        properties.set(name, value);
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[id=" + messageId + ", destination=" + destination
                + (redelivered ? ", redelivered" : "") + "]";
    }
}
