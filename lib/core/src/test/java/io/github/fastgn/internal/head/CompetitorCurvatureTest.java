package io.github.fastgn.internal.head;

import io.github.fastgn.internal.linalg.Parallel;
import io.github.fastgn.testing.QuietTestBase;
import io.github.fastgn.testing.RandomProblem;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The top-competitor curvature against a brute-force reference: each row's softmax truncated to its
 * {@code m} largest entries with a uniform tail, its covariance {@code diag p~ - p~ p~^T} applied in
 * logit space with explicit loops; with {@code m = K} it is the exact full GGN of
 * {@link HeadBatch#ggnProduct}. More rows than one block and one chunk, weighted, float and double.
 */
class CompetitorCurvatureTest extends QuietTestBase {

    private static final int N = FullData.BLOCK_ROWS + 613;
    private static final int D = 5;
    private static final int K = 13;

    private static double[] weights() {
        Random rnd = new Random(5);
        double[] w = new double[N];
        for (int i = 0; i < N; i++) {
            w[i] = i % 9 == 0 ? 0.0 : 0.25 + rnd.nextDouble();
        }
        return w;
    }

    private static FullData data(RandomProblem pr, double[] w, boolean single, Parallel par) {
        if (!single) {
            return new FullData(pr.x, pr.y, w, N, D, K, par);
        }
        float[] f = new float[pr.x.length];
        for (int t = 0; t < f.length; t++) {
            f[t] = (float) pr.x[t];
            pr.x[t] = f[t];
        }
        return new FullData(f, pr.y, w, N, D, K, par);
    }

    /** {@code sum_i beta_i ((diag p~_i - p~_i p~_i^T) V x~_i) x~_i^T} with p~ built by sorting. */
    private static double[] reference(RandomProblem pr, double[] beta, int m, double[] v) {
        int dd = D + 1;
        double[] out = new double[K * dd];
        for (int i = 0; i < N; i++) {
            double[] z = new double[K];
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < K; c++) {
                for (int j = 0; j < D; j++) {
                    z[c] += pr.wt[c * dd + j] * pr.x[i * D + j];
                }
                z[c] += pr.wt[c * dd + D];
                max = Math.max(max, z[c]);
            }
            double sum = 0;
            for (int c = 0; c < K; c++) {
                z[c] = Math.exp(z[c] - max);
                sum += z[c];
            }
            double[] p = new double[K];
            Integer[] order = new Integer[K];
            for (int c = 0; c < K; c++) {
                p[c] = z[c] / sum;
                order[c] = c;
            }
            Arrays.sort(order, (a, b) -> Double.compare(p[b], p[a]));
            double[] q = new double[K];
            double kept = 0;
            for (int s = 0; s < m; s++) {
                q[order[s]] = p[order[s]];
                kept += p[order[s]];
            }
            for (int s = m; s < K; s++) {
                q[order[s]] = (1 - kept) / (K - m);
            }
            double[] t = new double[K];
            double qt = 0;
            for (int c = 0; c < K; c++) {
                for (int j = 0; j < D; j++) {
                    t[c] += v[c * dd + j] * pr.x[i * D + j];
                }
                t[c] += v[c * dd + D];
                qt += q[c] * t[c];
            }
            for (int c = 0; c < K; c++) {
                double g = beta[i] * q[c] * (t[c] - qt);
                for (int j = 0; j < D; j++) {
                    out[c * dd + j] += g * pr.x[i * D + j];
                }
                out[c * dd + D] += g;
            }
        }
        return out;
    }

    private static double[] normalised(double[] w) {
        double total = 0;
        for (double v : w) {
            total += v;
        }
        double[] beta = new double[w.length];
        for (int i = 0; i < w.length; i++) {
            beta[i] = w[i] / total;
        }
        return beta;
    }

    private static double maxAbs(double[] a) {
        double s = 0;
        for (double v : a) {
            s = Math.max(s, Math.abs(v));
        }
        return s;
    }

    @Test
    void productMatchesTheTruncatedCovarianceOnEveryRow() {
        for (boolean single : new boolean[] {false, true}) {
            for (int m : new int[] {1, 3, K - 1}) {
                RandomProblem pr = RandomProblem.random(21, N, D, K, 2.0);
                double[] w = weights();
                FullData data = data(pr, w, single, Parallel.SERIAL);
                data.evaluate(pr.wt, 1e-3, new double[K * (D + 1)]);
                CompetitorCurvature g = new CompetitorCurvature(data, m);
                g.prepare();
                double[] v = RandomProblem.random(22, 1, D, K, 1.0).wt;
                double[] out = new double[v.length];
                g.product(v, out);
                double[] ref = reference(pr, normalised(w), m, v);
                assertArrayEquals(ref, out, 1e-12 * maxAbs(ref), "m=" + m + " float=" + single);
            }
        }
    }

    @Test
    void keepingEveryClassIsTheFullGgnProduct() {
        RandomProblem pr = RandomProblem.random(31, N, D, K, 1.5);
        FullData data = data(pr, null, false, Parallel.SERIAL);
        data.evaluate(pr.wt, 0.0, new double[K * (D + 1)]);
        CompetitorCurvature g = new CompetitorCurvature(data, K);
        g.prepare();
        double[] v = RandomProblem.random(32, 1, D, K, 1.0).wt;
        double[] out = new double[v.length];
        g.product(v, out);
        HeadBatch batch = new HeadBatch(N, D, K, 1e-12, Parallel.SERIAL);
        batch.setBatch(pr.x, pr.y, null, N);
        batch.evaluate(pr.wt);
        double[] ref = new double[v.length];
        batch.ggnProduct(v, ref);
        assertArrayEquals(ref, out, 1e-12 * maxAbs(ref));
    }

    @Test
    void classWeightsAreTheTruncatedVariancesAndTheOperatorIsPositive() {
        RandomProblem pr = RandomProblem.random(41, N, D, K, 2.5);
        FullData data = data(pr, weights(), false, Parallel.SERIAL);
        data.evaluate(pr.wt, 0.0, new double[K * (D + 1)]);
        CompetitorCurvature g = new CompetitorCurvature(data, 4);
        g.prepare();
        // delta_c is the trace of class c's block divided by the feature moment: check through e_c x 1 (bias)
        int dd = D + 1;
        for (int c = 0; c < K; c++) {
            double[] v = new double[K * dd];
            v[c * dd + D] = 1.0;
            double[] out = new double[v.length];
            g.product(v, out);
            assertEquals(out[c * dd + D], g.classCurvatureWeights()[c], 1e-13, "class " + c);
        }
        Random rnd = new Random(42);
        for (int trial = 0; trial < 5; trial++) {
            double[] v = new double[K * dd];
            for (int t = 0; t < v.length; t++) {
                v[t] = rnd.nextGaussian();
            }
            double[] out = new double[v.length];
            g.product(v, out);
            double quad = 0;
            for (int t = 0; t < v.length; t++) {
                quad += v[t] * out[t];
            }
            assertTrue(quad >= -1e-12, "v^T G v = " + quad);
        }
    }

    @Test
    void resultsDoNotDependOnTheThreadCount() {
        threadCountChangesNothing(N);
    }

    @Test
    void resultsDoNotDependOnTheThreadCountWhenBlocksOutnumberThreads() {
        // four blocks: the block moments are taken a group of threads at a time
        threadCountChangesNothing(3 * FullData.BLOCK_ROWS + 77);
    }

    private static void threadCountChangesNothing(int n) {
        RandomProblem pr = RandomProblem.random(51, n, D, K, 2.0);
        double[] v = RandomProblem.random(52, 1, D, K, 1.0).wt;
        double[][] outs = new double[3][];
        Parallel[] pars = {Parallel.SERIAL, Parallel.withThreads(2), Parallel.withThreads(3)};
        for (int r = 0; r < pars.length; r++) {
            FullData data = data(pr, weights(), true, pars[r]);
            data.evaluate(pr.wt, 0.0, new double[K * (D + 1)]);
            CompetitorCurvature g = new CompetitorCurvature(data, 3);
            g.prepare();
            outs[r] = new double[v.length];
            g.product(v, outs[r]);
        }
        pars[1].close();
        pars[2].close();
        assertArrayEquals(outs[0], outs[1], 0.0);
        assertArrayEquals(outs[0], outs[2], 0.0);
    }

    /**
     * Float rows read where they lie (the second pass adding each chunk's rows class by class) give the bits of
     * double rows holding the same values (widened and added row by row): several blocks and chunks, weighted,
     * features longer than four vector lengths with a tail, on the selected kernels and at two thread counts.
     */
    @Test
    void floatRowsInPlaceGiveTheBitsOfTheRowByRowPass() {
        int n = FullData.BLOCK_ROWS + 1013;
        int d = 70;
        int k = 40;
        RandomProblem pr = RandomProblem.random(71, n, d, k, 2.0);
        float[] f = new float[pr.x.length];
        double[] widened = new double[pr.x.length];
        for (int t = 0; t < f.length; t++) {
            f[t] = (float) pr.x[t];
            widened[t] = f[t];
        }
        Random rnd = new Random(72);
        double[] w = new double[n];
        for (int i = 0; i < n; i++) {
            w[i] = i % 7 == 0 ? 0.0 : 0.5 + rnd.nextDouble();
        }
        double[] v = RandomProblem.random(73, 1, d, k, 1.0).wt;
        for (int threads : new int[] {1, 2}) {
            Parallel par = threads == 1 ? Parallel.SERIAL : Parallel.withThreads(threads);
            double[][] outs = new double[2][];
            for (int r = 0; r < 2; r++) {
                FullData data = r == 0 ? new FullData(f, pr.y, w, n, d, k, par)
                        : new FullData(widened, pr.y, w, n, d, k, par);
                data.evaluate(pr.wt, 0.0, new double[k * (d + 1)]);
                CompetitorCurvature g = new CompetitorCurvature(data, 6);
                g.prepare();
                outs[r] = new double[v.length];
                g.product(v, outs[r]);
            }
            assertArrayEquals(outs[1], outs[0], 0.0, threads + " threads");
            par.close();
        }
    }

    @Test
    void refusesAKeptCountOutsideOneToK() {
        RandomProblem pr = RandomProblem.random(61, 10, D, K, 1.0);
        FullData data = new FullData(pr.x, pr.y, null, 10, D, K, Parallel.SERIAL);
        assertThrows(IllegalArgumentException.class, () -> new CompetitorCurvature(data, 0));
        assertThrows(IllegalArgumentException.class, () -> new CompetitorCurvature(data, K + 1));
    }
}
