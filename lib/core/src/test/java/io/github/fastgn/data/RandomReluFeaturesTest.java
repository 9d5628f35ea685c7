package io.github.fastgn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.fastgn.internal.linalg.Parallel;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class RandomReluFeaturesTest {

    private static double[] data(int n, int d, long seed) {
        SeededNormal rng = new SeededNormal(seed);
        double[] x = new double[n * d];
        for (int i = 0; i < x.length; i++) {
            x[i] = 0.5 + 0.2 * rng.next(); // not centred, like pixels
        }
        return x;
    }

    @Test
    void shapeAndNonNegativity() {
        LabelledData train = new LabelledData(data(40, 12, 1), new int[40], null, 40, 12, 2);
        RandomReluFeatures map = RandomReluFeatures.fit(train, 7);
        assertEquals(RandomReluFeatures.DEFAULT_DIM, map.outputDim());
        assertEquals(RandomReluFeatures.DEFAULT_SCALE, map.scale());
        LabelledData f = map.transform(train);
        assertEquals(40, f.size());
        assertEquals(1024, f.featureCount());
        assertEquals(2, f.classCount());
        assertTrue(Arrays.stream(f.features()).allMatch(v -> v >= 0 && Double.doubleToRawLongBits(v) != Long.MIN_VALUE));
        long positive = Arrays.stream(f.features()).filter(v -> v > 0).count();
        double active = positive / (double) f.features().length;
        assertTrue(active > 0.3 && active < 0.7, "fraction of active units " + active); // about a half
    }

    @Test
    void matchesTheFormula() {
        int n = 6;
        int d = 5;
        int out = 9;
        double[] x = data(n, d, 2);
        RandomReluFeatures map = RandomReluFeatures.fit(x, n, d, out, 4.0, 11);
        double[] mean = new double[d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                mean[j] += x[i * d + j] / n;
            }
        }
        assertArrayEquals(mean, map.mean(), 1e-15);
        double[] g = map.weights();
        double[] b = map.offsets();
        double[] f = map.transform(x, n);
        for (int i = 0; i < n; i++) {
            for (int o = 0; o < out; o++) {
                double s = b[o];
                for (int j = 0; j < d; j++) {
                    s += (x[i * d + j] - mean[j]) * g[j * out + o];
                }
                assertEquals(Math.max(s, 0.0), f[i * out + o], 1e-12);
            }
        }
    }

    @Test
    void deterministicForASeedAndDifferentForAnother() {
        double[] x = data(30, 8, 3);
        double[] a = RandomReluFeatures.fit(x, 30, 8, 64, 4.0, 42).transform(x, 30);
        double[] b = RandomReluFeatures.fit(x, 30, 8, 64, 4.0, 42).transform(x, 30);
        double[] c = RandomReluFeatures.fit(x, 30, 8, 64, 4.0, 43).transform(x, 30);
        assertArrayEquals(a, b, 0.0);
        assertFalse(Arrays.equals(a, c));
    }

    @Test
    void resultDoesNotDependOnThreads() {
        double[] x = data(300, 20, 4);
        RandomReluFeatures map = RandomReluFeatures.fit(x, 300, 20, 50, 2.0, 5);
        Parallel four = Parallel.withThreads(4);
        try {
            assertArrayEquals(map.transform(x, 300, Parallel.SERIAL), map.transform(x, 300, four), 0.0);
        } finally {
            four.close();
        }
    }

    @Test
    void randomParametersHaveTheRequestedDistribution() {
        int dIn = 100;
        int dOut = 2000;
        RandomReluFeatures map = RandomReluFeatures.withMean(new double[dIn], dOut, 4.0, 9);
        double[] g = map.weights();
        double mean = Arrays.stream(g).average().orElseThrow();
        double sd = Math.sqrt(Arrays.stream(g).map(v -> (v - mean) * (v - mean)).sum() / g.length);
        assertEquals(0.0, mean, 0.003); // 0.4 / sqrt(200 000) = 0.0009 standard error
        assertEquals(0.4, sd, 0.004); // scale / sqrt(dIn) = 4 / 10
        double[] b = map.offsets();
        assertTrue(Arrays.stream(b).allMatch(v -> v >= -0.5 && v < 0.5));
        assertEquals(0.0, Arrays.stream(b).average().orElseThrow(), 0.03);
        assertEquals(1.0 / 12, Arrays.stream(b).map(v -> v * v).average().orElseThrow(), 0.01);
    }

    @Test
    void invalidUseIsRejected() {
        double[] x = data(4, 3, 6);
        RandomReluFeatures map = RandomReluFeatures.fit(x, 4, 3, 8, 1.0, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> map.transform(new double[10], 2));
        assertTrue(e.getMessage().contains("fitted on 3 input features"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> RandomReluFeatures.fit(x, 4, 3, 0, 1.0, 1));
        assertThrows(IllegalArgumentException.class, () -> RandomReluFeatures.fit(x, 4, 3, 8, 0.0, 1));
        assertThrows(IllegalArgumentException.class, () -> RandomReluFeatures.fit(x, 5, 3, 8, 1.0, 1));
    }
}
