package io.github.fastgn.experiment;

import io.github.fastgn.internal.head.HeadBatch;
import io.github.fastgn.internal.solver.Damping;
import io.github.fastgn.internal.solver.ParamCgSolver;
import io.github.fastgn.internal.solver.StepSolver;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Compares the FGN step with the full-GGN step at one point of a linear head (EXPERIMENTS.md (a)): both
 * solve {@code (G + lambda I) s = -g} for the data gradient {@code g} (no L2, the bias damped
 * like the weights), with {@code lambda = lambdaRel * ||G_full||_2}.
 *
 * <p>Matrix-free throughout: spectral norms by power iteration on the GGN-vector products, steps
 * by parameter-space CG solved to a relative residual of {@value #SOLVE_TOLERANCE}. So it works
 * for any {@code K} and {@code D} that fit the products.
 */
public final class MechanismProbe {

    /** Relative residual of the step solves. */
    static final double SOLVE_TOLERANCE = 1e-10;
    private static final int POWER_ITERATIONS = 300;

    private final HeadBatch batch;
    private final int p;
    private final double[] gradient;
    private final double[] work;
    private final double[] work2;
    private final double gNorm;
    private final double fullNorm;
    private final double gapNorm;

    /** The measurements at one damping. */
    public record Comparison(double lambdaRel, double cosine, double normRatio, double predictedRatio,
                             double cosineFgnD) {
    }

    /** @param batch the head at the point, with its batch set and evaluated */
    public MechanismProbe(HeadBatch batch) {
        this.batch = batch;
        this.p = batch.classes() * (batch.featureCount() + 1);
        this.gradient = new double[p];
        this.work = new double[p];
        this.work2 = new double[p];
        batch.gradient(new double[p], 0.0, gradient);
        this.gNorm = norm(gradient);
        this.fullNorm = powerIteration(false);
        this.gapNorm = powerIteration(true);
    }

    /** {@code ||G_full||_2}. */
    public double fullNorm() {
        return fullNorm;
    }

    /** Curvature gap {@code lambda_max(G_full - G_FGN) / lambda_max(G_full)}. */
    public double curvatureGap() {
        return gapNorm / fullNorm;
    }

    /** Mean {@code ||q_i||^2} over the batch: 1/(K-1) for uniform competitors, 1 for one dominant. */
    public double meanCompetitorConcentration() {
        double[] u = batch.marginGradients();
        int k = batch.classes();
        int[] y = batch.labels();
        double s = 0;
        for (int i = 0; i < batch.rows(); i++) {
            for (int c = 0; c < k; c++) {
                if (c != y[i]) {
                    s += u[i * k + c] * u[i * k + c];
                }
            }
        }
        return s / batch.rows();
    }

    /** Mean entropy (nats) of the competitor distribution {@code q_i}. */
    public double meanCompetitorEntropy() {
        double[] u = batch.marginGradients();
        int k = batch.classes();
        int[] y = batch.labels();
        double s = 0;
        for (int i = 0; i < batch.rows(); i++) {
            for (int c = 0; c < k; c++) {
                double q = -u[i * k + c];
                if (c != y[i] && q > 0) {
                    s -= q * Math.log(q);
                }
            }
        }
        return s / batch.rows();
    }

    /** Mean {@code p_y}. */
    public double meanTrueProbability() {
        double[] m = batch.margins();
        double s = 0;
        for (int i = 0; i < batch.rows(); i++) {
            s += HeadBatch.sigmoid(m[i]);
        }
        return s / batch.rows();
    }

    /** Compares the two steps at {@code lambda = lambdaRel ||G_full||}. */
    public Comparison compare(double lambdaRel) {
        double lambda = lambdaRel * fullNorm;
        double[] sFgn = solve(StepSolver.Curvature.FGN, lambda, null);
        double[] sGgn = solve(StepSolver.Curvature.FULL, lambda, null);
        double[] dropped = new double[p];
        batch.curvatureDiagonal(HeadBatch.Diagonal.DROPPED, dropped);
        double[] sD = solve(StepSolver.Curvature.FGN, lambda, dropped);
        return new Comparison(lambdaRel, cosine(sFgn, sGgn), norm(sFgn) / norm(sGgn), dot(gradient, sFgn)
                / dot(gradient, sGgn), cosine(sD, sGgn));
    }

    /** The step {@code -(G + lambda + extra)^-1 g} for a curvature. */
    public double[] solve(StepSolver.Curvature curvature, double lambda, double[] extra) {
        Damping damping = new Damping(batch.featureCount(), batch.classes());
        // no L2 in the probe: damp bias and weights alike (gamma = 0)
        damping.set(lambda, 0.0, extra);
        double[] s = new double[p];
        new ParamCgSolver(curvature, 20 * p).solve(batch, damping, gradient, s, SOLVE_TOLERANCE);
        return s;
    }

    private double powerIteration(boolean gap) {
        double[] v = new double[p];
        SplittableRandom rng = new SplittableRandom(17);
        for (int t = 0; t < p; t++) {
            v[t] = rng.nextDouble() - 0.5;
        }
        scale(v, 1 / norm(v));
        double lambda = 0;
        double[] rows = new double[batch.rows()];
        for (int it = 0; it < POWER_ITERATIONS; it++) {
            batch.ggnProduct(v, work);
            if (gap) {
                batch.jvp(v, rows);
                batch.vjp(rows, work2);
                for (int t = 0; t < p; t++) {
                    work[t] -= work2[t];
                }
            }
            double next = dot(v, work);
            double n = norm(work);
            if (n == 0) {
                return 0;
            }
            System.arraycopy(work, 0, v, 0, p);
            scale(v, 1 / n);
            if (Math.abs(next - lambda) <= 1e-10 * Math.abs(next)) {
                return next;
            }
            lambda = next;
        }
        return lambda;
    }

    static double cosine(double[] a, double[] b) {
        return dot(a, b) / (norm(a) * norm(b));
    }

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    static double norm(double[] a) {
        return Math.sqrt(dot(a, a));
    }

    private static void scale(double[] a, double f) {
        for (int i = 0; i < a.length; i++) {
            a[i] *= f;
        }
    }

    /** The data gradient at the point (a copy). */
    public double[] gradient() {
        return Arrays.copyOf(gradient, p);
    }

    public double gradientNorm() {
        return gNorm;
    }
}
