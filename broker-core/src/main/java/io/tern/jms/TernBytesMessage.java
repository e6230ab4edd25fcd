package io.tern.jms;

import io.tern.protocol.MessageSnapshot.BodyType;
import jakarta.jms.BytesMessage;
import jakarta.jms.JMSException;
import jakarta.jms.MessageEOFException;
import jakarta.jms.MessageFormatException;
import jakarta.jms.MessageNotReadableException;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Objects;

/**
 * A message whose body is a stream of bytes, written and read as {@code DataOutputStream} and
 * {@code DataInputStream} do (big-endian, modified UTF-8 strings).
 *
 * <p>The body starts in write mode; {@link #reset()} switches to read mode, as does receipt. The bytes
 * live in one array: writes append to it, and once the message is in read mode the array is never
 * written again (clearBody starts a new one), so snapshots and received messages share it safely.
 * A failed read leaves the read position where it was. Not thread-safe, like every message.
 */
public class TernBytesMessage extends TernMessage implements BytesMessage {

    private static final byte[] EMPTY = new byte[0];
    /** The longest string writeUTF can write: its length prefix is an unsigned short. */
    private static final int MAX_UTF_LENGTH = 65535;
    /** The largest array the JVM reliably allocates. */
    private static final int MAX_BODY_LENGTH = Integer.MAX_VALUE - 8;

    private byte[] data = EMPTY;
    /** Bytes of the body in {@code data}; the rest of the array is spare capacity in write mode. */
    private int length;
    private int position;

    public TernBytesMessage() {
    }

    // ---- body hooks ----

    @Override
    BodyType bodyType() {
        return BodyType.BYTES;
    }

    @Override
    Object snapshotBody() {
        if (!bodyReadOnly) {
            return Arrays.copyOf(data, length);
        }
        if (data.length != length) {
            data = Arrays.copyOf(data, length); // trim once; read mode never writes the array again
        }
        return data;
    }

    @Override
    void loadSnapshotBody(Object body) {
        data = body == null ? EMPTY : (byte[]) body;
        length = data.length;
        position = 0;
    }

    @Override
    void clearBodyContent() {
        data = EMPTY;
        length = 0;
        position = 0;
    }

    @Override
    boolean hasBody() {
        return length > 0;
    }

    @Override
    Class<?> bodyClass() {
        return byte[].class;
    }

    @Override
    Object copyOfBody() {
        return Arrays.copyOf(data, length);
    }

    // ---- modes ----

    @Override
    public void reset() {
        bodyReadOnly = true;
        position = 0;
    }

    @Override
    public long getBodyLength() throws JMSException {
        checkReadable();
        return length;
    }

    private void checkReadable() throws MessageNotReadableException {
        if (!bodyReadOnly) {
            throw new MessageNotReadableException("the BytesMessage is in write mode: call reset() before reading");
        }
    }

    /** Checks that {@code n} more bytes can be read and returns where they start, without consuming them. */
    private int readable(int n) throws JMSException {
        checkReadable();
        if (length - position < n) {
            throw new MessageEOFException("end of BytesMessage: " + n + " bytes wanted, "
                    + (length - position) + " left");
        }
        return position;
    }

    // ---- reads ----

    @Override
    public boolean readBoolean() throws JMSException {
        return readByte() != 0;
    }

    @Override
    public byte readByte() throws JMSException {
        int p = readable(1);
        position = p + 1;
        return data[p];
    }

    @Override
    public int readUnsignedByte() throws JMSException {
        return readByte() & 0xFF;
    }

    @Override
    public short readShort() throws JMSException {
        int p = readable(2);
        position = p + 2;
        return (short) (((data[p] & 0xFF) << 8) | (data[p + 1] & 0xFF));
    }

    @Override
    public int readUnsignedShort() throws JMSException {
        return readShort() & 0xFFFF;
    }

    @Override
    public char readChar() throws JMSException {
        return (char) readShort();
    }

    @Override
    public int readInt() throws JMSException {
        int p = readable(4);
        position = p + 4;
        return intAt(p);
    }

    @Override
    public long readLong() throws JMSException {
        int p = readable(8);
        position = p + 8;
        return ((long) intAt(p) << 32) | (intAt(p + 4) & 0xFFFFFFFFL);
    }

    @Override
    public float readFloat() throws JMSException {
        return Float.intBitsToFloat(readInt());
    }

    @Override
    public double readDouble() throws JMSException {
        return Double.longBitsToDouble(readLong());
    }

    @Override
    public String readUTF() throws JMSException {
        int p = readable(2);
        int utfLength = ((data[p] & 0xFF) << 8) | (data[p + 1] & 0xFF);
        readable(2 + utfLength);
        try {
            String s = DataInputStream.readUTF(new DataInputStream(new ByteArrayInputStream(data, p, 2 + utfLength)));
            position = p + 2 + utfLength;
            return s;
        } catch (IOException e) {
            MessageFormatException mfe = new MessageFormatException("malformed modified UTF-8 string at byte " + p
                    + " of the BytesMessage: " + e.getMessage());
            mfe.setLinkedException(e);
            mfe.initCause(e);
            throw mfe;
        }
    }

    @Override
    public int readBytes(byte[] value) throws JMSException {
        return readBytes(value, value.length);
    }

    @Override
    public int readBytes(byte[] value, int length) throws JMSException {
        if (length < 0 || length > value.length) {
            throw new IndexOutOfBoundsException("length " + length + " is outside 0.." + value.length);
        }
        checkReadable();
        int left = this.length - position;
        if (left == 0) {
            return -1;
        }
        int n = Math.min(length, left);
        System.arraycopy(data, position, value, 0, n);
        position += n;
        return n;
    }

    private int intAt(int p) {
        return ((data[p] & 0xFF) << 24) | ((data[p + 1] & 0xFF) << 16) | ((data[p + 2] & 0xFF) << 8) | (data[p + 3] & 0xFF);
    }

    // ---- writes ----

    /** Checks write mode, makes room for {@code n} more bytes and returns where they go. */
    private int writable(int n) throws JMSException {
        checkBodyWritable();
        if (data.length - length < n) {
            long needed = (long) length + n;
            long capacity = Math.min(Math.max(needed, Math.max(64L, 2L * data.length)), MAX_BODY_LENGTH);
            if (needed > capacity) {
                throw new MessageFormatException("a BytesMessage body cannot exceed " + MAX_BODY_LENGTH + " bytes");
            }
            data = Arrays.copyOf(data, (int) capacity);
        }
        int p = length;
        length += n;
        return p;
    }

    @Override
    public void writeBoolean(boolean value) throws JMSException {
        int p = writable(1); // before indexing: writable may replace the array
        data[p] = (byte) (value ? 1 : 0);
    }

    @Override
    public void writeByte(byte value) throws JMSException {
        int p = writable(1);
        data[p] = value;
    }

    @Override
    public void writeShort(short value) throws JMSException {
        int p = writable(2);
        data[p] = (byte) (value >>> 8);
        data[p + 1] = (byte) value;
    }

    @Override
    public void writeChar(char value) throws JMSException {
        writeShort((short) value);
    }

    @Override
    public void writeInt(int value) throws JMSException {
        putInt(writable(4), value);
    }

    @Override
    public void writeLong(long value) throws JMSException {
        int p = writable(8);
        putInt(p, (int) (value >>> 32));
        putInt(p + 4, (int) value);
    }

    @Override
    public void writeFloat(float value) throws JMSException {
        writeInt(Float.floatToIntBits(value));
    }

    @Override
    public void writeDouble(double value) throws JMSException {
        writeLong(Double.doubleToLongBits(value));
    }

    /** Modified UTF-8 with a two-byte length, as {@code DataOutputStream.writeUTF}. */
    @Override
    public void writeUTF(String value) throws JMSException {
        Objects.requireNonNull(value, "writeUTF value");
        int utfLength = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            utfLength += c >= 0x0001 && c <= 0x007F ? 1 : c <= 0x07FF ? 2 : 3;
        }
        if (utfLength > MAX_UTF_LENGTH) {
            throw new MessageFormatException("writeUTF: the string takes " + utfLength
                    + " bytes in modified UTF-8, more than the " + MAX_UTF_LENGTH + " allowed");
        }
        int p = writable(2 + utfLength);
        data[p++] = (byte) (utfLength >>> 8);
        data[p++] = (byte) utfLength;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c >= 0x0001 && c <= 0x007F) {
                data[p++] = (byte) c;
            } else if (c <= 0x07FF) {
                data[p++] = (byte) (0xC0 | (c >> 6));
                data[p++] = (byte) (0x80 | (c & 0x3F));
            } else {
                data[p++] = (byte) (0xE0 | (c >> 12));
                data[p++] = (byte) (0x80 | ((c >> 6) & 0x3F));
                data[p++] = (byte) (0x80 | (c & 0x3F));
            }
        }
    }

    @Override
    public void writeBytes(byte[] value) throws JMSException {
        writeBytes(value, 0, value.length);
    }

    @Override
    public void writeBytes(byte[] value, int offset, int length) throws JMSException {
        Objects.checkFromIndexSize(offset, length, value.length);
        int p = writable(length);
        System.arraycopy(value, offset, data, p, length);
    }

    /**
     * Writes a boxed primitive, String (as writeUTF) or byte[].
     *
     * @throws NullPointerException   when value is null
     * @throws MessageFormatException when value is of any other type
     */
    @Override
    public void writeObject(Object value) throws JMSException {
        Objects.requireNonNull(value, "BytesMessage.writeObject value");
        if (value instanceof Boolean v) {
            writeBoolean(v);
        } else if (value instanceof Byte v) {
            writeByte(v);
        } else if (value instanceof Short v) {
            writeShort(v);
        } else if (value instanceof Character v) {
            writeChar(v);
        } else if (value instanceof Integer v) {
            writeInt(v);
        } else if (value instanceof Long v) {
            writeLong(v);
        } else if (value instanceof Float v) {
            writeFloat(v);
        } else if (value instanceof Double v) {
            writeDouble(v);
        } else if (value instanceof String v) {
            writeUTF(v);
        } else if (value instanceof byte[] v) {
            writeBytes(v);
        } else {
            throw new MessageFormatException("BytesMessage.writeObject cannot write a " + value.getClass().getName());
        }
    }

    private void putInt(int p, int v) {
        data[p] = (byte) (v >>> 24);
        data[p + 1] = (byte) (v >>> 16);
        data[p + 2] = (byte) (v >>> 8);
        data[p + 3] = (byte) v;
    }
}
