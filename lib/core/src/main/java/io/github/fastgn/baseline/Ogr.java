package io.github.fastgn.baseline;

import io.github.fastgn.data.LabelledData;
import io.github.fastgn.internal.head.BatchStream;
import io.github.fastgn.internal.head.ChunkedObjective;
import io.github.fastgn.internal.head.HeadBatch;
import io.github.fastgn.internal.linalg.GradientRegression;
import io.github.fastgn.internal.linalg.Parallel;
import io.github.fastgn.internal.optim.StopRules;
import io.github.fastgn.internal.optim.TrainingRun;
import io.github.fastgn.optim.FgnOptions;
import io.github.fastgn.optim.ObservedOptimizer;
import io.github.fastgn.optim.StopReason;
import io.github.fastgn.optim.TrainingResult;

import java.util.logging.Logger;

/**
 * Online Gradient Regression (after Przybysz, Kolek, Sobota and Duda; ALGORITHM.md §5): the
 * curvature is the exponentially weighted least-squares fit of recent gradients on their positions
 * ({@code g = gbar + H (theta - thetabar)}, weights {@code decay^age} over the last {@code memory}
 * pairs, on the span of those positions), and each step goes towards the fitted stationary point,
 * saddle-free (negative fitted curvature repels), with a gradient step scaled by the largest fitted
 * curvature outside the span. The first step, before there is a fit, is {@code -learningRate g}.
 *
 * <p>Full batch or mini-batch (each iteration adds the pair of its batch's gradient, so the
 * regression averages the batches' noise), with a line search ({@code lineSearch}: Armijo
 * backtracking from the unit step on the step's batch, the logits affine in the step length) or
 * without (the step as it is). The optional Ghosts-of-Softmax guard caps the step length at
 * {@code c pi / max spread}. A run whose objective becomes non-finite or exceeds
 * {@code divergenceFactor} times the initial one stops with {@link StopReason#DIVERGED} and returns
 * its last finite iterate. Records: {@code alpha} the step length, {@code cgIterations} the
 * objective evaluations of the line search, {@code lambda} the largest fitted curvature.
 */
public final class Ogr extends ObservedOptimizer<Ogr> {

    private static final Logger LOG = Logger.getLogger(Ogr.class.getName());
    private static final double ARMIJO = 1e-4;
    private static final int MAX_BACKTRACKS = 30;
    /** Full batch with a line search stops after one accepted step that decreases by at most this relative amount. */
    private static final double STALL_DECREASE = 1e-15;

    private final FirstOrderOptions options;

    /**
     * @throws IllegalArgumentException if {@code options} is null or its memory is below 2 (a
     *                                  regression needs two pairs)
     */
    public Ogr(FirstOrderOptions options) {
        if (options == null) {
            throw new IllegalArgumentException("options must not be null; use FirstOrderOptions.builder().build()");
        }
        if (options.memory() < 2) {
            throw new IllegalArgumentException("OGR needs memory >= 2 (a regression of gradients on positions needs"
                    + " at least two pairs), got " + options.memory() + "; set FirstOrderOptions.builder().memory(10)");
        }
        this.options = options;
    }

    /** A full-batch line search checks every step on all rows, so "auto" leaves it unguarded. */
    private boolean guarded() {
        return options.guardApplies(options.lineSearch() && options.mode() == FgnOptions.Mode.FULL);
    }

    @Override
    public String name() {
        return "OGR" + (options.lineSearch() ? " + line search" : "") + (guarded() ? " + guard" : "");
    }

    /** Dense rows in the heap only: the method's per-example updates read feature rows as arrays. */
    @Override
    protected boolean takes(LabelledData.Storage storage) {
        return storage == LabelledData.Storage.DENSE;
    }

    @Override
    protected TrainingResult run(LabelledData data, double[] start) {
        return withPool(options.threads(), parallel -> run(parallel, data, start));
    }

    private TrainingResult run(Parallel parallel, LabelledData data, double[] start) {
        double[] x = data.features();
        int n = data.size();
        int d = data.featureCount();
        int k = data.classCount();
        int p = k * (d + 1);
        double gamma = options.l2();
        boolean full = options.mode() == FgnOptions.Mode.FULL;
        StopRules rules = FirstOrderOptimizer.stopRules(options);
        TrainingRun run = newRun(name(), full && options.lineSearch() ? rules.withStall(STALL_DECREASE, 1.0, 1) : rules,
                LOG);
        ChunkedObjective all = new ChunkedObjective(x, data.labels(), data.weights(), n, d, k, gamma, parallel);
        BatchStream stream = full ? null
                : new BatchStream(x, data.labels(), data.weights(), n, d, options.batchSize(), options.seed());
        int capacity = full ? n : stream.capacity();
        HeadBatch batch = new HeadBatch(capacity, d, k, 1e-300, parallel);
        if (full) {
            batch.setBatch(x, data.labels(), data.weights(), n);
        }
        GradientRegression regression = new GradientRegression(p, options.memory(), options.decay());
        double[] wt = start == null ? new double[p] : start;
        double[] lastFinite = wt.clone();
        double[] h = new double[p];
        double[] step = new double[p];
        double[] dz = new double[capacity * k];
        double[] fullGradient = new double[p];
        double f0 = all.evaluate(wt, fullGradient);
        TrainingRun.requireFiniteStart(f0);
        double g0 = TrainingRun.norm(fullGradient);
        double g = g0;
        double f = f0;
        run.started(options.maxIterations(), () -> "training a softmax head with " + name() + ": n=" + n + ", d=" + d
                + ", K=" + k);
        StopReason reason;
        int it = 0;
        while ((reason = run.stopBefore(g, g0, it)) == null) {
            int epoch = full ? it : stream.epochs();
            if (!full && !stream.next(batch)) {
                continue; // a batch of zero-weight examples has no objective
            }
            if (!full || it == 0) {
                batch.evaluate(wt);
                f = batch.objective(wt, gamma);
                batch.gradient(wt, gamma, h);
            }
            it++;
            regression.add(wt, h);
            double curvature = Double.NaN;
            double unit = 1;
            if (regression.step(wt, h, step)) {
                for (double l : regression.eigenvalues()) {
                    curvature = Double.isNaN(curvature) ? Math.abs(l) : Math.max(curvature, Math.abs(l));
                }
            } else {
                for (int t = 0; t < p; t++) {
                    step[t] = -h[t];
                }
                unit = options.learningRate();
            }
            double slope = TrainingRun.dot(h, step);
            if (options.lineSearch() && !(slope < 0)) {
                for (int t = 0; t < p; t++) { // the fitted model points uphill: fall back to the gradient
                    step[t] = -h[t] / (Double.isNaN(curvature) ? 1 : curvature);
                }
                slope = TrainingRun.dot(h, step);
            }
            batch.logitDirection(step, dz);
            double spread = batch.maxSpread(dz);
            double alpha = unit;
            boolean bound = false;
            if (guarded() && spread > 0 && alpha * spread > options.guardScale() * Math.PI) {
                alpha = options.guardScale() * Math.PI / spread;
                bound = true;
            }
            int evaluations = 0;
            if (options.lineSearch()) {
                double[] products = HeadBatch.weightProducts(wt, step, d, k);
                double ww = products[0];
                double ws = products[1];
                double ss = products[2];
                boolean found = false;
                while (evaluations < MAX_BACKTRACKS) {
                    evaluations++;
                    double trial = batch.dataLossAlong(dz, alpha) + 0.5 * gamma * (ww + 2 * alpha * ws + alpha * alpha * ss);
                    if (Double.isFinite(trial) && trial <= f + ARMIJO * alpha * slope) {
                        found = true;
                        break;
                    }
                    alpha *= 0.5;
                }
                if (!found) {
                    run.record(it, epoch, f, g, curvature, 0, evaluations, Double.NaN, bound, false);
                    regression.clear();
                    if (full && Double.isNaN(curvature)) {
                        reason = StopReason.STALLED; // not even a short gradient step decreases the objective
                        break;
                    }
                    continue;
                }
            }
            for (int t = 0; t < p; t++) {
                wt[t] += alpha * step[t];
            }
            batch.moveLogits(dz, alpha);
            double before = f;
            f = batch.objective(wt, gamma);
            batch.gradient(wt, gamma, h);
            g = TrainingRun.norm(h);
            run.record(it, epoch, f, g, curvature, alpha, evaluations,
                    spread > 0 ? alpha * spread / Math.PI : Double.NaN, bound, true);
            if (!Double.isFinite(f) || f > options.divergenceFactor() * f0 || !TrainingRun.allFinite(wt)) {
                reason = StopReason.DIVERGED;
                System.arraycopy(lastFinite, 0, wt, 0, p);
                break;
            }
            System.arraycopy(wt, 0, lastFinite, 0, p);
            if (full && (reason = run.afterAccepted(before, f)) != null) {
                break;
            }
            if (!full && stream.epochCompleted()) {
                double fe = all.evaluate(wt, fullGradient);
                run.epochFinished(stream.epochs(), fe, TrainingRun.norm(fullGradient));
            }
        }
        double fFinal = all.evaluate(wt, fullGradient);
        return run.finish(wt, fFinal, TrainingRun.norm(fullGradient), it, full ? it : stream.epochs(),
                (batch.rowsRead() + all.rowsRead()) / (double) n, reason);
    }
}
