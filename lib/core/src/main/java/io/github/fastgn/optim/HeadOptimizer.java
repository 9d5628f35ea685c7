package io.github.fastgn.optim;

/**
 * Trains a linear softmax head {@code z = W x + b} on fixed features: minimises
 * {@code sum_i c_i CE(z_i, y_i) / sum_i c_i + l2/2 ||W||^2} (bias not penalised). FGN, Newton and
 * every first-order baseline implement this, so runners and notebooks can swap methods.
 */
public interface HeadOptimizer {

    /** A short name for tables and legends ("FGN", "Adam", ...). */
    String name();

    /** Adds a listener for the following runs; returns this. */
    HeadOptimizer addListener(TrainingListener listener);

    /**
     * Runs the optimizer on the features as given (no standardisation).
     *
     * @param x       features, row-major {@code n x d}
     * @param y       labels in {@code [0, k)}
     * @param weights example weights or null
     * @param start   initial {@code [W | b]} ({@code k x (d+1)}, row-major), or null for zeros
     */
    TrainingResult optimize(double[] x, int[] y, double[] weights, int n, int d, int k, double[] start);
}
