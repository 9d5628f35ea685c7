package io.github.fastgn.internal.linalg;

import io.github.fastgn.testing.Check;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.LUDecomposition;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * OGR's regression on exact quadratics {@code f = 1/2 (t - t*)^T A (t - t*)}: with {@code p + 1}
 * affinely independent pairs it recovers {@code A} (any weights) and its step lands on the minimiser
 * computed by LU; with fewer pairs it recovers {@code A} on their span.
 */
class GradientRegressionTest {

    static final int P = 6;

    static double[][] spd(SplittableRandom rng, boolean indefinite) {
        double[][] b = new double[P][P];
        for (int i = 0; i < P; i++) {
            for (int j = 0; j < P; j++) {
                b[i][j] = rng.nextGaussian();
            }
        }
        double[][] a = new double[P][P];
        for (int i = 0; i < P; i++) {
            for (int j = 0; j < P; j++) {
                for (int t = 0; t < P; t++) {
                    a[i][j] += b[t][i] * b[t][j];
                }
            }
            a[i][i] += indefinite && i == 0 ? -30 : 0.5;
        }
        return a;
    }

    static double[] gradient(double[][] a, double[] star, double[] t) {
        double[] g = new double[P];
        for (int i = 0; i < P; i++) {
            for (int j = 0; j < P; j++) {
                g[i] += a[i][j] * (t[j] - star[j]);
            }
        }
        return g;
    }

    @Test
    void recoversTheHessianAndTheMinimiserOfAQuadratic() {
        SplittableRandom rng = new SplittableRandom(11);
        double[][] a = spd(rng, false);
        double[] star = rng.doubles(P, -2, 2).toArray();
        GradientRegression reg = new GradientRegression(P, P + 1, 0.7);
        double[] t = null;
        for (int m = 0; m <= P; m++) {
            t = rng.doubles(P, -3, 3).toArray();
            reg.add(t, gradient(a, star, t));
        }
        assertEquals(P, reg.rank());
        double[] flat = new double[P * P];
        for (int i = 0; i < P; i++) {
            for (int j = 0; j < P; j++) {
                flat[i * P + j] = a[i][j];
            }
        }
        Check.close(flat, reg.denseHessian(), 1e-9, "fitted Hessian");
        double[] step = new double[P];
        assertTrue(reg.step(t, gradient(a, star, t), step));
        double[] landed = new double[P];
        for (int i = 0; i < P; i++) {
            landed[i] = t[i] + step[i];
        }
        // the reference minimiser: solve A t* = A t - g(t) independently
        double[] rhs = new double[P];
        double[] g = gradient(a, star, t);
        for (int i = 0; i < P; i++) {
            for (int j = 0; j < P; j++) {
                rhs[i] += a[i][j] * t[j];
            }
            rhs[i] -= g[i];
        }
        double[] solved = new LUDecomposition(new Array2DRowRealMatrix(a)).getSolver()
                .solve(new org.apache.commons.math3.linear.ArrayRealVector(rhs)).toArray();
        Check.close(solved, landed, 1e-8, "fitted stationary point");
    }

    @Test
    void onASpanItRecoversTheProjectedHessianAndKeepsNegativeCurvature() {
        SplittableRandom rng = new SplittableRandom(5);
        double[][] a = spd(rng, true);
        double[] star = new double[P];
        GradientRegression reg = new GradientRegression(P, 3, 1.0);
        double[] base = rng.doubles(P, -1, 1).toArray();
        double[][] dirs = {rng.doubles(P, -1, 1).toArray(), rng.doubles(P, -1, 1).toArray()};
        double[][] pts = {base.clone(), base.clone(), base.clone()};
        for (int i = 0; i < P; i++) {
            pts[1][i] += dirs[0][i];
            pts[2][i] += dirs[1][i];
        }
        for (double[] pt : pts) {
            reg.add(pt, gradient(a, star, pt));
        }
        assertEquals(2, reg.rank());
        // V^T H_r V must equal Pi A Pi for the orthogonal projector Pi onto span(dirs)
        double[] dense = reg.denseHessian();
        org.apache.commons.math3.linear.RealMatrix d = new Array2DRowRealMatrix(new double[][] {dirs[0], dirs[1]});
        org.apache.commons.math3.linear.RealMatrix proj = d.transpose().multiply(
                new LUDecomposition(d.multiply(d.transpose())).getSolver().getInverse()).multiply(d);
        org.apache.commons.math3.linear.RealMatrix expected = proj.multiply(new Array2DRowRealMatrix(a)).multiply(proj);
        double[] flat = new double[P * P];
        for (int i = 0; i < P; i++) {
            for (int j = 0; j < P; j++) {
                flat[i * P + j] = expected.getEntry(i, j);
            }
        }
        Check.close(flat, dense, 1e-9, "projected Hessian");
        reg.clear();
        assertEquals(0, reg.rank());
        assertFalse(reg.step(base, base, new double[P]));
    }
}
