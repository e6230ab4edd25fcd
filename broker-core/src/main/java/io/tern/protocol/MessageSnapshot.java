package io.tern.protocol;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An immutable message as the broker holds it: taken from the producer's message object at send
 * time, shared by the broker's destinations and stores, and turned into a fresh message object for
 * each consumer. Nobody mutates it; byte arrays inside it (bytes and object bodies, byte values of
 * map and stream bodies, the correlation ID bytes) are owned by the snapshot and are never written
 * after construction, so they may be shared read-only.
 *
 * <p>Per-delivery facts (redelivered flag, delivery count) are not part of the snapshot: the broker
 * keeps them beside it.
 */
public final class MessageSnapshot {

    /** The body kinds of the spec: plain Message and the five subtypes. */
    public enum BodyType {
        MESSAGE, TEXT, BYTES, MAP, STREAM, OBJECT
    }

    private final String messageId;
    private final long timestamp;
    private final String correlationId;
    private final byte[] correlationIdBytes;
    private final Address replyTo;
    private final Address destination;
    private final String type;
    private final int deliveryMode;
    private final long expiration;
    private final int priority;
    private final long deliveryTime;
    private final String producerId;
    private final long producerSequence;
    private final Map<String, Object> properties;
    private final BodyType bodyType;
    private final Object body;
    private final int estimatedSize;
    private volatile byte[] encoded;

    private MessageSnapshot(Builder b) {
        this.messageId = b.messageId;
        this.timestamp = b.timestamp;
        this.correlationId = b.correlationId;
        this.correlationIdBytes = b.correlationIdBytes;
        this.replyTo = b.replyTo;
        this.destination = b.destination;
        this.type = b.type;
        this.deliveryMode = b.deliveryMode;
        this.expiration = b.expiration;
        this.priority = b.priority;
        this.deliveryTime = b.deliveryTime;
        this.producerId = b.producerId;
        this.producerSequence = b.producerSequence;
        this.properties = b.properties == null || b.properties.isEmpty()
                ? Map.of()
                : Collections.unmodifiableMap(new LinkedHashMap<>(b.properties));
        this.bodyType = b.bodyType;
        this.body = b.body;
        this.estimatedSize = estimateSize();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder preset with every field of this snapshot, to derive a changed copy. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.messageId = messageId;
        b.timestamp = timestamp;
        b.correlationId = correlationId;
        b.correlationIdBytes = correlationIdBytes;
        b.replyTo = replyTo;
        b.destination = destination;
        b.type = type;
        b.deliveryMode = deliveryMode;
        b.expiration = expiration;
        b.priority = priority;
        b.deliveryTime = deliveryTime;
        b.producerId = producerId;
        b.producerSequence = producerSequence;
        b.properties = new LinkedHashMap<>(properties);
        b.bodyType = bodyType;
        b.body = body;
        return b;
    }

    public String messageId() {
        return messageId;
    }

    public long timestamp() {
        return timestamp;
    }

    public String correlationId() {
        return correlationId;
    }

    /** The correlation ID as bytes when it was set as bytes, else null. Never modify the array. */
    public byte[] correlationIdBytes() {
        return correlationIdBytes;
    }

    public Address replyTo() {
        return replyTo;
    }

    public Address destination() {
        return destination;
    }

    public String type() {
        return type;
    }

    /** {@code jakarta.jms.DeliveryMode.PERSISTENT} or {@code NON_PERSISTENT}. */
    public int deliveryMode() {
        return deliveryMode;
    }

    public boolean isPersistent() {
        return deliveryMode == jakarta.jms.DeliveryMode.PERSISTENT;
    }

    /** Absolute expiry time in epoch milliseconds; 0 for never. */
    public long expiration() {
        return expiration;
    }

    public boolean isExpired(long nowMillis) {
        return expiration != 0 && expiration <= nowMillis;
    }

    public int priority() {
        return priority;
    }

    /** Earliest delivery time in epoch milliseconds (send time plus delivery delay). */
    public long deliveryTime() {
        return deliveryTime;
    }

    /** The producer that sent it (unique within the broker's lifetime), for duplicate detection. */
    public String producerId() {
        return producerId;
    }

    /** The producer's sequence number of this send, for duplicate detection. */
    public long producerSequence() {
        return producerSequence;
    }

    /** Application and JMSX properties, in the order set; values are boxed primitives or String. */
    public Map<String, Object> properties() {
        return properties;
    }

    public BodyType bodyType() {
        return bodyType;
    }

    /**
     * The body: null for MESSAGE or an unset body; String for TEXT; byte[] for BYTES and OBJECT
     * (serialized form); an unmodifiable {@code Map<String,Object>} for MAP; an unmodifiable
     * {@code List<Object>} for STREAM. Never modify what it returns.
     */
    public Object body() {
        return body;
    }

    /** An estimate of the heap the message takes, used for memory limits. */
    public int estimatedSize() {
        return estimatedSize;
    }

    /** The encoded form, if somebody encoded it already; set once by the codec and shared after. */
    public byte[] cachedEncoding() {
        return encoded;
    }

    public void cacheEncoding(byte[] bytes) {
        this.encoded = bytes;
    }

    private int estimateSize() {
        int size = 200;
        if (messageId != null) {
            size += 2 * messageId.length();
        }
        for (Map.Entry<String, Object> e : properties.entrySet()) {
            size += 48 + 2 * e.getKey().length() + valueSize(e.getValue());
        }
        if (body != null) {
            size += valueSize(body);
        }
        return size;
    }

    private static int valueSize(Object v) {
        if (v instanceof String s) {
            return 40 + 2 * s.length();
        }
        if (v instanceof byte[] b) {
            return 16 + b.length;
        }
        if (v instanceof Map<?, ?> m) {
            int size = 64;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                size += 48 + valueSize(e.getKey()) + valueSize(e.getValue());
            }
            return size;
        }
        if (v instanceof List<?> l) {
            int size = 64;
            for (Object o : l) {
                size += 8 + valueSize(o);
            }
            return size;
        }
        return 16;
    }

    @Override
    public String toString() {
        return "MessageSnapshot[" + messageId + " to " + destination + ", " + bodyType + "]";
    }

    /** Collects the fields of a snapshot; not thread-safe. */
    public static final class Builder {
        private String messageId;
        private long timestamp;
        private String correlationId;
        private byte[] correlationIdBytes;
        private Address replyTo;
        private Address destination;
        private String type;
        private int deliveryMode = jakarta.jms.DeliveryMode.PERSISTENT;
        private long expiration;
        private int priority = 4;
        private long deliveryTime;
        private String producerId;
        private long producerSequence;
        private Map<String, Object> properties;
        private BodyType bodyType = BodyType.MESSAGE;
        private Object body;

        private Builder() {
        }

        public Builder messageId(String v) {
            messageId = v;
            return this;
        }

        public Builder timestamp(long v) {
            timestamp = v;
            return this;
        }

        public Builder correlationId(String v) {
            correlationId = v;
            return this;
        }

        public Builder correlationIdBytes(byte[] v) {
            correlationIdBytes = v;
            return this;
        }

        public Builder replyTo(Address v) {
            replyTo = v;
            return this;
        }

        public Builder destination(Address v) {
            destination = v;
            return this;
        }

        public Builder type(String v) {
            type = v;
            return this;
        }

        public Builder deliveryMode(int v) {
            deliveryMode = v;
            return this;
        }

        public Builder expiration(long v) {
            expiration = v;
            return this;
        }

        public Builder priority(int v) {
            priority = v;
            return this;
        }

        public Builder deliveryTime(long v) {
            deliveryTime = v;
            return this;
        }

        public Builder producerId(String v) {
            producerId = v;
            return this;
        }

        public Builder producerSequence(long v) {
            producerSequence = v;
            return this;
        }

        /** Takes a copy of the map when the snapshot is built. */
        public Builder properties(Map<String, Object> v) {
            properties = v;
            return this;
        }

        /** The body object as {@link MessageSnapshot#body()} describes; ownership passes to the snapshot. */
        public Builder body(BodyType type, Object value) {
            bodyType = type;
            body = value;
            return this;
        }

        public MessageSnapshot build() {
            return new MessageSnapshot(this);
        }
    }
}
