package io.github.fastgn.optim;

import io.github.fastgn.internal.head.HeadBatch;
import io.github.fastgn.internal.solver.StepSolver;

/**
 * What the step-length search needs from the rows the objective is measured on: the logit
 * image of a step (kept), the curvature of the solver's model along it, and the data loss at
 * a step length. Logits are affine in the step length, so each trial is O(rows K).
 */
interface Line {
    /** Computes and keeps the logit image of {@code step}; returns its largest per-example spread. */
    double direction(double[] step);

    /** {@code s^T G s} of the model curvature along the kept direction. */
    double curvatureAlong(StepSolver.Curvature kind);

    /** The data loss at step length {@code alpha} along the kept direction. */
    double dataLossAlong(double alpha);

    /** A line through the current point on one batch, its logit image kept in {@link #dz}. */
    class OnBatch implements Line {
        final HeadBatch batch;
        final double[] dz;

        OnBatch(HeadBatch batch) {
            this.batch = batch;
            this.dz = new double[batch.capacity() * batch.classes()];
        }

        @Override
        public double direction(double[] step) {
            batch.logitDirection(step, dz);
            return batch.maxSpread(dz);
        }

        @Override
        public double curvatureAlong(StepSolver.Curvature kind) {
            return kind == StepSolver.Curvature.FGN ? batch.fgnCurvatureAlong(dz) : batch.ggnCurvatureAlong(dz);
        }

        @Override
        public double dataLossAlong(double a) {
            return batch.dataLossAlong(dz, a);
        }

        /** Moves the batch's logits by {@code a} times the kept direction. */
        void move(double a) {
            batch.moveLogits(dz, a);
        }
    }
}
