package io.github.fastgn;

import io.github.fastgn.internal.head.ChunkedObjective;
import io.github.fastgn.internal.head.DataRows;
import io.github.fastgn.data.LabelledData;
import io.github.fastgn.internal.linalg.Parallel;

/**
 * The training objective of a softmax head on a data set, for looking at a point rather than
 * training: {@code sum_i c_i CE(W x_i + b, y_i) / sum_i c_i + l2/2 ||W||^2} (example weights
 * {@code c_i}, the bias not penalised) and its gradient, with the parameters laid out as the
 * trainers lay them out: row-major {@code k x (d+1)}, {@code [W | b]}. It is evaluated in chunks of
 * rows on the calling thread, so memory stays {@code O(K D)} beyond the data, and the value is the
 * same bits on every call.
 *
 * <pre>{@code
 * SoftmaxObjective f = new SoftmaxObjective(train, 1e-4);
 * double[] g = new double[f.parameterCount()];
 * double value = f.evaluate(params, g);
 * }</pre>
 */
public final class SoftmaxObjective {

    private final ChunkedObjective objective;
    private final int parameters;

    /**
     * @param data the examples (float features are widened to a double copy; sparse features stay sparse)
     * @param l2   the L2 strength on W, finite and {@code >= 0}
     * @throws IllegalArgumentException if {@code data} is null or {@code l2} is negative or not finite
     */
    public SoftmaxObjective(LabelledData data, double l2) {
        if (data == null) {
            throw new IllegalArgumentException("data must not be null");
        }
        if (!(l2 >= 0) || !Double.isFinite(l2)) {
            throw new IllegalArgumentException("l2 must be a finite number >= 0, got " + l2);
        }
        int d = data.featureCount();
        int k = data.classCount();
        this.parameters = k * (d + 1);
        this.objective = new DataRows(data).objective(l2, Parallel.SERIAL);
    }

    /** The number of parameters {@code k (d + 1)}. */
    public int parameterCount() {
        return parameters;
    }

    /**
     * The objective at {@code params}; the gradient goes into {@code gradient} unless it is null.
     *
     * @throws IllegalArgumentException if an array does not hold {@link #parameterCount()} values or a
     *                                  parameter is not finite
     */
    public double evaluate(double[] params, double[] gradient) {
        if (params == null || params.length != parameters) {
            throw new IllegalArgumentException("params must hold k*(d+1) = " + parameters + " values, got "
                    + (params == null ? "null" : String.valueOf(params.length)));
        }
        if (gradient != null && gradient.length != parameters) {
            throw new IllegalArgumentException("gradient must hold k*(d+1) = " + parameters + " values, got "
                    + gradient.length);
        }
        for (int t = 0; t < parameters; t++) {
            if (!Double.isFinite(params[t])) {
                throw new IllegalArgumentException("params[" + t + "] is " + params[t]
                        + "; the objective is evaluated at finite parameters");
            }
        }
        return objective.evaluate(params, gradient);
    }
}
