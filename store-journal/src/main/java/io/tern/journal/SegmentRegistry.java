package io.tern.journal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.NavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The journal's segments by ID, and which one is current.
 *
 * <p><b>Threads.</b> The map is concurrent so readers and replays look segments up without locking.
 * A roll (the writer thread completing the old segment and making the next current) and a deletion
 * (any thread) hold this registry's monitor, so a segment is never deleted while the writer still
 * forces it, and the current segment is never deleted.
 */
final class SegmentRegistry {

    private static final Logger LOG = LoggerFactory.getLogger(SegmentRegistry.class);

    /** Completes the old segment during a roll, under the registry's monitor. */
    interface SegmentCompletion {
        void complete(JournalSegment old) throws IOException;
    }

    private final ConcurrentSkipListMap<Long, JournalSegment> segments = new ConcurrentSkipListMap<>();
    private volatile JournalSegment current;

    SegmentRegistry(NavigableMap<Long, JournalSegment> recovered, JournalSegment current) {
        segments.putAll(recovered);
        segments.put(current.id(), current);
        this.current = current;
    }

    JournalSegment current() {
        return current;
    }

    /** The segment with this ID, or null. */
    JournalSegment get(long id) {
        return segments.get(id);
    }

    /** The segments with IDs from {@code id} on, in order; a live view. */
    Collection<JournalSegment> from(long id) {
        return segments.tailMap(id, true).values();
    }

    List<SegmentInfo> list() {
        JournalSegment now = current;
        List<SegmentInfo> out = new ArrayList<>();
        for (JournalSegment s : segments.values()) {
            out.add(new SegmentInfo(s.id(), s.file(), s == now));
        }
        return out;
    }

    /** Writer thread: completes the current segment and makes {@code next} current. */
    synchronized void roll(JournalSegment next, SegmentCompletion completeOld) throws IOException {
        completeOld.complete(current);
        segments.put(next.id(), next);
        current = next;
    }

    synchronized void delete(long id) throws IOException {
        if (current.id() == id) {
            throw new IllegalArgumentException("segment " + id + " is the current segment and cannot be deleted");
        }
        JournalSegment segment = segments.remove(id);
        if (segment == null) {
            throw new NoSuchFileException(JournalSegment.fileName(id), null, "the journal has no segment " + id);
        }
        segment.delete();
        LOG.debug("Deleted journal segment {}", segment);
    }

    synchronized int deleteBefore(long id) throws IOException {
        int deleted = 0;
        for (Long each : new ArrayList<>(segments.headMap(id, false).keySet())) {
            if (each != current.id()) {
                delete(each);
                deleted++;
            }
        }
        return deleted;
    }

    synchronized void closeAll() {
        for (JournalSegment s : segments.values()) {
            try {
                s.close();
            } catch (IOException e) {
                LOG.warn("Could not close journal segment {}: {}", s, e.toString());
            }
        }
    }
}
