package io.github.fastgn.experiment;

import io.github.fastgn.internal.head.HeadBatch;
import io.github.fastgn.data.LabelledData;
import io.github.fastgn.data.Synthetic;
import io.github.fastgn.internal.linalg.Parallel;
import io.github.fastgn.internal.solver.Damping;
import io.github.fastgn.internal.solver.StepSolver;

import java.util.Arrays;

/**
 * One damped step at a fixed batch, the unit of the per-step cost against K (EXPERIMENTS.md (c)), shared by
 * {@link ClassScalingExperiment} and the JMH {@code StepBenchmark}: a Gaussian-prototype batch of
 * {@code B} rows, {@code d} features and {@code K} classes ({@code sigma = 3}, seed {@code 100 + K}),
 * at one point off the origin (one gradient step from zero, so the margins are not all equal),
 * damping {@value #LAMBDA} and L2 {@value #L2}.
 *
 * <p>A step ({@link #step}) is: logits and margins, gradient, the solve from a zero start, and the
 * step's logit image {@code X~ S^T} (needed by the guard and the line search). The batch stays the
 * same across steps, so solvers that cache the feature Gram per batch compute it once, as in
 * full-batch training. Not thread safe.
 */
public final class StepProblem {

    /** Levenberg-Marquardt damping {@code lambda} of every step. */
    public static final double LAMBDA = 1e-2;
    /** L2 strength {@code gamma} on W. */
    public static final double L2 = 1e-4;

    private final HeadBatch batch;
    private final Damping damping;
    private final double[] wt;
    private final double[] h;
    private final double[] dz;

    /**
     * @param b        rows {@code B}
     * @param d        features
     * @param k        classes
     * @param parallel the thread pool of the batch's products
     */
    public StepProblem(int b, int d, int k, Parallel parallel) {
        LabelledData data = Synthetic.gaussianPrototypes(b, d, k, 3.0, 100 + k);
        batch = new HeadBatch(b, d, k, 1e-12, parallel);
        batch.setBatch(data.features(), data.labels(), null, b);
        int p = k * (d + 1);
        wt = new double[p];
        h = new double[p];
        dz = new double[b * k];
        batch.evaluate(wt);
        batch.gradient(wt, L2, h);
        for (int t = 0; t < p; t++) {
            wt[t] = -h[t];
        }
        damping = new Damping(d, k);
        damping.set(LAMBDA, L2, null);
    }

    /** Recomputes the logits, margins and the gradient ({@link #gradient()}) at the point. */
    public void evaluate() {
        batch.evaluate(wt);
        batch.gradient(wt, L2, h);
    }

    /**
     * One step into {@code s} ({@code K (d+1)} entries): {@link #evaluate()}, then the solve from
     * zero with tolerance 0 (iterative solvers run their iteration cap) and the step's logit image;
     * with a null solver an SGD step {@code s = -0.1 h} (no solve, no logit image).
     *
     * @return the solver's operator applications (0 for direct solvers and SGD)
     */
    public int step(StepSolver solver, double[] s) {
        evaluate();
        if (solver == null) {
            for (int t = 0; t < s.length; t++) {
                s[t] = -0.1 * h[t];
            }
            return 0;
        }
        Arrays.fill(s, 0);
        int iterations = solver.solve(batch, damping, h, s, 0.0).iterations();
        batch.logitDirection(s, dz);
        return iterations;
    }

    /** The batch, evaluated at the point by the last {@link #evaluate()} or {@link #step}. */
    public HeadBatch batch() {
        return batch;
    }

    /** The damping of every step. */
    public Damping damping() {
        return damping;
    }

    /** The gradient at the point, as of the last {@link #evaluate()} or {@link #step}. */
    public double[] gradient() {
        return h;
    }

    /** Number of parameters {@code K (d+1)}. */
    public int parameters() {
        return wt.length;
    }
}
