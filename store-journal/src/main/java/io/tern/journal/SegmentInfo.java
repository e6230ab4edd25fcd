package io.tern.journal;

import java.nio.file.Path;

/**
 * One segment file as {@link Journal#segments()} lists it.
 *
 * @param id the segment's sequence number
 * @param file the file
 * @param current true for the segment new records are appended to (it cannot be deleted)
 */
public record SegmentInfo(long id, Path file, boolean current) {
}
