package io.github.fastgn.baseline;

import io.github.fastgn.internal.head.BatchStream;
import io.github.fastgn.internal.head.ChunkedObjective;
import io.github.fastgn.internal.head.HeadBatch;
import io.github.fastgn.internal.head.DataRows;
import io.github.fastgn.data.LabelledData;
import io.github.fastgn.internal.linalg.Parallel;
import io.github.fastgn.optim.FgnOptions;
import io.github.fastgn.optim.ObservedOptimizer;
import io.github.fastgn.optim.StopReason;
import io.github.fastgn.internal.optim.StopRules;
import io.github.fastgn.optim.TrainingResult;
import io.github.fastgn.internal.optim.TrainingRun;

import java.util.logging.Logger;

/**
 * First-order baselines on the same head and objective as FGN: {@code W <- W - eta_t D(G)} with
 * an {@link UpdateRule} (SGD with momentum, Adam, normalised GD, clipped GD), full batch or
 * mini-batch, with the optional Ghosts-of-Softmax guard that shortens a step whose logit spread
 * exceeds {@code c pi}.
 *
 * <p>There is no step rejection: a run whose objective becomes non-finite or exceeds
 * {@code divergenceFactor} times the initial objective stops with {@link StopReason#DIVERGED}
 * and returns its last finite iterate. Records: {@code objective} and {@code gradientNorm} after
 * each step (full data in full batch, the step's batch otherwise), {@code alpha} the effective
 * learning rate, {@code guardRatio} {@code r = tau / rho_a} of the step taken, {@code lambda} NaN.
 * In full batch a run also stops at {@link FirstOrderOptions#targetObjective()}; any run at
 * {@link FirstOrderOptions#maxSeconds()}. The first-order rules have no curvature model, so they
 * cannot estimate their optimality gap: they converge ({@link StopReason#CONVERGED}) only at an
 * exactly zero gradient and otherwise run their budget; with a tolerance above 0 asked for, a run
 * that ends on its budget logs the convergence warning.
 */
public final class FirstOrderOptimizer extends ObservedOptimizer<FirstOrderOptimizer> {

    private static final Logger LOG = Logger.getLogger(FirstOrderOptimizer.class.getName());

    private final UpdateRule rule;
    private final FirstOrderOptions options;

    /** @throws IllegalArgumentException if {@code rule} or {@code options} is null */
    public FirstOrderOptimizer(UpdateRule rule, FirstOrderOptions options) {
        if (rule == null) {
            throw new IllegalArgumentException("rule must not be null: pick one of UpdateRule's factories, e.g."
                    + " UpdateRule.adam(0.9, 0.999, 1e-8)");
        }
        if (options == null) {
            throw new IllegalArgumentException("options must not be null");
        }
        this.rule = rule;
        this.options = options;
    }

    /** First-order rules check no step on all rows, so "auto" guards them. */
    private boolean guarded() {
        return options.guardApplies(false);
    }

    @Override
    public String name() {
        return rule.name() + (guarded() ? " + guard" : "");
    }

    @Override
    protected TrainingResult run(LabelledData data, double[] start) {
        return withPool(options.threads(), parallel -> run(parallel, new DataRows(data), data.labels(),
                data.size(), data.featureCount(), data.classCount(), start));
    }

    /** {@code rows} in any storage (sparse and mapped rows are never densified or copied whole). */
    private TrainingResult run(Parallel parallel, DataRows rows, int[] y, int n, int d, int k, double[] start) {
        int p = k * (d + 1);
        boolean full = options.mode() == FgnOptions.Mode.FULL;
        TrainingRun run = newRun(name(), stopRules(options), LOG);
        double gamma = options.l2();
        ChunkedObjective all = rows.objective(gamma, parallel);
        BatchStream stream = full ? null : rows.stream(options.batchSize(), options.seed());
        HeadBatch batch = new HeadBatch(full ? n : stream.capacity(), d, k, 1e-300, parallel);
        if (full) {
            rows.pointAtAll(batch);
        }
        double[] wt = start == null ? new double[p] : start.clone();
        double[] lastFinite = wt.clone();
        double[] h = new double[p];
        double[] dir = new double[p];
        double[] fullGradient = new double[p];
        rule.reset(p);
        double f0 = all.evaluate(wt, fullGradient);
        TrainingRun.requireFiniteStart(f0);
        double g0 = norm(fullGradient);
        double f = f0;
        double g = g0;
        double gStop = g0; // the full gradient's norm: after every step in full batch, at epoch ends otherwise
        run.started(options.maxIterations(), () -> "training a softmax head with " + name() + ": n=" + n + ", d=" + d
                + ", K=" + k);
        StopReason reason;
        int it = 0;
        while ((reason = run.stopBefore(gStop, g0, it)) == null) {
            int epoch = full ? it : stream.epochs();
            if (!full && !stream.next(batch)) {
                continue; // a batch of zero-weight examples has no objective
            }
            if (!full || it == 0) {
                batch.evaluate(wt);
                batch.gradient(wt, gamma, h);
            }
            it++;
            rule.direction(h, it, dir);
            double eta = options.learningRate() * options.schedule().factor(it);
            double spread = options.guardOnFullData() ? all.maxSpread(dir) : batch.maxSpreadOf(dir);
            double r = eta * spread / Math.PI;
            boolean bound = false;
            if (guarded() && r > options.guardScale()) {
                eta = options.guardScale() * Math.PI / spread;
                r = options.guardScale();
                bound = true;
            }
            for (int t = 0; t < p; t++) {
                wt[t] -= eta * dir[t];
            }
            batch.evaluate(wt);
            double before = f;
            f = batch.objective(wt, gamma);
            batch.gradient(wt, gamma, h);
            g = norm(h);
            if (full) {
                gStop = g;
            }
            run.record(it, epoch, f, g, Double.NaN, eta, 0, spread > 0 ? r : Double.NaN, bound, true);
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
                gStop = norm(fullGradient);
                run.epochFinished(stream.epochs(), fe, gStop);
            }
        }
        double fFinal = all.evaluate(wt, fullGradient);
        return run.finish(wt, fFinal, norm(fullGradient), it, full ? it : stream.epochs(),
                (batch.rowsRead() + all.rowsRead()) / (double) n, reason);
    }

    /**
     * The stop rules of the baselines: the iteration and time budgets, the tolerance (L-BFGS's gap
     * test in full batch; a zero gradient for all); in full batch also the target objective. No
     * stall rule (L-BFGS adds one).
     */
    static StopRules stopRules(FirstOrderOptions options) {
        boolean full = options.mode() == FgnOptions.Mode.FULL;
        StopRules rules = StopRules.of(options.tolerance(), options.maxIterations(), options.maxSeconds());
        return full ? rules.withTarget(options.targetObjective()) : rules;
    }

    static double norm(double[] a) {
        return TrainingRun.norm(a);
    }
}
