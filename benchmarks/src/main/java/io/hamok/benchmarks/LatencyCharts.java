// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.benchmarks;

import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.text.FieldPosition;
import java.text.NumberFormat;
import java.text.ParsePosition;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The charts of {@link FixedRateRig}, drawn from the files it wrote into a directory, so that they
 * can be drawn again without measuring (headless; JFreeChart):
 *
 * <ul>
 *   <li>{@value #VS_THROUGHPUT}: p50, p99 and p99.9 latency (log scale) against the achieved
 *       throughput, one line per target and percentile, from {@code fixed-rate.csv};</li>
 *   <li>{@code latency-distribution-<target>.png}: the latency percentile distribution of each load
 *       level, as HdrHistogram plots it: x is {@code 1/(1 - percentile)} on a log scale (labelled
 *       90%, 99%, 99.9% ...), y the latency (log scale), from the {@code <target>-<level>pct.hgrm}
 *       files.</li>
 * </ul>
 *
 * <p>Run: {@code java -Djava.awt.headless=true -cp benchmarks/target/benchmarks.jar io.hamok.benchmarks.LatencyCharts [dir]}
 * (default {@code benchmarks/results}).
 */
public final class LatencyCharts {
    static final String VS_THROUGHPUT = "latency-vs-throughput.png";
    private static final int WIDTH = 1000;
    private static final int HEIGHT = 600;
    /** Strong colours that stay apart on white (JFreeChart's defaults include yellow and light cyan). */
    private static final Color[] PALETTE = {new Color(0x1F77B4), new Color(0xD62728), new Color(0x2CA02C),
        new Color(0xFF7F0E), new Color(0x9467BD), new Color(0x8C564B), new Color(0xE377C2), new Color(0x7F7F7F),
        new Color(0xBCBD22), new Color(0x17BECF), Color.BLACK};

    private LatencyCharts() {
    }

    public static void main(String[] args) throws IOException {
        plot(Path.of(args.length > 0 ? args[0] : "benchmarks/results"));
    }

    /** Draws both charts from the files in {@code dir}. */
    static void plot(Path dir) throws IOException {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
        plotAgainstThroughput(dir);
        plotDistributions(dir);
    }

    private static void plotAgainstThroughput(Path dir) throws IOException {
        final Map<String, XYSeries> series = new LinkedHashMap<>();
        final List<String> lines = Files.readAllLines(dir.resolve(FixedRateRig.SUMMARY));
        final List<String> header = List.of(lines.get(0).split(","));
        final int achieved = header.indexOf("achieved_per_s");
        final String[] columns = {"p50_us", "p99_us", "p99_9_us"};
        final String[] labels = {"p50", "p99", "p99.9"};
        for (String line : lines.subList(1, lines.size())) {
            final String[] row = line.split(",");
            for (int c = 0; c < columns.length; c++) {
                final double us = Double.parseDouble(row[header.indexOf(columns[c])]);
                if (us > 0) {
                    series.computeIfAbsent(row[0] + " " + labels[c], name -> new XYSeries(name, false))
                            .add(Double.parseDouble(row[achieved]), us);
                }
            }
        }
        final XYSeriesCollection data = new XYSeriesCollection();
        series.values().forEach(data::addSeries);
        final JFreeChart chart = ChartFactory.createXYLineChart("Latency against throughput (fixed offered rate,"
                + " corrected for coordinated omission)", "achieved throughput (operations/s)", "latency (µs)", data,
                PlotOrientation.VERTICAL, true, false, false);
        final XYPlot plot = style(chart);
        plot.setRangeAxis(logAxis("latency (µs)"));
        ((NumberAxis) plot.getDomainAxis()).setNumberFormatOverride(new DecimalFormat("#,##0"));
        ((XYLineAndShapeRenderer) plot.getRenderer()).setDefaultShapesVisible(true);
        ChartUtils.saveChartAsPNG(dir.resolve(VS_THROUGHPUT).toFile(), chart, WIDTH, HEIGHT);
    }

    private static void plotDistributions(Path dir) throws IOException {
        final Map<String, XYSeriesCollection> byTarget = new LinkedHashMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith("pct.hgrm")).sorted().toList()) {
                final String name = file.getFileName().toString();
                final int dash = name.lastIndexOf('-');
                final String target = name.substring(0, dash);
                final int percent = Integer.parseInt(name.substring(dash + 1, name.length() - "pct.hgrm".length()));
                final XYSeries series = readDistribution(file, percent + "% of max");
                if (series.getItemCount() > 0) {
                    byTarget.computeIfAbsent(target, t -> new XYSeriesCollection()).addSeries(series);
                }
            }
        }
        for (Map.Entry<String, XYSeriesCollection> e : byTarget.entrySet()) {
            final JFreeChart chart = ChartFactory.createXYLineChart("Latency by percentile, " + e.getKey()
                    + ", per offered load", "percentile", "latency (µs)", e.getValue(),
                    PlotOrientation.VERTICAL, true, false, false);
            final XYPlot plot = style(chart);
            final LogAxis percentiles = logAxis("percentile");
            percentiles.setNumberFormatOverride(new PercentileFormat());
            plot.setDomainAxis(percentiles);
            plot.setRangeAxis(logAxis("latency (µs)"));
            ((XYLineAndShapeRenderer) plot.getRenderer()).setDefaultShapesVisible(false);
            ChartUtils.saveChartAsPNG(dir.resolve("latency-distribution-" + e.getKey() + ".png").toFile(), chart,
                    WIDTH, HEIGHT);
        }
    }

    /**
     * The (1/(1-percentile), value) points of HdrHistogram's percentile output: lines of value,
     * percentile, total count and 1/(1-percentile); the last line (100%) has no finite x and is left out.
     */
    static XYSeries readDistribution(Path file, String name) throws IOException {
        final XYSeries series = new XYSeries(name, false);
        for (String line : Files.readAllLines(file)) {
            final String[] f = line.trim().split("\\s+");
            if (f.length == 4 && !line.startsWith("#") && Character.isDigit(f[0].charAt(0))) {
                try {
                    final double x = Double.parseDouble(f[3]);
                    final double value = Double.parseDouble(f[0]);
                    if (Double.isFinite(x) && value > 0) {
                        series.add(x, value);
                    }
                } catch (NumberFormatException header) {
                    // not a data line
                }
            }
        }
        return series;
    }

    private static XYPlot style(JFreeChart chart) {
        final XYPlot plot = chart.getXYPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.GRAY);
        plot.setRangeGridlinePaint(Color.GRAY);
        plot.setDomainMinorGridlinesVisible(true);
        plot.setRangeMinorGridlinesVisible(true);
        plot.setDomainMinorGridlinePaint(new Color(0xE0E0E0));
        plot.setRangeMinorGridlinePaint(new Color(0xE0E0E0));
        final XYLineAndShapeRenderer renderer = (XYLineAndShapeRenderer) plot.getRenderer();
        for (int i = 0; i < PALETTE.length; i++) {
            renderer.setSeriesPaint(i, PALETTE[i]);
            renderer.setSeriesStroke(i, new BasicStroke(2f));
        }
        return plot;
    }

    /** Ticks at every power of ten, minor ticks (and grid lines) at 2 ... 9 times it. */
    private static LogAxis logAxis(String label) {
        final LogAxis axis = new LogAxis(label);
        axis.setBase(10);
        axis.setSmallestValue(1);
        axis.setTickUnit(new NumberTickUnit(1)); // one decade
        axis.setMinorTickCount(9);
        axis.setMinorTickMarksVisible(true);
        axis.setNumberFormatOverride(new DecimalFormat("#,##0.#"));
        return axis;
    }

    /** Labels {@code x = 1/(1-p)} as the percentile {@code p}: 10 is 90%, 1000 is 99.9%. */
    static final class PercentileFormat extends NumberFormat {
        private static final long serialVersionUID = 1L;

        @Override
        public StringBuffer format(double x, StringBuffer to, FieldPosition pos) {
            final double percent = 100 * (1 - 1 / x);
            return to.append(new DecimalFormat("0.#####").format(percent)).append('%');
        }

        @Override
        public StringBuffer format(long x, StringBuffer to, FieldPosition pos) {
            return format((double) x, to, pos);
        }

        @Override
        public Number parse(String source, ParsePosition pos) {
            throw new UnsupportedOperationException("labels only");
        }
    }
}
