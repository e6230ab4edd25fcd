package io.tern.jms;

import io.tern.jms.ConversionTable.Type;
import jakarta.jms.JMSException;
import jakarta.jms.MapMessage;
import jakarta.jms.MessageFormatException;
import jakarta.jms.MessageNotWriteableException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MessageMapBodyTest {

    static Stream<Arguments> allPairs() {
        List<Arguments> pairs = new ArrayList<>();
        for (Type written : Type.values()) {
            for (Type read : Type.values()) {
                pairs.add(Arguments.of(written, read));
            }
        }
        return pairs.stream();
    }

    @ParameterizedTest(name = "{0} read as {1}")
    @MethodSource("allPairs")
    void conversionTableWithTypedSetters(Type written, Type read) throws JMSException {
        MapMessage m = new TernMapMessage();
        set(m, "e", written, ConversionTable.sample(written, read));
        check(m, written, read);
    }

    @ParameterizedTest(name = "{0} read as {1}")
    @MethodSource("allPairs")
    void conversionTableWithSetObjectOnAReceivedMessage(Type written, Type read) throws JMSException {
        TernMapMessage sent = new TernMapMessage();
        sent.setObject("e", ConversionTable.sample(written, read));
        check((MapMessage) MessagePropertiesTest.received(sent), written, read);
    }

    private static void check(MapMessage m, Type written, Type read) throws JMSException {
        if (ConversionTable.ALLOWED.get(written).contains(read)) {
            Object v = get(m, "e", read);
            if (read == Type.BYTES) {
                assertArrayEquals((byte[]) ConversionTable.expected(written, read), (byte[]) v);
            } else {
                assertEquals(ConversionTable.expected(written, read), v);
            }
        } else {
            assertThrows(MessageFormatException.class, () -> get(m, "e", read));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"BYTE", "SHORT", "INT", "LONG", "FLOAT", "DOUBLE"})
    void badNumericStringThrowsNumberFormatException(Type read) throws JMSException {
        MapMessage m = new TernMapMessage();
        m.setString("e", ConversionTable.NOT_A_NUMBER);
        assertThrows(NumberFormatException.class, () -> get(m, "e", read));
    }

    @Test
    void missingEntriesReadAsValueOfNull() throws JMSException {
        MapMessage m = new TernMapMessage();
        assertFalse(m.itemExists("x"));
        assertFalse(m.getBoolean("x"));
        assertNull(m.getString("x"));
        assertNull(m.getBytes("x"));
        assertNull(m.getObject("x"));
        assertThrows(NumberFormatException.class, () -> m.getByte("x"));
        assertThrows(NumberFormatException.class, () -> m.getShort("x"));
        assertThrows(NumberFormatException.class, () -> m.getInt("x"));
        assertThrows(NumberFormatException.class, () -> m.getLong("x"));
        assertThrows(NullPointerException.class, () -> m.getFloat("x"));
        assertThrows(NullPointerException.class, () -> m.getDouble("x"));
        assertThrows(NullPointerException.class, () -> m.getChar("x"));
    }

    @Test
    void nullValuesAreEntries() throws JMSException {
        MapMessage m = new TernMapMessage();
        m.setString("s", null);
        m.setBytes("b", null);
        m.setObject("o", null);
        assertTrue(m.itemExists("s"));
        assertTrue(m.itemExists("b"));
        assertTrue(m.itemExists("o"));
        assertNull(m.getString("s"));
        assertNull(m.getBytes("b"));
        assertNull(m.getObject("o"));
    }

    @Test
    void mapNamesAndItemExists() throws JMSException {
        MapMessage m = new TernMapMessage();
        m.setInt("a", 1);
        m.setString("b", "x");
        m.setInt("a", 2);
        assertEquals(Set.of("a", "b"), new HashSet<>(Collections.list(m.getMapNames())));
        assertTrue(m.itemExists("a"));
        assertFalse(m.itemExists("c"));
        assertEquals(2, m.getInt("a"));
    }

    @Test
    void byteArraysAreCopiedInAndOut() throws JMSException {
        MapMessage m = new TernMapMessage();
        byte[] value = {1, 2, 3, 4, 5};
        m.setBytes("all", value);
        m.setBytes("part", value, 1, 3);
        m.setObject("obj", value);
        value[0] = 99;
        value[2] = 99;
        assertArrayEquals(new byte[] {1, 2, 3, 4, 5}, m.getBytes("all"));
        assertArrayEquals(new byte[] {2, 3, 4}, m.getBytes("part"));
        assertArrayEquals(new byte[] {1, 2, 3, 4, 5}, (byte[]) m.getObject("obj"));
        m.getBytes("all")[1] = 77;
        ((byte[]) m.getObject("all"))[1] = 77;
        assertArrayEquals(new byte[] {1, 2, 3, 4, 5}, m.getBytes("all"));
    }

    @Test
    void setBytesRangeIsChecked() {
        MapMessage m = new TernMapMessage();
        assertThrows(IndexOutOfBoundsException.class, () -> m.setBytes("x", new byte[3], 2, 2));
        assertThrows(IndexOutOfBoundsException.class, () -> m.setBytes("x", new byte[3], -1, 1));
    }

    @Test
    void setObjectRejectsOtherTypes() {
        MapMessage m = new TernMapMessage();
        assertThrows(MessageFormatException.class, () -> m.setObject("x", new Object()));
        assertThrows(MessageFormatException.class, () -> m.setObject("x", List.of(1)));
        assertThrows(MessageFormatException.class, () -> m.setObject("x", new int[] {1}));
    }

    @Test
    void namesMustBeNonEmpty() {
        MapMessage m = new TernMapMessage();
        assertThrows(IllegalArgumentException.class, () -> m.setInt(null, 1));
        assertThrows(IllegalArgumentException.class, () -> m.setString("", "x"));
    }

    @ParameterizedTest
    @EnumSource(Type.class)
    void receivedBodyIsReadOnlyUntilCleared(Type type) throws JMSException {
        TernMapMessage sent = new TernMapMessage();
        sent.setInt("a", 1);
        MapMessage m = (MapMessage) MessagePropertiesTest.received(sent);
        assertThrows(MessageNotWriteableException.class, () -> set(m, "b", type, ConversionTable.sample(type, type)));
        assertThrows(MessageNotWriteableException.class, () -> m.setObject("b", 1));
        assertThrows(MessageNotWriteableException.class, () -> m.setBytes("b", new byte[2], 0, 1));
        assertFalse(m.itemExists("b"));
        m.clearBody();
        assertFalse(m.itemExists("a"));
        set(m, "b", type, ConversionTable.sample(type, type));
        assertTrue(m.itemExists("b"));
    }

    @Test
    void getBodyReturnsACopyOfTheMap() throws JMSException {
        MapMessage m = new TernMapMessage();
        m.setInt("a", 1);
        m.setBytes("b", new byte[] {1});
        @SuppressWarnings("unchecked")
        Map<String, Object> body = m.getBody(Map.class);
        assertEquals(1, body.get("a"));
        assertArrayEquals(new byte[] {1}, (byte[]) body.get("b"));
        body.put("c", 3);
        ((byte[]) body.get("b"))[0] = 9;
        assertFalse(m.itemExists("c"));
        assertArrayEquals(new byte[] {1}, m.getBytes("b"));
    }

    static void set(MapMessage m, String name, Type type, Object v) throws JMSException {
        switch (type) {
            case BOOLEAN -> m.setBoolean(name, (Boolean) v);
            case BYTE -> m.setByte(name, (Byte) v);
            case SHORT -> m.setShort(name, (Short) v);
            case CHAR -> m.setChar(name, (Character) v);
            case INT -> m.setInt(name, (Integer) v);
            case LONG -> m.setLong(name, (Long) v);
            case FLOAT -> m.setFloat(name, (Float) v);
            case DOUBLE -> m.setDouble(name, (Double) v);
            case STRING -> m.setString(name, (String) v);
            case BYTES -> m.setBytes(name, (byte[]) v);
        }
    }

    static Object get(MapMessage m, String name, Type type) throws JMSException {
        return switch (type) {
            case BOOLEAN -> m.getBoolean(name);
            case BYTE -> m.getByte(name);
            case SHORT -> m.getShort(name);
            case CHAR -> m.getChar(name);
            case INT -> m.getInt(name);
            case LONG -> m.getLong(name);
            case FLOAT -> m.getFloat(name);
            case DOUBLE -> m.getDouble(name);
            case STRING -> m.getString(name);
            case BYTES -> m.getBytes(name);
        };
    }
}
