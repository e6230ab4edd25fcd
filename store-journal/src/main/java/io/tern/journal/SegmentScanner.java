package io.tern.journal;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Walks the valid frames of one segment between two offsets, and finds where the next valid frame
 * starts after bytes that are not one. Used by recovery, replay and single reads, so all three agree on
 * what a valid record is.
 *
 * <p><b>The rules.</b> A valid frame at offset p has the marker, a plausible header
 * ({@link RecordFrame#checkHeader}), fits before the end of the data, and its checksum matches. When the
 * bytes at p are no valid frame:
 * <ul>
 *   <li>if every byte from p to the end is zero, the segment's data ends cleanly at p (the preallocated
 *       tail);</li>
 *   <li>otherwise the scanner looks for the smallest q &gt; p at which a valid frame starts (it tries every
 *       offset whose byte is the marker's first byte, so a wrong length field cannot mislead it) and
 *       reports {@code [p, q)} as invalid; with no such q it reports {@code [p, end)} less its trailing
 *       zeros, and stops.</li>
 * </ul>
 * Whether invalid bytes are a torn write or corruption is not its business: recovery decides that from
 * where they lie.
 *
 * <p><b>Threads.</b> One scanner belongs to the thread that made it; it reads the file through the
 * segment's shared read channel.
 */
final class SegmentScanner {

    /** Told about each run of bytes that holds no valid frame. */
    interface InvalidBytes {
        void found(JournalSegment segment, int offset, int length, String reason) throws IOException;
    }

    private final JournalSegment segment;
    private final int end;
    private final InvalidBytes invalid;
    private final RecordFrame.Checksum checksum = new RecordFrame.Checksum();
    private ByteBuffer window;
    private int windowStart;
    private int windowLength;
    /** Where the search for the next frame starts. */
    private int position;
    private int frameOffset = -1;
    private int frameLength;

    /**
     * @param from the offset of the first frame to look at
     * @param end the offset where the data to scan ends (the file's length, or less)
     * @param windowSize bytes read at a time; grows for larger frames
     */
    SegmentScanner(JournalSegment segment, int from, int end, int windowSize, InvalidBytes invalid) {
        this.segment = segment;
        this.end = end;
        this.invalid = invalid;
        this.window = ByteBuffer.allocate(windowSize);
        this.position = from;
    }

    /**
     * Moves to the next valid frame, reporting invalid bytes before it.
     *
     * @return false when the data ends (the remaining bytes, if any, were reported or are zeros)
     */
    boolean next() throws IOException {
        if (frameOffset >= 0) {
            position = frameOffset + frameLength;
            frameOffset = -1;
        }
        while (position < end) {
            String problem = problemAt(position);
            if (problem == null) {
                frameOffset = position;
                frameLength = window.getInt(position - windowStart + RecordFrame.LENGTH_AT);
                return true;
            }
            if (allZero(position, end)) {
                position = end;
                return false;
            }
            int next = nextValidFrame(position + 1);
            if (next < 0) {
                invalid.found(segment, position, lastNonZeroBefore(position, end) + 1 - position, problem);
                position = end;
                return false;
            }
            invalid.found(segment, position, next - position, problem);
            position = next;
        }
        return false;
    }

    /**
     * Checks for a valid frame at exactly {@code offset} and makes it the current frame.
     *
     * @return null when there is one; otherwise what is wrong
     */
    String frameAt(int offset) throws IOException {
        String problem = problemAt(offset);
        if (problem == null) {
            frameOffset = offset;
            frameLength = window.getInt(offset - windowStart + RecordFrame.LENGTH_AT);
        }
        return problem;
    }

    /** The offset just past the last frame returned, or where the scan stands. */
    int endOfValidData() {
        return frameOffset >= 0 ? frameOffset + frameLength : position;
    }

    int frameOffset() {
        return frameOffset;
    }

    int frameLength() {
        return frameLength;
    }

    RecordKind kind() {
        return RecordKind.fromCode(window.get(at(RecordFrame.KIND_AT)));
    }

    long id() {
        return window.getLong(at(RecordFrame.ID_AT));
    }

    long transactionId() {
        return window.getLong(at(RecordFrame.TRANSACTION_AT));
    }

    /** The current frame as a record, with its own copy of the payload. */
    JournalRecord record() {
        byte[] payload = new byte[frameLength - RecordFrame.OVERHEAD];
        window.get(at(RecordFrame.PAYLOAD_AT), payload);
        return new JournalRecord(segment.position(frameOffset), kind(), id(), transactionId(),
                window.get(at(RecordFrame.TYPE_AT)), payload);
    }

    private int at(int field) {
        return frameOffset - windowStart + field;
    }

    /** Null when a valid frame starts at {@code offset}, leaving it loaded in the window. */
    private String problemAt(int offset) throws IOException {
        if (!load(offset, RecordFrame.HEADER_SIZE)) {
            return load(offset, 4) && window.getInt(offset - windowStart) == RecordFrame.MARKER
                    ? RecordFrame.CUT_SHORT : RecordFrame.NO_MARKER;
        }
        String problem = RecordFrame.checkHeader(window, offset - windowStart, end - offset,
                segment.capacity() - JournalSegment.HEADER_SIZE);
        if (problem != null) {
            return problem;
        }
        int length = window.getInt(offset - windowStart + RecordFrame.LENGTH_AT);
        if (!load(offset, length)) {
            return RecordFrame.CUT_SHORT;
        }
        return RecordFrame.checksumMatches(window, offset - windowStart, length, segment.id(), checksum)
                ? null : RecordFrame.BAD_CHECKSUM;
    }

    /** The smallest offset at or after {@code from} where a valid frame starts, or -1. */
    private int nextValidFrame(int from) throws IOException {
        int candidate = from;
        while (candidate + RecordFrame.OVERHEAD <= end) {
            if (!load(candidate, RecordFrame.HEADER_SIZE)) {
                return -1;
            }
            byte[] bytes = window.array();
            int i = candidate - windowStart;
            int last = windowLength - RecordFrame.HEADER_SIZE;
            while (i <= last && bytes[i] != RecordFrame.MARKER_FIRST_BYTE) {
                i++;
            }
            candidate = windowStart + i;
            if (i > last) {
                continue; // reload the window at the candidate
            }
            if (problemAt(candidate) == null) {
                return candidate;
            }
            candidate++;
        }
        return -1;
    }

    /** True when every byte in {@code [from, to)} is zero; stops at the first that is not. */
    private boolean allZero(int from, int to) throws IOException {
        int at = from;
        while (at < to) {
            int chunk = Math.min(window.capacity(), to - at);
            if (!load(at, chunk)) {
                return true; // the file ends before the data does: nothing more to see
            }
            int base = at - windowStart;
            int i = 0;
            for (; i + 8 <= chunk; i += 8) {
                if (window.getLong(base + i) != 0) {
                    return false;
                }
            }
            for (; i < chunk; i++) {
                if (window.get(base + i) != 0) {
                    return false;
                }
            }
            at += chunk;
        }
        return true;
    }

    /** The offset of the last non-zero byte in {@code [from, to)}, or {@code from - 1} when all are zero. */
    private int lastNonZeroBefore(int from, int to) throws IOException {
        int last = from - 1;
        int at = from;
        while (at < to) {
            int chunk = Math.min(window.capacity(), to - at);
            if (!load(at, chunk)) {
                break;
            }
            byte[] bytes = window.array();
            int base = at - windowStart;
            int i = 0;
            for (; i + 8 <= chunk; i += 8) {
                if (window.getLong(base + i) != 0) {
                    for (int j = i; j < i + 8; j++) {
                        if (bytes[base + j] != 0) {
                            last = at + j;
                        }
                    }
                }
            }
            for (; i < chunk; i++) {
                if (bytes[base + i] != 0) {
                    last = at + i;
                }
            }
            at += chunk;
        }
        return last;
    }

    /**
     * Makes {@code [offset, offset + length)} available in the window, reading from the file if needed.
     *
     * @return false when those bytes lie (partly) beyond the end of the data
     */
    private boolean load(int offset, int length) throws IOException {
        if (length > end - offset) {
            return false;
        }
        if (offset >= windowStart && offset + length <= windowStart + windowLength) {
            return true;
        }
        if (length > window.capacity()) {
            window = ByteBuffer.allocate(length);
        }
        window.clear();
        window.limit(Math.min(window.capacity(), end - offset));
        int read = segment.read(window, offset);
        windowStart = offset;
        windowLength = read;
        return read >= length;
    }
}
