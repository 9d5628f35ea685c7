package io.github.fastgn.internal.solver;

import io.github.fastgn.internal.head.HeadBatch;
import io.github.fastgn.internal.linalg.Parallel;
import io.github.fastgn.testing.QuietTestBase;
import io.github.fastgn.testing.RandomProblem;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.LUDecomposition;
import org.apache.commons.math3.linear.RealMatrix;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The class-block preconditioner applies the inverse of {@code blockdiag_k(delta_k (C + t_k I))},
 * {@code t_k = mean(Lambda_k) / delta_k}, built densely here from its definition and inverted by
 * Commons Math's LU, and cuts CG iterations on correlated, badly scaled features.
 */
class ClassBlockPreconditionerTest extends QuietTestBase {

    /** The feature second moment {@code C = sum_i beta_i x~_i x~_i^T}, summed by hand. */
    private static double[][] denseMoment(RandomProblem pr) {
        double[][] moment = new double[pr.dd][pr.dd];
        for (int j = 0; j < pr.dd; j++) {
            for (int l = 0; l < pr.dd; l++) {
                for (int i = 0; i < pr.b; i++) {
                    moment[j][l] += pr.beta[i] * pr.xt(i, j) * pr.xt(i, l);
                }
            }
        }
        return moment;
    }

    @Test
    void appliesTheInverseOfTheDenseBlockDiagonal() {
        RandomProblem pr = RandomProblem.random(21, 300, 5, 3, 1.0);
        HeadBatch batch = pr.batch(1e-300, Parallel.SERIAL);
        Damping damping = new Damping(pr.d, pr.k);
        damping.set(0.2, 0.05, null);
        double[][] moment = denseMoment(pr);
        double meanDiagonal = 0;
        for (int j = 0; j < pr.dd; j++) {
            meanDiagonal += moment[j][j] / pr.dd;
        }
        for (StepSolver.Curvature curvature : StepSolver.Curvature.values()) {
            ClassBlockPreconditioner pc = new ClassBlockPreconditioner(pr.d, pr.k, Parallel.SERIAL);
            pc.prepare(batch, curvature, damping.diagonal());
            RealMatrix m = new Array2DRowRealMatrix(pr.p, pr.p);
            double[][] p = pr.probabilities(pr.wt);
            double[][] u = pr.marginGradients(pr.wt);
            double[] w = pr.fgnWeights(pr.wt);
            for (int c = 0; c < pr.k; c++) {
                double delta = 0;
                for (int i = 0; i < pr.b; i++) {
                    delta += curvature == StepSolver.Curvature.FGN ? pr.beta[i] * w[i] * u[i][c] * u[i][c]
                            : pr.beta[i] * p[i][c] * (1 - p[i][c]);
                }
                double mu = 0;
                for (int j = 0; j < pr.dd; j++) {
                    mu += damping.diagonal()[c * pr.dd + j] / pr.dd;
                }
                double t = Math.max(mu / delta, ClassBlockPreconditioner.MIN_RELATIVE_SHIFT * meanDiagonal);
                double shift = t;
                for (int j = 0; j < pr.dd; j++) {
                    for (int l = 0; l < pr.dd; l++) {
                        m.setEntry(c * pr.dd + j, c * pr.dd + l, delta * (moment[j][l] + (j == l ? shift : 0)));
                    }
                }
            }
            double[] v = new double[pr.p];
            Random rnd = new Random(2);
            for (int t = 0; t < pr.p; t++) {
                v[t] = rnd.nextGaussian();
            }
            double[] expected = new LUDecomposition(m).getSolver().solve(new ArrayRealVector(v)).toArray();
            double[] got = new double[pr.p];
            pc.apply(v, got);
            double scale = 0;
            for (double e : expected) {
                scale = Math.max(scale, Math.abs(e));
            }
            assertArrayEquals(expected, got, 1e-10 * scale, curvature.toString());
        }
    }

    /**
     * With the coupling kept, the preconditioner is symmetric and inverts the Kronecker factor
     * {@code A (x) C + mu I} (built densely here: {@code A = sum_i beta_i S_i} from the
     * probabilities or the margin gradients, {@code C} the feature second moment, {@code mu} the
     * mean damping): the preconditioned spectrum is 1 to rounding. The uncoupled class blocks do not
     * invert it (checked, so the bound can fail).
     */
    @Test
    void coupledInvertsTheKroneckerFactor() {
        RandomProblem pr = RandomProblem.random(33, 400, 5, 4, 1.5);
        HeadBatch batch = pr.batch(1e-300, Parallel.SERIAL);
        Damping damping = new Damping(pr.d, pr.k);
        damping.set(0.01, 0.002, null);
        double mu = 0;
        for (double l : damping.diagonal()) {
            mu += l / pr.p;
        }
        double[][] moment = denseMoment(pr);
        double[][] p = pr.probabilities(pr.wt);
        double[][] u = pr.marginGradients(pr.wt);
        double[] w = pr.fgnWeights(pr.wt);
        double bound = 1 + 1e-8;
        for (StepSolver.Curvature curvature : StepSolver.Curvature.values()) {
            double[][] a = new double[pr.k][pr.k];
            for (int i = 0; i < pr.b; i++) {
                for (int c = 0; c < pr.k; c++) {
                    for (int e = 0; e < pr.k; e++) {
                        a[c][e] += curvature == StepSolver.Curvature.FGN ? pr.beta[i] * w[i] * u[i][c] * u[i][e]
                                : pr.beta[i] * ((c == e ? p[i][c] : 0) - p[i][c] * p[i][e]);
                    }
                }
            }
            RealMatrix h = new Array2DRowRealMatrix(pr.p, pr.p);
            for (int c = 0; c < pr.k; c++) {
                for (int e = 0; e < pr.k; e++) {
                    for (int j = 0; j < pr.dd; j++) {
                        for (int l = 0; l < pr.dd; l++) {
                            h.setEntry(c * pr.dd + j, e * pr.dd + l,
                                    a[c][e] * moment[j][l] + (c == e && j == l ? mu : 0));
                        }
                    }
                }
            }
            for (boolean coupled : new boolean[] {true, false}) {
                ClassBlockPreconditioner pc = new ClassBlockPreconditioner(pr.d, pr.k, Parallel.SERIAL, coupled);
                pc.prepare(batch, curvature, damping.diagonal());
                RealMatrix inverse = new Array2DRowRealMatrix(pr.p, pr.p);
                double[] e = new double[pr.p];
                double[] col = new double[pr.p];
                for (int t = 0; t < pr.p; t++) {
                    java.util.Arrays.fill(e, 0.0);
                    e[t] = 1;
                    pc.apply(e, col);
                    inverse.setColumn(t, col);
                }
                double[] spectrum = new org.apache.commons.math3.linear.EigenDecomposition(inverse.multiply(h))
                        .getRealEigenvalues();
                double lo = Double.POSITIVE_INFINITY;
                double hi = 0;
                for (double ev : spectrum) {
                    lo = Math.min(lo, ev);
                    hi = Math.max(hi, ev);
                }
                String what = curvature + (coupled ? " coupled" : " blocks") + ": [" + lo + ", " + hi + "]";
                if (coupled) {
                    for (int r = 0; r < pr.p; r++) {
                        for (int t = 0; t < r; t++) {
                            assertEquals(inverse.getEntry(r, t), inverse.getEntry(t, r),
                                    1e-9 * Math.abs(inverse.getEntry(r, r)), "symmetric " + what);
                        }
                    }
                    assertTrue(lo >= 1 / bound && hi <= bound, what);
                } else {
                    assertTrue(lo < 0.5 || hi > 2, what);
                }
            }
        }
    }

    /**
     * A class with no curvature weight (its probability underflows to 0 on every row) takes its
     * damping alone, {@code in / mu}, and the other classes their blocks, inverted densely here.
     */
    @Test
    void aClassWithoutCurvatureTakesItsDampingAlone() {
        RandomProblem pr = RandomProblem.random(5, 50, 6, 4, 1.0);
        pr.wt[pr.p - 1] = -1000; // the last class's bias: exp(-1000) = 0, p = 0 on every row
        HeadBatch batch = pr.batch(1e-300, Parallel.SERIAL);
        Damping damping = new Damping(pr.d, pr.k);
        damping.set(0.3, 0.1, null);
        ClassBlockPreconditioner pc = new ClassBlockPreconditioner(pr.d, pr.k, Parallel.SERIAL);
        pc.prepare(batch, StepSolver.Curvature.FULL, damping.diagonal());
        double[] v = new double[pr.p];
        for (int t = 0; t < v.length; t++) {
            v[t] = Math.cos(t);
        }
        double[] got = new double[pr.p];
        pc.apply(v, got);
        double[][] moment = denseMoment(pr);
        double[][] p = pr.probabilities(pr.wt);
        for (int c = 0; c < pr.k; c++) {
            double mu = 0;
            for (int j = 0; j < pr.dd; j++) {
                mu += damping.diagonal()[c * pr.dd + j] / pr.dd;
            }
            double delta = 0;
            for (int i = 0; i < pr.b; i++) {
                delta += pr.beta[i] * p[i][c] * (1 - p[i][c]);
            }
            double[] in = java.util.Arrays.copyOfRange(v, c * pr.dd, (c + 1) * pr.dd);
            double[] expected = new double[pr.dd];
            if (c == pr.k - 1) {
                assertEquals(0.0, delta, 0.0, "the last class has no curvature");
                for (int j = 0; j < pr.dd; j++) {
                    expected[j] = in[j] / mu;
                }
            } else {
                RealMatrix block = new Array2DRowRealMatrix(pr.dd, pr.dd);
                for (int j = 0; j < pr.dd; j++) {
                    for (int l = 0; l < pr.dd; l++) {
                        block.setEntry(j, l, delta * moment[j][l] + (j == l ? mu : 0));
                    }
                }
                expected = new LUDecomposition(block).getSolver().solve(new ArrayRealVector(in)).toArray();
            }
            io.github.fastgn.testing.Check.close(expected, java.util.Arrays.copyOfRange(got, c * pr.dd, (c + 1) * pr.dd),
                    1e-10, "class " + c);
        }
    }

    @Test
    void needsFewerCgIterationsThanJacobiOnCorrelatedFeatures() {
        // features sharing one strong common factor, with columns on scales from 1 to 100
        int b = 600;
        int d = 20;
        int k = 4;
        Random rnd = new Random(9);
        double[] x = new double[b * d];
        for (int i = 0; i < b; i++) {
            double common = rnd.nextGaussian();
            for (int j = 0; j < d; j++) {
                x[i * d + j] = (1 + 99.0 * j / (d - 1)) * (common + 0.05 * rnd.nextGaussian());
            }
        }
        int[] y = new int[b];
        for (int i = 0; i < b; i++) {
            y[i] = rnd.nextInt(k);
        }
        HeadBatch batch = new HeadBatch(b, d, k, 1e-12, Parallel.SERIAL);
        batch.setBatch(x, y, null, b);
        batch.evaluate(new double[k * (d + 1)]);
        double[] h = new double[k * (d + 1)];
        batch.gradient(new double[k * (d + 1)], 1e-4, h);
        Damping damping = new Damping(d, k);
        damping.set(1e-4, 1e-4, null);
        int[] iterations = new int[2];
        double[][] steps = new double[2][];
        for (int v = 0; v < 2; v++) {
            ParamCgSolver solver = new ParamCgSolver(StepSolver.Curvature.FULL, 5000, v == 1);
            steps[v] = new double[h.length];
            iterations[v] = solver.solve(batch, damping, h, steps[v], 1e-8).iterations();
        }
        assertTrue(iterations[1] * 3 < iterations[0], "class blocks " + iterations[1] + " vs Jacobi " + iterations[0]);
        for (int t = 0; t < h.length; t++) {
            assertEquals(steps[0][t], steps[1][t], 1e-5 * (1 + Math.abs(steps[0][t])));
        }
    }

    /**
     * The reduction of {@code C} is made once and depends only on the features: after any damping
     * change the output is that of a fresh preconditioner, to the bit, and a larger damping changes it.
     */
    @Test
    void aNewDampingGivesTheFreshPreconditionersBits() {
        aNewDampingGivesTheFreshPreconditionersBits(false);
        aNewDampingGivesTheFreshPreconditionersBits(true);
    }

    private void aNewDampingGivesTheFreshPreconditionersBits(boolean coupled) {
        RandomProblem pr = RandomProblem.random(4, 200, 4, 3, 1.0);
        HeadBatch batch = pr.batch(1e-300, Parallel.SERIAL);
        Damping damping = new Damping(pr.d, pr.k);
        ClassBlockPreconditioner pc = new ClassBlockPreconditioner(pr.d, pr.k, Parallel.SERIAL, coupled);
        double[] v = new double[pr.p];
        for (int t = 0; t < pr.p; t++) {
            v[t] = Math.sin(t + 1.0);
        }
        double[] first = new double[pr.p];
        damping.set(1e-3, 0.05, null);
        pc.prepare(batch, StepSolver.Curvature.FULL, damping.diagonal());
        pc.apply(v, first);
        Parallel two = Parallel.withThreads(2);
        for (double lambda : new double[] {0.5, 1e-3 * (1 + 1e-9), 1e-3}) {
            damping.set(lambda, 0.05, null);
            pc.prepare(batch, StepSolver.Curvature.FULL, damping.diagonal());
            ClassBlockPreconditioner fresh = new ClassBlockPreconditioner(pr.d, pr.k, two, coupled);
            fresh.prepare(batch, StepSolver.Curvature.FULL, damping.diagonal());
            double[] got = new double[pr.p];
            double[] expected = new double[pr.p];
            pc.apply(v, got);
            fresh.apply(v, expected);
            assertArrayEquals(expected, got, 0.0, "lambda " + lambda);
            if (lambda == 0.5) {
                assertTrue(!java.util.Arrays.equals(first, got), "a larger damping changes the preconditioner");
            }
        }
        two.close();
    }
}
