package io.github.fastgn.experiment;

import io.github.fastgn.baseline.FirstOrderOptimizer;
import io.github.fastgn.baseline.FirstOrderOptions;
import io.github.fastgn.baseline.Lbfgs;
import io.github.fastgn.baseline.UpdateRule;
import io.github.fastgn.SoftmaxModel;
import io.github.fastgn.data.Digits;
import io.github.fastgn.data.FashionMnist;
import io.github.fastgn.data.FixedFeatures;
import io.github.fastgn.data.LabelledData;
import io.github.fastgn.data.RandomReluFeatures;
import io.github.fastgn.data.Splits;
import io.github.fastgn.internal.solver.Solvers;
import io.github.fastgn.optim.FgnOptimizer;
import io.github.fastgn.optim.FgnOptions;
import io.github.fastgn.optim.HeadOptimizer;
import io.github.fastgn.optim.IterationRecord;
import io.github.fastgn.optim.StopReason;
import io.github.fastgn.optim.TrainingListener;
import io.github.fastgn.optim.TrainingResult;
import io.github.fastgn.plot.Charts;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * (b) Every method on fixed features (EXPERIMENTS.md (b)): digits, Fashion-MNIST pixels and Fashion-MNIST
 * random ReLU features (the stand-in for a frozen network's embedding), L2 = 1e-4 on
 * standardised features. Second-order methods and L-BFGS run full batch; the first-order
 * methods and mini-batch FGN run mini-batch with the learning rate picked from a grid by final
 * training objective (equal epoch budget per method). Curves: objective gap to the best
 * objective found, against iterations and wall-clock.
 */
public final class FixedFeatureHeadExperiment implements Experiment {

    static final double L2 = 1e-4;

    @Override
    public String id() {
        return "b-fixed-feature-head";
    }

    @Override
    public String title() {
        return "(b) Fixed-feature heads: FGN, Newton and first-order baselines on digits and Fashion-MNIST";
    }

    @Override
    public int workUnits(Preset preset) {
        return datasets(preset) * 9;
    }

    private static int datasets(Preset preset) {
        return preset == Preset.TINY || !FashionMnist.isAvailable() ? 1 : 3;
    }

    /**
     * A named train/test pair of fixed features (standardised, or whitened PCA).
     *
     * @param name  the data set's name, used in file names and progress messages
     * @param split the training and test examples
     */
    public record Problem(String name, Splits.Split split) {
    }

    @Override
    public void run(Preset preset, ExperimentContext ctx) throws IOException {
        List<Problem> problems = new ArrayList<>();
        problems.add(new Problem("digits", FixedFeatures.standardised(Splits.stratified(Digits.load(), 0.2, 0))));
        if (preset != Preset.TINY) {
            if (FashionMnist.isAvailable()) {
                if (preset == Preset.QUICK) {
                    // quick: whitened PCA-64 of the pixels on 10k examples, 128 random features on 4k;
                    // only those images are read (the same stratified subsets as before, seed 11)
                    Splits.Split part = FashionMnist.load(10_000, 2_000);
                    problems.add(new Problem("fmnist-pca64", FixedFeatures.pca(part, 64, true)));
                    Splits.Split small = new Splits.Split(FashionMnist.load(4_000, 2_000).train(), part.test());
                    problems.add(new Problem("fmnist-random-features-128",
                            FixedFeatures.standardised(FixedFeatures.randomRelu(small, 128,
                                    RandomReluFeatures.DEFAULT_SCALE, 20240611L))));
                } else {
                    Splits.Split fm = FashionMnist.load();
                    problems.add(new Problem("fmnist-pixels", FixedFeatures.standardised(fm)));
                    problems.add(new Problem("fmnist-pca256", FixedFeatures.pca(fm, 256, true)));
                    problems.add(new Problem("fmnist-random-features-1024",
                            FixedFeatures.standardised(FixedFeatures.randomRelu(fm, 1024,
                                    RandomReluFeatures.DEFAULT_SCALE, 20240611L))));
                }
            } else {
                ctx.note("Fashion-MNIST is not installed, so only digits was run: " + FashionMnist.HOW_TO_GET);
            }
        }
        ResultTable summary = new ResultTable("dataset", "method", "mode", "setting", "iterations", "epochs",
                "seconds", "objective", "gap_to_best", "gradient_norm", "train_accuracy", "test_accuracy", "stop");
        List<String> sameOptimum = new ArrayList<>();
        boolean allSame = true;
        int compared = 0;
        for (Problem problem : problems) {
            Map<String, MethodRun> outcomes = runMethods(preset, problem, ctx::progress);
            double best = Double.POSITIVE_INFINITY;
            for (MethodRun o : outcomes.values()) {
                best = Math.min(best, o.result.objective());
            }
            Map<String, List<IterationRecord>> curves = new LinkedHashMap<>();
            for (Map.Entry<String, MethodRun> e : outcomes.entrySet()) {
                MethodRun o = e.getValue();
                TrainingResult r = o.result;
                LabelledData tr = problem.split().train();
                LabelledData te = problem.split().test();
                SoftmaxModel model = new SoftmaxModel(r.weights(), tr.featureCount(), tr.classCount());
                summary.add(problem.name(), e.getKey(), o.mode, o.setting, r.iterations(), r.epochs(),
                        r.elapsedSeconds(), r.objective(), r.objective() - best, r.gradientNorm(),
                        model.accuracy(tr.features(), tr.labels(), tr.size()),
                        model.accuracy(te.features(), te.labels(), te.size()), r.stopReason());
                curves.put(e.getKey(), o.curve);
            }
            ctx.figure(problem.name() + "-gap-vs-iterations",
                    Charts.lossCurves(curves, Charts.XAxis.ITERATION, Charts.YValue.OBJECTIVE_GAP, best));
            String timeFig = ctx.figure(problem.name() + "-gap-vs-time",
                    Charts.lossCurves(curves, Charts.XAxis.SECONDS, Charts.YValue.OBJECTIVE_GAP, best));
            TrainingResult fgn = outcomes.get("FGN").result;
            TrainingResult newton = outcomes.get("Newton").result;
            double rel = Math.abs(fgn.objective() - newton.objective()) / Math.abs(newton.objective());
            boolean converged = fgn.stopReason() != StopReason.MAX_ITERATIONS
                    && newton.stopReason() != StopReason.MAX_ITERATIONS;
            if (converged) {
                compared++;
                allSame &= rel <= 1e-6;
            }
            sameOptimum.add(String.format(Locale.ROOT, "%s: FGN %.10f (%d it, %.2f s), Newton %.10f (%d it, %.2f s), "
                            + "relative difference %.1e%s", problem.name(), fgn.objective(), fgn.iterations(),
                    fgn.elapsedSeconds(), newton.objective(), newton.iterations(), newton.elapsedSeconds(), rel,
                    converged ? "" : " (not compared: an iteration budget ran out first)"));
            ctx.note(String.format(Locale.ROOT, "%s (%d train, %d test, d = %d, K = %d): best objective %.10f. "
                            + "Figure %s.", problem.name(), problem.split().train().size(),
                    problem.split().test().size(), problem.split().train().featureCount(),
                    problem.split().train().classCount(), best, timeFig));
        }
        ctx.table("summary", summary);
        ctx.claim("FGN-6", "Full-batch FGN keeps the exact gradient and so converges to the same minimiser as Newton.",
                allSame && compared > 0, "compared on " + compared + " data set(s) where both converged; "
                        + String.join("; ", sameOptimum), "");
    }

    /**
     * One method's outcome.
     *
     * @param result  the training result (weights, final objective, history, time)
     * @param curve   the curve to plot, on the full training objective: the history in full batch,
     *                one record per epoch in mini-batch mode
     * @param mode    "full" or "mini-batch"
     * @param setting the method's setting in words (solver, batch size, chosen learning rate)
     */
    public record MethodRun(TrainingResult result, List<IterationRecord> curve, String mode, String setting) {
    }

    /**
     * Trains every method of EXPERIMENTS.md (b) on a problem's training set, with L2 = {@value #L2}: FGN,
     * FGN-D, Newton and L-BFGS in full batch, then mini-batch FGN (B = 512) and SGD with momentum,
     * Adam, normalized GD and clipped GD (B = 128, the learning rate that reaches the lowest final
     * objective on a preset-sized grid), all with the same epoch budget.
     *
     * @param preset   sets the iteration and epoch budgets and the learning-rate grid
     * @param problem  the data; only its training set is used
     * @param progress receives the problem and method name after each method
     * @return method name to its run, in the order above
     */
    public static Map<String, MethodRun> runMethods(Preset preset, Problem problem, Consumer<String> progress) {
        LabelledData train = problem.split().train();
        Map<String, MethodRun> out = new LinkedHashMap<>();
        // digits converges in well under 100 iterations; the larger sets get a budget per preset
        int maxSecond = preset.pick(100, 400, 600);
        FgnOptions fgn = FgnOptions.builder().l2(L2).standardize(false).solver(Solvers.FGN).maxIterations(maxSecond)
                .tolerance(1e-8).build();
        out.put("FGN", full(new FgnOptimizer(fgn), train, "full", "fgn"));
        progress.accept(problem.name() + " FGN");
        FgnOptions fgnD = fgn.toBuilder().dropCompensation(true).build();
        out.put("FGN-D", full(new FgnOptimizer(fgnD), train, "full", "fgn + dropped diagonal"));
        progress.accept(problem.name() + " FGN-D");
        FgnOptions newton = fgn.toBuilder().solver("newton").build();
        out.put("Newton", full(new FgnOptimizer(newton), train, "full", "newton"));
        progress.accept(problem.name() + " Newton");
        FirstOrderOptions lbfgs = FirstOrderOptions.builder().l2(L2).maxIterations(preset.pick(50, 200, 1000))
                .tolerance(1e-8).build();
        out.put("L-BFGS", full(new Lbfgs(lbfgs), train, "full", "m = 10"));
        progress.accept(problem.name() + " L-BFGS");

        int epochs = preset.pick(2, 10, 30);
        int batch = 512;
        int steps = epochs * ((train.size() + batch - 1) / batch);
        FgnOptions mini = FgnOptions.builder().l2(L2).standardize(false).mode(FgnOptions.Mode.MINIBATCH).batchSize(batch)
                .solver(Solvers.FGN).maxIterations(steps).tolerance(0).build();
        out.put("FGN mini-batch", minibatch(new FgnOptimizer(mini), train, "B = " + batch));
        progress.accept(problem.name() + " FGN mini-batch");

        int fb = 128;
        int fSteps = epochs * ((train.size() + fb - 1) / fb);
        double[] grid = preset.pick(new double[] {0.1}, new double[] {1e-2, 1e-1, 1}, new double[] {1e-3, 1e-2,
            1e-1, 1});
        Map<String, Function<Double, UpdateRule>> rules = new LinkedHashMap<>();
        rules.put("SGD+momentum", lr -> UpdateRule.momentum(0.9));
        rules.put("Adam", lr -> UpdateRule.adam(0.9, 0.999, 1e-8));
        rules.put("normalized GD", lr -> UpdateRule.normalized());
        rules.put("clipped GD", lr -> UpdateRule.clipped(1.0));
        for (Map.Entry<String, Function<Double, UpdateRule>> e : rules.entrySet()) {
            MethodRun best = null;
            for (double lr : grid) {
                FirstOrderOptions o = FirstOrderOptions.builder().l2(L2).mode(FgnOptions.Mode.MINIBATCH).batchSize(fb)
                        .maxIterations(fSteps).learningRate(lr).guardOnFullData(false).build();
                MethodRun oc = minibatch(new FirstOrderOptimizer(e.getValue().apply(lr), o), train,
                        String.format(Locale.ROOT, "B = %d, lr = %g (best of %s)", fb, lr,
                                java.util.Arrays.toString(grid)));
                if (best == null || oc.result.objective() < best.result.objective()) {
                    best = oc;
                }
            }
            out.put(e.getKey(), best);
            progress.accept(problem.name() + " " + e.getKey());
        }
        return out;
    }

    private static MethodRun full(HeadOptimizer optimizer, LabelledData train, String mode,
                                String setting) {
        TrainingResult r = optimizer.optimize(train, null);
        return new MethodRun(r, r.history(), mode, setting);
    }

    /** Mini-batch run; the curve is the full-data objective after each epoch. */
    private static MethodRun minibatch(HeadOptimizer optimizer, LabelledData train, String setting) {
        List<IterationRecord> curve = new ArrayList<>();
        long start = System.nanoTime();
        int[] steps = {0};
        optimizer.addListener(new TrainingListener() {
            @Override
            public void iterationFinished(IterationRecord record) {
                steps[0] = record.iteration();
            }

            @Override
            public void epochFinished(int epoch, double objective, double gradientNorm) {
                curve.add(new IterationRecord(steps[0], epoch, objective, gradientNorm, Double.NaN, Double.NaN, 0,
                        Double.NaN, false, true, (System.nanoTime() - start) * 1e-9));
            }
        });
        TrainingResult r = optimizer.optimize(train, null);
        return new MethodRun(r, curve, "mini-batch", setting);
    }
}
