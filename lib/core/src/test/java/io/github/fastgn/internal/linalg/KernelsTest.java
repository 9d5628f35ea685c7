package io.github.fastgn.internal.linalg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every kernel of both paths against naive triple loops, on shapes that exercise the edges of the
 * register blocks and tiles; thread counts 1/2/3 bit-identical; float storage equal to double
 * storage of the same values.
 */
class KernelsTest {

    /** {rows, d, K}: d not a multiple of the vector length, K = 1, 2, 3, 10, 1000, single rows, several tiles. */
    private static final int[][] SHAPES = {
        {1, 1, 1}, {1, 7, 2}, {5, 13, 3}, {3, 9, 1}, {33, 17, 10}, {67, 37, 4}, {130, 101, 10},
        {300, 129, 10}, {150, 200, 3}, {9, 300, 1000}, {5, 25, 1000}, {2, 97, 11}, {4, 0, 3}, {3, 0, 1000},
        // the scalar blocks' edges: rows past a 32-example chunk by 1-3 and 4+2, d past a 16-feature
        // block by 1-3, class tiles cut at 128 and 120
        {33, 16, 5}, {70, 35, 7}, {99, 18, 130}, {37, 50, 200}, {131, 19, 9},
        // the vector path's column tiles, one per thread: 1, 2 and 3 tiles of 300 features (widths
        // of whole vectors, then strips, single vectors and scalar columns), rows past 32-row chunks
        {70, 300, 5},
        // the packed panels (K, d >= 24 on 512-bit vectors): rows past an 8-row block and a 64-row
        // task, examples past a 128-row chunk, classes past a 24-class panel, a 128-class tile and a
        // panel block (28 panels at d = 97), features past a 24-feature strip and a 96-feature tile
        {129, 24, 24}, {70, 25, 49}, {300, 97, 250}, {67, 97, 700}, {9, 257, 1000}, {200, 48, 23},
        // the scalar panels (K >= 256, d >= 64; 64 x 256 tiles): at the thresholds, classes and features
        // past a 256-wide panel or strip (d = 255 fills one strip with the bias, d = 256 leaves the bias
        // alone in the second), rows past a 64-row block and task and a 128-example chunk, classes past
        // a 64-class group
        {197, 64, 256}, {131, 256, 300}, {70, 255, 513}, {65, 129, 257}, {13, 300, 257}, {63, 64, 1000},
    };

    private static Parallel two;
    private static Parallel three;

    @BeforeAll
    static void pools() {
        two = Parallel.withThreads(2);
        three = Parallel.withThreads(3);
    }

    @AfterAll
    static void close() {
        two.close();
        three.close();
    }

    static List<Kernels> paths() {
        List<Kernels> paths = new ArrayList<>();
        paths.add(KernelProvider.scalar());
        KernelProvider.vector().ifPresent(paths::add);
        return paths;
    }

    static float[] randomFloats(SplittableRandom rnd, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) (rnd.nextDouble() * 2 - 1);
        }
        return a;
    }

    static double[] randomDoubles(SplittableRandom rnd, int n) {
        double[] a = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = rnd.nextDouble() * 2 - 1;
        }
        return a;
    }

    static double[] widen(float[] a) {
        double[] w = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            w[i] = a[i];
        }
        return w;
    }

    /** Naive {@code X~ V^T} and the same with absolute values (the scale of the rounding error). */
    static double[][] naiveRow(double[] x, int rows, int d, double[] v, int k) {
        double[] out = new double[rows * k];
        double[] abs = new double[rows * k];
        for (int i = 0; i < rows; i++) {
            for (int c = 0; c < k; c++) {
                double s = v[c * (d + 1) + d];
                double a = Math.abs(s);
                for (int j = 0; j < d; j++) {
                    s += x[i * d + j] * v[c * (d + 1) + j];
                    a += Math.abs(x[i * d + j] * v[c * (d + 1) + j]);
                }
                out[i * k + c] = s;
                abs[i * k + c] = a;
            }
        }
        return new double[][] {out, abs};
    }

    static double[][] naiveTranspose(double[] coef, double[] x, int rows, int d, int k) {
        double[] out = new double[k * (d + 1)];
        double[] abs = new double[k * (d + 1)];
        for (int c = 0; c < k; c++) {
            for (int j = 0; j <= d; j++) {
                double s = 0;
                double a = 0;
                for (int i = 0; i < rows; i++) {
                    double xi = j == d ? 1.0 : x[i * d + j];
                    s += coef[i * k + c] * xi;
                    a += Math.abs(coef[i * k + c] * xi);
                }
                out[c * (d + 1) + j] = s;
                abs[c * (d + 1) + j] = a;
            }
        }
        return new double[][] {out, abs};
    }

    static void assertClose(double[][] ref, double[] got, int n, double rel, String what) {
        for (int t = 0; t < n; t++) {
            double tol = rel * ref[1][t] + 1e-300;
            if (!(Math.abs(got[t] - ref[0][t]) <= tol)) {
                fail(what + ": entry " + t + " is " + got[t] + ", expected " + ref[0][t] + " (tolerance " + tol + ")");
            }
        }
    }

    static void assertClose(double[] ref, double[] abs, double[] got, double rel, String what) {
        assertClose(new double[][] {ref, abs}, got, ref.length, rel, what);
    }

    @Test
    void rowProductMatchesNaiveForEveryPathStorageAndThreadCount() {
        SplittableRandom rnd = new SplittableRandom(1);
        for (int[] s : SHAPES) {
            int rows = s[0], d = s[1], k = s[2];
            float[] xf = randomFloats(rnd, rows * d);
            double[] xd = widen(xf);
            double[] v = randomDoubles(rnd, k * (d + 1));
            double[][] ref = naiveRow(xd, rows, d, v, k);
            double[] first = null;
            for (Kernels path : paths()) {
                String what = path.name() + " rowProduct " + rows + "x" + d + "x" + k;
                double[] one = new double[rows * k];
                path.rowProduct(xd, rows, d, v, k, one, Parallel.SERIAL);
                assertClose(ref, one, rows * k, 1e-13, what);
                for (Parallel par : new Parallel[] {two, three}) {
                    double[] many = new double[rows * k];
                    path.rowProduct(xd, rows, d, v, k, many, par);
                    assertArrayEquals(one, many, 0.0, what + " on " + par.threads() + " threads");
                    double[] fromFloat = new double[rows * k];
                    path.rowProduct(xf, rows, d, v, k, fromFloat, par);
                    assertArrayEquals(one, fromFloat, 0.0, what + " from float storage");
                }
                if (first != null) {
                    assertClose(first, ref[1], one, 1e-13, what + " vs scalar");
                }
                first = one;
            }
        }
    }

    @Test
    void transposeProductMatchesNaiveForEveryPathStorageAndThreadCount() {
        SplittableRandom rnd = new SplittableRandom(2);
        for (int[] s : SHAPES) {
            int rows = s[0], d = s[1], k = s[2];
            float[] xf = randomFloats(rnd, rows * d);
            double[] xd = widen(xf);
            double[] coef = randomDoubles(rnd, rows * k);
            double[][] ref = naiveTranspose(coef, xd, rows, d, k);
            double[] first = null;
            for (Kernels path : paths()) {
                String what = path.name() + " transposeProduct " + rows + "x" + d + "x" + k;
                double[] one = new double[k * (d + 1)];
                java.util.Arrays.fill(one, Double.NaN);
                path.transposeProduct(coef, xd, rows, d, k, one, Parallel.SERIAL);
                assertClose(ref, one, one.length, 1e-13, what);
                for (Parallel par : new Parallel[] {two, three}) {
                    double[] many = new double[k * (d + 1)];
                    path.transposeProduct(coef, xd, rows, d, k, many, par);
                    assertArrayEquals(one, many, 0.0, what + " on " + par.threads() + " threads");
                    double[] fromFloat = new double[k * (d + 1)];
                    path.transposeProduct(coef, xf, rows, d, k, fromFloat, par);
                    assertArrayEquals(one, fromFloat, 0.0, what + " from float storage");
                }
                if (first != null) {
                    assertClose(first, ref[1], one, 1e-13, what + " vs scalar");
                }
                first = one;
            }
        }
    }

    /**
     * The fused product equals its three steps done apart: the row product bit for bit (checked
     * through the map, which sees the rows before it changes them), a row-dependent map applied
     * once to every row, and the naive transpose product of the map's output to 1e-13 (its sums run
     * per row block, then across blocks). Thread counts 1/2/3 and float storage give the same bits;
     * a map writing back into the row product (as the GGN product does) gives the same result as
     * one writing elsewhere. Shapes with many row blocks and a last short block are added.
     */
    @Test
    void fusedProductIsTheRowProductAMapAndTheTransposeProductInOneRead() {
        SplittableRandom rnd = new SplittableRandom(5);
        List<int[]> shapes = new ArrayList<>(List.of(SHAPES));
        shapes.add(new int[] {2000, 37, 3});
        shapes.add(new int[] {1100, 100, 10});
        shapes.add(new int[] {1025, 9, 1});
        int fused = 0;
        for (int[] s : shapes) {
            int rows = s[0], d = s[1], k = s[2];
            float[] xf = randomFloats(rnd, rows * d);
            double[] xd = widen(xf);
            double[] v = randomDoubles(rnd, k * (d + 1));
            for (Kernels path : paths()) {
                if (!path.fuses(d, k)) {
                    continue;
                }
                fused++;
                String what = path.name() + " fusedProduct " + rows + "x" + d + "x" + k;
                double[] zRef = new double[rows * k];
                path.rowProduct(xd, rows, d, v, k, zRef, Parallel.SERIAL);
                double[] coefRef = new double[rows * k];
                for (int i = 0; i < rows; i++) {
                    for (int c = 0; c < k; c++) {
                        coefRef[i * k + c] = rowMap(zRef[i * k + c], i, c);
                    }
                }
                double[][] ref = naiveTranspose(coefRef, xd, rows, d, k);
                double[] first = null;
                for (Parallel par : new Parallel[] {Parallel.SERIAL, two, three}) {
                    for (boolean fromFloat : new boolean[] {false, true}) {
                        for (boolean inPlace : new boolean[] {false, true}) {
                            double[] z = new double[rows * k];
                            double[] coef = inPlace ? z : new double[rows * k];
                            int[] calls = new int[rows];
                            boolean[] rowsAsRowProduct = {true};
                            HeadKernels.RowMap map = (r0, r1) -> {
                                for (int i = r0; i < r1; i++) {
                                    calls[i]++;
                                    for (int c = 0; c < k; c++) {
                                        if (z[i * k + c] != zRef[i * k + c]) {
                                            rowsAsRowProduct[0] = false;
                                        }
                                        coef[i * k + c] = rowMap(z[i * k + c], i, c);
                                    }
                                }
                            };
                            double[][] partials = new double[Kernels.fusedBlocks(rows)][k * (d + 1)];
                            double[] out = new double[k * (d + 1)];
                            java.util.Arrays.fill(out, Double.NaN);
                            if (fromFloat) {
                                path.fusedProduct(null, xf, rows, d, v, k, z, map, coef, partials, out, par);
                            } else {
                                path.fusedProduct(xd, null, rows, d, v, k, z, map, coef, partials, out, par);
                            }
                            String how = what + " on " + par.threads() + " threads" + (fromFloat ? ", float" : "")
                                    + (inPlace ? ", in place" : "");
                            assertTrue(rowsAsRowProduct[0], how + ": the map saw the row product's bits");
                            for (int i = 0; i < rows; i++) {
                                assertEquals(1, calls[i], how + ": the map's calls of row " + i);
                            }
                            assertArrayEquals(coefRef, coef, 0.0, how + ": the map's output");
                            if (first == null) {
                                assertClose(ref, out, out.length, 1e-13, how);
                                first = out;
                            } else {
                                assertArrayEquals(first, out, 0.0, how + " against one thread, double storage");
                            }
                        }
                    }
                }
            }
        }
        assertFalse(KernelProvider.scalar().fuses(784, 10), "the plain loops do not fuse (their reads do not bound them)");
        KernelProvider.vector().ifPresent(vector -> {
            assertTrue(vector.fuses(784, 10), "the vector path fuses few classes");
            assertFalse(vector.fuses(784, 1000), "the vector panels' shapes are not fused");
            assertFalse(vector.fuses(300, 100), "too many parameters to fuse");
        });
        assertEquals(KernelProvider.vector().isPresent(), fused >= 20, "shapes fused: " + fused);
    }

    /**
     * An axpy tile over a row range with {@code add} starts from the entries' values: the fused
     * product's partial sums. Both paths, against the naive sum of the range added to the prefill.
     */
    @Test
    void axpyTileAddsARowRangeOntoTheEntries() {
        SplittableRandom rnd = new SplittableRandom(6);
        int rows = 150, d = 45, k = 7, dd = d + 1;
        float[] xf = randomFloats(rnd, rows * d);
        double[] xd = widen(xf);
        double[] coef = randomDoubles(rnd, rows * k);
        double[] prefill = randomDoubles(rnd, k * dd);
        int r0 = 36, r1 = 131;
        double[] sub = new double[(r1 - r0) * k];
        System.arraycopy(coef, r0 * k, sub, 0, sub.length);
        double[] subX = new double[(r1 - r0) * d];
        System.arraycopy(xd, r0 * d, subX, 0, subX.length);
        double[][] ref = naiveTranspose(sub, subX, r1 - r0, d, k);
        for (Kernels path : paths()) {
            for (boolean fromFloat : new boolean[] {false, true}) {
                double[] out = prefill.clone();
                if (fromFloat) {
                    path.axpyTile(coef, xf, r0, r1, d, k, out, dd, 1, k, 3, d, true);
                } else {
                    path.axpyTile(coef, xd, r0, r1, d, k, out, dd, 1, k, 3, d, true);
                }
                for (int c = 0; c < k; c++) {
                    for (int j = 0; j < dd; j++) {
                        int e = c * dd + j;
                        if (c < 1 || j < 3 || j == d) {
                            assertEquals(prefill[e], out[e], 0.0, path.name() + ": entry outside the tile kept");
                        } else {
                            double tol = 1e-13 * (ref[1][e] + Math.abs(prefill[e]));
                            assertEquals(prefill[e] + ref[0][e], out[e], tol, path.name() + ": entry " + e);
                        }
                    }
                }
            }
        }
    }

    /** A map that depends on the row and class, so a row mapped twice, or skipped, would show. */
    private static double rowMap(double z, int i, int c) {
        return z * (1 + i % 5) - 0.25 * c;
    }

    /**
     * The scalar panels add each entry's terms in order, one fused multiply-add each: exactly a
     * naive loop of {@code Math.fma}, and the vector panels' arithmetic. On the shapes that reach
     * them the products equal that loop bit for bit (any grouping, reordering, unfused step or
     * skipped edge would show) and the vector path's products bit for bit; the shapes below the
     * thresholds stay on the tiles. (Only where {@code Math.fma} runs in hardware: elsewhere the
     * scalar panels are not used at all.)
     */
    @Test
    void scalarPanelsAreInOrderFusedMultiplyAddsBitForBit() {
        Kernels scalar = KernelProvider.scalar();
        assertFalse(scalar.onPanels(63, 1000), "63 features stay on the tiles");
        assertFalse(scalar.onPanels(784, 10), "10 classes stay on the tiles");
        assertFalse(scalar.onPanels(300, 255), "255 classes stay on the tiles");
        assumeTrue(scalar.onPanels(256, 1000), "this JVM has no hardware FMA: the scalar panels are off");
        Kernels vector = KernelProvider.vector().orElse(null);
        SplittableRandom rnd = new SplittableRandom(4);
        int reached = 0;
        for (int[] s : SHAPES) {
            int rows = s[0], d = s[1], k = s[2];
            if (!scalar.onPanels(d, k)) {
                continue;
            }
            reached++;
            float[] xf = randomFloats(rnd, rows * d);
            double[] xd = widen(xf);
            double[] v = randomDoubles(rnd, k * (d + 1));
            double[] coef = randomDoubles(rnd, rows * k);
            double[] rowRef = new double[rows * k];
            for (int i = 0; i < rows; i++) {
                for (int c = 0; c < k; c++) {
                    double t = v[c * (d + 1) + d];
                    for (int j = 0; j < d; j++) {
                        t = Math.fma(xd[i * d + j], v[c * (d + 1) + j], t);
                    }
                    rowRef[i * k + c] = t;
                }
            }
            double[] transposeRef = new double[k * (d + 1)];
            for (int c = 0; c < k; c++) {
                for (int j = 0; j <= d; j++) {
                    double t = 0;
                    for (int i = 0; i < rows; i++) {
                        t = Math.fma(coef[i * k + c], j == d ? 1.0 : xd[i * d + j], t);
                    }
                    transposeRef[c * (d + 1) + j] = t;
                }
            }
            String what = "scalar panels " + rows + "x" + d + "x" + k;
            double[] row = new double[rows * k];
            scalar.rowProduct(xf, rows, d, v, k, row, two);
            assertArrayEquals(rowRef, row, 0.0, what + " row product");
            double[] transpose = new double[k * (d + 1)];
            scalar.transposeProduct(coef, xf, rows, d, k, transpose, two);
            assertArrayEquals(transposeRef, transpose, 0.0, what + " transpose product");
            if (vector != null && vector.onPanels(d, k)) {
                double[] vectorRow = new double[rows * k];
                vector.rowProduct(xd, rows, d, v, k, vectorRow, Parallel.SERIAL);
                assertArrayEquals(row, vectorRow, 0.0, what + " row product, vector path");
                double[] vectorTranspose = new double[k * (d + 1)];
                vector.transposeProduct(coef, xd, rows, d, k, vectorTranspose, Parallel.SERIAL);
                assertArrayEquals(transpose, vectorTranspose, 0.0, what + " transpose product, vector path");
            }
        }
        assertTrue(reached >= 6, "only " + reached + " shapes reach the scalar panels");
    }

    @Test
    void gramMatchesNaiveIsSymmetricAndThreadIndependent() {
        SplittableRandom rnd = new SplittableRandom(3);
        int[][] shapes = {{1, 1}, {2, 5}, {7, 13}, {65, 9}, {130, 37}, {200, 3}, {71, 18}, {129, 35}};
        for (int[] s : shapes) {
            int rows = s[0], d = s[1];
            float[] xf = randomFloats(rnd, rows * d);
            double[] xd = widen(xf);
            double[] ref = new double[rows * rows];
            double[] abs = new double[rows * rows];
            for (int i = 0; i < rows; i++) {
                for (int l = 0; l < rows; l++) {
                    for (int j = 0; j < d; j++) {
                        ref[i * rows + l] += xd[i * d + j] * xd[l * d + j];
                        abs[i * rows + l] += Math.abs(xd[i * d + j] * xd[l * d + j]);
                    }
                }
            }
            for (Kernels path : paths()) {
                String what = path.name() + " gram " + rows + "x" + d;
                HeadKernels.Variant variant = variant(path);
                double[] one = new double[rows * rows];
                variant.gram(xd, rows, d, one, Parallel.SERIAL);
                assertClose(ref, abs, one, 1e-13, what);
                for (int i = 0; i < rows; i++) {
                    for (int l = 0; l < i; l++) {
                        assertEquals(one[i * rows + l], one[l * rows + i], 0.0, what + " symmetric");
                    }
                }
                for (Parallel par : new Parallel[] {two, three}) {
                    double[] many = new double[rows * rows];
                    variant.gram(xd, rows, d, many, par);
                    assertArrayEquals(one, many, 0.0, what + " on " + par.threads() + " threads");
                    double[] fromFloat = new double[rows * rows];
                    variant.gram(xf, rows, d, fromFloat, par);
                    assertArrayEquals(one, fromFloat, 0.0, what + " from float storage");
                }
            }
        }
    }

    @Test
    void secondMomentMatchesNaiveIsExactlySymmetricAndThreadIndependent() {
        SplittableRandom rnd = new SplittableRandom(4);
        // d below, at and past the 128-wide tiles (several lower-triangle tiles, a partial last one), and
        // rows past the panels' 128-row chunks (a partial last chunk)
        int[][] shapes = {{1, 1}, {3, 0}, {37, 13}, {70, 128}, {41, 130}, {90, 300}, {300, 50}, {513, 70}};
        for (int[] s : shapes) {
            int rows = s[0], d = s[1], dd = d + 1;
            float[] xf = randomFloats(rnd, rows * d);
            double[] xd = widen(xf);
            double[] w = new double[rows];
            for (int i = 0; i < rows; i++) {
                w[i] = rnd.nextDouble();
            }
            double[] ref = new double[dd * dd];
            double[] abs = new double[dd * dd];
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < dd; j++) {
                    for (int l = 0; l < dd; l++) {
                        double p = w[i] * (j < d ? xd[i * d + j] : 1.0) * (l < d ? xd[i * d + l] : 1.0);
                        ref[j * dd + l] += p;
                        abs[j * dd + l] += Math.abs(p);
                    }
                }
            }
            double[] facade = new double[dd * dd];
            HeadKernels.secondMoment(xf, rows, d, w, facade, Parallel.SERIAL);
            for (Kernels path : paths()) {
                String what = path.name() + " secondMoment " + rows + "x" + d;
                HeadKernels.Variant variant = variant(path);
                double[] one = new double[dd * dd];
                java.util.Arrays.fill(one, Double.NaN);
                variant.secondMoment(xd, rows, d, w, one, Parallel.SERIAL);
                assertClose(ref, abs, one, 1e-13, what);
                for (int j = 0; j < dd; j++) {
                    for (int l = 0; l < j; l++) {
                        assertEquals(one[j * dd + l], one[l * dd + j], 0.0, what + " symmetric");
                    }
                }
                for (Parallel par : new Parallel[] {two, three}) {
                    double[] many = new double[dd * dd];
                    variant.secondMoment(xd, rows, d, w, many, par);
                    assertArrayEquals(one, many, 0.0, what + " on " + par.threads() + " threads");
                    double[] fromFloat = new double[dd * dd];
                    variant.secondMoment(xf, rows, d, w, fromFloat, par);
                    assertArrayEquals(one, fromFloat, 0.0, what + " from float storage");
                }
                if (path == KernelProvider.scalar()) {
                    assertArrayEquals(one, facade, 0.0, what + ": the static method runs the plain loops");
                }
            }
        }
    }

    static HeadKernels.Variant variant(Kernels path) {
        if (path == KernelProvider.scalar()) {
            return HeadKernels.scalar();
        }
        return HeadKernels.vector().orElseThrow();
    }

    /**
     * The top-competitor and preconditioner kernels against naive loops: a row's dots with gathered
     * rows (counts of gathered rows past the vector path's blocks of four by 0-3, lengths past the
     * vector length and its pairs of vectors), the offset axpy and dot; on every path.
     */
    @Test
    void gatherDotsAndAxpyMatchNaiveOnEveryPath() {
        java.util.SplittableRandom rng = new java.util.SplittableRandom(17);
        for (Kernels path : paths()) {
            for (int n : new int[] {0, 1, 7, 8, 9, 31, 256, 257}) {
                int ldv = n + 3;
                int rowsOfV = 12;
                double[] v = new double[rowsOfV * ldv];
                double[] row = new double[n];
                for (int t = 0; t < v.length; t++) {
                    v[t] = rng.nextDouble(-1, 1);
                }
                for (int j = 0; j < n; j++) {
                    row[j] = rng.nextDouble(-1, 1);
                }
                for (int m = 0; m <= 9; m++) {
                    int off = 2;
                    int[] idx = new int[off + m];
                    for (int s = 0; s < m; s++) {
                        idx[off + s] = rng.nextInt(rowsOfV);
                    }
                    double[] out = new double[m];
                    path.gatherDots(row, n, v, ldv, idx, off, m, out);
                    for (int s = 0; s < m; s++) {
                        double ref = 0;
                        double abs = 0;
                        for (int j = 0; j < n; j++) {
                            ref += row[j] * v[idx[off + s] * ldv + j];
                            abs += Math.abs(row[j] * v[idx[off + s] * ldv + j]);
                        }
                        assertEquals(ref, out[s], 1e-14 * abs + 1e-300, path.name() + " n=" + n + " m=" + m);
                        if (path == KernelProvider.scalar()) {
                            // the plain loops share the row's loads among four gathered rows with dot's own sums
                            assertEquals(path.dot(row, 0, v, idx[off + s] * ldv, n), out[s], 0.0,
                                    "scalar gatherDots is dot bit for bit, n=" + n + " m=" + m + " s=" + s);
                        }
                    }
                }
                double[] y = new double[n + 5];
                double[] y0 = new double[n + 5];
                for (int t = 0; t < y.length; t++) {
                    y[t] = y0[t] = rng.nextDouble(-1, 1);
                }
                double[] x = new double[n + 2];
                System.arraycopy(row, 0, x, 2, n);
                path.axpy(0.75, x, 2, y, 3, n);
                for (int t = 0; t < y.length; t++) {
                    double ref = t >= 3 && t < 3 + n ? y0[t] + 0.75 * row[t - 3] : y0[t];
                    assertEquals(ref, y[t], 1e-15, path.name() + " axpy n=" + n + " at " + t);
                }
                double ref = 0;
                double abs = 0;
                for (int j = 0; j < n; j++) {
                    ref += x[2 + j] * y0[1 + j];
                    abs += Math.abs(x[2 + j] * y0[1 + j]);
                }
                assertEquals(ref, path.dot(x, 2, y0, 1, n), 1e-14 * abs + 1e-300, path.name() + " dot n=" + n);
            }
        }
    }

    /**
     * The float-row forms of gatherDots, axpy and dot (the top-competitor curvature reads float blocks where
     * they lie) give the bits of the double forms on the row widened to a zero-based copy, on every path, at
     * offsets into a block, for lengths around the vector length; the Vector API path reads them in place.
     */
    @Test
    void floatRowFormsGiveTheBitsOfTheWidenedRow() {
        java.util.SplittableRandom rng = new java.util.SplittableRandom(23);
        for (Kernels path : paths()) {
            assertEquals(path != KernelProvider.scalar(), path.floatRowsInPlace(), path.name());
            for (int n : new int[] {1, 7, 8, 9, 15, 16, 17, 31, 256, 257}) {
                int xo = 3 * n + 5;
                float[] block = new float[xo + n + 4];
                for (int t = 0; t < block.length; t++) {
                    block[t] = (float) rng.nextDouble(-2, 2);
                }
                double[] row = new double[n];
                for (int j = 0; j < n; j++) {
                    row[j] = block[xo + j];
                }
                int ldv = n + 1;
                int rowsOfV = 11;
                double[] v = new double[rowsOfV * ldv];
                for (int t = 0; t < v.length; t++) {
                    v[t] = rng.nextDouble(-1, 1);
                }
                for (int m : new int[] {1, 3, 4, 7, 16}) {
                    int[] idx = new int[1 + m];
                    for (int s = 0; s < m; s++) {
                        idx[1 + s] = rng.nextInt(rowsOfV);
                    }
                    double[] ref = new double[m];
                    double[] out = new double[m];
                    path.gatherDots(row, n, v, ldv, idx, 1, m, ref);
                    path.gatherDots(block, xo, n, v, ldv, idx, 1, m, out);
                    assertArrayEquals(ref, out, path.name() + " gatherDots n=" + n + " m=" + m);
                }
                double[] y = new double[n + 2];
                for (int t = 0; t < y.length; t++) {
                    y[t] = rng.nextDouble(-1, 1);
                }
                for (int yo : new int[] {0, 2}) {
                    double[] yRef = y.clone();
                    double[] yOut = y.clone();
                    path.axpy(-0.375, row, 0, yRef, yo, n);
                    path.axpy(-0.375, block, xo, yOut, yo, n);
                    assertArrayEquals(yRef, yOut, path.name() + " axpy n=" + n + " yo=" + yo);
                }
                assertEquals(path.dot(row, 0, v, 1, n), path.dot(block, xo, v, 1, n), 0.0, path.name() + " dot n=" + n);
            }
        }
    }

    /**
     * {@code axpyRows} (a class's rows added in one call, its row held in registers on the Vector API path) gives
     * the bits of {@code axpy} called row by row, on every path: lengths around one and four vector lengths,
     * zero to nine rows at scattered offsets into a float block.
     */
    @Test
    void axpyRowsGivesTheBitsOfOneAxpyPerRow() {
        java.util.SplittableRandom rng = new java.util.SplittableRandom(29);
        for (Kernels path : paths()) {
            for (int n : new int[] {1, 7, 8, 9, 31, 32, 33, 40, 70, 256, 257}) {
                float[] block = new float[12 * (n + 3)];
                for (int t = 0; t < block.length; t++) {
                    block[t] = (float) rng.nextDouble(-2, 2);
                }
                for (int count = 0; count <= 9; count++) {
                    double[] alpha = new double[count + 2];
                    int[] offsets = new int[count + 2];
                    for (int q = 0; q < count; q++) {
                        alpha[q] = rng.nextDouble(-3, 3);
                        offsets[q] = rng.nextInt(12) * (n + 3) + rng.nextInt(3);
                    }
                    double[] y = new double[n];
                    for (int j = 0; j < n; j++) {
                        y[j] = rng.nextDouble(-1, 1);
                    }
                    double[] ref = y.clone();
                    for (int q = 0; q < count; q++) {
                        path.axpy(alpha[q], block, offsets[q], ref, 0, n);
                    }
                    path.axpyRows(alpha, block, offsets, count, y, n);
                    assertArrayEquals(ref, y, path.name() + " axpyRows n=" + n + " rows=" + count);
                }
            }
        }
    }

    @Test
    void facadeUsesTheVectorPathWhenTheModuleIsPresent() {
        boolean module = ModuleLayer.boot().findModule(KernelProvider.VECTOR_MODULE).isPresent();
        if (module && !"false".equals(System.getProperty(KernelProvider.PROPERTY))) {
            assertTrue(KernelProvider.vector().isPresent(), "the vector kernels load when the module is present");
            assertTrue(HeadKernels.implementation().startsWith("vector"), HeadKernels.implementation());
        } else {
            assertEquals("scalar", HeadKernels.implementation());
        }
        assertEquals("scalar", HeadKernels.scalar().name());
        // the facade and the selected variant are the same code
        SplittableRandom rnd = new SplittableRandom(4);
        int rows = 70, d = 21, k = 5;
        double[] x = randomDoubles(rnd, rows * d);
        double[] v = randomDoubles(rnd, k * (d + 1));
        double[] a = new double[rows * k];
        double[] b = new double[rows * k];
        HeadKernels.rowProduct(x, rows, d, v, k, a, Parallel.SERIAL);
        HeadKernels.selected().rowProduct(x, rows, d, v, k, b, Parallel.SERIAL);
        assertArrayEquals(a, b, 0.0);
    }

    @Test
    void commonUsesEveryCore() {
        int cores = Runtime.getRuntime().availableProcessors();
        Parallel common = Parallel.common();
        assertEquals(cores, common.threads());
        common.close(); // a no-op for the shared pools
        int[] hits = new int[64];
        Parallel.common().forRange(64, 1, (lo, hi) -> {
            for (int i = lo; i < hi; i++) {
                hits[i]++;
            }
        });
        for (int h : hits) {
            assertEquals(1, h);
        }
    }

    @Test
    void scalarFallbackWhenTheModuleIsAbsentOrDisabled() throws Exception {
        // a JVM without --add-modules: the library loads, picks the scalar kernels and logs one hint
        Probe without = probe(List.of());
        assertEquals("scalar", without.out, without.err);
        assertEquals(1, countLines(without.err, KernelProvider.HINT), without.err);
        // the module present but -Dfastgn.vector=false: scalar, without the hint
        Probe disabled = probe(List.of("--add-modules", KernelProvider.VECTOR_MODULE, "-Dfastgn.vector=false"));
        assertEquals("scalar", disabled.out, disabled.err);
        assertFalse(disabled.err.contains(KernelProvider.HINT), disabled.err);
    }

    @Test
    void vectorResultsDoNotDependOnTheJitTier() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(KernelProvider.vector().isPresent());
        // the Vector API's Java fallback (interpreter) against the compiled intrinsics
        Probe interpreted = probe(List.of("--add-modules", KernelProvider.VECTOR_MODULE, "-Xint"), TierProbe.class);
        Kernels vector = KernelProvider.vector().get();
        for (int rep = 0; rep < 100; rep++) {
            assertEquals(interpreted.out, Long.toHexString(TierProbe.hash(vector)), "repetition " + rep);
        }
    }

    private record Probe(String out, String err) {
    }

    private static Probe probe(List<String> jvmArgs) throws Exception {
        return probe(jvmArgs, ProviderProbe.class);
    }

    private static Probe probe(List<String> jvmArgs, Class<?> main) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmArgs);
        if (!jvmArgs.contains("-Xint")) {
            cmd.add("-XX:TieredStopAtLevel=1");
        }
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(main.getName());
        Process p = new ProcessBuilder(cmd).start();
        byte[] out = p.getInputStream().readAllBytes();
        byte[] err = p.getErrorStream().readAllBytes();
        assertTrue(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS));
        String e = new String(err, java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), e);
        return new Probe(new String(out, java.nio.charset.StandardCharsets.UTF_8).trim(), e);
    }

    private static int countLines(String text, String needle) {
        int n = 0;
        for (String line : text.split("\n")) {
            if (line.contains(needle)) {
                n++;
            }
        }
        return n;
    }

    /**
     * Both paths: {@code topClasses} is the first {@code m} classes of a sort by value (decreasing),
     * ties by index (increasing), brute force; on exchangeable values, on many ties (a few distinct
     * values, zeros as exponentials underflow to), on values that rise with the index (every class
     * enters the kept list of a plain pass), and at K below and above the threshold's size.
     */
    @org.junit.jupiter.api.Test
    void topClassesIsTheHeadOfASortOnBothPaths() {
        SplittableRandom rnd = new SplittableRandom(23);
        double[] groupMax = new double[Kernels.TOP_GROUPS];
        for (Kernels path : paths()) {
            for (int k : new int[]{2, 17, 255, 256, 300, 1000, 1003, 4099}) {
                int[] index = new int[k];
                for (int m : new int[]{1, 2, 16, 17, k}) {
                    if (m > k) {
                        continue;
                    }
                    for (int kind = 0; kind < 4; kind++) {
                        double[] v = new double[k];
                        for (int c = 0; c < k; c++) {
                            v[c] = switch (kind) {
                                case 0 -> Math.exp(3 * rnd.nextGaussian());
                                case 1 -> rnd.nextInt(4) == 0 ? 0.0 : rnd.nextInt(5) / 4.0;
                                case 2 -> c;
                                default -> -c + (rnd.nextInt(3) == 0 ? 2.0 * k : 0.0);
                            };
                        }
                        Integer[] order = new Integer[k];
                        for (int c = 0; c < k; c++) {
                            order[c] = c;
                        }
                        java.util.Arrays.sort(order, (a, b) -> v[a] != v[b] ? Double.compare(v[b], v[a])
                                : Integer.compare(a, b));
                        int base = 3;
                        int[] top = new int[base + m + 2];
                        path.topClasses(v, k, m, top, base, groupMax, index);
                        for (int s = 0; s < m; s++) {
                            org.junit.jupiter.api.Assertions.assertEquals(order[s].intValue(), top[base + s],
                                    path.name() + " k " + k + " m " + m + " kind " + kind + " rank " + s);
                        }
                        org.junit.jupiter.api.Assertions.assertEquals(0, top[base - 1], "outside the range");
                        org.junit.jupiter.api.Assertions.assertEquals(0, top[base + m], "outside the range");
                    }
                }
            }
        }
    }

    /** Both paths: exponentials to 2 ulp of {@link StrictMath#exp}, exp(-inf) = 0, the sum of what was written. */
    @org.junit.jupiter.api.Test
    void expInPlaceMatchesStrictMathOnBothPaths() {
        SplittableRandom rnd = new SplittableRandom(17);
        for (Kernels path : paths()) {
            for (int len : new int[]{1, 7, 8, 10, 17, 31, 32, 33, 41, 1000}) {
                double[] v = new double[len + 3];
                for (int i = 0; i < v.length; i++) {
                    v[i] = rnd.nextDouble() * 60 - 50;
                }
                v[1 + len / 2] = Double.NEGATIVE_INFINITY;
                double[] before = v.clone();
                double shift = 4.25;
                double sum = path.expInPlace(v, 1, 1 + len, shift);
                double expected = 0;
                for (int i = 1; i < 1 + len; i++) {
                    double e = StrictMath.exp(before[i] - shift);
                    org.junit.jupiter.api.Assertions.assertEquals(e, v[i], 2 * Math.ulp(e),
                            path.name() + " len " + len + " at " + i);
                    expected += v[i];
                }
                org.junit.jupiter.api.Assertions.assertEquals(0.0, v[1 + len / 2], 0.0, "exp(-inf)");
                org.junit.jupiter.api.Assertions.assertEquals(before[0], v[0], 0.0, "outside the range");
                org.junit.jupiter.api.Assertions.assertEquals(before[len + 1], v[len + 1], 0.0, "outside the range");
                org.junit.jupiter.api.Assertions.assertEquals(expected, sum, 1e-14 * expected, path.name());
            }
        }
    }
}
