package io.github.fastgn.optim;

import io.github.fastgn.internal.head.BatchStream;
import io.github.fastgn.internal.head.ChunkedObjective;
import io.github.fastgn.internal.head.HeadBatch;

/**
 * The rows of a mini-batch run: a seeded stream of shuffled batches, each giving the curvature,
 * the gradient, the step search and the ratio of one step (its {@link Line}), and the full data
 * for the objective reported after each epoch.
 */
final class MiniBatchRows {

    final BatchStream stream;
    final HeadBatch batch;
    final Line.OnBatch line;
    final ChunkedObjective full;
    private final double gamma;

    MiniBatchRows(BatchStream stream, HeadBatch batch, ChunkedObjective full, double gamma) {
        this.stream = stream;
        this.batch = batch;
        this.line = new Line.OnBatch(batch);
        this.full = full;
        this.gamma = gamma;
    }

    /**
     * Moves to the next batch and evaluates it at {@code params}; false if it holds only
     * zero-weight examples (no objective to step on).
     */
    boolean next(double[] params) {
        if (!stream.next(batch)) {
            return false;
        }
        batch.evaluate(params);
        return true;
    }

    /** The batch objective at {@code params} (where it was evaluated or moved to), gradient into {@code grad}. */
    double objective(double[] params, double[] grad) {
        double f = batch.objective(params, gamma);
        batch.gradient(params, gamma, grad);
        return f;
    }

    /** Moves the batch's logits by {@code alpha} along the searched step. */
    void move(double alpha) {
        line.move(alpha);
    }

    /** Feature rows read so far by the batches and the full-data evaluations ({@link HeadBatch#rowsRead()}). */
    long rowsRead() {
        return batch.rowsRead() + full.rowsRead();
    }

    /** Whether the data has more than one batch (so sampling noise). */
    boolean severalBatches() {
        return stream.batchesPerEpoch() > 1;
    }
}
