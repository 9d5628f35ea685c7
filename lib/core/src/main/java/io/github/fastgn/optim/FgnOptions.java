package io.github.fastgn.optim;

import io.github.fastgn.solver.Solvers;

/**
 * Immutable settings of an FGN (or Newton) training run. Build with {@link #builder()}; every
 * {@code with...} on the builder validates its argument and says what is wrong.
 *
 * <p>Defaults follow SPEC section 3: {@code l2 = 1e-4} on W only, full batch, solver chosen by
 * cost, Ghosts-of-Softmax guard on with {@code c = 1}, LM damping from {@code lambda0 = 1} in
 * {@code [1e-10, 1e6]}, stop at {@code ||grad|| <= 1e-6 max(1, ||grad_0||)}.
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
            if (s != null) {
                switch (s.trim().toLowerCase(java.util.Locale.ROOT)) {
                    case "full":
                        return FULL;
                    case "minibatch":
                    case "mini-batch":
                        return MINIBATCH;
                    default:
                        break;
                }
            }
            throw new IllegalArgumentException("mode must be \"full\" or \"minibatch\", got \"" + s + "\"");
        }
    }

    private final double l2;
    private final boolean standardize;
    private final Mode mode;
    private final int batchSize;
    private final int maxIterations;
    private final double tolerance;
    private final String solver;
    private final boolean guard;
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

    private FgnOptions(Builder b) {
        this.l2 = b.l2;
        this.standardize = b.standardize;
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

    /** Relative gradient tolerance: stop at {@code ||grad|| <= tolerance * max(1, ||grad_0||)}. */
    public double tolerance() {
        return tolerance;
    }

    /** Solver name ({@link Solvers}); "auto" picks the cheapest FGN solver, "newton" the cheapest full-GGN one. */
    public String solver() {
        return solver;
    }

    /** Whether the Ghosts-of-Softmax guard caps the step length. */
    public boolean guard() {
        return guard;
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
     * image, {@link io.github.fastgn.core.FullData}), and the run still converges to the exact
     * optimum (the gradient is exact).
     */
    public int curvatureSample() {
        return curvatureSample;
    }

    /** {@link #curvatureSample()} value that lets the size of the data decide (the default). */
    public static final int AUTO_SAMPLE = -1;
    /** With {@link #AUTO_SAMPLE}: data sets above this many rows get a curvature sample. */
    public static final int AUTO_SAMPLE_ABOVE = 16_384;
    /** With {@link #AUTO_SAMPLE}: the sample size for large data sets. */
    public static final int AUTO_SAMPLE_SIZE = 8_192;

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

    @Override
    public String toString() {
        return "FgnOptions(l2=" + l2 + ", standardize=" + standardize + ", mode=" + mode + ", batchSize=" + batchSize
                + ", maxIterations=" + maxIterations + ", tolerance=" + tolerance + ", solver=" + solver
                + ", guard=" + guard + ", guardScale=" + guardScale + ", seed=" + seed + ", initialDamping="
                + initialDamping + ", damping=[" + minDamping + ", " + maxDamping + "], dropCompensation="
                + dropCompensation + ", maxCgIterations=" + maxCgIterations + ", maxSeconds=" + maxSeconds
                + ", threads=" + threads + ", averaging=" + averaging + ", curvatureSample=" + curvatureSample
                + (targetObjective > Double.NEGATIVE_INFINITY ? ", targetObjective=" + targetObjective : "") + ")";
    }

    /** Mutable builder; {@link #build()} checks the combination. */
    public static final class Builder {
        private double l2 = 1e-4;
        private boolean standardize = true;
        private Mode mode = Mode.FULL;
        private int batchSize = 1024;
        private int maxIterations = 500;
        private double tolerance = 1e-6;
        private String solver = Solvers.AUTO;
        private boolean guard = true;
        private double guardScale = 1.0;
        private long seed = 12345L;
        private double initialDamping = 1.0;
        private double minDamping = 1e-10;
        private double maxDamping = 1e6;
        private boolean dropCompensation = false;
        private int maxCgIterations = 100;
        private double maxSeconds = 0;
        private int threads = 0;
        private boolean averaging = true;
        private int curvatureSample = AUTO_SAMPLE;
        private double targetObjective = Double.NEGATIVE_INFINITY;

        private Builder() {
        }

        public Builder l2(double v) {
            require(v >= 0 && Double.isFinite(v), "l2 must be a finite number >= 0, got " + v);
            l2 = v;
            return this;
        }

        public Builder standardize(boolean v) {
            standardize = v;
            return this;
        }

        public Builder mode(Mode v) {
            require(v != null, "mode must not be null");
            mode = v;
            return this;
        }

        public Builder batchSize(int v) {
            require(v >= 1, "batchSize must be at least 1, got " + v);
            batchSize = v;
            return this;
        }

        public Builder maxIterations(int v) {
            require(v >= 1, "maxIterations must be at least 1, got " + v);
            maxIterations = v;
            return this;
        }

        public Builder tolerance(double v) {
            require(v >= 0 && Double.isFinite(v), "tolerance must be a finite number >= 0, got " + v);
            tolerance = v;
            return this;
        }

        public Builder solver(String v) {
            require(v != null && Solvers.isKnown(v), "unknown solver '" + v + "'; use one of " + Solvers.AUTO
                    + ", " + Solvers.NEWTON + ", " + String.join(", ", Solvers.NAMES));
            solver = v.toLowerCase(java.util.Locale.ROOT);
            return this;
        }

        public Builder guard(boolean v) {
            guard = v;
            return this;
        }

        public Builder guardScale(double v) {
            require(v > 0 && Double.isFinite(v), "guardScale must be a finite number > 0, got " + v);
            guardScale = v;
            return this;
        }

        public Builder seed(long v) {
            seed = v;
            return this;
        }

        public Builder initialDamping(double v) {
            require(v >= 0 && Double.isFinite(v), "initialDamping must be >= 0 (0 = scale-aware), got " + v);
            initialDamping = v;
            return this;
        }

        public Builder dampingRange(double min, double max) {
            require(min > 0 && max >= min && Double.isFinite(max),
                    "damping range needs 0 < min <= max < infinity, got [" + min + ", " + max + "]");
            minDamping = min;
            maxDamping = max;
            return this;
        }

        public Builder dropCompensation(boolean v) {
            dropCompensation = v;
            return this;
        }

        public Builder maxCgIterations(int v) {
            require(v >= 1, "maxCgIterations must be at least 1, got " + v);
            maxCgIterations = v;
            return this;
        }

        public Builder maxSeconds(double v) {
            require(v >= 0 && !Double.isNaN(v), "maxSeconds must be >= 0 (0 = no limit), got " + v);
            maxSeconds = v;
            return this;
        }

        public Builder threads(int v) {
            require(v >= 0, "threads must be >= 0 (0 = all cores), got " + v);
            threads = v;
            return this;
        }

        public Builder curvatureSample(int v) {
            require(v >= AUTO_SAMPLE, "curvatureSample must be >= 0 (0 = all rows) or -1 (auto), got " + v);
            curvatureSample = v;
            return this;
        }

        public Builder targetObjective(double v) {
            require(!Double.isNaN(v) && v < Double.POSITIVE_INFINITY,
                    "targetObjective must be a number below +infinity (-infinity disables it), got " + v);
            targetObjective = v;
            return this;
        }

        public Builder averaging(boolean v) {
            averaging = v;
            return this;
        }

        public FgnOptions build() {
            if (dropCompensation && Solvers.curvature(solver) == io.github.fastgn.solver.StepSolver.Curvature.FULL) {
                throw new IllegalArgumentException("dropCompensation (FGN-D) applies to FGN solvers only, not "
                        + solver);
            }
            if (initialDamping > 0 && (initialDamping < minDamping || initialDamping > maxDamping)) {
                throw new IllegalArgumentException("initialDamping " + initialDamping + " lies outside the damping "
                        + "range [" + minDamping + ", " + maxDamping + "]");
            }
            return new FgnOptions(this);
        }

        private static void require(boolean ok, String message) {
            if (!ok) {
                throw new IllegalArgumentException(message);
            }
        }
    }
}
