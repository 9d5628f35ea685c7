package io.github.fastgn.internal.solver;

import io.github.fastgn.internal.head.HeadBatch;

/**
 * The feature Gram {@code X X^T} of a batch, recomputed only when the batch changes: in
 * full-batch training it is constant, so row-space direct solvers pay its {@code B^2 d} once.
 */
final class FeatureGramCache {

    private double[] gram = new double[0];
    private HeadBatch owner;
    private long version = -1;

    double[] get(HeadBatch batch) {
        int b = batch.rows();
        if (owner != batch || version != batch.batchVersion()) {
            if (gram.length < b * b) {
                gram = new double[b * b];
            }
            batch.featureGram(null, gram);
            owner = batch;
            version = batch.batchVersion();
        }
        return gram;
    }
}
