package io.tern.store.kahadb;

import io.tern.journal.JournalConfig;
import io.tern.journal.SyncPolicy;
import io.tern.store.StoreSettings;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * The settings of a kahadb store, validated. Read from {@code store.kahadb.*} by {@link #from}, or built
 * in code with {@link #builder}. Immutable.
 *
 * @param directory where the store keeps its lock file, journal and index
 * @param journalFileSize the size of each journal segment file
 * @param syncPolicy when a write counts as durable (see {@link SyncPolicy})
 * @param syncInterval how long a write may wait unforced under {@code periodic}
 * @param checkpointInterval how often the index is made durable and the replay point moves forward
 * @param cleanupInterval how often unneeded journal files are deleted and pinned ones compacted
 * @param indexCacheSize bytes of LevelDB block cache
 * @param limitBytes the store usage beyond which the broker holds producers back
 * @param indexEngine which LevelDB implementation to use: {@code auto}, {@code native} or {@code java}
 * @param lockRetryInterval how often a waiting broker retries the lock of a shared directory
 */
public record KahaDBConfig(Path directory, int journalFileSize, SyncPolicy syncPolicy, Duration syncInterval,
                           Duration checkpointInterval, Duration cleanupInterval, long indexCacheSize,
                           long limitBytes, String indexEngine, Duration lockRetryInterval) {

    public static final long DEFAULT_LIMIT_BYTES = 100L * 1024 * 1024 * 1024;
    public static final long DEFAULT_INDEX_CACHE_SIZE = 16L * 1024 * 1024;
    public static final Duration DEFAULT_CHECKPOINT_INTERVAL = Duration.ofSeconds(5);
    public static final Duration DEFAULT_CLEANUP_INTERVAL = Duration.ofSeconds(30);
    public static final Duration DEFAULT_LOCK_RETRY_INTERVAL = Duration.ofMillis(250);

    public KahaDBConfig {
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(syncPolicy, "syncPolicy");
        Objects.requireNonNull(indexEngine, "indexEngine");
        requirePositive("syncInterval", syncInterval);
        requirePositive("checkpointInterval", checkpointInterval);
        requirePositive("cleanupInterval", cleanupInterval);
        requirePositive("lockRetryInterval", lockRetryInterval);
        if (journalFileSize < JournalConfig.MIN_FILE_SIZE || journalFileSize > JournalConfig.MAX_FILE_SIZE) {
            throw new IllegalArgumentException("journalFileSize: " + journalFileSize + " is out of range; expected "
                    + JournalConfig.MIN_FILE_SIZE + " to " + JournalConfig.MAX_FILE_SIZE + " bytes");
        }
        if (limitBytes < 1 || indexCacheSize < 0) {
            throw new IllegalArgumentException("limit must be positive and indexCacheSize not negative");
        }
        if (!indexEngine.equals("auto") && !indexEngine.equals("native") && !indexEngine.equals("java")) {
            throw new IllegalArgumentException("indexEngine: '" + indexEngine + "' is not allowed; expected auto, native or java");
        }
    }

    /** Reads {@code store.kahadb.*}; every error names the full key and what it accepts. */
    public static KahaDBConfig from(StoreSettings settings) {
        Builder b = builder(settings.getPath("directory", settings.defaultDirectory()));
        b.journalFileSize = (int) settings.getBytes("journalFileSize", JournalConfig.DEFAULT_FILE_SIZE,
                JournalConfig.MIN_FILE_SIZE, JournalConfig.MAX_FILE_SIZE);
        b.syncPolicy = SyncPolicy.valueOf(settings.getChoice("syncPolicy", "always", "always", "periodic", "never")
                .toUpperCase(Locale.ROOT));
        b.syncInterval = duration(settings, "syncInterval", b.syncInterval);
        b.checkpointInterval = duration(settings, "checkpointInterval", b.checkpointInterval);
        b.cleanupInterval = duration(settings, "cleanupInterval", b.cleanupInterval);
        b.indexCacheSize = settings.getBytes("indexCacheSize", DEFAULT_INDEX_CACHE_SIZE, 0, 1L << 40);
        b.limitBytes = settings.getBytes("limit", DEFAULT_LIMIT_BYTES, 1, Long.MAX_VALUE);
        b.indexEngine = settings.getChoice("indexEngine", "auto", "auto", "native", "java");
        b.lockRetryInterval = duration(settings, "lockRetryInterval", b.lockRetryInterval);
        settings.requireNoUnknownKeys();
        return b.build();
    }

    public static Builder builder(Path directory) {
        return new Builder(directory);
    }

    /** The journal's settings, in the store's {@code journal} subdirectory. */
    JournalConfig journalConfig() {
        return JournalConfig.builder()
                .directory(directory.resolve("journal"))
                .fileSize(journalFileSize)
                .syncPolicy(syncPolicy)
                .syncInterval(syncInterval)
                .build();
    }

    Path indexDirectory() {
        return directory.resolve("index");
    }

    Path lockFile() {
        return directory.resolve("lock");
    }

    /** A duration: milliseconds, or a number with {@code ms}, {@code s} or {@code m}. */
    private static Duration duration(StoreSettings settings, String key, Duration defaultValue) {
        String v = settings.getString(key, null);
        if (v == null || v.isEmpty()) {
            return defaultValue;
        }
        String s = v.toLowerCase(Locale.ROOT);
        try {
            Duration d;
            if (s.endsWith("ms")) {
                d = Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2).trim()));
            } else if (s.endsWith("s")) {
                d = Duration.ofSeconds(Long.parseLong(s.substring(0, s.length() - 1).trim()));
            } else if (s.endsWith("m")) {
                d = Duration.ofMinutes(Long.parseLong(s.substring(0, s.length() - 1).trim()));
            } else {
                d = Duration.ofMillis(Long.parseLong(s.trim()));
            }
            if (d.isNegative() || d.isZero()) {
                throw settings.error(key, "'" + v + "' is not positive; expected a positive duration");
            }
            return d;
        } catch (NumberFormatException e) {
            throw settings.error(key, "'" + v + "' is not a duration; expected milliseconds, or a number with ms, s or m");
        }
    }

    private static void requirePositive(String key, Duration d) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(key + ": must be a positive duration, was " + d);
        }
    }

    /** Builds a config in code; every value starts at its default. */
    public static final class Builder {
        private final Path directory;
        private int journalFileSize = JournalConfig.DEFAULT_FILE_SIZE;
        private SyncPolicy syncPolicy = SyncPolicy.ALWAYS;
        private Duration syncInterval = JournalConfig.DEFAULT_SYNC_INTERVAL;
        private Duration checkpointInterval = DEFAULT_CHECKPOINT_INTERVAL;
        private Duration cleanupInterval = DEFAULT_CLEANUP_INTERVAL;
        private long indexCacheSize = DEFAULT_INDEX_CACHE_SIZE;
        private long limitBytes = DEFAULT_LIMIT_BYTES;
        private String indexEngine = "auto";
        private Duration lockRetryInterval = DEFAULT_LOCK_RETRY_INTERVAL;

        private Builder(Path directory) {
            this.directory = Objects.requireNonNull(directory, "directory");
        }

        public Builder journalFileSize(int bytes) {
            this.journalFileSize = bytes;
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

        public Builder checkpointInterval(Duration interval) {
            this.checkpointInterval = interval;
            return this;
        }

        public Builder cleanupInterval(Duration interval) {
            this.cleanupInterval = interval;
            return this;
        }

        public Builder indexCacheSize(long bytes) {
            this.indexCacheSize = bytes;
            return this;
        }

        public Builder limit(long bytes) {
            this.limitBytes = bytes;
            return this;
        }

        public Builder indexEngine(String engine) {
            this.indexEngine = engine;
            return this;
        }

        public Builder lockRetryInterval(Duration interval) {
            this.lockRetryInterval = interval;
            return this;
        }

        public KahaDBConfig build() {
            return new KahaDBConfig(directory, journalFileSize, syncPolicy, syncInterval, checkpointInterval,
                    cleanupInterval, indexCacheSize, limitBytes, indexEngine, lockRetryInterval);
        }
    }
}
