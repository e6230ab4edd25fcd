package io.tern.benchmarks.report;

import org.knowm.xchart.AnnotationLine;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.CategorySeries;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A bar chart of the ratio column: one bar per figure that has a comparable Tern store and peer, and a
 * line at parity. Figures without a ratio are named under the axis rather than drawn as zero.
 */
public final class RatioChart {

    private RatioChart() {
    }

    /** Writes the chart as PNG to {@code file}; returns false (and writes nothing) when no figure has a ratio. */
    public static boolean write(ResultTable table, Path file) throws IOException {
        List<String> labels = new ArrayList<>();
        List<Double> ratios = new ArrayList<>();
        List<String> withoutRatio = new ArrayList<>();
        for (ResultTable.Row row : table.rows()) {
            String label = label(row);
            if (row.ratio().value() == null) {
                withoutRatio.add(label);
            } else {
                labels.add(label);
                ratios.add(row.ratio().value());
            }
        }
        if (labels.isEmpty()) {
            return false;
        }
        System.setProperty("java.awt.headless", "true");
        CategoryChart chart = new CategoryChartBuilder()
                .width(1100).height(labels.size() > 4 ? 820 : 620)
                .title("Tern ÷ best peer (above 1: Tern ahead; the line marks parity)")
                .yAxisTitle("ratio")
                .xAxisTitle(withoutRatioNote(withoutRatio))
                .build();
        chart.getStyler().setLegendVisible(false);
        chart.getStyler().setLabelsVisible(true);
        chart.getStyler().setLabelsPosition(0.9);
        chart.getStyler().setDecimalPattern("0.00");
        chart.getStyler().setAvailableSpaceFill(Math.min(0.8, 0.25 * labels.size()));
        // Upright labels sit centred under their bars; slanted long ones drift under the neighbour's bar.
        chart.getStyler().setXAxisLabelRotation(labels.size() > 4 ? 90 : 0);
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setYAxisMax(Math.max(2.0, Math.ceil(ratios.stream().mapToDouble(d -> d).max().orElse(1) * 1.15)));
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setPlotGridVerticalLinesVisible(false);
        CategorySeries bars = chart.addSeries("Tern ÷ best peer", labels, ratios);
        bars.setFillColor(new Color(0x2b, 0x6c, 0xb0));
        // Parity drawn as a line across the plot, in data coordinates, whatever the number of bars.
        chart.addAnnotation(new AnnotationLine(1.0, false, false));
        BitmapEncoder.saveBitmapWithDPI(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG, 110);
        return true;
    }

    private static String withoutRatioNote(List<String> withoutRatio) {
        long scenarios = withoutRatio.stream().map(RatioChart::shortLabel).distinct().count();
        return scenarios == 0 ? "" : scenarios + (scenarios == 1 ? " other scenario has" : " other scenarios have")
                + " no ratio: see the table";
    }

    private static String label(ResultTable.Row row) {
        return row.scenario().metrics().size() == 1 ? row.scenario().id()
                : row.scenario().id() + " " + row.metric().id();
    }

    private static String shortLabel(String label) {
        int space = label.indexOf(' ');
        return space < 0 ? label : label.substring(0, space);
    }
}
