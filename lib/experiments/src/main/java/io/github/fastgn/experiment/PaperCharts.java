package io.github.fastgn.experiment;

import io.github.fastgn.plot.ChartStyle;
import io.github.fastgn.plot.Charts;
import io.github.fastgn.plot.LineChartBuilder;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.XYChart;

import java.awt.Color;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Map;
import java.util.Objects;

/**
 * The figures of the paper's experiments, built with the public API of the plot module
 * ({@link Charts}, {@link LineChartBuilder}, {@link ChartStyle}): the FGN/GGN step cosine as a
 * heat map and as lines (experiment a), per-step cost against K on log-log axes (c), and the
 * spike traces and the one-step phase transition (d). Each returns a fresh XChart chart in the
 * plot module's look, rendered with {@link io.github.fastgn.plot.ChartExport}; the data rules
 * are those of {@link Charts} (non-finite points and non-positive values on a log axis left out,
 * malformed input rejected with an {@link IllegalArgumentException} that names the series).
 */
public final class PaperCharts {

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

    private PaperCharts() {
    }

    // ================================================================================ (a) mechanism

    /**
     * The cosine between the FGN and the full-GGN step over competitor concentration and damping:
     * {@code cosine[i][j]} at {@code lambdas[i]} (rows, bottom to top) and {@code taus[j]}
     * (columns). The same matrix feeds {@link #cosineLines}.
     */
    public static HeatMapChart cosineHeatmap(double[] taus, double[] lambdas, double[][] cosine) {
        Objects.requireNonNull(taus, "taus");
        Objects.requireNonNull(lambdas, "lambdas");
        HeatMapChart chart = Charts.heatmap("Step cosine over (" + TAU + ", " + LAMBDA + ")",
                Charts.numberLabels(taus), Charts.numberLabels(lambdas), cosine, COSINE);
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
        LineChartBuilder lines = new LineChartBuilder().title("Step cosine vs competitor concentration")
                .xAxisTitle("mean " + NORM_Q2).yAxisTitle(COSINE);
        Color[] colors = ChartStyle.sequentialColors(lambdas.length);
        Integer[] order = new Integer[meanQSquared.length];
        for (int j = 0; j < order.length; j++) {
            order[j] = j;
        }
        Arrays.sort(order, Comparator.comparingDouble(j -> meanQSquared[j]));
        for (int i = 0; i < lambdas.length; i++) {
            String name = LAMBDA + " = " + Charts.formatNumber(lambdas[i]);
            requireSameLength(name, "meanQSquared", meanQSquared, "cosine row", cosine[i]);
            double[] xs = new double[order.length];
            double[] ys = new double[order.length];
            for (int k = 0; k < order.length; k++) {
                xs[k] = meanQSquared[order[k]];
                ys[k] = cosine[i][order[k]];
            }
            lines.line(name, colors[i], xs, ys, false);
        }
        return lines.build();
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
        LineChartBuilder lines = new LineChartBuilder().title("Per-step time vs number of classes")
                .xAxisTitle("number of classes K").yAxisTitle("time per step (s)").logX(true).logY(true);
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
            lines.line(name, name, x, e.getValue(), false);
            if (models.containsKey(name)) {
                addModel(lines, name, x, models.get(name));
            }
        }
        for (Map.Entry<String, double[]> e : models.entrySet()) {
            if (!measuredSeconds.containsKey(e.getKey())) {
                addModel(lines, e.getKey(), x, e.getValue());
            }
        }
        return lines.build();
    }

    private static void addModel(LineChartBuilder lines, String method, double[] x, double[] seconds) {
        String name = method + MODEL_SUFFIX;
        requireSameLength(name, "ks", x, "seconds", seconds);
        lines.line(name, method, x, seconds, true);
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
        LineChartBuilder lines = new LineChartBuilder().title(title).xAxisTitle("step").yAxisTitle("training loss")
                .logY(true);
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
            lines.line(name, steps, loss);
        }
        if (spikeStart > longest - 1) {
            throw new IllegalArgumentException("spikeStart " + spikeStart + " is after the last step " + (longest - 1));
        }
        return lines.shade(windowLabel, spikeStart, Math.min(spikeEnd, longest - 1))
                .countingXAxisFromZero()
                .verticalLine(spikeStart)
                .build();
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
        LineChartBuilder lines = new LineChartBuilder().title("One-step phase transition")
                .xAxisTitle("r = " + TAU + " / " + "\u03C1_a").yAxisTitle("retained test accuracy").logX(true);
        for (Map.Entry<String, double[]> e : retainedAccuracy.entrySet()) {
            String name = requireName(e.getKey(), "retainedAccuracy");
            requireSameLength(name, "r", r, "accuracy", e.getValue());
            lines.line(name, name, r, e.getValue(), false);
        }
        if (deltaLoss != null && !deltaLoss.isEmpty()) {
            lines.rightYAxis(1, DELTA + "loss");
            for (Map.Entry<String, double[]> e : deltaLoss.entrySet()) {
                String method = requireName(e.getKey(), "deltaLoss");
                String name = method + DELTA_LOSS_SUFFIX;
                requireSameLength(name, "r", r, DELTA + "loss", e.getValue());
                lines.line(name, method, r, e.getValue(), true, 1);
            }
        }
        double rMin = Arrays.stream(r).min().getAsDouble();
        double rMax = Arrays.stream(r).max().getAsDouble();
        if (rMin <= 1.0 && 1.0 <= rMax) {
            lines.verticalLine(1.0);
        }
        return lines.build();
    }

    // ================================================================================ helpers

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
