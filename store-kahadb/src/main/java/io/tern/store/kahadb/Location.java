package io.tern.store.kahadb;

import io.tern.journal.JournalPosition;

/**
 * Where a record lies in the journal: its segment, the offset of its frame and the frame's length
 * (the journal's 32 bytes of framing plus the payload), so the position after it is known.
 */
record Location(long segmentId, int offset, int length) {

    /** The journal's framing around each payload: marker, length, kind, type, flags, IDs and CRC. */
    static final int FRAME_OVERHEAD = 32;

    static Location of(JournalPosition position, int payloadLength) {
        return new Location(position.segmentId(), position.offset(), FRAME_OVERHEAD + payloadLength);
    }

    JournalPosition position() {
        return new JournalPosition(segmentId, offset);
    }

    /** Where the next record after this one starts (possibly the end of a full segment). */
    JournalPosition next() {
        return new JournalPosition(segmentId, offset + length);
    }

    void writeTo(BinaryOutput out) {
        out.writeLong(segmentId).writeInt(offset).writeInt(length);
    }

    static Location readFrom(BinaryInput in) {
        return new Location(in.readLong(), in.readInt(), in.readInt());
    }

    @Override
    public String toString() {
        return segmentId + ":" + offset + "+" + length;
    }
}
