package io.tern.store.kahadb;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which producer sequences were stored on a destination recently, for duplicate detection: per producer
 * and destination, its highest sequence and a fingerprint (the hash of the message ID) of each of its
 * last {@value #WINDOW} sequences. A message is a <i>resend</i> when its producer stored the same
 * sequence with the same message ID there recently: what a failover client does with a send whose
 * receipt it did not get. Sequences may arrive out of order (concurrent sends, transactions that commit
 * after later sends); one older than the window counts as new, so a new message is never dropped.
 *
 * <p>In the index: a header {@code 'P' destination len producerId} (highest sequence, last use) and
 * chunks of {@value #CHUNK} fingerprints under the header's key plus the chunk number. Chunks that fall
 * out of the window are deleted as the producer moves on, and producers idle for long are pruned, so the
 * index holds a bounded amount per active producer.
 *
 * <p><b>Threads.</b> The instance (its caches) belongs to the index applier; {@link #contains} is static
 * and reads the database, which submitting threads do.
 */
final class DuplicateIndex {

    static final int CHUNK = 16;
    static final int KEEP_CHUNKS = 128;
    static final int WINDOW = CHUNK * KEEP_CHUNKS;
    private static final int CACHE = 1024;

    private record Header(long[] v) {
        long highest() {
            return v[0];
        }
    }

    private final IndexBatch batch;
    private final Set<ByteKey> dirty = new HashSet<>();
    private final LinkedHashMap<ByteKey, Object> cache = new LinkedHashMap<>(CACHE * 2, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<ByteKey, Object> eldest) {
            if (size() <= CACHE) {
                return false;
            }
            if (dirty.remove(eldest.getKey())) {
                batch.put(eldest.getKey().bytes(), encode(eldest.getValue()));
            }
            return true;
        }
    };

    /** A byte array key with value equality. */
    record ByteKey(byte[] bytes) {
        @Override
        public boolean equals(Object o) {
            return o instanceof ByteKey k && java.util.Arrays.equals(bytes, k.bytes);
        }

        @Override
        public int hashCode() {
            return java.util.Arrays.hashCode(bytes);
        }
    }

    DuplicateIndex(IndexBatch batch) {
        this.batch = batch;
    }

    /** The fingerprint of a message ID: never 0, which marks an empty slot. */
    static int fingerprint(String messageId) {
        int h = messageId == null ? 1 : messageId.hashCode();
        return h == 0 ? 1 : h;
    }

    static byte[] header(long destinationId, String producerId) {
        byte[] id = producerId.getBytes(StandardCharsets.UTF_8);
        int len = Math.min(id.length, 0xffff);
        byte[] k = new byte[11 + len];
        k[0] = IndexKeys.PRODUCER;
        for (int i = 0; i < 8; i++) {
            k[1 + i] = (byte) (destinationId >>> (56 - 8 * i));
        }
        k[9] = (byte) (len >>> 8);
        k[10] = (byte) len;
        System.arraycopy(id, 0, k, 11, len);
        return k;
    }

    static byte[] chunk(byte[] header, long chunk) {
        byte[] k = java.util.Arrays.copyOf(header, header.length + 8);
        for (int i = 0; i < 8; i++) {
            k[header.length + i] = (byte) (chunk >>> (56 - 8 * i));
        }
        return k;
    }

    /**
     * Whether the index has this producer sequence with this fingerprint on this destination. Reads the
     * database only: the applier writes its changes before it releases the writers' reservations.
     */
    static boolean contains(LevelDbIndex index, long destinationId, String producerId, long sequence, int fingerprint) {
        byte[] h = header(destinationId, producerId);
        byte[] hv = index.get(h);
        if (hv == null) {
            return false;
        }
        long highest = new BinaryInput(hv).readLong();
        if (sequence > highest || sequence / CHUNK <= highest / CHUNK - KEEP_CHUNKS) {
            return false;
        }
        byte[] cv = index.get(chunk(h, sequence / CHUNK));
        if (cv == null) {
            return false;
        }
        return new BinaryInput(cv, (int) (sequence % CHUNK) * 4, 4).readInt() == fingerprint;
    }

    /** Records a stored message's producer sequence. */
    void mark(long destinationId, String producerId, long sequence, int fingerprint, long nowMillis) {
        byte[] h = header(destinationId, producerId);
        ByteKey hk = new ByteKey(h);
        Header header = (Header) load(hk, true);
        long highest = header.highest();
        long newChunk = sequence / CHUNK;
        if (sequence > highest) {
            long oldChunk = highest / CHUNK;
            // Chunks that leave the window as the highest sequence moves up.
            long from = Math.max(oldChunk - KEEP_CHUNKS + 1, newChunk - KEEP_CHUNKS - KEEP_CHUNKS);
            for (long c = Math.max(0, from); c <= newChunk - KEEP_CHUNKS && c <= oldChunk; c++) {
                ByteKey ck = new ByteKey(chunk(h, c));
                cache.remove(ck);
                dirty.remove(ck);
                batch.delete(ck.bytes());
            }
            header.v()[0] = sequence;
            highest = sequence;
        }
        header.v()[1] = nowMillis;
        dirty.add(hk);
        if (newChunk <= highest / CHUNK - KEEP_CHUNKS) {
            return;
        }
        ByteKey ck = new ByteKey(chunk(h, newChunk));
        int[] slots = (int[]) load(ck, false);
        slots[(int) (sequence % CHUNK)] = fingerprint;
        dirty.add(ck);
    }

    private Object load(ByteKey k, boolean isHeader) {
        Object v = cache.get(k);
        if (v == null) {
            byte[] stored = batch.get(k.bytes());
            if (isHeader) {
                long[] h = new long[2];
                if (stored != null) {
                    BinaryInput in = new BinaryInput(stored);
                    h[0] = in.readLong();
                    h[1] = in.readLong();
                }
                v = new Header(h);
            } else {
                int[] slots = new int[CHUNK];
                if (stored != null) {
                    BinaryInput in = new BinaryInput(stored);
                    for (int i = 0; i < CHUNK; i++) {
                        slots[i] = in.readInt();
                    }
                }
                v = slots;
            }
            cache.put(k, v);
        }
        return v;
    }

    private static byte[] encode(Object v) {
        if (v instanceof Header h) {
            return new BinaryOutput(16).writeLong(h.v()[0]).writeLong(h.v()[1]).toByteArray();
        }
        BinaryOutput out = new BinaryOutput(4 * CHUNK);
        for (int slot : (int[]) v) {
            out.writeInt(slot);
        }
        return out.toByteArray();
    }

    /** Puts every changed header and chunk into the batch. */
    void flushInto() {
        for (ByteKey k : dirty) {
            Object v = cache.get(k);
            if (v != null) {
                batch.put(k.bytes(), encode(v));
            }
        }
        dirty.clear();
    }

    /** Forgets cached state of a destination that is being dropped (its keys are deleted by the caller). */
    void forget(long destinationId) {
        cache.keySet().removeIf(k -> IndexKeys.longAt(k.bytes(), 0) == destinationId);
        dirty.removeIf(k -> IndexKeys.longAt(k.bytes(), 0) == destinationId);
    }

    /** Deletes the windows of producers idle for longer than {@code idleMillis}; returns how many. */
    int prune(long nowMillis, long idleMillis) throws java.io.IOException {
        flushInto();
        List<byte[]> stale = new ArrayList<>();
        byte[][] current = new byte[1][];
        batch.index().scan(IndexKeys.of(IndexKeys.PRODUCER), null, (key, value) -> {
            int len = ((key[9] & 0xff) << 8) | (key[10] & 0xff);
            if (key.length == 11 + len) {
                long lastUsed = new BinaryInput(value, 8, 8).readLong();
                current[0] = nowMillis - lastUsed > idleMillis ? key : null;
                if (current[0] != null) {
                    stale.add(key);
                }
            } else if (current[0] != null && LevelDbIndex.startsWith(key, current[0])) {
                stale.add(key);
            }
            return true;
        });
        int producers = 0;
        for (byte[] key : stale) {
            int len = ((key[9] & 0xff) << 8) | (key[10] & 0xff);
            producers += key.length == 11 + len ? 1 : 0;
            batch.delete(key);
        }
        cache.clear();
        dirty.clear();
        return producers;
    }
}
