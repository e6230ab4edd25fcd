package io.tern.journal;

import java.util.Locale;

/**
 * When an append's completion fires relative to the disk.
 *
 * <p>The three policies trade durability for latency. Only {@link #ALWAYS} survives a power loss
 * without losing acknowledged records; {@link #PERIODIC} bounds the loss to one interval; {@link #NEVER}
 * leaves it to the operating system and is meant for tests.
 */
public enum SyncPolicy {

    /** A completion fires only after the record's batch has been forced to disk. The default. */
    ALWAYS,

    /**
     * A completion fires once the record is written to the file (the page cache); the writer forces
     * the current segment once a written record has waited {@code syncInterval} unforced. A process
     * crash loses nothing, a power loss or kernel crash at most about one interval of records.
     */
    PERIODIC,

    /**
     * A completion fires after the write; the file is forced only by {@link Journal#sync()}, at close,
     * and when a segment is complete (every policy forces a segment at its roll). For tests.
     */
    NEVER;

    /** The spelling used in configuration: {@code always}, {@code periodic} or {@code never}. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses a configured value without regard to case.
     *
     * @param key the full configuration key, named in the error
     * @throws IllegalArgumentException naming the key and the allowed values
     */
    public static SyncPolicy parse(String key, String value) {
        String v = value == null ? "" : value.trim();
        for (SyncPolicy p : values()) {
            if (p.configName().equalsIgnoreCase(v)) {
                return p;
            }
        }
        throw new IllegalArgumentException(key + ": '" + v + "' is not allowed; expected always, periodic or never");
    }
}
