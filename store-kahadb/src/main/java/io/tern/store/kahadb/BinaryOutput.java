package io.tern.store.kahadb;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A growable big-endian byte buffer for journal payloads, index keys and index values. Belongs to the
 * thread that made it.
 */
final class BinaryOutput {

    private byte[] bytes;
    private int length;

    BinaryOutput(int initialCapacity) {
        bytes = new byte[Math.max(16, initialCapacity)];
    }

    BinaryOutput writeByte(int v) {
        ensure(1);
        bytes[length++] = (byte) v;
        return this;
    }

    BinaryOutput writeInt(int v) {
        ensure(4);
        bytes[length++] = (byte) (v >>> 24);
        bytes[length++] = (byte) (v >>> 16);
        bytes[length++] = (byte) (v >>> 8);
        bytes[length++] = (byte) v;
        return this;
    }

    BinaryOutput writeLong(long v) {
        writeInt((int) (v >>> 32));
        return writeInt((int) v);
    }

    BinaryOutput writeBoolean(boolean v) {
        return writeByte(v ? 1 : 0);
    }

    /** A string as its UTF-8 length (-1 for null) and bytes. */
    BinaryOutput writeString(String v) {
        if (v == null) {
            return writeInt(-1);
        }
        return writeBytes(v.getBytes(StandardCharsets.UTF_8));
    }

    /** Length-prefixed bytes. */
    BinaryOutput writeBytes(byte[] v) {
        writeInt(v.length);
        return writeRaw(v);
    }

    /** Bytes with no length: the rest of a record. */
    BinaryOutput writeRaw(byte[] v) {
        ensure(v.length);
        System.arraycopy(v, 0, bytes, length, v.length);
        length += v.length;
        return this;
    }

    int length() {
        return length;
    }

    byte[] toByteArray() {
        return Arrays.copyOf(bytes, length);
    }

    private void ensure(int more) {
        if (length + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
        }
    }
}
