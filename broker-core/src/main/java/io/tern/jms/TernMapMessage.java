package io.tern.jms;

import io.tern.protocol.MessageSnapshot.BodyType;
import jakarta.jms.JMSException;
import jakarta.jms.MapMessage;
import jakarta.jms.MessageFormatException;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A message whose body is a set of named values: boxed primitives (Character included), Strings and
 * byte arrays, read through the spec's conversion table.
 *
 * <p>Byte arrays are copied in on set and out on get, so the arrays held here are never written by
 * anyone; a snapshot therefore copies the map but shares its arrays. A received message shares the
 * snapshot's unmodifiable map until clearBody. Not thread-safe, like every message.
 */
public class TernMapMessage extends TernMessage implements MapMessage {

    private Map<String, Object> entries = new LinkedHashMap<>();
    /** True while {@code entries} is a snapshot's unmodifiable map. */
    private boolean shared;

    public TernMapMessage() {
    }

    // ---- body hooks ----

    @Override
    BodyType bodyType() {
        return BodyType.MAP;
    }

    @Override
    Object snapshotBody() {
        return shared ? entries : Collections.unmodifiableMap(new LinkedHashMap<>(entries));
    }

    @Override
    @SuppressWarnings("unchecked")
    void loadSnapshotBody(Object body) {
        entries = body == null ? Map.of() : (Map<String, Object>) body;
        shared = true;
    }

    @Override
    void clearBodyContent() {
        entries = new LinkedHashMap<>();
        shared = false;
    }

    @Override
    boolean hasBody() {
        return !entries.isEmpty();
    }

    @Override
    Class<?> bodyClass() {
        return Map.class;
    }

    @Override
    Object copyOfBody() {
        Map<String, Object> copy = new LinkedHashMap<>(entries);
        copy.replaceAll((name, value) -> value instanceof byte[] b ? b.clone() : value);
        return copy;
    }

    // ---- reads ----

    @Override
    public boolean getBoolean(String name) throws JMSException {
        return ValueConversions.toBoolean(entries.get(name));
    }

    @Override
    public byte getByte(String name) throws JMSException {
        return ValueConversions.toByte(entries.get(name));
    }

    @Override
    public short getShort(String name) throws JMSException {
        return ValueConversions.toShort(entries.get(name));
    }

    @Override
    public char getChar(String name) throws JMSException {
        return ValueConversions.toChar(entries.get(name));
    }

    @Override
    public int getInt(String name) throws JMSException {
        return ValueConversions.toInt(entries.get(name));
    }

    @Override
    public long getLong(String name) throws JMSException {
        return ValueConversions.toLong(entries.get(name));
    }

    @Override
    public float getFloat(String name) throws JMSException {
        return ValueConversions.toFloat(entries.get(name));
    }

    @Override
    public double getDouble(String name) throws JMSException {
        return ValueConversions.toDouble(entries.get(name));
    }

    @Override
    public String getString(String name) throws JMSException {
        return ValueConversions.toText(entries.get(name));
    }

    /** A copy of the byte array stored under {@code name}, or null when there is none. */
    @Override
    public byte[] getBytes(String name) throws JMSException {
        byte[] b = ValueConversions.toBytes(entries.get(name));
        return b == null ? null : b.clone();
    }

    /** The value stored under {@code name} (a copy for a byte array), or null. */
    @Override
    public Object getObject(String name) {
        Object v = entries.get(name);
        return v instanceof byte[] b ? b.clone() : v;
    }

    @Override
    public Enumeration<String> getMapNames() {
        return Collections.enumeration(new ArrayList<>(entries.keySet()));
    }

    @Override
    public boolean itemExists(String name) {
        return entries.containsKey(name);
    }

    // ---- writes ----

    @Override
    public void setBoolean(String name, boolean value) throws JMSException {
        put(name, value);
    }

    @Override
    public void setByte(String name, byte value) throws JMSException {
        put(name, value);
    }

    @Override
    public void setShort(String name, short value) throws JMSException {
        put(name, value);
    }

    @Override
    public void setChar(String name, char value) throws JMSException {
        put(name, value);
    }

    @Override
    public void setInt(String name, int value) throws JMSException {
        put(name, value);
    }

    @Override
    public void setLong(String name, long value) throws JMSException {
        put(name, value);
    }

    @Override
    public void setFloat(String name, float value) throws JMSException {
        put(name, value);
    }

    @Override
    public void setDouble(String name, double value) throws JMSException {
        put(name, value);
    }

    @Override
    public void setString(String name, String value) throws JMSException {
        put(name, value);
    }

    /** Stores a copy of {@code value} (or null). */
    @Override
    public void setBytes(String name, byte[] value) throws JMSException {
        put(name, value == null ? null : value.clone());
    }

    /** Stores a copy of {@code length} bytes of {@code value} from {@code offset}. */
    @Override
    public void setBytes(String name, byte[] value, int offset, int length) throws JMSException {
        Objects.checkFromIndexSize(offset, length, value.length);
        put(name, Arrays.copyOfRange(value, offset, offset + length));
    }

    /**
     * Stores a boxed primitive, String, byte[] (copied) or null.
     *
     * @throws MessageFormatException when value is of any other type
     */
    @Override
    public void setObject(String name, Object value) throws JMSException {
        if (value != null && !ValueConversions.isBodyValueType(value)) {
            throw new MessageFormatException("MapMessage entry " + name + " cannot hold a " + value.getClass().getName());
        }
        put(name, value instanceof byte[] b ? b.clone() : value);
    }

    private void put(String name, Object value) throws JMSException {
        checkBodyWritable();
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("MapMessage entry name is " + (name == null ? "null" : "empty"));
        }
        if (shared) { // unreachable while received bodies stay read-only until clearBody; kept as a guard
            entries = new LinkedHashMap<>(entries);
            shared = false;
        }
        entries.put(name, value);
    }
}
