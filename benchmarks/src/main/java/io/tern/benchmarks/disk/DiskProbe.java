package io.tern.benchmarks.disk;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;

/**
 * What the disk under the brokers' directories allows: synced appends to a pre-allocated file, first one
 * record per {@code force}, then many. A persistent scenario can never beat the first figure per
 * synchronous sender, and no store can beat the second, so they frame every persistent result.
 *
 * <p>{@link FileChannel#force force(false)} (fdatasync) is what journals use; the file is filled and
 * synced before measuring so that no sync has to grow the file or update its size.
 */
public final class DiskProbe {

    static final int RECORD_BYTES = 1024;
    static final int RECORDS_PER_BATCH = 64;
    private static final long FILE_BYTES = 64L * 1024 * 1024;

    private DiskProbe() {
    }

    /** Probes in {@code directory} (created if needed, the probe file removed after), each mode for {@code duration}. */
    public static DiskProbeResult run(Path directory, Duration duration) throws IOException {
        Files.createDirectories(directory);
        Path file = directory.resolve("disk-probe.dat");
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            preallocate(channel);
            // Unmeasured first pass: lets the device finish writing back the pre-allocation.
            syncedRecordsPerSecond(channel, 1, duration.dividedBy(4));
            double single = syncedRecordsPerSecond(channel, 1, duration);
            double batched = syncedRecordsPerSecond(channel, RECORDS_PER_BATCH, duration);
            return new DiskProbeResult(single, batched / RECORDS_PER_BATCH, batched, RECORDS_PER_BATCH,
                    RECORD_BYTES);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private static void preallocate(FileChannel channel) throws IOException {
        ByteBuffer zeros = ByteBuffer.allocateDirect(1024 * 1024);
        for (long position = 0; position < FILE_BYTES; position += zeros.capacity()) {
            zeros.clear();
            while (zeros.hasRemaining()) {
                channel.write(zeros, position + zeros.position());
            }
        }
        channel.force(true);
    }

    /** Appends records, syncing after every {@code recordsPerSync}; returns records per second. */
    private static double syncedRecordsPerSecond(FileChannel channel, int recordsPerSync, Duration duration)
            throws IOException {
        ByteBuffer record = ByteBuffer.allocateDirect(RECORD_BYTES);
        for (int i = 0; i < RECORD_BYTES; i++) {
            record.put(i, (byte) i);
        }
        long position = 0;
        long records = 0;
        long start = System.nanoTime();
        long deadline = start + duration.toNanos();
        long now;
        do {
            for (int i = 0; i < recordsPerSync; i++) {
                record.clear();
                while (record.hasRemaining()) {
                    channel.write(record, position + record.position());
                }
                position = (position + RECORD_BYTES) % FILE_BYTES;
            }
            channel.force(false);
            records += recordsPerSync;
            now = System.nanoTime();
        } while (now < deadline);
        return records * 1_000_000_000.0 / (now - start);
    }
}
