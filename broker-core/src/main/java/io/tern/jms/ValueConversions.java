package io.tern.jms;

import jakarta.jms.MessageFormatException;

/**
 * The conversion table of the Jakarta Messaging spec (sections 3.5.4 and 3.11.3): which Java type a
 * property, map entry or stream field written as one type may be read as. Properties use the same table
 * without the {@code char} and {@code byte[]} rows, which property setters never store.
 *
 * <p>A value written as a String converts to a primitive through the primitive's {@code valueOf(String)},
 * so bad text throws {@link NumberFormatException}; a null (a missing property or entry, or a null value)
 * converts the same way, which is what the spec prescribes: false for boolean, NumberFormatException for
 * the integer types, NullPointerException for float, double and char. A conversion the table does not
 * allow throws {@link MessageFormatException}.
 *
 * <p>Stateless, so thread-safe.
 */
final class ValueConversions {

    private ValueConversions() {
    }

    static boolean toBoolean(Object v) throws MessageFormatException {
        if (v instanceof Boolean b) {
            return b;
        }
        if (v == null || v instanceof String) {
            return Boolean.valueOf((String) v);
        }
        throw notConvertible(v, "boolean");
    }

    static byte toByte(Object v) throws MessageFormatException {
        if (v instanceof Byte b) {
            return b;
        }
        if (v == null || v instanceof String) {
            return Byte.valueOf((String) v);
        }
        throw notConvertible(v, "byte");
    }

    static short toShort(Object v) throws MessageFormatException {
        if (v instanceof Short s) {
            return s;
        }
        if (v instanceof Byte b) {
            return b;
        }
        if (v == null || v instanceof String) {
            return Short.valueOf((String) v);
        }
        throw notConvertible(v, "short");
    }

    /** Only a char converts to char; the spec has no String to char conversion. */
    static char toChar(Object v) throws MessageFormatException {
        if (v instanceof Character c) {
            return c;
        }
        if (v == null) {
            throw new NullPointerException("cannot read a null value as a char");
        }
        throw notConvertible(v, "char");
    }

    static int toInt(Object v) throws MessageFormatException {
        if (v instanceof Integer i) {
            return i;
        }
        if (v instanceof Short s) {
            return s;
        }
        if (v instanceof Byte b) {
            return b;
        }
        if (v == null || v instanceof String) {
            return Integer.valueOf((String) v);
        }
        throw notConvertible(v, "int");
    }

    static long toLong(Object v) throws MessageFormatException {
        if (v instanceof Long l) {
            return l;
        }
        if (v instanceof Integer i) {
            return i;
        }
        if (v instanceof Short s) {
            return s;
        }
        if (v instanceof Byte b) {
            return b;
        }
        if (v == null || v instanceof String) {
            return Long.valueOf((String) v);
        }
        throw notConvertible(v, "long");
    }

    static float toFloat(Object v) throws MessageFormatException {
        if (v instanceof Float f) {
            return f;
        }
        if (v == null || v instanceof String) {
            return Float.valueOf((String) v);
        }
        throw notConvertible(v, "float");
    }

    static double toDouble(Object v) throws MessageFormatException {
        if (v instanceof Double d) {
            return d;
        }
        if (v instanceof Float f) {
            return f;
        }
        if (v == null || v instanceof String) {
            return Double.valueOf((String) v);
        }
        throw notConvertible(v, "double");
    }

    /** Every type but byte[] reads as its String form; null stays null. */
    static String toText(Object v) throws MessageFormatException {
        if (v == null || v instanceof String) {
            return (String) v;
        }
        if (v instanceof byte[]) {
            throw notConvertible(v, "String");
        }
        return v.toString();
    }

    /** Only byte[] (or null) reads as byte[]. Returns the stored array: callers copy it out. */
    static byte[] toBytes(Object v) throws MessageFormatException {
        if (v == null || v instanceof byte[]) {
            return (byte[]) v;
        }
        throw notConvertible(v, "byte[]");
    }

    /** The types a property may hold: the boxed primitives but Character, and String. */
    static boolean isPropertyType(Object v) {
        return v instanceof String || v instanceof Integer || v instanceof Long || v instanceof Boolean
                || v instanceof Double || v instanceof Float || v instanceof Short || v instanceof Byte;
    }

    /** The types a map entry or stream field may hold: the property types, Character and byte[]. */
    static boolean isBodyValueType(Object v) {
        return isPropertyType(v) || v instanceof byte[] || v instanceof Character;
    }

    static String typeName(Object v) {
        return v == null ? "null" : v instanceof byte[] ? "byte[]" : v.getClass().getSimpleName();
    }

    private static MessageFormatException notConvertible(Object v, String target) {
        return new MessageFormatException("a value of type " + typeName(v) + " cannot be read as " + target);
    }
}
