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
    /** A line pass's second fused length's data loss and gradient (empty when it keeps one). */
    double loss2;
    final double[] grad2;
    double spread;
    double fgn;
    double ggn;
    final double[] losses;
    /** Chunk logit products the partitions computed (the others' logits were kept from the last pass). */
    long logitProducts;
    /** Curvature rows, or null. */
    Gathered rows;

    Partial(int parameters, int lengths) {
        this(parameters, lengths, 0);
    }

    Partial(int parameters, int lengths, int secondParameters) {
        grad = new double[parameters];
        grad2 = new double[secondParameters];
        losses = new double[lengths];
    }

    /** Adds {@code o} (the partitions after these) to this sum; returns this. */
    Partial add(Partial o) {
        loss += o.loss;
        for (int t = 0; t < grad.length; t++) {
            grad[t] += o.grad[t];
        }
        loss2 += o.loss2;
        for (int t = 0; t < grad2.length; t++) {
            grad2[t] += o.grad2[t];
        }
        logitProducts += o.logitProducts;
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
