package io.tern.broker.destination;

import io.tern.broker.MessageMemory;
import io.tern.broker.QueueStatistics;
import io.tern.broker.RedeliveryPolicy;
import io.tern.protocol.Address;
import io.tern.protocol.MessageSnapshot;
import io.tern.store.StoredMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.PriorityQueue;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The ordered messages of a queue or of one topic subscription, and their dispatch to consumers by
 * credit. Messages go out highest priority first, in sequence order within a priority; a message no
 * consumer accepts (selector) stays and does not hold back the messages behind it.
 *
 * <p><b>Memory.</b> Messages held in memory are charged to the broker's {@link MessageMemory}. When it
 * is spent, persistent messages are written to the backing store only ("paged out"), and every later
 * one too until the queue has read them back in order, so order is kept. A page-in task reads them back
 * in windows as consumers drain the queue. A broker that restarts starts every queue paged out, so
 * recovery is paging.
 *
 * <p><b>Dispatch mark.</b> A queue with a store durably records how far it may have dispatched, ahead of
 * dispatching and in windows of {@value #MARK_WINDOW} sequences: a stored message above the recorded mark
 * is handed out only once a mark covering it is written (the next one is requested at half the window,
 * so dispatch rarely waits). After a crash every recovered message at or below the mark with no recorded
 * delivery may have been delivered, so it comes back flagged redelivered (delivery count 1, written to the
 * store when it is paged in). An orderly close, after every delivery was released, lowers the mark again.
 *
 * <p><b>Threading.</b> All state is guarded by {@link #lock}. Dispatch runs in whichever thread changed
 * the state (a send, an acknowledgement, credit, a store completion) while holding the lock; subscribers
 * only buffer what they are given. Store reads happen on the broker's task executor, never under the
 * lock; store writes are submitted under the lock so they reach the store in sequence order.
 */
public final class DispatchQueue {

    private static final Logger LOG = LoggerFactory.getLogger(DispatchQueue.class);

    /** Priority first (high to low), then sequence. */
    private static final Comparator<QueueEntry> DISPATCH_ORDER = (a, b) -> {
        int byPriority = Integer.compare(b.message.priority(), a.message.priority());
        return byPriority != 0 ? byPriority : Long.compare(a.sequence, b.sequence);
    };

    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

    /** Messages read back from the store at a time. */
    static final int PAGE_SIZE = 500;

    /** How far beyond the message that needs it a dispatch mark reaches. */
    static final int MARK_WINDOW = 256;

    private final ReentrantLock lock = new ReentrantLock();
    private final Address address;
    private final EntryBacking backing;
    private final MessageMemory memory;
    private final Clock clock;
    private final ScheduledExecutorService tasks;
    private final MessageRouter router;
    private final RedeliveryPolicy policy;

    private final NavigableSet<QueueEntry> pending = new TreeSet<>(DISPATCH_ORDER);
    /** Messages not yet due: delivery delay, or a redelivery delay. */
    private final PriorityQueue<QueueEntry> scheduled =
            new PriorityQueue<>(Comparator.comparingLong((QueueEntry e) -> e.availableAt)
                    .thenComparingLong(e -> e.sequence));
    /** Sequences a recovered prepared transaction consumed: delivered to nobody until it is resolved. */
    private final java.util.Set<Long> lockedSequences = new java.util.HashSet<>();
    private final Map<Long, QueueEntry> lockedEntries = new HashMap<>();
    /** Locked sequences whose transaction committed before page-in read them: page-in drops them. */
    private final java.util.Set<Long> consumedWhileLocked = new java.util.HashSet<>();
    /** Locked sequences whose transaction rolled back before page-in read them: they come redelivered. */
    private final java.util.Set<Long> releasedWhileLocked = new java.util.HashSet<>();
    /** Message groups (JMSXGroupID) and the consumer each is pinned to. */
    private final Map<String, Subscriber> groups = new HashMap<>();
    private final List<Slot> consumers = new ArrayList<>();
    private int nextConsumer;
    private long nextSequence;
    private int inFlight;

    private boolean pagedOut;
    private long pageCursor;
    private long pagedOutHigh;
    /** Messages in the store only, not yet read back: counted exactly, for the queue depth. */
    private long pagedOutCount;
    /** The highest paged-out sequence whose store write completed: page-in reads no further. */
    private long pagedOutDurableHigh;
    private boolean pageInRunning;
    private ScheduledFuture<?> scheduledWakeUp;
    private long scheduledWakeUpAt;
    private boolean closed;

    /** The dispatch mark the store holds: stored messages up to it may be handed out. */
    private long durableMark;
    /** The mark being written, or {@link #durableMark} when no write is in progress. */
    private long requestedMark;
    /** The mark found at start (capped at the last stored sequence): messages up to it may have been delivered. */
    private final long recoveredMark;
    /** Sequences reserved by {@link #reserveSequence} whose message is not offered yet: page-in skips them. */
    private final java.util.Set<Long> reserved = new java.util.HashSet<>();

    private long enqueued;
    private long dequeued;
    private long expired;
    private long deadLettered;

    private static final class Slot {
        final Subscriber subscriber;
        int credit;

        Slot(Subscriber subscriber, int credit) {
            this.subscriber = subscriber;
            this.credit = credit;
        }
    }

    /**
     * @param backing the store behind the queue, or null for a queue that keeps messages only in memory
     *                (a non-durable topic subscription)
     */
    public DispatchQueue(Address address, EntryBacking backing, DestinationContext context) {
        this.address = address;
        this.backing = backing;
        this.memory = context.memory();
        this.clock = context.clock();
        this.tasks = context.tasks();
        this.router = context.router();
        this.policy = context.policies().apply(address);
        long last = backing == null ? 0 : backing.lastSequence();
        this.nextSequence = last + 1;
        this.recoveredMark = backing == null ? 0 : Math.min(backing.dispatchMark(), last);
        this.durableMark = recoveredMark;
        this.requestedMark = recoveredMark;
        if (last > 0) {
            pagedOut = true;
            pageCursor = 0;
            pagedOutHigh = last;
            pagedOutDurableHigh = last;
            pagedOutCount = backing.count();
        }
    }

    public Address address() {
        return address;
    }

    /** Starts reading back what the store holds (after a restart). */
    public void recover() {
        lock.lock();
        try {
            schedulePageIn();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Adds a message. Persistent messages on a queue with a store are written first; the future
     * completes when the message is durable and visible to consumers.
     */
    public CompletableFuture<Void> enqueue(MessageSnapshot message) {
        lock.lock();
        try {
            long sequence = nextSequence++;
            enqueued++;
            if (backing == null || !message.isPersistent()) {
                holdInMemory(new QueueEntry(sequence, message, false, 0));
                return CompletableFuture.completedFuture(null);
            }
            if (pagedOut || memory.isFull()) {
                return writePagedOut(sequence, message);
            }
            QueueEntry entry = new QueueEntry(sequence, message, true, 0);
            memory.charge(message.estimatedSize());
            return backing.add(sequence, message).toCompletableFuture().whenComplete((ok, failure) -> {
                if (failure == null) {
                    makeVisible(entry);
                } else {
                    memory.release(message.estimatedSize());
                }
            });
        } finally {
            lock.unlock();
        }
    }

    /**
     * Adds a message already assigned a sequence by the caller (a topic, which numbers its messages for
     * all its subscriptions). {@code stored} says the caller wrote it to this queue's store already (a
     * topic stores one copy for its durable subscriptions; a committed transaction); otherwise it is held
     * in memory only.
     */
    public void offer(long sequence, MessageSnapshot message, boolean stored) {
        lock.lock();
        try {
            enqueued++;
            nextSequence = Math.max(nextSequence, sequence + 1);
            reserved.remove(sequence);
            // A sequence at or below the page cursor was reserved before later messages were paged in
            // (a transaction commits after it takes its sequence; page-in skips reserved ones): page-in
            // will never read it, so it is held in memory whatever the budget says.
            boolean behindCursor = sequence <= pageCursor;
            if (stored && !behindCursor && (pagedOut || memory.isFull())) {
                if (!pagedOut) {
                    pagedOut = true;
                    pageCursor = sequence - 1;
                }
                pagedOutHigh = Math.max(pagedOutHigh, sequence);
                pagedOutDurableHigh = Math.max(pagedOutDurableHigh, sequence);
                pagedOutCount++;
                schedulePageIn();
                return;
            }
            holdInMemory(new QueueEntry(sequence, message, stored, 0));
        } finally {
            lock.unlock();
        }
    }

    /**
     * Makes sure later messages are numbered above a sequence a prepared transaction holds, and keeps
     * page-in from reading that sequence before the commit {@link #offer offers} it.
     */
    public void reserveAbove(long sequence) {
        lock.lock();
        try {
            nextSequence = Math.max(nextSequence, sequence + 1);
            reserved.add(sequence);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Keeps page-in from reading a sequence the caller is storing itself and will {@link #offer} (a topic
     * writes one copy for its durable subscriptions); {@link #cancelReservation} if it never offers it.
     */
    public void reserve(long sequence) {
        lock.lock();
        try {
            reserved.add(sequence);
        } finally {
            lock.unlock();
        }
    }

    /** A reserved sequence will not be offered (its transaction or store write failed). */
    public void cancelReservation(long sequence) {
        lock.lock();
        try {
            reserved.remove(sequence);
        } finally {
            lock.unlock();
        }
    }

    /** Keeps a stored message from every consumer: a recovered prepared transaction consumed it. */
    public void lockRecovered(long sequence) {
        lock.lock();
        try {
            lockedSequences.add(sequence);
            for (Iterator<QueueEntry> it = pending.iterator(); it.hasNext(); ) {
                QueueEntry e = it.next();
                if (e.sequence == sequence) {
                    it.remove();
                    lockedEntries.put(sequence, e);
                    return;
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * The prepared transaction that locked a message was resolved: committed, the message is consumed (the
     * store removed it already); rolled back, it is delivered again, flagged redelivered.
     */
    public void resolveLocked(long sequence, boolean consumed) {
        lock.lock();
        try {
            lockedSequences.remove(sequence);
            QueueEntry e = lockedEntries.remove(sequence);
            if (e == null) {
                (consumed ? consumedWhileLocked : releasedWhileLocked).add(sequence);
                return;
            }
            if (consumed) {
                dequeued++;
                memory.release(e.message.estimatedSize());
            } else {
                e.deliveredCount++;
                makeAvailable(e);
                dispatch();
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * A sequence for a message the caller will write itself and then {@link #offer offer} (or
     * {@link #cancelReservation cancel}): page-in skips it meanwhile, so a message the store holds before the
     * offer is never read back as well.
     */
    public long reserveSequence() {
        lock.lock();
        try {
            long sequence = nextSequence++;
            reserved.add(sequence);
            return sequence;
        } finally {
            lock.unlock();
        }
    }

    private CompletableFuture<Void> writePagedOut(long sequence, MessageSnapshot message) {
        if (!pagedOut) {
            pagedOut = true;
            pageCursor = sequence - 1;
        }
        pagedOutHigh = sequence;
        pagedOutCount++;
        return backing.add(sequence, message).toCompletableFuture().whenComplete((ok, failure) -> {
            if (failure != null) {
                lock.lock();
                try {
                    pagedOutCount--;
                } finally {
                    lock.unlock();
                }
            }
        }).thenRun(() -> {
            lock.lock();
            try {
                pagedOutDurableHigh = Math.max(pagedOutDurableHigh, sequence);
                schedulePageIn();
            } finally {
                lock.unlock();
            }
        });
    }

    private void holdInMemory(QueueEntry entry) {
        memory.charge(entry.message.estimatedSize());
        makeVisible(entry);
    }

    private void makeVisible(QueueEntry entry) {
        lock.lock();
        try {
            if (closed) {
                memory.release(entry.message.estimatedSize());
                return;
            }
            makeAvailable(entry);
            dispatch();
        } finally {
            lock.unlock();
        }
    }

    /** Puts an entry where dispatch finds it: pending, or scheduled until it is due. */
    private void makeAvailable(QueueEntry entry) {
        if (entry.availableAt > clock.millis()) {
            scheduled.add(entry);
            scheduleWakeUp(entry.availableAt);
        } else {
            pending.add(entry);
        }
    }

    /** Adds a consumer with its initial credit. */
    public void addSubscriber(Subscriber subscriber, int credit) {
        lock.lock();
        try {
            consumers.add(new Slot(subscriber, credit));
            dispatch();
        } finally {
            lock.unlock();
        }
    }

    /** Removes a consumer; what is in flight to it stays in flight until acknowledged or released. */
    public void removeSubscriber(Subscriber subscriber) {
        lock.lock();
        try {
            consumers.removeIf(s -> s.subscriber == subscriber);
            groups.values().removeIf(owner -> owner == subscriber);
            dispatch();
        } finally {
            lock.unlock();
        }
    }

    public void addCredit(Subscriber subscriber, int messages) {
        lock.lock();
        try {
            for (Slot s : consumers) {
                if (s.subscriber == subscriber) {
                    s.credit += messages;
                    dispatch();
                    return;
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** Consumes a message delivered earlier; completes when the removal is durable. */
    public CompletionStage<Void> acknowledge(QueueEntry entry) {
        lock.lock();
        try {
            if (entry.owner == null) {
                return CompletableFuture.completedFuture(null);
            }
            entry.owner = null;
            inFlight--;
            dequeued++;
            memory.release(entry.message.estimatedSize());
            CompletionStage<Void> removal = entry.stored ? backing.remove(entry.sequence) : DONE;
            schedulePageIn();
            dispatch();
            return removal;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Consumes a message that a transaction commit already removed from the store: only the memory
     * side is updated.
     */
    public void acknowledgeStored(QueueEntry entry) {
        lock.lock();
        try {
            if (entry.owner == null) {
                return;
            }
            entry.owner = null;
            inFlight--;
            dequeued++;
            memory.release(entry.message.estimatedSize());
            schedulePageIn();
            dispatch();
        } finally {
            lock.unlock();
        }
    }

    /** Puts a delivered message back; {@code seen} ones count as delivered (redelivered next time). */
    public void release(QueueEntry entry, boolean seen) {
        lock.lock();
        try {
            if (entry.owner == null) {
                return;
            }
            entry.owner = null;
            inFlight--;
            if (closed) {
                memory.release(entry.message.estimatedSize());
                return;
            }
            if (seen) {
                entry.deliveredCount++;
                if (policy.isExhausted(entry.deliveredCount)) {
                    deadLetter(entry, "delivered " + entry.deliveredCount + " times, more than maximumRedeliveries="
                            + policy.maximumRedeliveries());
                    dispatch();
                    return;
                }
                if (entry.stored) {
                    backing.updateDeliveryCount(entry.sequence, entry.deliveredCount);
                }
                long delay = policy.delayBefore(entry.deliveredCount);
                entry.availableAt = delay > 0 ? clock.millis() + delay : 0;
            }
            makeAvailable(entry);
            dispatch();
        } finally {
            lock.unlock();
        }
    }

    /**
     * The store operation that consumes an entry inside a transaction, or null when the entry is not
     * stored (held in memory only).
     */
    public io.tern.store.TransactionOperation removalOf(QueueEntry entry) {
        return entry.stored ? backing.removal(entry.sequence) : null;
    }

    /** Whether the entry was consumed or released already (or never delivered). */
    public boolean isInFlight(QueueEntry entry) {
        lock.lock();
        try {
            return entry.owner != null;
        } finally {
            lock.unlock();
        }
    }

    /**
     * The messages waiting: those in memory in dispatch order, then those paged out to the store in
     * sequence order (read outside the lock).
     */
    public List<MessageSnapshot> browse() throws java.io.IOException {
        List<MessageSnapshot> out;
        long cursor;
        long high;
        long now = clock.millis();
        lock.lock();
        try {
            out = new ArrayList<>(pending.size());
            for (QueueEntry e : pending) {
                if (!e.message.isExpired(now)) {
                    out.add(e.message);
                }
            }
            cursor = pagedOut ? pageCursor : Long.MAX_VALUE;
            high = pagedOutDurableHigh;
        } finally {
            lock.unlock();
        }
        while (cursor < high) {
            List<StoredMessage> page = backing.read(cursor, PAGE_SIZE);
            for (StoredMessage m : page) {
                if (m.sequence() > high) {
                    return out;
                }
                if (!m.message().isExpired(now)) {
                    out.add(m.message());
                }
                cursor = m.sequence();
            }
            if (page.size() < PAGE_SIZE) {
                break;
            }
        }
        return out;
    }

    /** The queue's figures, taken together. */
    public QueueStatistics statistics() {
        lock.lock();
        try {
            long depth = pending.size() + scheduled.size() + inFlight + pagedOutCount + lockedEntries.size();
            return new QueueStatistics(depth, consumers.size(), enqueued, dequeued, expired, deadLettered);
        } finally {
            lock.unlock();
        }
    }

    /** Removes every waiting message (not those in flight), from memory and store. */
    public CompletableFuture<Void> purge() {
        List<CompletableFuture<Void>> removals = new ArrayList<>();
        lock.lock();
        try {
            drainPagedOut(removals);
            for (QueueEntry e : pending) {
                forget(e, removals);
            }
            pending.clear();
            for (QueueEntry e : scheduled) {
                forget(e, removals);
            }
            scheduled.clear();
        } finally {
            lock.unlock();
        }
        return CompletableFuture.allOf(removals.toArray(new CompletableFuture[0]));
    }

    private void drainPagedOut(List<CompletableFuture<Void>> removals) {
        while (pagedOut) {
            List<StoredMessage> page;
            try {
                page = backing.read(pageCursor, PAGE_SIZE);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException("cannot read " + address + " from its store", e);
            }
            for (StoredMessage m : page) {
                removals.add(backing.remove(m.sequence()).toCompletableFuture());
                pageCursor = m.sequence();
                pagedOutCount--;
                dequeued++;
            }
            if (page.size() < PAGE_SIZE) {
                pagedOut = pageCursor < pagedOutHigh;
                if (pagedOut && page.isEmpty()) {
                    // Writes still in progress: they stay and will be paged in when they complete.
                    return;
                }
            }
        }
    }

    private void forget(QueueEntry e, List<CompletableFuture<Void>> removals) {
        memory.release(e.message.estimatedSize());
        dequeued++;
        if (e.stored) {
            removals.add(backing.remove(e.sequence).toCompletableFuture());
        }
    }

    /** Drops everything in memory (the queue or subscription goes away); the store keeps what it holds. */
    public void close() {
        close(false);
    }

    /**
     * Drops everything in memory; the store keeps what it holds. {@code orderly}: the broker stops and has
     * released every delivery (their counts are recorded), so nothing dispatched is in doubt any more and the
     * dispatch mark goes down, to 0 or to the recovered mark while recovered messages below it remain unread.
     */
    public void close(boolean orderly) {
        lock.lock();
        try {
            if (orderly && !closed && backing != null && inFlight == 0) {
                long mark = pageCursor < recoveredMark ? recoveredMark : 0;
                if (mark < durableMark || requestedMark > durableMark) {
                    try {
                        backing.recordDispatchMark(mark);
                    } catch (RuntimeException e) {
                        LOG.debug("{}: the dispatch mark stays at {}: {}", address, durableMark, e.toString());
                    }
                }
            }
            closed = true;
            for (QueueEntry e : pending) {
                memory.release(e.message.estimatedSize());
            }
            for (QueueEntry e : scheduled) {
                memory.release(e.message.estimatedSize());
            }
            pending.clear();
            scheduled.clear();
            consumers.clear();
            if (scheduledWakeUp != null) {
                scheduledWakeUp.cancel(false);
            }
        } finally {
            lock.unlock();
        }
    }

    private void dispatch() {
        if (consumers.isEmpty() || closed) {
            return;
        }
        long now = clock.millis();
        promoteScheduled(now);
        int withCredit = 0;
        for (Slot s : consumers) {
            if (s.credit > 0) {
                withCredit++;
            }
        }
        Iterator<QueueEntry> it = pending.iterator();
        boolean waitingForMark = false;
        while (withCredit > 0 && it.hasNext()) {
            QueueEntry entry = it.next();
            if (entry.message.isExpired(now)) {
                it.remove();
                expire(entry);
                continue;
            }
            Slot slot = pickConsumer(entry.message, now);
            if (slot == null) {
                continue;
            }
            if (entry.stored && entry.sequence > durableMark && !markCovers(entry.sequence)) {
                // Dispatch goes on when the mark is written.
                waitingForMark = true;
                break;
            }
            it.remove();
            entry.owner = slot.subscriber;
            inFlight++;
            if (--slot.credit == 0) {
                withCredit--;
            }
            slot.subscriber.deliver(this, entry, entry.deliveredCount + 1);
            if (entry.stored && requestedMark == durableMark && entry.sequence > durableMark - MARK_WINDOW / 2) {
                markCovers(entry.sequence);
            }
        }
        // Consumers with credit left found nothing they want in memory (selectors): read further even
        // though the window is full, or they would starve behind messages nobody takes.
        schedulePageIn(withCredit > 0 && !waitingForMark);
    }

    /**
     * Called under the lock: whether the durable mark covers {@code sequence} now. If not, and no mark write
     * is in progress, requests one reaching {@value #MARK_WINDOW} beyond; a write the store completes at once
     * (the memory store) covers it at once, any other resumes dispatch when it completes.
     */
    private boolean markCovers(long sequence) {
        if (sequence <= durableMark) {
            return true;
        }
        if (requestedMark > durableMark) {
            return false;
        }
        long mark = Math.max(sequence, durableMark) + MARK_WINDOW;
        requestedMark = mark;
        CompletableFuture<Void> written;
        try {
            written = backing.recordDispatchMark(mark).toCompletableFuture();
        } catch (RuntimeException e) {
            written = CompletableFuture.failedFuture(e);
        }
        if (written.isDone() && !written.isCompletedExceptionally()) {
            durableMark = mark;
            return sequence <= durableMark;
        }
        // Completed later, or failed: resume on the task thread, never inside this dispatch.
        written.whenCompleteAsync((ok, failure) -> {
            lock.lock();
            try {
                if (failure == null) {
                    durableMark = Math.max(durableMark, mark);
                } else {
                    LOG.warn("Cannot record how far {} was dispatched; retrying: {}", address, failure.toString());
                }
                requestedMark = durableMark;
                if (failure == null) {
                    dispatch();
                } else if (!closed) {
                    tasks.schedule(this::retryDispatch, 1, TimeUnit.SECONDS);
                }
            } finally {
                lock.unlock();
            }
        }, tasks);
        return false;
    }

    private void retryDispatch() {
        lock.lock();
        try {
            dispatch();
        } finally {
            lock.unlock();
        }
    }

    /**
     * The consumer for a message: the exclusive consumer while there is one (the oldest); the consumer a
     * message group is pinned to; else round robin over the consumers with credit that accept it. A
     * message whose group owner or exclusive consumer has no credit now waits for it.
     */
    private Slot pickConsumer(MessageSnapshot message, long now) {
        Slot exclusive = exclusiveConsumer();
        if (exclusive != null) {
            return exclusive.credit > 0 && exclusive.subscriber.accepts(message) ? exclusive : null;
        }
        Object group = message.properties().get("JMSXGroupID");
        if (group instanceof String groupId) {
            Subscriber owner = groups.get(groupId);
            if (owner != null) {
                Slot slot = slotOf(owner);
                if (slot != null) {
                    if (closesGroup(message)) {
                        groups.remove(groupId);
                    }
                    return slot.credit > 0 ? slot : null;
                }
                groups.remove(groupId);
            }
            Slot chosen = roundRobin(message);
            if (chosen != null && !closesGroup(message)) {
                groups.put(groupId, chosen.subscriber);
            }
            return chosen;
        }
        return roundRobin(message);
    }

    /** JMSXGroupSeq = -1 closes a group: the next message of that group may go to any consumer. */
    private static boolean closesGroup(MessageSnapshot message) {
        Object seq = message.properties().get("JMSXGroupSeq");
        return seq instanceof Integer i && i == -1;
    }

    private Slot exclusiveConsumer() {
        for (Slot s : consumers) {
            if (s.subscriber.isExclusive()) {
                return s;
            }
        }
        return null;
    }

    private Slot slotOf(Subscriber subscriber) {
        for (Slot s : consumers) {
            if (s.subscriber == subscriber) {
                return s;
            }
        }
        return null;
    }

    private Slot roundRobin(MessageSnapshot message) {
        int n = consumers.size();
        for (int i = 0; i < n; i++) {
            int index = (nextConsumer + i) % n;
            Slot s = consumers.get(index);
            if (s.credit > 0 && s.subscriber.accepts(message)) {
                nextConsumer = (index + 1) % n;
                return s;
            }
        }
        return null;
    }

    private void expire(QueueEntry entry) {
        expired++;
        memory.release(entry.message.estimatedSize());
        tasks.execute(() -> router.expired(this, entry.message).whenComplete((ok, failure) -> removeRouted(entry,
                failure, "expiry queue")));
    }

    private void deadLetter(QueueEntry entry, String reason) {
        deadLettered++;
        memory.release(entry.message.estimatedSize());
        String dlq = policy.deadLetterQueue();
        tasks.execute(() -> router.deadLetter(this, entry.message, dlq, reason).whenComplete((ok, failure) ->
                removeRouted(entry, failure, "dead-letter queue " + dlq)));
    }

    /**
     * The copy is stored elsewhere (or routing failed): only now does the original leave the store, so a
     * crash in between keeps a message twice rather than losing it.
     */
    private void removeRouted(QueueEntry entry, Throwable failure, String where) {
        if (failure != null) {
            LOG.error("Could not move message {} of {} to the {}; it is dropped from memory and stays in the"
                    + " store until a restart", entry.message.messageId(), address, where, failure);
            return;
        }
        if (entry.stored) {
            backing.remove(entry.sequence);
        }
    }

    /** Takes expired messages out of memory now instead of at dispatch (the broker's periodic sweep). */
    public void sweepExpired() {
        lock.lock();
        try {
            long now = clock.millis();
            for (Iterator<QueueEntry> it = pending.iterator(); it.hasNext(); ) {
                QueueEntry e = it.next();
                if (e.message.isExpired(now)) {
                    it.remove();
                    expire(e);
                }
            }
            for (Iterator<QueueEntry> it = scheduled.iterator(); it.hasNext(); ) {
                QueueEntry e = it.next();
                if (e.message.isExpired(now)) {
                    it.remove();
                    expire(e);
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** Moves messages that became due to pending and dispatches (the clock may have been moved). */
    public void checkScheduled() {
        lock.lock();
        try {
            if (!scheduled.isEmpty()) {
                promoteScheduled(clock.millis());
                dispatch();
            }
        } finally {
            lock.unlock();
        }
    }

    private void promoteScheduled(long now) {
        while (!scheduled.isEmpty() && scheduled.peek().availableAt <= now) {
            pending.add(scheduled.poll());
        }
        if (!scheduled.isEmpty()) {
            scheduleWakeUp(scheduled.peek().availableAt);
        }
    }

    private void scheduleWakeUp(long at) {
        if (scheduledWakeUp != null && !scheduledWakeUp.isDone() && scheduledWakeUpAt <= at) {
            return;
        }
        if (scheduledWakeUp != null) {
            scheduledWakeUp.cancel(false);
        }
        scheduledWakeUpAt = at;
        long delay = Math.max(0, at - clock.millis());
        scheduledWakeUp = tasks.schedule(this::wakeUp, delay, TimeUnit.MILLISECONDS);
    }

    private void wakeUp() {
        lock.lock();
        try {
            scheduledWakeUp = null;
            promoteScheduled(clock.millis());
            dispatch();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Called under the lock: starts a page-in when the in-memory window runs low. A queue with nothing
     * in memory pages in even when the memory budget is spent (by other destinations, perhaps without
     * consumers), so it never starves; so does a queue whose consumers have credit but want nothing in
     * memory (selectors). Each such page-in overshoots the budget by one page.
     */
    private void schedulePageIn() {
        schedulePageIn(false);
    }

    private void schedulePageIn(boolean consumersHungry) {
        if (!pagedOut || pageInRunning || closed || (pending.size() >= PAGE_SIZE && !consumersHungry)
                || pageCursor >= pagedOutDurableHigh || (memory.isFull() && !pending.isEmpty() && !consumersHungry)) {
            return;
        }
        pageInRunning = true;
        long after = pageCursor;
        long durableHigh = pagedOutDurableHigh;
        Executor executor = tasks;
        executor.execute(() -> pageIn(after, durableHigh));
    }

    /**
     * Reads the next window. A short page means everything written up to {@code durableHigh} has been
     * read (stores apply writes in order), so the cursor moves there even if the last ones are gone.
     */
    private void pageIn(long after, long durableHigh) {
        List<StoredMessage> page;
        try {
            page = backing.read(after, PAGE_SIZE);
        } catch (Exception e) {
            LOG.error("Cannot read messages of {} from its store; retrying in 1 s", address, e);
            lock.lock();
            try {
                pageInRunning = false;
            } finally {
                lock.unlock();
            }
            tasks.schedule(() -> {
                lock.lock();
                try {
                    schedulePageIn();
                } finally {
                    lock.unlock();
                }
            }, 1, TimeUnit.SECONDS);
            return;
        }
        lock.lock();
        try {
            pageInRunning = false;
            if (closed) {
                return;
            }
            for (StoredMessage m : page) {
                if (m.sequence() <= pageCursor) {
                    continue;
                }
                pageCursor = m.sequence();
                if (reserved.contains(m.sequence())) {
                    // A committed transaction's message that offer() will hold in memory (behind the cursor).
                    continue;
                }
                pagedOutCount--;
                if (consumedWhileLocked.remove(m.sequence())) {
                    continue;
                }
                QueueEntry entry = new QueueEntry(m.sequence(), m.message(), true, m.deliveryCount());
                if (entry.deliveredCount == 0 && m.sequence() <= recoveredMark) {
                    // Dispatched before a crash perhaps: flagged, and durably so, as the mark may go down.
                    entry.deliveredCount = 1;
                    backing.updateDeliveryCount(m.sequence(), 1);
                }
                if (releasedWhileLocked.remove(m.sequence())) {
                    entry.deliveredCount++;
                }
                memory.charge(m.message().estimatedSize());
                if (lockedSequences.contains(m.sequence())) {
                    lockedEntries.put(m.sequence(), entry);
                    continue;
                }
                makeAvailable(entry);
            }
            if (page.size() < PAGE_SIZE) {
                pageCursor = Math.max(pageCursor, durableHigh);
                pagedOut = pageCursor < pagedOutHigh;
                if (!pagedOut) {
                    pagedOutCount = 0;
                }
            }
            dispatch();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        return "DispatchQueue[" + address + "]";
    }
}
