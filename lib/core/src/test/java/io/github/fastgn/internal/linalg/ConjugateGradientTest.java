package io.github.fastgn.internal.linalg;

import io.github.fastgn.testing.Check;
import io.github.fastgn.testing.QuietTestBase;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.LUDecomposition;
import org.apache.commons.math3.linear.RealVector;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link ConjugateGradient} against Commons Math's {@code ConjugateGradient} and a dense solve. */
class ConjugateGradientTest extends QuietTestBase {

    private static final int N = 60;

    private static LinearOperator dense(double[][] a) {
        return new LinearOperator() {
            @Override
            public int dimension() {
                return a.length;
            }

            @Override
            public void apply(double[] x, double[] y) {
                for (int i = 0; i < a.length; i++) {
                    double s = 0;
                    for (int j = 0; j < a.length; j++) {
                        s += a[i][j] * x[j];
                    }
                    y[i] = s;
                }
            }
        };
    }

    private static double[] rhs(Random rnd) {
        double[] b = new double[N];
        for (int i = 0; i < N; i++) {
            b[i] = rnd.nextGaussian();
        }
        return b;
    }

    private static ConjugateGradient.ResidualTest relative(double[] b, double tol) {
        double target = tol * Check.norm(b);
        return (it, x, r) -> Check.norm(r) <= target;
    }

    @Test
    void agreesWithCommonsMathConjugateGradient() {
        Random rnd = new Random(21);
        double[][] a = CholeskyTest.randomSpd(rnd, N, 0.05);
        double[] b = rhs(rnd);
        LinearOperator op = dense(a);
        double[] x = new double[N];
        ConjugateGradient.Result result = new ConjugateGradient().solve(op, b, x, (double[]) null, 10 * N, 1, relative(b, 1e-13));
        assertTrue(result.converged(), "converged");
        assertFalse(result.breakdown());
        RealVector ref = new org.apache.commons.math3.linear.ConjugateGradient(10 * N, 1e-13, true)
                .solve(op.asRealLinearOperator(), new ArrayRealVector(b));
        Check.close(ref.toArray(), x, 1e-9, "CG vs Commons Math CG");
        double[] direct = new LUDecomposition(new Array2DRowRealMatrix(a)).getSolver()
                .solve(new ArrayRealVector(b)).toArray();
        Check.close(direct, x, 1e-9, "CG vs LU");
    }

    @Test
    void jacobiPreconditionerAndWarmStartReachTheSameSolution() {
        Random rnd = new Random(22);
        double[][] a = CholeskyTest.randomSpd(rnd, N, 0.05);
        // badly scaled rows and columns: Jacobi should help
        double[] scale = new double[N];
        for (int i = 0; i < N; i++) {
            scale[i] = Math.pow(10, 3.0 * i / N);
        }
        double[] inv = new double[N];
        for (int i = 0; i < N; i++) {
            for (int j = 0; j < N; j++) {
                a[i][j] *= scale[i] * scale[j];
            }
            inv[i] = 1 / a[i][i];
        }
        double[] b = rhs(rnd);
        double[] direct = new LUDecomposition(new Array2DRowRealMatrix(a)).getSolver()
                .solve(new ArrayRealVector(b)).toArray();
        LinearOperator op = dense(a);
        double[] plain = new double[N];
        ConjugateGradient.Result rp = new ConjugateGradient().solve(op, b, plain, (double[]) null, 20 * N, 1, relative(b, 1e-12));
        double[] pre = new double[N];
        ConjugateGradient.Result rj = new ConjugateGradient().solve(op, b, pre, inv, 20 * N, 1, relative(b, 1e-12));
        assertTrue(rj.converged() && rp.converged());
        Check.close(direct, pre, 1e-7, "preconditioned CG");
        assertTrue(rj.iterations() < rp.iterations(), "Jacobi should need fewer iterations on a badly scaled system: "
                + rj.iterations() + " vs " + rp.iterations());
        // warm start from a perturbed solution
        double[] warm = direct.clone();
        for (int i = 0; i < N; i++) {
            warm[i] *= 1 + 1e-3 * rnd.nextGaussian();
        }
        ConjugateGradient.Result rw = new ConjugateGradient().solve(op, b, warm, inv, 20 * N, 1, relative(b, 1e-12));
        assertTrue(rw.converged());
        Check.close(direct, warm, 1e-7, "warm-started CG");
    }

    @Test
    void residualTestSeesTheTrueResidualAtTheRequestedCadence() {
        Random rnd = new Random(23);
        double[][] a = CholeskyTest.randomSpd(rnd, N, 0.5);
        double[] b = rhs(rnd);
        LinearOperator op = dense(a);
        List<Integer> calls = new ArrayList<>();
        double[] x = new double[N];
        double[] ax = new double[N];
        ConjugateGradient.Result r = new ConjugateGradient().solve(op, b, x, (double[]) null, 23, 5, (it, xi, res) -> {
            calls.add(it);
            op.apply(xi, ax);
            for (int i = 0; i < N; i++) {
                assertEquals(b[i] - ax[i], res[i], 1e-10, "the residual passed to the test is b - M x");
            }
            return false;
        });
        assertFalse(r.converged());
        assertEquals(23, r.iterations());
        assertEquals(List.of(0, 5, 10, 15, 20, 23), calls, "checked at start, every 5 iterations and at the last");
    }

    @Test
    void indefiniteOperatorReportsBreakdown() {
        double[][] a = new double[N][N];
        for (int i = 0; i < N; i++) {
            a[i][i] = i % 2 == 0 ? 1 : -1;
        }
        double[] b = new double[N];
        b[0] = 1;
        b[1] = 1;
        double[] x = new double[N];
        ConjugateGradient.Result r = new ConjugateGradient().solve(dense(a), b, x, (double[]) null, N, 1, relative(b, 1e-12));
        assertTrue(r.breakdown(), "p^T M p = 0 must be reported as a breakdown");
        assertFalse(r.converged());
    }

    @Test
    void zeroRightHandSideConvergesImmediately() {
        double[][] a = CholeskyTest.randomSpd(new Random(24), 5, 1.0);
        double[] x = new double[5];
        ConjugateGradient.Result r = new ConjugateGradient().solve(dense(a), new double[5], x, (double[]) null, 5, 1,
                (it, xi, res) -> Check.norm(res) == 0);
        assertTrue(r.converged());
        assertEquals(0, r.iterations());
    }
}
