package io.tern.store.kahadb;

import io.tern.journal.JournalPosition;
import io.tern.journal.JournalRecord;
import io.tern.journal.SegmentInfo;
import io.tern.store.kahadb.StoreRecord.MoveMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Checkpoints and cleanup of one open store, on its own thread ({@code tern-kahadb-maintenance-*}).
 *
 * <p><b>Checkpoint</b> (every {@code checkpointInterval}): forces the journal, then writes the index's
 * replay point with a forced LevelDB write, which makes every earlier index write durable too. After a
 * power failure the store replays from there; after a process crash from the newer, unforced replay
 * point, which the operating system kept.
 *
 * <p><b>Cleanup</b> (every {@code cleanupInterval}): deletes the journal files before the durable replay
 * point that hold no live record and whose removals refer to no kept file (see {@link SegmentStats});
 * then <i>compacts</i> old files that are kept for a few live records (at most a quarter of a file):
 * their live records are appended again at the head of the journal and the index moved to the copies,
 * so the old file can go at the next cleanup. Disk use stays proportional to live data however long a
 * message waits. It logs which destination keeps which file when that changes ({@link #pinnedSegments}).
 * Before deleting files it <i>carries forward</i> what the index holds only from records in them that are
 * never live (outcome keys, producer marks, dispatch marks), so a rebuilt index still has them; and it
 * prunes outcome keys and producer marks to their bounds.
 *
 * <p><b>Threads.</b> Its methods run on the maintenance thread, except {@link #checkpoint} and
 * {@link #pinnedSegments}, which are also called by the store's owner; they are synchronized.
 */
final class StoreMaintenance {

    private static final Logger LOG = LoggerFactory.getLogger(StoreMaintenance.class);
    /** Old files at most this full of live data are compacted. */
    private static final int COMPACT_WHEN_LIVE_AT_MOST_ONE_IN = 4;
    /** Files compacted per cleanup at most. */
    private static final int COMPACTIONS_PER_CLEANUP = 4;
    /** Live records moved per hold of the append lock. */
    private static final int MOVES_PER_LOCK = 256;
    /** Outcome keys or producer marks carried forward per record. */
    private static final int CARRIED_PER_RECORD = 1000;

    private final StoreEngine engine;
    private final ScheduledExecutorService scheduler;
    private volatile JournalPosition durableReplayPoint = JournalPosition.ORIGIN;
    private String lastPins = "";

    /** What one cleanup did. */
    record CleanupResult(List<Long> deleted, int movedRecords, List<SegmentPin> kept) {
    }

    StoreMaintenance(StoreEngine engine, String name) {
        this.engine = engine;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "tern-kahadb-maintenance-" + name);
            t.setDaemon(true);
            return t;
        });
    }

    void start() {
        long checkpoint = engine.config.checkpointInterval().toMillis();
        long cleanup = engine.config.cleanupInterval().toMillis();
        scheduler.scheduleWithFixedDelay(() -> safely("checkpoint", this::checkpoint), checkpoint, checkpoint,
                TimeUnit.MILLISECONDS);
        scheduler.scheduleWithFixedDelay(() -> safely("cleanup", this::cleanup), cleanup, cleanup,
                TimeUnit.MILLISECONDS);
    }

    void stop() {
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    void setDurableReplayPoint(JournalPosition p) {
        durableReplayPoint = p;
    }

    JournalPosition durableReplayPoint() {
        return durableReplayPoint;
    }

    /** Makes the index durable up to what has been applied; returns the replay point it recorded. */
    synchronized JournalPosition checkpoint() throws IOException {
        JournalPosition p = onApplier(() -> {
            JournalPosition replayPoint = engine.updater.replayPoint();
            engine.updater.flush();
            // Under periodic or never, records the index already holds may not be forced yet.
            engine.journal.sync().get(60, TimeUnit.SECONDS);
            engine.index.putDurably(IndexKeys.meta(IndexKeys.META_CHECKPOINT), StoreEngine.checkpointValue(replayPoint));
            return replayPoint;
        });
        durableReplayPoint = p;
        LOG.debug("kahadb {}: checkpoint at {}", engine.config.directory(), p);
        return p;
    }

    /** Deletes the journal files nothing needs and compacts old ones kept for a few records. */
    synchronized CleanupResult cleanup() throws IOException {
        List<Long> deleted = deleteUnneeded();
        int moved = 0;
        int compacted = 0;
        for (long segment : compactionCandidates()) {
            if (compacted++ == COMPACTIONS_PER_CLEANUP || engine.isClosed()) {
                break;
            }
            int n = moveLiveRecords(segment);
            if (n > 0) {
                LOG.info("kahadb {}: moved {} live records out of journal segment {} so it can be deleted",
                        engine.config.directory(), n, segment);
            }
            moved += n;
        }
        onApplier(engine.updater::pruneHistory);
        List<SegmentPin> kept = pinnedSegments();
        String pins = kept.toString();
        if (!pins.equals(lastPins)) {
            lastPins = pins;
            for (SegmentPin pin : kept) {
                LOG.info("kahadb {}: {}", engine.config.directory(), pin);
            }
        }
        return new CleanupResult(deleted, moved, kept);
    }

    private List<Long> deleteUnneeded() throws IOException {
        JournalPosition durable = durableReplayPoint;
        Map<Long, SegmentStats> stats = statsById();
        List<SegmentInfo> files = engine.journal.segments();
        Set<Long> existing = new TreeSet<>();
        files.forEach(f -> existing.add(f.id()));
        Set<Long> deletable = new TreeSet<>();
        for (SegmentInfo f : files) {
            if (f.current() || f.id() >= durable.segmentId()) {
                break;
            }
            SegmentStats s = stats.get(f.id());
            boolean dead = s == null || s.liveRecords == 0;
            boolean referencesGone = s == null
                    || s.references.stream().allMatch(r -> !existing.contains(r) || deletable.contains(r));
            if (dead && referencesGone) {
                deletable.add(f.id());
            }
        }
        List<Long> deleted = new ArrayList<>(deletable);
        if (deleted.isEmpty() || !carryForward(deletable)) {
            return List.of();
        }
        engine.segmentLock.writeLock().lock();
        try {
            for (long id : deleted) {
                engine.journal.deleteSegment(id);
            }
        } finally {
            engine.segmentLock.writeLock().unlock();
        }
        onApplier(() -> {
            engine.updater.segmentsDeleted(deleted);
            return null;
        });
        LOG.debug("kahadb {}: deleted journal segments {}", engine.config.directory(), deleted);
        return deleted;
    }

    /**
     * Appends again what the index holds only from records in {@code segments}: outcome keys, producer
     * marks and dispatch marks, none of which is a live record (so none keeps its file). Returns false
     * when the store closed meanwhile (nothing may be deleted then).
     */
    private boolean carryForward(Set<Long> segments) throws IOException {
        // Keys and producer marks only grow: a value read here that a newer record overtakes meanwhile is
        // harmless, so they are read without holding writers back.
        List<String> outcomes = OutcomeKeys.in(engine.index, segments);
        StoreRecord.ProducerMarks marks = ProducerMarks.in(engine.index, segments);
        List<CompletableFuture<Void>> written = new ArrayList<>();
        engine.appendLock.lock();
        try {
            if (engine.isClosed()) {
                return false;
            }
            for (int i = 0; i < outcomes.size(); i += CARRIED_PER_RECORD) {
                List<String> part = outcomes.subList(i, Math.min(outcomes.size(), i + CARRIED_PER_RECORD));
                written.add(engine.append(new StoreRecord.Outcomes(List.copyOf(part)), null));
            }
            for (int i = 0; i < marks.producerIds().size(); i += CARRIED_PER_RECORD) {
                int end = Math.min(marks.producerIds().size(), i + CARRIED_PER_RECORD);
                written.add(engine.append(new StoreRecord.ProducerMarks(List.copyOf(marks.producerIds().subList(i, end)),
                        java.util.Arrays.copyOfRange(marks.highest(), i, end)), null));
            }
            // A dispatch mark replaces the last one: its current value is read once the index has applied
            // everything submitted, and written before anything newer can be.
            engine.drain(60, TimeUnit.SECONDS);
            for (DestinationState d : engine.registry.byId.values()) {
                if (segments.contains(d.dispatchMarkSegment)) {
                    written.add(engine.append(new StoreRecord.DispatchMark(d.id, 0, d.dispatchMark), null));
                }
                for (SubscriptionState sub : d.subscriptionsById.values()) {
                    if (segments.contains(sub.dispatchMarkSegment)) {
                        written.add(engine.append(new StoreRecord.DispatchMark(d.id, sub.id, sub.dispatchMark), null));
                    }
                }
            }
        } finally {
            engine.appendLock.unlock();
        }
        for (CompletableFuture<Void> f : written) {
            await(f);
        }
        if (!written.isEmpty()) {
            LOG.debug("kahadb {}: carried forward {} outcome keys and {} producer marks out of segments {}",
                    engine.config.directory(), outcomes.size(), marks.producerIds().size(), segments);
        }
        return true;
    }

    /** Old, mostly dead files that are kept only for their few live records, oldest first. */
    private List<Long> compactionCandidates() throws IOException {
        JournalPosition durable = durableReplayPoint;
        Map<Long, SegmentStats> stats = statsById();
        List<SegmentInfo> files = engine.journal.segments();
        List<Long> candidates = new ArrayList<>();
        long current = files.get(files.size() - 1).id();
        // The two newest segments are left alone: their messages are likely to be consumed soon.
        for (SegmentInfo f : files) {
            SegmentStats s = stats.get(f.id());
            if (f.id() < current - 1 && f.id() < durable.segmentId() && s != null && s.liveRecords > 0
                    && s.liveBytes <= engine.config.journalFileSize() / COMPACT_WHEN_LIVE_AT_MOST_ONE_IN) {
                candidates.add(f.id());
            }
        }
        return candidates;
    }

    /**
     * Appends every live record of a segment again and points the index at the copies. Each round holds
     * the append lock, waits until the index has applied everything submitted (so the state it copies is
     * exactly the state at that point of the journal), and moves a few hundred records.
     */
    int moveLiveRecords(long segment) throws IOException {
        int moved = 0;
        Set<Integer> skipped = new TreeSet<>();
        while (true) {
            List<CompletableFuture<Void>> written = new ArrayList<>();
            engine.appendLock.lock();
            try {
                if (engine.isClosed()) {
                    return moved;
                }
                engine.drain(60, TimeUnit.SECONDS);
                List<Map.Entry<Integer, LiveRecord>> live = new ArrayList<>();
                engine.index.scan(IndexKeys.live(segment), null, (key, value) -> {
                    int offset = IndexKeys.intAt(key, 9);
                    if (!skipped.contains(offset)) {
                        live.add(Map.entry(offset, LiveRecord.decode(value)));
                    }
                    return live.size() < MOVES_PER_LOCK;
                });
                if (live.isEmpty()) {
                    return moved;
                }
                for (Map.Entry<Integer, LiveRecord> e : live) {
                    StoreRecord copy = copyOf(e.getValue());
                    if (copy == null) {
                        skipped.add(e.getKey());
                    } else {
                        written.add(engine.append(copy, null));
                        moved++;
                    }
                }
            } finally {
                engine.appendLock.unlock();
            }
            for (CompletableFuture<Void> f : written) {
                await(f);
            }
        }
    }

    /** The record that re-creates a live record where it stands now; null when it cannot be read. */
    private StoreRecord copyOf(LiveRecord live) {
        Registry registry = engine.registry;
        DestinationState d = registry.byId.get(live.destinationId());
        switch (live.kind()) {
            case StoreRecord.CREATE_DESTINATION -> {
                return d == null ? null : new StoreRecord.CreateDestination(d.id, d.address.kind(), d.address.name(),
                        d.lastSequence.get());
            }
            case StoreRecord.ADD_SUBSCRIPTION -> {
                SubscriptionState s = d == null ? null : d.subscriptionsById.get(live.id());
                return s == null ? null : new StoreRecord.AddSubscription(d.id, s.id, s.info);
            }
            case StoreRecord.PREPARE_TRANSACTION -> {
                PreparedState p = registry.preparedByOrder.get(live.id());
                return p == null ? null : new StoreRecord.PrepareTransaction(p.order, p.xid, p.operations);
            }
            case StoreRecord.ADD_MESSAGE -> {
                return d == null ? null : copyOfMessage(d, live.id());
            }
            default -> {
                LOG.warn("kahadb {}: unknown live record kind {}", engine.config.directory(), live.kind());
                return null;
            }
        }
    }

    private MoveMessage copyOfMessage(DestinationState d, long sequence) {
        byte[] value = engine.index.get(IndexKeys.message(d.id, sequence));
        if (value == null) {
            return null;
        }
        MessageEntry e = MessageEntry.decode(value);
        byte[] message;
        engine.segmentLock.readLock().lock();
        try {
            JournalRecord r = engine.journal.read(e.location().position());
            message = StoreRecord.messageBytesOf(r.recordType(), r.payload());
        } catch (IOException | CorruptRecordException ex) {
            LOG.warn("kahadb {}: cannot move {} sequence {} out of its journal file: {}", engine.config.directory(),
                    d.address, sequence, ex.getMessage());
            return null;
        } finally {
            engine.segmentLock.readLock().unlock();
        }
        List<Long> subscriptions = new ArrayList<>();
        List<Integer> counts = new ArrayList<>();
        if (d.address.isTopic()) {
            for (SubscriptionState s : d.subscriptionsById.values()) {
                byte[] claim = engine.index.get(IndexKeys.claim(d.id, s.id, sequence));
                if (claim != null) {
                    subscriptions.add(s.id);
                    counts.add(new BinaryInput(claim).readInt());
                }
            }
        }
        return new MoveMessage(d.id, sequence, e.deliveryCount(),
                subscriptions.stream().mapToLong(Long::longValue).toArray(),
                counts.stream().mapToInt(Integer::intValue).toArray(), message);
    }

    /** The journal files kept (other than the current one), with what keeps each. */
    synchronized List<SegmentPin> pinnedSegments() throws IOException {
        Map<Long, SegmentStats> stats = statsById();
        List<SegmentInfo> files = engine.journal.segments();
        Set<Long> existing = new TreeSet<>();
        files.forEach(f -> existing.add(f.id()));
        List<SegmentPin> pins = new ArrayList<>();
        for (SegmentInfo f : files) {
            if (f.current()) {
                continue;
            }
            SegmentStats s = stats.get(f.id());
            if (s == null) {
                continue;
            }
            List<Long> references = s.references.stream().filter(existing::contains).toList();
            if (s.liveRecords == 0 && references.isEmpty()) {
                continue;
            }
            Map<String, Long> owners = new TreeMap<>();
            engine.index.scan(IndexKeys.live(f.id()), null, (key, value) -> {
                owners.merge(ownerOf(LiveRecord.decode(value)), 1L, Long::sum);
                return true;
            });
            pins.add(new SegmentPin(f.id(), f.file(), owners, references));
        }
        return pins;
    }

    private String ownerOf(LiveRecord live) {
        DestinationState d = engine.registry.byId.get(live.destinationId());
        String destination = d == null ? "destination #" + live.destinationId() : d.address.toString();
        return switch (live.kind()) {
            case StoreRecord.ADD_SUBSCRIPTION -> {
                SubscriptionState s = d == null ? null : d.subscriptionsById.get(live.id());
                yield destination + " subscription " + (s == null ? "#" + live.id() : s.info.key());
            }
            case StoreRecord.PREPARE_TRANSACTION -> {
                PreparedState p = engine.registry.preparedByOrder.get(live.id());
                yield "prepared transaction " + (p == null ? "#" + live.id() : p.xid.toString());
            }
            case StoreRecord.CREATE_DESTINATION -> destination + " (its definition)";
            default -> destination;
        };
    }

    private Map<Long, SegmentStats> statsById() throws IOException {
        Map<Long, SegmentStats> byId = new HashMap<>();
        for (SegmentStats s : onApplier(engine.updater::segmentStats)) {
            byId.put(s.segmentId, s);
        }
        return byId;
    }

    private <T> T onApplier(Callable<T> body) throws IOException {
        return await(engine.applier.call(body));
    }

    private static <T> T await(CompletableFuture<T> f) throws IOException {
        try {
            return f.get(120, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            throw new IOException(cause);
        } catch (TimeoutException e) {
            throw new IOException("timed out waiting for the kahadb index", e);
        }
    }

    private interface IoAction {
        Object run() throws IOException;
    }

    private void safely(String what, IoAction action) {
        try {
            action.run();
        } catch (IOException | RuntimeException e) {
            if (!engine.isClosed()) {
                LOG.warn("kahadb {}: {} failed: {}", engine.config.directory(), what, e.toString(), e);
            }
        }
    }
}
