package io.tern.store.kahadb;

import org.iq80.leveldb.CompressionType;
import org.iq80.leveldb.DB;
import org.iq80.leveldb.DBFactory;
import org.iq80.leveldb.DBIterator;
import org.iq80.leveldb.Options;
import org.iq80.leveldb.WriteBatch;
import org.iq80.leveldb.WriteOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The LevelDB database that holds the index, opened with the native library (leveldbjni) when it loads
 * and with the pure-Java port otherwise; both implement the same {@code org.iq80.leveldb} interfaces.
 *
 * <p>Paranoid checks are on: a damaged index fails to open, and the store rebuilds it from the journal
 * rather than trusting it.
 *
 * <p><b>Threads.</b> LevelDB is thread-safe: the index applier writes, any thread reads. {@link #close}
 * is called once no other thread uses the index.
 */
final class LevelDbIndex implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LevelDbIndex.class);
    private static final String NATIVE_FACTORY = "org.fusesource.leveldbjni.JniDBFactory";
    private static final String JAVA_FACTORY = "org.iq80.leveldb.impl.Iq80DBFactory";
    private static final WriteOptions NO_SYNC = new WriteOptions().sync(false);
    private static final WriteOptions SYNC = new WriteOptions().sync(true);

    private final Path directory;
    private final DB db;
    private final String engine;

    private LevelDbIndex(Path directory, DB db, String engine) {
        this.directory = directory;
        this.db = db;
        this.engine = engine;
    }

    /**
     * Opens (creating if missing) the index in {@code directory}.
     *
     * @param engine {@code auto}, {@code native} or {@code java}
     * @throws IOException when the database cannot be opened, for example because it is damaged
     */
    static LevelDbIndex open(Path directory, String engine, long cacheSize) throws IOException {
        Files.createDirectories(directory);
        Options options = new Options()
                .createIfMissing(true)
                .paranoidChecks(true)
                .compressionType(CompressionType.NONE)
                .writeBufferSize(4 * 1024 * 1024)
                .cacheSize(cacheSize);
        Throwable nativeFailure = null;
        if (!engine.equals("java")) {
            try {
                DBFactory f = (DBFactory) Class.forName(NATIVE_FACTORY).getField("factory").get(null);
                return new LevelDbIndex(directory, f.open(directory.toFile(), options), "native");
            } catch (ReflectiveOperationException | LinkageError e) {
                // No native library for this platform (or it cannot be unpacked): try the Java port.
                nativeFailure = e;
                if (engine.equals("native")) {
                    throw new IOException("indexEngine=native but leveldbjni cannot be loaded: " + e, e);
                }
            } catch (RuntimeException e) {
                // leveldbjni reports a damaged database as an unchecked DBException.
                throw new IOException("cannot open the index in " + directory + ": " + e.getMessage(), e);
            }
        }
        DBFactory f;
        try {
            f = (DBFactory) Class.forName(JAVA_FACTORY).getField("factory").get(null);
        } catch (ReflectiveOperationException | LinkageError e) {
            throw new IOException("no LevelDB implementation for the kahadb index: leveldbjni failed to load ("
                    + nativeFailure + ") and the pure-Java org.iq80.leveldb:leveldb is not on the classpath", e);
        }
        if (nativeFailure != null) {
            LOG.info("leveldbjni is not usable here ({}); the index uses the pure-Java LevelDB", nativeFailure.toString());
        }
        try {
            return new LevelDbIndex(directory, f.open(directory.toFile(), options), "java");
        } catch (RuntimeException e) {
            throw new IOException("cannot open the index in " + directory + ": " + e.getMessage(), e);
        }
    }

    /** Deletes an index directory and everything in it. */
    static void delete(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** The name of the LevelDB implementation in use: {@code native} or {@code java}. */
    String engine() {
        return engine;
    }

    Path directory() {
        return directory;
    }

    byte[] get(byte[] key) {
        return db.get(key);
    }

    DBIterator iterator() {
        return db.iterator();
    }

    WriteBatch createWriteBatch() {
        return db.createWriteBatch();
    }

    /** Writes a batch atomically, without forcing it to disk: the journal is the source of truth. */
    void write(WriteBatch batch) {
        db.write(batch, NO_SYNC);
    }

    /**
     * Writes one key and forces LevelDB's log, which makes every earlier write durable too: the
     * checkpoint.
     */
    void putDurably(byte[] key, byte[] value) {
        db.put(key, value, SYNC);
    }

    /** Visits every entry whose key starts with {@code prefix}, in key order, until the visitor says stop. */
    void scan(byte[] prefix, byte[] from, EntryVisitor visitor) throws IOException {
        try (DBIterator it = db.iterator()) {
            it.seek(from == null ? prefix : from);
            while (it.hasNext()) {
                Map.Entry<byte[], byte[]> e = it.next();
                if (!startsWith(e.getKey(), prefix) || !visitor.visit(e.getKey(), e.getValue())) {
                    return;
                }
            }
        }
    }

    @FunctionalInterface
    interface EntryVisitor {
        /** @return false to stop */
        boolean visit(byte[] key, byte[] value) throws IOException;
    }

    static boolean startsWith(byte[] key, byte[] prefix) {
        return key.length >= prefix.length && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
    }

    @Override
    public void close() throws IOException {
        db.close();
    }

}
