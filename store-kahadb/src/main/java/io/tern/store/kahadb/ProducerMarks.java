package io.tern.store.kahadb;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Each producer's highest stored sequence ({@code TransactionStore.producerHighWater}), from which the
 * broker's duplicate detection starts after a restart. Every ADD_MESSAGE (also inside a commit) raises
 * its producer's mark; so does a PRODUCER_MARKS record, which cleanup writes to carry marks forward before
 * it deletes the journal file whose ADD_MESSAGE set them, so a rebuilt index has them too.
 *
 * <p><b>Bound.</b> The {@value #KEPT} producers that stored most recently are kept; cleanup prunes the
 * rest. Each raise takes a new <i>order</i>; {@code 'p' order} keys list the producers oldest first.
 *
 * <p>In the index: {@code 'P' producerId} → highest, order, journal segment of the record that set it;
 * {@code 'p' order} → producerId.
 *
 * <p><b>Threads.</b> The instance (its cache) belongs to the index applier; {@link #highWater} is static and
 * reads the database, which the applier writes before it completes the writers' stages.
 */
final class ProducerMarks {

    static final int KEPT = 100_000;
    private static final int CACHE = 1024;

    private static final class Mark {
        long highest;
        long order;
        long segment;
        /** The order under which the {@code 'p'} key is in the batch or database; 0 for none. */
        long storedOrder;
    }

    private final IndexBatch batch;
    private final Set<String> dirty = new HashSet<>();
    private final LinkedHashMap<String, Mark> cache = new LinkedHashMap<>(CACHE * 2, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Mark> eldest) {
            if (size() <= CACHE) {
                return false;
            }
            if (dirty.remove(eldest.getKey())) {
                write(eldest.getKey(), eldest.getValue());
            }
            return true;
        }
    };
    private long nextOrder = 1;

    ProducerMarks(IndexBatch batch) {
        this.batch = batch;
    }

    static byte[] key(String producerId) {
        return IndexKeys.named(IndexKeys.PRODUCER, producerId);
    }

    static long highWater(LevelDbIndex index, String producerId) {
        byte[] v = index.get(key(producerId));
        return v == null ? 0 : new BinaryInput(v).readLong();
    }

    void load() {
        byte[] v = batch.get(IndexKeys.meta(IndexKeys.META_PRODUCER_ORDER));
        nextOrder = v == null ? 1 : new BinaryInput(v).readLong();
    }

    /**
     * A message of the producer stored in a record of {@code segment}, or ({@code carried}) its mark
     * written again there by cleanup, which keeps the producer's place in the pruning order.
     */
    void raise(String producerId, long sequence, long segment, boolean carried) {
        Mark m = load(producerId);
        if (sequence < m.highest) {
            return;
        }
        m.highest = sequence;
        m.segment = segment;
        if (!carried || m.order == 0) {
            m.order = nextOrder++;
        }
        dirty.add(producerId);
    }

    private Mark load(String producerId) {
        Mark m = cache.get(producerId);
        if (m == null) {
            m = new Mark();
            byte[] v = batch.get(key(producerId));
            if (v != null) {
                BinaryInput in = new BinaryInput(v);
                m.highest = in.readLong();
                m.order = in.readLong();
                m.segment = in.readLong();
                m.storedOrder = m.order;
            }
            cache.put(producerId, m);
        }
        return m;
    }

    private void write(String producerId, Mark m) {
        batch.put(key(producerId), new BinaryOutput(24).writeLong(m.highest).writeLong(m.order).writeLong(m.segment)
                .toByteArray());
        if (m.storedOrder != m.order) {
            if (m.storedOrder != 0) {
                batch.delete(IndexKeys.producerOrder(m.storedOrder));
            }
            batch.put(IndexKeys.producerOrder(m.order), producerId.getBytes(StandardCharsets.UTF_8));
            m.storedOrder = m.order;
        }
    }

    /** Puts every changed mark into the batch. */
    void flushInto() {
        for (String id : dirty) {
            Mark m = cache.get(id);
            if (m != null) {
                write(id, m);
            }
        }
        dirty.clear();
        batch.put(IndexKeys.meta(IndexKeys.META_PRODUCER_ORDER), new BinaryOutput(8).writeLong(nextOrder).toByteArray());
    }

    /**
     * Deletes all but the {@value #KEPT} producers that stored most recently; returns how many went. The
     * caller flushed the batch first: this scans the database.
     */
    int prune() throws IOException {
        List<byte[]> orders = new ArrayList<>();
        List<byte[]> ids = new ArrayList<>();
        batch.index().scan(IndexKeys.of(IndexKeys.PRODUCER_ORDER), null, (key, value) -> {
            orders.add(key);
            ids.add(value);
            return true;
        });
        int excess = orders.size() - KEPT;
        for (int i = 0; i < excess; i++) {
            batch.delete(orders.get(i));
            String id = new String(ids.get(i), StandardCharsets.UTF_8);
            batch.delete(key(id));
            cache.remove(id);
        }
        return Math.max(0, excess);
    }

    /** The marks whose record lies in one of {@code segments}: those cleanup must carry forward. */
    static StoreRecord.ProducerMarks in(LevelDbIndex index, Set<Long> segments) throws IOException {
        List<String> ids = new ArrayList<>();
        List<Long> highest = new ArrayList<>();
        index.scan(IndexKeys.of(IndexKeys.PRODUCER), null, (key, value) -> {
            BinaryInput in = new BinaryInput(value);
            long h = in.readLong();
            in.readLong();
            if (segments.contains(in.readLong())) {
                ids.add(new String(key, 1, key.length - 1, StandardCharsets.UTF_8));
                highest.add(h);
            }
            return true;
        });
        return new StoreRecord.ProducerMarks(ids, highest.stream().mapToLong(Long::longValue).toArray());
    }
}
