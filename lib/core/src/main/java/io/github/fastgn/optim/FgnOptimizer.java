package io.github.fastgn.optim;

import io.github.fastgn.core.BatchStream;
import io.github.fastgn.core.ChunkedObjective;
import io.github.fastgn.core.FullData;
import io.github.fastgn.core.HeadBatch;
import io.github.fastgn.linalg.Cholesky;
import io.github.fastgn.linalg.Parallel;
import io.github.fastgn.solver.Damping;
import io.github.fastgn.solver.StepSolver;
import io.github.fastgn.solver.Solvers;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Levenberg-Marquardt training of a linear softmax head with FGN (or full-GGN) steps, ALGORITHM.md §3.
 *
 * <p>One iteration: margins and gradient {@code h} at the current point; damping
 * {@code Lambda = lambda + gamma} on W, {@code lambda} on b (plus the dropped-term diagonal with
 * FGN-D); the step {@code s} from the {@link StepSolver}; its logit image {@code dZ = X~ S^T}
 * (logits are affine in the step length, so every trial below is O(BK)); the Ghosts-of-Softmax
 * guard {@code alpha0 = min(1, c pi / max_i spread(dZ_i))}; Armijo backtracking from
 * {@code alpha0} ({@code c1 = 1e-4}, halving, at most 20 trials); the ratio of actual to
 * predicted decrease {@code rho}, with the prediction from the solver's own quadratic model; and
 * the LM rule: {@code lambda *= 2} if {@code rho < 0.25} or the guard bound, {@code lambda /= 3}
 * if {@code rho > 0.75} and it did not. A guard that binds is a trust-region signal: capping
 * alone would keep rho high and starve the damping (ALGORITHM.md §3.1).
 *
 * <p>Full batch rejects a step that fails Armijo or has {@code rho <= 0} (including a non-finite
 * objective: divergence) and retries with a larger lambda. Mini-batch mode takes every Armijo step,
 * evaluates rho on the same batch, smooths the damping update (half the log-factor) and reports
 * the full objective after every epoch. The same-batch ratio cannot see gradient noise: each step
 * nearly minimises its own batch, so with the ratio rule alone the iterates settle 10-45% above the
 * full optimum (digits, B = 256-1024) however long they run. Mini-batch damping therefore has a
 * floor that grows with the steps taken, {@code lambda_t >= 0.1 (t - 1) tr(G_full)/P} on the
 * step's batch (when there is more than one batch): a stochastic-Newton-style decay (the curvature
 * of the batches already seen, in an isotropic approximation, scaled by 0.1) that turns the noise
 * floor into convergence. The run is
 * deterministic: shuffling comes from the seed and no product depends on the thread count.
 *
 * <p>Full batch on large data ({@link FgnOptions#curvatureSampleFor}): each step's curvature comes
 * from a fresh seeded sample of rows while the gradient, the search and the ratio (against all
 * rows' curvature along the step) use every row, held once in {@link FullData} blocks with only
 * the logits and the step's logit image per example; the gradient is exact, so the run converges
 * to the exact optimum. Its steps are solved to a looser residual (forcing floor
 * 0.3 until {@code |g| <= 1e-4 |g0|}), as the sample only estimates the
 * curvature.
 *
 * <p>This class has no Tribuo or XChart dependency; it works on plain row-major arrays.
 */
public final class FgnOptimizer implements HeadOptimizer {

    private static final Logger LOG = Logger.getLogger(FgnOptimizer.class.getName());

    private static final double ARMIJO_C1 = 1e-4;
    private static final int MAX_BACKTRACKS = 20;
    private static final double STALL_DECREASE = 1e-10;
    private static final int STALL_STEPS = 3;
    /** Full-batch logits are recomputed from the parameters every this many accepted steps. */
    private static final int REFRESH_EVERY = 10;
    /**
     * Growth of the mini-batch damping floor per step taken, in units of the batch's mean curvature
     * {@code tr(G_full)/P}: {@code lambda_t >= MINIBATCH_DAMPING_GROWTH (t - 1) tr(G_full)/P}.
     */
    private static final double MINIBATCH_DAMPING_GROWTH = 0.1;
    /**
     * The loosest relative residual a step from a curvature sample is solved to. The sampled
     * curvature is itself only an estimate of the full one, so solving it more exactly buys
     * little: on Fashion-MNIST pixels (sample 8192 of 60000) a floor of 0.3 instead of the usual
     * forcing (down to 0.03 near the optimum) cut the CG work to reach f*(1 + 1e-4) by 2.5x for 4
     * more outer steps (9.1 s instead of 14.5 s). Below {@code SAMPLED_FORCING_UNTIL g0} the usual
     * forcing returns, so that a run asked for a tight gradient tolerance still gets there (a floor
     * kept for good slows the tail: digits, sample 400, took over 400 steps to |g| = 1e-7 |g0|).
     */
    private static final double SAMPLED_FORCING = 0.3;
    private static final double SAMPLED_FORCING_UNTIL = 1e-4;

    private final FgnOptions options;
    private final List<TrainingListener> listeners = new ArrayList<>();

    public FgnOptimizer(FgnOptions options) {
        this.options = options;
    }

    @Override
    public String name() {
        return options.solver().startsWith("ggn") || options.solver().equals(io.github.fastgn.solver.Solvers.NEWTON)
                ? "Newton" : options.dropCompensation() ? "FGN-D" : "FGN";
    }

    @Override
    public FgnOptimizer addListener(TrainingListener listener) {
        listeners.add(listener);
        return this;
    }

    public FgnOptions options() {
        return options;
    }

    /**
     * Minimises {@code sum_i c_i CE(W x_i + b, y_i) / sum_i c_i + l2/2 ||W||^2} from {@code start}.
     * Features are used as given (standardisation is the caller's; see
     * {@link io.github.fastgn.SoftmaxHeadTrainer}).
     *
     * @param x       features, row-major {@code n x d}, finite
     * @param y       labels in {@code [0, k)}
     * @param weights example weights (non-negative, positive sum) or null
     * @param start   initial {@code [W | b]} ({@code k x (d+1)}), or null for zeros
     */
    @Override
    public TrainingResult optimize(double[] x, int[] y, double[] weights, int n, int d, int k, double[] start) {
        checkInputs(x == null ? -1 : x.length, y, weights, n, d, k);
        return run(x, null, y, weights, n, d, k, start);
    }

    /**
     * As {@link #optimize(double[], int[], double[], int, int, int, double[])} with float features.
     * Full batch with a {@link FgnOptions#curvatureSample() curvature sample} keeps them as float
     * (half the memory and memory traffic; products sum in double); the other modes widen them to
     * a double copy first.
     */
    public TrainingResult optimize(float[] x, int[] y, double[] weights, int n, int d, int k, double[] start) {
        checkInputs(x == null ? -1 : x.length, y, weights, n, d, k);
        boolean keepFloat = options.mode() == FgnOptions.Mode.FULL && options.curvatureSampleFor(n) < n;
        if (keepFloat) {
            return run(null, x, y, weights, n, d, k, start);
        }
        double[] wide = new double[n * d];
        for (int t = 0; t < wide.length; t++) {
            wide[t] = x[t];
        }
        return run(wide, null, y, weights, n, d, k, start);
    }

    private TrainingResult run(double[] x, float[] xf, int[] y, double[] weights, int n, int d, int k,
                               double[] start) {
        Parallel parallel = options.threads() == 0 ? Parallel.common() : Parallel.withThreads(options.threads());
        try {
            return options.mode() == FgnOptions.Mode.FULL
                    ? new Run(parallel, x, xf, y, weights, n, d, k).fullBatch(start)
                    : new Run(parallel, x, xf, y, weights, n, d, k).miniBatch(start);
        } finally {
            parallel.close();
        }
    }

    private static void checkInputs(long featureLength, int[] y, double[] weights, int n, int d, int k) {
        if (n < 1 || d < 0 || k < 2) {
            throw new IllegalArgumentException("need n >= 1 examples and k >= 2 classes, got n=" + n + ", k=" + k);
        }
        if (featureLength < (long) n * d || y == null || y.length < n) {
            throw new IllegalArgumentException("feature or label array shorter than n=" + n + ", d=" + d);
        }
        if (weights != null) {
            if (weights.length < n) {
                throw new IllegalArgumentException("weight array shorter than n=" + n);
            }
            double total = 0;
            for (int i = 0; i < n; i++) {
                if (!(weights[i] >= 0) || !Double.isFinite(weights[i])) {
                    throw new IllegalArgumentException("weight of example " + i + " is " + weights[i]
                            + "; weights must be finite and >= 0");
                }
                total += weights[i];
            }
            if (!(total > 0)) {
                throw new IllegalArgumentException("all example weights are zero");
            }
        }
    }

    /** The state of one run. */
    private final class Run {
        final Parallel parallel;
        final double[] x;
        /** Float features, kept as float by the sampled full-batch path; else null. */
        final float[] xf;
        final int[] y;
        final double[] weights;
        final int n;
        final int d;
        final int k;
        final int p;
        final double gamma;
        final long startNanos = System.nanoTime();
        final List<IterationRecord> history = new ArrayList<>();

        StepSolver solver;
        Damping damping;
        double[] wt;
        double[] h;
        double[] s;
        double[] dz;
        double[] extra;

        // outcome of the last attemptStep
        double alpha;
        double alpha0;
        double rho;
        double guardRatio;
        boolean guardBound;
        boolean armijo;
        int cgIterations;

        Run(Parallel parallel, double[] x, float[] xf, int[] y, double[] weights, int n, int d, int k) {
            this.parallel = parallel;
            this.x = x;
            this.xf = xf;
            this.y = y;
            this.weights = weights;
            this.n = n;
            this.d = d;
            this.k = k;
            this.p = k * (d + 1);
            this.gamma = options.l2();
        }

        TrainingResult fullBatch(double[] start) {
            int sample = options.curvatureSampleFor(n);
            boolean subsampled = sample < n;
            solver = Solvers.create(options.solver(), sample, d, k, !subsampled, options.maxCgIterations());
            CurvatureSample curvature = null;
            AllRows rows;
            if (subsampled) {
                FullData data = xf != null ? new FullData(xf, y, weights, n, d, k, parallel)
                        : new FullData(x, y, weights, n, d, k, parallel);
                curvature = new CurvatureSample(data, sample);
                rows = new BlockedRows(data);
                init(start, sample);
            } else {
                HeadBatch batch = newBatch(n);
                batch.setBatch(x, y, weights, n);
                rows = new OneBatch(batch);
                init(start, n);
            }
            double f = rows.evaluate(wt, h);
            double g = norm(h);
            double g0 = g;
            double lambda = initialLambda(subsampled ? curvature.draw(wt) : ((OneBatch) rows).batch);
            fireStarted();
            StopReason reason;
            int stalled = 0;
            int accepted = 0;
            int it = 0;
            boolean warm = solver.name().contains("param-cg");
            while (true) {
                reason = stopBefore(g, g0, it);
                if (reason != null) {
                    break;
                }
                it++;
                if (!warm) {
                    Arrays.fill(s, 0.0);
                }
                HeadBatch curvatureBatch = subsampled ? curvature.draw(wt) : ((OneBatch) rows).batch;
                attemptStep(curvatureBatch, rows, f, lambda, subsampled && g > SAMPLED_FORCING_UNTIL * g0
                        ? Math.max(SAMPLED_FORCING, forcing(g, g0)) : forcing(g, g0));
                boolean ok = armijo && rho > 0;
                if (ok) {
                    for (int t = 0; t < p; t++) {
                        wt[t] += alpha * s[t];
                    }
                    accepted++;
                    double fNew = accepted % REFRESH_EVERY == 0 ? rows.evaluate(wt, h) : rows.move(alpha, wt, h);
                    g = norm(h);
                    stalled = (f - fNew) <= STALL_DECREASE * Math.max(Math.abs(fNew), Double.MIN_NORMAL)
                            ? stalled + 1 : 0;
                    f = fNew;
                    if (warm) {
                        // warm start: the previous step, as taken
                        for (int t = 0; t < p; t++) {
                            s[t] *= alpha;
                        }
                    }
                } else {
                    Arrays.fill(s, 0.0);
                }
                record(it, it, f, g, lambda, ok ? alpha : 0.0, ok);
                double before = lambda;
                lambda = updateLambda(lambda, ok, 1.0);
                if (!ok && before >= options.maxDamping()) {
                    reason = StopReason.DAMPING_LIMIT;
                    break;
                }
                if (stalled >= STALL_STEPS) {
                    reason = StopReason.STALLED;
                    break;
                }
                if (ok && f <= options.targetObjective()) {
                    reason = StopReason.TARGET_REACHED;
                    break;
                }
            }
            f = rows.evaluate(wt, h);
            return finish(f, norm(h), it, it, reason);
        }

        /**
         * The rows a full-batch run measures its objective on, with the logits at the current
         * point kept: the gradient and objective after a step come from moving those logits, and
         * the step-length search runs along the kept logit image of the step.
         */
        interface AllRows extends Line {
            /** Recomputes the logits at {@code params}; returns the objective, gradient into {@code grad}. */
            double evaluate(double[] params, double[] grad);

            /** Moves the logits by {@code alpha} times the kept direction; objective and gradient at {@code params}. */
            double move(double alpha, double[] params, double[] grad);
        }

        /** A line through the current point on one batch, its logit image kept in {@code dz}. */
        class BatchLine implements Line {
            final HeadBatch batch;

            BatchLine(HeadBatch batch) {
                this.batch = batch;
            }

            @Override
            public double direction(double[] step) {
                batch.logitDirection(step, dz);
                return batch.maxSpread(dz);
            }

            @Override
            public double curvatureAlong(StepSolver.Curvature kind) {
                return kind == StepSolver.Curvature.FGN ? batch.fgnCurvatureAlong(dz) : batch.ggnCurvatureAlong(dz);
            }

            @Override
            public double dataLossAlong(double a) {
                return batch.dataLossAlong(dz, a);
            }
        }

        /** All rows in one batch (curvature from all rows): memory O(n K) several times over. */
        final class OneBatch extends BatchLine implements AllRows {
            OneBatch(HeadBatch batch) {
                super(batch);
            }

            @Override
            public double evaluate(double[] params, double[] grad) {
                batch.evaluate(params);
                batch.gradient(params, gamma, grad);
                return batch.objective(params, gamma);
            }

            @Override
            public double move(double a, double[] params, double[] grad) {
                batch.moveLogits(dz, a);
                batch.gradient(params, gamma, grad);
                return batch.objective(params, gamma);
            }
        }

        /**
         * All rows in blocks with only the logits and the step's logit image kept
         * ({@link FullData}); the ratio test measures the step against the curvature of all rows
         * along it, as with {@link OneBatch}.
         */
        final class BlockedRows implements AllRows {
            final FullData data;

            BlockedRows(FullData data) {
                this.data = data;
            }

            @Override
            public double evaluate(double[] params, double[] grad) {
                return data.evaluate(params, gamma, grad);
            }

            @Override
            public double move(double a, double[] params, double[] grad) {
                data.step(a);
                return data.objectiveAndGradient(params, gamma, grad);
            }

            @Override
            public double direction(double[] step) {
                return data.direction(step);
            }

            @Override
            public double curvatureAlong(StepSolver.Curvature kind) {
                return data.curvatureAlong(kind == StepSolver.Curvature.FGN);
            }

            @Override
            public double dataLossAlong(double a) {
                return data.dataLossAlong(a);
            }
        }

        TrainingResult miniBatch(double[] start) {
            BatchStream stream = new BatchStream(x, y, weights, n, d, options.batchSize(), options.seed());
            solver = Solvers.create(options.solver(), stream.capacity(), d, k, false, options.maxCgIterations());
            HeadBatch batch = newBatch(stream.capacity());
            Line line = new BatchLine(batch);
            init(start, stream.capacity());
            ChunkedObjective full = new ChunkedObjective(x, y, weights, n, d, k, gamma, parallel);
            double[] fullGradient = new double[p];
            full.evaluate(wt, fullGradient);
            double g0 = norm(fullGradient);
            double gFull = g0;
            double lambda = Double.NaN;
            // Polyak-Ruppert tail averaging over the second half of the budget: mini-batch steps
            // end in a noise ball around the optimum whose size the damping alone does not shrink
            double[] average = new double[p];
            int averaged = 0;
            int averageFrom = options.averaging() ? options.maxIterations() / 2 : Integer.MAX_VALUE;
            fireStarted();
            StopReason reason;
            double gFirst = Double.NaN;
            int it = 0;
            while (true) {
                reason = stopBefore(gFull, g0, it);
                if (reason != null) {
                    break;
                }
                int epoch = stream.epochs();
                if (!stream.next(batch)) {
                    continue; // only zero-weight examples: no objective to step on
                }
                batch.evaluate(wt);
                double f = batch.objective(wt, gamma);
                batch.gradient(wt, gamma, h);
                double g = norm(h);
                if (Double.isNaN(gFirst)) {
                    gFirst = g;
                    lambda = initialLambda(batch);
                }
                it++;
                Arrays.fill(s, 0.0);
                // noise control: the same-batch ratio rule alone stalls above the optimum (class javadoc);
                // a single batch holds all the data, has no sampling noise and needs no floor
                double floor = stream.batchesPerEpoch() > 1
                        ? MINIBATCH_DAMPING_GROWTH * (it - 1) * meanCurvature(batch) : 0.0;
                lambda = Math.min(options.maxDamping(), Math.max(lambda, floor));
                attemptStep(batch, line, f, lambda, forcing(g, gFirst));
                if (armijo) {
                    for (int t = 0; t < p; t++) {
                        wt[t] += alpha * s[t];
                    }
                    batch.moveLogits(dz, alpha);
                    f = batch.objective(wt, gamma);
                    batch.gradient(wt, gamma, h);
                    g = norm(h);
                }
                record(it, epoch, f, g, lambda, armijo ? alpha : 0.0, armijo);
                lambda = updateLambda(lambda, armijo, 0.5);
                if (it > averageFrom) {
                    averaged++;
                    for (int t = 0; t < p; t++) {
                        average[t] += (wt[t] - average[t]) / averaged;
                    }
                }
                if (stream.epochCompleted()) {
                    double fFull = full.evaluate(averaged > 0 ? average : wt, fullGradient);
                    gFull = norm(fullGradient);
                    for (TrainingListener l : listeners) {
                        l.epochFinished(stream.epochs(), fFull, gFull);
                    }
                    if (LOG.isLoggable(Level.FINE)) {
                        LOG.fine(String.format(java.util.Locale.ROOT, "epoch %d: objective %.10e, |grad| %.3e",
                                stream.epochs(), fFull, gFull));
                    }
                }
            }
            if (averaged > 0) {
                // keep the averaged iterate only if it is at least as good as the last one
                double fAverage = full.evaluate(average, null);
                double fLast = full.evaluate(wt, null);
                if (fAverage <= fLast) {
                    System.arraycopy(average, 0, wt, 0, p);
                }
            }
            double fFull = full.evaluate(wt, fullGradient);
            return finish(fFull, norm(fullGradient), it, stream.epochs(), reason);
        }

        /**
         * Solves for a step with the curvature of {@code curvatureBatch} and the gradient
         * {@code h}, applies the guard, the Armijo search and the ratio test along {@code line}
         * (the rows the objective is measured on), and leaves the outcome in the fields; does not
         * move the parameters.
         */
        void attemptStep(HeadBatch curvatureBatch, Line line, double f, double lambda, double eta) {
            if (options.dropCompensation()) {
                curvatureBatch.curvatureDiagonal(HeadBatch.Diagonal.DROPPED, extra);
            }
            damping.set(lambda, gamma, options.dropCompensation() ? extra : null);
            alpha = 0;
            alpha0 = 0;
            rho = Double.NaN;
            guardRatio = Double.NaN;
            guardBound = false;
            armijo = false;
            try {
                cgIterations = solver.solve(curvatureBatch, damping, h, s, eta).iterations();
            } catch (Cholesky.NotPositiveDefiniteException e) {
                // rounding made the damped system indefinite: reject, and the damping rises
                LOG.fine("step rejected: " + e.getMessage());
                cgIterations = 0;
                Arrays.fill(s, 0.0);
                return;
            }
            double hs = dot(h, s);
            if (!(hs < 0) || !allFinite(s)) {
                // not a descent direction (a solver breakdown or overflow): reject, raise damping
                LOG.fine("step rejected: not a finite descent direction (h.s = " + hs + ")");
                return;
            }
            double spread = line.direction(s);
            double cap = spread > 0 ? options.guardScale() * Math.PI / spread : Double.POSITIVE_INFINITY;
            alpha0 = options.guard() ? Math.min(1.0, cap) : 1.0;
            guardBound = options.guard() && cap < 1.0;
            guardRatio = spread > 0 ? alpha0 * spread / Math.PI : Double.NaN;
            double curvature = line.curvatureAlong(solver.curvature());
            double ws = HeadBatch.weightNormSquared(wt, s, d, k);
            double ss = HeadBatch.weightNormSquared(s, s, d, k);
            double ww = HeadBatch.weightNormSquared(wt, wt, d, k);
            curvature += gamma * ss;
            if (options.dropCompensation()) {
                for (int t = 0; t < p; t++) {
                    curvature += extra[t] * s[t] * s[t];
                }
            }
            double a = alpha0;
            for (int trial = 0; trial < MAX_BACKTRACKS; trial++) {
                double fa = line.dataLossAlong(a) + 0.5 * gamma * (ww + 2 * a * ws + a * a * ss);
                if (Double.isFinite(fa) && fa <= f + ARMIJO_C1 * a * hs) {
                    armijo = true;
                    alpha = a;
                    double predicted = -(a * hs + 0.5 * a * a * curvature);
                    rho = (f - fa) / predicted;
                    return;
                }
                a *= 0.5;
            }
            LOG.fine("step rejected: Armijo search failed");
        }

        /**
         * A fresh seeded sample of rows each iteration, evaluated at the current point: the
         * curvature of the step comes from it, while gradient, line search and ratio use all rows
         * (subsampled Gauss-Newton). The row system is then {@code sample x sample}, and the
         * Woodbury form accepts a gradient outside the sample's row space.
         */
        final class CurvatureSample {
            final FullData data;
            final HeadBatch rows;
            final Object sx;
            final int[] sy;
            final double[] sw;
            final int[] index;
            final SplittableRandom rng = new SplittableRandom(options.seed());

            CurvatureSample(FullData data, int size) {
                this.data = data;
                rows = newBatch(size);
                sx = data.newRows(size);
                sy = new int[size];
                sw = weights == null ? null : new double[size];
                index = new int[n];
                for (int i = 0; i < n; i++) {
                    index[i] = i;
                }
            }

            HeadBatch draw(double[] params) {
                int size = sy.length;
                // partial Fisher-Yates: the first size entries become a uniform sample without replacement
                for (int r = 0; r < size; r++) {
                    int j = r + rng.nextInt(n - r);
                    int t = index[r];
                    index[r] = index[j];
                    index[j] = t;
                }
                data.copyRows(index, size, sx, sy, sw);
                FullData.setRows(rows, sx, sy, sw, size);
                rows.evaluate(params);
                return rows;
            }
        }

        double updateLambda(double lambda, boolean ok, double smoothing) {
            double factor;
            if (!ok || rho < 0.25 || guardBound) {
                factor = 2.0;
            } else if (rho > 0.75) {
                factor = 1.0 / 3.0;
            } else {
                factor = 1.0;
            }
            double next = lambda * Math.pow(factor, smoothing);
            return Math.min(options.maxDamping(), Math.max(options.minDamping(), next));
        }

        double initialLambda(HeadBatch batch) {
            if (options.initialDamping() > 0) {
                return options.initialDamping();
            }
            return Math.min(options.maxDamping(), Math.max(options.minDamping(), meanCurvature(batch)));
        }

        /** The mean eigenvalue of the full GGN on the batch, {@code tr(G_full) / P}; O(B (K + d)). */
        double meanCurvature(HeadBatch batch) {
            // tr(G_full) / P = sum_i beta_i (1 - |p_i|^2)(|x_i|^2 + 1) / P
            double[] pr = batch.probabilities();
            double[] beta = batch.exampleWeights();
            double[] xs = batch.featureRows();
            double tr = 0;
            for (int i = 0; i < batch.rows(); i++) {
                double pp = 0;
                for (int c = 0; c < k; c++) {
                    pp += pr[i * k + c] * pr[i * k + c];
                }
                double xx = 1;
                for (int j = 0; j < d; j++) {
                    xx += xs[i * d + j] * xs[i * d + j];
                }
                tr += beta[i] * (1 - pp) * xx;
            }
            return tr / p;
        }

        HeadBatch newBatch(int capacity) {
            // Cholesky tolerates a tiny FGN weight; CG needs it bounded away from 0 (ALGORITHM.md §3, step 1)
            double floor = solver.name().endsWith("cholesky") ? 1e-300 : 1e-12;
            return new HeadBatch(capacity, d, k, floor, parallel);
        }

        void init(double[] start, int rows) {
            wt = new double[p];
            if (start != null) {
                if (start.length != p) {
                    throw new IllegalArgumentException("start has " + start.length + " entries, expected k*(d+1) = "
                            + p);
                }
                System.arraycopy(start, 0, wt, 0, p);
            }
            h = new double[p];
            s = new double[p];
            dz = new double[rows * k];
            extra = new double[p];
            damping = new Damping(d, k);
        }

        /** Why the run stops before iteration {@code it + 1}, or null to go on. */
        StopReason stopBefore(double g, double g0, int it) {
            if (g <= options.tolerance() * Math.max(1.0, g0)) {
                return StopReason.GRADIENT_TOLERANCE;
            }
            if (it >= options.maxIterations()) {
                return StopReason.MAX_ITERATIONS;
            }
            return outOfTime() ? StopReason.TIME_LIMIT : null;
        }

        double forcing(double g, double g0) {
            return Math.max(1e-6, Math.min(0.1, Math.sqrt(g / g0)));
        }

        boolean outOfTime() {
            return options.maxSeconds() > 0 && elapsed() > options.maxSeconds();
        }

        double elapsed() {
            return (System.nanoTime() - startNanos) * 1e-9;
        }

        void fireStarted() {
            if (LOG.isLoggable(Level.FINE)) {
                LOG.fine("training a softmax head: n=" + n + ", d=" + d + ", K=" + k + ", solver=" + solver.name()
                        + ", " + options);
            }
            for (TrainingListener l : listeners) {
                l.trainingStarted(solver.name(), options.maxIterations());
            }
        }

        void record(int it, int epoch, double f, double g, double lambda, double a, boolean ok) {
            IterationRecord r = new IterationRecord(it, epoch, f, g, lambda, a, cgIterations, guardRatio,
                    guardBound, ok, elapsed());
            history.add(r);
            if (LOG.isLoggable(Level.FINER)) {
                LOG.finer(r.toLine());
            }
            for (TrainingListener l : listeners) {
                l.iterationFinished(r);
            }
        }

        TrainingResult finish(double f, double g, int iterations, int epochs, StopReason reason) {
            if (!allFinite(wt) || !Double.isFinite(f)) {
                throw new ArithmeticException("training diverged: the parameters are not finite after " + iterations
                        + " iterations; lower the initial step (raise initialDamping) or enable the guard");
            }
            TrainingResult result = new TrainingResult(wt.clone(), f, g, iterations, epochs, solver.name(), reason,
                    history, elapsed());
            if (LOG.isLoggable(Level.FINE)) {
                LOG.fine(String.format(java.util.Locale.ROOT, "finished after %d iterations (%s): objective %.12e,"
                        + " |grad| %.3e, %.3f s", iterations, reason, f, g, result.elapsedSeconds()));
            }
            for (TrainingListener l : listeners) {
                l.trainingFinished(result);
            }
            return result;
        }
    }

    /**
     * What the step-length search needs from the rows the objective is measured on: the logit
     * image of a step (kept), the curvature of the solver's model along it, and the data loss at
     * a step length. Logits are affine in the step length, so each trial is O(rows K).
     */
    interface Line {
        /** Computes and keeps the logit image of {@code step}; returns its largest per-example spread. */
        double direction(double[] step);

        /** {@code s^T G s} of the model curvature along the kept direction. */
        double curvatureAlong(StepSolver.Curvature kind);

        /** The data loss at step length {@code alpha} along the kept direction. */
        double dataLossAlong(double alpha);
    }

    static double norm(double[] a) {
        return Math.sqrt(dot(a, a));
    }

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    static boolean allFinite(double[] a) {
        for (double v : a) {
            if (!Double.isFinite(v)) {
                return false;
            }
        }
        return true;
    }
}
