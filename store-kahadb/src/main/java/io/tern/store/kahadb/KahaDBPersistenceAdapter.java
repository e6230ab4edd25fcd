package io.tern.store.kahadb;

import io.tern.protocol.Address;
import io.tern.store.ActivationListener;
import io.tern.store.MessageStore;
import io.tern.store.PersistenceAdapter;
import io.tern.store.StoreUsage;
import io.tern.store.TopicMessageStore;
import io.tern.store.TransactionStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The {@code kahadb} store: an append-only journal (module store-journal) for durability and group
 * commit, and a LevelDB index of where everything is, kept current in the background and made durable
 * at checkpoints. See docs/kahadb.md for the design, the on-disk format and recovery.
 *
 * <p><b>Activation.</b> {@link #start} first takes the lock of the store directory: a second broker on
 * the same directory (shared-storage master/slave) waits there until the first stops or dies, then
 * opens the store and returns. {@link #stop} ends such a wait. While started, the lock is checked every
 * second; if it is lost (its file removed) the broker is told through
 * {@link ActivationListener#activationLost}; so it is if the journal or index fails.
 *
 * <p><b>Remembered across destinations.</b> The outcome keys of committed transactions (the newest
 * {@value OutcomeKeys#KEPT}) and each producer's highest stored sequence (the {@value ProducerMarks#KEPT}
 * producers that stored most recently), from which the broker recognises a client's repeated commit or
 * resend after a restart. The store itself stores every message it is given.
 *
 * <p><b>Errors.</b> As the contract suite asks: calls while stopped, and calls on stores handed out
 * before a stop or {@link #removeDestination}, throw {@link IllegalStateException}; a write that
 * conflicts with what is stored fails its stage with {@link IllegalArgumentException} and is not
 * written.
 *
 * <p><b>Usage.</b> {@link #usage()} counts the encoded bytes of the stored messages (not the journal's
 * files, which cleanup trims behind them); {@code limit} is what producer flow control works from.
 *
 * <p><b>Threading.</b> Thread-safe. A read-write lock orders lifecycle against calls: calls hold it
 * shared, start, stop and {@link #deleteAllMessages} exclusively, so a stop waits for calls in progress.
 * The open store's own threads are described in {@link StoreEngine}.
 */
public final class KahaDBPersistenceAdapter implements PersistenceAdapter {

    public static final String TYPE = "kahadb";
    private static final Logger LOG = LoggerFactory.getLogger(KahaDBPersistenceAdapter.class);
    private static final long LOCK_CHECK_MILLIS = 1000;

    private final KahaDBConfig config;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final KahaDBTransactionStore transactions = new KahaDBTransactionStore(this);
    /** The open store; null while stopped. Written under the exclusive lock. */
    private volatile StoreEngine engine;
    /** The directory lock being waited for or held; null while stopped. */
    private volatile SharedDirectoryLock directoryLock;
    private ScheduledExecutorService lockWatch;
    /** Tells the broker of the current start that the store failed. Written under the exclusive lock. */
    private java.util.function.Consumer<Throwable> failureHandler = failure -> { };

    public KahaDBPersistenceAdapter(KahaDBConfig config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    public KahaDBConfig config() {
        return config;
    }

    @Override
    public String type() {
        return TYPE;
    }

    /**
     * Waits for the directory's lock (another broker may hold it), then opens and recovers the store.
     *
     * @throws IOException when the store cannot be opened, or {@link #stop} ended the wait for the lock
     */
    @Override
    public void start(ActivationListener listener) throws IOException {
        Objects.requireNonNull(listener, "listener");
        SharedDirectoryLock dirLock;
        synchronized (this) {
            if (directoryLock != null) {
                throw new IllegalStateException("kahadb store " + config.directory() + " is already started");
            }
            dirLock = new SharedDirectoryLock(config.lockFile());
            directoryLock = dirLock;
        }
        try {
            dirLock.acquire(config.lockRetryInterval());
        } catch (IOException | RuntimeException e) {
            clearLock(dirLock);
            throw e;
        }
        AtomicBoolean lost = new AtomicBoolean();
        Lock exclusive = lock.writeLock();
        exclusive.lock();
        try {
            if (directoryLock != dirLock) {
                dirLock.release();
                throw new IOException("kahadb store " + config.directory() + " was stopped while it started");
            }
            failureHandler = failure -> lose(listener, lost,
                    "the kahadb store in " + config.directory() + " failed: " + failure);
            engine = StoreEngine.open(config, failureHandler);
        } catch (IOException | RuntimeException e) {
            clearLock(dirLock);
            dirLock.release();
            throw e;
        } finally {
            exclusive.unlock();
        }
        lockWatch = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "tern-kahadb-lock-" + config.directory().getFileName());
            t.setDaemon(true);
            return t;
        });
        lockWatch.scheduleWithFixedDelay(() -> {
            if (!dirLock.isValid()) {
                lose(listener, lost, "the lock of " + config.directory() + " was lost");
            }
        }, LOCK_CHECK_MILLIS, LOCK_CHECK_MILLIS, TimeUnit.MILLISECONDS);
    }

    private void lose(ActivationListener listener, AtomicBoolean lost, String reason) {
        if (lost.compareAndSet(false, true)) {
            LOG.error("{}; this broker may no longer write to it", reason);
            listener.activationLost(reason);
        }
    }

    private synchronized void clearLock(SharedDirectoryLock dirLock) {
        if (directoryLock == dirLock) {
            directoryLock = null;
        }
    }

    /** Ends a wait for the lock, or flushes and closes the open store and releases the lock. Idempotent. */
    @Override
    public void stop() throws IOException {
        SharedDirectoryLock dirLock = directoryLock;
        if (dirLock != null) {
            dirLock.cancel();
        }
        Lock exclusive = lock.writeLock();
        exclusive.lock();
        try {
            StoreEngine open = engine;
            engine = null;
            if (lockWatch != null) {
                lockWatch.shutdownNow();
                lockWatch = null;
            }
            try {
                if (open != null) {
                    open.registry.byAddress.values().forEach(d -> d.removed = true);
                    open.close();
                }
            } finally {
                if (dirLock != null) {
                    dirLock.release();
                    clearLock(dirLock);
                }
            }
        } finally {
            exclusive.unlock();
        }
    }

    @Override
    public boolean isDurable() {
        return true;
    }

    @Override
    public Set<Address> destinations() {
        return shared(e -> e.destinations());
    }

    @Override
    public MessageStore queueStore(String queueName) {
        requireValidName(queueName);
        return shared(e -> new KahaDBMessageStore(this, e, e.destination(Address.queue(queueName), true)));
    }

    @Override
    public TopicMessageStore topicStore(String topicName) {
        requireValidName(topicName);
        return shared(e -> new KahaDBTopicMessageStore(this, e, e.destination(Address.topic(topicName), true)));
    }

    /** Removes a destination and everything stored for it; returns when that is durable. */
    @Override
    public void removeDestination(Address address) throws IOException {
        Objects.requireNonNull(address, "address");
        await(shared(e -> e.removeDestination(address)));
    }

    @Override
    public TransactionStore transactionStore() {
        return transactions;
    }

    @Override
    public StoreUsage usage() {
        StoreEngine e = engine;
        return new StoreUsage(e == null ? 0 : Math.max(0, e.registry.usedBytes.get()), config.limitBytes());
    }

    /**
     * Deletes every message, subscription and prepared transaction: the journal and index files are
     * removed and the store starts empty. Stores handed out before refuse every later call.
     */
    @Override
    public void deleteAllMessages() throws IOException {
        Lock exclusive = lock.writeLock();
        exclusive.lock();
        try {
            StoreEngine open = requireOpen();
            open.registry.byAddress.values().forEach(d -> d.removed = true);
            open.close();
            engine = null;
            LevelDbIndex.delete(config.indexDirectory());
            LevelDbIndex.delete(config.journalConfig().directory());
            engine = StoreEngine.open(config, failureHandler);
            LOG.info("kahadb {}: every message, subscription and prepared transaction deleted", config.directory());
        } finally {
            exclusive.unlock();
        }
    }

    /** Why each journal file other than the current one is still on disk (also logged at cleanup). */
    public List<SegmentPin> pinnedSegments() throws IOException {
        StoreEngine e = requireOpenShared();
        return e.maintenance.pinnedSegments();
    }

    /** Damaged journal records found at the last start and by reads since, each with its file and offset. */
    public List<String> corruptions() {
        return shared(StoreEngine::corruptions);
    }

    /** Runs a checkpoint now (normally every {@code checkpointInterval}). */
    public void checkpoint() throws IOException {
        requireOpenShared().maintenance.checkpoint();
    }

    /** Runs a cleanup now (normally every {@code cleanupInterval}); returns the journal segments deleted. */
    public List<Long> cleanup() throws IOException {
        return requireOpenShared().maintenance.cleanup().deleted();
    }

    /** What the last start did: whether the index was rebuilt, how many records it replayed, how long it took. */
    StoreEngine.RecoveryReport recoveryReport() {
        return shared(StoreEngine::recoveryReport);
    }

    StoreEngine engineForTests() {
        return requireOpen();
    }

    @Override
    public String toString() {
        return "KahaDBPersistenceAdapter[" + config.directory() + ", " + (engine == null ? "stopped" : "running") + "]";
    }

    // ------------------------------------------------------------------ helpers for the stores

    /** Runs a call on the open store, holding the lifecycle lock shared. */
    <T> T shared(java.util.function.Function<StoreEngine, T> call) {
        Lock shared = lock.readLock();
        shared.lock();
        try {
            return call.apply(requireOpen());
        } finally {
            shared.unlock();
        }
    }

    @FunctionalInterface
    interface IoCall<T> {
        T call(StoreEngine engine) throws IOException;
    }

    /** Runs a call that may do I/O on a given open store, holding the lifecycle lock shared. */
    <T> T sharedIo(StoreEngine expected, IoCall<T> call) throws IOException {
        Lock shared = lock.readLock();
        shared.lock();
        try {
            StoreEngine e = requireOpen();
            if (e != expected || e.isClosed()) {
                throw new IllegalStateException("this store was handed out before the kahadb store in "
                        + config.directory() + " was stopped; ask the adapter for it again");
            }
            return call.call(e);
        } finally {
            shared.unlock();
        }
    }

    /** Like {@link #sharedIo} for calls without I/O. */
    <T> T sharedOn(StoreEngine expected, java.util.function.Function<StoreEngine, T> call) {
        try {
            return sharedIo(expected, call::apply);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private StoreEngine requireOpen() {
        StoreEngine e = engine;
        if (e == null || e.isClosed()) {
            throw new IllegalStateException("kahadb store " + config.directory() + " is stopped; call start first");
        }
        return e;
    }

    private StoreEngine requireOpenShared() {
        return shared(e -> e);
    }

    private static void requireValidName(String name) {
        String reason = Address.invalidNameReason(name);
        if (reason != null) {
            throw new IllegalArgumentException(reason);
        }
    }

    private static void await(CompletableFuture<Void> f) throws IOException {
        try {
            f.get(5, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IOException(e.getCause());
        } catch (TimeoutException e) {
            throw new IOException("the kahadb store did not complete in time", e);
        }
    }
}
