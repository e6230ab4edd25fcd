package io.tern.jms;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

import static io.tern.jms.ConversionTable.Type.BOOLEAN;
import static io.tern.jms.ConversionTable.Type.BYTE;
import static io.tern.jms.ConversionTable.Type.BYTES;
import static io.tern.jms.ConversionTable.Type.CHAR;
import static io.tern.jms.ConversionTable.Type.DOUBLE;
import static io.tern.jms.ConversionTable.Type.FLOAT;
import static io.tern.jms.ConversionTable.Type.INT;
import static io.tern.jms.ConversionTable.Type.LONG;
import static io.tern.jms.ConversionTable.Type.SHORT;
import static io.tern.jms.ConversionTable.Type.STRING;

/**
 * The conversion table of the Jakarta Messaging spec (3.5.4 for properties, 3.11.3 for map and stream
 * bodies), written out independently of the implementation, with sample values whose conversions are
 * easy to state: integers are 12, floating point values 1.5.
 */
final class ConversionTable {

    enum Type {
        BOOLEAN, BYTE, SHORT, CHAR, INT, LONG, FLOAT, DOUBLE, STRING, BYTES
    }

    /** Written type to the types it may be read as. */
    static final Map<Type, Set<Type>> ALLOWED = Map.of(
            BOOLEAN, EnumSet.of(BOOLEAN, STRING),
            BYTE, EnumSet.of(BYTE, SHORT, INT, LONG, STRING),
            SHORT, EnumSet.of(SHORT, INT, LONG, STRING),
            CHAR, EnumSet.of(CHAR, STRING),
            INT, EnumSet.of(INT, LONG, STRING),
            LONG, EnumSet.of(LONG, STRING),
            FLOAT, EnumSet.of(FLOAT, DOUBLE, STRING),
            DOUBLE, EnumSet.of(DOUBLE, STRING),
            STRING, EnumSet.of(BOOLEAN, BYTE, SHORT, INT, LONG, FLOAT, DOUBLE, STRING),
            BYTES, EnumSet.of(BYTES));

    /** The types a property may have. */
    static final Set<Type> PROPERTY_TYPES = EnumSet.of(BOOLEAN, BYTE, SHORT, INT, LONG, FLOAT, DOUBLE, STRING);

    private ConversionTable() {
    }

    /** The value written for {@code written}; a String is chosen so it parses as {@code read}. */
    static Object sample(Type written, Type read) {
        return switch (written) {
            case BOOLEAN -> true;
            case BYTE -> (byte) 12;
            case SHORT -> (short) 12;
            case CHAR -> 'c';
            case INT -> 12;
            case LONG -> 12L;
            case FLOAT -> 1.5f;
            case DOUBLE -> 1.5d;
            case STRING -> switch (read) {
                case BOOLEAN -> "true";
                case BYTE, SHORT, INT, LONG -> "12";
                case FLOAT, DOUBLE -> "1.5";
                default -> "hello";
            };
            case BYTES -> new byte[] {1, 2, 3};
        };
    }

    /** What reading {@code sample(written, read)} as {@code read} must return, boxed. */
    static Object expected(Type written, Type read) {
        Object value = sample(written, read);
        return switch (read) {
            case BOOLEAN -> true;
            case BYTE -> (byte) 12;
            case SHORT -> (short) 12;
            case CHAR -> 'c';
            case INT -> 12;
            case LONG -> 12L;
            case FLOAT -> 1.5f;
            case DOUBLE -> 1.5d;
            case STRING -> String.valueOf(value);
            case BYTES -> value;
        };
    }

    /** A string none of the numeric types can parse. */
    static final String NOT_A_NUMBER = "twelve";
}
