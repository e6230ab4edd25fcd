package io.tern.journal;

/**
 * Where a record starts: the segment it is in and its byte offset in that segment file. Positions
 * order as the journal does: by segment, then by offset.
 *
 * @param segmentId the sequence number of the segment (in its file name)
 * @param offset the byte offset of the record's frame in the segment file
 */
public record JournalPosition(long segmentId, int offset) implements Comparable<JournalPosition> {

    /** Before every record: {@code replay(ORIGIN, ...)} replays from the oldest segment's first record. */
    public static final JournalPosition ORIGIN = new JournalPosition(0, 0);

    public JournalPosition {
        if (segmentId < 0 || offset < 0) {
            throw new IllegalArgumentException("a journal position is never negative: " + segmentId + ":" + offset);
        }
    }

    @Override
    public int compareTo(JournalPosition other) {
        int c = Long.compare(segmentId, other.segmentId);
        return c != 0 ? c : Integer.compare(offset, other.offset);
    }

    @Override
    public String toString() {
        return segmentId + ":" + offset;
    }
}
