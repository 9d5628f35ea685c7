package io.github.fastgn.optim;

import io.github.fastgn.internal.head.HeadBatch;
import io.github.fastgn.internal.optim.TrainingRun;

/**
 * The Levenberg-Marquardt damping rule of SPEC 3.1: {@code lambda *= 2} after a rejected step,
 * a ratio {@code rho < 0.25} or a binding guard (a trust-region signal: capping alone would keep
 * rho high and starve the damping); {@code lambda /= 3} after {@code rho > 0.75}; kept otherwise.
 * The factor is applied to the power {@code smoothing} (1 in full batch, 0.5 in mini-batch: half
 * the log-factor) and the result clamped to {@code [min, max]}.
 *
 * <p>Mini-batch runs add a floor that grows with the steps taken (see {@link FgnOptimizer}):
 * {@code lambda_t >= 0.1 (t - 1) tr(G_full)/P} on the step's batch.
 */
final class DampingPolicy {

    /**
     * Growth of the mini-batch damping floor per step taken, in units of the batch's mean curvature
     * {@code tr(G_full)/P}: {@code lambda_t >= MINIBATCH_DAMPING_GROWTH (t - 1) tr(G_full)/P}.
     */
    static final double MINIBATCH_DAMPING_GROWTH = 0.1;

    private final double initial;
    private final double min;
    private final double max;
    private final double smoothing;

    /**
     * @param initial   the starting damping, or 0 for the scale-aware start {@code tr(G_full)/P}
     * @param min       lower clamp
     * @param max       upper clamp
     * @param smoothing power applied to the update factor
     */
    DampingPolicy(double initial, double min, double max, double smoothing) {
        this.initial = initial;
        this.min = min;
        this.max = max;
        this.smoothing = smoothing;
    }

    /** The policy of a run with these options: smoothing 1 in full batch, 0.5 in mini-batch. */
    static DampingPolicy of(FgnOptions options) {
        return new DampingPolicy(options.initialDamping(), options.minDamping(), options.maxDamping(),
                options.mode() == FgnOptions.Mode.FULL ? 1.0 : 0.5);
    }

    double max() {
        return max;
    }

    /** The first damping, and the bias damping scale of the run ({@link #biasScale}). */
    record Start(double lambda, double biasScale) {
    }

    /**
     * The first damping (the configured one, or the batch's mean curvature clamped to the range) and
     * the run's bias damping scale, from one read of the batch's rows.
     */
    Start start(HeadBatch batch) {
        double[] xx = new double[batch.rows()];
        batch.augmentedSquaredNorms(xx);
        double mean = meanCurvature(batch, xx);
        // features near the top of the double range overflow the curvature's trace, which sets this
        // damping and the mini-batch damping floor (at zero weights the objective is finite and names nothing)
        TrainingRun.requireFiniteStart("curvature scale", mean);
        double lambda = initial > 0 ? initial : Math.min(max, Math.max(min, mean));
        return new Start(lambda, biasScale(batch, xx));
    }

    /** The least bias damping scale {@link #biasScale} gives. */
    static final double MIN_BIAS_SCALE = 0.01;

    /**
     * The run's bias damping over {@code lambda} ({@link io.github.fastgn.internal.solver.Damping#setBiasScale}),
     * given the batch's {@code xx_i = 1 + ||x_i||^2}:
     * {@code min(1, 1 / m)} for the batch's mean squared feature {@code m = sum_i beta_i ||x_i||^2 / d},
     * at least {@value #MIN_BIAS_SCALE}. A uniform {@code lambda} damps a weight of class {@code c} against
     * a curvature of about {@code delta_c m} and its bias against {@code delta_c}, so with features
     * larger than 1 the biases were held back {@code m} times more, relative to their curvature, than an
     * average weight, and with no L2 term on the biases those directions kept a late run linear. On the
     * bench's {@code syn} (Gaussian prototypes, {@code m = 10}, K = 1000) the scale 0.1 took 9 steps
     * instead of 10 to {@code f*(1 + 1e-4)} (gap after the 8th step {@code 3.7e-4} against
     * {@code 7.9e-4}; 0.01 and 0.001 also 9). Features of mean square at most 1 (standardised ones,
     * pixels in [0, 1], tf-idf rows) keep 1: biases are then damped no more than weights already.
     */
    static double biasScale(HeadBatch batch, double[] xx) {
        int d = batch.featureCount();
        if (d == 0 || batch.rows() == 0) {
            return 1.0;
        }
        double[] beta = batch.exampleWeights();
        double squares = 0;
        double total = 0;
        for (int i = 0; i < batch.rows(); i++) {
            squares += beta[i] * (xx[i] - 1);
            total += beta[i];
        }
        double m = squares / (total * d);
        return m > 1 ? Math.max(MIN_BIAS_SCALE, 1 / m) : 1.0;
    }

    /** The rule table: 2 (rejected, rho < 0.25 or guard bound), 1/3 (rho > 0.75), else 1. */
    static double factor(boolean accepted, double rho, boolean guardBound) {
        if (!accepted || rho < 0.25 || guardBound) {
            return 2.0;
        } else if (rho > 0.75) {
            return 1.0 / 3.0;
        }
        return 1.0;
    }

    /** The damping after a step with this outcome. */
    double update(double lambda, boolean accepted, double rho, boolean guardBound) {
        double next = lambda * Math.pow(factor(accepted, rho, guardBound), smoothing);
        return Math.min(max, Math.max(min, next));
    }

    /**
     * The mini-batch noise floor for step {@code step} (1-based) on {@code batch}, evaluated at
     * the current point: {@code lambda} raised to {@code 0.1 (step - 1) tr(G_full)/P} when the data
     * has more than one batch (a single batch has no sampling noise), and capped at the maximum.
     */
    double withMiniBatchFloor(double lambda, int step, HeadBatch batch, boolean severalBatches) {
        double floor = severalBatches ? MINIBATCH_DAMPING_GROWTH * (step - 1) * meanCurvature(batch) : 0.0;
        return Math.min(max, Math.max(lambda, floor));
    }

    /** The mean eigenvalue of the full GGN on the batch, {@code tr(G_full) / P}; O(B (K + d)). */
    static double meanCurvature(HeadBatch batch) {
        double[] xx = new double[batch.rows()];
        batch.augmentedSquaredNorms(xx);
        return meanCurvature(batch, xx);
    }

    /** {@link #meanCurvature(HeadBatch)} given the batch's {@code xx_i = 1 + ||x_i||^2}. */
    static double meanCurvature(HeadBatch batch, double[] xx) {
        // tr(G_full) / P = sum_i beta_i (1 - |p_i|^2)(|x_i|^2 + 1) / P
        int d = batch.featureCount();
        int k = batch.classes();
        int p = k * (d + 1);
        double[] pr = batch.probabilities();
        double[] beta = batch.exampleWeights();
        double tr = 0;
        for (int i = 0; i < batch.rows(); i++) {
            double pp = 0;
            for (int c = 0; c < k; c++) {
                pp += pr[i * k + c] * pr[i * k + c];
            }
            tr += beta[i] * (1 - pp) * xx[i];
        }
        return tr / p;
    }
}
