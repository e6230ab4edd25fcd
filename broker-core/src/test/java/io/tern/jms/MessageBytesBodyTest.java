package io.tern.jms;

import jakarta.jms.BytesMessage;
import jakarta.jms.JMSException;
import jakarta.jms.MessageEOFException;
import jakarta.jms.MessageFormatException;
import jakarta.jms.MessageNotReadableException;
import jakarta.jms.MessageNotWriteableException;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MessageBytesBodyTest {

    private static final String UTF = "héllo \u0000 \u20ac \ud83d\ude00";

    private static void writeAll(BytesMessage m) throws JMSException {
        m.writeBoolean(true);
        m.writeByte((byte) -5);
        m.writeShort((short) -300);
        m.writeChar('\u20ac');
        m.writeInt(0x12345678);
        m.writeLong(-0x123456789ABCDEFL);
        m.writeFloat(1.25f);
        m.writeDouble(-2.5e300);
        m.writeUTF(UTF);
        m.writeBytes(new byte[] {1, 2, 3});
        m.writeBytes(new byte[] {9, 4, 5, 9}, 1, 2);
    }

    /** The same bytes DataOutputStream writes, which the spec names as the model of BytesMessage. */
    private static byte[] expectedBytes() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeBoolean(true);
        out.writeByte(-5);
        out.writeShort(-300);
        out.writeChar('\u20ac');
        out.writeInt(0x12345678);
        out.writeLong(-0x123456789ABCDEFL);
        out.writeFloat(1.25f);
        out.writeDouble(-2.5e300);
        out.writeUTF(UTF);
        out.write(new byte[] {1, 2, 3});
        out.write(new byte[] {4, 5});
        return bytes.toByteArray();
    }

    @Test
    void writesTheDataOutputStreamFormatAndReadsItBack() throws Exception {
        BytesMessage m = new TernBytesMessage();
        writeAll(m);
        assertArrayEquals(expectedBytes(), m.getBody(byte[].class));
        m.reset();
        assertEquals(expectedBytes().length, m.getBodyLength());
        readAll(m);
    }

    @Test
    void receivedMessageReadsTheSameValues() throws Exception {
        TernBytesMessage sent = new TernBytesMessage();
        writeAll(sent);
        BytesMessage m = (BytesMessage) MessagePropertiesTest.received(sent);
        assertEquals(expectedBytes().length, m.getBodyLength());
        readAll(m);
    }

    private static void readAll(BytesMessage m) throws JMSException {
        assertTrue(m.readBoolean());
        assertEquals(-5, m.readByte());
        assertEquals((short) -300, m.readShort());
        assertEquals('\u20ac', m.readChar());
        assertEquals(0x12345678, m.readInt());
        assertEquals(-0x123456789ABCDEFL, m.readLong());
        assertEquals(1.25f, m.readFloat());
        assertEquals(-2.5e300, m.readDouble());
        assertEquals(UTF, m.readUTF());
        byte[] rest = new byte[10];
        assertEquals(5, m.readBytes(rest));
        assertArrayEquals(new byte[] {1, 2, 3, 4, 5}, java.util.Arrays.copyOf(rest, 5));
        assertEquals(-1, m.readBytes(rest));
        assertThrows(MessageEOFException.class, m::readByte);
    }

    @Test
    void unsignedReads() throws JMSException {
        BytesMessage m = new TernBytesMessage();
        m.writeByte((byte) -1);
        m.writeShort((short) -1);
        m.reset();
        assertEquals(255, m.readUnsignedByte());
        assertEquals(65535, m.readUnsignedShort());
    }

    @Test
    void readsPastTheEndThrowEofWithoutConsuming() throws JMSException {
        BytesMessage m = new TernBytesMessage();
        m.writeShort((short) 7);
        m.reset();
        assertThrows(MessageEOFException.class, m::readInt);
        assertThrows(MessageEOFException.class, m::readLong);
        assertThrows(MessageEOFException.class, m::readDouble);
        assertEquals(7, m.readShort());
        assertThrows(MessageEOFException.class, m::readBoolean);
        assertThrows(MessageEOFException.class, m::readUTF);
        assertEquals(-1, m.readBytes(new byte[1]));
    }

    @Test
    void readUtfOfMalformedDataKeepsThePosition() throws JMSException {
        BytesMessage m = new TernBytesMessage();
        m.writeShort((short) 2);
        m.writeByte((byte) 0xC3);
        m.writeByte((byte) 0x41); // not a continuation byte
        m.reset();
        assertThrows(MessageFormatException.class, m::readUTF);
        assertEquals(2, m.readShort());
    }

    @Test
    void readUtfWithALengthBeyondTheBodyIsEof() throws JMSException {
        BytesMessage m = new TernBytesMessage();
        m.writeShort((short) 50);
        m.writeByte((byte) 'a');
        m.reset();
        assertThrows(MessageEOFException.class, m::readUTF);
        assertEquals(50, m.readShort());
    }

    @Test
    void writeUtfRefusesMoreThan65535Bytes() throws JMSException {
        BytesMessage m = new TernBytesMessage();
        m.writeUTF("x".repeat(65535));
        assertThrows(MessageFormatException.class, () -> m.writeUTF("\u20ac".repeat(21846)));
        m.reset();
        assertEquals(65537, m.getBodyLength());
        assertEquals(65535, m.readUTF().length());
    }

    @Test
    void readBytesWithLength() throws JMSException {
        BytesMessage m = new TernBytesMessage();
        m.writeBytes(new byte[] {1, 2, 3, 4, 5});
        m.reset();
        byte[] buf = new byte[4];
        assertEquals(2, m.readBytes(buf, 2));
        assertArrayEquals(new byte[] {1, 2, 0, 0}, buf);
        assertEquals(0, m.readBytes(buf, 0));
        assertEquals(3, m.readBytes(buf, 4));
        assertArrayEquals(new byte[] {3, 4, 5, 0}, buf);
        assertEquals(-1, m.readBytes(buf, 4));
        assertThrows(IndexOutOfBoundsException.class, () -> m.readBytes(buf, 5));
        assertThrows(IndexOutOfBoundsException.class, () -> m.readBytes(buf, -1));
    }

    @Test
    void writeObjectWritesTheTypedValue() throws JMSException {
        BytesMessage m = new TernBytesMessage();
        for (Object v : List.of(true, (byte) 1, (short) 2, 'c', 3, 4L, 5f, 6d, "s", new byte[] {7})) {
            m.writeObject(v);
        }
        assertThrows(NullPointerException.class, () -> m.writeObject(null));
        assertThrows(MessageFormatException.class, () -> m.writeObject(new Object()));
        m.reset();
        assertTrue(m.readBoolean());
        assertEquals(1, m.readByte());
        assertEquals(2, m.readShort());
        assertEquals('c', m.readChar());
        assertEquals(3, m.readInt());
        assertEquals(4L, m.readLong());
        assertEquals(5f, m.readFloat());
        assertEquals(6d, m.readDouble());
        assertEquals("s", m.readUTF());
        assertEquals(7, m.readByte());
        assertThrows(MessageEOFException.class, m::readByte);
    }

    @Test
    void modes() throws JMSException {
        BytesMessage m = new TernBytesMessage();
        m.writeInt(1);
        assertThrows(MessageNotReadableException.class, m::readInt);
        assertThrows(MessageNotReadableException.class, m::getBodyLength);
        assertThrows(MessageNotReadableException.class, () -> m.readBytes(new byte[1]));
        m.reset();
        assertThrows(MessageNotWriteableException.class, () -> m.writeInt(2));
        assertThrows(MessageNotWriteableException.class, () -> m.writeBytes(new byte[1]));
        assertThrows(MessageNotWriteableException.class, () -> m.writeObject("x"));
        assertEquals(1, m.readInt());
        m.reset();
        assertEquals(1, m.readInt());
        m.clearBody();
        assertThrows(MessageNotReadableException.class, m::getBodyLength);
        m.writeByte((byte) 2);
        m.reset();
        assertEquals(1, m.getBodyLength());
        assertEquals(2, m.readByte());
    }

    @Test
    void receivedBodyIsReadOnlyUntilCleared() throws JMSException {
        TernBytesMessage sent = new TernBytesMessage();
        sent.writeInt(42);
        BytesMessage m = (BytesMessage) MessagePropertiesTest.received(sent);
        assertThrows(MessageNotWriteableException.class, () -> m.writeInt(1));
        assertEquals(42, m.readInt());
        m.clearBody();
        m.writeInt(43);
        m.reset();
        assertEquals(43, m.readInt());
    }

    @Test
    void largeBodiesGrow() throws JMSException {
        BytesMessage m = new TernBytesMessage();
        byte[] chunk = new byte[1000];
        for (int i = 0; i < 1000; i++) {
            chunk[0] = (byte) i;
            m.writeBytes(chunk);
        }
        m.reset();
        assertEquals(1_000_000, m.getBodyLength());
        byte[] read = new byte[1000];
        for (int i = 0; i < 1000; i++) {
            assertEquals(1000, m.readBytes(read));
            assertEquals((byte) i, read[0]);
        }
    }

    @Test
    void getBodyInEitherModeAndEmptyBodyIsNoBody() throws JMSException {
        BytesMessage m = new TernBytesMessage();
        assertNull(m.getBody(byte[].class));
        assertNull(m.getBody(String.class));
        assertTrue(m.isBodyAssignableTo(String.class));
        m.writeByte((byte) 1);
        assertArrayEquals(new byte[] {1}, m.getBody(byte[].class));
        assertArrayEquals(new byte[] {1}, (byte[]) m.getBody(Object.class));
        assertTrue(m.isBodyAssignableTo(byte[].class));
        assertFalse(m.isBodyAssignableTo(String.class));
        assertThrows(MessageFormatException.class, () -> m.getBody(String.class));
        m.reset();
        assertEquals(1, m.readByte());
        byte[] body = m.getBody(byte[].class);
        assertArrayEquals(new byte[] {1}, body);
        body[0] = 9;
        m.reset();
        assertEquals(1, m.readByte(), "getBody returns a copy");
    }
}
