package io.tern.journal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Creates the next segment file ahead of need on a background thread, so that a roll does not stall
 * the writers for the time it takes to write 32 MiB of zeros.
 *
 * <p><b>Threads.</b> {@link #prepare} and {@link #take} are called by the journal's writer thread (or by
 * recovery before it starts); {@link #close} after the writer thread has stopped. The file creation
 * itself runs on the allocator's own thread, {@code tern-journal-allocator-<directory name>}.
 */
final class SegmentAllocator {

    private static final Logger LOG = LoggerFactory.getLogger(SegmentAllocator.class);

    private final Path directory;
    private final int capacity;
    private final ExecutorService executor;
    private volatile CompletableFuture<JournalSegment> next;
    private volatile long nextId = -1;

    SegmentAllocator(Path directory, int capacity) {
        this.directory = directory;
        this.capacity = capacity;
        this.executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "tern-journal-allocator-" + directory.getFileName());
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts creating segment {@code id} in the background, unless it is already under way. */
    void prepare(long id) {
        if (nextId == id) {
            return;
        }
        nextId = id;
        next = CompletableFuture.supplyAsync(() -> {
            try {
                return JournalSegment.create(directory, id, capacity);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, executor);
    }

    /** The segment {@code id}: the prepared one when it was prepared, else created now. */
    JournalSegment take(long id) throws IOException {
        CompletableFuture<JournalSegment> prepared = next;
        if (prepared == null || nextId != id) {
            return JournalSegment.create(directory, id, capacity);
        }
        next = null;
        nextId = -1;
        try {
            return prepared.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof UncheckedIOException u) {
                throw u.getCause();
            }
            throw e;
        }
    }

    /** Waits for a creation under way and deletes the segment it made: nothing was written to it. */
    void close() {
        CompletableFuture<JournalSegment> prepared = next;
        next = null;
        if (prepared != null) {
            try {
                prepared.join().delete();
            } catch (CompletionException | IOException e) {
                LOG.warn("Could not remove the unused preallocated segment in {}: {}", directory, e.toString());
            }
        }
        executor.shutdown();
    }
}
