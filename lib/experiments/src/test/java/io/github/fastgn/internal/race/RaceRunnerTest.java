package io.github.fastgn.internal.race;

import io.github.fastgn.data.LabelledData;
import io.github.fastgn.optim.FgnOptimizer;
import io.github.fastgn.optim.FgnOptions;
import io.github.fastgn.optim.StopReason;
import io.github.fastgn.optim.TrainingResult;
import io.github.fastgn.testing.QuietTestBase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A race on a small generated set written in the bench format, to the optimum of a long run. */
class RaceRunnerTest extends QuietTestBase {

    @TempDir
    Path dir;

    /** Gaussian prototypes, as make_data.py's syn set, small. */
    private static RaceData prototypes(long seed, int ntrain, int ntest, int d, int k, double sigma) {
        Random rnd = new Random(seed);
        float[][] mu = new float[k][d];
        for (float[] m : mu) {
            for (int j = 0; j < d; j++) {
                m[j] = (float) rnd.nextGaussian();
            }
        }
        float[] xtr = new float[ntrain * d];
        int[] ytr = new int[ntrain];
        float[] xte = new float[ntest * d];
        int[] yte = new int[ntest];
        draw(rnd, mu, sigma, xtr, ytr);
        draw(rnd, mu, sigma, xte, yte);
        return new RaceData("small", d, k, xtr, ytr, xte, yte);
    }

    private static void draw(Random rnd, float[][] mu, double sigma, float[] x, int[] y) {
        int d = mu[0].length;
        for (int i = 0; i < y.length; i++) {
            y[i] = rnd.nextInt(mu.length);
            for (int j = 0; j < d; j++) {
                x[i * d + j] = (float) (mu[y[i]][j] + sigma * rnd.nextGaussian());
            }
        }
    }

    @Test
    void reachesTheTargetOfALongRunAndPrintsAParsableLine() throws IOException {
        prototypes(7, 800, 300, 12, 5, 1.5).write(dir);
        RaceData data = RaceData.read(dir, "small");
        float[] x = data.trainFeatures();
        FgnOptions longRun = FgnOptions.builder().l2(RaceConfig.L2).standardize(false).solver("newton")
                .tolerance(1e-11).maxIterations(200).guard(false).build();
        TrainingResult reference = new FgnOptimizer(longRun).optimize(LabelledData.ofFloat(x, data.trainLabels(),
                null, data.trainSize(), data.featureCount(), data.classCount()));
        double fstar = reference.objective();
        RaceData.writeFstar(dir, "small", fstar);

        RaceRunner runner = new RaceRunner(data, RaceData.readFstar(dir, "small"));
        int[] started = new int[1];
        runner.addListener(new io.github.fastgn.optim.TrainingListener() {
            @Override
            public void trainingStarted(String solver, int maxIterations) {
                started[0]++;
            }
        });
        RaceRunner.Outcome outcome = runner.race(3);
        assertEquals(4, started[0], "1 warm-up + 3 timed runs");
        assertEquals(3, outcome.timed().size());
        RaceRunner.Run median = outcome.median();
        assertEquals(StopReason.TARGET_REACHED, median.stopReason());
        assertTrue(median.reachedTarget());
        assertTrue(median.objective() <= RaceConfig.target(fstar), "objective " + median.objective());
        assertTrue(median.relativeGap() >= -1e-9 && median.relativeGap() <= RaceConfig.REL_TOL,
                "gap " + median.relativeGap());
        long faster = outcome.timed().stream().filter(r -> r.seconds() < median.seconds()).count();
        long slower = outcome.timed().stream().filter(r -> r.seconds() > median.seconds()).count();
        assertTrue(faster <= 1 && slower <= 1, "the median run is the middle one");

        String[] fields = outcome.resultLine().split("\t");
        assertEquals("RESULT", fields[0]);
        Map<String, String> f = new HashMap<>();
        for (int i = 1; i < fields.length; i++) {
            int eq = fields[i].indexOf('=');
            assertTrue(eq > 0, "field " + fields[i]);
            f.put(fields[i].substring(0, eq), fields[i].substring(eq + 1));
        }
        assertEquals("fastgn-newton", f.get("peer"));
        assertEquals("small", f.get("data"));
        assertTrue(f.get("setting").contains("curvatureSample=8192"), f.get("setting"));
        assertEquals(median.seconds(), Double.parseDouble(f.get("seconds")), 1e-3);
        assertEquals(median.iterations(), Integer.parseInt(f.get("iters")));
        assertEquals(median.objective(), Double.parseDouble(f.get("obj")), 1e-10);
        assertEquals(median.relativeGap(), Double.parseDouble(f.get("relgap")), 1e-3 * Math.abs(median.relativeGap()));
        double acc = Double.parseDouble(f.get("test_acc"));
        assertEquals(median.testAccuracy(), acc, 1e-4);
        assertTrue(acc > 0.8, "separated prototypes: accuracy " + acc);
        assertTrue(Double.parseDouble(f.get("peak_mb")) != 0, f.get("peak_mb"));
        assertTrue(f.get("note").startsWith("stop=TARGET_REACHED"), f.get("note"));
    }

    @Test
    void accuracyIsTheArgmaxOfTheLogits() {
        // K=2, d=1: class 1 when 2x - 1 > 0 (W = [0 | 0 ; 2 | -1]); ties go to class 0
        double[] w = {0, 0, 2, -1};
        float[] x = {0f, 1f, 0.5f, 0.75f};
        int[] y = {0, 1, 0, 0};
        assertEquals(0.75, RaceRunner.accuracy(w, x, y, 4, 1, 2), 0.0);
    }
}
