package io.github.fastgn.internal.solver;

import io.github.fastgn.data.CsrFeatures;
import io.github.fastgn.data.DenseFeatures;
import io.github.fastgn.internal.head.HeadBatch;
import io.github.fastgn.internal.linalg.Parallel;
import io.github.fastgn.testing.Check;
import io.github.fastgn.testing.QuietTestBase;
import io.github.fastgn.testing.RandomProblem;
import io.github.fastgn.testing.SparseProblem;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Sparse rows that leave feature columns unstored (ALGORITHM.md §7, "Stored columns"): the batch
 * restricted to its stored columns computes this batch's products bit for bit, and the
 * parameter-space CG that solves the unstored coordinates exactly and iterates on the rest solves
 * the whole damped system, against a dense Commons Math Cholesky of the brute-force curvature.
 */
class StoredColumnsTest extends QuietTestBase {

    private static final int[] EMPTY = {1, 4, 5, 9};
    private static final double LAMBDA = 0.03;
    private static final double GAMMA = 0.01;

    /** A random problem whose columns {@link #EMPTY} are zero in every row and about half the other values too. */
    private static RandomProblem problem(long seed) {
        RandomProblem base = RandomProblem.random(seed, 40, 12, 5, 2.0);
        Random rnd = new Random(seed + 1);
        double[] x = base.x.clone();
        for (int i = 0; i < base.b; i++) {
            for (int j = 0; j < base.d; j++) {
                if (rnd.nextBoolean() || java.util.Arrays.binarySearch(EMPTY, j) >= 0) {
                    x[i * base.d + j] = 0.0;
                }
            }
        }
        double[] w = new double[base.b];
        for (int i = 0; i < base.b; i++) {
            w[i] = 0.5 + rnd.nextDouble();
        }
        return new RandomProblem(x, base.y, base.wt, w, base.b, base.d, base.k);
    }

    private static HeadBatch sparseBatch(RandomProblem pr, boolean asFloat) {
        HeadBatch hb = new HeadBatch(pr.b, pr.d, pr.k, 1e-12, Parallel.SERIAL);
        hb.setBatch(SparseProblem.csr(pr.x, pr.b, pr.d, asFloat), pr.y, pr.beta, 1.0);
        hb.evaluate(pr.wt);
        return hb;
    }

    @Test
    void restrictedBatchComputesTheSameProductsBitForBit() {
        for (boolean asFloat : new boolean[] {false, true}) {
            RandomProblem pr = problem(7);
            HeadBatch hb = sparseBatch(pr, asFloat);
            HeadBatch.StoredColumns stored = hb.onStoredColumns();
            int[] columns = stored.columns();
            assertArrayEquals(new int[] {0, 2, 3, 6, 7, 8, 10, 11}, columns);
            HeadBatch r = stored.batch();
            int k = pr.k;
            int d = pr.d;
            int a = columns.length;
            assertEquals(a, r.featureCount());
            assertArrayEquals(java.util.Arrays.copyOf(hb.logits(), pr.b * k), java.util.Arrays.copyOf(r.logits(), pr.b * k));
            double[] v = new Random(5).doubles(pr.p, -1, 1).toArray();
            double[] vr = new double[k * (a + 1)];
            for (int c = 0; c < k; c++) {
                for (int t = 0; t < a; t++) {
                    vr[c * (a + 1) + t] = v[c * (d + 1) + columns[t]];
                }
                vr[c * (a + 1) + a] = v[c * (d + 1) + d];
            }
            double[] full = new double[pr.p];
            double[] part = new double[vr.length];
            hb.ggnProduct(v, full);
            r.ggnProduct(vr, part);
            double[] fullDiag = new double[pr.p];
            double[] partDiag = new double[vr.length];
            hb.curvatureDiagonal(HeadBatch.Diagonal.FULL, fullDiag);
            r.curvatureDiagonal(HeadBatch.Diagonal.FULL, partDiag);
            double[] jf = new double[pr.b];
            double[] jr = new double[pr.b];
            hb.jvp(v, jf);
            r.jvp(vr, jr);
            assertArrayEquals(jf, jr, "JVP");
            for (int c = 0; c < k; c++) {
                for (int j = 0, t = 0; j <= d; j++) {
                    boolean kept = j == d || (t < a && columns[t] == j);
                    if (kept) {
                        int at = c * (a + 1) + (j == d ? a : t);
                        assertEquals(full[c * (d + 1) + j], part[at], 0.0, "GGN product, class " + c + " column " + j);
                        assertEquals(fullDiag[c * (d + 1) + j], partDiag[at], 0.0, "diagonal, class " + c + " column " + j);
                        t += j == d ? 0 : 1;
                    } else {
                        assertEquals(0.0, full[c * (d + 1) + j], 0.0, "unstored column " + j + " has curvature");
                    }
                }
            }
            long before = hb.rowsRead();
            stored.countReads();
            assertTrue(hb.rowsRead() > before, "the restricted batch's reads count as this batch's");
        }
    }

    @Test
    void cgOnStoredColumnsSolvesTheWholeSystem() {
        RandomProblem pr = problem(11);
        for (StepSolver.Curvature curvature : StepSolver.Curvature.values()) {
            for (boolean extra : new boolean[] {false, true}) {
                HeadBatch hb = sparseBatch(pr, false);
                double[] h = new double[pr.p];
                hb.gradient(pr.wt, GAMMA, h);
                Damping damping = new Damping(pr.d, pr.k);
                double[] diag = null;
                if (extra) {
                    diag = new Random(3).doubles(pr.p, -1, 1).toArray();
                    for (int t = 0; t < pr.p; t++) {
                        diag[t] = 0.1 * Math.abs(diag[t]);
                    }
                }
                damping.set(LAMBDA, GAMMA, diag);
                double[] expected = StepSolverAgreementTest.denseStep(pr, curvature, LAMBDA, GAMMA, diag, h);
                // a warm start that is nonzero on every coordinate, unstored ones included
                double[] s = new Random(9).doubles(pr.p, -1, 1).toArray();
                long before = hb.rowsRead();
                StepSolver.SolveReport report = new ParamCgSolver(curvature, 2000).solve(hb, damping, h, s, 1e-12);
                String what = curvature + (extra ? ", extra diagonal" : "");
                assertTrue(report.converged(), what + ": " + report);
                assertTrue(Check.relativeError(expected, s) <= 1e-8, what + ": relative error "
                        + Check.relativeError(expected, s));
                assertTrue(hb.rowsRead() > before, what + ": the CG's products are counted as reads of the batch");
            }
        }
    }

    @Test
    void denseOrFullyStoredBatchesAreNotRestricted() {
        RandomProblem dense = RandomProblem.random(3, 30, 6, 3, 1.0);
        assertNull(dense.batch(1e-12, Parallel.SERIAL).onStoredColumns(), "dense rows");
        HeadBatch all = new HeadBatch(dense.b, dense.d, dense.k, 1e-12, Parallel.SERIAL);
        all.setBatch(SparseProblem.csr(dense.x, dense.b, dense.d, false), dense.y, null, Double.NaN);
        all.evaluate(dense.wt);
        assertNull(all.onStoredColumns(), "sparse rows storing every column");
    }

    @Test
    void onColumnsRefusesListsThatDropAValueOrAreNotIncreasing() {
        RandomProblem pr = problem(13);
        CsrFeatures x = SparseProblem.csr(pr.x, pr.b, pr.d, false);
        int[] stored = x.storedColumns();
        int[] missing = java.util.Arrays.copyOf(stored, stored.length - 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> x.onColumns(missing));
        assertTrue(e.getMessage().contains("stores a value but is not listed"), e.getMessage());
        int[] unsorted = stored.clone();
        int tmp = unsorted[0];
        unsorted[0] = unsorted[1];
        unsorted[1] = tmp;
        e = assertThrows(IllegalArgumentException.class, () -> x.onColumns(unsorted));
        assertTrue(e.getMessage().contains("strictly increasing"), e.getMessage());
        // a superset of the stored columns keeps every value: the rows' products agree bit for bit
        int[] everything = new int[pr.d];
        for (int j = 0; j < pr.d; j++) {
            everything[j] = j;
        }
        CsrFeatures same = x.onColumns(everything);
        double[] v = new Random(2).doubles(pr.p, -1, 1).toArray();
        double[] a = new double[pr.b * pr.k];
        double[] b = new double[pr.b * pr.k];
        x.rowProduct(v, pr.k, a, Parallel.SERIAL);
        same.rowProduct(v, pr.k, b, Parallel.SERIAL);
        assertArrayEquals(a, b);
        DenseFeatures dense = DenseFeatures.of(pr.x, pr.b, pr.d);
        assertNull(dense.storedColumns());
        assertThrows(UnsupportedOperationException.class, () -> dense.onColumns(stored));
    }
}
