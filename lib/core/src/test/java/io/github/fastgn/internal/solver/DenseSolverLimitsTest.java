package io.github.fastgn.internal.solver;

import io.github.fastgn.internal.head.HeadBatch;
import io.github.fastgn.internal.linalg.Parallel;
import io.github.fastgn.testing.QuietTestBase;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Dense solvers requested by name on systems whose matrix cannot be indexed by an {@code int}
 * must say so, not fail with an overflowed array size or index.
 */
class DenseSolverLimitsTest extends QuietTestBase {

    private static HeadBatch batch(int rows, int d, int k) {
        HeadBatch hb = new HeadBatch(rows, d, k, 1e-300, Parallel.SERIAL);
        double[] x = new double[rows * d];
        int[] y = new int[rows];
        for (int i = 0; i < rows; i++) {
            x[i * d] = (i % 7) * 0.1;
            y[i] = i % k;
        }
        hb.setBatch(x, y, null, rows);
        hb.evaluate(new double[k * (d + 1)]);
        return hb;
    }

    private static void rejects(StepSolver solver, HeadBatch hb) {
        int p = hb.classes() * (hb.featureCount() + 1);
        Damping damping = new Damping(hb.featureCount(), hb.classes());
        damping.set(1.0, 0.0, null);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> solver.solve(hb, damping, new double[p], new double[p], 0.0));
        assertTrue(e.getMessage().contains(solver.name()) && e.getMessage().contains("too large"), e.getMessage());
    }

    @Test
    void rowCholeskyRejectsMoreRowsThanAnIntIndexedMatrixHolds() {
        rejects(new FgnRowCholeskySolver(), batch(46_341, 1, 2)); // 46341^2 > 2^31 - 1
    }

    @Test
    void parameterCholeskyRejectsTooManyParameters() {
        rejects(new ParamCholeskySolver(StepSolver.Curvature.FGN), batch(2, 23_170, 2)); // P = 46342
    }

    @Test
    void parameterCholeskyRejectsTooManyCoefficients() {
        // B K^2 = 2200 * 1000^2 coefficients overflow an int, although P = 2000 is fine
        rejects(new ParamCholeskySolver(StepSolver.Curvature.FULL), batch(2200, 1, 1000));
    }
}
