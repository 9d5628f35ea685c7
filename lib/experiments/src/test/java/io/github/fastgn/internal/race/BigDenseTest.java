package io.github.fastgn.internal.race;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.fastgn.SoftmaxHeadTrainer;
import io.github.fastgn.SoftmaxObjective;
import io.github.fastgn.data.LabelledData;
import io.github.fastgn.data.MappedFloatFeatures;
import io.github.fastgn.testing.QuietTestBase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code bigdense} race on a small set of the same kind: the generator is seeded and
 * deterministic (written twice, the same bytes; kept when present), its labels follow the teacher
 * (all classes occur), and the race line reports a converged run at the optimum that training on
 * the same floats in the heap reaches, with a small gradient.
 */
class BigDenseTest extends QuietTestBase {

    @TempDir
    Path dir;

    @Test
    void smallSetIsDeterministicAndTheRaceLineReportsTheTrainedModel() throws Exception {
        int n = 6000;
        int d = 8;
        int k = 5;
        Path a = dir.resolve("a");
        Path b = dir.resolve("b");
        assertTrue(BigDense.generateIfMissing(a, n, d, k, BigDense.SEED));
        assertFalse(BigDense.generateIfMissing(a, n, d, k, BigDense.SEED), "a complete set is kept");
        BigDense.generate(b, n, d, k, BigDense.SEED);
        assertArrayEquals(Files.readAllBytes(BigDense.featuresFile(a)), Files.readAllBytes(BigDense.featuresFile(b)));
        assertArrayEquals(Files.readAllBytes(BigDense.labelsFile(a)), Files.readAllBytes(BigDense.labelsFile(b)));

        MappedFloatFeatures x = MappedFloatFeatures.open(BigDense.featuresFile(a));
        int[] y = BigDense.readLabels(BigDense.labelsFile(a), n, k);
        int[] counts = new int[k];
        for (int v : y) {
            counts[v]++;
        }
        for (int c = 0; c < k; c++) {
            assertTrue(counts[c] > n / (10 * k), "class " + c + " occurs " + counts[c] + " times");
        }

        String line = BigDense.race(a, k, 120, List.of());
        assertTrue(line.startsWith("RESULT\t"), line);
        Map<String, String> fields = new HashMap<>();
        for (String part : line.split("\t")) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                fields.put(part.substring(0, eq), part.substring(eq + 1));
            }
        }
        assertEquals("bigdense", fields.get("data"));
        assertEquals("true", fields.get("converged"), line);

        // the reference: the optimum trained on the same floats in the heap, evaluated independently
        float[] heapX = new float[n * d];
        x.readRows(0, n, heapX, 0);
        LabelledData heap = LabelledData.ofFloat(heapX, y, null, n, d, k);
        SoftmaxHeadTrainer.Fit fit = new SoftmaxHeadTrainer(BigDense.options(120)).fit(heap);
        SoftmaxObjective objective = new SoftmaxObjective(heap, RaceConfig.L2);
        double f = objective.evaluate(fit.model().weights(), null);
        assertEquals(f, Double.parseDouble(fields.get("obj")), 1e-6 * f, line);
        double[] g0 = new double[k * (d + 1)];
        objective.evaluate(new double[g0.length], g0);
        double norm0 = Math.sqrt(java.util.Arrays.stream(g0).map(v -> v * v).sum());
        assertTrue(Double.parseDouble(fields.get("grad_norm")) < 1e-3 * norm0, line);
    }
}
