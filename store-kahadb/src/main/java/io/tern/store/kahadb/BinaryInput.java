package io.tern.store.kahadb;

import java.nio.charset.StandardCharsets;

/**
 * Reads what {@link BinaryOutput} wrote. A read past the end throws {@link CorruptRecordException}, so
 * a damaged payload fails clearly. Belongs to the thread that made it.
 */
final class BinaryInput {

    private final byte[] bytes;
    private int position;
    private final int end;

    BinaryInput(byte[] bytes) {
        this(bytes, 0, bytes.length);
    }

    BinaryInput(byte[] bytes, int offset, int length) {
        this.bytes = bytes;
        this.position = offset;
        this.end = offset + length;
    }

    int readByte() {
        need(1);
        return bytes[position++];
    }

    boolean readBoolean() {
        return readByte() != 0;
    }

    int readInt() {
        need(4);
        int v = ((bytes[position] & 0xff) << 24) | ((bytes[position + 1] & 0xff) << 16)
                | ((bytes[position + 2] & 0xff) << 8) | (bytes[position + 3] & 0xff);
        position += 4;
        return v;
    }

    long readLong() {
        return ((long) readInt() << 32) | (readInt() & 0xffffffffL);
    }

    String readString() {
        int n = readInt();
        if (n == -1) {
            return null;
        }
        need(n);
        String s = new String(bytes, position, n, StandardCharsets.UTF_8);
        position += n;
        return s;
    }

    byte[] readBytes() {
        int n = readInt();
        need(n);
        byte[] v = new byte[n];
        System.arraycopy(bytes, position, v, 0, n);
        position += n;
        return v;
    }

    /** Where the unread bytes start in the array. */
    int position() {
        return position;
    }

    int remaining() {
        return end - position;
    }

    byte[] array() {
        return bytes;
    }

    private void need(int n) {
        if (n < 0 || end - position < n) {
            throw new CorruptRecordException("a record ends early: needs " + n + " more bytes at " + position
                    + ", has " + (end - position));
        }
    }
}
