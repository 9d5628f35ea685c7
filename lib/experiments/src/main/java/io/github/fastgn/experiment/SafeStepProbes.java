package io.github.fastgn.experiment;

import io.github.fastgn.internal.head.ChunkedObjective;
import io.github.fastgn.internal.head.HeadBatch;
import io.github.fastgn.SoftmaxModel;
import io.github.fastgn.data.LabelledData;
import io.github.fastgn.data.Splits;
import io.github.fastgn.internal.linalg.Parallel;
import io.github.fastgn.optim.FgnOptimizer;
import io.github.fastgn.optim.FgnOptions;
import io.github.fastgn.optim.IterationRecord;
import io.github.fastgn.optim.TrainingResult;
import io.github.fastgn.internal.solver.Damping;
import io.github.fastgn.internal.solver.ParamCholeskySolver;
import io.github.fastgn.internal.solver.StepSolver;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The two safe-step probes of EXPERIMENTS.md (d) that are not learning-rate spikes: the one-step phase
 * transition in {@code r = tau / rho_a} (d3) and FGN under a damping spike (d2).
 */
public final class SafeStepProbes {

    private SafeStepProbes() {
    }

    /**
     * The Ghosts-of-Softmax radius of one step {@code S} on a data set (ALGORITHM.md §3.1). Along the
     * step the logits move exactly linearly, {@code z_i + alpha a_i} with {@code a_i = S x~_i};
     * the spread of example {@code i} is {@code max_k a_ik - min_k a_ik}.
     *
     * @param tau       the step's length {@code ||S||}
     * @param maxSpread the largest per-example logit spread of {@code S}
     * @param rhoA      the radius along the unit direction {@code S / ||S||}:
     *                  {@code pi / max spread(S / ||S||) = pi ||S|| / maxSpread}
     * @param ratio     the normalised step {@code r = tau / rho_a = maxSpread / pi}: below 1 the step is
     *                  inside the radius
     * @param alphaCap  the largest step-length factor the guard allows, {@code pi / maxSpread}: the
     *                  guarded step {@code min(1, alphaCap) S} has {@code r <= 1}
     */
    public record StepRadius(double tau, double maxSpread, double rhoA, double ratio, double alphaCap) {

        /** The factor the guard {@code tau <= c rho_a} applies to the step: {@code min(1, c alphaCap)}. */
        public double guardFactor(double c) {
            return Math.min(1.0, c * alphaCap);
        }
    }

    /**
     * The radius of a parameter step on every example of {@code data} (the Ghosts code measures it
     * on the whole training set).
     *
     * @param data the examples (features as the model sees them)
     * @param step a row-major {@code K x D} step {@code [dW | db]}
     */
    public static StepRadius radius(LabelledData data, double[] step) {
        int d = data.featureCount();
        int k = data.classCount();
        if (step.length != k * (d + 1)) {
            throw new IllegalArgumentException("a step for K = " + k + ", d = " + d + " has " + k * (d + 1)
                    + " entries, got " + step.length);
        }
        double spread = new ChunkedObjective(data.features(), data.labels(), null, data.size(), d, k, 0.0,
                Parallel.SERIAL).maxSpread(step);
        double tau = 0;
        for (double v : step) {
            tau += v * v;
        }
        tau = Math.sqrt(tau);
        return new StepRadius(tau, spread, Math.PI * tau / spread, spread / Math.PI, Math.PI / spread);
    }

    /**
     * One-step phase transition (d3): from {@code checkpoint}, one step along each direction with
     * length {@code tau = r rho_a}, i.e. scaled so that the largest per-example logit spread of
     * the step is {@code r pi} on the training set.
     *
     * @return per direction name, the rows {@code [r, retained test accuracy, delta train loss]}
     */
    public static Map<String, double[][]> phaseTransition(Splits.Split split, double[] checkpoint, double l2,
                                                          double[] ratios, int randomDirections, long seed) {
        LabelledData train = split.train();
        LabelledData test = split.test();
        int n = train.size();
        int d = train.featureCount();
        int k = train.classCount();
        int p = k * (d + 1);
        ChunkedObjective objective = new ChunkedObjective(train.features(), train.labels(), null, n, d, k, l2,
                Parallel.SERIAL);
        double[] gradient = new double[p];
        double f0 = objective.evaluate(checkpoint, gradient);
        double acc0 = accuracy(checkpoint, test, d, k);

        Map<String, double[]> directions = new LinkedHashMap<>();
        directions.put("gradient", scaled(gradient, -1));
        directions.put("FGN step", fgnStep(train, checkpoint, l2));
        double[] sign = new double[p];
        for (int t = 0; t < p; t++) {
            sign[t] = -Math.signum(gradient[t]); // Adam's first step from fresh moments: -sign(g)
        }
        directions.put("Adam (sign)", sign);
        SplittableRandom rng = new SplittableRandom(seed);
        for (int r = 0; r < randomDirections; r++) {
            double[] v = new double[p];
            for (int t = 0; t < p; t++) {
                v[t] = gaussian(rng);
            }
            directions.put("random " + (r + 1), v);
        }
        Map<String, double[][]> out = new LinkedHashMap<>();
        double[] moved = new double[p];
        for (Map.Entry<String, double[]> e : directions.entrySet()) {
            double[] v = e.getValue();
            double spread = objective.maxSpread(v);
            double[][] rows = new double[ratios.length][];
            for (int i = 0; i < ratios.length; i++) {
                double scale = spread > 0 ? ratios[i] * Math.PI / spread : 0;
                for (int t = 0; t < p; t++) {
                    moved[t] = checkpoint[t] + scale * v[t];
                }
                double f = objective.evaluate(moved, null);
                rows[i] = new double[] {ratios[i], accuracy(moved, test, d, k) / acc0, f - f0};
            }
            out.put(e.getKey(), rows);
        }
        return out;
    }

    /** The damped FGN step at a point ({@code lambda = 1e-3}, L2 on W), by a direct solve. */
    private static double[] fgnStep(LabelledData train, double[] wt, double l2) {
        int d = train.featureCount();
        int k = train.classCount();
        HeadBatch batch = new HeadBatch(train.size(), d, k, 1e-300, Parallel.SERIAL);
        batch.setBatch(train.features(), train.labels(), null, train.size());
        batch.evaluate(wt);
        double[] h = new double[k * (d + 1)];
        batch.gradient(wt, l2, h);
        Damping damping = new Damping(d, k);
        damping.set(1e-3, l2, null);
        double[] s = new double[h.length];
        new ParamCholeskySolver(StepSolver.Curvature.FGN).solve(batch, damping, h, s, 0);
        return s;
    }

    /** How the damping is handled during a damping spike. */
    public enum SpikeVariant {
        /** Unit steps at the forced damping. */
        NO_GUARD,
        /** Steps capped at the Ghosts radius, damping kept at the forced value. */
        GUARD_CAP,
        /** Steps capped at the radius, and the damping doubled whenever the cap binds. */
        GUARD_FEEDS_DAMPING
    }

    /**
     * FGN under a damping spike (d2): {@code before} LM iterations, then {@code spikeSteps} steps with
     * the damping forced to {@code spikeLambda} and no line search, then {@code after} LM iterations.
     *
     * @return the objective after every step (length {@code before + spikeSteps + after})
     */
    public static double[] dampingSpike(LabelledData train, double l2, int before, int spikeSteps, int after,
                                        double spikeLambda, SpikeVariant variant) {
        int n = train.size();
        int d = train.featureCount();
        int k = train.classCount();
        int p = k * (d + 1);
        List<Double> trace = new ArrayList<>();
        // the LM phases run FGN with the guard on, as the protocol was designed (the default "auto" leaves
        // full-batch steps unguarded, which moves the pre-spike point the claim is measured from)
        FgnOptions lm = FgnOptions.builder().l2(l2).standardize(false).solver(ParamCholeskySolver.FGN_NAME).maxIterations(before)
                .guard(true).tolerance(0).threads(1).build();
        TrainingResult first = new FgnOptimizer(lm).optimize(train);
        first.history().forEach(r -> trace.add(r.objective()));
        double[] wt = first.weights();

        HeadBatch batch = new HeadBatch(n, d, k, 1e-300, Parallel.SERIAL);
        batch.setBatch(train.features(), train.labels(), null, n);
        ParamCholeskySolver solver = new ParamCholeskySolver(StepSolver.Curvature.FGN);
        Damping damping = new Damping(d, k);
        double[] h = new double[p];
        double[] s = new double[p];
        double[] dz = new double[n * k];
        double lambda = spikeLambda;
        for (int t = 0; t < spikeSteps; t++) {
            batch.evaluate(wt);
            batch.gradient(wt, l2, h);
            damping.set(lambda, l2, null);
            solver.solve(batch, damping, h, s, 0);
            batch.logitDirection(s, dz);
            double spread = batch.maxSpread(dz);
            double alpha = 1.0;
            if (variant != SpikeVariant.NO_GUARD && spread > 0 && Math.PI / spread < 1) {
                alpha = Math.PI / spread;
                if (variant == SpikeVariant.GUARD_FEEDS_DAMPING) {
                    lambda *= 2;
                }
            }
            for (int i = 0; i < p; i++) {
                wt[i] += alpha * s[i];
            }
            batch.evaluate(wt);
            trace.add(batch.objective(wt, l2));
        }
        boolean finite = java.util.Arrays.stream(wt).allMatch(Double::isFinite);
        if (finite) {
            FgnOptions rest = lm.toBuilder().maxIterations(after).build();
            TrainingResult last = new FgnOptimizer(rest).optimize(train, wt);
            for (IterationRecord r : last.history()) {
                trace.add(r.objective());
            }
        }
        while (trace.size() < before + spikeSteps + after) {
            trace.add(Double.NaN);
        }
        return trace.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static double accuracy(double[] wt, LabelledData data, int d, int k) {
        for (double v : wt) {
            if (!Double.isFinite(v)) {
                return 0;
            }
        }
        return new SoftmaxModel(wt, d, k).accuracy(data.features(), data.labels(), data.size());
    }

    private static double[] scaled(double[] a, double f) {
        double[] out = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = f * a[i];
        }
        return out;
    }

    private static double gaussian(SplittableRandom rng) {
        double u = rng.nextDouble();
        double v = rng.nextDouble();
        return Math.sqrt(-2 * Math.log(1 - u)) * Math.cos(2 * Math.PI * v);
    }
}
