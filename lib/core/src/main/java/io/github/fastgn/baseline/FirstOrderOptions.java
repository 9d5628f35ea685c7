package io.github.fastgn.baseline;

import io.github.fastgn.optim.FgnOptions;

/**
 * Settings shared by the first-order baselines and L-BFGS. Build with {@link #builder()}.
 *
 * <p>The guard is the Ghosts-of-Softmax controller: the step {@code S} is shortened so that
 * {@code tau <= c rho_a}, i.e. its largest per-example logit spread is at most {@code c pi}.
 * As in the Ghosts code the spread is measured on the full training set by default
 * ({@code guardOnFullData}); set it false to use the step's batch (cheaper for large data).
 */
public final class FirstOrderOptions {

    private final double learningRate;
    private final LearningRateSchedule schedule;
    private final FgnOptions.Mode mode;
    private final int batchSize;
    private final int maxIterations;
    private final double l2;
    private final boolean guard;
    private final double guardScale;
    private final boolean guardOnFullData;
    private final long seed;
    private final double tolerance;
    private final double divergenceFactor;
    private final int memory;
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

    public boolean guard() {
        return guard;
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

    /** Full batch: stop at {@code ||grad|| <= tolerance max(1, ||grad_0||)}; 0 runs the whole budget. */
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
        private double learningRate = 0.1;
        private LearningRateSchedule schedule = LearningRateSchedule.constant();
        private FgnOptions.Mode mode = FgnOptions.Mode.FULL;
        private int batchSize = 64;
        private int maxIterations = 200;
        private double l2 = 1e-4;
        private boolean guard = false;
        private double guardScale = 1.0;
        private boolean guardOnFullData = true;
        private long seed = 12345L;
        private double tolerance = 0;
        private double divergenceFactor = 10;
        private int memory = 10;
        private int threads = 0;
        private double targetObjective = Double.NEGATIVE_INFINITY;
        private double maxSeconds = 0;

        private Builder() {
        }

        public Builder learningRate(double v) {
            check(v > 0 && Double.isFinite(v), "learningRate must be a finite number > 0, got " + v);
            learningRate = v;
            return this;
        }

        public Builder schedule(LearningRateSchedule v) {
            check(v != null, "schedule must not be null");
            schedule = v;
            return this;
        }

        public Builder mode(FgnOptions.Mode v) {
            check(v != null, "mode must not be null");
            mode = v;
            return this;
        }

        public Builder batchSize(int v) {
            check(v >= 1, "batchSize must be at least 1, got " + v);
            batchSize = v;
            return this;
        }

        public Builder maxIterations(int v) {
            check(v >= 1, "maxIterations must be at least 1, got " + v);
            maxIterations = v;
            return this;
        }

        public Builder l2(double v) {
            check(v >= 0 && Double.isFinite(v), "l2 must be a finite number >= 0, got " + v);
            l2 = v;
            return this;
        }

        public Builder guard(boolean v) {
            guard = v;
            return this;
        }

        public Builder guardScale(double v) {
            check(v > 0 && Double.isFinite(v), "guardScale must be a finite number > 0, got " + v);
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
            check(v >= 0 && Double.isFinite(v), "tolerance must be a finite number >= 0, got " + v);
            tolerance = v;
            return this;
        }

        public Builder divergenceFactor(double v) {
            check(v > 1, "divergenceFactor must be > 1, got " + v);
            divergenceFactor = v;
            return this;
        }

        public Builder memory(int v) {
            check(v >= 1, "memory must be at least 1, got " + v);
            memory = v;
            return this;
        }

        public Builder threads(int v) {
            check(v >= 0, "threads must be >= 0 (0 = all cores), got " + v);
            threads = v;
            return this;
        }

        public Builder targetObjective(double v) {
            check(!Double.isNaN(v) && v < Double.POSITIVE_INFINITY,
                    "targetObjective must be a number below +infinity (-infinity disables it), got " + v);
            targetObjective = v;
            return this;
        }

        public Builder maxSeconds(double v) {
            check(v >= 0 && !Double.isNaN(v), "maxSeconds must be >= 0 (0 = no limit), got " + v);
            maxSeconds = v;
            return this;
        }

        public FirstOrderOptions build() {
            return new FirstOrderOptions(this);
        }

        private static void check(boolean ok, String message) {
            if (!ok) {
                throw new IllegalArgumentException(message);
            }
        }
    }
}
