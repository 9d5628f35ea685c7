package io.github.fastgn.spark;

import java.io.Serializable;

/**
 * A partition's share of one pass, and the sum of several: data loss and gradient, the line
 * quantities (largest spread, curvatures, data loss per trial length), or both (a line pass that
 * also gives the loss and gradient at its first length); and the curvature rows the partition holds. {@link #add} merges the next partitions' share in order.
 */
final class Partial implements Serializable {

    private static final long serialVersionUID = 1L;

    double loss;
    final double[] grad;
    double spread;
    double fgn;
    double ggn;
    final double[] losses;
    /** Curvature rows, or null. */
    Gathered rows;

    Partial(int parameters, int lengths) {
        grad = new double[parameters];
        losses = new double[lengths];
    }

    /** Adds {@code o} (the partitions after these) to this sum; returns this. */
    Partial add(Partial o) {
        loss += o.loss;
        for (int t = 0; t < grad.length; t++) {
            grad[t] += o.grad[t];
        }
        spread = Math.max(spread, o.spread);
        fgn += o.fgn;
        ggn += o.ggn;
        for (int t = 0; t < losses.length; t++) {
            losses[t] += o.losses[t];
        }
        rows = rows == null ? o.rows : o.rows == null ? rows : rows.append(o.rows);
        return this;
    }
}
