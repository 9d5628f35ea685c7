package io.github.fastgn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class FixedFeaturesTest {

    private static Splits.Split split() {
        Splits.Split s = Synthetic.gaussianPrototypeSplit(120, 30, 6, 3, 1.5, Synthetic.LabelDraw.BALANCED, 1);
        // shift and scale the columns so standardisation has work to do
        for (LabelledData part : new LabelledData[] {s.train(), s.test()}) {
            double[] x = part.features();
            for (int i = 0; i < x.length; i++) {
                x[i] = 10 + (1 + i % 6) * x[i];
            }
        }
        return s;
    }

    @Test
    void standardisedUsesTrainingStatistics() {
        Splits.Split raw = split();
        Splits.Split s = FixedFeatures.standardised(raw);
        int n = s.train().size();
        for (int j = 0; j < 6; j++) {
            double mean = 0;
            double sq = 0;
            for (int i = 0; i < n; i++) {
                mean += s.train().features()[i * 6 + j] / n;
            }
            for (int i = 0; i < n; i++) {
                double t = s.train().features()[i * 6 + j] - mean;
                sq += t * t / n;
            }
            assertEquals(0.0, mean, 1e-12);
            assertEquals(1.0, sq, 1e-12);
        }
        // the test part is mapped with the same mean and scale
        double[] a = raw.train().features();
        double[] z = s.train().features();
        double scale0 = (a[0] - a[6]) / (z[0] - z[6]);
        double mean0 = a[0] - scale0 * z[0];
        assertEquals((raw.test().features()[0] - mean0) / scale0, s.test().features()[0], 1e-9);
        assertArrayEquals(raw.test().labels(), s.test().labels());
    }

    @Test
    void pcaAndRandomReluKeepLabelsAndChangeWidth() {
        Splits.Split raw = split();
        Splits.Split p = FixedFeatures.pca(raw, 4, true);
        assertEquals(4, p.train().featureCount());
        assertEquals(4, p.test().featureCount());
        assertArrayEquals(raw.train().labels(), p.train().labels());
        Splits.Split r = FixedFeatures.randomRelu(raw, 32, 4.0, 9);
        assertEquals(32, r.test().featureCount());
        assertArrayEquals(RandomReluFeatures.fit(raw.train(), 32, 4.0, 9).transform(raw.test()).features(),
                r.test().features(), 0.0);
        assertEquals(RandomReluFeatures.DEFAULT_DIM, FixedFeatures.randomRelu(raw, 9).train().featureCount());
    }

    @Test
    void mismatchedPartsAreRejected() {
        Splits.Split bad = new Splits.Split(Synthetic.gaussianPrototypes(10, 3, 2, 1.0, 1),
                Synthetic.gaussianPrototypes(10, 4, 2, 1.0, 1));
        assertThrows(IllegalArgumentException.class, () -> FixedFeatures.standardised(bad));
    }
}
