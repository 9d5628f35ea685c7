package io.github.fastgn.baseline;

import io.github.fastgn.optim.FgnOptions;
import io.github.fastgn.optim.OptionException;
import io.github.fastgn.optim.OptionSpec;

import java.util.List;

/**
 * Settings shared by the first-order baselines, L-BFGS, OGR and the stochastic Newton methods. Build with {@link #builder()}.
 *
 * <p>The guard is the Ghosts-of-Softmax controller: the step {@code S} is shortened so that
 * {@code tau <= c rho_a}, i.e. its largest per-example logit spread is at most {@code c pi}.
 * As in the Ghosts code the spread is measured on the full training set by default
 * ({@code guardOnFullData}); set it false to use the step's batch (cheaper for large data).
 *
 * <p>The options shared with FGN (l2, mode, batchSize, maxIterations, tolerance, guard,
 * guardScale, seed, threads, targetObjective) are {@link FgnOptions}' definitions: same name,
 * description and validation, with another default where a baseline needs one
 * ({@link OptionSpec#withDefault}). {@link #OPTIONS} lists them all; the learning-rate schedule
 * is an object, not an option value, and has no definition.
 */
public final class FirstOrderOptions {

    public static final String LEARNING_RATE_DESCRIPTION = "Base learning rate eta of the first-order rules"
            + " (ignored by L-BFGS, which searches its step).";
    public static final String GUARD_ON_FULL_DATA_DESCRIPTION = "Measure the guard's logit spread on the full"
            + " training set (as the Ghosts code does) rather than on the step's batch.";
    public static final String DIVERGENCE_FACTOR_DESCRIPTION = "A run whose objective exceeds this multiple of the"
            + " initial one counts as diverged.";
    public static final String MEMORY_DESCRIPTION = "L-BFGS memory (correction pairs); OGR's window of recent"
            + " (position, gradient) pairs.";
    public static final String DECAY_DESCRIPTION = "OGR: exponential weight beta of the gradient regression (the pair"
            + " of age a weighs beta^a).";
    public static final String LINE_SEARCH_DESCRIPTION = "OGR: search the step length (Armijo backtracking from 1)"
            + " instead of taking the step to the fitted stationary point as it is.";
    public static final String HYBRID_WEIGHT_DESCRIPTION = "Stochastic Newton: the weight of the gradient outer"
            + " products in the Hessian estimate (1 - weight on the natural estimate); 0 is the natural-Hessian"
            + " stochastic Newton.";

    public static final OptionSpec LEARNING_RATE = OptionSpec.ofDouble("learningRate", 0.1, "a finite number > 0",
            v -> v > 0 && Double.isFinite(v), 0.0, OptionSpec.Scope.BOTH, LEARNING_RATE_DESCRIPTION);
    public static final OptionSpec MODE = FgnOptions.MODE;
    public static final OptionSpec BATCH_SIZE = FgnOptions.BATCH_SIZE.withDefault(64);
    public static final OptionSpec MAX_ITERATIONS = FgnOptions.MAX_ITERATIONS.withDefault(200);
    public static final OptionSpec L2 = FgnOptions.L2;
    public static final OptionSpec GUARD = FgnOptions.GUARD.withDefault(FgnOptions.GUARD_OFF);
    public static final OptionSpec GUARD_SCALE = FgnOptions.GUARD_SCALE;
    public static final OptionSpec GUARD_ON_FULL_DATA = OptionSpec.ofBoolean("guardOnFullData", true,
            OptionSpec.Scope.BOTH, GUARD_ON_FULL_DATA_DESCRIPTION);
    public static final OptionSpec SEED = FgnOptions.SEED;
    public static final OptionSpec TOLERANCE = FgnOptions.TOLERANCE.withDefault(0.0);
    public static final OptionSpec DIVERGENCE_FACTOR = OptionSpec.ofDouble("divergenceFactor", 10.0, "> 1",
            v -> v > 1, 1.0, OptionSpec.Scope.BOTH, DIVERGENCE_FACTOR_DESCRIPTION);
    public static final OptionSpec MEMORY = OptionSpec.ofInt("memory", 10, 1, "at least 1", OptionSpec.Scope.BOTH,
            MEMORY_DESCRIPTION);
    public static final OptionSpec DECAY = OptionSpec.ofDouble("decay", 0.9, "in (0, 1]", v -> v > 0 && v <= 1,
            0.0, OptionSpec.Scope.BOTH, DECAY_DESCRIPTION);
    public static final OptionSpec LINE_SEARCH = OptionSpec.ofBoolean("lineSearch", true, OptionSpec.Scope.BOTH,
            LINE_SEARCH_DESCRIPTION);
    public static final OptionSpec HYBRID_WEIGHT = OptionSpec.ofDouble("hybridWeight", 0.5, "in [0, 1]",
            v -> v >= 0 && v <= 1, 0.0, OptionSpec.Scope.BOTH, HYBRID_WEIGHT_DESCRIPTION);
    public static final OptionSpec THREADS = FgnOptions.THREADS;
    public static final OptionSpec TARGET_OBJECTIVE = FgnOptions.TARGET_OBJECTIVE;
    public static final OptionSpec MAX_SECONDS = FgnOptions.MAX_SECONDS;

    /** Every option with a definition (the schedule has none). */
    public static final List<OptionSpec> OPTIONS = List.of(LEARNING_RATE, MODE, BATCH_SIZE, MAX_ITERATIONS, L2,
            GUARD, GUARD_SCALE, GUARD_ON_FULL_DATA, SEED, TOLERANCE, DIVERGENCE_FACTOR, MEMORY, DECAY, LINE_SEARCH,
            HYBRID_WEIGHT, THREADS,
            TARGET_OBJECTIVE, MAX_SECONDS);

    private final double learningRate;
    private final LearningRateSchedule schedule;
    private final FgnOptions.Mode mode;
    private final int batchSize;
    private final int maxIterations;
    private final double l2;
    private final String guard;
    private final double guardScale;
    private final boolean guardOnFullData;
    private final long seed;
    private final double tolerance;
    private final double divergenceFactor;
    private final int memory;
    private final double decay;
    private final boolean lineSearch;
    private final double hybridWeight;
    private final int threads;
    private final double targetObjective;
    private final double maxSeconds;

    private FirstOrderOptions(Builder b) {
        this.learningRate = b.learningRate;
        this.schedule = b.schedule;
        this.mode = b.mode;
        this.batchSize = b.batchSize;
        this.maxIterations = b.maxIterations;
        this.l2 = b.l2;
        this.guard = b.guard;
        this.guardScale = b.guardScale;
        this.guardOnFullData = b.guardOnFullData;
        this.seed = b.seed;
        this.tolerance = b.tolerance;
        this.divergenceFactor = b.divergenceFactor;
        this.memory = b.memory;
        this.decay = b.decay;
        this.lineSearch = b.lineSearch;
        this.hybridWeight = b.hybridWeight;
        this.threads = b.threads;
        this.targetObjective = b.targetObjective;
        this.maxSeconds = b.maxSeconds;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Base learning rate {@code eta} (ignored by L-BFGS, which searches its step). */
    public double learningRate() {
        return learningRate;
    }

    public LearningRateSchedule schedule() {
        return schedule;
    }

    public FgnOptions.Mode mode() {
        return mode;
    }

    public int batchSize() {
        return batchSize;
    }

    /** Steps to run. */
    public int maxIterations() {
        return maxIterations;
    }

    /** L2 strength on W (not the bias). */
    public double l2() {
        return l2;
    }

    /** The guard setting: "off" (the default), "on", or "auto" (on unless the run checks each step on all rows). */
    public String guard() {
        return guard;
    }

    /**
     * Whether the guard caps the steps of a run: "on", or "auto" unless the optimizer checks every
     * step on all rows (a full-batch line search), as FGN's "auto" does.
     */
    boolean guardApplies(boolean stepsCheckedOnAllRows) {
        return FgnOptions.guardApplies(guard, stepsCheckedOnAllRows);
    }

    public double guardScale() {
        return guardScale;
    }

    public boolean guardOnFullData() {
        return guardOnFullData;
    }

    public long seed() {
        return seed;
    }

    /**
     * The optimality-gap tolerance of {@link FgnOptions#tolerance()}: L-BFGS in full batch
     * converges once its gap estimate, confirmed by the exact Newton decrement, is at most
     * {@code tolerance |f|}; the first-order rules converge only at a zero gradient. 0 (the
     * default) runs the whole budget without a convergence warning.
     */
    public double tolerance() {
        return tolerance;
    }

    /** A run whose objective exceeds this multiple of the initial one counts as diverged. */
    public double divergenceFactor() {
        return divergenceFactor;
    }

    /** L-BFGS memory (correction pairs). */
    public int memory() {
        return memory;
    }

    /** OGR's exponential weight {@code beta}: the pair of age {@code a} weighs {@code beta^a}. */
    public double decay() {
        return decay;
    }

    /** OGR: whether the step length is searched (Armijo backtracking from 1). */
    public boolean lineSearch() {
        return lineSearch;
    }

    /** Stochastic Newton: the weight of the gradient outer products in the Hessian estimate. */
    public double hybridWeight() {
        return hybridWeight;
    }

    public int threads() {
        return threads;
    }

    /**
     * Full-batch mode: stop as soon as a step reaches an objective at most this value
     * ({@link io.github.fastgn.optim.StopReason#TARGET_REACHED}); negative infinity (the default)
     * disables the rule. The counterpart of {@link FgnOptions#targetObjective()}, for races
     * against a known optimum; {@link Lbfgs} and the first-order rules share it.
     */
    public double targetObjective() {
        return targetObjective;
    }

    /** Wall-clock budget in seconds ({@link io.github.fastgn.optim.StopReason#TIME_LIMIT}); 0 (the default) for none. */
    public double maxSeconds() {
        return maxSeconds;
    }

    /** Mutable builder with validation. */
    public static final class Builder {
        private double learningRate = (Double) LEARNING_RATE.defaultValue();
        private LearningRateSchedule schedule = LearningRateSchedule.constant();
        private FgnOptions.Mode mode = (FgnOptions.Mode) MODE.defaultValue();
        private int batchSize = (Integer) BATCH_SIZE.defaultValue();
        private int maxIterations = (Integer) MAX_ITERATIONS.defaultValue();
        private double l2 = (Double) L2.defaultValue();
        private String guard = (String) GUARD.defaultValue();
        private double guardScale = (Double) GUARD_SCALE.defaultValue();
        private boolean guardOnFullData = (Boolean) GUARD_ON_FULL_DATA.defaultValue();
        private long seed = (Long) SEED.defaultValue();
        private double tolerance = (Double) TOLERANCE.defaultValue();
        private double divergenceFactor = (Double) DIVERGENCE_FACTOR.defaultValue();
        private int memory = (Integer) MEMORY.defaultValue();
        private double decay = (Double) DECAY.defaultValue();
        private boolean lineSearch = (Boolean) LINE_SEARCH.defaultValue();
        private double hybridWeight = (Double) HYBRID_WEIGHT.defaultValue();
        private int threads = (Integer) THREADS.defaultValue();
        private double targetObjective = (Double) TARGET_OBJECTIVE.defaultValue();
        private double maxSeconds = (Double) MAX_SECONDS.defaultValue();

        private Builder() {
        }

        public Builder learningRate(double v) {
            LEARNING_RATE.check(v);
            learningRate = v;
            return this;
        }

        public Builder schedule(LearningRateSchedule v) {
            check(v != null, "schedule", "schedule must not be null");
            schedule = v;
            return this;
        }

        public Builder mode(FgnOptions.Mode v) {
            check(v != null, MODE.name(), "mode must not be null");
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

        public Builder l2(double v) {
            L2.check(v);
            l2 = v;
            return this;
        }

        /** "off" (the default), "on" or "auto" (on unless the run checks each step on all rows). */
        public Builder guard(String v) {
            guard = FgnOptions.guardSetting(v); // the shared definition's check and spelling
            return this;
        }

        /** {@code guard(v ? "on" : "off")}. */
        public Builder guard(boolean v) {
            return guard(v ? FgnOptions.GUARD_ON : FgnOptions.GUARD_OFF);
        }

        public Builder guardScale(double v) {
            GUARD_SCALE.check(v);
            guardScale = v;
            return this;
        }

        public Builder guardOnFullData(boolean v) {
            guardOnFullData = v;
            return this;
        }

        public Builder seed(long v) {
            seed = v;
            return this;
        }

        public Builder tolerance(double v) {
            TOLERANCE.check(v);
            tolerance = v;
            return this;
        }

        public Builder divergenceFactor(double v) {
            DIVERGENCE_FACTOR.check(v);
            divergenceFactor = v;
            return this;
        }

        public Builder memory(int v) {
            MEMORY.check(v);
            memory = v;
            return this;
        }

        public Builder decay(double v) {
            DECAY.check(v);
            decay = v;
            return this;
        }

        public Builder lineSearch(boolean v) {
            lineSearch = v;
            return this;
        }

        public Builder hybridWeight(double v) {
            HYBRID_WEIGHT.check(v);
            hybridWeight = v;
            return this;
        }

        public Builder threads(int v) {
            THREADS.check(v);
            threads = v;
            return this;
        }

        public Builder targetObjective(double v) {
            TARGET_OBJECTIVE.check(v);
            targetObjective = v;
            return this;
        }

        public Builder maxSeconds(double v) {
            MAX_SECONDS.check(v);
            maxSeconds = v;
            return this;
        }

        /**
         * @throws OptionException if an option is set away from its default in the mode where it
         *                         does nothing ({@link OptionSpec#scope()}), as {@link FgnOptions.Builder#build()} does
         */
        public FirstOrderOptions build() {
            OptionSpec.Scope here = mode == FgnOptions.Mode.FULL ? OptionSpec.Scope.FULL : OptionSpec.Scope.MINIBATCH;
            scoped(BATCH_SIZE, batchSize, here);
            scoped(TARGET_OBJECTIVE, targetObjective, here);
            return new FirstOrderOptions(this);
        }

        private static void scoped(OptionSpec o, Object value, OptionSpec.Scope here) {
            if (o.scope() != OptionSpec.Scope.BOTH && o.scope() != here
                    && !OptionSpec.format(value).equals(o.defaultText())) {
                throw new OptionException(o.name(), o.noEffectMessage(value, here));
            }
        }

        private static void check(boolean ok, String option, String message) {
            if (!ok) {
                throw new OptionException(option, message);
            }
        }
    }
}
