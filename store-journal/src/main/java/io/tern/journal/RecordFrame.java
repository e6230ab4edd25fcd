package io.tern.journal;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * The byte layout of one record frame, and its checks. All integers are big-endian.
 *
 * <pre>
 * offset size field
 *      0    4 sync marker 0xC7A5E11D (its first byte is never 0, so a zero-filled tail is no frame)
 *      4    4 frame length L: the whole frame, marker and checksum included (32 + payload length)
 *      8    1 kind code (RecordKind: 1 ADD .. 9 ROLLBACK)
 *      9    1 record type: the layer above's byte (0 for PREPARE, COMMIT, ROLLBACK)
 *     10    2 flags, reserved: 0
 *     12    8 id: the record ID of an operation; the operation count of PREPARE and COMMIT; 0 for ROLLBACK
 *     20    8 transaction ID (transactional kinds, PREPARE, COMMIT, ROLLBACK); 0 otherwise
 *     28  L-32 payload
 *    L-4    4 CRC32C of the segment ID (8 bytes) followed by frame bytes 0 .. L-5
 * </pre>
 *
 * <p>The checksum covers the segment ID although the frame does not store it, so a frame that is
 * read from the wrong file (a recycled or copied segment) fails its check like any damaged one.
 *
 * <p>Stateless; a {@link Checksum} belongs to one thread.
 */
final class RecordFrame {

    static final int MARKER = 0xC7A5E11D;
    static final byte MARKER_FIRST_BYTE = (byte) (MARKER >>> 24);
    static final int HEADER_SIZE = 28;
    static final int CHECKSUM_SIZE = 4;
    /** Bytes of a frame that are not payload. */
    static final int OVERHEAD = HEADER_SIZE + CHECKSUM_SIZE;

    static final int LENGTH_AT = 4;
    static final int KIND_AT = 8;
    static final int TYPE_AT = 9;
    static final int FLAGS_AT = 10;
    static final int ID_AT = 12;
    static final int TRANSACTION_AT = 20;
    static final int PAYLOAD_AT = HEADER_SIZE;

    static final String NO_MARKER = "no record marker";
    static final String BAD_LENGTH = "frame length out of range";
    static final String CUT_SHORT = "frame cut short by the end of the written data";
    static final String BAD_KIND = "unknown record kind";
    static final String BAD_FIELDS = "header fields do not fit the record kind";
    static final String BAD_CHECKSUM = "checksum mismatch";

    private RecordFrame() {
    }

    static int frameLength(int payloadLength) {
        return OVERHEAD + payloadLength;
    }

    /**
     * Writes one frame at the buffer's position and advances it.
     *
     * @param header a heap scratch buffer of {@link #HEADER_SIZE} bytes owned by the calling thread
     */
    static void encode(ByteBuffer out, ByteBuffer header, Checksum checksum, long segmentId, RecordKind kind,
                       byte recordType, long id, long transactionId, byte[] payload) {
        int length = frameLength(payload.length);
        header.clear();
        header.putInt(0, MARKER)
                .putInt(LENGTH_AT, length)
                .put(KIND_AT, kind.code())
                .put(TYPE_AT, recordType)
                .putShort(FLAGS_AT, (short) 0)
                .putLong(ID_AT, id)
                .putLong(TRANSACTION_AT, transactionId);
        int crc = checksum.of(segmentId, header.array(), 0, HEADER_SIZE, payload);
        out.put(header).put(payload).putInt(crc);
    }

    /**
     * Checks the header of the frame that would start at {@code at} in {@code buf}, which must hold at
     * least {@link #HEADER_SIZE} bytes from there.
     *
     * @param available the bytes from {@code at} to the end of the data that may hold frames
     * @param capacity the largest frame the segment could hold, to tell a cut-short frame from a bad length
     * @return null when the header is plausible and the whole frame lies within {@code available};
     *         otherwise what is wrong
     */
    static String checkHeader(ByteBuffer buf, int at, int available, int capacity) {
        if (buf.getInt(at) != MARKER) {
            return NO_MARKER;
        }
        int length = buf.getInt(at + LENGTH_AT);
        if (length < OVERHEAD || length > capacity) {
            return BAD_LENGTH;
        }
        RecordKind kind = RecordKind.fromCode(buf.get(at + KIND_AT));
        if (kind == null) {
            return BAD_KIND;
        }
        if (buf.getShort(at + FLAGS_AT) != 0
                || (!kind.isTransactional() && buf.getLong(at + TRANSACTION_AT) != 0)
                || (!kind.hasPayload() && length != OVERHEAD)
                || (kind.isTransactionControl() && buf.get(at + TYPE_AT) != 0)
                || (kind == RecordKind.ROLLBACK && buf.getLong(at + ID_AT) != 0)) {
            return BAD_FIELDS;
        }
        if (length > available) {
            return CUT_SHORT;
        }
        return null;
    }

    /** True when the checksum of the frame of {@code length} bytes at {@code at} matches. */
    static boolean checksumMatches(ByteBuffer buf, int at, int length, long segmentId, Checksum checksum) {
        int expected = buf.getInt(at + length - CHECKSUM_SIZE);
        return checksum.of(segmentId, buf.array(), buf.arrayOffset() + at, length - CHECKSUM_SIZE, null) == expected;
    }

    /** The CRC32C of a segment ID and frame bytes, with the scratch it needs. One per thread. */
    static final class Checksum {
        private final CRC32C crc = new CRC32C();
        private final byte[] idBytes = new byte[8];

        int of(long segmentId, byte[] bytes, int offset, int length, byte[] more) {
            crc.reset();
            for (int i = 0; i < 8; i++) {
                idBytes[i] = (byte) (segmentId >>> (56 - 8 * i));
            }
            crc.update(idBytes, 0, 8);
            crc.update(bytes, offset, length);
            if (more != null) {
                crc.update(more, 0, more.length);
            }
            return (int) crc.getValue();
        }
    }
}
