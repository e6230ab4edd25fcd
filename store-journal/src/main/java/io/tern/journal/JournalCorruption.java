package io.tern.journal;

import java.nio.file.Path;

/**
 * Bytes of the journal that are not a valid record and lie before the last valid record, so they are
 * not a torn write at the tail: damage from the disk or from outside. They are skipped and the rest
 * loads. Also used for a committed transaction that lost one of its records.
 *
 * @param file the segment file
 * @param segmentId its sequence number
 * @param offset where the invalid bytes start in the file
 * @param length how many bytes were skipped
 * @param reason what was wrong, in words
 */
public record JournalCorruption(Path file, long segmentId, int offset, int length, String reason) {

    @Override
    public String toString() {
        return file + " at offset " + offset + " (" + length + " bytes): " + reason;
    }
}
