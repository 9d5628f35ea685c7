package io.github.fastgn.experiment;

import io.github.fastgn.baseline.UpdateRule;
import io.github.fastgn.data.Standardizer;
import io.github.fastgn.data.Digits;
import io.github.fastgn.data.LabelledData;
import io.github.fastgn.data.Splits;
import io.github.fastgn.optim.FgnOptimizer;
import io.github.fastgn.optim.FgnOptions;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * (d) Safe steps, after "Ghosts of Softmax" (EXPERIMENTS.md (d)): learning-rate spikes with and without the
 * radius guard on digits (d1), FGN under a damping spike (d2), and the one-step phase transition
 * in {@code r = tau / rho_a} (d3).
 */
public final class SafeStepExperiment implements Experiment {

    private static final String[] METHODS = {"Adam", "SGD", "normalized GD", "clipped GD"};

    @Override
    public String id() {
        return "d-safe-steps";
    }

    @Override
    public String title() {
        return "(d) Safe steps: learning-rate spikes, damping spikes and the phase transition in r = tau/rho_a";
    }

    private static double[] rates(Preset preset) {
        return preset.pick(new double[] {1e-2}, new double[] {1e-3, 1e-2}, new double[] {1e-4, 1e-3, 1e-2});
    }

    private static double[] spikes(Preset preset) {
        return preset.pick(new double[] {1e4}, new double[] {1e3, 1e4}, new double[] {1e3, 1e4});
    }

    private static int seeds(Preset preset) {
        return preset.pick(1, 2, 5);
    }

    @Override
    public int workUnits(Preset preset) {
        return rates(preset).length * spikes(preset).length * seeds(preset) + 2;
    }

    @Override
    public void run(Preset preset, ExperimentContext ctx) throws IOException {
        // Digits as in the Ghosts code: pixels / 16, 80/20 stratified split, plain cross-entropy.
        Splits.Split split = Splits.stratified(Digits.load(), 0.2, 0);
        int steps = preset.pick(60, 200, 200);
        int spikeStart = preset.pick(20, 50, 50);
        SpikeProtocol protocol = new SpikeProtocol(split, steps, spikeStart, 64, 0.0);

        ResultTable runs = new ResultTable("method", "guard", "base_lr", "spike", "seed", "diverged",
                "max_loss_after_spike", "final_loss", "test_accuracy", "max_r");
        Map<String, double[]> traces = new LinkedHashMap<>();
        double traceRate = rates(preset)[rates(preset).length - 1];
        double traceSpike = spikes(preset)[spikes(preset).length - 1];
        int guardedDiverged = 0;
        int guardedRuns = 0;
        int clippedDiverged = 0;
        int clippedRuns = 0;
        int unguardedDiverged = 0;
        int unguardedRuns = 0;
        for (double rate : rates(preset)) {
            for (double spike : spikes(preset)) {
                for (int seed = 0; seed < seeds(preset); seed++) {
                    for (String method : METHODS) {
                        for (boolean guard : new boolean[] {false, true}) {
                            SpikeProtocol.Run r = protocol.run(method, rule(method), guard, rate, spike, seed);
                            double maxR = 0;
                            for (double v : r.ratio()) {
                                if (Double.isFinite(v)) {
                                    maxR = Math.max(maxR, v);
                                }
                            }
                            runs.add(method, guard, rate, spike, seed, r.diverged(), r.maxLoss(),
                                    r.loss()[r.loss().length - 1], r.testAccuracy(), maxR);
                            if (guard) {
                                guardedRuns++;
                                guardedDiverged += r.diverged() ? 1 : 0;
                            } else {
                                unguardedRuns++;
                                unguardedDiverged += r.diverged() ? 1 : 0;
                                if (method.equals("clipped GD") && spike >= 1e4) {
                                    clippedRuns++;
                                    clippedDiverged += r.diverged() ? 1 : 0;
                                }
                            }
                            if (rate == traceRate && spike == traceSpike && seed == 0) {
                                traces.put(method + (guard ? " + guard" : ""), r.loss());
                            }
                        }
                    }
                    ctx.progress(String.format(Locale.ROOT, "spike protocol lr=%g x%.0f seed %d", rate, spike, seed));
                }
            }
        }
        ctx.table("spike-runs", runs);
        String spikeFigure = ctx.figure("spike-traces", PaperCharts.spikeTraces(traces, spikeStart));
        ctx.claim("Ghosts-1", "A controller enforcing tau <= rho_a survives learning-rate spikes up to 10,000x.",
                guardedDiverged == 0, String.format(Locale.ROOT,
                        "guarded runs diverged: %d of %d; unguarded: %d of %d (spikes %s, base rates %s, %d seeds)",
                        guardedDiverged, guardedRuns, unguardedDiverged, unguardedRuns,
                        java.util.Arrays.toString(spikes(preset)), java.util.Arrays.toString(rates(preset)),
                        seeds(preset)), spikeFigure);
        ctx.claim("Ghosts-2", "Gradient clipping alone does not survive a 10,000x spike.",
                clippedDiverged > 0, String.format(Locale.ROOT,
                        "unguarded clipped GD diverged (loss > 10x initial or non-finite) in %d of %d runs at 10,000x",
                        clippedDiverged, clippedRuns), spikeFigure);

        phaseTransition(preset, split, ctx);
        dampingSpike(preset, ctx);
    }

    private static Supplier<UpdateRule> rule(String method) {
        switch (method) {
            case "Adam":
                return () -> UpdateRule.adam(0.9, 0.999, 1e-8);
            case "SGD":
                return () -> UpdateRule.momentum(0.9);
            case "normalized GD":
                return UpdateRule::normalized;
            default:
                return () -> UpdateRule.clipped(1.0);
        }
    }

    private static void phaseTransition(Preset preset, Splits.Split split, ExperimentContext ctx) throws IOException {
        LabelledData train = split.train();
        double l2 = 1e-4;
        double[] checkpoint = new FgnOptimizer(FgnOptions.builder().l2(l2).standardize(false).solver("fgn").threads(1).build())
                .optimize(train, null).weights();
        int points = preset.pick(7, 13, 25);
        double[] ratios = new double[points];
        for (int i = 0; i < points; i++) {
            ratios[i] = Math.pow(10, -1 + 2.0 * i / (points - 1));
        }
        Map<String, double[][]> rows = SafeStepProbes.phaseTransition(split, checkpoint, l2, ratios,
                preset.pick(1, 3, 5), 7);
        ResultTable table = new ResultTable("direction", "r", "retained_test_accuracy", "delta_train_loss");
        Map<String, double[]> retained = new LinkedHashMap<>();
        Map<String, double[]> delta = new LinkedHashMap<>();
        boolean safeBelowOne = true;
        boolean brokenAtTen = true;
        List<String> evidence = new ArrayList<>();
        for (Map.Entry<String, double[][]> e : rows.entrySet()) {
            double[] acc = new double[points];
            double[] dl = new double[points];
            double worstBelowOne = 1;
            for (int i = 0; i < points; i++) {
                double[] row = e.getValue()[i];
                table.add(e.getKey(), row[0], row[1], row[2]);
                acc[i] = row[1];
                dl[i] = row[2];
                if (row[0] < 1) {
                    worstBelowOne = Math.min(worstBelowOne, row[1]);
                }
            }
            safeBelowOne &= worstBelowOne >= BREAKDOWN;
            brokenAtTen &= acc[points - 1] < BREAKDOWN;
            evidence.add(String.format(Locale.ROOT, "%s: min retained %.3f below r=1, %.3f at r=10", e.getKey(),
                    worstBelowOne, acc[points - 1]));
            retained.put(e.getKey(), acc);
            delta.put(e.getKey(), dl);
        }
        ctx.table("phase-transition", table);
        String fig = ctx.figure("phase-transition", PaperCharts.phaseTransition(ratios, retained, delta));
        ctx.claim("Ghosts-3", "One step with r = tau/rho_a < 1 is safe; breakdown sets in beyond r = 1.",
                safeBelowOne && brokenAtTen, "breakdown = retained test accuracy below " + BREAKDOWN + "; "
                        + String.join("; ", evidence), fig);
        ctx.progress("phase transition");
    }

    /** Retained accuracy below which a one-step perturbation counts as a breakdown. */
    static final double BREAKDOWN = 0.95;

    private static void dampingSpike(Preset preset, ExperimentContext ctx) throws IOException {
        LabelledData digits = Digits.load();
        if (preset == Preset.TINY) {
            digits = digits.subset(java.util.stream.IntStream.range(0, 400).toArray());
        }
        Standardizer st = Standardizer.fit(digits.features(), digits.size(), digits.featureCount());
        LabelledData train = new LabelledData(st.transform(digits.features(), digits.size()), digits.labels(), null,
                digits.size(), digits.featureCount(), digits.classCount());
        int before = preset.pick(5, 10, 10);
        int spikeSteps = 10;
        int after = preset.pick(5, 10, 20);
        Map<String, double[]> traces = new LinkedHashMap<>();
        ResultTable table = new ResultTable("variant", "step", "objective");
        for (SafeStepProbes.SpikeVariant v : SafeStepProbes.SpikeVariant.values()) {
            double[] trace = SafeStepProbes.dampingSpike(train, 1e-4, before, spikeSteps, after, 1e-8, v);
            String name = "FGN, " + v.name().toLowerCase(Locale.ROOT).replace('_', ' ');
            traces.put(name, trace);
            for (int t = 0; t < trace.length; t++) {
                table.add(name, t + 1, trace[t]);
            }
        }
        ctx.table("damping-spike", table);
        String fig = ctx.figure("damping-spike", PaperCharts.spikeTraces("FGN under a damping spike",
                "lambda forced to 1e-8", traces, before + 1, before + spikeSteps + 1));
        double[] plain = traces.get("FGN, no guard");
        double[] guarded = traces.get("FGN, guard cap");
        double pre = guarded[before - 1];
        double plainPeak = max(plain, before, before + spikeSteps);
        double guardedPeak = max(guarded, before, before + spikeSteps);
        boolean pass = guardedPeak <= pre * (1 + 1e-9) && guarded[guarded.length - 1] <= pre
                && !(plainPeak <= 10 * pre);
        ctx.claim("Ghosts-4", "With the guard, FGN survives a damping spike (lambda forced to 1e-8, unit steps) that "
                + "makes unguarded FGN blow up.", pass, String.format(Locale.ROOT,
                "objective before the spike %.4g; peak during it: unguarded %.4g, guarded %.4g; final guarded %.4g",
                pre, plainPeak, guardedPeak, guarded[guarded.length - 1]), fig);
        ctx.progress("damping spike");
    }

    private static double max(double[] a, int from, int to) {
        double m = Double.NEGATIVE_INFINITY;
        for (int i = from; i < Math.min(to, a.length); i++) {
            m = Double.isNaN(a[i]) ? Double.POSITIVE_INFINITY : Math.max(m, a[i]);
        }
        return m;
    }
}
