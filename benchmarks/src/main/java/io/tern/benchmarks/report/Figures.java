package io.tern.benchmarks.report;

import java.util.Locale;

/** How figures are written: grouped thousands in tables, plain digits in CSV. */
final class Figures {

    private Figures() {
    }

    static String forTable(double value) {
        return String.format(Locale.ROOT, value >= 100 ? "%,.0f" : "%,.1f", value);
    }

    static String forCsv(double value) {
        return String.format(Locale.ROOT, value >= 100 ? "%.0f" : "%.2f", value);
    }

    static String ratio(double value) {
        return String.format(Locale.ROOT, "%.2f×", value);
    }
}
