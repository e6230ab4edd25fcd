package io.tern.protocol;

import io.tern.protocol.MessageSnapshot.BodyType;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The binary form of a {@link MessageSnapshot}, shared by the stores and the wire so that a message is
 * encoded once: {@link #encode} caches its result in the snapshot and {@link #decode(byte[])} caches its
 * input.
 *
 * <p>Format version 1, in this order (varint: unsigned LEB128; zigzag: signed LEB128 with zigzag
 * mapping; string: varint of byte length + 1, 0 for null, then each UTF-16 char as 1 to 3 bytes in the
 * UTF-8 bit layout (CESU-8), so every Java String round-trips, unpaired surrogates included; bytes:
 * varint of length + 1, 0 for null, then the bytes; address: one byte, 0 for null, 1 queue, 2 topic,
 * 3 temporary queue, 4 temporary topic, then the name as a string):
 * <pre>
 *   u8 version (1)
 *   string messageId, zigzag timestamp, string correlationId, bytes correlationIdBytes,
 *   address replyTo, address destination, string type, zigzag deliveryMode, zigzag expiration,
 *   zigzag priority, zigzag deliveryTime, string producerId, zigzag producerSequence,
 *   varint propertyCount, then per property: string name (not null), value
 *   u8 bodyType (0 message, 1 text, 2 bytes, 3 map, 4 stream, 5 object), then the body:
 *     message: nothing; text: string; bytes and object: bytes;
 *     map: varint count + 1 (0 for null), then per entry string name (not null), value;
 *     stream: varint count + 1 (0 for null), then the values
 *   value: u8 tag, then 0 null, 1 false, 2 true (no payload), 3 byte (1 byte), 4 short (2 bytes),
 *     5 char (2 bytes), 6 int (zigzag), 7 long (zigzag), 8 float (4 bytes of its int bits),
 *     9 double (8 bytes of its long bits), 10 string, 11 byte[] (bytes, not null)
 * </pre>
 * Fixed-size numbers are big-endian. Nothing may follow the body.
 *
 * <p>Decoding checks every length and count against the bytes that remain before it allocates, so
 * corrupt input fails with a {@link MalformedMessageException} and never with a huge allocation.
 *
 * <p>Stateless, so thread-safe.
 */
public final class MessageCodec {

    /** The format version this codec writes, and the only one it reads. */
    public static final int FORMAT_VERSION = 1;

    private static final int NULL = 0;
    private static final int FALSE = 1;
    private static final int TRUE = 2;
    private static final int BYTE = 3;
    private static final int SHORT = 4;
    private static final int CHAR = 5;
    private static final int INT = 6;
    private static final int LONG = 7;
    private static final int FLOAT = 8;
    private static final int DOUBLE = 9;
    private static final int STRING = 10;
    private static final int BYTES = 11;

    private MessageCodec() {
    }

    /**
     * The encoded form of {@code snapshot}: the cached one if it has one, else encodes it now and caches
     * it. The array is shared: never modify it.
     *
     * @throws IllegalArgumentException when the snapshot holds a value of a type the format has no tag for
     */
    public static byte[] encode(MessageSnapshot snapshot) {
        byte[] cached = snapshot.cachedEncoding();
        if (cached != null) {
            return cached;
        }
        Output out = new Output(Math.min(snapshot.estimatedSize(), 1 << 16));
        out.writeByte(FORMAT_VERSION);
        out.writeString(snapshot.messageId());
        out.writeZigZagLong(snapshot.timestamp());
        out.writeString(snapshot.correlationId());
        out.writeBytes(snapshot.correlationIdBytes());
        writeAddress(out, snapshot.replyTo());
        writeAddress(out, snapshot.destination());
        out.writeString(snapshot.type());
        out.writeZigZagInt(snapshot.deliveryMode());
        out.writeZigZagLong(snapshot.expiration());
        out.writeZigZagInt(snapshot.priority());
        out.writeZigZagLong(snapshot.deliveryTime());
        out.writeString(snapshot.producerId());
        out.writeZigZagLong(snapshot.producerSequence());
        Map<String, Object> properties = snapshot.properties();
        out.writeVarInt(properties.size());
        for (Map.Entry<String, Object> e : properties.entrySet()) {
            writeName(out, e.getKey(), "property");
            writeValue(out, e.getValue());
        }
        writeBody(out, snapshot.bodyType(), snapshot.body());
        byte[] encoded = out.toByteArray();
        snapshot.cacheEncoding(encoded);
        return encoded;
    }

    /**
     * Decodes a whole array. The array becomes the snapshot's cached encoding, so the caller must not
     * modify it afterwards.
     *
     * @throws MalformedMessageException when the bytes are not one encoded message of a known version
     */
    public static MessageSnapshot decode(byte[] encoded) throws MalformedMessageException {
        MessageSnapshot snapshot = decode(encoded, 0, encoded.length);
        snapshot.cacheEncoding(encoded);
        return snapshot;
    }

    /**
     * Decodes {@code length} bytes from {@code offset}, for a message inside a larger buffer. Nothing of
     * the buffer is kept: the snapshot has no cached encoding.
     *
     * @throws MalformedMessageException when the bytes are not one encoded message of a known version
     */
    public static MessageSnapshot decode(byte[] buffer, int offset, int length) throws MalformedMessageException {
        Objects.checkFromIndexSize(offset, length, buffer.length);
        Input in = new Input(buffer, offset, offset + length);
        int version = in.readUnsignedByte("format version");
        if (version != FORMAT_VERSION) {
            throw new MalformedMessageException("unsupported message format version " + version
                    + ": this codec reads version " + FORMAT_VERSION);
        }
        MessageSnapshot.Builder b = MessageSnapshot.builder()
                .messageId(in.readString("messageId"))
                .timestamp(in.readZigZagLong("timestamp"))
                .correlationId(in.readString("correlationId"))
                .correlationIdBytes(in.readBytes("correlationIdBytes"))
                .replyTo(readAddress(in, "replyTo"))
                .destination(readAddress(in, "destination"))
                .type(in.readString("type"))
                .deliveryMode(in.readZigZagInt("deliveryMode"))
                .expiration(in.readZigZagLong("expiration"))
                .priority(in.readZigZagInt("priority"))
                .deliveryTime(in.readZigZagLong("deliveryTime"))
                .producerId(in.readString("producerId"))
                .producerSequence(in.readZigZagLong("producerSequence"));
        // a property takes at least two bytes: a name length and a value tag
        int propertyCount = in.readCount("property count", 2);
        Map<String, Object> properties = new LinkedHashMap<>(capacityFor(propertyCount));
        for (int i = 0; i < propertyCount; i++) {
            String name = in.readName("property name");
            properties.put(name, readValue(in, "property " + name));
        }
        if (properties.size() != propertyCount) {
            throw in.malformed("duplicate property names");
        }
        b.properties(properties);
        readBody(in, b);
        if (in.remaining() != 0) {
            throw in.malformed(in.remaining() + " unexpected bytes after the body");
        }
        return b.build();
    }

    private static void writeBody(Output out, BodyType type, Object body) {
        switch (type) {
            case MESSAGE -> {
                out.writeByte(0);
                if (body != null) {
                    throw new IllegalArgumentException("a MESSAGE snapshot has no body, yet it holds a "
                            + body.getClass().getName());
                }
            }
            case TEXT -> {
                out.writeByte(1);
                out.writeString(bodyAs(String.class, type, body));
            }
            case BYTES -> {
                out.writeByte(2);
                out.writeBytes(bodyAs(byte[].class, type, body));
            }
            case MAP -> {
                out.writeByte(3);
                if (body == null) {
                    out.writeVarInt(0);
                } else {
                    Map<?, ?> map = bodyAs(Map.class, type, body);
                    out.writeVarInt(map.size() + 1);
                    for (Map.Entry<?, ?> e : map.entrySet()) {
                        if (!(e.getKey() instanceof String name)) {
                            throw new IllegalArgumentException("a map body has a key that is not a String: " + e.getKey());
                        }
                        writeName(out, name, "map entry");
                        writeValue(out, e.getValue());
                    }
                }
            }
            case STREAM -> {
                out.writeByte(4);
                if (body == null) {
                    out.writeVarInt(0);
                } else {
                    List<?> list = bodyAs(List.class, type, body);
                    out.writeVarInt(list.size() + 1);
                    for (Object v : list) {
                        writeValue(out, v);
                    }
                }
            }
            case OBJECT -> {
                out.writeByte(5);
                out.writeBytes(bodyAs(byte[].class, type, body));
            }
        }
    }

    private static <T> T bodyAs(Class<T> expected, BodyType type, Object body) {
        if (body != null && !expected.isInstance(body)) {
            throw new IllegalArgumentException("a " + type + " snapshot has a body of type "
                    + body.getClass().getName() + ", not " + expected.getSimpleName());
        }
        return expected.cast(body);
    }

    private static void readBody(Input in, MessageSnapshot.Builder b) throws MalformedMessageException {
        int type = in.readUnsignedByte("body type");
        switch (type) {
            case 0 -> b.body(BodyType.MESSAGE, null);
            case 1 -> b.body(BodyType.TEXT, in.readString("text body"));
            case 2 -> b.body(BodyType.BYTES, in.readBytes("bytes body"));
            case 3 -> {
                int count = in.readNullableCount("map body size", 2);
                if (count < 0) {
                    b.body(BodyType.MAP, null);
                    return;
                }
                Map<String, Object> map = new LinkedHashMap<>(capacityFor(count));
                for (int i = 0; i < count; i++) {
                    String name = in.readName("map entry name");
                    map.put(name, readValue(in, "map entry " + name));
                }
                if (map.size() != count) {
                    throw in.malformed("duplicate map entry names");
                }
                b.body(BodyType.MAP, Collections.unmodifiableMap(map));
            }
            case 4 -> {
                int count = in.readNullableCount("stream body size", 1);
                if (count < 0) {
                    b.body(BodyType.STREAM, null);
                    return;
                }
                List<Object> list = new ArrayList<>(count);
                for (int i = 0; i < count; i++) {
                    list.add(readValue(in, "stream field " + i));
                }
                b.body(BodyType.STREAM, Collections.unmodifiableList(list));
            }
            case 5 -> b.body(BodyType.OBJECT, in.readBytes("object body"));
            default -> throw in.malformed("unknown body type " + type);
        }
    }

    private static void writeAddress(Output out, Address address) {
        if (address == null) {
            out.writeByte(0);
            return;
        }
        out.writeByte(switch (address.kind()) {
            case QUEUE -> 1;
            case TOPIC -> 2;
            case TEMP_QUEUE -> 3;
            case TEMP_TOPIC -> 4;
        });
        out.writeString(address.name());
    }

    private static Address readAddress(Input in, String field) throws MalformedMessageException {
        int kind = in.readUnsignedByte(field + " kind");
        Address.Kind k = switch (kind) {
            case 0 -> null;
            case 1 -> Address.Kind.QUEUE;
            case 2 -> Address.Kind.TOPIC;
            case 3 -> Address.Kind.TEMP_QUEUE;
            case 4 -> Address.Kind.TEMP_TOPIC;
            default -> throw in.malformed("unknown destination kind " + kind + " of " + field);
        };
        return k == null ? null : new Address(k, in.readName(field + " name"));
    }

    private static void writeName(Output out, String name, String of) {
        if (name == null) {
            throw new IllegalArgumentException("a " + of + " name is null");
        }
        out.writeString(name);
    }

    private static void writeValue(Output out, Object v) {
        if (v == null) {
            out.writeByte(NULL);
        } else if (v instanceof String s) {
            out.writeByte(STRING);
            out.writeString(s);
        } else if (v instanceof Integer i) {
            out.writeByte(INT);
            out.writeZigZagInt(i);
        } else if (v instanceof Long l) {
            out.writeByte(LONG);
            out.writeZigZagLong(l);
        } else if (v instanceof Boolean bool) {
            out.writeByte(bool ? TRUE : FALSE);
        } else if (v instanceof byte[] bytes) {
            out.writeByte(BYTES);
            out.writeBytes(bytes);
        } else if (v instanceof Double d) {
            out.writeByte(DOUBLE);
            out.writeFixedLong(Double.doubleToRawLongBits(d));
        } else if (v instanceof Float f) {
            out.writeByte(FLOAT);
            out.writeFixedInt(Float.floatToRawIntBits(f));
        } else if (v instanceof Short s) {
            out.writeByte(SHORT);
            out.writeFixedShort(s);
        } else if (v instanceof Byte b) {
            out.writeByte(BYTE);
            out.writeByte(b);
        } else if (v instanceof Character c) {
            out.writeByte(CHAR);
            out.writeFixedShort(c);
        } else {
            throw new IllegalArgumentException("a message cannot carry a value of type " + v.getClass().getName());
        }
    }

    private static Object readValue(Input in, String field) throws MalformedMessageException {
        int tag = in.readUnsignedByte(field);
        return switch (tag) {
            case NULL -> null;
            case FALSE -> Boolean.FALSE;
            case TRUE -> Boolean.TRUE;
            case BYTE -> (byte) in.readUnsignedByte(field);
            case SHORT -> (short) in.readFixedShort(field);
            case CHAR -> (char) in.readFixedShort(field);
            case INT -> in.readZigZagInt(field);
            case LONG -> in.readZigZagLong(field);
            case FLOAT -> Float.intBitsToFloat(in.readFixedInt(field));
            case DOUBLE -> Double.longBitsToDouble(in.readFixedLong(field));
            case STRING -> {
                String s = in.readString(field);
                if (s == null) {
                    throw in.malformed(field + ": a string value is null; null has its own tag");
                }
                yield s;
            }
            case BYTES -> {
                byte[] b = in.readBytes(field);
                if (b == null) {
                    throw in.malformed(field + ": a byte[] value is null; null has its own tag");
                }
                yield b;
            }
            default -> throw in.malformed("unknown value tag " + tag + " of " + field);
        };
    }

    private static int capacityFor(int entries) {
        return (int) Math.min((entries * 4L + 2) / 3, Integer.MAX_VALUE);
    }

    /** A growable byte array written front to back; not thread-safe. */
    private static final class Output {
        private byte[] buf;
        private int size;

        Output(int initialCapacity) {
            buf = new byte[Math.max(initialCapacity, 64)];
        }

        private void ensure(int n) {
            if (buf.length - size < n) {
                long needed = (long) size + n;
                long capacity = Math.max(needed, 2L * buf.length);
                if (needed > Integer.MAX_VALUE - 8) {
                    throw new IllegalArgumentException("an encoded message cannot exceed 2 GiB");
                }
                buf = Arrays.copyOf(buf, (int) Math.min(capacity, Integer.MAX_VALUE - 8));
            }
        }

        void writeByte(int v) {
            ensure(1);
            buf[size++] = (byte) v;
        }

        void writeFixedShort(int v) {
            ensure(2);
            buf[size++] = (byte) (v >>> 8);
            buf[size++] = (byte) v;
        }

        void writeFixedInt(int v) {
            ensure(4);
            buf[size++] = (byte) (v >>> 24);
            buf[size++] = (byte) (v >>> 16);
            buf[size++] = (byte) (v >>> 8);
            buf[size++] = (byte) v;
        }

        void writeFixedLong(long v) {
            writeFixedInt((int) (v >>> 32));
            writeFixedInt((int) v);
        }

        void writeVarInt(int v) {
            ensure(5);
            while ((v & ~0x7F) != 0) {
                buf[size++] = (byte) ((v & 0x7F) | 0x80);
                v >>>= 7;
            }
            buf[size++] = (byte) v;
        }

        void writeVarLong(long v) {
            ensure(10);
            while ((v & ~0x7FL) != 0) {
                buf[size++] = (byte) ((v & 0x7F) | 0x80);
                v >>>= 7;
            }
            buf[size++] = (byte) v;
        }

        void writeZigZagInt(int v) {
            writeVarInt((v << 1) ^ (v >> 31));
        }

        void writeZigZagLong(long v) {
            writeVarLong((v << 1) ^ (v >> 63));
        }

        void writeBytes(byte[] b) {
            if (b == null) {
                writeVarInt(0);
                return;
            }
            writeVarInt(b.length + 1);
            ensure(b.length);
            System.arraycopy(b, 0, buf, size, b.length);
            size += b.length;
        }

        void writeString(String s) {
            if (s == null) {
                writeVarInt(0);
                return;
            }
            int n = s.length();
            long encodedLength = n;
            for (int i = 0; i < n; i++) {
                char c = s.charAt(i);
                if (c >= 0x80) {
                    encodedLength += c < 0x800 ? 1 : 2;
                }
            }
            if (encodedLength >= Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("a string of " + n + " chars is too long to encode");
            }
            writeVarInt((int) encodedLength + 1);
            ensure((int) encodedLength);
            if (encodedLength == n) {
                for (int i = 0; i < n; i++) {
                    buf[size++] = (byte) s.charAt(i);
                }
                return;
            }
            for (int i = 0; i < n; i++) {
                char c = s.charAt(i);
                if (c < 0x80) {
                    buf[size++] = (byte) c;
                } else if (c < 0x800) {
                    buf[size++] = (byte) (0xC0 | (c >> 6));
                    buf[size++] = (byte) (0x80 | (c & 0x3F));
                } else {
                    buf[size++] = (byte) (0xE0 | (c >> 12));
                    buf[size++] = (byte) (0x80 | ((c >> 6) & 0x3F));
                    buf[size++] = (byte) (0x80 | (c & 0x3F));
                }
            }
        }

        byte[] toByteArray() {
            return Arrays.copyOf(buf, size);
        }
    }

    /** Reads a slice of an array front to back, checking every length against what remains; not thread-safe. */
    private static final class Input {
        private final byte[] buf;
        private final int start;
        private final int limit;
        private int pos;

        Input(byte[] buf, int start, int limit) {
            this.buf = buf;
            this.start = start;
            this.limit = limit;
            this.pos = start;
        }

        int remaining() {
            return limit - pos;
        }

        MalformedMessageException malformed(String what) {
            return new MalformedMessageException("malformed message at byte " + (pos - start) + " of "
                    + (limit - start) + ": " + what);
        }

        private void need(int n, String field) throws MalformedMessageException {
            if (limit - pos < n) {
                throw malformed("truncated: " + field + " needs " + n + " bytes, " + (limit - pos) + " left");
            }
        }

        int readUnsignedByte(String field) throws MalformedMessageException {
            need(1, field);
            return buf[pos++] & 0xFF;
        }

        int readFixedShort(String field) throws MalformedMessageException {
            need(2, field);
            int v = ((buf[pos] & 0xFF) << 8) | (buf[pos + 1] & 0xFF);
            pos += 2;
            return v;
        }

        int readFixedInt(String field) throws MalformedMessageException {
            need(4, field);
            int v = ((buf[pos] & 0xFF) << 24) | ((buf[pos + 1] & 0xFF) << 16)
                    | ((buf[pos + 2] & 0xFF) << 8) | (buf[pos + 3] & 0xFF);
            pos += 4;
            return v;
        }

        long readFixedLong(String field) throws MalformedMessageException {
            return ((long) readFixedInt(field) << 32) | (readFixedInt(field) & 0xFFFFFFFFL);
        }

        int readVarInt(String field) throws MalformedMessageException {
            int v = 0;
            for (int shift = 0; shift < 35; shift += 7) {
                int b = readUnsignedByte(field);
                if (shift == 28 && (b & 0xF0) != 0) {
                    throw malformed(field + ": varint does not fit in 32 bits");
                }
                v |= (b & 0x7F) << shift;
                if ((b & 0x80) == 0) {
                    return v;
                }
            }
            throw malformed(field + ": varint longer than 5 bytes");
        }

        long readVarLong(String field) throws MalformedMessageException {
            long v = 0;
            for (int shift = 0; shift < 70; shift += 7) {
                int b = readUnsignedByte(field);
                if (shift == 63 && (b & 0xFE) != 0) {
                    throw malformed(field + ": varint does not fit in 64 bits");
                }
                v |= (long) (b & 0x7F) << shift;
                if ((b & 0x80) == 0) {
                    return v;
                }
            }
            throw malformed(field + ": varint longer than 10 bytes");
        }

        int readZigZagInt(String field) throws MalformedMessageException {
            int v = readVarInt(field);
            return (v >>> 1) ^ -(v & 1);
        }

        long readZigZagLong(String field) throws MalformedMessageException {
            long v = readVarLong(field);
            return (v >>> 1) ^ -(v & 1);
        }

        /** A count of items of at least {@code minItemSize} bytes each, checked against what remains. */
        int readCount(String field, int minItemSize) throws MalformedMessageException {
            int count = readVarInt(field);
            checkCount(count, field, minItemSize);
            return count;
        }

        /** As {@link #readCount} for a count written plus one, 0 meaning null; returns -1 for null. */
        int readNullableCount(String field, int minItemSize) throws MalformedMessageException {
            int count = readVarInt(field) - 1;
            if (count == -1) {
                return -1;
            }
            checkCount(count, field, minItemSize);
            return count;
        }

        private void checkCount(int count, String field, int minItemSize) throws MalformedMessageException {
            if (count < 0 || (long) count * minItemSize > remaining()) {
                throw malformed(field + " " + Integer.toUnsignedString(count) + " is more than the "
                        + remaining() + " bytes left can hold");
            }
        }

        /** The length of a nullable string or byte array, -1 for null, checked against what remains. */
        private int readLength(String field) throws MalformedMessageException {
            int n = readVarInt(field) - 1;
            if (n == -1) {
                return -1;
            }
            if (n < 0 || n > remaining()) {
                throw malformed(field + ": length " + Integer.toUnsignedString(n) + " is more than the "
                        + remaining() + " bytes left");
            }
            return n;
        }

        byte[] readBytes(String field) throws MalformedMessageException {
            int n = readLength(field);
            if (n < 0) {
                return null;
            }
            byte[] b = Arrays.copyOfRange(buf, pos, pos + n);
            pos += n;
            return b;
        }

        /** A string that must not be null: names of properties, map entries and destinations. */
        String readName(String field) throws MalformedMessageException {
            String s = readString(field);
            if (s == null) {
                throw malformed(field + " is null");
            }
            return s;
        }

        String readString(String field) throws MalformedMessageException {
            int n = readLength(field);
            if (n < 0) {
                return null;
            }
            int end = pos + n;
            int i = pos;
            while (i < end && buf[i] >= 0) {
                i++;
            }
            if (i == end) { // all ASCII: the JDK's Latin-1 path builds a compact string directly
                String s = new String(buf, pos, n, StandardCharsets.ISO_8859_1);
                pos = end;
                return s;
            }
            char[] chars = new char[n];
            int count = 0;
            i = pos;
            while (i < end) {
                int b = buf[i++] & 0xFF;
                if (b < 0x80) {
                    chars[count++] = (char) b;
                } else if ((b & 0xE0) == 0xC0) {
                    if (i >= end || (buf[i] & 0xC0) != 0x80) {
                        throw malformedString(field, i);
                    }
                    chars[count++] = (char) (((b & 0x1F) << 6) | (buf[i++] & 0x3F));
                } else if ((b & 0xF0) == 0xE0) {
                    if (i + 1 >= end || (buf[i] & 0xC0) != 0x80 || (buf[i + 1] & 0xC0) != 0x80) {
                        throw malformedString(field, i);
                    }
                    chars[count++] = (char) (((b & 0x0F) << 12) | ((buf[i] & 0x3F) << 6) | (buf[i + 1] & 0x3F));
                    i += 2;
                } else {
                    throw malformedString(field, i);
                }
            }
            pos = end;
            return new String(chars, 0, count);
        }

        private MalformedMessageException malformedString(String field, int at) {
            return new MalformedMessageException("malformed message at byte " + (at - start) + " of "
                    + (limit - start) + ": " + field + " is not a valid CESU-8 string");
        }
    }
}
