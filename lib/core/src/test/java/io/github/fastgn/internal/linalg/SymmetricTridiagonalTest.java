package io.github.fastgn.internal.linalg;

import io.github.fastgn.testing.Check;
import io.github.fastgn.testing.QuietTestBase;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.LUDecomposition;
import org.apache.commons.math3.linear.RealMatrix;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * {@link SymmetricTridiagonal} against its definition: {@code Q} orthogonal, {@code Q T Q^T} the
 * matrix, the shifted solves against Commons Math's LU of the dense {@code T + t I}, and the
 * whole chain {@code Q (T + t I)^-1 Q^T} against LU of {@code M + t I}.
 */
class SymmetricTridiagonalTest extends QuietTestBase {

    /**
     * A random positive semi-definite matrix; with {@code zeros}, rows and columns 1, 2 and the
     * last are zero (pixels that are always 0), so some reflectors have nothing to annihilate.
     */
    private static double[] matrix(int n, boolean zeros, long seed) {
        double[][] a = CholeskyTest.randomSpd(new Random(seed), n, 0.0);
        if (zeros) {
            for (int z : new int[] {1, 2, n - 1}) {
                if (z < n) {
                    for (int j = 0; j < n; j++) {
                        a[z][j] = 0;
                        a[j][z] = 0;
                    }
                }
            }
        }
        return CholeskyTest.flatten(a);
    }

    private static RealMatrix dense(double[] a, int n) {
        RealMatrix m = new Array2DRowRealMatrix(n, n);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                m.setEntry(i, j, a[i * n + j]);
            }
        }
        return m;
    }

    private static RealMatrix tridiagonal(SymmetricTridiagonal r, double shift) {
        int n = r.order();
        double[] d = r.diagonal();
        double[] e = r.offDiagonal();
        RealMatrix t = new Array2DRowRealMatrix(n, n);
        for (int j = 0; j < n; j++) {
            t.setEntry(j, j, d[j] + shift);
            if (j + 1 < n) {
                t.setEntry(j, j + 1, e[j]);
                t.setEntry(j + 1, j, e[j]);
            }
        }
        return t;
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 7, 40, 150})
    void reducesToAnOrthogonalSimilarity(int n) {
        for (boolean zeros : new boolean[] {false, true}) {
            double[] a = matrix(n, zeros, 100 + n);
            RealMatrix m = dense(a, n);
            for (Kernels path : KernelsTest.paths()) {
                String what = path.name() + " n=" + n + (zeros ? " with zero rows" : "");
                SymmetricTridiagonal r = SymmetricTridiagonal.of(a, n, Parallel.SERIAL, path);
                RealMatrix qt = dense(r.transposedRotation(), n);
                Check.close(org.apache.commons.math3.linear.MatrixUtils.createRealIdentityMatrix(n),
                        qt.multiply(qt.transpose()), 1e-13 * n, "Q orthogonal, " + what);
                Check.close(m, qt.transpose().multiply(tridiagonal(r, 0)).multiply(qt),
                        1e-13 * n * Check.maxAbs(m), "Q T Q^T = M, " + what);
            }
        }
    }

    /**
     * The shifted solves, many right-hand sides at once, each at its own shift and scale, against
     * LU of the dense {@code T + t I}; and {@code Q (T + t I)^-1 Q^T b} against LU of {@code M + t I}.
     */
    @ParameterizedTest
    @ValueSource(ints = {1, 2, 5, 40, 150})
    void solvesEveryShiftedSystem(int n) {
        double[] a = matrix(n, true, 200 + n);
        RealMatrix m = dense(a, n);
        double[] shifts = {1e-3, 0.1, 1, 7.5, 1e3};
        double[] scale = {1, 0.5, 2, 1, 3};
        int r = shifts.length;
        Random rnd = new Random(n);
        double[] b = new double[n * r];
        for (int t = 0; t < b.length; t++) {
            b[t] = rnd.nextGaussian();
        }
        for (Kernels path : KernelsTest.paths()) {
            SymmetricTridiagonal red = SymmetricTridiagonal.of(a, n, Parallel.SERIAL, path);
            RealMatrix qt = dense(red.transposedRotation(), n);
            double[] p = b.clone();
            SymmetricTridiagonal.Elimination e = red.eliminate(shifts, r);
            red.solve(e, scale, p);
            // the same right-hand sides as rows, through solveShifted: s_c (M + t_c I)^-1 b_c
            double[] rows = new double[r * n];
            for (int c = 0; c < r; c++) {
                for (int j = 0; j < n; j++) {
                    rows[c * n + j] = b[j * r + c];
                }
            }
            double[] shiftedOut = new double[r * n];
            red.solveShifted(e, scale, rows, shiftedOut, Parallel.SERIAL);
            for (int c = 0; c < r; c++) {
                double[] rhs = new double[n];
                double[] y = new double[n];
                for (int j = 0; j < n; j++) {
                    rhs[j] = scale[c] * b[j * r + c];
                    y[j] = p[j * r + c];
                }
                String what = path.name() + " n=" + n + " shift " + shifts[c];
                double[] expected = new LUDecomposition(tridiagonal(red, shifts[c])).getSolver()
                        .solve(new ArrayRealVector(rhs)).toArray();
                Check.close(expected, y, 1e-11, "tridiagonal solve, " + what);
                // the whole chain: Q (T + t I)^-1 Q^T applied to Q rhs is (M + t I)^-1 Q rhs
                double[] original = qt.preMultiply(rhs);
                RealMatrix shifted = m.add(org.apache.commons.math3.linear.MatrixUtils.createRealIdentityMatrix(n)
                        .scalarMultiply(shifts[c]));
                double[] chain = new LUDecomposition(shifted).getSolver().solve(new ArrayRealVector(original)).toArray();
                Check.close(chain, qt.preMultiply(y), 1e-9, "(M + t I)^-1, " + what);
                double[] direct = new LUDecomposition(shifted).getSolver().solve(new ArrayRealVector(rhs)).toArray();
                Check.close(direct, java.util.Arrays.copyOfRange(shiftedOut, c * n, (c + 1) * n), 1e-9,
                        "solveShifted, " + what);
            }
        }
    }

    /** Every row of a step is updated by one task in a fixed order: the threads change no bit. */
    @Test
    void isBitIdenticalOnAnyNumberOfThreads() {
        int n = 301;
        double[] a = matrix(n, true, 7);
        Parallel two = Parallel.withThreads(2);
        Parallel three = Parallel.withThreads(3);
        for (Kernels path : KernelsTest.paths()) {
            SymmetricTridiagonal one = SymmetricTridiagonal.of(a, n, Parallel.SERIAL, path);
            for (Parallel par : new Parallel[] {two, three}) {
                SymmetricTridiagonal many = SymmetricTridiagonal.of(a, n, par, path);
                assertArrayEquals(one.transposedRotation(), many.transposedRotation(), 0.0, path.name());
                assertArrayEquals(one.diagonal(), many.diagonal(), 0.0, path.name());
                assertArrayEquals(one.offDiagonal(), many.offDiagonal(), 0.0, path.name());
            }
        }
        two.close();
        three.close();
    }

    @Test
    void refusesAMatrixThatIsNotSquare() {
        assertThrows(IllegalArgumentException.class, () -> SymmetricTridiagonal.of(new double[3], 2, Parallel.SERIAL));
        assertThrows(IllegalArgumentException.class, () -> SymmetricTridiagonal.of(new double[1], 0, Parallel.SERIAL));
        assertEquals(1, SymmetricTridiagonal.of(new double[] {2.0}, 1, Parallel.SERIAL).order());
    }
}
