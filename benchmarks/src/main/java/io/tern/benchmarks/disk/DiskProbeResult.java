package io.tern.benchmarks.disk;

/**
 * What the disk probe measured.
 *
 * @param syncsPerSecond        syncs per second with one record per sync (= records per second)
 * @param batchedSyncsPerSecond syncs per second with {@code recordsPerSync} records per sync
 * @param batchedRecordsPerSecond records per second with {@code recordsPerSync} records per sync
 * @param recordsPerSync        records written between syncs in the batched mode
 * @param recordBytes           size of one record
 */
public record DiskProbeResult(double syncsPerSecond, double batchedSyncsPerSecond, double batchedRecordsPerSecond,
                              int recordsPerSync, int recordBytes) {
}
