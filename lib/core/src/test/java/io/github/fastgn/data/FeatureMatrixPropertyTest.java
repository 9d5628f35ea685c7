package io.github.fastgn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import io.github.fastgn.internal.linalg.Parallel;
import io.github.fastgn.testing.Properties;
import io.github.fastgn.testing.SparseProblem;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Every {@link FeatureMatrix} storage against brute-force dense loops written here (not the
 * library's kernels) on random shapes and densities, empty rows and columns included: the two
 * head products, the row Gram matrix with and without column weights, the row norms, the column
 * statistics, and the virtual-centring algebra of ALGORITHM.md §7. Errors are bounded relative to
 * the sum of the absolute values of the terms of each element (rounding of a double sum). Seeded
 * properties ({@link Properties}): the same tries on every build.
 */
class FeatureMatrixPropertyTest {

    private static final double TOL = 1e-13;

    /** A random problem: dense row-major values (some rows and columns empty), float-rounded when asked. */
    record Problem(int n, int d, int k, double[] x, boolean asFloat, Random rnd) {

        static Problem of(int n, int d, int k, double density, long seed, boolean asFloat) {
            Random rnd = new Random(seed);
            double[] x = new double[n * d];
            boolean[] emptyRow = new boolean[n];
            boolean[] emptyColumn = new boolean[d];
            for (int i = 0; i < n; i++) {
                emptyRow[i] = rnd.nextInt(5) == 0;
            }
            for (int j = 0; j < d; j++) {
                emptyColumn[j] = rnd.nextInt(5) == 0;
            }
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < d; j++) {
                    if (!emptyRow[i] && !emptyColumn[j] && rnd.nextDouble() < density) {
                        double v = rnd.nextGaussian() * Math.pow(10, rnd.nextInt(7) - 3) + (rnd.nextInt(4) == 0 ? 3 : 0);
                        x[i * d + j] = asFloat ? (float) v : v;
                    }
                }
            }
            return new Problem(n, d, k, x, asFloat, rnd);
        }

        double[] gaussian(int count) {
            double[] a = new double[count];
            for (int t = 0; t < count; t++) {
                a[t] = rnd.nextGaussian();
            }
            return a;
        }

        /** The storages under test holding these values. */
        List<FeatureMatrix> storages() {
            List<FeatureMatrix> out = new ArrayList<>();
            if (asFloat) {
                float[] f = new float[x.length];
                for (int t = 0; t < f.length; t++) {
                    f[t] = (float) x[t];
                }
                out.add(DenseFeatures.ofFloat(f, n, d));
                out.add(SparseProblem.csr(x, n, d, true));
            } else {
                out.add(DenseFeatures.of(x.clone(), n, d));
                out.add(SparseProblem.csr(x, n, d, false));
            }
            return out;
        }
    }

    /** {@code |actual - expected| <= TOL * magnitude} element-wise. */
    static void close(double[] expected, double[] magnitude, double[] actual, int count, String what) {
        for (int t = 0; t < count; t++) {
            double err = Math.abs(actual[t] - expected[t]);
            if (!(err <= TOL * magnitude[t] + Double.MIN_NORMAL)) {
                fail(what + "[" + t + "]: expected " + expected[t] + ", got " + actual[t] + " (error " + err
                        + ", magnitude " + magnitude[t] + ")");
            }
        }
    }

    @Test
    void headProductsMatchDenseLoops() {
        Properties.forAll(20261206L, 80, draw -> headProductsMatchDenseLoops(
                draw.intIn("n", 1, 30),
                draw.intIn("d", 1, 40),
                draw.intIn("k", 1, 6),
                draw.doubleIn("density", 0.0, 1.0),
                draw.seed("seed"),
                draw.bool("asFloat")));
    }

    private static void headProductsMatchDenseLoops(int n, int d, int k, double density, long seed, boolean asFloat) {
        Problem pr = Problem.of(n, d, k, density, seed, asFloat);
        int dd = d + 1;
        double[] v = pr.gaussian(k * dd);
        double[] coef = pr.gaussian(n * k);
        double[] z = new double[n * k];
        double[] zMag = new double[n * k];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < k; c++) {
                double s = v[c * dd + d];
                double m = Math.abs(s);
                for (int j = 0; j < d; j++) {
                    s += pr.x[i * d + j] * v[c * dd + j];
                    m += Math.abs(pr.x[i * d + j] * v[c * dd + j]);
                }
                z[i * k + c] = s;
                zMag[i * k + c] = m;
            }
        }
        double[] g = new double[k * dd];
        double[] gMag = new double[k * dd];
        for (int c = 0; c < k; c++) {
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < d; j++) {
                    g[c * dd + j] += coef[i * k + c] * pr.x[i * d + j];
                    gMag[c * dd + j] += Math.abs(coef[i * k + c] * pr.x[i * d + j]);
                }
                g[c * dd + d] += coef[i * k + c];
                gMag[c * dd + d] += Math.abs(coef[i * k + c]);
            }
        }
        double[] vCopy = v.clone();
        double[] coefCopy = coef.clone();
        for (FeatureMatrix m : pr.storages()) {
            String what = m.getClass().getSimpleName() + (m.isFloat() ? " float" : " double");
            assertEquals(asFloat, m.isFloat(), what);
            double[] zOut = new double[n * k + 3];
            zOut[n * k] = 42;
            m.rowProduct(v, k, zOut, Parallel.SERIAL);
            close(z, zMag, zOut, n * k, what + " X~ V^T");
            assertEquals(42, zOut[n * k], what + ": wrote past n*K");
            double[] gOut = new double[k * dd];
            m.transposeProduct(coef, k, gOut, Parallel.SERIAL);
            close(g, gMag, gOut, k * dd, what + " C^T X~");
            try (Threads par = new Threads(3)) {
                double[] zPar = new double[n * k];
                m.rowProduct(v, k, zPar, par.par);
                assertArrayEquals(java.util.Arrays.copyOf(zOut, n * k), zPar, what + ": thread count changed X~ V^T");
                double[] gPar = new double[k * dd];
                m.transposeProduct(coef, k, gPar, par.par);
                assertArrayEquals(gOut, gPar, what + ": thread count changed C^T X~");
            }
        }
        assertArrayEquals(vCopy, v, "v modified");
        assertArrayEquals(coefCopy, coef, "coef modified");
    }

    @Test
    void gramAndNormsMatchDenseLoops() {
        Properties.forAll(20261206L, 60, draw -> gramAndNormsMatchDenseLoops(
                draw.intIn("n", 1, 30),
                draw.intIn("d", 1, 40),
                draw.intIn("b", 1, 12),
                draw.doubleIn("density", 0.0, 1.0),
                draw.seed("seed"),
                draw.bool("asFloat"),
                draw.bool("weighted")));
    }

    private static void gramAndNormsMatchDenseLoops(int n, int d, int b, double density, long seed, boolean asFloat,
            boolean weighted) {
        Problem pr = Problem.of(n, d, 1, density, seed, asFloat);
        int[] rows = new int[b];
        for (int a = 0; a < b; a++) {
            rows[a] = pr.rnd.nextInt(n); // repeats allowed
        }
        double[] q = null;
        if (weighted) {
            q = new double[d];
            for (int j = 0; j < d; j++) {
                q[j] = j % 7 == 0 ? 0 : pr.rnd.nextDouble() * 4;
            }
        }
        double[] gram = new double[b * b];
        double[] gramMag = new double[b * b];
        for (int a = 0; a < b; a++) {
            for (int c = 0; c < b; c++) {
                for (int j = 0; j < d; j++) {
                    double t = (q == null ? 1 : q[j]) * pr.x[rows[a] * d + j] * pr.x[rows[c] * d + j];
                    gram[a * b + c] += t;
                    gramMag[a * b + c] += Math.abs(t);
                }
            }
        }
        double[] norms = new double[n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                norms[i] += (q == null ? 1 : q[j]) * pr.x[i * d + j] * pr.x[i * d + j];
            }
        }
        for (FeatureMatrix m : pr.storages()) {
            String what = m.getClass().getSimpleName() + (m.isFloat() ? " float" : " double");
            double[] out = new double[b * b];
            m.gram(rows, q, out, Parallel.SERIAL);
            close(gram, gramMag, out, b * b, what + " gram");
            for (int a = 0; a < b; a++) {
                for (int c = 0; c < a; c++) {
                    assertEquals(out[c * b + a], out[a * b + c], what + ": gram not exactly symmetric");
                }
            }
            try (Threads par = new Threads(2)) {
                double[] outPar = new double[b * b];
                m.gram(rows, q, outPar, par.par);
                assertArrayEquals(out, outPar, what + ": thread count changed the gram");
            }
            double[] nOut = new double[n];
            m.rowSquaredNorms(q, nOut);
            close(norms, norms, nOut, n, what + " row norms");
        }
    }

    /**
     * Column statistics against {@link Standardizer#fit} on the dense values, and the virtual
     * centring of ALGORITHM.md §7: the products on the raw storage with the fold equal the dense
     * products on the explicitly standardised matrix.
     */
    @Test
    void virtualCentringEqualsExplicitStandardisation() {
        Properties.forAll(20261206L, 60, draw -> virtualCentringEqualsExplicitStandardisation(
                draw.intIn("n", 1, 30),
                draw.intIn("d", 1, 25),
                draw.intIn("k", 1, 5),
                draw.doubleIn("density", 0.0, 1.0),
                draw.seed("seed"),
                draw.bool("asFloat"),
                draw.bool("weighted")));
    }

    private static void virtualCentringEqualsExplicitStandardisation(int n, int d, int k, double density, long seed,
            boolean asFloat, boolean weighted) {
        Problem pr = Problem.of(n, d, k, density, seed, asFloat);
        double[] w = null;
        if (weighted) {
            w = new double[n];
            for (int i = 0; i < n; i++) {
                w[i] = i == 0 ? 1 : pr.rnd.nextInt(3) * pr.rnd.nextDouble();
            }
        }
        Standardizer reference = Standardizer.fit(pr.x, n, d, w);
        double[] xs = reference.transform(pr.x, n);
        int dd = d + 1;
        double[] v = pr.gaussian(k * dd);
        double[] coef = pr.gaussian(n * k);
        double[] zStd = new double[n * k];
        double[] gStd = new double[k * dd];
        DenseFeatures.of(xs, n, d).rowProduct(v, k, zStd, Parallel.SERIAL);
        DenseFeatures.of(xs, n, d).transposeProduct(coef, k, gStd, Parallel.SERIAL);
        double zScale = maxAbs(zStd) + maxAbs(v);
        double gScale = maxAbs(gStd) + 1;
        for (FeatureMatrix m : pr.storages()) {
            String what = m.getClass().getSimpleName() + (m.isFloat() ? " float" : " double");
            Standardizer s = m.standardizer(w);
            double[] mean = reference.mean();
            double[] scale = reference.scale();
            for (int j = 0; j < d; j++) {
                assertEquals(mean[j], s.mean()[j], 1e-12 * (Math.abs(mean[j]) + scale[j]), what + " mean " + j);
                assertEquals(scale[j], s.scale()[j], 1e-10 * scale[j], what + " scale " + j);
            }
            double[] z = new double[n * k];
            m.rowProduct(s.foldIntoWeights(v, k), k, z, Parallel.SERIAL);
            double[] g = new double[k * dd];
            m.transposeProduct(coef, k, g, Parallel.SERIAL);
            double[] gs = s.standardizedGradient(g, k);
            for (int t = 0; t < z.length; t++) {
                assertEquals(zStd[t], z[t], 1e-9 * zScale, what + ": logits through the fold");
            }
            for (int t = 0; t < gs.length; t++) {
                assertEquals(gStd[t], gs[t], 1e-9 * gScale, what + ": gradient through the adjoint");
            }
        }
    }

    private static double maxAbs(double[] a) {
        double m = 0;
        for (double v : a) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }

    /** A pool closed after use. */
    static final class Threads implements AutoCloseable {
        final Parallel par;

        Threads(int threads) {
            par = Parallel.withThreads(threads);
        }

        @Override
        public void close() {
            par.close();
        }
    }
}
