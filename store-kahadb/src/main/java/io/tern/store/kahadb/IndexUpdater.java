package io.tern.store.kahadb;

import io.tern.journal.JournalPosition;
import io.tern.protocol.Address;
import io.tern.store.kahadb.StoreRecord.AddMessage;
import io.tern.store.kahadb.StoreRecord.AddSubscription;
import io.tern.store.kahadb.StoreRecord.ClearQueue;
import io.tern.store.kahadb.StoreRecord.CreateDestination;
import io.tern.store.kahadb.StoreRecord.DeliveryCount;
import io.tern.store.kahadb.StoreRecord.DropDestination;
import io.tern.store.kahadb.StoreRecord.DropSubscription;
import io.tern.store.kahadb.StoreRecord.ForgetTransaction;
import io.tern.store.kahadb.StoreRecord.MoveMessage;
import io.tern.store.kahadb.StoreRecord.PrepareTransaction;
import io.tern.store.kahadb.StoreRecord.RemoveMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Applies journal records to the index: the store's state machine. The live applier and recovery both
 * go through it, so a replay after a crash does exactly what the live store did. Every record it applies
 * was checked when it was submitted, so applying never fails on content; a record that refers to
 * something the index does not have (possible only in a rebuild, after the journal files holding its
 * context were cleaned up) is skipped.
 *
 * <p>Records are applied in <i>entries</i>: a plain record, or every operation of one committed journal
 * transaction. Counter changes of an entry become visible together at {@link #endEntry}, so a reader
 * never counts half a transaction; the index itself changes in LevelDB batches of many entries, each
 * batch carrying the replay point after its last entry, so the index on disk is always the state after
 * some entry, never in the middle of one.
 *
 * <p>It also keeps, per journal segment, the live records and the segments their cancelling records refer
 * to ({@link SegmentStats}), which is what cleanup decides on.
 *
 * <p><b>Threads.</b> Owned by one thread at a time: the recovering thread during start, then the index
 * applier. Readers on other threads see only the registry's concurrent maps and atomic counters.
 */
final class IndexUpdater {

    private static final Logger LOG = LoggerFactory.getLogger(IndexUpdater.class);
    /** A long scan (dropping a big destination) is written in parts of this many changes. */
    private static final int SCAN_FLUSH_CHANGES = 20_000;
    private static final int WINDOW_CACHE_SIZE = 1024;
    /** 2: producer marks and outcome keys replaced the per-destination duplicate windows; dispatch marks. */
    static final int FORMAT_VERSION = 2;

    private final Registry registry;
    private final IndexBatch batch;
    private final TreeMap<Long, SegmentStats> segments = new TreeMap<>();
    private final Set<SegmentStats> dirtySegments = new HashSet<>();
    private final Set<DestinationState> dirtyDestinations = new HashSet<>();
    private final Set<SubscriptionState> dirtySubscriptions = new HashSet<>();
    private final Map<AtomicLong, long[]> deltas = new IdentityHashMap<>();
    private final ProducerMarks producerMarks;
    private final OutcomeKeys outcomeKeys;

    private JournalPosition replayPoint = JournalPosition.ORIGIN;
    private long maxId;
    private long maxOrder;

    IndexUpdater(Registry registry, IndexBatch batch) {
        this.registry = registry;
        this.batch = batch;
        this.producerMarks = new ProducerMarks(batch);
        this.outcomeKeys = new OutcomeKeys(batch);
    }

    // ------------------------------------------------------------------ loading

    /** Whether the index holds a state of this format (an empty or foreign index does not). */
    boolean hasState() {
        byte[] format = batch.get(IndexKeys.meta(IndexKeys.META_FORMAT));
        return format != null && new BinaryInput(format).readInt() == FORMAT_VERSION
                && batch.get(IndexKeys.meta(IndexKeys.META_REPLAY_POINT)) != null;
    }

    /** Marks an empty index as holding this format. */
    void initialise() throws IOException {
        batch.put(IndexKeys.meta(IndexKeys.META_FORMAT), new BinaryOutput(4).writeInt(FORMAT_VERSION).toByteArray());
        flush();
    }

    /**
     * Loads what is kept in memory from the index: destinations, subscriptions, segment statistics, the
     * replay point and the ID counters. Prepared transactions are loaded by the caller, which reads
     * their records from the journal ({@link #preparedLocations}).
     */
    void load() throws IOException {
        LevelDbIndex index = batch.index();
        BinaryInput rp = new BinaryInput(index.get(IndexKeys.meta(IndexKeys.META_REPLAY_POINT)));
        replayPoint = new JournalPosition(rp.readLong(), rp.readInt());
        byte[] next = index.get(IndexKeys.meta(IndexKeys.META_NEXT_ID));
        maxId = next == null ? 0 : new BinaryInput(next).readLong() - 1;
        byte[] order = index.get(IndexKeys.meta(IndexKeys.META_NEXT_PREPARE_ORDER));
        maxOrder = order == null ? 0 : new BinaryInput(order).readLong() - 1;
        producerMarks.load();
        outcomeKeys.load();
        index.scan(IndexKeys.of(IndexKeys.DESTINATION), null, (key, value) -> {
            long id = IndexKeys.longAt(key, 0);
            BinaryInput in = new BinaryInput(value);
            Address.Kind kind = Address.Kind.values()[in.readByte()];
            DestinationState d = new DestinationState(id, new Address(kind, in.readString()));
            d.lastSequence.set(in.readLong());
            d.count.set(in.readLong());
            d.bytes.set(in.readLong());
            d.location = Location.readFrom(in);
            d.dispatchMark = in.readLong();
            d.dispatchMarkSegment = in.readLong();
            d.indexed = true;
            registry.byId.put(id, d);
            registry.byAddress.put(d.address, d);
            registry.usedBytes.addAndGet(d.bytes.get());
            return true;
        });
        index.scan(IndexKeys.of(IndexKeys.SUBSCRIPTION), null, (key, value) -> {
            long destinationId = IndexKeys.longAt(key, 0);
            long id = IndexKeys.longAt(key, 1);
            BinaryInput in = new BinaryInput(value);
            SubscriptionState s = new SubscriptionState(id, destinationId, new io.tern.store.SubscriptionInfo(
                    in.readString(), in.readString(), in.readString(), in.readBoolean(), in.readBoolean()));
            s.count.set(in.readLong());
            s.location = Location.readFrom(in);
            s.dispatchMark = in.readLong();
            s.dispatchMarkSegment = in.readLong();
            s.indexed = true;
            DestinationState d = registry.byId.get(destinationId);
            if (d != null) {
                d.subscriptionsById.put(id, s);
                d.subscriptionsByKey.put(s.info.key(), s);
            }
            return true;
        });
        index.scan(IndexKeys.of(IndexKeys.SEGMENT), null, (key, value) -> {
            long id = IndexKeys.longAt(key, 0);
            segments.put(id, SegmentStats.decode(id, value));
            return true;
        });
    }

    /** The prepared transactions in the index: prepare order to the location of its record. */
    Map<Long, Location> preparedLocations() throws IOException {
        Map<Long, Location> found = new TreeMap<>();
        batch.index().scan(IndexKeys.of(IndexKeys.PREPARED), null, (key, value) -> {
            found.put(IndexKeys.longAt(key, 0), Location.readFrom(new BinaryInput(value)));
            return true;
        });
        return found;
    }

    /** Registers a prepared transaction loaded from the index and its journal record. */
    void loadedPrepared(PreparedState p, Location location) {
        p.indexed = true;
        p.location = location;
        registry.preparedByOrder.put(p.order, p);
        registry.preparedByXid.put(p.xid, p);
        maxOrder = Math.max(maxOrder, p.order);
    }

    JournalPosition replayPoint() {
        return replayPoint;
    }

    long nextId() {
        return maxId + 1;
    }

    long nextPrepareOrder() {
        return maxOrder + 1;
    }

    /** Copies of the segment statistics, for cleanup on another thread. */
    List<SegmentStats> segmentStats() {
        List<SegmentStats> copies = new ArrayList<>(segments.size());
        segments.values().forEach(s -> copies.add(s.copy()));
        return copies;
    }

    /** Forgets the statistics of segments whose files were deleted. */
    void segmentsDeleted(List<Long> ids) throws IOException {
        for (Long id : ids) {
            SegmentStats s = segments.remove(id);
            if (s != null) {
                dirtySegments.remove(s);
                if (s.liveRecords != 0) {
                    LOG.warn("Journal segment {} was deleted with {} live records counted", id, s.liveRecords);
                }
            }
            batch.delete(IndexKeys.segment(id));
        }
        flush();
    }

    // ------------------------------------------------------------------ applying

    /** Applies one record of the current entry, found at {@code location}. */
    void apply(StoreRecord record, Location location) throws IOException {
        if (record instanceof AddMessage r) {
            addMessage(r, location);
        } else if (record instanceof RemoveMessage r) {
            removeMessage(r, location);
        } else if (record instanceof DeliveryCount r) {
            deliveryCount(r, location);
        } else if (record instanceof CreateDestination r) {
            createDestination(r, location);
        } else if (record instanceof DropDestination r) {
            dropDestination(r, location);
        } else if (record instanceof ClearQueue r) {
            clearQueue(r, location);
        } else if (record instanceof AddSubscription r) {
            addSubscription(r, location);
        } else if (record instanceof DropSubscription r) {
            dropSubscription(r, location);
        } else if (record instanceof PrepareTransaction r) {
            prepare(r, location);
        } else if (record instanceof ForgetTransaction r) {
            forget(r, location);
        } else if (record instanceof MoveMessage r) {
            moveMessage(r, location);
        } else if (record instanceof StoreRecord.Outcomes r) {
            r.keys().forEach(k -> outcomeKeys.record(k, location.segmentId()));
        } else if (record instanceof StoreRecord.ProducerMarks r) {
            for (int i = 0; i < r.highest().length; i++) {
                producerMarks.raise(r.producerIds().get(i), r.highest()[i], location.segmentId(), true);
            }
        } else if (record instanceof StoreRecord.DispatchMark r) {
            dispatchMark(r, location);
        } else {
            throw new IllegalArgumentException("unknown store record " + record);
        }
    }

    /** Ends an entry: its counter changes become visible, and the replay point moves past it. */
    void endEntry(JournalPosition next) {
        publishDeltas();
        if (next != null && next.compareTo(replayPoint) > 0) {
            replayPoint = next;
        }
    }

    /** Makes the counter changes gathered so far visible. */
    void publishDeltas() {
        for (Map.Entry<AtomicLong, long[]> e : deltas.entrySet()) {
            e.getKey().addAndGet(e.getValue()[0]);
        }
        deltas.clear();
    }

    /** Moves the replay point without applying anything (the end of a replay). */
    void advanceReplayPoint(JournalPosition next) {
        if (next.compareTo(replayPoint) > 0) {
            replayPoint = next;
        }
    }

    /** Writes every change so far, with the replay point, in one atomic (unforced) LevelDB write. */
    void flush() throws IOException {
        for (DestinationState d : dirtyDestinations) {
            if (d.indexed) {
                BinaryOutput out = new BinaryOutput(64).writeByte(d.address.kind().ordinal())
                        .writeString(d.address.name()).writeLong(d.lastSequence.get()).writeLong(d.count.get())
                        .writeLong(d.bytes.get());
                d.location.writeTo(out);
                out.writeLong(d.dispatchMark).writeLong(d.dispatchMarkSegment);
                batch.put(IndexKeys.destination(d.id), out.toByteArray());
            }
        }
        dirtyDestinations.clear();
        for (SubscriptionState s : dirtySubscriptions) {
            if (s.indexed) {
                BinaryOutput out = new BinaryOutput(64).writeString(s.info.clientId()).writeString(s.info.name())
                        .writeString(s.info.selector()).writeBoolean(s.info.noLocal()).writeBoolean(s.info.shared())
                        .writeLong(s.count.get());
                s.location.writeTo(out);
                out.writeLong(s.dispatchMark).writeLong(s.dispatchMarkSegment);
                batch.put(IndexKeys.subscription(s.destinationId, s.id), out.toByteArray());
            }
        }
        dirtySubscriptions.clear();
        for (SegmentStats s : dirtySegments) {
            batch.put(IndexKeys.segment(s.segmentId), s.encode());
        }
        dirtySegments.clear();
        producerMarks.flushInto();
        batch.put(IndexKeys.meta(IndexKeys.META_REPLAY_POINT), new BinaryOutput(12)
                .writeLong(replayPoint.segmentId()).writeInt(replayPoint.offset()).toByteArray());
        batch.put(IndexKeys.meta(IndexKeys.META_NEXT_ID), new BinaryOutput(8).writeLong(maxId + 1).toByteArray());
        batch.put(IndexKeys.meta(IndexKeys.META_NEXT_PREPARE_ORDER),
                new BinaryOutput(8).writeLong(maxOrder + 1).toByteArray());
        batch.flush();
    }

    int pendingChanges() {
        return batch.changes();
    }

    /** Whether a message (queue) or claim (topic, subscription != 0) is in the index, pending changes included. */
    boolean holds(long destinationId, long sequence) {
        return batch.get(IndexKeys.message(destinationId, sequence)) != null;
    }

    private void createDestination(CreateDestination r, Location location) {
        maxId = Math.max(maxId, r.destinationId());
        DestinationState d = registry.byId.get(r.destinationId());
        if (d == null) {
            d = new DestinationState(r.destinationId(), new Address(r.kind(), r.name()));
            registry.byId.put(d.id, d);
            registry.byAddress.put(d.address, d);
        }
        if (d.indexed) {
            dead(d.location);
        }
        d.indexed = true;
        d.location = location;
        d.lastSequence.accumulateAndGet(r.lastSequence(), Math::max);
        live(location, StoreRecord.CREATE_DESTINATION, d.id, 0);
        dirtyDestinations.add(d);
    }

    private void dropDestination(DropDestination r, Location location) throws IOException {
        DestinationState d = registry.byId.get(r.destinationId());
        if (d == null || !d.indexed) {
            return;
        }
        flush();
        scanAndDelete(IndexKeys.messages(d.id), (key, value) -> {
            MessageEntry e = MessageEntry.decode(value);
            dead(e.location());
            reference(location, e.location());
            d.count.decrementAndGet();
            d.bytes.addAndGet(-e.size());
            registry.usedBytes.addAndGet(-e.size());
        });
        scanAndDelete(IndexKeys.claims(d.id), (key, value) -> {
        });
        for (SubscriptionState s : d.subscriptionsById.values()) {
            if (s.indexed) {
                dead(s.location);
                reference(location, s.location);
                batch.delete(IndexKeys.subscription(d.id, s.id));
                dirtySubscriptions.remove(s);
            }
        }
        dead(d.location);
        reference(location, d.location);
        batch.delete(IndexKeys.destination(d.id));
        dirtyDestinations.remove(d);
        d.indexed = false;
        registry.byId.remove(d.id);
        registry.byAddress.remove(d.address, d);
    }

    private void addMessage(AddMessage r, Location location) {
        DestinationState d = registry.byId.get(r.destinationId());
        if (d == null || !d.indexed) {
            return;
        }
        byte[] key = IndexKeys.message(d.id, r.sequence());
        if (batch.get(key) != null) {
            // Submission refuses a sequence already stored, so only a rebuild from a journal whose
            // cleanup history is unusual can get here.
            LOG.warn("{} already holds sequence {}; the record at {} is skipped", d, r.sequence(), location);
            return;
        }
        d.lastSequence.accumulateAndGet(r.sequence(), Math::max);
        dirtyDestinations.add(d);
        if (r.producerId() != null && r.producerSequence() > 0) {
            producerMarks.raise(r.producerId(), r.producerSequence(), location.segmentId(), false);
        }
        int claims = 0;
        if (d.address.isTopic()) {
            for (long subscriptionId : r.subscriptionIds()) {
                SubscriptionState s = d.subscriptionsById.get(subscriptionId);
                if (s != null && s.indexed) {
                    batch.put(IndexKeys.claim(d.id, s.id, r.sequence()), count(0));
                    delta(s.count, 1);
                    dirtySubscriptions.add(s);
                    claims++;
                }
            }
            if (claims == 0) {
                return;
            }
        }
        int size = r.message().length;
        batch.put(key, new MessageEntry(location, StoreRecord.ADD_MESSAGE, size, 0, claims).encode());
        live(location, StoreRecord.ADD_MESSAGE, d.id, r.sequence());
        delta(d.count, 1);
        delta(d.bytes, size);
        delta(registry.usedBytes, size);
    }

    private void removeMessage(RemoveMessage r, Location location) {
        DestinationState d = registry.byId.get(r.destinationId());
        if (d == null || !d.indexed) {
            return;
        }
        byte[] key = IndexKeys.message(d.id, r.sequence());
        if (r.subscriptionId() == 0) {
            byte[] value = batch.get(key);
            if (value != null) {
                dropMessage(d, key, MessageEntry.decode(value), location, true);
            }
            return;
        }
        byte[] claimKey = IndexKeys.claim(d.id, r.subscriptionId(), r.sequence());
        if (batch.get(claimKey) == null) {
            return;
        }
        batch.delete(claimKey);
        SubscriptionState s = d.subscriptionsById.get(r.subscriptionId());
        if (s != null) {
            delta(s.count, -1);
            dirtySubscriptions.add(s);
        }
        releaseClaim(d, key, location, true);
    }

    /** One claim on a topic message is gone: the message goes with its last claim. */
    private void releaseClaim(DestinationState d, byte[] messageKey, Location cancel, boolean deferred) {
        byte[] value = batch.get(messageKey);
        if (value == null) {
            return;
        }
        MessageEntry e = MessageEntry.decode(value);
        if (e.claims() <= 1) {
            dropMessage(d, messageKey, e, cancel, deferred);
        } else {
            batch.put(messageKey, e.withClaims(e.claims() - 1).encode());
            reference(cancel, e.location());
        }
    }

    private void dropMessage(DestinationState d, byte[] key, MessageEntry e, Location cancel, boolean deferred) {
        batch.delete(key);
        dead(e.location());
        reference(cancel, e.location());
        dirtyDestinations.add(d);
        if (deferred) {
            delta(d.count, -1);
            delta(d.bytes, -e.size());
            delta(registry.usedBytes, -e.size());
        } else {
            d.count.decrementAndGet();
            d.bytes.addAndGet(-e.size());
            registry.usedBytes.addAndGet(-e.size());
        }
    }

    private void deliveryCount(DeliveryCount r, Location location) {
        DestinationState d = registry.byId.get(r.destinationId());
        if (d == null || !d.indexed) {
            return;
        }
        byte[] key = IndexKeys.message(d.id, r.sequence());
        byte[] value = batch.get(key);
        if (value == null) {
            return;
        }
        MessageEntry e = MessageEntry.decode(value);
        if (r.subscriptionId() == 0) {
            batch.put(key, e.withDeliveryCount(r.count()).encode());
        } else {
            byte[] claimKey = IndexKeys.claim(d.id, r.subscriptionId(), r.sequence());
            if (batch.get(claimKey) == null) {
                return;
            }
            batch.put(claimKey, count(r.count()));
        }
        reference(location, e.location());
    }

    private void clearQueue(ClearQueue r, Location location) throws IOException {
        DestinationState d = registry.byId.get(r.destinationId());
        if (d == null || !d.indexed) {
            return;
        }
        flush();
        scanAndDelete(IndexKeys.messages(d.id), (key, value) -> {
            MessageEntry e = MessageEntry.decode(value);
            dead(e.location());
            reference(location, e.location());
            d.count.decrementAndGet();
            d.bytes.addAndGet(-e.size());
            registry.usedBytes.addAndGet(-e.size());
        });
        dirtyDestinations.add(d);
    }

    private void addSubscription(AddSubscription r, Location location) {
        maxId = Math.max(maxId, r.subscriptionId());
        DestinationState d = registry.byId.get(r.destinationId());
        if (d == null || !d.indexed) {
            return;
        }
        SubscriptionState s = d.subscriptionsById.get(r.subscriptionId());
        if (s == null) {
            SubscriptionState submitted = d.subscriptionsByKey.get(r.info().key());
            s = submitted != null && submitted.id == r.subscriptionId() ? submitted
                    : new SubscriptionState(r.subscriptionId(), d.id, r.info());
            d.subscriptionsById.put(s.id, s);
            if (submitted == null) {
                d.subscriptionsByKey.put(r.info().key(), s);
            }
        }
        if (s.indexed) {
            dead(s.location);
        }
        s.indexed = true;
        s.location = location;
        live(location, StoreRecord.ADD_SUBSCRIPTION, d.id, s.id);
        dirtySubscriptions.add(s);
    }

    private void dropSubscription(DropSubscription r, Location location) throws IOException {
        DestinationState d = registry.byId.get(r.destinationId());
        SubscriptionState s = d == null ? null : d.subscriptionsById.get(r.subscriptionId());
        if (s == null || !s.indexed) {
            return;
        }
        flush();
        scanAndDelete(IndexKeys.claims(d.id, s.id), (key, value) -> {
            long sequence = IndexKeys.longAt(key, 2);
            s.count.decrementAndGet();
            releaseClaim(d, IndexKeys.message(d.id, sequence), location, false);
        });
        dead(s.location);
        reference(location, s.location);
        batch.delete(IndexKeys.subscription(d.id, s.id));
        dirtySubscriptions.remove(s);
        s.indexed = false;
        d.subscriptionsById.remove(s.id);
        d.subscriptionsByKey.remove(s.info.key(), s);
    }

    private void prepare(PrepareTransaction r, Location location) {
        maxOrder = Math.max(maxOrder, r.order());
        PreparedState p = registry.preparedByOrder.get(r.order());
        if (p == null) {
            PreparedState submitted = registry.preparedByXid.get(r.xid());
            p = submitted != null && submitted.order == r.order() ? submitted
                    : new PreparedState(r.order(), r.xid(), r.operations());
            registry.preparedByOrder.put(p.order, p);
            if (submitted == null) {
                registry.preparedByXid.put(p.xid, p);
            }
        }
        if (p.indexed) {
            dead(p.location);
        }
        p.indexed = true;
        p.location = location;
        live(location, StoreRecord.PREPARE_TRANSACTION, 0, p.order);
        BinaryOutput out = new BinaryOutput(16);
        location.writeTo(out);
        batch.put(IndexKeys.prepared(p.order), out.toByteArray());
    }

    private void forget(ForgetTransaction r, Location location) {
        PreparedState p = registry.preparedByOrder.remove(r.order());
        if (p == null) {
            return;
        }
        batch.delete(IndexKeys.prepared(p.order));
        if (p.indexed) {
            dead(p.location);
            reference(location, p.location);
        }
        p.indexed = false;
        registry.preparedByXid.remove(p.xid, p);
    }

    private void moveMessage(MoveMessage r, Location location) {
        DestinationState d = registry.byId.get(r.destinationId());
        if (d == null || !d.indexed) {
            return;
        }
        byte[] key = IndexKeys.message(d.id, r.sequence());
        byte[] value = batch.get(key);
        if (value != null) {
            // The live store moves a message whose state the index has: only its place changes.
            MessageEntry e = MessageEntry.decode(value);
            dead(e.location());
            batch.put(key, e.withLocation(location, StoreRecord.MOVE_MESSAGE).encode());
            live(location, StoreRecord.ADD_MESSAGE, d.id, r.sequence());
            return;
        }
        // A rebuild that no longer has the original record: the moved record carries the state.
        d.lastSequence.accumulateAndGet(r.sequence(), Math::max);
        dirtyDestinations.add(d);
        int claims = 0;
        if (d.address.isTopic()) {
            for (int i = 0; i < r.subscriptionIds().length; i++) {
                SubscriptionState s = d.subscriptionsById.get(r.subscriptionIds()[i]);
                if (s != null && s.indexed) {
                    batch.put(IndexKeys.claim(d.id, s.id, r.sequence()), count(r.deliveryCounts()[i]));
                    delta(s.count, 1);
                    dirtySubscriptions.add(s);
                    claims++;
                }
            }
            if (claims == 0) {
                return;
            }
        }
        int size = r.message().length;
        batch.put(key, new MessageEntry(location, StoreRecord.MOVE_MESSAGE, size, r.deliveryCount(), claims).encode());
        live(location, StoreRecord.ADD_MESSAGE, d.id, r.sequence());
        delta(d.count, 1);
        delta(d.bytes, size);
        delta(registry.usedBytes, size);
    }

    private void dispatchMark(StoreRecord.DispatchMark r, Location location) {
        DestinationState d = registry.byId.get(r.destinationId());
        if (d == null || !d.indexed) {
            return;
        }
        if (r.subscriptionId() == 0) {
            d.dispatchMark = r.mark();
            d.dispatchMarkSegment = location.segmentId();
            dirtyDestinations.add(d);
            return;
        }
        SubscriptionState s = d.subscriptionsById.get(r.subscriptionId());
        if (s != null && s.indexed) {
            s.dispatchMark = r.mark();
            s.dispatchMarkSegment = location.segmentId();
            dirtySubscriptions.add(s);
        }
    }

    // ------------------------------------------------------------------ producer marks and outcome keys

    /**
     * Prunes producer marks and outcome keys to their bounds ({@link ProducerMarks#KEPT},
     * {@link OutcomeKeys#KEPT}). Returns how many entries went.
     */
    int pruneHistory() throws IOException {
        flush();
        int n = producerMarks.prune() + outcomeKeys.prune();
        flush();
        return n;
    }

    // ------------------------------------------------------------------ bookkeeping

    private void live(Location location, byte kind, long destinationId, long id) {
        SegmentStats s = stats(location.segmentId());
        s.liveRecords++;
        s.liveBytes += location.length();
        batch.put(IndexKeys.live(location.segmentId(), location.offset()),
                new LiveRecord(kind, destinationId, id).encode());
    }

    private void dead(Location location) {
        SegmentStats s = stats(location.segmentId());
        s.liveRecords--;
        s.liveBytes -= location.length();
        batch.delete(IndexKeys.live(location.segmentId(), location.offset()));
    }

    /** A cancelling record at {@code cancel} undid the record at {@code target}: see {@link SegmentStats}. */
    private void reference(Location cancel, Location target) {
        if (target.segmentId() < cancel.segmentId()) {
            SegmentStats s = stats(cancel.segmentId());
            if (s.references.add(target.segmentId())) {
                dirtySegments.add(s);
            }
        }
    }

    private SegmentStats stats(long segmentId) {
        SegmentStats s = segments.computeIfAbsent(segmentId, SegmentStats::new);
        dirtySegments.add(s);
        return s;
    }

    private void delta(AtomicLong counter, long by) {
        deltas.computeIfAbsent(counter, c -> new long[1])[0] += by;
    }

    private static byte[] count(int deliveryCount) {
        return new BinaryOutput(4).writeInt(deliveryCount).toByteArray();
    }

    @FunctionalInterface
    private interface KeyAction {
        void accept(byte[] key, byte[] value) throws IOException;
    }

    /** Deletes every key with a prefix, acting on each, in parts written as it goes (see class comment). */
    private void scanAndDelete(byte[] prefix, KeyAction action) throws IOException {
        boolean more = true;
        while (more) {
            List<byte[][]> part = new ArrayList<>();
            batch.index().scan(prefix, null, (key, value) -> {
                part.add(new byte[][] {key, value});
                return part.size() < SCAN_FLUSH_CHANGES;
            });
            for (byte[][] kv : part) {
                action.accept(kv[0], kv[1]);
                batch.delete(kv[0]);
            }
            more = part.size() == SCAN_FLUSH_CHANGES;
            if (more) {
                flush();
            }
        }
    }
}
