package io.tern.journal;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The settings of one journal. Immutable; built with {@link #builder()} or read from string
 * properties with {@link #fromProperties(String, Map)}. Every error names the key (with the prefix the
 * store exposes it under, {@code journal.} by default) and the values it accepts.
 *
 * <table>
 *   <caption>Keys</caption>
 *   <tr><th>key</th><th>default</th><th>accepts</th></tr>
 *   <tr><td>directory</td><td>(required)</td><td>a directory path; created if missing</td></tr>
 *   <tr><td>fileSize</td><td>32mb</td><td>4kb to 1gb: the size of each segment file, preallocated</td></tr>
 *   <tr><td>syncPolicy</td><td>always</td><td>always, periodic or never</td></tr>
 *   <tr><td>syncInterval</td><td>1s</td><td>a positive duration (100ms, 1s); used by periodic</td></tr>
 * </table>
 */
public final class JournalConfig {

    /** The prefix of keys when nothing else is given. */
    public static final String DEFAULT_KEY_PREFIX = "journal.";
    public static final int DEFAULT_FILE_SIZE = 32 * 1024 * 1024;
    public static final int MIN_FILE_SIZE = 4 * 1024;
    /** Offsets within a segment are ints; 1 GiB keeps every offset and frame length far from overflow. */
    public static final int MAX_FILE_SIZE = 1024 * 1024 * 1024;
    public static final Duration DEFAULT_SYNC_INTERVAL = Duration.ofSeconds(1);

    public static final String DIRECTORY = "directory";
    public static final String FILE_SIZE = "fileSize";
    public static final String SYNC_POLICY = "syncPolicy";
    public static final String SYNC_INTERVAL = "syncInterval";

    private final Path directory;
    private final int fileSize;
    private final SyncPolicy syncPolicy;
    private final Duration syncInterval;

    private JournalConfig(Builder b) {
        this.directory = b.directory;
        this.fileSize = b.fileSize;
        this.syncPolicy = b.syncPolicy;
        this.syncInterval = b.syncInterval;
    }

    public static Builder builder() {
        return new Builder(DEFAULT_KEY_PREFIX);
    }

    /**
     * Reads the settings from string values such as a properties file holds: {@code fileSize=32mb},
     * {@code syncPolicy=periodic}, {@code syncInterval=250ms}. Unknown keys are errors.
     *
     * @param keyPrefix the prefix the keys are shown with in errors, such as {@code store.kahadb.journal.}
     * @param values the settings, keyed without the prefix
     */
    public static JournalConfig fromProperties(String keyPrefix, Map<String, String> values) {
        Builder b = new Builder(keyPrefix);
        for (Map.Entry<String, String> e : new TreeMap<>(values).entrySet()) {
            String key = e.getKey();
            String value = e.getValue() == null ? "" : e.getValue().trim();
            switch (key) {
                case DIRECTORY -> {
                    if (value.isEmpty()) {
                        throw b.error(DIRECTORY, "is empty; expected the path of a directory");
                    }
                    b.directory(Path.of(value));
                }
                case FILE_SIZE -> b.fileSize(parseFileSize(b, value));
                case SYNC_POLICY -> b.syncPolicy(SyncPolicy.parse(keyPrefix + SYNC_POLICY, value));
                case SYNC_INTERVAL -> b.syncInterval(parseDuration(b, value));
                default -> throw new IllegalArgumentException(keyPrefix + key
                        + ": unknown key; expected directory, fileSize, syncPolicy or syncInterval");
            }
        }
        return b.build();
    }

    public Path directory() {
        return directory;
    }

    /** The size of each segment file in bytes; each is preallocated to this size. */
    public int fileSize() {
        return fileSize;
    }

    public SyncPolicy syncPolicy() {
        return syncPolicy;
    }

    /** How often {@link SyncPolicy#PERIODIC} forces the current segment. */
    public Duration syncInterval() {
        return syncInterval;
    }

    /** The largest payload one record may carry: a frame must fit in one segment. */
    public int maxPayloadSize() {
        return fileSize - JournalSegment.HEADER_SIZE - RecordFrame.OVERHEAD;
    }

    @Override
    public String toString() {
        return "JournalConfig[directory=" + directory + ", fileSize=" + fileSize + ", syncPolicy="
                + syncPolicy.configName() + ", syncInterval=" + syncInterval.toMillis() + "ms]";
    }

    private static int parseFileSize(Builder b, String value) {
        String v = value.toLowerCase(Locale.ROOT);
        long multiplier = 1;
        if (v.endsWith("kb")) {
            multiplier = 1024;
        } else if (v.endsWith("mb")) {
            multiplier = 1024 * 1024;
        } else if (v.endsWith("gb")) {
            multiplier = 1024 * 1024 * 1024;
        }
        String digits = multiplier == 1 ? v : v.substring(0, v.length() - 2).trim();
        try {
            long n = Math.multiplyExact(Long.parseLong(digits), multiplier);
            if (n < Integer.MIN_VALUE || n > Integer.MAX_VALUE) {
                throw b.outOfRange(value);
            }
            return (int) n;
        } catch (NumberFormatException | ArithmeticException e) {
            throw b.error(FILE_SIZE, "'" + value + "' is not a size; expected bytes or a number with kb, mb or gb (32mb)");
        }
    }

    private static Duration parseDuration(Builder b, String value) {
        String v = value.toLowerCase(Locale.ROOT);
        try {
            if (v.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2).trim()));
            }
            if (v.endsWith("s")) {
                return Duration.ofSeconds(Long.parseLong(v.substring(0, v.length() - 1).trim()));
            }
            return Duration.ofMillis(Long.parseLong(v));
        } catch (NumberFormatException e) {
            throw b.error(SYNC_INTERVAL, "'" + value
                    + "' is not a duration; expected milliseconds or a number with ms or s (100ms, 1s)");
        }
    }

    /** Collects settings; {@link #build()} validates them all. Not thread-safe. */
    public static final class Builder {
        private final String keyPrefix;
        private Path directory;
        private int fileSize = DEFAULT_FILE_SIZE;
        private SyncPolicy syncPolicy = SyncPolicy.ALWAYS;
        private Duration syncInterval = DEFAULT_SYNC_INTERVAL;

        private Builder(String keyPrefix) {
            this.keyPrefix = Objects.requireNonNull(keyPrefix, "keyPrefix");
        }

        public Builder directory(Path directory) {
            this.directory = directory;
            return this;
        }

        public Builder fileSize(int bytes) {
            this.fileSize = bytes;
            return this;
        }

        public Builder syncPolicy(SyncPolicy policy) {
            this.syncPolicy = policy;
            return this;
        }

        public Builder syncInterval(Duration interval) {
            this.syncInterval = interval;
            return this;
        }

        /** @throws IllegalArgumentException naming the first key whose value is not allowed */
        public JournalConfig build() {
            if (directory == null) {
                throw error(DIRECTORY, "is not set; expected the path of a directory");
            }
            if (fileSize < MIN_FILE_SIZE || fileSize > MAX_FILE_SIZE) {
                throw outOfRange(Integer.toString(fileSize));
            }
            if (syncPolicy == null) {
                throw error(SYNC_POLICY, "is not set; expected always, periodic or never");
            }
            if (syncInterval == null || syncInterval.isNegative() || syncInterval.toMillis() < 1) {
                throw error(SYNC_INTERVAL, (syncInterval == null ? "is not set" : syncInterval.toMillis() + "ms is not allowed")
                        + "; expected a positive duration of at least 1ms (100ms, 1s)");
            }
            return new JournalConfig(this);
        }

        private IllegalArgumentException outOfRange(String value) {
            return error(FILE_SIZE, value + " is out of range; expected " + MIN_FILE_SIZE + " to " + MAX_FILE_SIZE
                    + " bytes (4kb to 1gb)");
        }

        private IllegalArgumentException error(String key, String message) {
            return new IllegalArgumentException(keyPrefix + key + ": " + message);
        }
    }
}
