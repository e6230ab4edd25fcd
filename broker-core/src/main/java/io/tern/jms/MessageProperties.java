package io.tern.jms;

import jakarta.jms.JMSException;
import jakarta.jms.MessageFormatException;
import jakarta.jms.MessageNotWriteableException;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The properties of one message: name checks, the allowed value types, the read-only state after receipt
 * and the conversion table on reads.
 *
 * <p>{@code JMSXDeliveryCount} is not kept among the values: the broker keeps the delivery count beside
 * the message, so a received message shows the count it was delivered with, and a message being sent
 * never carries one to the broker.
 *
 * <p>The values of a received message are the snapshot's unmodifiable map, shared until the first
 * change, which takes a private copy. Not thread-safe, like the message that owns it.
 */
final class MessageProperties {

    static final String DELIVERY_COUNT = "JMSXDeliveryCount";

    /** Selector words a property name may not be (the selector reads them in any case). */
    private static final Set<String> RESERVED_NAMES = Set.of(
            "NULL", "TRUE", "FALSE", "NOT", "AND", "OR", "BETWEEN", "LIKE", "IN", "IS", "ESCAPE");

    private Map<String, Object> values;
    private boolean shared;
    private Integer deliveryCount;
    private boolean readOnly;

    MessageProperties() {
        values = new LinkedHashMap<>();
    }

    /**
     * The read-only properties of a received message, sharing {@code snapshotValues} (never modified);
     * a delivery count below 1 (no delivery yet) means no {@code JMSXDeliveryCount}.
     */
    MessageProperties(Map<String, Object> snapshotValues, int deliveryCount) {
        values = snapshotValues;
        shared = true;
        this.deliveryCount = deliveryCount >= 1 ? deliveryCount : null;
        readOnly = true;
    }

    /**
     * The values to put in a snapshot: the caller must copy the map (MessageSnapshot.Builder does); the
     * values themselves are immutable. Excludes {@code JMSXDeliveryCount}.
     */
    Map<String, Object> values() {
        return values;
    }

    Integer deliveryCount() {
        return deliveryCount;
    }

    boolean exists(String name) {
        return DELIVERY_COUNT.equals(name) ? deliveryCount != null : values.containsKey(name);
    }

    /** The value stored under {@code name}, or null when there is none. */
    Object get(String name) {
        return DELIVERY_COUNT.equals(name) ? deliveryCount : values.get(name);
    }

    Enumeration<String> names() {
        List<String> names = new ArrayList<>(values.size() + 1);
        names.addAll(values.keySet());
        if (deliveryCount != null) {
            names.add(DELIVERY_COUNT);
        }
        return Collections.enumeration(names);
    }

    /**
     * Sets a property.
     *
     * @throws MessageNotWriteableException when the properties are read-only
     * @throws IllegalArgumentException     when the name is not a valid identifier
     * @throws MessageFormatException       when the value is not a boxed primitive (but Character), a String or null
     */
    void set(String name, Object value) throws JMSException {
        if (readOnly) {
            throw new MessageNotWriteableException(
                    "the properties of a received message are read-only until clearProperties() is called");
        }
        checkName(name);
        if (value != null && !ValueConversions.isPropertyType(value)) {
            throw new MessageFormatException("property " + name + " cannot hold a value of type "
                    + ValueConversions.typeName(value)
                    + ": only Boolean, Byte, Short, Integer, Long, Float, Double and String are allowed");
        }
        if (DELIVERY_COUNT.equals(name)) {
            deliveryCount = value == null ? null : ValueConversions.toInt(value);
            return;
        }
        if (shared) {
            values = new LinkedHashMap<>(values);
            shared = false;
        }
        values.put(name, value);
    }

    /** Removes every property and makes them writable, as {@code Message.clearProperties} does. */
    void clear() {
        values = new LinkedHashMap<>();
        shared = false;
        deliveryCount = null;
        readOnly = false;
    }

    /**
     * Checks a property name against the identifier rules of the selector syntax.
     *
     * @throws IllegalArgumentException when it is null, empty, not a Java identifier or a selector word
     */
    static void checkName(String name) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("property name is " + (name == null ? "null" : "empty"));
        }
        if (!Character.isJavaIdentifierStart(name.codePointAt(0))) {
            throw new IllegalArgumentException("property name '" + name + "' does not start with a Java identifier start character");
        }
        for (int i = Character.charCount(name.codePointAt(0)); i < name.length(); ) {
            int cp = name.codePointAt(i);
            if (!Character.isJavaIdentifierPart(cp)) {
                throw new IllegalArgumentException("property name '" + name + "' has a character at index " + i
                        + " that is not allowed in a Java identifier");
            }
            i += Character.charCount(cp);
        }
        if (RESERVED_NAMES.contains(name.toUpperCase(Locale.ROOT))) {
            throw new IllegalArgumentException("property name '" + name + "' is a reserved word of the selector syntax");
        }
    }
}
