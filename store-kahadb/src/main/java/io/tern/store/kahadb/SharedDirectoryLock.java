package io.tern.store.kahadb;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The exclusive right to use a store directory, held as an operating-system lock on its {@code lock}
 * file: the master of a shared-directory pair holds it, the slave waits for it. The operating system
 * releases it when the holding process dies, however it dies, so a slave takes over within one retry
 * interval of the master's death.
 *
 * <p>Within one JVM the lock is first claimed in a static set: Java file locks belong to the whole
 * process, and closing any channel of a file may release every lock the process holds on it, so a
 * second broker of the same JVM must not even open the file while the first holds it.
 *
 * <p><b>Threads.</b> {@link #acquire} blocks the calling thread; {@link #cancel} may be called from any
 * other thread to end the wait. {@link #isValid} and {@link #release} are thread-safe.
 */
final class SharedDirectoryLock {

    private static final Logger LOG = LoggerFactory.getLogger(SharedDirectoryLock.class);
    private static final Set<Path> HELD_IN_THIS_JVM = ConcurrentHashMap.newKeySet();

    private final Path file;
    private final Path key;
    private final CountDownLatch cancelled = new CountDownLatch(1);
    private FileChannel channel;
    private FileLock lock;

    SharedDirectoryLock(Path file) throws IOException {
        this.file = file;
        Files.createDirectories(file.getParent());
        this.key = file.toAbsolutePath().normalize();
    }

    /**
     * Waits until this process holds the lock, retrying every {@code retry}.
     *
     * @throws IOException when the file cannot be used, or {@link #cancel} ended the wait
     */
    void acquire(Duration retry) throws IOException {
        boolean told = false;
        while (true) {
            if (cancelled.getCount() == 0) {
                throw new IOException("stopped while waiting for the lock of " + file.getParent());
            }
            if (HELD_IN_THIS_JVM.add(key)) {
                if (tryLockFile()) {
                    LOG.info("Locked {}{}", file, told ? " after waiting: this broker is now the master" : "");
                    return;
                }
                HELD_IN_THIS_JVM.remove(key);
            }
            if (!told) {
                LOG.info("{} is locked by another broker; waiting for it (this broker is a slave until then)",
                        file.getParent());
                told = true;
            }
            try {
                cancelled.await(retry.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for the lock of " + file.getParent(), e);
            }
        }
    }

    private boolean tryLockFile() throws IOException {
        FileChannel c = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.READ);
        FileLock l;
        try {
            l = c.tryLock();
        } catch (OverlappingFileLockException e) {
            l = null;
        } catch (IOException | RuntimeException e) {
            c.close();
            throw e;
        }
        if (l == null) {
            c.close();
            return false;
        }
        channel = c;
        lock = l;
        // Who holds it, for people looking at the directory.
        c.truncate(0);
        c.write(StandardCharsets.UTF_8.encode(ProcessHandle.current().pid() + "\n"), 0);
        return true;
    }

    /** Ends a wait in {@link #acquire} (from another thread); has no effect on a held lock. */
    void cancel() {
        cancelled.countDown();
    }

    /** Whether the lock is still held: false once released, or if the lock file was removed or replaced. */
    synchronized boolean isValid() {
        if (lock == null || !lock.isValid()) {
            return false;
        }
        try {
            return Files.exists(file) && channel.size() >= 0;
        } catch (IOException e) {
            return false;
        }
    }

    synchronized void release() {
        if (lock == null) {
            return;
        }
        try {
            lock.release();
        } catch (IOException | RuntimeException e) {
            LOG.debug("Releasing {} failed: {}", file, e.toString());
        }
        try {
            channel.close();
        } catch (IOException e) {
            LOG.debug("Closing {} failed: {}", file, e.toString());
        }
        lock = null;
        channel = null;
        HELD_IN_THIS_JVM.remove(key);
        LOG.debug("Released {}", file);
    }
}
