package io.github.fastgn.internal.linalg;

import io.github.fastgn.testing.Check;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.LUDecomposition;
import org.apache.commons.math3.linear.RealMatrix;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertThrows;

/** The rank-one recursion against the inverse computed directly (LU of the accumulated matrix). */
class ShermanMorrisonTest {

    @Test
    void recursionEqualsTheDirectInverse() {
        SplittableRandom rng = new SplittableRandom(3);
        int q = 7;
        double[] inv = ShermanMorrison.identity(q);
        double[][] s = new double[q][q];
        for (int i = 0; i < q; i++) {
            s[i][i] = 1;
        }
        double[] u = new double[q];
        double[] work = new double[q];
        for (int step = 0; step < 40; step++) {
            for (int i = 0; i < q; i++) {
                u[i] = rng.nextGaussian();
            }
            double c = step % 5 == 0 ? 0 : rng.nextDouble() * 3;
            ShermanMorrison.update(inv, q, u, c, work);
            for (int i = 0; i < q; i++) {
                for (int j = 0; j < q; j++) {
                    s[i][j] += c * u[i] * u[j];
                }
            }
            RealMatrix direct = new LUDecomposition(new Array2DRowRealMatrix(s)).getSolver().getInverse();
            double[] flat = new double[q * q];
            for (int i = 0; i < q; i++) {
                for (int j = 0; j < q; j++) {
                    flat[i * q + j] = direct.getEntry(i, j);
                }
            }
            Check.close(flat, inv, 1e-10, "inverse after " + (step + 1) + " updates");
        }
    }

    @Test
    void anUpdateThatWouldMakeTheMatrixIndefiniteIsRefused() {
        double[] inv = ShermanMorrison.identity(2);
        assertThrows(ArithmeticException.class,
                () -> ShermanMorrison.update(inv, 2, new double[] {1, 0}, -1.0, new double[2]));
    }
}
