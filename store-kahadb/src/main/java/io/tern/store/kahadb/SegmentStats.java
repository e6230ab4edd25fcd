package io.tern.store.kahadb;

import java.util.Arrays;
import java.util.TreeSet;

/**
 * What the index knows about one journal segment ({@code 'G'} key): how many of its records are live
 * and how many bytes they take, and which older segments its cancelling records (removals,
 * acknowledgements, drops) refer to. A segment can go only when nothing in it is live <em>and</em> every
 * segment it refers to is gone: otherwise a rebuild from the journal would replay an add whose removal
 * had been deleted, and bring the message back.
 *
 * <p>Owned by the index applier thread; others see copies.
 */
final class SegmentStats {

    final long segmentId;
    long liveRecords;
    long liveBytes;
    final TreeSet<Long> references = new TreeSet<>();

    SegmentStats(long segmentId) {
        this.segmentId = segmentId;
    }

    SegmentStats copy() {
        SegmentStats c = new SegmentStats(segmentId);
        c.liveRecords = liveRecords;
        c.liveBytes = liveBytes;
        c.references.addAll(references);
        return c;
    }

    byte[] encode() {
        BinaryOutput out = new BinaryOutput(24 + 8 * references.size()).writeLong(liveRecords).writeLong(liveBytes)
                .writeInt(references.size());
        references.forEach(out::writeLong);
        return out.toByteArray();
    }

    static SegmentStats decode(long segmentId, byte[] value) {
        BinaryInput in = new BinaryInput(value);
        SegmentStats s = new SegmentStats(segmentId);
        s.liveRecords = in.readLong();
        s.liveBytes = in.readLong();
        int n = in.readInt();
        for (int i = 0; i < n; i++) {
            s.references.add(in.readLong());
        }
        return s;
    }

    @Override
    public String toString() {
        return "segment " + segmentId + ": " + liveRecords + " live records, " + liveBytes + " bytes, refers to "
                + Arrays.toString(references.toArray());
    }
}
