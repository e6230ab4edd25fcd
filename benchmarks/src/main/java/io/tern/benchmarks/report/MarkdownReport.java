package io.tern.benchmarks.report;

import io.tern.benchmarks.broker.BrokerTarget;
import io.tern.benchmarks.disk.DiskProbeResult;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** The run as Markdown: machine, disk probe, the table, the targets' settings and any failures. */
public final class MarkdownReport {

    private MarkdownReport() {
    }

    public static String render(RunSummary run) {
        StringBuilder md = new StringBuilder();
        MachineInfo m = run.machine();
        md.append("# Tern benchmark results\n\n");
        md.append("- Date: ").append(m.date()).append('\n');
        md.append("- Machine: ").append(m.cores()).append(" cores (nproc), ").append(m.cpuModel()).append(", ")
                .append(m.memory()).append(" RAM, ").append(m.os()).append(", ").append(m.java()).append('\n');
        md.append("- Brokers' directories on: ").append(m.fileSystem()).append('\n');
        var w = run.workload();
        md.append("- Load average (1, 5, 15 min) at start: ").append(run.loadBefore()).append("; at end: ")
                .append(run.loadAfter()).append('\n');
        md.append("- Workload: ").append(w.messages()).append(" messages per persistent-queue pass, ")
                .append(w.bulkMessages()).append(" per non-persistent, fan-out and transacted pass, ")
                .append(w.latencySends()).append(" timed sends, a backlog of ").append(w.backlogMessages())
                .append(", each after a warm-up of ").append(w.warmupMessages()).append("; ")
                .append(w.payloadBytes()).append("-byte bodies; ")
                .append(run.repeats()).append(run.repeats() == 1 ? " repeat" : " repeats (median shown)")
                .append(", target order alternating; every scenario in a fresh child JVM (-Xmx")
                .append(run.childHeap()).append(") holding broker and client, which connect in-VM except on the")
                .append(" tcp scenarios (the broker's own network transport on 127.0.0.1)\n\n");

        md.append("## Disk probe\n\n");
        md.append(diskTable(run)).append('\n');

        md.append("## Results\n\n");
        md.append(table(run.table())).append('\n');
        md.append("– not run: a store that is not durable (tern-memory) runs the non-persistent scenarios only;")
                .append(" its persistent figures would compare heap with disks.\n\n");
        md.append("Ratio: the durable Tern store (the best, if several) against the best peer, oriented so that")
                .append(" above 1 means Tern ahead (Tern ÷ peer for rates, peer ÷ Tern for latency and heap); the")
                .append(" column names both. The peers run on their durable stores in every scenario, so the")
                .append(" non-persistent ratios use the durable Tern store too.\n\n");

        md.append("## Targets\n\n");
        for (BrokerTarget target : run.table().targets()) {
            md.append("- **").append(target.id()).append("**: ").append(target.settings());
            Map<String, String> facts = run.results().facts(target.id());
            if (!facts.isEmpty()) {
                md.append(" Reported at start: ").append(facts.entrySet().stream()
                        .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", "))).append('.');
            }
            md.append('\n');
        }
        run.skipped().forEach((id, reason) ->
                md.append("- **").append(id).append("**: skipped, ").append(reason).append('\n'));

        Map<String, List<String>> failures = run.results().allFailures();
        if (!failures.isEmpty()) {
            md.append("\n## Failures\n\n");
            failures.forEach((where, reasons) -> reasons.forEach(reason ->
                    md.append("- ").append(where).append(", ").append(firstLine(reason)).append('\n')));
        }
        return md.toString();
    }

    static String diskTable(RunSummary run) {
        return "| when | fsync pattern | syncs/s | records/s |\n|---|---|---:|---:|\n"
                + diskRows("start of run", run.disk()) + diskRows("end of run", run.diskAfter());
    }

    private static String diskRows(String when, DiskProbeResult disk) {
        return "| " + when + " | 1 record (" + disk.recordBytes() + " B) per sync | "
                + Figures.forTable(disk.syncsPerSecond()) + " | " + Figures.forTable(disk.syncsPerSecond()) + " |\n"
                + "| " + when + " | " + disk.recordsPerSync() + " records per sync | "
                + Figures.forTable(disk.batchedSyncsPerSecond()) + " | "
                + Figures.forTable(disk.batchedRecordsPerSecond()) + " |\n";
    }

    /** The summary table alone, also what the console shows. */
    public static String table(ResultTable table) {
        StringBuilder md = new StringBuilder("| Scenario | Figure |");
        StringBuilder rule = new StringBuilder("|---|---|");
        for (BrokerTarget target : table.targets()) {
            md.append(' ').append(target.id()).append(" |");
            rule.append("---:|");
        }
        md.append(" Tern ÷ best peer |\n");
        rule.append("---|\n");
        md.append(rule);
        for (ResultTable.Row row : table.rows()) {
            md.append("| ").append(row.scenario().title()).append(" | ").append(row.metric().label()).append(" (")
                    .append(row.metric().unit()).append(") |");
            for (BrokerTarget target : table.targets()) {
                ResultTable.Cell cell = row.cells().get(target.id());
                md.append(' ').append(!cell.ran() ? "–" : cell.value() == null ? "failed"
                        : Figures.forTable(cell.value())).append(" |");
            }
            ResultTable.Ratio ratio = row.ratio();
            md.append(' ').append(ratio.value() == null ? "n/a (" + ratio.note() + ")"
                    : "**" + Figures.ratio(ratio.value()) + "** " + ratio.tern() + " vs " + ratio.peer())
                    .append(" |\n");
        }
        return md.toString();
    }

    private static String firstLine(String text) {
        int newline = text.indexOf('\n');
        return newline < 0 ? text : text.substring(0, newline);
    }
}
