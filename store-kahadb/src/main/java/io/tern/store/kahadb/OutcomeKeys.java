package io.tern.store.kahadb;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The outcome keys of committed transactions ({@code TransactionStore.hasCommitted}). A commit with a key
 * writes an OUTCOMES record inside its journal transaction, so the key is in the index exactly when the
 * transaction's other operations are. Cleanup writes the keys again (an OUTCOMES record of many) before it
 * deletes the journal file that held them, so a rebuilt index has them too.
 *
 * <p><b>Bound.</b> The newest {@value #KEPT} keys, by the order they were first recorded, are kept;
 * cleanup prunes older ones. In the index: {@code 'O' key} → order, journal segment of its record;
 * {@code 'o' order} → key.
 *
 * <p><b>Threads.</b> Owned by the index applier; {@link #contains} is static and reads the database.
 */
final class OutcomeKeys {

    static final int KEPT = 100_000;

    private final IndexBatch batch;
    private long nextOrder = 1;

    OutcomeKeys(IndexBatch batch) {
        this.batch = batch;
    }

    static byte[] key(String outcomeKey) {
        return IndexKeys.named(IndexKeys.OUTCOME, outcomeKey);
    }

    static boolean contains(LevelDbIndex index, String outcomeKey) {
        return index.get(key(outcomeKey)) != null;
    }

    void load() {
        byte[] v = batch.get(IndexKeys.meta(IndexKeys.META_OUTCOME_ORDER));
        nextOrder = v == null ? 1 : new BinaryInput(v).readLong();
    }

    /** A key recorded (or carried forward) by a record in {@code segment}. */
    void record(String outcomeKey, long segment) {
        byte[] k = key(outcomeKey);
        byte[] existing = batch.get(k);
        long order;
        if (existing != null) {
            order = new BinaryInput(existing).readLong();
        } else {
            order = nextOrder++;
            batch.put(IndexKeys.outcomeOrder(order), outcomeKey.getBytes(StandardCharsets.UTF_8));
            batch.put(IndexKeys.meta(IndexKeys.META_OUTCOME_ORDER), new BinaryOutput(8).writeLong(nextOrder).toByteArray());
        }
        batch.put(k, new BinaryOutput(16).writeLong(order).writeLong(segment).toByteArray());
    }

    /** Deletes the keys older than the newest {@value #KEPT}; returns how many went. The caller flushed first. */
    int prune() throws IOException {
        long cutoff = nextOrder - KEPT;
        if (cutoff <= 1) {
            return 0;
        }
        List<byte[][]> old = new ArrayList<>();
        batch.index().scan(IndexKeys.of(IndexKeys.OUTCOME_ORDER), null, (key, value) -> {
            if (IndexKeys.longAt(key, 0) >= cutoff) {
                return false;
            }
            old.add(new byte[][] {key, value});
            return true;
        });
        for (byte[][] kv : old) {
            batch.delete(kv[0]);
            batch.delete(key(new String(kv[1], StandardCharsets.UTF_8)));
        }
        return old.size();
    }

    /** The keys whose record lies in one of {@code segments}: those cleanup must carry forward. */
    static List<String> in(LevelDbIndex index, Set<Long> segments) throws IOException {
        List<String> keys = new ArrayList<>();
        index.scan(IndexKeys.of(IndexKeys.OUTCOME), null, (key, value) -> {
            if (segments.contains(new BinaryInput(value, 8, 8).readLong())) {
                keys.add(new String(key, 1, key.length - 1, StandardCharsets.UTF_8));
            }
            return true;
        });
        return keys;
    }
}
