package io.github.fastgn.plot;

import java.awt.Color;
import java.awt.Font;
import java.awt.font.FontRenderContext;
import java.awt.font.TextLayout;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.github.fastgn.optim.IterationRecord;
import io.github.fastgn.optim.TrainingResult;
import org.knowm.xchart.AnnotationLine;
import org.knowm.xchart.AnnotationText;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.HeatMapStyler;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Static factories for the charts of the FGN experiments. Each returns a fresh XChart chart
 * ({@link XYChart} or {@link HeatMapChart}) of {@link ChartStyle#DEFAULT_WIDTH} x
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
 * ({@link ChartStyle#colorOf(String)}); guarded variants and model lines are dashed.
 */
public final class Charts {

    private static final String TAU = "\u03C4";
    private static final String LAMBDA = "\u03BB";
    private static final String DELTA = "\u0394";
    private static final String NORM_Q2 = "\u2016q\u2016\u00B2";
    private static final String COSINE = "cos(s_FGN, s_GGN)";

    /** Name of the shaded spike-window series in {@link #spikeTraces(Map, int, int)}. */
    public static final String SPIKE_SERIES = "LR spike";
    /** Suffix of the model series in {@link #costVsK(Map, Map, int[])}. */
    public static final String MODEL_SUFFIX = " (model)";
    /** Suffix of the loss-change series in {@link #phaseTransition(double[], Map, Map)}. */
    public static final String DELTA_LOSS_SUFFIX = " (" + DELTA + "loss)";

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

    // ================================================================================ (b) curves

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
        XYChart chart = xyChart(y.titleName + " vs " + xAxis.shortName, xAxis.label, y.label);
        Lines lines = new Lines(chart, false, y.log);
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
            lines.add(name, name, xs, ys, ChartStyle.isGuardedVariant(name));
        }
        if (xAxis == XAxis.SECONDS) {
            chart.getStyler().setXAxisMin(0.0);
        } else {
            countingAxisFromZero(chart);
        }
        return lines.finish();
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
        XYChart chart = xyChart(title, xLabel, yLabel);
        Lines lines = new Lines(chart, logX, logY);
        for (Map.Entry<String, double[][]> e : series.entrySet()) {
            String name = requireName(e.getKey(), "series");
            double[][] xy = e.getValue();
            if (xy == null || xy.length != 2 || xy[0] == null || xy[1] == null) {
                throw new IllegalArgumentException("series \"" + name + "\" must be {x, y}: two arrays");
            }
            requireSameLength(name, "x", xy[0], "y", xy[1]);
            lines.add(name, name, xy[0], xy[1], ChartStyle.isGuardedVariant(name));
        }
        return lines.finish();
    }

    // ================================================================================ (a) mechanism

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
     * The cosine between the FGN and the full-GGN step over competitor concentration and damping:
     * {@code cosine[i][j]} at {@code lambdas[i]} (rows, bottom to top) and {@code taus[j]}
     * (columns). The same matrix feeds {@link #cosineLines}.
     */
    public static HeatMapChart cosineHeatmap(double[] taus, double[] lambdas, double[][] cosine) {
        Objects.requireNonNull(taus, "taus");
        Objects.requireNonNull(lambdas, "lambdas");
        HeatMapChart chart = heatmap("Step cosine over (" + TAU + ", " + LAMBDA + ")", numberLabels(taus),
                numberLabels(lambdas), cosine, COSINE);
        chart.setXAxisTitle("competitor concentration " + TAU);
        chart.setYAxisTitle("damping " + LAMBDA);
        return chart;
    }

    /**
     * The cosine between the FGN and the full-GGN step against the mean competitor concentration
     * {@code mean ||q||^2}, one line per damping: {@code cosine[i][j]} is the cosine at
     * {@code lambdas[i]} and at the logits whose mean {@code ||q||^2} is {@code meanQSquared[j]}.
     * Points are joined in increasing {@code meanQSquared}; lines are coloured from dark (first
     * lambda) to light (last).
     */
    public static XYChart cosineLines(double[] meanQSquared, double[] lambdas, double[][] cosine) {
        Objects.requireNonNull(meanQSquared, "meanQSquared");
        Objects.requireNonNull(lambdas, "lambdas");
        Objects.requireNonNull(cosine, "cosine");
        if (lambdas.length == 0) {
            throw new IllegalArgumentException("lambdas is empty");
        }
        if (cosine.length != lambdas.length) {
            throw new IllegalArgumentException("cosine has " + cosine.length + " rows but there are "
                    + lambdas.length + " lambdas");
        }
        XYChart chart = xyChart("Step cosine vs competitor concentration", "mean " + NORM_Q2, COSINE);
        Lines lines = new Lines(chart, false, false);
        Color[] colors = ChartStyle.sequentialColors(lambdas.length);
        Integer[] order = new Integer[meanQSquared.length];
        for (int j = 0; j < order.length; j++) {
            order[j] = j;
        }
        Arrays.sort(order, Comparator.comparingDouble(j -> meanQSquared[j]));
        for (int i = 0; i < lambdas.length; i++) {
            String name = LAMBDA + " = " + formatNumber(lambdas[i]);
            requireSameLength(name, "meanQSquared", meanQSquared, "cosine row", cosine[i]);
            double[] xs = new double[order.length];
            double[] ys = new double[order.length];
            for (int k = 0; k < order.length; k++) {
                xs[k] = meanQSquared[order[k]];
                ys[k] = cosine[i][order[k]];
            }
            lines.add(name, colors[i], xs, ys, false);
        }
        return lines.finish();
    }

    // ================================================================================ (c) cost vs K

    /**
     * Per-step time against the number of classes on log-log axes: one solid line per measured
     * method and, beside it, a dashed line of the same colour for its flop model (named
     * {@code method + }{@value #MODEL_SUFFIX}). {@code NaN} marks a K that was not run.
     *
     * @param measuredSeconds method to seconds per step, one entry per K
     * @param modelSeconds    method to modelled seconds per step, one entry per K; may be
     *                        {@code null} or empty, and may hold methods that were not measured
     * @param ks              the numbers of classes (positive)
     */
    public static XYChart costVsK(Map<String, double[]> measuredSeconds, Map<String, double[]> modelSeconds,
                                  int[] ks) {
        Objects.requireNonNull(ks, "ks");
        if (ks.length == 0) {
            throw new IllegalArgumentException("ks is empty");
        }
        double[] x = new double[ks.length];
        for (int i = 0; i < ks.length; i++) {
            if (ks[i] < 1) {
                throw new IllegalArgumentException("ks[" + i + "] = " + ks[i] + "; the number of classes must be >= 1");
            }
            x[i] = ks[i];
        }
        requireNonEmpty(measuredSeconds, "measuredSeconds");
        XYChart chart = xyChart("Per-step time vs number of classes", "number of classes K", "time per step (s)");
        Lines lines = new Lines(chart, true, true);
        Map<String, double[]> models = modelSeconds == null ? Map.of() : modelSeconds;
        for (String method : models.keySet()) {
            requireName(method, "modelSeconds");
            if (measuredSeconds.containsKey(method + MODEL_SUFFIX)) {
                throw new IllegalArgumentException("series name \"" + method + MODEL_SUFFIX + "\" is used twice");
            }
        }
        // each model line right after its measured line, so the legend pairs them
        for (Map.Entry<String, double[]> e : measuredSeconds.entrySet()) {
            String name = requireName(e.getKey(), "measuredSeconds");
            requireSameLength(name, "ks", x, "seconds", e.getValue());
            lines.add(name, name, x, e.getValue(), false);
            if (models.containsKey(name)) {
                addModel(lines, name, x, models.get(name));
            }
        }
        for (Map.Entry<String, double[]> e : models.entrySet()) {
            if (!measuredSeconds.containsKey(e.getKey())) {
                addModel(lines, e.getKey(), x, e.getValue());
            }
        }
        return lines.finish();
    }

    private static void addModel(Lines lines, String method, double[] x, double[] seconds) {
        String name = method + MODEL_SUFFIX;
        requireSameLength(name, "ks", x, "seconds", seconds);
        lines.add(name, method, x, seconds, true);
    }

    // ================================================================================ (d) safe step

    /**
     * Loss against step under a learning-rate spike that starts at {@code spikeStart} and lasts
     * to the end of the run (EXPERIMENTS.md (d1)). See {@link #spikeTraces(Map, int, int)}.
     */
    public static XYChart spikeTraces(Map<String, double[]> lossPerStep, int spikeStart) {
        requireNonEmpty(lossPerStep, "lossPerStep");
        int last = 0;
        for (double[] v : lossPerStep.values()) {
            last = Math.max(last, v == null ? 0 : v.length - 1);
        }
        // a spikeStart past the end is reported by the full method
        return spikeTraces(lossPerStep, spikeStart, Math.max(last, spikeStart));
    }

    /**
     * Loss against step, one line per method (guarded variants dashed in the colour of their
     * method), on a log y axis, with the spike window {@code [spikeStart, spikeEnd]} shaded (series
     * {@value #SPIKE_SERIES}) and a dashed vertical line where it starts. {@code lossPerStep[i]} is
     * plotted at step {@code i}; losses that became non-finite (divergence) end the line there.
     */
    public static XYChart spikeTraces(Map<String, double[]> lossPerStep, int spikeStart, int spikeEnd) {
        return spikeTraces("Loss under a learning-rate spike", SPIKE_SERIES, lossPerStep, spikeStart, spikeEnd);
    }

    /**
     * As {@link #spikeTraces(Map, int, int)} with another title and another name for the shaded
     * window (for example a damping spike instead of a learning-rate spike).
     */
    public static XYChart spikeTraces(String title, String windowLabel, Map<String, double[]> lossPerStep,
                                      int spikeStart, int spikeEnd) {
        requireNonEmpty(lossPerStep, "lossPerStep");
        requireName(windowLabel, "windowLabel");
        if (spikeStart < 0 || spikeEnd < spikeStart) {
            throw new IllegalArgumentException("need 0 <= spikeStart <= spikeEnd, got " + spikeStart + ", " + spikeEnd);
        }
        XYChart chart = xyChart(title, "step", "training loss");
        Lines lines = new Lines(chart, false, true);
        lines.shadeLabel = windowLabel;
        int longest = 0;
        for (Map.Entry<String, double[]> e : lossPerStep.entrySet()) {
            String name = requireName(e.getKey(), "lossPerStep");
            double[] loss = e.getValue();
            if (loss == null || loss.length == 0) {
                throw new IllegalArgumentException("series \"" + name + "\" is empty");
            }
            if (windowLabel.equals(name)) {
                throw new IllegalArgumentException("series name \"" + windowLabel + "\" is reserved for the spike window");
            }
            longest = Math.max(longest, loss.length);
            double[] steps = new double[loss.length];
            for (int i = 0; i < steps.length; i++) {
                steps[i] = i;
            }
            lines.add(name, name, steps, loss, ChartStyle.isGuardedVariant(name));
        }
        if (spikeStart > longest - 1) {
            throw new IllegalArgumentException("spikeStart " + spikeStart + " is after the last step " + (longest - 1));
        }
        lines.shade(spikeStart, Math.min(spikeEnd, longest - 1));
        countingAxisFromZero(chart);
        chart.addAnnotation(new AnnotationLine(spikeStart, true, false));
        return lines.finish();
    }

    /**
     * The one-step phase transition (EXPERIMENTS.md (d3)): from a trained point, one step of length
     * {@code tau = r * rho_a} along each direction. Retained accuracy (left axis, solid) and, if
     * given, the change in loss (right axis, dashed, series {@code name + }{@value #DELTA_LOSS_SUFFIX})
     * against {@code r} on a log x axis, with a dashed vertical line at {@code r = 1}.
     *
     * @param r                 step lengths relative to the Ghosts radius (positive)
     * @param retainedAccuracy  direction (gradient, FGN, Adam, random, ...) to accuracy, one entry per r
     * @param deltaLoss         direction to loss change, one entry per r; may be {@code null} or empty
     */
    public static XYChart phaseTransition(double[] r, Map<String, double[]> retainedAccuracy,
                                          Map<String, double[]> deltaLoss) {
        Objects.requireNonNull(r, "r");
        if (r.length == 0) {
            throw new IllegalArgumentException("r is empty");
        }
        for (int i = 0; i < r.length; i++) {
            if (!(r[i] > 0) || Double.isInfinite(r[i])) {
                throw new IllegalArgumentException("r[" + i + "] = " + r[i] + "; r must be positive and finite (log axis)");
            }
        }
        requireNonEmpty(retainedAccuracy, "retainedAccuracy");
        XYChart chart = xyChart("One-step phase transition", "r = " + TAU + " / " + "\u03C1_a", "retained test accuracy");
        Lines lines = new Lines(chart, true, false);
        for (Map.Entry<String, double[]> e : retainedAccuracy.entrySet()) {
            String name = requireName(e.getKey(), "retainedAccuracy");
            requireSameLength(name, "r", r, "accuracy", e.getValue());
            lines.add(name, name, r, e.getValue(), false);
        }
        if (deltaLoss != null && !deltaLoss.isEmpty()) {
            chart.getStyler().setYAxisGroupPosition(1, Styler.YAxisPosition.Right);
            chart.setYAxisGroupTitle(1, DELTA + "loss");
            for (Map.Entry<String, double[]> e : deltaLoss.entrySet()) {
                String method = requireName(e.getKey(), "deltaLoss");
                String name = method + DELTA_LOSS_SUFFIX;
                requireSameLength(name, "r", r, DELTA + "loss", e.getValue());
                lines.add(name, lines.colors.colorFor(method), r, e.getValue(), true, 1);
            }
        }
        double rMin = Arrays.stream(r).min().getAsDouble();
        double rMax = Arrays.stream(r).max().getAsDouble();
        if (rMin <= 1.0 && 1.0 <= rMax) {
            chart.addAnnotation(new AnnotationLine(1.0, true, false));
        }
        return lines.finish();
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

    private static XYChart xyChart(String title, String xLabel, String yLabel) {
        XYChart chart = new XYChartBuilder()
                .width(ChartStyle.DEFAULT_WIDTH).height(ChartStyle.DEFAULT_HEIGHT)
                .title(title == null ? "" : title)
                .xAxisTitle(xLabel == null ? "" : xLabel)
                .yAxisTitle(yLabel == null ? "" : yLabel)
                .build();
        ChartStyle.apply(chart);
        return chart;
    }

    /**
     * Starts an x axis of counts (iterations, epochs, steps) at 0 with round tick labels. XChart
     * labels an axis whose x values are equally spaced (as counts are) at every k-th value, which
     * gives ticks like 1, 15, 29; an axis minimum a hair below 0 breaks that spacing, so it falls
     * back to its round-number ticks (0, 50, 100). The offset is invisible at any count range.
     * (Linear x axes of other charts get the same offset below their smallest x when they span at
     * least 1.)
     */
    private static void countingAxisFromZero(XYChart chart) {
        chart.getStyler().setXAxisMin(-1e-3);
    }

    /**
     * Collects the lines of one XY chart, filtering points for the axes and tracking the plotted
     * range; {@link #finish()} adds them to the chart (after the shaded window, if any, so that
     * the lines are drawn over it) and sets up the log axes.
     */
    private static final class Lines {
        private final XYChart chart;
        private final boolean logX;
        private final boolean logY;
        private final SeriesColors colors = new SeriesColors();
        private final Map<String, Line> pending = new LinkedHashMap<>();
        private double xMin = Double.POSITIVE_INFINITY;
        private double xMax = Double.NEGATIVE_INFINITY;
        private double yMin = Double.POSITIVE_INFINITY;
        private double yMax = Double.NEGATIVE_INFINITY;
        private double[] shade;

        private record Line(double[] x, double[] y, Color color, boolean dashed, int yAxisGroup) {
        }

        Lines(XYChart chart, boolean logX, boolean logY) {
            this.chart = chart;
            this.logX = logX;
            this.logY = logY;
        }

        /** Adds a line coloured as method {@code colorKey}, on the main y axis. */
        void add(String name, String colorKey, double[] x, double[] y, boolean dashed) {
            add(name, colors.colorFor(colorKey), x, y, dashed, 0);
        }

        void add(String name, Color color, double[] x, double[] y, boolean dashed) {
            add(name, color, x, y, dashed, 0);
        }

        void add(String name, Color color, double[] x, double[] y, boolean dashed, int yAxisGroup) {
            if (pending.containsKey(name)) {
                throw new IllegalArgumentException("series name \"" + name + "\" is used twice");
            }
            double[][] kept = keep(x, y, logX, logY);
            if (kept[0].length == 0) {
                return; // nothing this axis can show: the series is left out
            }
            for (int i = 0; i < kept[0].length; i++) {
                xMin = Math.min(xMin, kept[0][i]);
                xMax = Math.max(xMax, kept[0][i]);
                if (yAxisGroup == 0) {
                    yMin = Math.min(yMin, kept[1][i]);
                    yMax = Math.max(yMax, kept[1][i]);
                }
            }
            pending.put(name, new Line(kept[0], kept[1], color, dashed, yAxisGroup));
        }

        /** Legend name of the shaded window. */
        String shadeLabel = SPIKE_SERIES;

        /** Shades {@code [from, to]} across the plotted y range, beneath the lines. */
        void shade(double from, double to) {
            shade = new double[] {from, to};
        }

        XYChart finish() {
            if (pending.isEmpty()) {
                throw new IllegalArgumentException("nothing to plot: every point is non-finite"
                        + (logX || logY ? " or non-positive on a log axis" : ""));
            }
            if (shade != null && shade[1] > shade[0] && yMax >= yMin) {
                XYSeries area = chart.addSeries(shadeLabel, new double[] {shade[0], shade[0], shade[1], shade[1]},
                        new double[] {yMin, yMax, yMax, yMin});
                area.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.PolygonArea);
                area.setMarker(SeriesMarkers.NONE);
                area.setFillColor(ChartStyle.SHADE);
                area.setLineColor(ChartStyle.SHADE);
                area.setLineStyle(SeriesLines.NONE);
            }
            pending.forEach((name, line) -> {
                XYSeries s = chart.addSeries(name, line.x(), line.y());
                ChartStyle.styleLine(s, line.color(), line.dashed());
                s.setYAxisGroup(line.yAxisGroup());
            });
            if (logX) {
                ChartStyle.logX(chart, xMin, xMax);
            } else if (chart.getStyler().getXAxisMin() == null && xMax - xMin >= 1) {
                // see countingAxisFromZero: round ticks also when the x values are equally spaced
                chart.getStyler().setXAxisMin(xMin - 1e-3);
            }
            if (logY) {
                ChartStyle.logY(chart, yMin, yMax);
            }
            return chart;
        }
    }

    /** The points with finite coordinates that a log axis can show. */
    static double[][] keep(double[] x, double[] y, boolean logX, boolean logY) {
        int n = 0;
        boolean[] ok = new boolean[x.length];
        for (int i = 0; i < x.length; i++) {
            ok[i] = Double.isFinite(x[i]) && Double.isFinite(y[i]) && (!logX || x[i] > 0) && (!logY || y[i] > 0);
            if (ok[i]) {
                n++;
            }
        }
        double[] kx = new double[n];
        double[] ky = new double[n];
        for (int i = 0, k = 0; i < x.length; i++) {
            if (ok[i]) {
                kx[k] = x[i];
                ky[k] = y[i];
                k++;
            }
        }
        return new double[][] {kx, ky};
    }

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

    /** Short labels for parameter values: {@code 0.5}, {@code 8}, {@code 1e-4}, {@code 2.5e-5}. */
    static String formatNumber(double v) {
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

    static String[] numberLabels(double[] values) {
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

    private static void requireSameLength(String series, String aName, double[] a, String bName, double[] b) {
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
