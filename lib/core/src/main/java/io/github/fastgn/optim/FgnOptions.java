package io.github.fastgn.optim;

import io.github.fastgn.data.ClassWeights;
import io.github.fastgn.internal.solver.Solvers;
import io.github.fastgn.internal.solver.StepSolver;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Immutable settings of an FGN (or Newton) training run. Build with {@link #builder()}; every
 * {@code with...} on the builder validates its argument and says what is wrong.
 *
 * <p>Defaults follow ALGORITHM.md §3: {@code l2 = 1e-4} on W only, full batch, solver chosen by
 * cost, Ghosts-of-Softmax guard {@code auto} (on for mini-batches, with {@code c = 1}), LM damping from {@code lambda0 = 1} in
 * {@code [1e-10, 1e6]}, stop at {@code ||grad|| <= 1e-6 max(1, ||grad_0||)}.
 *
 * <p>This class is the single definition of every hyper-parameter: one {@link OptionSpec}
 * constant per option ({@link #OPTIONS}) holds its name, default, range, description (the
 * {@code *_DESCRIPTION} constants, which the Tribuo trainer's {@code @Config} annotations
 * reference) and validation; the builder validates with them and {@link #toString()} prints
 * them all. {@link Builder#build()} also rejects options set away from their default in the mode
 * where they do nothing ({@link OptionSpec#scope()}). The table of all options is
 * {@code lib/core/OPTIONS.md}.
 */
public final class FgnOptions {

    /** How examples enter each step. */
    public enum Mode {
        /** Every step uses all examples: the deterministic, convex reference. */
        FULL,
        /** Each step uses a shuffled mini-batch (the paper's row-space setting). */
        MINIBATCH;

        /** Parses "full" or "minibatch" (case-insensitive). */
        public static Mode parse(String s) {
            Mode m = lookup(s);
            if (m == null) {
                throw new OptionException(MODE.name(), MODE.message(s));
            }
            return m;
        }

        /** The mode "full", "minibatch" or "mini-batch" (case-insensitive) names, or null. */
        static Mode lookup(String s) {
            if (s == null) {
                return null;
            }
            switch (s.trim().toLowerCase(java.util.Locale.ROOT)) {
                case "full":
                    return FULL;
                case "minibatch":
                case "mini-batch":
                    return MINIBATCH;
                default:
                    return null;
            }
        }
    }

    /** {@link #curvatureSample()} value that lets the size of the data decide (the default). */
    public static final int AUTO_SAMPLE = -1;
    /** With {@link #AUTO_SAMPLE}: data sets above this many rows get a curvature sample. */
    public static final int AUTO_SAMPLE_ABOVE = 16_384;
    /** With {@link #AUTO_SAMPLE}: the sample size for large data sets. */
    public static final int AUTO_SAMPLE_SIZE = 8_192;

    /**
     * With {@link #featureStorage()} "auto": a Tribuo dataset whose examples store at most this
     * percentage of the {@code n d} values is read into compressed sparse rows. Where the products
     * cost the same: the CSR products (one row product and one transpose product) took 0.46 of the
     * dense ones' time at 10% stored, 0.69 at 20% and 1.12 at 30% ({@code n = 4096, d = 1024, K = 10},
     * one thread, double values, measured under a load of 8 on 2 cores); CSR memory (12 bytes a value
     * against 8) breaks even at 67%, and the row solvers' Gram matrices favour sparse rows further.
     */
    public static final int SPARSE_PERCENT = 25;
    /** The values {@link #featureStorage()} takes. */
    public static final String STORAGE_AUTO = "auto";
    public static final String STORAGE_DENSE = "dense";
    public static final String STORAGE_SPARSE = "sparse";
    /** The values {@link #guard()} takes. */
    public static final String GUARD_AUTO = "auto";
    public static final String GUARD_ON = "on";
    public static final String GUARD_OFF = "off";

    // ---- the definitions: descriptions are constants so that @Config annotations can use them ----

    public static final String L2_DESCRIPTION = "L2 penalty strength gamma on the weights W (not the bias): the"
            + " objective is mean CE + gamma/2 ||W||^2. With standardize on it applies to the weights of the"
            + " standardised features.";
    public static final String STANDARDIZE_DESCRIPTION = "Standardise the features before training and fold the"
            + " scaling back into the weights and bias.";
    public static final String CLASS_WEIGHT_DESCRIPTION = "Class weighting on top of the example weights:"
            + " \"none\" or \"balanced\" (each class weighted by total weight / (classes present * the class's"
            + " total example weight), scikit-learn's n_samples / (K * count_k) with counts weighted by the example"
            + " weights). Explicit per-class weights: SoftmaxHeadTrainer.classWeights (plain arrays) or"
            + " FGNTrainer.setLabelWeights (Tribuo).";
    public static final String MODE_DESCRIPTION = "\"full\" (every step uses all examples: deterministic, the convex"
            + " reference) or \"minibatch\" (each step uses a shuffled mini-batch).";
    public static final String BATCH_SIZE_DESCRIPTION = "Mini-batch size B (minibatch mode only).";
    public static final String MAX_ITERATIONS_DESCRIPTION = "Iteration budget: optimizer steps, accepted or"
            + " rejected.";
    public static final String TOLERANCE_DESCRIPTION = "Relative optimality-gap tolerance: the run has converged"
            + " (stop reason CONVERGED) once its estimate of f - f*, half the Newton decrement g^T M^-1 g / 2 of"
            + " the solver's curvature model M read off the step it solved, is at most tolerance * |f| (FGN and"
            + " Newton in full batch or with one batch, L-BFGS in full batch; invariant to the features' scale and"
            + " the starting point). Runs without such an estimate (several mini-batches, first-order rules)"
            + " converge only at a zero gradient. A run that ends on a budget or a stall first logs a warning;"
            + " 0 runs the whole budget.";
    public static final String SOLVER_DESCRIPTION = "Step solver: \"auto\" (the cheapest FGN solver where it is a"
            + " direct solve, i.e. small batches, unless a direct full Gauss-Newton solve costs at most twice as much;"
            + " else matrix-free CG on the full Gauss-Newton matrix, which costs the same per product and needs fewer"
            + " steps, on every row's top classes when that is cheaper than a row sample; FGN with dropCompensation), \"fgn\" (cheapest FGN solver),"
            + " \"newton\" (cheapest full Gauss-Newton solver, i.e. damped Newton) or one solver: fgn-row-cholesky,"
            + " fgn-row-cg, fgn-param-cg, fgn-param-cholesky (FGN curvature), ggn-param-cg, ggn-param-cholesky,"
            + " ggn-row-cholesky (full Gauss-Newton curvature), ggn-top-cg (full Gauss-Newton curvature of every row"
            + " with each row's softmax truncated to its top 16 classes; auto takes it in full batch with many"
            + " classes, where it costs less than a sampled curvature); see lib/core/ALGORITHM.md section 2.";
    public static final String GUARD_DESCRIPTION = "Cap each step with the Ghosts-of-Softmax guard (alpha <="
            + " guardScale * pi / max logit spread): \"on\", \"off\", or \"auto\": on in mini-batch mode, where"
            + " a step is checked on its batch only, off in full mode, where the Armijo search and the ratio test"
            + " check every step on all rows (the guard there only shortens safe steps: 25 against 15 steps on"
            + " Fashion-MNIST, and no K = 1000 run to f*(1+1e-4) with it).";
    public static final String GUARD_SCALE_DESCRIPTION = "Scale c of the guard radius c * pi / max logit spread; 1"
            + " is the proven-safe radius, 2 practical (needs guard on).";
    public static final String SEED_DESCRIPTION = "Seed of the mini-batch shuffling and of the curvature samples."
            + " The Tribuo trainer's first train call runs with it (the plain-array API's run); later calls draw"
            + " their seed from a split of an RNG seeded with it.";
    public static final String INITIAL_DAMPING_DESCRIPTION = "Initial Levenberg-Marquardt damping lambda0; 0 (the"
            + " default) chooses it from the curvature scale tr(G)/P of the data; a value > 0 fixes it.";
    public static final String MIN_DAMPING_DESCRIPTION = "Lower end of the Levenberg-Marquardt damping range.";
    public static final String MAX_DAMPING_DESCRIPTION = "Upper end of the Levenberg-Marquardt damping range.";
    public static final String DROP_COMPENSATION_DESCRIPTION = "FGN-D: add the exact diagonal of the dropped"
            + " curvature term to the damping (FGN solvers only).";
    public static final String MAX_CG_ITERATIONS_DESCRIPTION = "Iteration cap of conjugate-gradient solvers"
            + " (row-space solvers also stop at the row count).";
    public static final String MAX_SECONDS_DESCRIPTION = "Wall-clock budget in seconds; 0 for none.";
    public static final String THREADS_DESCRIPTION = "Worker threads for the matrix products; 0 uses the common"
            + " pool (all cores). Results do not depend on it.";
    public static final String AVERAGING_DESCRIPTION = "Minibatch mode: average the iterates of the second half"
            + " of the budget (Polyak-Ruppert) and return the average when its full objective is lower.";
    public static final String CURVATURE_SAMPLE_DESCRIPTION = "Full mode: rows sampled afresh each iteration for"
            + " the step's curvature (the gradient, line search and ratio always use every row); 0 uses every"
            + " row; -1 (auto) uses every row up to " + AUTO_SAMPLE_ABOVE + " rows and " + AUTO_SAMPLE_SIZE
            + " sampled rows above. With many classes, where auto takes the top-competitor curvature, it"
            + " takes every row instead (rows held elsewhere, as by Spark: a fixed sample of at least 64 rows"
            + " per class kept here) and the sample only sets the first damping and the convergence test.";
    public static final String TARGET_OBJECTIVE_DESCRIPTION = "Full mode: stop as soon as the objective on all"
            + " rows is at most this value; -Infinity disables the rule.";
    public static final String FEATURE_STORAGE_DESCRIPTION = "How the features are held for training: \"auto\""
            + " keeps plain-array data as given and reads a Tribuo dataset into compressed sparse rows when its"
            + " examples store at most " + SPARSE_PERCENT + "% of the n*d values (or n*d exceeds"
            + " the largest array), else into dense rows; \"dense\" or \"sparse\" forces either. Sparse rows are"
            + " never densified; standardize scales them without centring (the bias absorbs the centring: the same"
            + " objective).";

    private static final OptionSpec.Scope BOTH = OptionSpec.Scope.BOTH;

    public static final OptionSpec L2 = OptionSpec.ofDouble("l2", 1e-4, "a finite number >= 0",
            v -> v >= 0 && Double.isFinite(v), -1.0, BOTH, L2_DESCRIPTION);
    public static final OptionSpec STANDARDIZE = OptionSpec.ofBoolean("standardize", true, BOTH,
            STANDARDIZE_DESCRIPTION);
    public static final OptionSpec CLASS_WEIGHT = OptionSpec.ofString("classWeight", "String", "none",
            "none or balanced", v -> v.trim().equalsIgnoreCase("none") || v.trim().equalsIgnoreCase("balanced"),
            v -> "classWeight must be \"none\" or \"balanced\", got \"" + v + "\"; explicit per-class weights are"
                    + " set with SoftmaxHeadTrainer.classWeights or FGNTrainer.setLabelWeights", "inverse", BOTH,
            CLASS_WEIGHT_DESCRIPTION);
    public static final OptionSpec MODE = OptionSpec.ofString("mode", "Mode", Mode.FULL, "full or minibatch",
            v -> Mode.lookup(v) != null, v -> "mode must be \"full\" or \"minibatch\", got \"" + v + "\"", "foo",
            BOTH, MODE_DESCRIPTION);
    public static final OptionSpec BATCH_SIZE = OptionSpec.ofInt("batchSize", 1024, 1, "at least 1",
            OptionSpec.Scope.MINIBATCH, BATCH_SIZE_DESCRIPTION);
    public static final OptionSpec MAX_ITERATIONS = OptionSpec.ofInt("maxIterations", 500, 1, "at least 1", BOTH,
            MAX_ITERATIONS_DESCRIPTION);
    public static final OptionSpec TOLERANCE = OptionSpec.ofDouble("tolerance", 1e-6, "a finite number >= 0",
            v -> v >= 0 && Double.isFinite(v), -1.0, BOTH, TOLERANCE_DESCRIPTION);
    public static final OptionSpec SOLVER = OptionSpec.ofString("solver", "String", Solvers.AUTO,
            "auto, fgn, newton or one of the seven solver names", v -> Solvers.isKnown(v),
            v -> "unknown solver '" + v + "'; solver must be one of " + Solvers.AUTO + ", " + Solvers.FGN + ", "
                    + Solvers.NEWTON + ", "
                    + String.join(", ", Solvers.NAMES), "lbfgs", BOTH, SOLVER_DESCRIPTION);
    public static final OptionSpec GUARD = OptionSpec.ofString("guard", "String", GUARD_AUTO,
            "auto, on or off (true and false mean on and off)",
            v -> List.of(GUARD_AUTO, GUARD_ON, GUARD_OFF, "true", "false").contains(
                    v.trim().toLowerCase(java.util.Locale.ROOT)),
            v -> "guard must be \"auto\", \"on\" or \"off\", got \"" + v + "\"", "sometimes", BOTH,
            GUARD_DESCRIPTION);
    public static final OptionSpec GUARD_SCALE = OptionSpec.ofDouble("guardScale", 1.0, "a finite number > 0",
            v -> v > 0 && Double.isFinite(v), 0.0, BOTH, GUARD_SCALE_DESCRIPTION);
    public static final OptionSpec SEED = OptionSpec.ofLong("seed", 12345L, BOTH, SEED_DESCRIPTION);
    public static final OptionSpec INITIAL_DAMPING = OptionSpec.ofDouble("initialDamping", 0.0,
            "0 (scale-aware) or a finite number in [minDamping, maxDamping]", v -> v >= 0 && Double.isFinite(v), -1.0,
            BOTH, INITIAL_DAMPING_DESCRIPTION);
    public static final OptionSpec MIN_DAMPING = OptionSpec.ofDouble("minDamping", 1e-10,
            "a finite number > 0, <= maxDamping", v -> v > 0 && Double.isFinite(v), 0.0, BOTH,
            MIN_DAMPING_DESCRIPTION);
    public static final OptionSpec MAX_DAMPING = OptionSpec.ofDouble("maxDamping", 1e6,
            "a finite number > 0, >= minDamping", v -> v > 0 && Double.isFinite(v), Double.POSITIVE_INFINITY, BOTH,
            MAX_DAMPING_DESCRIPTION);
    public static final OptionSpec DROP_COMPENSATION = OptionSpec.ofBoolean("dropCompensation", false, BOTH,
            DROP_COMPENSATION_DESCRIPTION);
    public static final OptionSpec MAX_CG_ITERATIONS = OptionSpec.ofInt("maxCgIterations", 100, 1, "at least 1",
            BOTH, MAX_CG_ITERATIONS_DESCRIPTION);
    public static final OptionSpec MAX_SECONDS = OptionSpec.ofDouble("maxSeconds", 0.0,
            ">= 0 (0 = no limit, +Infinity allowed)", v -> v >= 0, -1.0, BOTH, MAX_SECONDS_DESCRIPTION);
    public static final OptionSpec THREADS = OptionSpec.ofInt("threads", 0, 0, ">= 0 (0 = all cores)", BOTH,
            THREADS_DESCRIPTION);
    public static final OptionSpec AVERAGING = OptionSpec.ofBoolean("averaging", true, OptionSpec.Scope.MINIBATCH,
            AVERAGING_DESCRIPTION);
    public static final OptionSpec CURVATURE_SAMPLE = OptionSpec.ofInt("curvatureSample", AUTO_SAMPLE, AUTO_SAMPLE,
            "-1 (auto), 0 (all rows) or a row count >= 1", OptionSpec.Scope.FULL, CURVATURE_SAMPLE_DESCRIPTION);
    public static final OptionSpec TARGET_OBJECTIVE = OptionSpec.ofDouble("targetObjective",
            Double.NEGATIVE_INFINITY, "a number below +Infinity (-Infinity disables it)",
            v -> !Double.isNaN(v) && v < Double.POSITIVE_INFINITY, Double.NaN, OptionSpec.Scope.FULL,
            TARGET_OBJECTIVE_DESCRIPTION);
    public static final OptionSpec FEATURE_STORAGE = OptionSpec.ofString("featureStorage", "String", STORAGE_AUTO,
            "auto, dense or sparse", v -> List.of(STORAGE_AUTO, STORAGE_DENSE, STORAGE_SPARSE).contains(
                    v.trim().toLowerCase(java.util.Locale.ROOT)),
            v -> "featureStorage must be \"auto\", \"dense\" or \"sparse\", got \"" + v + "\"", "csr", BOTH,
            FEATURE_STORAGE_DESCRIPTION);

    /** Every option, in the order of {@link #toString()} and of the options table. */
    public static final List<OptionSpec> OPTIONS = List.of(L2, STANDARDIZE, CLASS_WEIGHT, MODE, BATCH_SIZE, MAX_ITERATIONS,
            TOLERANCE, SOLVER, GUARD, GUARD_SCALE, SEED, INITIAL_DAMPING, MIN_DAMPING, MAX_DAMPING, DROP_COMPENSATION,
            MAX_CG_ITERATIONS, MAX_SECONDS, THREADS, AVERAGING, CURVATURE_SAMPLE, TARGET_OBJECTIVE, FEATURE_STORAGE);

    /** The option called {@code name}, or null. */
    public static OptionSpec option(String name) {
        for (OptionSpec o : OPTIONS) {
            if (o.name().equals(name)) {
                return o;
            }
        }
        return null;
    }

    /**
     * The option an error of this class is about ({@link OptionException#option()}; every check of
     * the builder throws one), or null for another exception.
     */
    public static String optionOf(IllegalArgumentException e) {
        return e instanceof OptionException ? ((OptionException) e).option() : null;
    }

    private final double l2;
    private final boolean standardize;
    private final String classWeight;
    private final Mode mode;
    private final int batchSize;
    private final int maxIterations;
    private final double tolerance;
    private final String solver;
    private final String guard;
    private final double guardScale;
    private final long seed;
    private final double initialDamping;
    private final double minDamping;
    private final double maxDamping;
    private final boolean dropCompensation;
    private final int maxCgIterations;
    private final double maxSeconds;
    private final int threads;
    private final boolean averaging;
    private final int curvatureSample;
    private final double targetObjective;
    private final String featureStorage;

    private FgnOptions(Builder b) {
        this.l2 = b.l2;
        this.standardize = b.standardize;
        this.classWeight = b.classWeight;
        this.mode = b.mode;
        this.batchSize = b.batchSize;
        this.maxIterations = b.maxIterations;
        this.tolerance = b.tolerance;
        this.solver = b.solver;
        this.guard = b.guard;
        this.guardScale = b.guardScale;
        this.seed = b.seed;
        this.initialDamping = b.initialDamping;
        this.minDamping = b.minDamping;
        this.maxDamping = b.maxDamping;
        this.dropCompensation = b.dropCompensation;
        this.maxCgIterations = b.maxCgIterations;
        this.maxSeconds = b.maxSeconds;
        this.threads = b.threads;
        this.averaging = b.averaging;
        this.curvatureSample = b.curvatureSample;
        this.targetObjective = b.targetObjective;
        this.featureStorage = b.featureStorage;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The defaults. */
    public static FgnOptions defaults() {
        return builder().build();
    }

    /** A builder that starts from these settings. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.l2 = l2;
        b.standardize = standardize;
        b.classWeight = classWeight;
        b.mode = mode;
        b.batchSize = batchSize;
        b.maxIterations = maxIterations;
        b.tolerance = tolerance;
        b.solver = solver;
        b.guard = guard;
        b.guardScale = guardScale;
        b.seed = seed;
        b.initialDamping = initialDamping;
        b.minDamping = minDamping;
        b.maxDamping = maxDamping;
        b.dropCompensation = dropCompensation;
        b.maxCgIterations = maxCgIterations;
        b.maxSeconds = maxSeconds;
        b.threads = threads;
        b.averaging = averaging;
        b.curvatureSample = curvatureSample;
        b.targetObjective = targetObjective;
        b.featureStorage = featureStorage;
        return b;
    }

    /** L2 strength {@code gamma} on W (not the bias): objective {@code mean CE + gamma/2 ||W||^2}. */
    public double l2() {
        return l2;
    }

    /** Whether features are standardised before training (and folded back into the weights). */
    public boolean standardize() {
        return standardize;
    }

    /**
     * Class weighting on top of the example weights, "none" or "balanced"
     * ({@link io.github.fastgn.data.ClassWeights}; {@link #classWeights()} as that object).
     */
    public String classWeight() {
        return classWeight;
    }

    /** {@link #classWeight()} as the weights it names. */
    public ClassWeights classWeights() {
        return ClassWeights.named(classWeight);
    }

    public Mode mode() {
        return mode;
    }

    /** Mini-batch size {@code B} (mini-batch mode). */
    public int batchSize() {
        return batchSize;
    }

    /** Iteration budget: optimizer steps, accepted or rejected, in either mode. */
    public int maxIterations() {
        return maxIterations;
    }

    /**
     * Relative optimality-gap tolerance: converged once the estimate of {@code f - f*} (half the
     * Newton decrement of the solver's curvature model, from the step it solved) is at most
     * {@code tolerance |f|}; ALGORITHM.md §3, "Stopping".
     */
    public double tolerance() {
        return tolerance;
    }

    /**
     * Solver name ({@link Solvers}); "auto" picks by problem size (FGN direct solves for small
     * batches, else full-GGN CG), "fgn" the cheapest FGN solver, "newton" the cheapest full-GGN one.
     */
    public String solver() {
        return solver;
    }

    /**
     * The solver name to resolve: {@link #solver()}, except that "auto" with {@link #dropCompensation()}
     * is "fgn" (the dropped-term diagonal belongs to FGN's curvature).
     */
    String solverChoice() {
        return dropCompensation && solver.equalsIgnoreCase(Solvers.AUTO) ? Solvers.FGN : solver;
    }

    /** The Ghosts-of-Softmax guard setting: "auto", "on" or "off" ({@link #guardApplies()} resolves it). */
    public String guard() {
        return guard;
    }

    /** Whether the guard caps the step length in this run's mode: "on", or "auto" in mini-batch mode. */
    public boolean guardApplies() {
        return guardApplies(guard, mode == Mode.FULL);
    }

    /**
     * The one rule behind every optimizer's guard: "on" always, "auto" unless the optimizer checks
     * every step on all rows (a full-batch search and ratio test), "off" never.
     */
    public static boolean guardApplies(String setting, boolean stepsCheckedOnAllRows) {
        return GUARD_ON.equals(setting) || GUARD_AUTO.equals(setting) && !stepsCheckedOnAllRows;
    }

    /** A valid {@link #GUARD} value in its stored spelling ("true"/"false" become "on"/"off"). */
    public static String guardSetting(String v) {
        GUARD.check(v);
        String g = v.trim().toLowerCase(java.util.Locale.ROOT);
        return g.equals("true") ? GUARD_ON : g.equals("false") ? GUARD_OFF : g;
    }

    /** The guard's {@code c}: {@code alpha <= c pi / max spread}. 1 is the proven-safe radius, 2 practical. */
    public double guardScale() {
        return guardScale;
    }

    /** Seed of the mini-batch shuffling. */
    public long seed() {
        return seed;
    }

    /** Initial LM damping {@code lambda0}; 0 means scale-aware {@code tr(G_full)/P}. */
    public double initialDamping() {
        return initialDamping;
    }

    public double minDamping() {
        return minDamping;
    }

    public double maxDamping() {
        return maxDamping;
    }

    /** FGN-D: add the exact diagonal of the dropped covariance term to the damping. */
    public boolean dropCompensation() {
        return dropCompensation;
    }

    /** Iteration cap of CG solvers (row-space solvers also stop at {@code B}). */
    public int maxCgIterations() {
        return maxCgIterations;
    }

    /** Wall-clock budget in seconds; 0 for none. */
    public double maxSeconds() {
        return maxSeconds;
    }

    /** Worker threads for the products; 0 uses the common pool (all cores). Results do not depend on it. */
    public int threads() {
        return threads;
    }

    /**
     * Mini-batch mode: average the iterates of the second half of the iteration budget
     * (Polyak-Ruppert) and return the average when its full objective is lower.
     */
    public boolean averaging() {
        return averaging;
    }

    /**
     * Full-batch mode: the number of rows the curvature is estimated from each iteration (a fresh
     * seeded sample), while the gradient, line search and ratio use all rows; 0 uses all rows,
     * {@link #AUTO_SAMPLE} (the default) decides by the data size ({@link #curvatureSampleFor}).
     * With a sample of a few thousand rows a step costs two passes over the data plus a small
     * solve, memory is the features plus two {@code n x K} arrays (logits and the step's logit
     * image), and the run still converges to the exact
     * optimum (the gradient is exact).
     */
    public int curvatureSample() {
        return curvatureSample;
    }

    /**
     * The curvature sample for {@code n} rows: the requested size, or for {@link #AUTO_SAMPLE}
     * all rows up to {@value #AUTO_SAMPLE_ABOVE} and {@value #AUTO_SAMPLE_SIZE} above (where
     * passes over all rows dominate a step, and all-row curvature would hold several
     * {@code n x K} arrays); never more than {@code n}.
     */
    public int curvatureSampleFor(int n) {
        int s = curvatureSample == AUTO_SAMPLE ? (n > AUTO_SAMPLE_ABOVE ? AUTO_SAMPLE_SIZE : 0) : curvatureSample;
        return s > 0 && s < n ? s : n;
    }

    /**
     * Full-batch mode: stop as soon as the objective on all rows is at most this value
     * ({@link StopReason#TARGET_REACHED}); negative infinity (the default) disables the rule. For
     * races against a known optimum, where the time to reach {@code f*(1 + eps)} is the measure.
     */
    public double targetObjective() {
        return targetObjective;
    }

    /**
     * How the features are held for training: {@value #STORAGE_AUTO} (plain arrays as given; a
     * Tribuo dataset as compressed sparse rows when it stores at most {@value #SPARSE_PERCENT}% of
     * its values, else dense), {@value #STORAGE_DENSE} or {@value #STORAGE_SPARSE} (forced; the
     * plain-array trainer converts {@link io.github.fastgn.data.LabelledData} to that storage).
     */
    public String featureStorage() {
        return featureStorage;
    }

    /** Every option's value, by name, in the order of {@link #OPTIONS} (the mode as {@link Mode}). */
    public Map<String, Object> values() {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put(L2.name(), l2);
        v.put(STANDARDIZE.name(), standardize);
        v.put(CLASS_WEIGHT.name(), classWeight);
        v.put(MODE.name(), mode);
        v.put(BATCH_SIZE.name(), batchSize);
        v.put(MAX_ITERATIONS.name(), maxIterations);
        v.put(TOLERANCE.name(), tolerance);
        v.put(SOLVER.name(), solver);
        v.put(GUARD.name(), guard);
        v.put(GUARD_SCALE.name(), guardScale);
        v.put(SEED.name(), seed);
        v.put(INITIAL_DAMPING.name(), initialDamping);
        v.put(MIN_DAMPING.name(), minDamping);
        v.put(MAX_DAMPING.name(), maxDamping);
        v.put(DROP_COMPENSATION.name(), dropCompensation);
        v.put(MAX_CG_ITERATIONS.name(), maxCgIterations);
        v.put(MAX_SECONDS.name(), maxSeconds);
        v.put(THREADS.name(), threads);
        v.put(AVERAGING.name(), averaging);
        v.put(CURVATURE_SAMPLE.name(), curvatureSample);
        v.put(TARGET_OBJECTIVE.name(), targetObjective);
        v.put(FEATURE_STORAGE.name(), featureStorage);
        return Collections.unmodifiableMap(v);
    }

    /** {@code FgnOptions(l2=1.0E-4, standardize=true, ...)}: every option, as {@link OptionSpec#format}. */
    @Override
    public String toString() {
        StringJoiner j = new StringJoiner(", ", "FgnOptions(", ")");
        values().forEach((name, value) -> j.add(name + "=" + OptionSpec.format(value)));
        return j.toString();
    }

    /** Mutable builder; {@link #build()} checks the combination. */
    public static final class Builder {
        private double l2 = (Double) L2.defaultValue();
        private boolean standardize = (Boolean) STANDARDIZE.defaultValue();
        private String classWeight = (String) CLASS_WEIGHT.defaultValue();
        private Mode mode = (Mode) MODE.defaultValue();
        private int batchSize = (Integer) BATCH_SIZE.defaultValue();
        private int maxIterations = (Integer) MAX_ITERATIONS.defaultValue();
        private double tolerance = (Double) TOLERANCE.defaultValue();
        private String solver = (String) SOLVER.defaultValue();
        private String guard = (String) GUARD.defaultValue();
        private double guardScale = (Double) GUARD_SCALE.defaultValue();
        private long seed = (Long) SEED.defaultValue();
        private double initialDamping = (Double) INITIAL_DAMPING.defaultValue();
        private double minDamping = (Double) MIN_DAMPING.defaultValue();
        private double maxDamping = (Double) MAX_DAMPING.defaultValue();
        private boolean dropCompensation = (Boolean) DROP_COMPENSATION.defaultValue();
        private int maxCgIterations = (Integer) MAX_CG_ITERATIONS.defaultValue();
        private double maxSeconds = (Double) MAX_SECONDS.defaultValue();
        private int threads = (Integer) THREADS.defaultValue();
        private boolean averaging = (Boolean) AVERAGING.defaultValue();
        private int curvatureSample = (Integer) CURVATURE_SAMPLE.defaultValue();
        private double targetObjective = (Double) TARGET_OBJECTIVE.defaultValue();
        private String featureStorage = (String) FEATURE_STORAGE.defaultValue();

        private Builder() {
        }

        public Builder l2(double v) {
            L2.check(v);
            l2 = v;
            return this;
        }

        public Builder standardize(boolean v) {
            standardize = v;
            return this;
        }

        /** "none" or "balanced" (case-insensitive); explicit weights are not an option (see the description). */
        public Builder classWeight(String v) {
            CLASS_WEIGHT.check(v);
            classWeight = v.trim().toLowerCase(java.util.Locale.ROOT);
            return this;
        }

        public Builder mode(Mode v) {
            if (v == null) {
                throw new OptionException(MODE.name(), "mode must not be null");
            }
            mode = v;
            return this;
        }

        public Builder batchSize(int v) {
            BATCH_SIZE.check(v);
            batchSize = v;
            return this;
        }

        public Builder maxIterations(int v) {
            MAX_ITERATIONS.check(v);
            maxIterations = v;
            return this;
        }

        public Builder tolerance(double v) {
            TOLERANCE.check(v);
            tolerance = v;
            return this;
        }

        public Builder solver(String v) {
            SOLVER.check(v);
            solver = v.trim().toLowerCase(java.util.Locale.ROOT);
            return this;
        }

        /** "auto" (the default: on in mini-batch mode, off in full mode), "on" or "off". */
        public Builder guard(String v) {
            guard = guardSetting(v);
            return this;
        }

        /** {@code guard(v ? "on" : "off")}: the guard forced on or off in every mode. */
        public Builder guard(boolean v) {
            return guard(v ? GUARD_ON : GUARD_OFF);
        }

        public Builder guardScale(double v) {
            GUARD_SCALE.check(v);
            guardScale = v;
            return this;
        }

        public Builder seed(long v) {
            seed = v;
            return this;
        }

        public Builder initialDamping(double v) {
            INITIAL_DAMPING.check(v);
            initialDamping = v;
            return this;
        }

        public Builder minDamping(double v) {
            MIN_DAMPING.check(v);
            minDamping = v;
            return this;
        }

        public Builder maxDamping(double v) {
            MAX_DAMPING.check(v);
            maxDamping = v;
            return this;
        }

        /** Sets {@link #minDamping} and {@link #maxDamping} together. */
        public Builder dampingRange(double min, double max) {
            if (!(min > 0 && max >= min && Double.isFinite(max))) {
                throw new OptionException(MIN_DAMPING.isValid(min) ? MAX_DAMPING.name() : MIN_DAMPING.name(),
                        "damping range needs 0 < min <= max < infinity, got [" + min + ", " + max + "]");
            }
            minDamping = min;
            maxDamping = max;
            return this;
        }

        public Builder dropCompensation(boolean v) {
            dropCompensation = v;
            return this;
        }

        public Builder maxCgIterations(int v) {
            MAX_CG_ITERATIONS.check(v);
            maxCgIterations = v;
            return this;
        }

        public Builder maxSeconds(double v) {
            MAX_SECONDS.check(v);
            maxSeconds = v;
            return this;
        }

        public Builder threads(int v) {
            THREADS.check(v);
            threads = v;
            return this;
        }

        public Builder curvatureSample(int v) {
            CURVATURE_SAMPLE.check(v);
            curvatureSample = v;
            return this;
        }

        public Builder targetObjective(double v) {
            TARGET_OBJECTIVE.check(v);
            targetObjective = v;
            return this;
        }

        public Builder averaging(boolean v) {
            averaging = v;
            return this;
        }

        public Builder featureStorage(String v) {
            FEATURE_STORAGE.check(v);
            featureStorage = v.trim().toLowerCase(java.util.Locale.ROOT);
            return this;
        }

        public FgnOptions build() {
            if (dropCompensation && !solver.equalsIgnoreCase(Solvers.AUTO)
                    && Solvers.curvature(solver) == StepSolver.Curvature.FULL) {
                throw new OptionException(DROP_COMPENSATION.name(), "dropCompensation (FGN-D) applies to FGN solvers only, not "
                        + solver);
            }
            if (minDamping > maxDamping) {
                throw new OptionException(MIN_DAMPING.name(), "minDamping " + minDamping + " exceeds maxDamping "
                        + maxDamping + ": the damping range needs minDamping <= maxDamping");
            }
            if (initialDamping > 0 && (initialDamping < minDamping || initialDamping > maxDamping)) {
                throw new OptionException(INITIAL_DAMPING.name(), "initialDamping " + initialDamping + " lies outside"
                        + " the damping range [" + minDamping + ", " + maxDamping + "]; use a value in it, or 0"
                        + " (scale-aware)");
            }
            if (guardScale != (Double) GUARD_SCALE.defaultValue()) {
                if (GUARD_OFF.equals(guard)) {
                    throw new OptionException(GUARD_SCALE.name(), "guardScale " + guardScale + " has no effect with"
                            + " guard=off: leave guardScale at its default " + GUARD_SCALE.defaultText()
                            + " or set guard to on or auto");
                }
                if (GUARD_AUTO.equals(guard) && mode == Mode.FULL) {
                    throw new OptionException(GUARD_SCALE.name(), "guardScale " + guardScale + " has no effect with"
                            + " guard=auto in full mode, where the guard is off: set guard=on to use it, or leave"
                            + " guardScale at its default " + GUARD_SCALE.defaultText());
                }
            }
            FgnOptions built = new FgnOptions(this);
            // an option set away from its default in the mode where it does nothing is a mistake, not a no-op
            OptionSpec.Scope here = mode == Mode.FULL ? OptionSpec.Scope.FULL : OptionSpec.Scope.MINIBATCH;
            for (Map.Entry<String, Object> e : built.values().entrySet()) {
                OptionSpec o = option(e.getKey());
                if (o.scope() != OptionSpec.Scope.BOTH && o.scope() != here
                        && !OptionSpec.format(e.getValue()).equals(o.defaultText())) {
                    throw new OptionException(o.name(), o.noEffectMessage(e.getValue(), here));
                }
            }
            return built;
        }
    }
}
