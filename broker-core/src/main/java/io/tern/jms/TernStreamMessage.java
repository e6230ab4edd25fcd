package io.tern.jms;

import io.tern.protocol.MessageSnapshot.BodyType;
import jakarta.jms.JMSException;
import jakarta.jms.MessageEOFException;
import jakarta.jms.MessageFormatException;
import jakarta.jms.MessageNotReadableException;
import jakarta.jms.StreamMessage;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * A message whose body is a sequence of typed fields, read back in order through the spec's conversion
 * table.
 *
 * <p>The body starts in write mode; {@link #reset()} switches to read mode, as does receipt. A read that
 * fails with MessageFormatException, NumberFormatException or NullPointerException leaves the position
 * where it was, so the field can be read again as another type. A byte[] field may be read in parts
 * with {@link #readBytes}; until it is read to its end no other field may be read.
 *
 * <p>Byte arrays are copied in on write and out on read, so the arrays held here are never written by
 * anyone and a snapshot shares them. Not thread-safe, like every message.
 */
public class TernStreamMessage extends TernMessage implements StreamMessage {

    private List<Object> fields = new ArrayList<>();
    /** True while {@code fields} is a snapshot's unmodifiable list. */
    private boolean shared;
    /** Index of the next field to read. */
    private int position;
    /** Bytes of the current byte[] field already read by readBytes, or -1 when not inside one. */
    private int bytesRead = -1;

    public TernStreamMessage() {
    }

    // ---- body hooks ----

    @Override
    BodyType bodyType() {
        return BodyType.STREAM;
    }

    @Override
    Object snapshotBody() {
        return shared ? fields : Collections.unmodifiableList(new ArrayList<>(fields));
    }

    @Override
    @SuppressWarnings("unchecked")
    void loadSnapshotBody(Object body) {
        fields = body == null ? List.of() : (List<Object>) body;
        shared = true;
        position = 0;
        bytesRead = -1;
    }

    @Override
    void clearBodyContent() {
        fields = new ArrayList<>();
        shared = false;
        position = 0;
        bytesRead = -1;
    }

    /** A StreamMessage body is never returned by getBody, whatever it holds. */
    @Override
    public <T> T getBody(Class<T> c) throws JMSException {
        throw new MessageFormatException("the body of a StreamMessage cannot be returned by getBody");
    }

    @Override
    @SuppressWarnings("rawtypes")
    public boolean isBodyAssignableTo(Class c) {
        return false;
    }

    // ---- modes ----

    @Override
    public void reset() {
        bodyReadOnly = true;
        position = 0;
        bytesRead = -1;
    }

    /** The next field, not consumed; the caller advances {@link #position} once its conversion succeeded. */
    private Object next() throws JMSException {
        if (!bodyReadOnly) {
            throw new MessageNotReadableException("the StreamMessage is in write mode: call reset() before reading");
        }
        if (bytesRead >= 0) {
            throw new MessageFormatException("the byte[] field at index " + position
                    + " is partly read: read it to its end with readBytes before reading the next field");
        }
        if (position >= fields.size()) {
            throw new MessageEOFException("end of StreamMessage: all " + fields.size() + " fields are read");
        }
        return fields.get(position);
    }

    // ---- reads ----

    @Override
    public boolean readBoolean() throws JMSException {
        boolean v = ValueConversions.toBoolean(next());
        position++;
        return v;
    }

    @Override
    public byte readByte() throws JMSException {
        byte v = ValueConversions.toByte(next());
        position++;
        return v;
    }

    @Override
    public short readShort() throws JMSException {
        short v = ValueConversions.toShort(next());
        position++;
        return v;
    }

    @Override
    public char readChar() throws JMSException {
        char v = ValueConversions.toChar(next());
        position++;
        return v;
    }

    @Override
    public int readInt() throws JMSException {
        int v = ValueConversions.toInt(next());
        position++;
        return v;
    }

    @Override
    public long readLong() throws JMSException {
        long v = ValueConversions.toLong(next());
        position++;
        return v;
    }

    @Override
    public float readFloat() throws JMSException {
        float v = ValueConversions.toFloat(next());
        position++;
        return v;
    }

    @Override
    public double readDouble() throws JMSException {
        double v = ValueConversions.toDouble(next());
        position++;
        return v;
    }

    @Override
    public String readString() throws JMSException {
        String v = ValueConversions.toText(next());
        position++;
        return v;
    }

    /** The next field as written (a copy for a byte array), or null for a null field. */
    @Override
    public Object readObject() throws JMSException {
        Object v = next();
        position++;
        return v instanceof byte[] b ? b.clone() : v;
    }

    /**
     * Reads the next part of a byte[] field, as the spec describes: returns the number of bytes copied;
     * a result smaller than {@code value.length} ends the field, a result equal to it asks for another
     * call, which returns -1 when the field had no more bytes. A null field reads as -1, an empty one as 0.
     */
    @Override
    public int readBytes(byte[] value) throws JMSException {
        Objects.requireNonNull(value, "readBytes buffer");
        byte[] field;
        if (bytesRead < 0) {
            Object v = next();
            if (v == null) {
                position++;
                return -1;
            }
            field = ValueConversions.toBytes(v);
            if (field.length == 0) {
                position++;
                return 0;
            }
            bytesRead = 0;
        } else {
            field = (byte[]) fields.get(position);
        }
        int left = field.length - bytesRead;
        if (left == 0) {
            endBytesField();
            return -1;
        }
        int n = Math.min(left, value.length);
        System.arraycopy(field, bytesRead, value, 0, n);
        bytesRead += n;
        if (n < value.length) {
            endBytesField();
        }
        return n;
    }

    private void endBytesField() {
        bytesRead = -1;
        position++;
    }

    // ---- writes ----

    @Override
    public void writeBoolean(boolean value) throws JMSException {
        add(value);
    }

    @Override
    public void writeByte(byte value) throws JMSException {
        add(value);
    }

    @Override
    public void writeShort(short value) throws JMSException {
        add(value);
    }

    @Override
    public void writeChar(char value) throws JMSException {
        add(value);
    }

    @Override
    public void writeInt(int value) throws JMSException {
        add(value);
    }

    @Override
    public void writeLong(long value) throws JMSException {
        add(value);
    }

    @Override
    public void writeFloat(float value) throws JMSException {
        add(value);
    }

    @Override
    public void writeDouble(double value) throws JMSException {
        add(value);
    }

    @Override
    public void writeString(String value) throws JMSException {
        add(value);
    }

    /** Writes a copy of {@code value} (or a null field). */
    @Override
    public void writeBytes(byte[] value) throws JMSException {
        add(value == null ? null : value.clone());
    }

    /** Writes a copy of {@code length} bytes of {@code value} from {@code offset} as one field. */
    @Override
    public void writeBytes(byte[] value, int offset, int length) throws JMSException {
        Objects.checkFromIndexSize(offset, length, value.length);
        add(Arrays.copyOfRange(value, offset, offset + length));
    }

    /**
     * Writes a boxed primitive, String, byte[] (copied) or a null field.
     *
     * @throws MessageFormatException when value is of any other type
     */
    @Override
    public void writeObject(Object value) throws JMSException {
        if (value != null && !ValueConversions.isBodyValueType(value)) {
            throw new MessageFormatException("StreamMessage.writeObject cannot write a " + value.getClass().getName());
        }
        add(value instanceof byte[] b ? b.clone() : value);
    }

    private void add(Object value) throws JMSException {
        checkBodyWritable();
        if (shared) { // unreachable while received bodies stay read-only until clearBody; kept as a guard
            fields = new ArrayList<>(fields);
            shared = false;
        }
        fields.add(value);
    }
}
