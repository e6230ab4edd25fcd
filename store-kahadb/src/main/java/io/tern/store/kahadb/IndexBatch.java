package io.tern.store.kahadb;

import org.iq80.leveldb.WriteBatch;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;

/**
 * Index changes gathered for one atomic LevelDB write, readable before they are written: a
 * {@link #get} sees this batch's puts and deletes over what the database holds. Prefix scans read the
 * database only, so the updater {@link #flush flushes} before one.
 *
 * <p>Owned by the thread that applies (the index applier, or the recovering thread).
 */
final class IndexBatch {

    private static final byte[] DELETED = new byte[0];

    private final LevelDbIndex index;
    private WriteBatch batch;
    private final Map<ByteBuffer, byte[]> overlay = new HashMap<>();
    private int changes;

    IndexBatch(LevelDbIndex index) {
        this.index = index;
        this.batch = index.createWriteBatch();
    }

    byte[] get(byte[] key) {
        byte[] v = overlay.get(ByteBuffer.wrap(key));
        if (v != null) {
            return v == DELETED ? null : v;
        }
        return index.get(key);
    }

    void put(byte[] key, byte[] value) {
        batch.put(key, value);
        overlay.put(ByteBuffer.wrap(key), value);
        changes++;
    }

    void delete(byte[] key) {
        batch.delete(key);
        overlay.put(ByteBuffer.wrap(key), DELETED);
        changes++;
    }

    int changes() {
        return changes;
    }

    /** Writes what was gathered in one atomic write (not forced) and starts empty again. */
    void flush() throws IOException {
        if (changes == 0) {
            return;
        }
        try {
            index.write(batch);
        } finally {
            try {
                batch.close();
            } catch (IOException | RuntimeException ignored) {
                // Closing a batch only frees its buffer.
            }
            batch = index.createWriteBatch();
            overlay.clear();
            changes = 0;
        }
    }

    LevelDbIndex index() {
        return index;
    }
}
