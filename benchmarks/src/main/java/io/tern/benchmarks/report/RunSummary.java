package io.tern.benchmarks.report;

import io.tern.benchmarks.disk.DiskProbeResult;
import io.tern.benchmarks.scenario.Workload;

import java.util.Map;

/**
 * Everything the reports are written from.
 *
 * @param machine   where the run was made
 * @param disk      the disk probe's figures at the start of the run
 * @param diskAfter the same at the end, since other work on the machine can change them
 * @param workload  what each scenario sent
 * @param repeats   how many times every scenario ran on every target (the table shows medians)
 * @param childHeap the children's {@code -Xmx}
 * @param table     the summary table
 * @param results   every figure, failure and fact
 * @param skipped   targets that could not run here, with the reason
 * @param loadBefore the machine's load averages when the run started
 * @param loadAfter  the machine's load averages when it ended
 */
public record RunSummary(MachineInfo machine, DiskProbeResult disk, DiskProbeResult diskAfter, Workload workload, int repeats,
                         String childHeap, ResultTable table, RunResults results, Map<String, String> skipped,
                         String loadBefore, String loadAfter) {
}
