package io.tern.jms;

import io.tern.jms.ConversionTable.Type;
import jakarta.jms.JMSException;
import jakarta.jms.MessageEOFException;
import jakarta.jms.MessageFormatException;
import jakarta.jms.MessageNotReadableException;
import jakarta.jms.MessageNotWriteableException;
import jakarta.jms.StreamMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MessageStreamBodyTest {

    static Stream<Arguments> allPairs() {
        List<Arguments> pairs = new ArrayList<>();
        for (Type written : Type.values()) {
            for (Type read : Type.values()) {
                pairs.add(Arguments.of(written, read));
            }
        }
        return pairs.stream();
    }

    /** Each row of the table; a refused read leaves the field in place for a read as another type. */
    @ParameterizedTest(name = "{0} read as {1}")
    @MethodSource("allPairs")
    void conversionTable(Type written, Type read) throws JMSException {
        StreamMessage m = new TernStreamMessage();
        Object value = ConversionTable.sample(written, read);
        write(m, written, value);
        m.writeString("after");
        m.reset();
        if (ConversionTable.ALLOWED.get(written).contains(read)) {
            Object v = read(m, read);
            if (read == Type.BYTES) {
                assertArrayEquals((byte[]) ConversionTable.expected(written, read), (byte[]) v);
            } else {
                assertEquals(ConversionTable.expected(written, read), v);
            }
        } else {
            assertThrows(MessageFormatException.class, () -> read(m, read));
            Object again = m.readObject();
            if (written == Type.BYTES) {
                assertArrayEquals((byte[]) value, (byte[]) again);
            } else {
                assertEquals(value, again);
            }
        }
        assertEquals("after", m.readString());
        assertThrows(MessageEOFException.class, m::readObject);
    }

    @ParameterizedTest(name = "{0} through writeObject")
    @EnumSource(Type.class)
    void writeObjectWritesTheSameFieldAsTheTypedWriter(Type type) throws JMSException {
        TernStreamMessage sent = new TernStreamMessage();
        Object value = ConversionTable.sample(type, type);
        sent.writeObject(value);
        StreamMessage m = (StreamMessage) MessagePropertiesTest.received(sent);
        Object v = read(m, type);
        if (type == Type.BYTES) {
            assertArrayEquals((byte[]) value, (byte[]) v);
        } else {
            assertEquals(value, v);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"BYTE", "SHORT", "INT", "LONG", "FLOAT", "DOUBLE"})
    void badNumericStringThrowsNumberFormatExceptionAndKeepsThePosition(Type read) throws JMSException {
        StreamMessage m = new TernStreamMessage();
        m.writeString(ConversionTable.NOT_A_NUMBER);
        m.reset();
        assertThrows(NumberFormatException.class, () -> read(m, read));
        assertEquals(ConversionTable.NOT_A_NUMBER, m.readString());
    }

    @Test
    void nullFieldsReadAsValueOfNull() throws JMSException {
        StreamMessage m = new TernStreamMessage();
        m.writeObject(null);
        m.writeString(null);
        m.writeBytes(null);
        m.reset();
        assertThrows(NumberFormatException.class, m::readInt);
        assertThrows(NullPointerException.class, m::readDouble);
        assertThrows(NullPointerException.class, m::readChar);
        assertFalse(m.readBoolean());
        assertNull(m.readString());
        assertEquals(-1, m.readBytes(new byte[4]));
        assertThrows(MessageEOFException.class, m::readBoolean);
    }

    @Test
    void readsInWriteModeAndWritesInReadModeAreRefused() throws JMSException {
        StreamMessage m = new TernStreamMessage();
        m.writeInt(1);
        assertThrows(MessageNotReadableException.class, m::readInt);
        assertThrows(MessageNotReadableException.class, m::readObject);
        assertThrows(MessageNotReadableException.class, () -> m.readBytes(new byte[1]));
        m.reset();
        assertThrows(MessageNotWriteableException.class, () -> m.writeInt(2));
        assertThrows(MessageNotWriteableException.class, () -> m.writeObject("x"));
        assertThrows(MessageNotWriteableException.class, () -> m.writeBytes(new byte[1], 0, 1));
        assertEquals(1, m.readInt());
        m.reset();
        assertEquals(1, m.readInt());
        m.clearBody();
        assertThrows(MessageNotReadableException.class, m::readInt);
        m.writeInt(3);
        m.reset();
        assertEquals(3, m.readInt());
        assertThrows(MessageEOFException.class, m::readInt);
    }

    @Test
    void receivedBodyIsInReadModeUntilCleared() throws JMSException {
        TernStreamMessage sent = new TernStreamMessage();
        sent.writeLong(5);
        StreamMessage m = (StreamMessage) MessagePropertiesTest.received(sent);
        assertThrows(MessageNotWriteableException.class, () -> m.writeLong(6));
        assertEquals(5, m.readLong());
        m.clearBody();
        m.writeLong(6);
        m.reset();
        assertEquals(6, m.readLong());
    }

    @Test
    void readBytesInParts() throws JMSException {
        StreamMessage m = new TernStreamMessage();
        m.writeBytes(new byte[] {1, 2, 3, 4, 5});
        m.writeInt(9);
        m.reset();
        byte[] buf = new byte[2];
        assertEquals(2, m.readBytes(buf));
        assertArrayEquals(new byte[] {1, 2}, buf);
        assertThrows(MessageFormatException.class, m::readInt, "a partly read byte[] field blocks the next field");
        assertThrows(MessageFormatException.class, m::readObject);
        assertEquals(2, m.readBytes(buf));
        assertArrayEquals(new byte[] {3, 4}, buf);
        assertEquals(1, m.readBytes(buf));
        assertEquals(5, buf[0]);
        assertEquals(9, m.readInt());
    }

    @Test
    void readBytesOfExactBufferLengthNeedsAnotherCallReturningMinusOne() throws JMSException {
        StreamMessage m = new TernStreamMessage();
        m.writeBytes(new byte[] {1, 2, 3, 4});
        m.writeString("next");
        m.reset();
        byte[] buf = new byte[4];
        assertEquals(4, m.readBytes(buf));
        assertArrayEquals(new byte[] {1, 2, 3, 4}, buf);
        assertThrows(MessageFormatException.class, m::readString);
        assertEquals(-1, m.readBytes(buf));
        assertEquals("next", m.readString());
    }

    @Test
    void readBytesOfEmptyAndNullFields() throws JMSException {
        StreamMessage m = new TernStreamMessage();
        m.writeBytes(new byte[0]);
        m.writeBytes(null);
        m.writeBoolean(true);
        m.reset();
        assertEquals(0, m.readBytes(new byte[3]));
        assertEquals(-1, m.readBytes(new byte[3]));
        assertTrue(m.readBoolean());
        assertThrows(MessageEOFException.class, () -> m.readBytes(new byte[3]));
    }

    @Test
    void readBytesOfAnotherTypeIsRefusedAndKeepsThePosition() throws JMSException {
        StreamMessage m = new TernStreamMessage();
        m.writeString("s");
        m.reset();
        assertThrows(MessageFormatException.class, () -> m.readBytes(new byte[3]));
        assertEquals("s", m.readString());
    }

    @Test
    void bytesAreCopiedInAndOut() throws JMSException {
        StreamMessage m = new TernStreamMessage();
        byte[] value = {1, 2, 3, 4};
        m.writeBytes(value);
        m.writeBytes(value, 1, 2);
        m.writeObject(value);
        Arrays.fill(value, (byte) 0);
        m.reset();
        byte[] first = (byte[]) m.readObject();
        assertArrayEquals(new byte[] {1, 2, 3, 4}, first);
        first[0] = 42;
        assertArrayEquals(new byte[] {2, 3}, (byte[]) m.readObject());
        assertArrayEquals(new byte[] {1, 2, 3, 4}, (byte[]) m.readObject());
        m.reset();
        assertArrayEquals(new byte[] {1, 2, 3, 4}, (byte[]) m.readObject());
    }

    @Test
    void writeBytesRangeIsChecked() {
        StreamMessage m = new TernStreamMessage();
        assertThrows(IndexOutOfBoundsException.class, () -> m.writeBytes(new byte[3], 1, 3));
    }

    @Test
    void writeObjectRejectsOtherTypes() throws JMSException {
        StreamMessage m = new TernStreamMessage();
        assertThrows(MessageFormatException.class, () -> m.writeObject(new Object()));
        assertThrows(MessageFormatException.class, () -> m.writeObject(new StringBuilder("x")));
        m.reset();
        assertThrows(MessageEOFException.class, m::readObject);
    }

    @Test
    void getBodyIsRefusedEvenWhenEmpty() throws JMSException {
        StreamMessage m = new TernStreamMessage();
        assertThrows(MessageFormatException.class, () -> m.getBody(Object.class));
        assertFalse(m.isBodyAssignableTo(Object.class));
        m.writeInt(1);
        assertThrows(MessageFormatException.class, () -> m.getBody(List.class));
        assertFalse(m.isBodyAssignableTo(List.class));
    }

    static void write(StreamMessage m, Type type, Object v) throws JMSException {
        switch (type) {
            case BOOLEAN -> m.writeBoolean((Boolean) v);
            case BYTE -> m.writeByte((Byte) v);
            case SHORT -> m.writeShort((Short) v);
            case CHAR -> m.writeChar((Character) v);
            case INT -> m.writeInt((Integer) v);
            case LONG -> m.writeLong((Long) v);
            case FLOAT -> m.writeFloat((Float) v);
            case DOUBLE -> m.writeDouble((Double) v);
            case STRING -> m.writeString((String) v);
            case BYTES -> m.writeBytes((byte[]) v);
        }
    }

    static Object read(StreamMessage m, Type type) throws JMSException {
        return switch (type) {
            case BOOLEAN -> m.readBoolean();
            case BYTE -> m.readByte();
            case SHORT -> m.readShort();
            case CHAR -> m.readChar();
            case INT -> m.readInt();
            case LONG -> m.readLong();
            case FLOAT -> m.readFloat();
            case DOUBLE -> m.readDouble();
            case STRING -> m.readString();
            case BYTES -> {
                byte[] buf = new byte[64];
                int n = m.readBytes(buf);
                yield n < 0 ? null : Arrays.copyOf(buf, n);
            }
        };
    }
}
