package io.github.fastgn.plot;

import java.awt.Font;
import java.awt.font.FontRenderContext;
import java.awt.font.TextLayout;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.github.fastgn.optim.IterationRecord;
import io.github.fastgn.optim.TrainingResult;
import org.knowm.xchart.AnnotationText;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.style.HeatMapStyler;

/**
 * Static factories for generic charts of training runs: loss curves, line charts, heat maps and
 * confusion matrices (for line charts of any other kind, see {@link LineChartBuilder}). Each
 * returns a fresh XChart chart ({@link XYChart} or {@link HeatMapChart}) of
 * {@link ChartStyle#DEFAULT_WIDTH} x
 * {@link ChartStyle#DEFAULT_HEIGHT} pixels in the {@link ChartStyle} look; the chart can still be
 * changed through XChart ({@code chart.setTitle(...)}, {@code chart.getStyler()...}) and is
 * rendered with {@link ChartExport}.
 *
 * <p><b>Data rules.</b> Series are kept in the iteration order of the map passed in (use a
 * {@link LinkedHashMap} for a fixed legend order). Non-finite points ({@code NaN}, infinities, as
 * after a divergence) are left out, and so are non-positive values on a logarithmic axis; a series
 * with no point left is left out of the chart, and a chart with no point left at all is rejected.
 * Inputs of the wrong shape (mismatched lengths, empty series, missing names) are rejected with
 * an {@link IllegalArgumentException} that names the series.
 *
 * <p><b>Colours.</b> Series named after a method get that method's colour in every chart
 * ({@link ChartStyle#colorOf(String)}); guarded variants are dashed in their method's colour.
 */
public final class Charts {

    /** Heat maps print cell values when they have at most this many rows and columns. */
    static final int MAX_LABELLED_CELLS_PER_SIDE = 20;

    /** What the x axis of {@link #lossCurves} measures. */
    public enum XAxis {
        /** {@link IterationRecord#iteration()}. */
        ITERATION("iteration", "iteration"),
        /** {@link IterationRecord#epoch()}: passes over the data. */
        EPOCH("epoch", "epoch"),
        /** {@link IterationRecord#elapsedSeconds()}: wall-clock time since training started. */
        SECONDS("wall-clock time (s)", "wall-clock time");

        private final String label;
        private final String shortName;

        XAxis(String label, String shortName) {
            this.label = label;
            this.shortName = shortName;
        }

        /** The axis title. */
        public String label() {
            return label;
        }

        double of(IterationRecord r) {
            switch (this) {
                case ITERATION:
                    return r.iteration();
                case EPOCH:
                    return r.epoch();
                case SECONDS:
                    return r.elapsedSeconds();
                default:
                    throw new AssertionError(this);
            }
        }
    }

    /** What the y axis of {@link #lossCurves} shows. */
    public enum YValue {
        /** {@link IterationRecord#objective()}, on a linear axis. */
        OBJECTIVE("objective", "Objective", false),
        /** {@code objective - f*}, on a log axis; needs the optimum {@code f*}. */
        OBJECTIVE_GAP("objective gap f - f*", "Objective gap", true),
        /** {@link IterationRecord#gradientNorm()}, on a log axis. */
        GRADIENT_NORM("gradient norm \u2016\u2207f\u2016", "Gradient norm", true);

        private final String label;
        private final String titleName;
        private final boolean log;

        YValue(String label, String titleName, boolean log) {
            this.label = label;
            this.titleName = titleName;
            this.log = log;
        }

        /** The axis title. */
        public String label() {
            return label;
        }

        /** Whether the y axis is logarithmic. */
        public boolean logarithmic() {
            return log;
        }

        double of(IterationRecord r, double fStar) {
            switch (this) {
                case OBJECTIVE:
                    return r.objective();
                case OBJECTIVE_GAP:
                    return r.objective() - fStar;
                case GRADIENT_NORM:
                    return r.gradientNorm();
                default:
                    throw new AssertionError(this);
            }
        }
    }

    private Charts() {
    }

    // ================================================================================ curves

    /**
     * Training curves of several runs, one line per run (one per method).
     *
     * @param runs  run name (the method) to its history, e.g. {@link TrainingResult#history()}
     * @param xAxis iteration, epoch or wall-clock seconds
     * @param y     objective (linear axis), objective gap or gradient norm (log axes, where
     *              non-positive values are left out)
     * @param fStar the optimal objective, used by {@link YValue#OBJECTIVE_GAP} only (must then be
     *              finite); ignored otherwise
     */
    public static XYChart lossCurves(Map<String, List<IterationRecord>> runs, XAxis xAxis, YValue y, double fStar) {
        Objects.requireNonNull(xAxis, "xAxis");
        Objects.requireNonNull(y, "y");
        requireNonEmpty(runs, "runs");
        if (y == YValue.OBJECTIVE_GAP && !Double.isFinite(fStar)) {
            throw new IllegalArgumentException("OBJECTIVE_GAP needs a finite fStar, got " + fStar);
        }
        LineChartBuilder lines = new LineChartBuilder().title(y.titleName + " vs " + xAxis.shortName)
                .xAxisTitle(xAxis.label).yAxisTitle(y.label).logY(y.log);
        for (Map.Entry<String, List<IterationRecord>> e : runs.entrySet()) {
            String name = requireName(e.getKey(), "runs");
            List<IterationRecord> history = e.getValue();
            if (history == null || history.isEmpty()) {
                throw new IllegalArgumentException("run \"" + name + "\" has an empty history");
            }
            double[] xs = new double[history.size()];
            double[] ys = new double[history.size()];
            for (int i = 0; i < xs.length; i++) {
                IterationRecord r = Objects.requireNonNull(history.get(i),
                        () -> "run \"" + name + "\" has a null record");
                xs[i] = xAxis.of(r);
                ys[i] = y.of(r, fStar);
            }
            lines.line(name, xs, ys);
        }
        if (xAxis == XAxis.SECONDS) {
            lines.xAxisMin(0.0);
        } else {
            lines.countingXAxisFromZero();
        }
        return lines.build();
    }

    /**
     * {@link #lossCurves(Map, XAxis, YValue, double)} for the objective or the gradient norm,
     * which need no {@code f*}.
     */
    public static XYChart lossCurves(Map<String, List<IterationRecord>> runs, XAxis xAxis, YValue y) {
        if (y == YValue.OBJECTIVE_GAP) {
            throw new IllegalArgumentException("OBJECTIVE_GAP needs fStar: use lossCurves(runs, xAxis, y, fStar)");
        }
        return lossCurves(runs, xAxis, y, Double.NaN);
    }

    /** The histories of several results, in the same order: the input of {@link #lossCurves}. */
    public static Map<String, List<IterationRecord>> histories(Map<String, TrainingResult> results) {
        requireNonEmpty(results, "results");
        Map<String, List<IterationRecord>> out = new LinkedHashMap<>();
        results.forEach((name, r) -> out.put(requireName(name, "results"),
                Objects.requireNonNull(r, () -> "result \"" + name + "\" is null").history()));
        return out;
    }

    /**
     * A generic line chart: one line per entry, whose value is {@code {x, y}} (two arrays of equal
     * length). Use it for accuracy against epochs, lambda traces and the like.
     */
    public static XYChart lines(String title, String xLabel, String yLabel, Map<String, double[][]> series,
                                boolean logX, boolean logY) {
        requireNonEmpty(series, "series");
        LineChartBuilder lines = new LineChartBuilder().title(title).xAxisTitle(xLabel).yAxisTitle(yLabel)
                .logX(logX).logY(logY);
        for (Map.Entry<String, double[][]> e : series.entrySet()) {
            String name = requireName(e.getKey(), "series");
            double[][] xy = e.getValue();
            if (xy == null || xy.length != 2 || xy[0] == null || xy[1] == null) {
                throw new IllegalArgumentException("series \"" + name + "\" must be {x, y}: two arrays");
            }
            lines.line(name, xy[0], xy[1]);
        }
        return lines.build();
    }

    // ================================================================================ heat maps

    /**
     * A heat map of {@code values[row][column]}. Row {@code i} is drawn at {@code yLabels[i]},
     * row 0 at the bottom (like a y axis); column {@code j} at {@code xLabels[j]}. {@code NaN}
     * cells are left blank. The colour bar spans the finite values rounded outwards; cells print
     * their value (two decimals, or none for whole numbers) when the grid has at most
     * {@value #MAX_LABELLED_CELLS_PER_SIDE} rows and columns.
     *
     * @param valueLabel what the colour means; names the series and is printed above the colour bar
     */
    public static HeatMapChart heatmap(String title, String[] xLabels, String[] yLabels, double[][] values,
                                       String valueLabel) {
        requireLabels(xLabels, "xLabels");
        requireLabels(yLabels, "yLabels");
        Objects.requireNonNull(values, "values");
        String label = requireName(valueLabel, "valueLabel");
        if (values.length != yLabels.length) {
            throw new IllegalArgumentException("values has " + values.length + " rows but there are "
                    + yLabels.length + " yLabels");
        }
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        boolean integral = true;
        List<Number[]> cells = new ArrayList<>();
        for (int i = 0; i < values.length; i++) {
            if (values[i] == null || values[i].length != xLabels.length) {
                throw new IllegalArgumentException("values row " + i + " has "
                        + (values[i] == null ? "no" : String.valueOf(values[i].length)) + " entries but there are "
                        + xLabels.length + " xLabels");
            }
            for (int j = 0; j < xLabels.length; j++) {
                double v = values[i][j];
                if (Double.isNaN(v)) {
                    continue;
                }
                if (Double.isInfinite(v)) {
                    throw new IllegalArgumentException("values[" + i + "][" + j + "] is " + v
                            + "; use NaN for a blank cell");
                }
                min = Math.min(min, v);
                max = Math.max(max, v);
                integral &= v == Math.rint(v);
                cells.add(new Number[] {j, i, v});
            }
        }
        if (cells.isEmpty()) {
            throw new IllegalArgumentException("heat map \"" + title + "\" has no finite value");
        }
        HeatMapChart chart = new HeatMapChartBuilder()
                .width(ChartStyle.DEFAULT_WIDTH).height(ChartStyle.DEFAULT_HEIGHT)
                .title(title == null ? "" : title).build();
        ChartStyle.apply(chart);
        chart.addSeries(label, Arrays.asList(xLabels), Arrays.asList(yLabels), cells);

        double[] range = niceRange(min, max);
        HeatMapStyler s = chart.getStyler();
        s.setMin(range[0]);
        s.setMax(range[1]);
        if (xLabels.length <= MAX_LABELLED_CELLS_PER_SIDE && yLabels.length <= MAX_LABELLED_CELLS_PER_SIDE) {
            s.setShowValue(true);
            s.setValueFont(ChartStyle.font(Font.PLAIN, xLabels.length <= 10 ? ChartStyle.LABEL_SIZE : 10f));
            s.setHeatMapValueDecimalPattern(integral ? "0" : "0.00");
        }
        if (longestLabel(xLabels) * xLabels.length > 70) {
            s.setXAxisLabelRotation(45);
        }
        addColourBarCaption(chart, label);
        return chart;
    }

    /**
     * A confusion matrix: {@code counts[t][p]} examples of true class {@code t} predicted as
     * {@code p}, true classes top to bottom, predicted classes left to right, counts printed in
     * the cells (up to {@value #MAX_LABELLED_CELLS_PER_SIDE} classes).
     */
    public static HeatMapChart confusionMatrix(int[][] counts, String[] classNames) {
        Objects.requireNonNull(counts, "counts");
        requireLabels(classNames, "classNames");
        int k = classNames.length;
        if (counts.length != k) {
            throw new IllegalArgumentException("counts has " + counts.length + " rows but there are " + k + " class names");
        }
        double[][] rowsBottomUp = new double[k][];
        String[] yBottomUp = new String[k];
        for (int t = 0; t < k; t++) {
            if (counts[t] == null || counts[t].length != k) {
                throw new IllegalArgumentException("counts row " + t + " has "
                        + (counts[t] == null ? "no" : String.valueOf(counts[t].length)) + " entries, expected " + k);
            }
            double[] row = new double[k];
            for (int p = 0; p < k; p++) {
                if (counts[t][p] < 0) {
                    throw new IllegalArgumentException("counts[" + t + "][" + p + "] = " + counts[t][p] + " is negative");
                }
                row[p] = counts[t][p];
            }
            rowsBottomUp[k - 1 - t] = row;
            yBottomUp[k - 1 - t] = classNames[t];
        }
        HeatMapChart chart = heatmap("Confusion matrix", classNames, yBottomUp, rowsBottomUp, "count");
        chart.setXAxisTitle("predicted class");
        chart.setYAxisTitle("true class");
        double max = Arrays.stream(rowsBottomUp).flatMapToDouble(Arrays::stream).max().orElse(0);
        chart.getStyler().setMin(0);
        chart.getStyler().setMax(max > 0 ? niceRange(0, max)[1] : 1);
        return chart;
    }

    // ================================================================================ helpers

    /**
     * {@code [lo, hi]} containing {@code [min, max]}, rounded outwards to one significant digit of
     * the span so that the colour bar prints short numbers.
     */
    static double[] niceRange(double min, double max) {
        if (min == max) {
            double pad = min == 0 ? 1 : Math.abs(min) * 0.1;
            return niceRange(min - pad, max + pad);
        }
        int exp = (int) Math.floor(Math.log10(max - min));
        BigDecimal lo = BigDecimal.valueOf(Math.floor(min / Math.pow(10, exp))).scaleByPowerOfTen(exp);
        BigDecimal hi = BigDecimal.valueOf(Math.ceil(max / Math.pow(10, exp))).scaleByPowerOfTen(exp);
        return new double[] {lo.doubleValue(), hi.doubleValue()};
    }

    /**
     * Short labels for parameter values: {@code 0.5}, {@code 8}, {@code 1e-4}, {@code 2.5e-5}
     * (three significant digits at most, plain between {@code 1e-3} and {@code 1e5}).
     */
    public static String formatNumber(double v) {
        if (!Double.isFinite(v)) {
            return String.valueOf(v);
        }
        if (v == 0) {
            return "0";
        }
        BigDecimal bd = new BigDecimal(v).round(new MathContext(3)).stripTrailingZeros();
        double a = Math.abs(v);
        if (a >= 1e-3 && a < 1e5) {
            return bd.toPlainString();
        }
        int exp = bd.precision() - bd.scale() - 1;
        return bd.movePointLeft(exp).stripTrailingZeros().toPlainString() + "e" + exp;
    }

    /** {@link #formatNumber(double)} of each value, e.g. the axis labels of a heat map. */
    public static String[] numberLabels(double[] values) {
        Objects.requireNonNull(values, "values");
        String[] out = new String[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = formatNumber(values[i]);
        }
        return out;
    }

    /** Prints the value label at the top right, above the colour bar. */
    private static void addColourBarCaption(HeatMapChart chart, String label) {
        Font f = chart.getStyler().getAnnotationTextFont();
        double[] wh = ChartExport.render(() -> {
            var bounds = new TextLayout(label, f, new FontRenderContext(null, true, false)).getBounds();
            return new double[] {bounds.getWidth(), bounds.getHeight()};
        });
        int pad = chart.getStyler().getChartPadding();
        double x = chart.getWidth() - pad - wh[0] / 2;
        double yFromBottom = chart.getHeight() - pad - ChartStyle.TITLE_SIZE / 2 - 2;
        chart.addAnnotation(new AnnotationText(label, x, yFromBottom, true));
    }

    private static int longestLabel(String[] labels) {
        int n = 0;
        for (String s : labels) {
            n = Math.max(n, s.length());
        }
        return n;
    }

    private static <V> void requireNonEmpty(Map<String, V> map, String what) {
        Objects.requireNonNull(map, what);
        if (map.isEmpty()) {
            throw new IllegalArgumentException(what + " is empty: nothing to plot");
        }
    }

    private static String requireName(String name, String what) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException(what + " has a null or blank name");
        }
        return name;
    }

    private static void requireLabels(String[] labels, String what) {
        Objects.requireNonNull(labels, what);
        if (labels.length == 0) {
            throw new IllegalArgumentException(what + " is empty");
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] == null) {
                throw new IllegalArgumentException(what + "[" + i + "] is null");
            }
        }
    }

    static void requireSameLength(String series, String aName, double[] a, String bName, double[] b) {
        if (a == null || b == null) {
            throw new IllegalArgumentException("series \"" + series + "\": " + (a == null ? aName : bName) + " is null");
        }
        if (a.length == 0 || b.length == 0) {
            throw new IllegalArgumentException("series \"" + series + "\" is empty");
        }
        if (a.length != b.length) {
            throw new IllegalArgumentException("series \"" + series + "\": " + aName + " has " + a.length
                    + " values but " + bName + " has " + b.length);
        }
    }
}
