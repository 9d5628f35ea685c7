package io.github.fastgn.data;

import io.github.fastgn.SoftmaxHeadTrainer;
import io.github.fastgn.SoftmaxModel;
import io.github.fastgn.optim.FgnOptions;
import io.github.fastgn.testing.Check;
import io.github.fastgn.testing.QuietTestBase;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The exact fold of a standardisation into a linear head, and its inverse. */
class StandardizerTest extends QuietTestBase {

    private static final int N = 150;
    private static final int D = 5;
    private static final int K = 3;

    /** Columns with very different means and scales, plus a constant column. */
    private static double[] rawFeatures(Random rnd) {
        double[] x = new double[N * D];
        for (int i = 0; i < N; i++) {
            x[i * D] = 1000 + 50 * rnd.nextGaussian();
            x[i * D + 1] = 1e-3 * rnd.nextGaussian();
            x[i * D + 2] = 7.0; // constant: scale 1, centred to 0
            x[i * D + 3] = -20 + 3 * rnd.nextGaussian();
            x[i * D + 4] = rnd.nextDouble();
        }
        return x;
    }

    @Test
    void statisticsAndTransformAreTheTextbookOnes() {
        double[] x = rawFeatures(new Random(61));
        Standardizer st = Standardizer.fit(x, N, D);
        double[] z = st.transform(x, N);
        for (int j = 0; j < D; j++) {
            double mean = 0;
            for (int i = 0; i < N; i++) {
                mean += x[i * D + j];
            }
            mean /= N;
            double var = 0;
            double zMean = 0;
            double zVar = 0;
            for (int i = 0; i < N; i++) {
                var += (x[i * D + j] - mean) * (x[i * D + j] - mean);
                zMean += z[i * D + j];
            }
            zMean /= N;
            for (int i = 0; i < N; i++) {
                zVar += (z[i * D + j] - zMean) * (z[i * D + j] - zMean);
            }
            assertEquals(mean, st.mean()[j], 1e-12 * Math.max(1, Math.abs(mean)));
            assertEquals(0.0, zMean, 1e-12, "standardised mean of column " + j);
            if (j == 2) {
                assertEquals(1.0, st.scale()[j], 0.0, "a constant column keeps scale 1");
                assertEquals(0.0, zVar, 0.0);
            } else {
                assertEquals(Math.sqrt(var / N), st.scale()[j], 1e-12 * Math.sqrt(var / N));
                assertEquals(1.0, zVar / N, 1e-12, "standardised variance of column " + j);
            }
        }
        Standardizer id = Standardizer.identity(D);
        assertEquals(0, Check.maxAbsDiff(x, id.transform(x, N), x.length), 0.0);
    }

    @Test
    void hugeColumnsStandardiseLikeUnscaledOnes() {
        double[] x = rawFeatures(new Random(63));
        double[] weights = new double[N];
        for (int i = 0; i < N; i++) {
            weights[i] = 0.5 + (i % 3);
        }
        for (double factor : new double[] {1e200, 1e300, -1e300}) {
            double[] big = new double[x.length];
            for (int t = 0; t < x.length; t++) {
                big[t] = x[t] * factor;
            }
            for (double[] w : new double[][] {null, weights}) {
                Standardizer st = Standardizer.fit(x, N, D, w);
                Standardizer sb = Standardizer.fit(big, N, D, w);
                double[] z = st.transform(x, N);
                double[] zb = sb.transform(big, N);
                for (int j = 0; j < D; j++) {
                    if (j == 2) {
                        assertEquals(1.0, sb.scale()[j], 0.0, "a constant column keeps scale 1");
                        continue;
                    }
                    assertEquals(st.scale()[j] * Math.abs(factor), sb.scale()[j], 1e-12 * sb.scale()[j], "scale");
                    for (int i = 0; i < N; i++) {
                        double expected = Math.signum(factor) * z[i * D + j];
                        assertEquals(expected, zb[i * D + j], 1e-12 * Math.max(1, Math.abs(expected)),
                                "column " + j + " row " + i + " factor " + factor);
                    }
                }
                for (int t = 0; t < N * D; t++) {
                    assertTrue(Double.isFinite(zb[t]), "finite standardised values");
                }
                assertEquals(0.0, zb[2], 1e-12 * Math.abs(7 * factor), "the constant column is centred");
            }
        }
        // the largest features that still have a representable difference
        double[] edge = {Double.MAX_VALUE / 2, -Double.MAX_VALUE / 2, Double.MAX_VALUE / 2, -Double.MAX_VALUE / 2};
        Standardizer se = Standardizer.fit(edge, 4, 1);
        assertEquals(0.0, se.mean()[0], 0.0);
        assertEquals(Double.MAX_VALUE / 2, se.scale()[0], 0.0);
        Check.close(new double[] {1, -1, 1, -1}, se.transform(edge, 4), 0.0, "edge");
    }

    @Test
    void foldedHeadGivesTheSameLogitsOnRawFeatures() {
        Random rnd = new Random(62);
        double[] x = rawFeatures(rnd);
        int[] y = new int[N];
        double[][] teacher = {{1, -1, 0.5}, {-0.5, 1, 1}, {0, 0, -1}};
        for (int i = 0; i < N; i++) {
            // labels of a linear teacher on the rescaled features, so the trained head is not trivial
            double[] f = {(x[i * D] - 1000) / 50, (x[i * D + 3] + 20) / 3, 3 * (x[i * D + 4] - 0.5)};
            int best = 0;
            double bestScore = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < K; c++) {
                double score = teacher[c][0] * f[0] + teacher[c][1] * f[1] + teacher[c][2] * f[2];
                if (score > bestScore) {
                    bestScore = score;
                    best = c;
                }
            }
            y[i] = best;
        }
        LabelledData data = new LabelledData(x, y, null, N, D, K);
        SoftmaxHeadTrainer.Fit fit = new SoftmaxHeadTrainer(FgnOptions.builder().l2(1e-3).threads(1).build()).fit(data);
        Standardizer st = fit.standardizer();
        double[] trained = fit.training().weights();
        assertTrue(Check.norm(trained) > 1, "the trained head should be non-trivial");
        // logits of the trained head on standardised features ...
        double[] z = new SoftmaxModel(trained, D, K).logits(st.transform(x, N), N);
        // ... equal the returned model's logits on raw features
        double[] zRaw = fit.model().logits(x, N);
        Check.close(z, zRaw, 1e-10, "folded logits");
        double[] folded = st.foldIntoWeights(trained, K);
        Check.close(folded, fit.model().weights(), 0.0, "the returned model is the fold");
        Check.close(trained, st.unfoldFromWeights(folded, K), 1e-12, "unfold inverts fold");
        // and the other way round, on arbitrary raw-space parameters
        double[] w = new double[K * (D + 1)];
        for (int t = 0; t < w.length; t++) {
            w[t] = rnd.nextGaussian();
        }
        Check.close(w, st.foldIntoWeights(st.unfoldFromWeights(w, K), K), 1e-12, "fold inverts unfold");
        Check.close(new SoftmaxModel(w, D, K).logits(x, N),
                new SoftmaxModel(st.unfoldFromWeights(w, K), D, K).logits(st.transform(x, N), N), 1e-10,
                "unfolded logits on standardised features");
        // the training objective refers to the standardised problem: check it there
        Check.close(fit.training().objective(),
                new SoftmaxModel(trained, D, K).objective(st.transform(x, N), y, N, 1e-3), 1e-12,
                "reported objective is the standardised one");
        assertTrue(fit.model().accuracy(x, y, N) > 0.9, "accuracy " + fit.model().accuracy(x, y, N));
    }
}
