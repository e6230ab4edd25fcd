package io.tern.store.kahadb;

import io.tern.journal.Journal;
import io.tern.journal.JournalCorruption;
import io.tern.journal.JournalPosition;
import io.tern.journal.JournalRecord;
import io.tern.journal.PreparedTransaction;
import io.tern.journal.RecordVisitor;
import io.tern.protocol.Address;
import io.tern.protocol.MalformedMessageException;
import io.tern.protocol.MessageCodec;
import io.tern.protocol.MessageSnapshot;
import io.tern.store.GlobalTransactionId;
import io.tern.store.StoredMessage;
import io.tern.store.SubscriptionInfo;
import io.tern.store.TransactionOperation;
import io.tern.store.kahadb.StoreRecord.AddMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;

/**
 * One open kahadb store: the journal, the LevelDB index and the threads that keep them, from recovery at
 * open to close. The adapter makes a new one at every start.
 *
 * <p><b>Writing.</b> Every change is checked, appended to the journal and queued for the
 * {@link IndexApplier} under one lock, the <i>append lock</i>, so journal order is the order of the
 * checks and the applier's queue; the caller gets a stage that completes when the journal has the
 * record durably and the index shows it. Checks that depend on writes not yet applied (a sequence
 * already used) consult a small set of pending keys, removed when the write has been applied; a rejected
 * write never reaches the journal, so a replay never has to judge it.
 *
 * <p><b>Reading.</b> Reads go to LevelDB (an iterator is a consistent snapshot) and then to the journal
 * for the message bytes, on the caller's thread. A read holds the segment lock shared, so cleanup never
 * deletes a journal file under it.
 *
 * <p><b>Threads.</b> Callers' threads check and append (under the append lock) and read; the journal's
 * writer makes appends durable; {@code tern-kahadb-index-*} applies them (it owns the
 * {@link IndexUpdater}); {@code tern-kahadb-completions-*} completes callers' stages;
 * {@link StoreMaintenance} runs checkpoints and cleanup on its own thread. Lock order: append lock, then
 * segment lock.
 */
final class StoreEngine implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StoreEngine.class);
    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);
    /** A replay writes the index in parts of about this many changes. */
    private static final int REPLAY_FLUSH_CHANGES = 50_000;

    private record SequenceKey(long destinationId, long sequence) {
    }

    final KahaDBConfig config;
    final Journal journal;
    final LevelDbIndex index;
    final Registry registry;
    final IndexUpdater updater;
    final IndexApplier applier;
    final StoreMaintenance maintenance;
    final ReentrantLock appendLock = new ReentrantLock();
    final ReentrantReadWriteLock segmentLock = new ReentrantReadWriteLock();
    private final Set<SequenceKey> pendingSequences = ConcurrentHashMap.newKeySet();
    private final List<String> corruptions = new CopyOnWriteArrayList<>();
    private final RecoveryReport recovery;
    private volatile boolean closed;

    /** What the last open found: for logs, diagnostics and tests. */
    record RecoveryReport(boolean rebuilt, String reason, JournalPosition replayedFrom, long recordsReplayed,
                          long millis) {
    }

    private StoreEngine(KahaDBConfig config, Journal journal, LevelDbIndex index, Registry registry,
                        IndexUpdater updater, RecoveryReport recovery, List<String> corruptions,
                        Consumer<Throwable> onFailure) {
        this.config = config;
        this.journal = journal;
        this.index = index;
        this.registry = registry;
        this.updater = updater;
        this.recovery = recovery;
        this.corruptions.addAll(corruptions);
        String name = config.directory().getFileName() == null ? "store" : config.directory().getFileName().toString();
        this.applier = new IndexApplier(updater, name, onFailure);
        this.maintenance = new StoreMaintenance(this, name);
    }

    /**
     * Opens the store in its directory (the caller holds the directory's lock): opens or rebuilds the
     * index, opens the journal, replays what came after the index's replay point, and starts the threads.
     *
     * @param onFailure told when the journal or index fails and the store can no longer write
     */
    static StoreEngine open(KahaDBConfig config, Consumer<Throwable> onFailure) throws IOException {
        long started = System.nanoTime();
        LevelDbIndex index;
        String rebuildReason = null;
        try {
            index = LevelDbIndex.open(config.indexDirectory(), config.indexEngine(), config.indexCacheSize());
        } catch (IOException e) {
            rebuildReason = "the index could not be opened (" + e.getMessage() + ")";
            LOG.warn("kahadb {}: {}; rebuilding it from the journal", config.directory(), rebuildReason);
            LevelDbIndex.delete(config.indexDirectory());
            index = LevelDbIndex.open(config.indexDirectory(), config.indexEngine(), config.indexCacheSize());
        }
        Journal journal = null;
        try {
            Registry registry = new Registry();
            IndexUpdater updater = new IndexUpdater(registry, new IndexBatch(index));
            if (updater.hasState()) {
                updater.load();
            } else {
                if (rebuildReason == null) {
                    rebuildReason = "there is no index";
                }
                index = freshIndex(config, index);
                registry = new Registry();
                updater = new IndexUpdater(registry, new IndexBatch(index));
                updater.initialise();
            }
            JournalPosition from = updater.replayPoint();
            // Scan from the start of the replay point's segment: the journal then finds its true tail even
            // if the index got ahead of it (an unforced journal tail lost to a power failure).
            journal = Journal.open(config.journalConfig(), new JournalPosition(from.segmentId(), 0));
            long firstSegment = journal.segments().get(0).id();
            if (rebuildReason == null && from.segmentId() != 0 && from.segmentId() < firstSegment) {
                rebuildReason = "the index replays from segment " + from.segmentId()
                        + " but the journal starts at segment " + firstSegment;
            }
            List<String> found = new ArrayList<>();
            journal.corruptions().forEach(c -> found.add(c.toString()));
            Replay replay = null;
            if (rebuildReason != null && from.segmentId() != 0) {
                // Known-stale index: start again from an empty one.
                index = freshIndex(config, index);
                registry = new Registry();
                updater = new IndexUpdater(registry, new IndexBatch(index));
                updater.initialise();
                from = JournalPosition.ORIGIN;
            } else {
                loadPrepared(journal, updater);
            }
            replay = new Replay(updater, found);
            JournalPosition end = journal.replay(from, replay);
            if (end.compareTo(from) < 0) {
                rebuildReason = "the index is ahead of the journal (replay point " + from + ", journal end " + end + ")";
                LOG.warn("kahadb {}: {}; rebuilding the index from the journal", config.directory(), rebuildReason);
                index = freshIndex(config, index);
                registry = new Registry();
                updater = new IndexUpdater(registry, new IndexBatch(index));
                updater.initialise();
                from = JournalPosition.ORIGIN;
                found.clear();
                journal.corruptions().forEach(c -> found.add(c.toString()));
                replay = new Replay(updater, found);
                end = journal.replay(from, replay);
            }
            updater.advanceReplayPoint(end);
            updater.flush();
            index.putDurably(IndexKeys.meta(IndexKeys.META_CHECKPOINT), checkpointValue(updater.replayPoint()));
            registry.nextId = updater.nextId();
            registry.nextPrepareOrder = updater.nextPrepareOrder();
            for (DestinationState d : registry.byId.values()) {
                d.highestSubmitted = d.lastSequence.get();
                LOG.debug("kahadb {}: {} holds {} messages, last sequence {}", config.directory(), d.address,
                        d.count.get(), d.lastSequence.get());
            }
            List<String> distinct = new ArrayList<>(new java.util.LinkedHashSet<>(found));
            found.clear();
            found.addAll(distinct);
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            RecoveryReport report = new RecoveryReport(rebuildReason != null, rebuildReason, from, replay.records, millis);
            for (String c : found) {
                LOG.warn("kahadb {}: journal corruption skipped: {}", config.directory(), c);
            }
            LOG.info("kahadb {} opened in {} ms ({} index, {}): {} records replayed from {}, {} destinations, {} prepared transactions",
                    config.directory(), millis, index.engine(), rebuildReason == null ? "index up to date"
                            : "index rebuilt because " + rebuildReason, replay.records, from, registry.byId.size(),
                    registry.preparedByXid.size());
            StoreEngine engine = new StoreEngine(config, journal, index, registry, updater, report, found, onFailure);
            engine.maintenance.setDurableReplayPoint(updater.replayPoint());
            engine.applier.start();
            engine.maintenance.start();
            return engine;
        } catch (IOException | RuntimeException e) {
            if (journal != null) {
                try {
                    journal.close();
                } catch (IOException | RuntimeException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            try {
                index.close();
            } catch (IOException | RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    private static LevelDbIndex freshIndex(KahaDBConfig config, LevelDbIndex old) throws IOException {
        old.close();
        LevelDbIndex.delete(config.indexDirectory());
        return LevelDbIndex.open(config.indexDirectory(), config.indexEngine(), config.indexCacheSize());
    }

    static byte[] checkpointValue(JournalPosition p) {
        return new BinaryOutput(20).writeLong(p.segmentId()).writeInt(p.offset()).writeLong(System.currentTimeMillis())
                .toByteArray();
    }

    private static void loadPrepared(Journal journal, IndexUpdater updater) throws IOException {
        for (Map.Entry<Long, Location> e : updater.preparedLocations().entrySet()) {
            JournalRecord r = journal.read(e.getValue().position());
            StoreRecord.PrepareTransaction p = (StoreRecord.PrepareTransaction) StoreRecord.decode(r.recordType(), r.payload());
            updater.loadedPrepared(new PreparedState(p.order(), p.xid(), p.operations()), e.getValue());
        }
    }

    /** Applies replayed records: plain ones one entry each, a transaction's operations as they come. */
    private static final class Replay implements RecordVisitor {
        private final IndexUpdater updater;
        private final List<String> corruptions;
        long records;
        private IOException failure;

        Replay(IndexUpdater updater, List<String> corruptions) {
            this.updater = updater;
            this.corruptions = corruptions;
        }

        @Override
        public void operation(JournalRecord record) {
            if (failure != null) {
                return;
            }
            StoreRecord r;
            try {
                r = StoreRecord.decode(record.recordType(), record.payload());
            } catch (CorruptRecordException e) {
                corruptions.add("record at " + record.position() + " does not decode: " + e.getMessage());
                return;
            }
            try {
                Location at = Location.of(record.position(), record.payload().length);
                updater.apply(r, at);
                records++;
                if (record.kind().isTransactional()) {
                    // The operations of one transaction come together; the replay point moves past them
                    // with the next plain record, which the journal wrote after their commit.
                    updater.publishDeltas();
                } else {
                    updater.endEntry(at.next());
                    if (updater.pendingChanges() > REPLAY_FLUSH_CHANGES) {
                        updater.flush();
                    }
                }
            } catch (IOException e) {
                failure = e;
                throw new java.io.UncheckedIOException(e);
            }
        }

        @Override
        public void prepared(PreparedTransaction transaction) {
            // kahadb prepares in its own records, never with journal PREPARE: nothing of ours.
            LOG.warn("Journal transaction {} is prepared at {}, but kahadb never prepares journal transactions; ignored",
                    transaction.transactionId(), transaction.position());
        }

        @Override
        public void corruption(JournalCorruption corruption) {
            corruptions.add(corruption.toString());
        }
    }

    RecoveryReport recoveryReport() {
        return recovery;
    }

    /** Corruption found at open and by reads since, each naming the file and offset. */
    List<String> corruptions() {
        return List.copyOf(corruptions);
    }

    // ------------------------------------------------------------------ destinations

    /** The destination of an address, created (its record appended) when missing and {@code create}. */
    DestinationState destination(Address address, boolean create) {
        DestinationState d = registry.byAddress.get(address);
        if (d != null || !create) {
            return d;
        }
        appendLock.lock();
        try {
            checkWritable();
            return destinationLocked(address);
        } finally {
            appendLock.unlock();
        }
    }

    private DestinationState destinationLocked(Address address) {
        DestinationState d = registry.byAddress.get(address);
        if (d == null) {
            d = new DestinationState(registry.nextId++, address);
            registry.byAddress.put(address, d);
            registry.byId.put(d.id, d);
            append(new StoreRecord.CreateDestination(d.id, address.kind(), address.name(), 0), null);
        }
        return d;
    }

    Set<Address> destinations() {
        return Set.copyOf(registry.byAddress.keySet());
    }

    CompletableFuture<Void> removeDestination(Address address) {
        appendLock.lock();
        try {
            checkWritable();
            DestinationState d = registry.byAddress.remove(address);
            if (d == null) {
                return DONE;
            }
            d.removed = true;
            d.subscriptionsByKey.values().forEach(s -> s.removed = true);
            return append(new StoreRecord.DropDestination(d.id), null);
        } finally {
            appendLock.unlock();
        }
    }

    // ------------------------------------------------------------------ messages

    /**
     * Stores a message in a queue ({@code subscriptionKeys} null) or topic. A sequence already used fails
     * the stage with {@link IllegalArgumentException}. Resends are the broker's to recognise (by the
     * producer marks this store keeps): the store stores what it is given.
     */
    CompletableFuture<Void> addMessage(DestinationState d, long sequence, MessageSnapshot message,
                                       Collection<String> subscriptionKeys) {
        byte[] encoded = MessageCodec.encode(message);
        appendLock.lock();
        try {
            checkUsable(d);
            if (sequenceTaken(d, sequence)) {
                return CompletableFuture.failedFuture(new IllegalArgumentException(
                        "sequence " + sequence + " is already stored in " + d.address));
            }
            long[] claims = new long[0];
            if (subscriptionKeys != null) {
                claims = subscriptionIds(d, subscriptionKeys);
                if (claims.length == 0) {
                    // Nobody could ever acknowledge it: nothing to store, only its sequence counts.
                    d.highestSubmitted = Math.max(d.highestSubmitted, sequence);
                    d.lastSequence.accumulateAndGet(sequence, Math::max);
                    return DONE;
                }
            }
            SequenceKey key = new SequenceKey(d.id, sequence);
            pendingSequences.add(key);
            d.highestSubmitted = Math.max(d.highestSubmitted, sequence);
            return append(new AddMessage(d.id, sequence, message.producerId(), message.producerSequence(),
                    fingerprint(message.messageId()), claims, encoded), () -> pendingSequences.remove(key));
        } finally {
            appendLock.unlock();
        }
    }

    /** The ADD_MESSAGE record's message-ID fingerprint field (kept in the format; nothing reads it now). */
    private static int fingerprint(String messageId) {
        int h = messageId == null ? 1 : messageId.hashCode();
        return h == 0 ? 1 : h;
    }

    CompletableFuture<Void> removeMessage(DestinationState d, SubscriptionState s, long sequence) {
        appendLock.lock();
        try {
            checkUsable(d);
            if (s != null && s.removed) {
                return DONE;
            }
            return append(new StoreRecord.RemoveMessage(d.id, s == null ? 0 : s.id, sequence), null);
        } finally {
            appendLock.unlock();
        }
    }

    CompletableFuture<Void> deliveryCount(DestinationState d, SubscriptionState s, long sequence, int count) {
        appendLock.lock();
        try {
            checkUsable(d);
            if (s != null && s.removed) {
                return DONE;
            }
            return append(new StoreRecord.DeliveryCount(d.id, s == null ? 0 : s.id, sequence, count), null);
        } finally {
            appendLock.unlock();
        }
    }

    /** Records how far a queue (s null) or a durable subscription may have been dispatched. */
    CompletableFuture<Void> dispatchMark(DestinationState d, SubscriptionState s, long mark) {
        appendLock.lock();
        try {
            checkUsable(d);
            if (s != null && s.removed) {
                return DONE;
            }
            return append(new StoreRecord.DispatchMark(d.id, s == null ? 0 : s.id, mark), null);
        } finally {
            appendLock.unlock();
        }
    }

    boolean hasCommitted(String outcomeKey) {
        checkWritable();
        return OutcomeKeys.contains(index, outcomeKey);
    }

    long producerHighWater(String producerId) {
        checkWritable();
        return ProducerMarks.highWater(index, producerId);
    }

    CompletableFuture<Void> clearQueue(DestinationState d) {
        appendLock.lock();
        try {
            checkUsable(d);
            return append(new StoreRecord.ClearQueue(d.id), null);
        } finally {
            appendLock.unlock();
        }
    }

    // ------------------------------------------------------------------ subscriptions

    CompletableFuture<Void> addSubscription(DestinationState d, SubscriptionInfo info) {
        appendLock.lock();
        try {
            checkUsable(d);
            SubscriptionState existing = d.subscriptionsByKey.get(info.key());
            if (existing != null && Objects.equals(existing.info.selector(), info.selector())
                    && existing.info.noLocal() == info.noLocal()) {
                return DONE;
            }
            if (existing != null) {
                dropSubscriptionLocked(d, existing);
            }
            SubscriptionState s = new SubscriptionState(registry.nextId++, d.id, info);
            d.subscriptionsByKey.put(info.key(), s);
            return append(new StoreRecord.AddSubscription(d.id, s.id, info), null);
        } finally {
            appendLock.unlock();
        }
    }

    CompletableFuture<Void> removeSubscription(DestinationState d, String key) {
        appendLock.lock();
        try {
            checkUsable(d);
            SubscriptionState s = d.subscriptionsByKey.get(key);
            return s == null ? DONE : dropSubscriptionLocked(d, s);
        } finally {
            appendLock.unlock();
        }
    }

    private CompletableFuture<Void> dropSubscriptionLocked(DestinationState d, SubscriptionState s) {
        d.subscriptionsByKey.remove(s.info.key(), s);
        s.removed = true;
        return append(new StoreRecord.DropSubscription(d.id, s.id), null);
    }

    // ------------------------------------------------------------------ transactions

    /**
     * Applies operations atomically: one journal transaction, applied to the index in one entry. Adds
     * to destinations that do not exist create them; removals for unknown destinations are dropped.
     */
    CompletableFuture<Void> commit(List<TransactionOperation> operations) {
        appendLock.lock();
        try {
            checkWritable();
            return commitLocked(operations, null);
        } finally {
            appendLock.unlock();
        }
    }

    CompletableFuture<Void> prepare(GlobalTransactionId xid, List<TransactionOperation> operations) {
        appendLock.lock();
        try {
            checkWritable();
            if (registry.preparedByXid.containsKey(xid)) {
                return CompletableFuture.failedFuture(new IllegalArgumentException("transaction " + xid
                        + " is already prepared"));
            }
            PreparedState p = new PreparedState(registry.nextPrepareOrder++, xid, operations);
            registry.preparedByXid.put(xid, p);
            return append(new StoreRecord.PrepareTransaction(p.order, xid, p.operations), null);
        } finally {
            appendLock.unlock();
        }
    }

    CompletableFuture<Void> commitPrepared(GlobalTransactionId xid) {
        appendLock.lock();
        try {
            checkWritable();
            PreparedState p = registry.preparedByXid.get(xid);
            if (p == null) {
                return CompletableFuture.failedFuture(new IllegalArgumentException(unknown(xid)));
            }
            CompletableFuture<Void> done = commitLocked(p.operations, p);
            if (!done.isCompletedExceptionally()) {
                registry.preparedByXid.remove(xid, p);
            }
            return done;
        } finally {
            appendLock.unlock();
        }
    }

    CompletableFuture<Void> rollbackPrepared(GlobalTransactionId xid) {
        appendLock.lock();
        try {
            checkWritable();
            PreparedState p = registry.preparedByXid.remove(xid);
            if (p == null) {
                return CompletableFuture.failedFuture(new IllegalArgumentException(unknown(xid)));
            }
            return append(new StoreRecord.ForgetTransaction(p.order), null);
        } finally {
            appendLock.unlock();
        }
    }

    Map<GlobalTransactionId, List<TransactionOperation>> recoverPrepared() {
        List<PreparedState> all = new ArrayList<>(registry.preparedByXid.values());
        all.sort((a, b) -> Long.compare(a.order, b.order));
        Map<GlobalTransactionId, List<TransactionOperation>> out = new LinkedHashMap<>();
        all.forEach(p -> out.put(p.xid, p.operations));
        return Collections.unmodifiableMap(out);
    }

    private static String unknown(GlobalTransactionId xid) {
        return "no prepared transaction " + xid + " (never prepared, or already committed or rolled back)";
    }

    /** Checks, then appends a journal transaction; {@code forget} is the prepared transaction it ends. */
    private CompletableFuture<Void> commitLocked(List<TransactionOperation> operations, PreparedState forget) {
        // Check first, change nothing until every operation is known to apply.
        record Slot(Address destination, long sequence) {
        }
        Set<Slot> added = new HashSet<>();
        for (TransactionOperation op : operations) {
            Address address = null;
            long sequence = 0;
            if (op instanceof TransactionOperation.QueueAdd add) {
                address = Address.queue(add.queue());
                sequence = add.sequence();
            } else if (op instanceof TransactionOperation.TopicAdd add) {
                address = Address.topic(add.topic());
                sequence = add.sequence();
            }
            if (address != null) {
                DestinationState d = registry.byAddress.get(address);
                if (!added.add(new Slot(address, sequence)) || (d != null && sequenceTaken(d, sequence))) {
                    String why = "sequence " + sequence + " is already stored in " + address;
                    return CompletableFuture.failedFuture(new IllegalArgumentException(
                            forget == null ? why : "cannot commit prepared transaction " + forget.xid + ": " + why));
                }
            }
        }
        List<StoreRecord> records = new ArrayList<>();
        List<SequenceKey> sequences = new ArrayList<>();
        for (TransactionOperation op : operations) {
            if (op instanceof TransactionOperation.QueueAdd add) {
                DestinationState d = destinationLocked(Address.queue(add.queue()));
                addInTransaction(d, add.sequence(), add.message(), null, records, sequences);
            } else if (op instanceof TransactionOperation.TopicAdd add) {
                DestinationState d = destinationLocked(Address.topic(add.topic()));
                addInTransaction(d, add.sequence(), add.message(), add.subscriptionKeys(), records, sequences);
            } else if (op instanceof TransactionOperation.RecordOutcome outcome) {
                records.add(new StoreRecord.Outcomes(List.of(outcome.key())));
            } else if (op instanceof TransactionOperation.QueueRemove remove) {
                DestinationState d = registry.byAddress.get(Address.queue(remove.queue()));
                if (d != null) {
                    records.add(new StoreRecord.RemoveMessage(d.id, 0, remove.sequence()));
                }
            } else if (op instanceof TransactionOperation.TopicAcknowledge ack) {
                DestinationState d = registry.byAddress.get(Address.topic(ack.topic()));
                SubscriptionState s = d == null ? null : d.subscriptionsByKey.get(ack.subscriptionKey());
                if (s != null) {
                    records.add(new StoreRecord.RemoveMessage(d.id, s.id, ack.sequence()));
                }
            }
        }
        if (forget != null) {
            records.add(new StoreRecord.ForgetTransaction(forget.order));
        }
        if (records.isEmpty()) {
            return DONE;
        }
        long transactionId = ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);
        int[] lengths = new int[records.size()];
        List<CompletableFuture<JournalPosition>> positions = new ArrayList<>(records.size());
        for (int i = 0; i < records.size(); i++) {
            StoreRecord r = records.get(i);
            byte[] payload = r.encode();
            lengths[i] = payload.length;
            positions.add(journal.addTransactional(transactionId, 0, r.type(), payload));
        }
        CompletableFuture<JournalPosition> commit = journal.commit(transactionId);
        return applier.enqueue(new IndexApplier.Write(records, lengths, positions, commit,
                () -> sequences.forEach(pendingSequences::remove)));
    }

    private void addInTransaction(DestinationState d, long sequence, MessageSnapshot message, List<String> keys,
                                  List<StoreRecord> records, List<SequenceKey> sequences) {
        d.highestSubmitted = Math.max(d.highestSubmitted, sequence);
        long[] claims = new long[0];
        if (keys != null) {
            claims = subscriptionIds(d, keys);
            if (claims.length == 0) {
                d.lastSequence.accumulateAndGet(sequence, Math::max);
                return;
            }
        }
        SequenceKey key = new SequenceKey(d.id, sequence);
        pendingSequences.add(key);
        sequences.add(key);
        records.add(new AddMessage(d.id, sequence, message.producerId(), message.producerSequence(),
                fingerprint(message.messageId()), claims, MessageCodec.encode(message)));
    }

    // ------------------------------------------------------------------ checks

    /** Whether a sequence is stored or being stored. Caller holds the append lock. */
    private boolean sequenceTaken(DestinationState d, long sequence) {
        if (sequence > d.highestSubmitted) {
            return false;
        }
        return pendingSequences.contains(new SequenceKey(d.id, sequence))
                || index.get(IndexKeys.message(d.id, sequence)) != null;
    }

    private static long[] subscriptionIds(DestinationState d, Collection<String> keys) {
        Set<Long> ids = new HashSet<>();
        for (String key : keys) {
            SubscriptionState s = d.subscriptionsByKey.get(key);
            if (s != null && !s.removed) {
                ids.add(s.id);
            }
        }
        return ids.stream().mapToLong(Long::longValue).sorted().toArray();
    }

    private void checkWritable() {
        if (closed) {
            throw new IllegalStateException("the kahadb store in " + config.directory() + " is stopped");
        }
        Throwable failure = applier.failure();
        if (failure != null) {
            throw new IllegalStateException("the kahadb store in " + config.directory() + " failed: " + failure, failure);
        }
    }

    void checkUsable(DestinationState d) {
        checkWritable();
        if (d.removed) {
            throw new IllegalStateException(d.address + " was removed from the kahadb store; ask for its store again");
        }
    }

    /** Appends one plain record and queues it for the index. Caller holds the append lock. */
    CompletableFuture<Void> append(StoreRecord r, Runnable afterApply) {
        byte[] payload = r.encode();
        CompletableFuture<JournalPosition> written = journal.add(0, r.type(), payload);
        return applier.enqueue(new IndexApplier.Write(List.of(r), new int[] {payload.length}, List.of(written), null,
                afterApply == null ? () -> { } : afterApply));
    }

    // ------------------------------------------------------------------ reads

    /** Up to {@code max} messages of a queue after a sequence, in order. */
    List<StoredMessage> readQueue(DestinationState d, long afterSequence, int max) throws IOException {
        checkReadable(d);
        List<StoredMessage> out = new ArrayList<>(Math.min(max, 512));
        if (max == 0 || afterSequence == Long.MAX_VALUE) {
            return out;
        }
        List<Long> unreadable = new ArrayList<>();
        segmentLock.readLock().lock();
        try {
            index.scan(IndexKeys.messages(d.id), IndexKeys.message(d.id, afterSequence + 1), (key, value) -> {
                long sequence = IndexKeys.longAt(key, 1);
                MessageEntry e = MessageEntry.decode(value);
                MessageSnapshot m = readMessage(d, sequence, e);
                if (m == null) {
                    unreadable.add(sequence);
                } else {
                    out.add(new StoredMessage(sequence, m, e.deliveryCount()));
                }
                return out.size() < max;
            });
        } finally {
            segmentLock.readLock().unlock();
        }
        for (long sequence : unreadable) {
            removeMessage(d, null, sequence);
        }
        return out;
    }

    /** Up to {@code max} messages a subscription is owed after a sequence, in order. */
    List<StoredMessage> readSubscription(DestinationState d, SubscriptionState s, long afterSequence, int max)
            throws IOException {
        checkReadable(d);
        List<StoredMessage> out = new ArrayList<>(Math.min(max, 512));
        if (max == 0 || afterSequence == Long.MAX_VALUE) {
            return out;
        }
        List<Long> unreadable = new ArrayList<>();
        segmentLock.readLock().lock();
        try {
            index.scan(IndexKeys.claims(d.id, s.id), IndexKeys.claim(d.id, s.id, afterSequence + 1), (key, value) -> {
                long sequence = IndexKeys.longAt(key, 2);
                byte[] entry = index.get(IndexKeys.message(d.id, sequence));
                MessageSnapshot m = entry == null ? null : readMessage(d, sequence, MessageEntry.decode(entry));
                if (m == null) {
                    unreadable.add(sequence);
                } else {
                    out.add(new StoredMessage(sequence, m, new BinaryInput(value).readInt()));
                }
                return out.size() < max;
            });
        } finally {
            segmentLock.readLock().unlock();
        }
        for (long sequence : unreadable) {
            removeMessage(d, s, sequence);
        }
        return out;
    }

    /**
     * The message of an index entry, read from the journal; null (reported, and then removed by the
     * caller) when its record is damaged. Caller holds the segment lock shared.
     */
    private MessageSnapshot readMessage(DestinationState d, long sequence, MessageEntry e) {
        try {
            JournalRecord r = journal.read(e.location().position());
            if (r.recordType() != e.recordType()) {
                throw new IOException("the record at " + e.location() + " is of type " + r.recordType()
                        + ", not the message record the index expects");
            }
            return StoreRecord.messageOf(r.recordType(), r.payload());
        } catch (IOException | CorruptRecordException e1) {
            String what = d.address + " sequence " + sequence + ": " + e1.getMessage();
            LOG.warn("kahadb {}: a stored message cannot be read and is dropped: {}", config.directory(), what);
            corruptions.add(what);
            return null;
        }
    }

    private void checkReadable(DestinationState d) {
        if (closed) {
            throw new IllegalStateException("the kahadb store in " + config.directory() + " is stopped");
        }
        if (d.removed) {
            throw new IllegalStateException(d.address + " was removed from the kahadb store; ask for its store again");
        }
    }

    // ------------------------------------------------------------------ lifecycle

    /** Completes once every write submitted before the call has been applied. */
    void drain(long timeout, TimeUnit unit) throws IOException {
        try {
            applier.call(() -> null).get(timeout, unit);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for the kahadb index", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException("the kahadb index did not catch up: " + e, e);
        }
    }

    boolean isClosed() {
        return closed;
    }

    /** Applies what is queued, checkpoints, and closes the journal and the index. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        appendLock.lock();
        try {
            closed = true;
        } finally {
            appendLock.unlock();
        }
        IOException failure = null;
        try {
            maintenance.stop();
            drain(60, TimeUnit.SECONDS);
            if (applier.failure() == null) {
                maintenance.checkpoint();
            }
        } catch (IOException | RuntimeException e) {
            failure = e instanceof IOException io ? io : new IOException(e);
        }
        try {
            applier.stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            journal.close();
        } catch (IOException | RuntimeException e) {
            failure = failure == null ? new IOException(e) : failure;
        }
        try {
            index.close();
        } catch (IOException | RuntimeException e) {
            failure = failure == null ? new IOException(e) : failure;
        }
        if (failure != null) {
            throw failure;
        }
    }
}
