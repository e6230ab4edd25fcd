package io.tern.benchmarks.report;

import io.tern.benchmarks.broker.BrokerTarget;

import java.util.ArrayList;
import java.util.List;

/** The summary table as CSV, and every sample of every repeat as a second, long-format CSV. */
public final class CsvReport {

    private CsvReport() {
    }

    public static String table(ResultTable table) {
        List<String> header = new ArrayList<>(List.of("scenario_id", "scenario", "metric_id", "figure", "unit",
                "better"));
        table.targets().forEach(t -> header.add(t.id()));
        header.addAll(List.of("ratio", "tern", "best_peer", "ratio_note"));
        StringBuilder csv = new StringBuilder(line(header));
        for (ResultTable.Row row : table.rows()) {
            List<String> fields = new ArrayList<>(List.of(row.scenario().id(), row.scenario().title(),
                    row.metric().id(), row.metric().label(), row.metric().unit(),
                    row.metric().better().name().toLowerCase(java.util.Locale.ROOT)));
            for (BrokerTarget target : table.targets()) {
                Double value = row.cells().get(target.id()).value();
                fields.add(value == null ? "" : Figures.forCsv(value));
            }
            ResultTable.Ratio ratio = row.ratio();
            fields.add(ratio.value() == null ? "" : String.format(java.util.Locale.ROOT, "%.3f", ratio.value()));
            fields.add(ratio.tern() == null ? "" : ratio.tern());
            fields.add(ratio.peer() == null ? "" : ratio.peer());
            fields.add(ratio.note() == null ? "" : ratio.note());
            csv.append(line(fields));
        }
        return csv.toString();
    }

    public static String samples(RunResults results) {
        StringBuilder csv = new StringBuilder(line(List.of("repeat", "scenario_id", "target", "metric_id", "value")));
        for (RunResults.Sample s : results.samples()) {
            csv.append(line(List.of(String.valueOf(s.repeat() + 1), s.scenario(), s.target(), s.metric(),
                    Figures.forCsv(s.value()))));
        }
        return csv.toString();
    }

    private static String line(List<String> fields) {
        List<String> quoted = new ArrayList<>();
        for (String field : fields) {
            quoted.add(field.contains(",") || field.contains("\"")
                    ? "\"" + field.replace("\"", "\"\"") + "\"" : field);
        }
        return String.join(",", quoted) + "\n";
    }
}
