package io.github.fastgn.data;

import io.github.fastgn.SoftmaxModel;

import io.github.fastgn.testing.Properties;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Seeded properties ({@link Properties}) of {@link Standardizer} at extreme scales: columns whose magnitudes range from
 * {@code 1e-300} to {@code 1e300} (offset from zero or not, weighted or not) standardise to finite
 * values with weighted mean 0 and standard deviation 1; folding a head trained on the standardised
 * features into raw-feature weights gives the same logits; and unfolding undoes folding. Fixed seeds.
 */
class StandardizerPropertiesTest {

    @Test
    void roundTripAtExtremeScales() {
        Properties.forAll(5150L, 200, draw -> roundTripAtExtremeScales(
                draw.intIn("n", 2, 9),
                draw.intIn("d", 1, 4),
                draw.intIn("k", 2, 4),
                draw.intIn("exponent", -300, 300),
                draw.intIn("spread", -2, 2),
                draw.bool("offset"),
                draw.bool("weighted"),
                draw.seed("seed")));
    }

    private static void roundTripAtExtremeScales(int n, int d, int k, int exponent, int spread, boolean offset,
            boolean weighted, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        double[] x = new double[n * d];
        double[] colScale = new double[d];
        for (int j = 0; j < d; j++) {
            // every column at its own scale, within a few decades of 10^exponent and inside the double range
            int e = Math.max(-300, Math.min(300, exponent + spread * j));
            colScale[j] = Math.pow(10, e);
            double centre = offset ? 3 * colScale[j] : 0;
            for (int i = 0; i < n; i++) {
                x[i * d + j] = centre + colScale[j] * (2 * rnd.nextDouble() - 1);
            }
        }
        double[] weights = null;
        if (weighted) {
            weights = new double[n];
            for (int i = 0; i < n; i++) {
                weights[i] = 0.25 + rnd.nextDouble();
            }
        }
        Standardizer st = Standardizer.fit(x, n, d, weights);
        double[] z = st.transform(x, n);
        for (int j = 0; j < d; j++) {
            double total = 0;
            double mean = 0;
            for (int i = 0; i < n; i++) {
                double c = weights == null ? 1 : weights[i];
                assertTrue(Double.isFinite(z[i * d + j]), "standardised value " + z[i * d + j]);
                total += c;
                mean += c * z[i * d + j];
            }
            mean /= total;
            double var = 0;
            for (int i = 0; i < n; i++) {
                double c = weights == null ? 1 : weights[i];
                var += c * (z[i * d + j] - mean) * (z[i * d + j] - mean);
            }
            assertEquals(0.0, mean, 1e-9, "weighted mean of column " + j);
            double sd = Math.sqrt(var / total);
            // a column whose spread is below 1e-12 of its mean counts as constant and keeps scale 1
            if (st.scale()[j] != 1.0) {
                assertEquals(1.0, sd, 1e-9, "weighted standard deviation of column " + j);
            }
        }
        // a head on the standardised features, folded back, gives the same logits on the raw features
        int p = k * (d + 1);
        double[] w = new double[p];
        for (int t = 0; t < p; t++) {
            w[t] = 2 * rnd.nextDouble() - 1;
        }
        double[] folded = st.foldIntoWeights(w, k);
        double[] onStandardised = new SoftmaxModel(w, d, k).logits(z, n);
        double[] onRaw = new SoftmaxModel(folded, d, k).logits(x, n);
        double[] mean = st.mean();
        double[] scale = st.scale();
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < k; c++) {
                // the fold moves the centring into the bias: the rounding scales with |W_cj| (|x_ij| + |mean_j|) / scale_j
                double magnitude = Math.abs(w[c * (d + 1) + d]);
                for (int j = 0; j < d; j++) {
                    magnitude += Math.abs(w[c * (d + 1) + j]) * (Math.abs(x[i * d + j]) + Math.abs(mean[j])) / scale[j];
                }
                assertEquals(onStandardised[i * k + c], onRaw[i * k + c], 1e-12 * (1 + magnitude),
                        "logit " + c + " of row " + i);
            }
        }
        double[] back = st.unfoldFromWeights(folded, k);
        for (int t = 0; t < p; t++) {
            int j = t % (d + 1);
            double magnitude = Math.abs(w[t]);
            if (j == d) {
                int c = t / (d + 1);
                for (int jj = 0; jj < d; jj++) {
                    magnitude += Math.abs(w[c * (d + 1) + jj]) * Math.abs(mean[jj]) / scale[jj];
                }
            }
            assertEquals(w[t], back[t], 1e-12 * (1 + magnitude), "unfold(fold(w))[" + t + "]");
        }
    }
}
