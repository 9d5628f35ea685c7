package io.github.fastgn.internal.linalg;

import io.github.fastgn.testing.QuietTestBase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Random;
import java.util.concurrent.atomic.AtomicIntegerArray;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link HeadKernels} against naive loops, and bit-for-bit equality across thread counts. */
class HeadKernelsTest extends QuietTestBase {

    private static final Parallel TWO = Parallel.withThreads(2);
    private static final Parallel THREE = Parallel.withThreads(3);

    @AfterAll
    static void closePools() {
        TWO.close();
        THREE.close();
    }

    private static double[] random(Random rnd, int n) {
        double[] a = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = rnd.nextGaussian();
        }
        return a;
    }

    @ParameterizedTest
    @CsvSource({"1,1,2", "5,3,2", "17,7,3", "33,67,10", "9,130,4", "200,64,5"})
    void productsMatchNaiveLoops(int rows, int d, int k) {
        Random rnd = new Random(rows * 1000L + d * 10L + k);
        int dd = d + 1;
        double[] x = random(rnd, rows * d);
        double[] v = random(rnd, k * dd);
        double[] c = random(rnd, rows * k);
        c[0] = 0.0; // the zero-skip path
        double[] out = new double[rows * k];
        HeadKernels.rowProduct(x, rows, d, v, k, out, Parallel.SERIAL);
        for (int i = 0; i < rows; i++) {
            for (int cc = 0; cc < k; cc++) {
                double s = v[cc * dd + d];
                for (int j = 0; j < d; j++) {
                    s += x[i * d + j] * v[cc * dd + j];
                }
                assertEquals(s, out[i * k + cc], 1e-12 * (1 + Math.abs(s)), "rowProduct");
            }
        }
        double[] g = new double[k * dd];
        java.util.Arrays.fill(g, Double.NaN); // must be overwritten, not accumulated
        HeadKernels.transposeProduct(c, x, rows, d, k, g, Parallel.SERIAL);
        for (int cc = 0; cc < k; cc++) {
            for (int j = 0; j <= d; j++) {
                double s = 0;
                for (int i = 0; i < rows; i++) {
                    s += c[i * k + cc] * (j < d ? x[i * d + j] : 1.0);
                }
                assertEquals(s, g[cc * dd + j], 1e-12 * (1 + Math.abs(s)), "transposeProduct");
            }
        }
        double[] gram = new double[rows * rows];
        HeadKernels.gram(x, rows, d, gram, Parallel.SERIAL);
        for (int i = 0; i < rows; i++) {
            for (int l = 0; l < rows; l++) {
                double s = 0;
                for (int j = 0; j < d; j++) {
                    s += x[i * d + j] * x[l * d + j];
                }
                assertEquals(s, gram[i * rows + l], 1e-12 * (1 + Math.abs(s)), "gram");
            }
        }
    }

    @Test
    void resultsAreBitIdenticalAcrossThreadCounts() {
        int rows = 3000;
        int d = 200;
        int k = 10;
        Random rnd = new Random(31);
        double[] x = random(rnd, rows * d);
        double[] v = random(rnd, k * (d + 1));
        double[] c = random(rnd, rows * k);
        Parallel[] pars = {Parallel.SERIAL, TWO, THREE};
        double[][] row = new double[3][rows * k];
        double[][] tr = new double[3][k * (d + 1)];
        for (int t = 0; t < 3; t++) {
            HeadKernels.rowProduct(x, rows, d, v, k, row[t], pars[t]);
            HeadKernels.transposeProduct(c, x, rows, d, k, tr[t], pars[t]);
        }
        // the Gram on a smaller slice (its cost is rows^2 d)
        int gr = 1200;
        double[][] gram = new double[3][gr * gr];
        for (int t = 0; t < 3; t++) {
            HeadKernels.gram(x, gr, d, gram[t], pars[t]);
        }
        for (int t = 1; t < 3; t++) {
            assertArrayEquals(row[0], row[t], 0.0, "rowProduct with " + pars[t].threads() + " threads");
            assertArrayEquals(tr[0], tr[t], 0.0, "transposeProduct with " + pars[t].threads() + " threads");
            assertArrayEquals(gram[0], gram[t], 0.0, "gram with " + pars[t].threads() + " threads");
        }
        assertNotEquals(0.0, tr[0][0]);
    }

    @Test
    void forRangeSplitsLargeRangesAndCoversEachIndexOnce() {
        int n = 10_000;
        AtomicIntegerArray hits = new AtomicIntegerArray(n);
        java.util.Set<String> threads = java.util.concurrent.ConcurrentHashMap.newKeySet();
        java.util.concurrent.atomic.AtomicInteger chunks = new java.util.concurrent.atomic.AtomicInteger();
        THREE.forRange(n, 100, (lo, hi) -> {
            chunks.incrementAndGet();
            threads.add(Thread.currentThread().getName());
            for (int i = lo; i < hi; i++) {
                hits.incrementAndGet(i);
            }
        });
        for (int i = 0; i < n; i++) {
            assertEquals(1, hits.get(i), "index " + i);
        }
        assertTrue(chunks.get() > 1, "a large range must be split, got " + chunks.get() + " chunk(s)");
        assertEquals(3, THREE.threads());
        assertEquals(1, Parallel.SERIAL.threads());
        assertEquals(Parallel.SERIAL, Parallel.withThreads(1));
    }
}
