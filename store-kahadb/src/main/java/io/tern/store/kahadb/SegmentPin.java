package io.tern.store.kahadb;

import java.nio.file.Path;
import java.util.Map;

/**
 * Why a journal file is still on disk: the live records it holds, counted by what they belong to
 * ({@code queue://orders}, {@code topic://prices subscription durable:client:a}, a prepared transaction).
 * A file with no live record of its own can also be kept because its removals refer to an older file
 * that is still kept ({@code referencesKept}).
 *
 * @param segmentId the journal segment
 * @param file its file
 * @param liveRecordsByOwner live records, by destination (or subscription, or prepared transaction)
 * @param referencesKept older kept segments this one's removals refer to
 */
public record SegmentPin(long segmentId, Path file, Map<String, Long> liveRecordsByOwner, java.util.List<Long> referencesKept) {

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder(file.getFileName().toString()).append(" is kept");
        if (!liveRecordsByOwner.isEmpty()) {
            b.append(" by ");
            boolean first = true;
            for (Map.Entry<String, Long> e : liveRecordsByOwner.entrySet()) {
                b.append(first ? "" : ", ").append(e.getKey()).append(" (").append(e.getValue())
                        .append(e.getValue() == 1 ? " record)" : " records)");
                first = false;
            }
        }
        if (!referencesKept.isEmpty()) {
            b.append(liveRecordsByOwner.isEmpty() ? " because" : ", and because")
                    .append(" its removals refer to segments ").append(referencesKept);
        }
        return b.toString();
    }
}
