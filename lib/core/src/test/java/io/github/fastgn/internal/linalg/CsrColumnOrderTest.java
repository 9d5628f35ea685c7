package io.github.fastgn.internal.linalg;

import io.github.fastgn.data.CsrFeatures;
import io.github.fastgn.testing.Check;
import io.github.fastgn.testing.QuietTestBase;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The CSR products with their temporaries in {@link CsrColumnOrder} (frequent columns first) give
 * the natural-order products bit for bit, whatever the thread count, on a matrix large enough to be
 * renumbered (a skewed, Zipf-like column distribution that leaves columns unstored), on row views
 * sharing the order, and agree with brute-force sums; so does the transpose product from a matrix's
 * column-major copy (its second and later transpose products); the order itself sorts the columns by count.
 */
class CsrColumnOrderTest extends QuietTestBase {

    private static final int D = CsrColumnOrder.MIN_COLUMNS;
    private static final int K = 7;

    /**
     * {@code x}'s products on {@code par} (in its own order, if it has one) equal the natural-order
     * ones on its arrays bit for bit, for {@code v} and random coefficients.
     */
    private static void sameAsNatural(CsrFeatures x, double[] v, Random rnd, Parallel par, String what) {
        int m = x.rows();
        double[] coef = gaussian(rnd, m * K);
        double[] rowRef = new double[m * K];
        double[] colRef = new double[K * (D + 1)];
        natural(x, v, coef, rowRef, colRef, Parallel.SERIAL, null);
        double[] rowOut = new double[m * K];
        double[] colOut = new double[K * (D + 1)];
        x.rowProduct(v, K, rowOut, par);
        assertArrayEquals(rowRef, rowOut, what + ": row product");
        // the first transpose product scatters; a large matrix's later ones read its column copy
        for (int call = 1; call <= 3; call++) {
            colOut = gaussian(rnd, K * (D + 1));
            x.transposeProduct(coef, K, colOut, par);
            assertArrayEquals(colRef, colOut, what + ": transpose product, call " + call);
        }
    }

    /** Rows of 60 to 80 distinct columns drawn from a Zipf-like law over {@code D} columns (many never drawn). */
    private static CsrFeatures skewed(long seed, int n, boolean asFloat) {
        Random rnd = new Random(seed);
        int[] ptr = new int[n + 1];
        int[][] rows = new int[n][];
        for (int i = 0; i < n; i++) {
            TreeSet<Integer> cols = new TreeSet<>();
            int want = 60 + rnd.nextInt(21);
            while (cols.size() < want) {
                // a power law over the columns, scattered by a fixed odd multiplier as a hash would
                int rank = (int) Math.floor(Math.pow(D, rnd.nextDouble())) - 1;
                cols.add((int) ((rank * 40503L) % D));
            }
            rows[i] = cols.stream().mapToInt(Integer::intValue).toArray();
            ptr[i + 1] = ptr[i] + rows[i].length;
        }
        int[] idx = new int[ptr[n]];
        double[] val = new double[ptr[n]];
        float[] fval = new float[ptr[n]];
        for (int i = 0; i < n; i++) {
            System.arraycopy(rows[i], 0, idx, ptr[i], rows[i].length);
        }
        for (int p = 0; p < val.length; p++) {
            fval[p] = (float) rnd.nextGaussian();
            val[p] = asFloat ? fval[p] : rnd.nextGaussian();
        }
        return asFloat ? CsrFeatures.ofFloat(ptr, idx, fval, n, D) : CsrFeatures.of(ptr, idx, val, n, D);
    }

    private static double[] gaussian(Random rnd, int count) {
        double[] a = new double[count];
        for (int t = 0; t < count; t++) {
            a[t] = rnd.nextGaussian();
        }
        return a;
    }

    private static double value(CsrFeatures x, int p) {
        return x.isFloat() ? x.floatValues()[p] : x.values()[p];
    }

    private static void natural(CsrFeatures x, double[] v, double[] coef, double[] rowOut, double[] colOut,
                                Parallel par, CsrColumnOrder order) {
        int n = x.rows();
        if (x.isFloat()) {
            CsrRowsFloat.rowProduct(x.rowStart(), x.columnIndices(), x.floatValues(), n, D, v, K, rowOut, par, order);
            CsrRowsFloat.transposeProduct(coef, x.rowStart(), x.columnIndices(), x.floatValues(), n, D, K, colOut, par,
                    order);
        } else {
            CsrRowsDouble.rowProduct(x.rowStart(), x.columnIndices(), x.values(), n, D, v, K, rowOut, par, order);
            CsrRowsDouble.transposeProduct(coef, x.rowStart(), x.columnIndices(), x.values(), n, D, K, colOut, par,
                    order);
        }
    }

    @Test
    void orderedProductsEqualNaturalOnesBitForBitAndBruteForce() {
        for (boolean asFloat : new boolean[] {false, true}) {
            int n = 2200;
            CsrFeatures x = skewed(5 + (asFloat ? 1 : 0), n, asFloat);
            assertTrue(CsrColumnOrder.worthwhile(D, x.storedValues()), "the test matrix must be renumbered");
            CsrColumnOrder order = CsrColumnOrder.of(x.rowStart(), x.columnIndices(), n, D);
            assertTrue(order.stored() < D, "some columns must be unstored");
            Random rnd = new Random(9);
            double[] v = gaussian(rnd, K * (D + 1));
            double[] coef = gaussian(rnd, n * K);
            double[] rowRef = new double[n * K];
            double[] colRef = new double[K * (D + 1)];
            natural(x, v, coef, rowRef, colRef, Parallel.SERIAL, null);
            for (int threads : new int[] {1, 2, 3}) {
                Parallel par = Parallel.withThreads(threads);
                try {
                    double[] rowOut = new double[n * K];
                    double[] colOut = gaussian(rnd, K * (D + 1)); // stale contents must be overwritten
                    natural(x, v, coef, rowOut, colOut, par, order);
                    assertArrayEquals(rowRef, rowOut, "row product, " + threads + " threads, float " + asFloat);
                    assertArrayEquals(colRef, colOut, "transpose product, " + threads + " threads, float " + asFloat);
                    // the public type orders its own products (it is large enough): the same bits
                    double[] viaType = new double[n * K];
                    x.rowProduct(v, K, viaType, par);
                    assertArrayEquals(rowRef, viaType, "CsrFeatures.rowProduct");
                    x.transposeProduct(coef, K, viaType = new double[K * (D + 1)], par);
                    assertArrayEquals(colRef, viaType, "CsrFeatures.transposeProduct");
                } finally {
                    par.close();
                }
            }
            // brute force: each row's sum, each column's sum
            int[] ptr = x.rowStart();
            int[] idx = x.columnIndices();
            double[] rowBrute = new double[n * K];
            double[] colBrute = new double[K * (D + 1)];
            for (int i = 0; i < n; i++) {
                for (int c = 0; c < K; c++) {
                    double s = v[c * (D + 1) + D];
                    for (int p = ptr[i]; p < ptr[i + 1]; p++) {
                        s += value(x, p) * v[c * (D + 1) + idx[p]];
                        colBrute[c * (D + 1) + idx[p]] += coef[i * K + c] * value(x, p);
                    }
                    rowBrute[i * K + c] = s;
                    colBrute[c * (D + 1) + D] += coef[i * K + c];
                }
            }
            Check.close(rowBrute, rowRef, 1e-11, "row product against brute force");
            Check.close(colBrute, colRef, 1e-11, "transpose product against brute force");
        }
    }

    /**
     * Both kernel paths (plain loops and, when this JVM has it, the Vector API with its classes as lanes) give
     * the plain sums bit for bit: each row-product entry is the row's terms added in stored order from 0, then
     * the bias; each transpose-product entry the rows' terms in row order from 0. Class counts below, at and
     * around the vector length (tails of 0 to 7 classes), float and double values, natural and frequency
     * order, one and two threads.
     */
    @Test
    void bothKernelPathsGiveThePlainSumsBitForBit() {
        java.util.List<Kernels> paths = new java.util.ArrayList<>();
        paths.add(KernelProvider.scalar());
        KernelProvider.vector().ifPresent(paths::add);
        int n = 700;
        for (boolean asFloat : new boolean[] {false, true}) {
            CsrFeatures x = skewed(61 + (asFloat ? 1 : 0), n, asFloat);
            int[] ptr = x.rowStart();
            int[] idx = x.columnIndices();
            CsrColumnOrder order = CsrColumnOrder.of(ptr, idx, n, D);
            for (int k : new int[] {3, 8, 13, 16, 20, 33}) {
                Random rnd = new Random(k);
                double[] v = gaussian(rnd, k * (D + 1));
                double[] coef = gaussian(rnd, n * k);
                double[] rowRef = new double[n * k];
                double[] colRef = new double[k * (D + 1)];
                for (int i = 0; i < n; i++) {
                    for (int c = 0; c < k; c++) {
                        double s = 0;
                        for (int p = ptr[i]; p < ptr[i + 1]; p++) {
                            s += value(x, p) * v[c * (D + 1) + idx[p]];
                            colRef[c * (D + 1) + idx[p]] += coef[i * k + c] * value(x, p);
                        }
                        rowRef[i * k + c] = s + v[c * (D + 1) + D];
                        colRef[c * (D + 1) + D] += coef[i * k + c];
                    }
                }
                for (Kernels kernels : paths) {
                    for (CsrColumnOrder o : new CsrColumnOrder[] {null, order}) {
                        for (int threads : new int[] {1, 2}) {
                            Parallel par = Parallel.withThreads(threads);
                            try {
                                double[] rowOut = gaussian(rnd, n * k);
                                double[] colOut = gaussian(rnd, k * (D + 1));
                                if (asFloat) {
                                    CsrRowsFloat.rowProduct(kernels, ptr, idx, x.floatValues(), n, D, v, k, rowOut, par, o);
                                    CsrRowsFloat.transposeProduct(kernels, coef, ptr, idx, x.floatValues(), n, D, k, colOut,
                                            par, o);
                                } else {
                                    CsrRowsDouble.rowProduct(kernels, ptr, idx, x.values(), n, D, v, k, rowOut, par, o);
                                    CsrRowsDouble.transposeProduct(kernels, coef, ptr, idx, x.values(), n, D, k, colOut,
                                            par, o);
                                }
                                String what = kernels.name() + ", K = " + k + ", float " + asFloat + ", "
                                        + (o == null ? "natural" : "frequency") + " order, " + threads + " threads";
                                assertArrayEquals(rowRef, rowOut, what + ": row product");
                                assertArrayEquals(colRef, colOut, what + ": transpose product");
                                if (o != null) {
                                    // from the column copy: each slot's sums over its rows in order, the same bits
                                    colOut = gaussian(rnd, k * (D + 1));
                                    if (asFloat) {
                                        CsrRowsFloat.transposeProduct(kernels, coef,
                                                CsrRowsFloat.columns(ptr, x.floatValues(), n, o), n, D, k, colOut, par, o);
                                    } else {
                                        CsrRowsDouble.transposeProduct(kernels, coef,
                                                CsrRowsDouble.columns(ptr, x.values(), n, o), n, D, k, colOut, par, o);
                                    }
                                    assertArrayEquals(colRef, colOut, what + ": transpose product from the column copy");
                                }
                            } finally {
                                par.close();
                            }
                        }
                    }
                }
            }
        }
    }

    @Test
    void rowViewsShareTheOrderAndGiveTheirOwnProducts() {
        int n = 2400;
        CsrFeatures x = skewed(21, n, true);
        Random rnd = new Random(4);
        double[] v = gaussian(rnd, K * (D + 1));
        Parallel par = Parallel.withThreads(2);
        try {
            for (int[] range : new int[][] {{0, 1000}, {1000, 2400}, {517, 518}}) {
                // the natural order on the view's own arrays is the reference
                sameAsNatural(x.rowRange(range[0], range[1]), v, rnd, par, "view " + Arrays.toString(range));
            }
        } finally {
            par.close();
        }
    }

    /**
     * Rows gathered from an ordered matrix (a curvature sample) share its slots: their products equal the
     * natural-order ones on the gathered arrays bit for bit; a matrix storing a column without a slot gets none.
     */
    @Test
    void gatheredRowsShareTheOrder() {
        int n = 2200;
        CsrFeatures x = skewed(51, n, true);
        Random rnd = new Random(6);
        double[] v = gaussian(rnd, K * (D + 1));
        x.rowProduct(v, K, new double[n * K], Parallel.SERIAL); // builds the order
        int[] rows = {7, 2100, 7, 999, 0, 1500};
        CsrFeatures sample = x.gather(rows, 0, rows.length);
        int m = rows.length;
        sameAsNatural(sample, v, rnd, Parallel.SERIAL, "gathered rows");
        CsrColumnOrder order = CsrColumnOrder.of(x.rowStart(), x.columnIndices(), n, D);
        int unstored = 0;
        while (order.slot()[unstored] >= 0) {
            unstored++;
        }
        assertTrue(order.forRows(new int[] {0, 1}, new int[] {unstored}, 1) == null, "a column without a slot");
        CsrColumnOrder shared = order.forRows(sample.rowStart(), sample.columnIndices(), m);
        for (int p = 0; p < sample.columnIndices().length; p++) {
            assertEquals(order.slot()[sample.columnIndices()[p]], shared.index()[p]);
        }
    }

    /**
     * Zero weights give each row the bias through the sums over its values themselves, bit for bit (the
     * training skips this product at zero weights, {@code HeadBatch}, relying on exactly these values).
     */
    @Test
    void zeroWeightsGiveTheBiasExactly() {
        int n = 300;
        CsrFeatures x = skewed(44, n, false);
        Random rnd = new Random(2);
        double[] v = new double[K * (D + 1)];
        for (int c = 0; c < K; c++) {
            v[c * (D + 1) + D] = c == 1 ? -0.0 : rnd.nextGaussian();
        }
        double[] out = gaussian(rnd, n * K);
        x.rowProduct(v, K, out, Parallel.SERIAL);
        int[] ptr = x.rowStart();
        double[] ref = new double[n * K];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < K; c++) {
                double s = 0;
                for (int p = ptr[i]; p < ptr[i + 1]; p++) {
                    s += x.values()[p] * v[c * (D + 1) + x.columnIndices()[p]];
                }
                ref[i * K + c] = s + v[c * (D + 1) + D];
            }
        }
        assertArrayEquals(ref, out, "zero weights: the bias, bit for bit");
        // one nonzero weight, in the last class at a column the last row stores, is seen
        v[(K - 1) * (D + 1) + x.columnIndices()[ptr[n] - 1]] = 1.0;
        x.rowProduct(v, K, out, Parallel.SERIAL);
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int p = ptr[i]; p < ptr[i + 1]; p++) {
                s += x.values()[p] * v[(K - 1) * (D + 1) + x.columnIndices()[p]];
            }
            assertEquals(s + v[(K - 1) * (D + 1) + D], out[i * K + K - 1], "row " + i + ", last class");
        }
    }

    @Test
    void slotsFollowDecreasingCounts() {
        int n = 2200;
        CsrFeatures x = skewed(33, n, false);
        CsrColumnOrder order = CsrColumnOrder.of(x.rowStart(), x.columnIndices(), n, D);
        int[] count = new int[D];
        for (int j : x.columnIndices()) {
            count[j]++;
        }
        int[] column = new int[order.stored()];
        int stored = 0;
        for (int j = 0; j < D; j++) {
            int t = order.slot()[j];
            assertEquals(count[j] == 0, t < 0, "column " + j + ": a slot exactly when stored");
            if (t >= 0) {
                column[t] = j;
                stored++;
            }
        }
        assertEquals(stored, order.stored());
        for (int t = 1; t < stored; t++) {
            int a = count[column[t - 1]];
            int b = count[column[t]];
            assertTrue(a > b || (a == b && column[t - 1] < column[t]), "slot " + t + " out of order");
        }
        for (int p = 0; p < x.columnIndices().length; p++) {
            assertEquals(order.slot()[x.columnIndices()[p]], order.index()[p]);
        }
        assertFalse(CsrColumnOrder.worthwhile(D - 1, Long.MAX_VALUE), "narrow matrices keep the natural order");
        assertFalse(CsrColumnOrder.worthwhile(D, 4L * D - 1), "sparse-enough matrices keep the natural order");
    }
}
