package io.tern.store.kahadb;

import java.nio.charset.StandardCharsets;

/**
 * The keys of the LevelDB index. Each starts with one byte naming what it indexes, followed by
 * big-endian numbers, so LevelDB's byte order is numeric order and a prefix scan lists one
 * destination's messages (or one subscription's claims) in sequence order.
 *
 * <pre>
 *   'A' code                      meta: replay point, next ID, next prepare order, format version
 *   'D' destination               a queue or topic: kind, name, last sequence, count, bytes, location
 *   'Q' destination sequence      a stored message: location, size, delivery count, remaining claims
 *   'C' destination sub sequence  a topic subscription's claim on a message: its delivery count
 *   'S' destination sub           a durable subscription: its info, count, location
 *   'X' order                     a prepared transaction: its location
 *   'P' producer                  a producer's highest stored sequence (see ProducerMarks)
 *   'p' order                     producers by their last raise, oldest first
 *   'O' key                       a committed transaction's outcome key (see OutcomeKeys)
 *   'o' order                     outcome keys oldest first
 *   'L' segment offset            a live record at that journal location: what it is (for compaction)
 *   'G' segment                   a journal segment's live records, live bytes and references
 * </pre>
 */
final class IndexKeys {

    static final byte META = 'A';
    static final byte DESTINATION = 'D';
    static final byte MESSAGE = 'Q';
    static final byte CLAIM = 'C';
    static final byte SUBSCRIPTION = 'S';
    static final byte PREPARED = 'X';
    static final byte PRODUCER = 'P';
    static final byte PRODUCER_ORDER = 'p';
    static final byte OUTCOME = 'O';
    static final byte OUTCOME_ORDER = 'o';
    static final byte LIVE = 'L';
    static final byte SEGMENT = 'G';

    static final int META_REPLAY_POINT = 1;
    static final int META_NEXT_ID = 2;
    static final int META_FORMAT = 3;
    static final int META_NEXT_PREPARE_ORDER = 4;
    static final int META_CHECKPOINT = 5;
    static final int META_OUTCOME_ORDER = 6;
    static final int META_PRODUCER_ORDER = 7;

    private IndexKeys() {
    }

    static byte[] meta(int code) {
        return new byte[] {META, (byte) code};
    }

    static byte[] of(byte kind) {
        return new byte[] {kind};
    }

    static byte[] destination(long destinationId) {
        return key(DESTINATION, destinationId);
    }

    static byte[] message(long destinationId, long sequence) {
        return key(MESSAGE, destinationId, sequence);
    }

    static byte[] messages(long destinationId) {
        return key(MESSAGE, destinationId);
    }

    static byte[] claim(long destinationId, long subscriptionId, long sequence) {
        return key(CLAIM, destinationId, subscriptionId, sequence);
    }

    static byte[] claims(long destinationId, long subscriptionId) {
        return key(CLAIM, destinationId, subscriptionId);
    }

    static byte[] claims(long destinationId) {
        return key(CLAIM, destinationId);
    }

    static byte[] subscription(long destinationId, long subscriptionId) {
        return key(SUBSCRIPTION, destinationId, subscriptionId);
    }

    static byte[] subscriptions(long destinationId) {
        return key(SUBSCRIPTION, destinationId);
    }

    static byte[] prepared(long order) {
        return key(PREPARED, order);
    }

    static byte[] producerOrder(long order) {
        return key(PRODUCER_ORDER, order);
    }

    static byte[] outcomeOrder(long order) {
        return key(OUTCOME_ORDER, order);
    }

    /** A key of one kind named by a string (a producer ID, an outcome key): the kind byte, then UTF-8. */
    static byte[] named(byte kind, String name) {
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        byte[] k = new byte[1 + n.length];
        k[0] = kind;
        System.arraycopy(n, 0, k, 1, n.length);
        return k;
    }

    static byte[] live(long segmentId, int offset) {
        byte[] k = new byte[13];
        k[0] = LIVE;
        putLong(k, 1, segmentId);
        putInt(k, 9, offset);
        return k;
    }

    static byte[] live(long segmentId) {
        return key(LIVE, segmentId);
    }

    static byte[] segment(long segmentId) {
        return key(SEGMENT, segmentId);
    }

    /** The long at {@code index} (0-based, after the kind byte) of a key. */
    static long longAt(byte[] key, int index) {
        return getLong(key, 1 + 8 * index);
    }

    static int intAt(byte[] key, int offset) {
        return ((key[offset] & 0xff) << 24) | ((key[offset + 1] & 0xff) << 16) | ((key[offset + 2] & 0xff) << 8)
                | (key[offset + 3] & 0xff);
    }

    private static byte[] key(byte kind, long... parts) {
        byte[] k = new byte[1 + 8 * parts.length];
        k[0] = kind;
        for (int i = 0; i < parts.length; i++) {
            putLong(k, 1 + 8 * i, parts[i]);
        }
        return k;
    }

    static long getLong(byte[] b, int offset) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (b[offset + i] & 0xff);
        }
        return v;
    }

    private static void putLong(byte[] b, int offset, long v) {
        for (int i = 7; i >= 0; i--) {
            b[offset + i] = (byte) v;
            v >>>= 8;
        }
    }

    private static void putInt(byte[] b, int offset, int v) {
        b[offset] = (byte) (v >>> 24);
        b[offset + 1] = (byte) (v >>> 16);
        b[offset + 2] = (byte) (v >>> 8);
        b[offset + 3] = (byte) v;
    }
}
