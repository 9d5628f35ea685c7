package io.github.fastgn.optim;

import io.github.fastgn.internal.optim.CertificateBackoff;
import io.github.fastgn.internal.optim.StopRules;
import io.github.fastgn.internal.optim.TrainingRun;
import io.github.fastgn.internal.head.BatchStream;
import io.github.fastgn.internal.head.ChunkedObjective;
import io.github.fastgn.internal.head.CompetitorCurvature;
import io.github.fastgn.internal.head.ExternalRows;
import io.github.fastgn.internal.head.FullData;
import io.github.fastgn.internal.head.HeadBatch;
import io.github.fastgn.internal.linalg.Cholesky;
import io.github.fastgn.data.CsrFeatures;
import io.github.fastgn.data.LabelledData;
import io.github.fastgn.data.MappedFloatFeatures;
import io.github.fastgn.internal.linalg.Parallel;
import io.github.fastgn.internal.solver.Damping;
import io.github.fastgn.internal.solver.NewtonDecrement;
import io.github.fastgn.internal.solver.ParamCgSolver;
import io.github.fastgn.internal.solver.StepSolver;
import io.github.fastgn.internal.solver.Solvers;

import java.util.Arrays;
import java.util.Locale;
import java.util.function.Supplier;
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
 * <p>The parts: a {@link RowSource} (one batch, or {@link FullData} blocks with a sampled
 * curvature) or {@link MiniBatchRows} gives the rows; the {@link StepSolver} the step; a
 * {@link StepSearch} the guard, the Armijo length and rho; a {@link DampingPolicy} the next
 * lambda; a {@link TrainingRun} the stop rules, history, listeners and logging.
 *
 * <p>Sparse features ({@link LabelledData#sparse}) train without a dense copy: every product goes
 * through the compressed rows, the solver is chosen by a cost model that counts their stored values,
 * and solvers that need dense rows are never chosen for them (an explicit choice is refused).
 *
 * <p>Mapped features ({@link LabelledData#mapped}, a float matrix file bigger than the heap) are
 * never copied onto the heap: full batch always streams them through {@link FullData} (block by
 * block on every pass, bit-identical to in-heap float data) with the curvature from a sample of at
 * most {@link FgnOptions#AUTO_SAMPLE_SIZE} rows unless a sample size is set, gathered into the heap;
 * mini-batch mode reads each batch's rows and evaluates the full objective chunk by chunk.
 *
 * <p>This class has no Tribuo or XChart dependency; it works on plain row-major arrays.
 */
public final class FgnOptimizer extends ObservedOptimizer<FgnOptimizer> {

    private static final Logger LOG = Logger.getLogger(FgnOptimizer.class.getName());

    /** Stall rule: an accepted step decreasing by at most this relative amount stalls ... */
    private static final double STALL_DECREASE = 1e-10;
    /** ... and this many in a row stop the run. */
    private static final int STALL_STEPS = 3;
    /** Full-batch logits are recomputed from the parameters every this many accepted steps (when the next one starts). */
    private static final int REFRESH_EVERY = 10;
    /**
     * Rows per class the fixed curvature sample of distributed dense rows holds at least (when the
     * driver's heap allows): a sample of 8192 rows holds 8 rows per class at {@code K = 1000}, where
     * the sampled steps stalled near the optimum on the bench's {@code syn} set.
     */
    static final int KEPT_ROWS_PER_CLASS = 64;
    /**
     * The loosest relative residual a step from a curvature sample is solved to. The sampled
     * curvature is itself only an estimate of the full one, so solving it more exactly buys
     * little: on Fashion-MNIST pixels (sample 8192 of 60000) a floor of 0.3 instead of the usual
     * forcing (down to 0.03 near the optimum) cut the CG work to reach f*(1 + 1e-4) by 2.5x for 4
     * more outer steps (9.1 s instead of 14.5 s). Below {@code FORCING_FLOOR_UNTIL g0} the usual
     * forcing returns, so that a run asked for a tight tolerance still gets there (a floor
     * kept for good slows the tail: digits, sample 400, took over 400 steps to |g| = 1e-7 |g0|).
     */
    private static final double SAMPLED_FORCING = 0.3;
    /**
     * The loosest relative residual a step on every row's top-competitor curvature is solved to,
     * to the end of the run. That curvature keeps each row's {@value Solvers#KEPT_CLASSES}
     * likeliest classes and a uniform tail, so near the optimum a step shrinks the gradient norm by
     * about 0.4x however exactly it is solved (the truncation does not fade there: the outer
     * convergence stays linear), and the usual forcing (down to 0.01 there) paid for digits the
     * model does not have. On the bench's {@code syn} (K = 1000) the run to f*(1 + 1e-4) took 10
     * steps with either rule and 67 CG iterations with this floor instead of 99; floors of 0.15 and
     * 0.25 took 11 steps; the floor lifted below {@code FORCING_FLOOR_UNTIL g0} as for a sample, 83.
     */
    private static final double TRUNCATED_FORCING = 0.1;
    private static final double FORCING_FLOOR_UNTIL = 1e-4;

    private final FgnOptions options;

    /**
     * @param options the settings; {@code standardize} must be off, because this optimizer trains on
     *                the features as given (the trainers standardise and fold the scaling back)
     * @throws IllegalArgumentException if {@code options} is null or asks for standardisation
     */
    public FgnOptimizer(FgnOptions options) {
        if (options == null) {
            throw new IllegalArgumentException("options must not be null");
        }
        if (options.standardize()) {
            throw new IllegalArgumentException("standardize is on, but FgnOptimizer trains on the features as given:"
                    + " build the options with standardize(false), or train with SoftmaxHeadTrainer (plain arrays) or"
                    + " FGNTrainer (Tribuo), which standardise the features and fold the scaling back into the model");
        }
        this.options = options;
    }

    @Override
    public String name() {
        String choice = options.solverChoice();
        if (choice.equalsIgnoreCase(Solvers.AUTO)) {
            return "FGN/Newton (auto)";
        }
        return Solvers.curvature(choice) == StepSolver.Curvature.FULL
                ? "Newton" : options.dropCompensation() ? "FGN-D" : "FGN";
    }

    public FgnOptions options() {
        return options;
    }

    /**
     * Minimises {@code sum_i c_i CE(W x_i + b, y_i) / sum_i c_i + l2/2 ||W||^2} from {@code start}
     * on the features as given. Float features ({@link LabelledData#ofFloat}) stay float in full
     * batch with a {@link FgnOptions#curvatureSample() curvature sample} (half the memory and
     * memory traffic; products sum in double); the other modes widen them to a double copy first.
     * Sparse features stay sparse in every mode.
     * With {@link FgnOptions#classWeight()} "balanced" the weights {@code c_i} are the example weights
     * times the class weights ({@link io.github.fastgn.data.ClassWeights}; {@code data} is not modified).
     */
    @Override
    protected TrainingResult run(LabelledData given, double[] start) {
        LabelledData data = options.classWeights().applyTo(given);
        int n = data.size();
        boolean keepFloat = data.isFloat() && options.mode() == FgnOptions.Mode.FULL
                && options.curvatureSampleFor(n) < n;
        CsrFeatures xs = data.sparseFeatures();
        MappedFloatFeatures xm = data.mappedFeatures();
        double[] x = keepFloat || xs != null || xm != null ? null : data.features();
        float[] xf = keepFloat ? data.floatFeatures() : null;
        return withPool(options.threads(), parallel -> {
            Run run = new Run(parallel, x, xf, xs, xm, data.labels(), data.weights(), n, data.featureCount(),
                    data.classCount(), start, null);
            return options.mode() == FgnOptions.Mode.FULL ? run.fullBatch() : run.miniBatch();
        });
    }

    /**
     * Full-batch training on rows held elsewhere (FastGN's Spark estimator): the same loop as
     * {@link #optimize(LabelledData, double[])} in full mode (damping, guard, search, ratio, stop
     * rules, certificates, listeners), with the objective, the gradient and the search measured by
     * {@code rows} and the steps solved here on the curvature rows it brings (all rows, or a fresh
     * seeded sample of {@link FgnOptions#curvatureSampleFor} rows per gradient). Not an API:
     * {@link ExternalRows} is internal and may change without notice.
     *
     * @param start {@code [W | b]} to start from, or null for zeros (not modified)
     * @throws IllegalArgumentException if {@code rows} is null or empty, the options are not in full mode
     *                                  or ask for class weights, or {@code start} does not fit
     */
    public TrainingResult optimize(ExternalRows rows, double[] start) {
        if (rows == null) {
            throw new IllegalArgumentException("rows must not be null");
        }
        if (rows.size() < 1) {
            throw new IllegalArgumentException("the data set is empty: training needs at least one example");
        }
        if (options.mode() != FgnOptions.Mode.FULL) {
            throw new IllegalArgumentException("rows held elsewhere train in full mode only, got mode="
                    + OptionSpec.format(options.mode()) + ": build the options with mode(Mode.FULL)");
        }
        if (!options.classWeight().equals("none")) {
            throw new IllegalArgumentException("rows held elsewhere carry their own example weights: leave"
                    + " classWeight at none and weight the rows instead");
        }
        long p = (long) rows.classCount() * (rows.featureCount() + 1);
        if (start != null && start.length != p) {
            throw new IllegalArgumentException("start has " + start.length + " entries, expected k*(d+1) = " + p
                    + " (row-major [W | b], one row per class); pass null to start from zero");
        }
        int n = (int) Math.min(rows.size(), Integer.MAX_VALUE);
        return withPool(options.threads(), parallel -> new Run(parallel, null, null, null, null, null, null, n,
                rows.featureCount(), rows.classCount(), start == null ? null : start.clone(), rows).fullBatch());
    }

    /**
     * Arrays of the {@code K (d + 1)} parameters a run holds at least (the point, gradient, step and
     * damping, and the solver's CG vectors); a head whose copies exceed the heap is refused.
     */
    static final int PARAMETER_COPIES = 8;

    /** The usual cause of a K too large for the heap, and its fix, as the size checks say it. */
    private static final String CHECK_THE_LABELS = "K is the largest label + 1, so check the labels (classes"
            + " numbered 0..K-1, e.g. with Spark's StringIndexer)";

    /** The state of one run: the data, the parts, and the current point. */
    private final class Run {
        final Parallel parallel;
        final double[] x;
        /** Float features, kept as float by the sampled full-batch path; else null. */
        final float[] xf;
        /** Sparse features, kept sparse in every mode; else null. */
        final CsrFeatures xs;
        /** Mapped features, streamed in every mode; else null. */
        final MappedFloatFeatures xm;
        /** How the rows are stored, for the solver choice. */
        final Solvers.Rows storage;
        final int[] y;
        final double[] weights;
        final int n;
        final int d;
        final int k;
        final int p;
        final double gamma;
        /** The scaffold, made once the solver is resolved. */
        TrainingRun run;
        final DampingPolicy dampingPolicy = DampingPolicy.of(options);
        final StepSearch search;
        final Damping damping;
        /** The FGN-D dropped-term diagonal (when dropCompensation is on). */
        final double[] dropped;

        StepSolver solver;
        /** The solver of the convergence certificate: a direct one of the same curvature when it fits. */
        StepSolver certifier;
        /** The current point {@code [W | b]}, its gradient, and the step. */
        final double[] wt;
        final double[] h;
        final double[] s;
        /**
         * Scratch for the certificate solve of the convergence test, made on its first use (a run
         * that stops at a target objective, or before its test pays for a solve, never needs it: on a
         * text head that is a 42 MB array).
         */
        private double[] certificate;
        /** When the convergence test pays for a certificate solve. */
        final CertificateBackoff certificates = new CertificateBackoff();
        /** Operator applications of the last solve. */
        int cgIterations;
        /** Every row's top-competitor curvature at the current point, when the solver takes it; else null. */
        CompetitorCurvature competitors;
        /** Rows held elsewhere ({@link #optimize(ExternalRows, double[])}), or null. */
        final ExternalRows external;

        Run(Parallel parallel, double[] x, float[] xf, CsrFeatures xs, MappedFloatFeatures xm, int[] y,
            double[] weights, int n, int d, int k, double[] start, ExternalRows external) {
            this.parallel = parallel;
            this.x = x;
            this.xf = xf;
            this.xs = xs;
            this.xm = xm;
            this.external = external;
            this.storage = xs != null ? Solvers.Rows.sparse(xs.storedValues(), n)
                    : external != null && external.sparse() ? Solvers.Rows.sparse(external.storedValues(), n)
                    : Solvers.Rows.dense(d);
            this.y = y;
            this.weights = weights;
            this.n = n;
            this.d = d;
            this.k = k;
            requireParametersFit((long) k * (d + 1), k, d);
            this.p = k * (d + 1);
            this.gamma = options.l2();
            this.search = new StepSearch(options.guardApplies(), options.guardScale(), gamma, d, k);
            this.damping = new Damping(d, k);
            this.dropped = options.dropCompensation() ? new double[p] : null;
            wt = start == null ? new double[p] : start.clone();
            h = new double[p];
            s = new double[p];
        }

        /**
         * Full batch: LM iterations on all rows; a step that fails Armijo or does not decrease
         * ({@code rho <= 0}) is rejected and retried with a larger damping.
         */
        TrainingResult fullBatch() {
            int sample = options.curvatureSampleFor(n);
            if (xm != null && sample == n) {
                // mapped rows always stream; the curvature rows are gathered, so their number is bounded
                sample = Math.min(n, FgnOptions.AUTO_SAMPLE_SIZE);
            }
            // the top-competitor structure reads in-heap dense row blocks: the rows themselves, or for dense rows held
            // elsewhere a fixed sample of them kept here; memory-mapped and sparse distributed rows take the sampled
            // curvature, and an explicit choice of it there is refused
            boolean heapBlocks = xm == null && external == null;
            boolean keptBlocks = external != null && !external.sparse();
            if (!heapBlocks && !keptBlocks && !Solvers.AUTO.equalsIgnoreCase(options.solverChoice())
                    && Solvers.capabilities(Solvers.resolve(options.solverChoice(), sample, d, k, sample >= n, storage))
                    .everyRowTruncated()) {
                throw new OptionException(FgnOptions.SOLVER.name(), "solver " + options.solverChoice() + " needs dense"
                        + " rows as in-heap blocks; memory-mapped or sparse distributed rows take a sampled curvature:"
                        + " use solver auto or ggn-param-cg");
            }
            int kept = keptBlocks ? keptCurvatureRows(sample) : 0;
            String name = heapBlocks ? Solvers.resolveFullBatch(options.solverChoice(), n, sample, d, k, storage)
                    : Solvers.resolve(options.solverChoice(), sample, d, k, sample >= n, storage);
            if (kept > sample && ParamCgSolver.TOP_NAME.equals(
                    Solvers.resolveFullBatch(options.solverChoice(), kept, sample, d, k, storage))) {
                name = ParamCgSolver.TOP_NAME;
            }
            boolean truncated = Solvers.capabilities(name).everyRowTruncated();
            if (truncated) {
                // every (kept) row's curvature through the top-competitor structure; a sample of rows only for the
                // initial damping and the convergence certificate
                sample = Math.min(sample, Math.min(external != null ? kept : n, FgnOptions.AUTO_SAMPLE_SIZE));
            }
            boolean sampled = sample < n;
            solver = Solvers.create(name, sample, d, k, !sampled, options.maxCgIterations(), storage);
            certifier = Solvers.certificateFor(solver, sample, d, k, !sampled, storage);
            RowSource rows = external != null ? (truncated ? externalCompetitorRows(kept, sample)
                    : externalRows(sample, sampled))
                    : truncated ? competitorRows(sample) : sampled || xm != null ? sampledRows(sample) : oneBatch();
            boolean warm = solver.capabilities().warmStartable();
            run = newRun();
            double f = rows.evaluate(wt, h);
            TrainingRun.requireFiniteStart(f);
            double g = norm(h);
            double g0 = g;
            double lambda = firstDamping(rows.curvatureRows(wt));
            started();
            // a start at the optimum (a warm start) is certified before any step is taken
            StopReason reason = rows.sampled() ? null : run.convergedAt(startGap(rows.curvatureRows(wt), f, g), f);
            int accepted = 0;
            int it = 0;
            boolean refreshDue = false;
            while (reason == null && (reason = run.stopBefore(g, g0, it)) == null) {
                it++;
                if (refreshDue) {
                    // the logits recomputed from the parameters against drift, every REFRESH_EVERY accepted steps:
                    // here, when the step after the one that made it due starts, so that a run stopping there
                    // (bench syn stops after its tenth step) does not pay a product for it
                    rows.refreshLogits(wt);
                    refreshDue = false;
                }
                if (!warm) {
                    Arrays.fill(s, 0.0);
                }
                competitors = rows.competitors();
                // with every row's top-competitor curvature the side sample feeds only the FGN-D diagonal and the
                // convergence certificate: drawn (its logits computed) when one of them reads it, not every step
                HeadBatch curvature = competitors == null || dropped != null ? rows.curvatureRows(wt) : null;
                StepSearch.Trial step = attempt(curvature, rows, f, lambda, forcing(rows, g, g0));
                boolean ok = step.armijo() && step.rho() > 0;
                double before = f;
                double gap = gapEstimate(curvature != null ? () -> curvature : () -> rows.curvatureRows(wt), step, f);
                if (ok) {
                    take(step.alpha());
                    accepted++;
                    f = rows.move(step.alpha(), wt, h);
                    g = norm(h);
                    refreshDue = accepted % REFRESH_EVERY == 0;
                    if (warm) {
                        // warm start: the previous step, as taken
                        for (int t = 0; t < p; t++) {
                            s[t] *= step.alpha();
                        }
                    }
                } else {
                    Arrays.fill(s, 0.0);
                }
                record(it, it, f, g, lambda, step, ok);
                if ((reason = run.convergedAt(gap, before)) != null) {
                    break; // the point the step started from was certified; the step, if taken, only helps
                }
                double used = lambda;
                lambda = dampingPolicy.update(lambda, ok, step.rho(), step.guardBound());
                if (!ok && used >= dampingPolicy.max()) {
                    reason = StopReason.DAMPING_LIMIT;
                    break;
                }
                if (ok && (reason = run.afterAccepted(before, f)) != null) {
                    break;
                }
            }
            // f and h are those of wt here: from the last accepted step's move (logits moved along the
            // step's image, at most REFRESH_EVERY moves from a fresh evaluation, so rounding only), or
            // unchanged since a rejected step; a fresh evaluation would read X twice more (2 of the text
            // race's 19 passes) to change f in its last digits
            return run.finish(wt, f, norm(h), it, it, rows.rowsRead() / (double) n, reason);
        }

        /**
         * Mini-batch: every Armijo step is taken, rho is measured on the same batch, the damping
         * update is smoothed and floored (class javadoc), and the full objective is reported after
         * every epoch; Polyak-Ruppert tail averaging over the second half of the budget.
         */
        TrainingResult miniBatch() {
            BatchStream stream = xs != null ? new BatchStream(xs, y, weights, options.batchSize(), options.seed())
                    : xm != null ? new BatchStream(xm, y, weights, options.batchSize(), options.seed())
                    : new BatchStream(x, y, weights, n, d, options.batchSize(), options.seed());
            solver = Solvers.create(options.solverChoice(), stream.capacity(), d, k, false, options.maxCgIterations(),
                    storage);
            certifier = Solvers.certificateFor(solver, stream.capacity(), d, k, false, storage);
            MiniBatchRows rows = new MiniBatchRows(stream, newBatch(stream.capacity()),
                    xs != null ? new ChunkedObjective(xs, y, weights, k, gamma, parallel)
                            : xm != null ? new ChunkedObjective(xm, y, weights, k, gamma, parallel)
                            : new ChunkedObjective(x, y, weights, n, d, k, gamma, parallel), gamma);
            run = newRun();
            double[] fullGradient = new double[p];
            double fStart = rows.full.evaluate(wt, fullGradient);
            TrainingRun.requireFiniteStart(fStart);
            double g0 = norm(fullGradient);
            double gFull = g0;
            // the best point the full objective has seen (the start, then the epochs' points): what a
            // run that ends above its start returns (DIVERGED) instead of its last iterate
            double[] best = wt.clone();
            double fBest = fStart;
            double lambda = Double.NaN;
            // Polyak-Ruppert tail averaging over the second half of the budget: mini-batch steps
            // end in a noise ball around the optimum whose size the damping alone does not shrink
            double[] average = new double[p];
            int averaged = 0;
            int averageFrom = options.averaging() ? options.maxIterations() / 2 : Integer.MAX_VALUE;
            started();
            StopReason reason;
            double gFirst = Double.NaN;
            int it = 0;
            while ((reason = run.stopBefore(gFull, g0, it)) == null) {
                int epoch = stream.epochs();
                if (!rows.next(wt)) {
                    continue; // only zero-weight examples: no objective to step on
                }
                double f = rows.objective(wt, h);
                double g = norm(h);
                if (Double.isNaN(gFirst)) {
                    gFirst = g;
                    lambda = firstDamping(rows.batch);
                }
                it++;
                Arrays.fill(s, 0.0);
                // noise control: the same-batch ratio rule alone stalls above the optimum (class javadoc)
                lambda = dampingPolicy.withMiniBatchFloor(lambda, it, rows.batch, rows.severalBatches());
                StepSearch.Trial step = attempt(rows.batch, rows.line, f, lambda, forcing(g, gFirst));
                // a single batch is the whole objective: its step certifies convergence as in full batch
                double gap = rows.severalBatches() ? Double.NaN : gapEstimate(() -> rows.batch, step, f);
                double before = f;
                if (step.armijo()) {
                    take(step.alpha());
                    rows.move(step.alpha());
                    f = rows.objective(wt, h);
                    g = norm(h);
                }
                record(it, epoch, f, g, lambda, step, step.armijo());
                if ((reason = run.convergedAt(gap, before)) != null) {
                    break;
                }
                lambda = dampingPolicy.update(lambda, step.armijo(), step.rho(), step.guardBound());
                if (it > averageFrom) {
                    averaged++;
                    for (int t = 0; t < p; t++) {
                        average[t] += (wt[t] - average[t]) / averaged;
                    }
                }
                if (stream.epochCompleted()) {
                    double[] point = averaged > 0 ? average : wt;
                    double fFull = rows.full.evaluate(point, fullGradient);
                    gFull = norm(fullGradient);
                    run.epochFinished(stream.epochs(), fFull, gFull);
                    if (fFull < fBest) {
                        fBest = fFull;
                        System.arraycopy(point, 0, best, 0, p);
                    }
                }
            }
            if (averaged > 0) {
                // keep the averaged iterate only if it is at least as good as the last one
                double fAverage = rows.full.evaluate(average, null);
                double fLast = rows.full.evaluate(wt, null);
                if (fAverage <= fLast) {
                    System.arraycopy(average, 0, wt, 0, p);
                }
            }
            double fFull = rows.full.evaluate(wt, fullGradient);
            if (!(fFull <= fStart) && reason != StopReason.CONVERGED && reason != StopReason.INTERRUPTED
                    && reason != StopReason.STOPPED_BY_LISTENER) {
                // the steps made the model worse than its start (guard off, a batch of one, raw features):
                // report it (DIVERGED: one WARNING from the run), and return the best point the full
                // objective saw rather than the last one
                System.arraycopy(best, 0, wt, 0, p);
                fFull = rows.full.evaluate(wt, fullGradient);
                reason = StopReason.DIVERGED;
            }
            return run.finish(wt, fFull, norm(fullGradient), it, stream.epochs(), rows.rowsRead() / (double) n,
                    reason);
        }

        /**
         * Solves for a step with the curvature of {@code curvatureRows} (or of every row's top
         * competitors, {@link #competitors}, when set: then {@code curvatureRows} is read only for
         * the FGN-D diagonal and may be null without it) and the gradient {@code h} into {@code s},
         * then searches along it on {@code line} (the rows the objective is measured on); does not
         * move the parameters.
         */
        StepSearch.Trial attempt(HeadBatch curvatureRows, Line line, double f, double lambda, double eta) {
            if (dropped != null) {
                curvatureRows.curvatureDiagonal(HeadBatch.Diagonal.DROPPED, dropped);
            }
            damping.set(lambda, gamma, dropped);
            try {
                cgIterations = (competitors != null ? solver.solve(competitors, damping, h, s, eta)
                        : solver.solve(curvatureRows, damping, h, s, eta)).iterations();
            } catch (Cholesky.NotPositiveDefiniteException e) {
                // rounding made the damped system indefinite: reject, and the damping rises
                LOG.fine("step rejected: " + e.getMessage());
                cgIterations = 0;
                Arrays.fill(s, 0.0);
                return StepSearch.Trial.REJECTED;
            }
            return search.search(line, wt, h, s, f, dropped, solver.curvature());
        }

        /**
         * The estimate of {@code f - f*} at the point the step {@code s} (as solved, not yet taken)
         * started from: half the Newton decrement of the solver's undamped model {@code M} (its
         * curvature, the L2 term and the FGN-D diagonal), {@code h^T M^-1 h / 2}.
         *
         * <p>The step's own model decrease {@link StepSearch.Trial#modelDecrease()} is a lower
         * bound of it (any step's model decrease is), so while that is above the tolerance the run
         * has certainly not converged and it is returned as is. Once it is below, the damped step
         * may under-state the decrement by far (a component with curvature {@code mu} is
         * under-stated by the factor {@code 1 - (lambda / (mu + lambda))^2}), so a certificate
         * solve with the least damping ({@code minDamping}) gives the decrement itself
         * ({@link NewtonDecrement}; by a direct solver of the same curvature when one fits,
         * {@link Solvers#certificateFor}): one extra solve, only at the end of a run. NaN (never
         * converged) when that solve fails or, for an iterative solver, does not reach its tolerance.
         * In a slow tail the certificates back off ({@link CertificateBackoff}). {@code curvatureRows}
         * is asked for its rows only when a certificate is solved.
         */
        double gapEstimate(Supplier<HeadBatch> curvatureRows, StepSearch.Trial step, double f) {
            double decrease = step.modelDecrease();
            double bound = options.tolerance() * Math.max(Math.abs(f), Double.MIN_NORMAL);
            if (!(decrease <= bound)) {
                return decrease;
            }
            double waiting = certificates.waitEstimate(decrease, bound);
            if (!Double.isNaN(waiting)) {
                return waiting;
            }
            // the FGN curvature without the FGN-D diagonal: M <= H, so the decrement errs on the safe side
            damping.set(options.minDamping(), gamma, null);
            double gap = NewtonDecrement.half(certifier, curvatureRows.get(), damping, h, certificateScratch());
            certificates.certified(gap, decrease, bound);
            return gap;
        }

        /**
         * The gap estimate at the starting point, before any step: the certificate of
         * {@link #gapEstimate}, tried only when a necessary condition holds. Half the decrement is
         * at least {@code ||h||^2 / (2 lambda_max(H)) >= ||h||^2 / (2 tr H)} (for FGN's curvature
         * too, which is below {@code H}), with {@code tr H = tr(G_full) + gamma K d} cheap to
         * compute; a start farther from the optimum than that (every cold start) costs no solve.
         */
        double startGap(HeadBatch curvatureRows, double f, double g) {
            double trace = DampingPolicy.meanCurvature(curvatureRows) * p + gamma * k * d;
            if (!(g * g <= 2 * trace * options.tolerance() * Math.max(Math.abs(f), Double.MIN_NORMAL))) {
                return Double.NaN;
            }
            damping.set(options.minDamping(), gamma, null);
            return NewtonDecrement.half(certifier, curvatureRows, damping, h, certificateScratch());
        }

        /** The run's first damping from {@code batch}; sets the damping's bias scale for the run ({@link DampingPolicy#start}). */
        double firstDamping(HeadBatch batch) {
            DampingPolicy.Start begin = dampingPolicy.start(batch);
            damping.setBiasScale(begin.biasScale());
            return begin.lambda();
        }

        private double[] certificateScratch() {
            if (certificate == null) {
                certificate = new double[p];
            }
            return certificate;
        }

        /** {@code wt += alpha s}. */
        void take(double alpha) {
            for (int t = 0; t < p; t++) {
                wt[t] += alpha * s[t];
            }
        }

        RowSource oneBatch() {
            HeadBatch batch = newBatch(n);
            if (xs != null) {
                batch.setBatch(xs, y, weights, Double.NaN);
            } else {
                batch.setBatch(x, y, weights, n);
            }
            return RowSource.oneBatch(batch, gamma);
        }

        RowSource sampledRows(int sample) {
            return RowSource.sampledCurvature(fullData(), newBatch(sample), weights != null, options.seed(), gamma);
        }

        /** Every row's top-competitor curvature ({@link CompetitorCurvature}), a sample for the side uses. */
        RowSource competitorRows(int sample) {
            FullData data = fullData();
            return RowSource.topCompetitors(data, new CompetitorCurvature(data, Math.min(k, Solvers.KEPT_CLASSES)),
                    newBatch(sample), weights != null, options.seed(), gamma);
        }

        FullData fullData() {
            return xs != null ? new FullData(xs, y, weights, k, parallel)
                    : xm != null ? new FullData(xm, y, weights, k, parallel)
                    : xf != null ? new FullData(xf, y, weights, n, d, k, parallel)
                    : new FullData(x, y, weights, n, d, k, parallel);
        }

        RowSource externalRows(int sample, boolean sampled) {
            external.begin(sample, false, solver.capabilities().weightFloor(), gamma);
            return RowSource.external(external, newBatch(sample), sampled);
        }

        /**
         * Rows held elsewhere, the step's curvature from the top-competitor structure of a fixed sample of
         * {@code kept} of them brought here by the first pass (which also gives the start's objective, so
         * the loop's first evaluation costs no further pass), a sample of those for the side uses.
         */
        RowSource externalCompetitorRows(int kept, int sample) {
            long wanted = Math.min(n, (long) KEPT_ROWS_PER_CLASS * k);
            if (kept < wanted && LOG.isLoggable(Level.INFO)) {
                LOG.info("the curvature rows kept here are limited to " + kept + " of the " + wanted + " wanted, by"
                        + " the heap (-Xmx, or spark.driver.memory) or by what one pass may bring back"
                        + " (spark.driver.maxResultSize): raise them for more rows per class");
            }
            external.begin(kept, true, solver.capabilities().weightFloor(), gamma);
            external.evaluate(wt, h);
            FullData data = external.curvatureData(parallel);
            return RowSource.externalTopCompetitors(external, data,
                    new CompetitorCurvature(data, Math.min(k, Solvers.KEPT_CLASSES)), newBatch(sample), options.seed(),
                    gamma);
        }

        /**
         * The rows of the fixed curvature sample kept here for dense rows held elsewhere: at least the
         * per-step sample and {@value #KEPT_ROWS_PER_CLASS} rows per class, at most what a quarter of this
         * JVM's largest heap holds (float features, the logits and the top-competitor arrays of each row)
         * and what one pass may bring ({@link ExternalRows#gatherLimit}), at most all rows.
         */
        int keptCurvatureRows(int sample) {
            // float features, the kept logits (the step's logit image is never formed here), the top classes
            long perRow = 4L * d + 8L * k + 24L * Math.min(k, Solvers.KEPT_CLASSES);
            long fit = Math.min(Runtime.getRuntime().maxMemory() / 4 / perRow, external.gatherLimit());
            long want = Math.max(sample, (long) KEPT_ROWS_PER_CLASS * k);
            return (int) Math.min(n, Math.max(sample, Math.min(want, fit)));
        }

        /**
         * Refuses a head whose parameter-sized arrays cannot fit in the heap, before any is allocated: a run
         * holds at least {@value #PARAMETER_COPIES} arrays of the {@code K (d + 1)} parameters (the point,
         * its gradient and step, the damping, the solver's vectors), so a head past that ends in an
         * OutOfMemoryError part of the way in. The common cause is a label far above the others (K is the
         * largest label + 1).
         */
        private void requireParametersFit(long p, int k, int d) {
            long bytes = PARAMETER_COPIES * Double.BYTES * p;
            long heap = Runtime.getRuntime().maxMemory();
            if (p > Integer.MAX_VALUE - 8 || bytes > heap) {
                throw new IllegalArgumentException(String.format(Locale.ROOT, "a head of %d classes on %d features"
                                + " has %d parameters, and training holds at least %d arrays of them: %d MB, more"
                                + " than the heap (%d MB); %s, or use fewer features, or give the JVM more memory"
                                + " (-Xmx)", k, d, p, PARAMETER_COPIES, bytes >> 20, heap >> 20, CHECK_THE_LABELS));
            }
        }

        /**
         * A batch with the FGN weight floor the solver declares.
         *
         * @throws IllegalArgumentException if its four {@code capacity x K} arrays (logits,
         *                                  probabilities, margin directions, scratch) would take more
         *                                  than half the heap: a label far above the others (an id, an
         *                                  unindexed label) makes {@code K} huge, and the run would end
         *                                  in an {@code OutOfMemoryError} instead of a message
         */
        HeadBatch newBatch(int capacity) {
            long bytes = 32L * capacity * k;
            long heap = Runtime.getRuntime().maxMemory();
            if (bytes > heap / 2) {
                throw new IllegalArgumentException(String.format(Locale.ROOT, "a batch of %d rows at K = %d classes"
                                + " needs %d MB for its logits and probabilities, more than half the heap (%d MB); %s,"
                                + " or give the JVM more memory (-Xmx), or lower curvatureSample (full batch) or"
                                + " batchSize (mini-batch)", capacity, k, bytes >> 20, heap >> 20, CHECK_THE_LABELS));
            }
            return new HeadBatch(capacity, d, k, solver.capabilities().weightFloor(), parallel);
        }

        /** Stop rules: tolerance, budgets, 3 stalling steps, target (the target and stall only bind in full batch). */
        TrainingRun newRun() {
            StopRules rules = StopRules.of(options.tolerance(), options.maxIterations(), options.maxSeconds());
            if (options.mode() == FgnOptions.Mode.FULL) {
                rules = rules.withStall(STALL_DECREASE, Double.MIN_NORMAL, STALL_STEPS)
                        .withTarget(options.targetObjective());
            }
            return FgnOptimizer.this.newRun(solver.name(), rules, LOG);
        }

        void started() {
            run.started(options.maxIterations(), () -> "training a softmax head: n=" + n + ", d=" + d + ", K=" + k
                    + ", solver=" + solver.name() + ", " + options);
        }

        /**
         * The solve tolerance: {@link #forcing(double, double)}, floored for an approximate curvature:
         * a sample ({@link #SAMPLED_FORCING}, until |g| is small) or every row's top competitors
         * ({@link #TRUNCATED_FORCING}).
         */
        double forcing(RowSource rows, double g, double g0) {
            if (competitors != null) {
                return Math.max(TRUNCATED_FORCING, forcing(g, g0));
            }
            return rows.sampled() && g > FORCING_FLOOR_UNTIL * g0
                    ? Math.max(SAMPLED_FORCING, forcing(g, g0)) : forcing(g, g0);
        }

        /** Eisenstat-Walker style forcing {@code eta = clamp(sqrt(|g| / |g0|), 1e-6, 0.1)}. */
        double forcing(double g, double g0) {
            return Math.max(1e-6, Math.min(0.1, Math.sqrt(g / g0)));
        }

        void record(int it, int epoch, double f, double g, double lambda, StepSearch.Trial step, boolean ok) {
            run.record(it, epoch, f, g, lambda, ok ? step.alpha() : 0.0, cgIterations, step.guardRatio(),
                    step.guardBound(), ok);
        }
    }

    static double norm(double[] a) {
        return TrainingRun.norm(a);
    }
}
