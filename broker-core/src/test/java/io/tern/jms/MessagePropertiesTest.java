package io.tern.jms;

import io.tern.jms.ConversionTable.Type;
import io.tern.protocol.MessageSnapshot;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageFormatException;
import jakarta.jms.MessageNotWriteableException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MessagePropertiesTest {

    static Stream<Arguments> propertyPairs() {
        List<Arguments> pairs = new ArrayList<>();
        for (Type written : ConversionTable.PROPERTY_TYPES) {
            for (Type read : ConversionTable.PROPERTY_TYPES) {
                pairs.add(Arguments.of(written, read));
            }
        }
        return pairs.stream();
    }

    @ParameterizedTest(name = "{0} read as {1}")
    @MethodSource("propertyPairs")
    void conversionTableWithTypedSetters(Type written, Type read) throws JMSException {
        Message m = new TernMessage();
        setTyped(m, "p", written, ConversionTable.sample(written, read));
        checkRead(m, written, read);
    }

    @ParameterizedTest(name = "{0} read as {1}")
    @MethodSource("propertyPairs")
    void conversionTableWithSetObjectProperty(Type written, Type read) throws JMSException {
        Message m = new TernMessage();
        m.setObjectProperty("p", ConversionTable.sample(written, read));
        checkRead(m, written, read);
        assertEquals(ConversionTable.sample(written, read), m.getObjectProperty("p"));
    }

    @ParameterizedTest(name = "{0} read as {1}")
    @MethodSource("propertyPairs")
    void conversionTableHoldsOnReceivedMessages(Type written, Type read) throws JMSException {
        Message sent = new TernMessage();
        sent.setObjectProperty("p", ConversionTable.sample(written, read));
        checkRead(received(sent), written, read);
    }

    private static void checkRead(Message m, Type written, Type read) throws JMSException {
        if (ConversionTable.ALLOWED.get(written).contains(read)) {
            assertEquals(ConversionTable.expected(written, read), get(m, "p", read));
        } else {
            assertThrows(MessageFormatException.class, () -> get(m, "p", read));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"BYTE", "SHORT", "INT", "LONG", "FLOAT", "DOUBLE"})
    void badNumericStringThrowsNumberFormatException(Type read) throws JMSException {
        Message m = new TernMessage();
        m.setStringProperty("p", ConversionTable.NOT_A_NUMBER);
        assertThrows(NumberFormatException.class, () -> get(m, "p", read));
    }

    @Test
    void stringReadAsBooleanFollowsBooleanValueOf() throws JMSException {
        Message m = new TernMessage();
        m.setStringProperty("p", "TRUE");
        assertTrue(m.getBooleanProperty("p"));
        m.setStringProperty("p", "yes");
        assertFalse(m.getBooleanProperty("p"));
    }

    @Test
    void missingPropertyReadsAsValueOfNull() throws JMSException {
        Message m = new TernMessage();
        assertFalse(m.propertyExists("missing"));
        assertNull(m.getStringProperty("missing"));
        assertNull(m.getObjectProperty("missing"));
        assertFalse(m.getBooleanProperty("missing"));
        assertThrows(NumberFormatException.class, () -> m.getByteProperty("missing"));
        assertThrows(NumberFormatException.class, () -> m.getShortProperty("missing"));
        assertThrows(NumberFormatException.class, () -> m.getIntProperty("missing"));
        assertThrows(NumberFormatException.class, () -> m.getLongProperty("missing"));
        assertThrows(NullPointerException.class, () -> m.getFloatProperty("missing"));
        assertThrows(NullPointerException.class, () -> m.getDoubleProperty("missing"));
    }

    @Test
    void nullValuedPropertyExistsAndReadsAsNull() throws JMSException {
        Message m = new TernMessage();
        m.setStringProperty("s", null);
        m.setObjectProperty("o", null);
        assertTrue(m.propertyExists("s"));
        assertTrue(m.propertyExists("o"));
        assertNull(m.getStringProperty("s"));
        assertNull(m.getObjectProperty("o"));
        assertThrows(NumberFormatException.class, () -> m.getIntProperty("s"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "1abc", "a-b", "a b", "a.b", "NULL", "TRUE", "FALSE", "NOT", "AND", "OR", "BETWEEN",
            "LIKE", "IN", "IS", "ESCAPE", "and", "Null", "escape"})
    void invalidNamesAreRejected(String name) throws JMSException {
        Message m = new TernMessage();
        assertThrows(IllegalArgumentException.class, () -> m.setIntProperty(name, 1));
        assertThrows(IllegalArgumentException.class, () -> m.setObjectProperty(name, "x"));
        assertFalse(m.propertyExists(name));
    }

    @Test
    void nullNameIsRejected() {
        Message m = new TernMessage();
        assertThrows(IllegalArgumentException.class, () -> m.setStringProperty(null, "x"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"a", "_a", "$a", "a1", "Ünïcödé", "ANDY", "isbn", "JMSXGroupID", "JMS_tern_x", "IS_", "x$y_z9"})
    void javaIdentifiersAreAccepted(String name) throws JMSException {
        Message m = new TernMessage();
        m.setStringProperty(name, "v");
        assertEquals("v", m.getStringProperty(name));
    }

    @Test
    void setObjectPropertyRejectsOtherTypes() throws JMSException {
        Message m = new TernMessage();
        assertThrows(MessageFormatException.class, () -> m.setObjectProperty("p", 'c'));
        assertThrows(MessageFormatException.class, () -> m.setObjectProperty("p", new byte[] {1}));
        assertThrows(MessageFormatException.class, () -> m.setObjectProperty("p", new Object()));
        assertThrows(MessageFormatException.class, () -> m.setObjectProperty("p", List.of()));
        assertFalse(m.propertyExists("p"));
    }

    @Test
    void propertyNamesListEveryPropertyAndClearPropertiesRemovesThem() throws JMSException {
        Message m = new TernMessage();
        m.setIntProperty("a", 1);
        m.setStringProperty("b", "x");
        m.setBooleanProperty("c", true);
        m.setIntProperty("a", 2);
        assertEquals(List.of("a", "b", "c"), Collections.list(m.getPropertyNames()));
        assertEquals(2, m.getIntProperty("a"));
        m.clearProperties();
        assertFalse(m.getPropertyNames().hasMoreElements());
        assertFalse(m.propertyExists("a"));
    }

    @Test
    void clearPropertiesLeavesHeadersAndBody() throws JMSException {
        TernTextMessage m = new TernTextMessage("body");
        m.setJMSType("t");
        m.setIntProperty("a", 1);
        m.clearProperties();
        assertEquals("body", m.getText());
        assertEquals("t", m.getJMSType());
    }

    @Test
    void receivedPropertiesAreReadOnlyUntilCleared() throws JMSException {
        Message sent = new TernMessage();
        sent.setIntProperty("a", 1);
        Message m = received(sent);
        assertEquals(1, m.getIntProperty("a"));
        assertThrows(MessageNotWriteableException.class, () -> m.setIntProperty("a", 2));
        assertThrows(MessageNotWriteableException.class, () -> m.setStringProperty("b", "x"));
        assertThrows(MessageNotWriteableException.class, () -> m.setObjectProperty("b", 1L));
        assertThrows(MessageNotWriteableException.class, () -> m.setBooleanProperty("b", true));
        assertThrows(MessageNotWriteableException.class, () -> m.setByteProperty("b", (byte) 1));
        assertThrows(MessageNotWriteableException.class, () -> m.setShortProperty("b", (short) 1));
        assertThrows(MessageNotWriteableException.class, () -> m.setLongProperty("b", 1));
        assertThrows(MessageNotWriteableException.class, () -> m.setFloatProperty("b", 1));
        assertThrows(MessageNotWriteableException.class, () -> m.setDoubleProperty("b", 1));
        assertEquals(1, m.getIntProperty("a"));
        m.clearProperties();
        assertFalse(m.propertyExists("a"));
        m.setIntProperty("a", 3);
        assertEquals(3, m.getIntProperty("a"));
    }

    @Test
    void headersOfReceivedMessagesStayWritable() throws JMSException {
        Message m = received(new TernMessage());
        m.setJMSType("changed");
        m.setJMSCorrelationID("c");
        assertEquals("changed", m.getJMSType());
        assertEquals("c", m.getJMSCorrelationID());
    }

    @Test
    void deliveryCountIsAnIntPropertyOfReceivedMessages() throws JMSException {
        TernMessage sent = new TernMessage();
        sent.setStringProperty("a", "x");
        MessageSnapshot s = sent.toSnapshot("p", 1);
        Message first = TernMessage.fromSnapshot(s, false, 1);
        Message third = TernMessage.fromSnapshot(s, true, 3);
        assertEquals(1, first.getIntProperty("JMSXDeliveryCount"));
        assertEquals(3, third.getIntProperty("JMSXDeliveryCount"));
        assertEquals(3L, third.getLongProperty("JMSXDeliveryCount"));
        assertEquals("3", third.getStringProperty("JMSXDeliveryCount"));
        assertEquals(3, third.getObjectProperty("JMSXDeliveryCount"));
        assertTrue(third.propertyExists("JMSXDeliveryCount"));
        assertEquals(List.of("a", "JMSXDeliveryCount"), Collections.list(third.getPropertyNames()));
        assertTrue(third.getJMSRedelivered());
        assertFalse(first.getJMSRedelivered());
    }

    @Test
    void deliveryCountIsNotSentToTheBroker() throws JMSException {
        TernMessage received = TernMessage.fromSnapshot(new TernMessage().toSnapshot("p", 1), false, 2);
        assertEquals(Map.of(), received.toSnapshot("p", 2).properties());
        TernMessage m = new TernMessage();
        m.setIntProperty("JMSXDeliveryCount", 5);
        assertEquals(5, m.getIntProperty("JMSXDeliveryCount"));
        assertEquals(Map.of(), m.toSnapshot("p", 3).properties());
    }

    @Test
    void newMessageHasNoDeliveryCount() throws JMSException {
        Message m = new TernMessage();
        assertFalse(m.propertyExists("JMSXDeliveryCount"));
        assertFalse(m.getPropertyNames().hasMoreElements());
    }

    @Test
    void groupPropertiesAreOrdinaryProperties() throws JMSException {
        TernMessage m = new TernMessage();
        m.setStringProperty("JMSXGroupID", "g");
        m.setIntProperty("JMSXGroupSeq", 7);
        Message r = TernMessage.fromSnapshot(m.toSnapshot("p", 1), false, 1);
        assertEquals("g", r.getStringProperty("JMSXGroupID"));
        assertEquals(7, r.getIntProperty("JMSXGroupSeq"));
    }

    static Message received(Message sent) throws JMSException {
        MessageSnapshot s = ((TernMessage) sent).toSnapshot("producer", 1);
        return TernMessage.fromSnapshot(s, false, 1);
    }

    static void setTyped(Message m, String name, Type type, Object v) throws JMSException {
        switch (type) {
            case BOOLEAN -> m.setBooleanProperty(name, (Boolean) v);
            case BYTE -> m.setByteProperty(name, (Byte) v);
            case SHORT -> m.setShortProperty(name, (Short) v);
            case INT -> m.setIntProperty(name, (Integer) v);
            case LONG -> m.setLongProperty(name, (Long) v);
            case FLOAT -> m.setFloatProperty(name, (Float) v);
            case DOUBLE -> m.setDoubleProperty(name, (Double) v);
            case STRING -> m.setStringProperty(name, (String) v);
            default -> throw new IllegalArgumentException(type + " is no property type");
        }
    }

    static Object get(Message m, String name, Type type) throws JMSException {
        return switch (type) {
            case BOOLEAN -> m.getBooleanProperty(name);
            case BYTE -> m.getByteProperty(name);
            case SHORT -> m.getShortProperty(name);
            case INT -> m.getIntProperty(name);
            case LONG -> m.getLongProperty(name);
            case FLOAT -> m.getFloatProperty(name);
            case DOUBLE -> m.getDoubleProperty(name);
            case STRING -> m.getStringProperty(name);
            default -> throw new IllegalArgumentException(type + " is no property type");
        };
    }
}
