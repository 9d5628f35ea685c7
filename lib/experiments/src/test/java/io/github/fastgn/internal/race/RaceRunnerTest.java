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

    /** FGNTrainer logs each training at INFO, as Tribuo trainers do; held here so the level stays set. */
    private static final java.util.logging.Logger TRIBUO_LOG =
            java.util.logging.Logger.getLogger(io.github.fastgn.tribuo.FGNTrainer.class.getName());

    @TempDir
    Path dir;

    @org.junit.jupiter.api.BeforeAll
    static void quietTribuoTrainer() {
        TRIBUO_LOG.setLevel(java.util.logging.Level.WARNING);
    }

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

        double read = RaceData.readFstar(dir, "small");
        for (RaceEntry entry : new RaceEntry[] {RaceEntry.ARRAYS, RaceEntry.TRIBUO}) {
            RaceRunner runner = new RaceRunner(data, read);
            int[] started = new int[1];
            runner.addListener(new io.github.fastgn.optim.TrainingListener() {
                @Override
                public void trainingStarted(String solver, int maxIterations) {
                    started[0]++;
                }
            });
            RaceRunner.Outcome outcome = runner.race(entry, 1, 3);
            assertEquals(4, started[0], entry + ": 1 warm-up + 3 timed runs");
            assertEquals(3, outcome.timed().size());
            assertEquals("warm", outcome.mode());
            checkOutcome(outcome, entry, fstar);

            RaceRunner.Outcome first = new RaceRunner(data, read).race(entry, 0, 1);
            assertEquals("first", first.mode());
            checkOutcome(first, entry, fstar);
        }
    }

    /** The median run reached the target, and the RESULT line carries its figures. */
    private static void checkOutcome(RaceRunner.Outcome outcome, RaceEntry entry, double fstar) {
        RaceRunner.Run median = outcome.median();
        assertEquals(StopReason.TARGET_REACHED, median.stopReason(), entry.peer());
        assertTrue(median.reachedTarget());
        assertTrue(median.objective() <= RaceConfig.target(fstar), "objective " + median.objective());
        assertTrue(median.relativeGap() >= -1e-9 && median.relativeGap() <= RaceConfig.REL_TOL,
                "gap " + median.relativeGap());
        // at least the start's logits and gradient and the final check, each a full pass
        assertTrue(median.dataPasses() >= 4 && median.dataPasses() < 1e4, "passes " + median.dataPasses());
        assertTrue(median.convertSeconds() >= 0 && median.convertSeconds() < median.seconds() + 60);
        long faster = outcome.timed().stream().filter(r -> r.seconds() < median.seconds()).count();
        long slower = outcome.timed().stream().filter(r -> r.seconds() > median.seconds()).count();
        assertTrue(faster <= outcome.timed().size() / 2 && slower <= outcome.timed().size() / 2,
                "the median run is the middle one");

        String[] fields = outcome.resultLine().split("\t");
        assertEquals("RESULT", fields[0]);
        Map<String, String> f = new HashMap<>();
        for (int i = 1; i < fields.length; i++) {
            int eq = fields[i].indexOf('=');
            assertTrue(eq > 0, "field " + fields[i]);
            f.put(fields[i].substring(0, eq), fields[i].substring(eq + 1));
        }
        assertEquals(entry.peer(), f.get("peer"));
        assertEquals("small", f.get("data"));
        assertEquals(outcome.mode(), f.get("mode"));
        assertEquals(RaceRunner.kernels(), f.get("kernels"));
        assertTrue(f.get("setting").startsWith("defaults,l2=1.0E-4,standardize=false,mode=full"), f.get("setting"));
        assertEquals(median.seconds(), Double.parseDouble(f.get("seconds")), 1e-3);
        assertEquals(median.convertSeconds(), Double.parseDouble(f.get("convert_s")), 1e-3);
        assertEquals(median.iterations(), Integer.parseInt(f.get("iters")));
        assertEquals(median.dataPasses(), Double.parseDouble(f.get("passes")), 0.005);
        assertEquals(median.objective(), Double.parseDouble(f.get("obj")), 1e-10);
        assertEquals(median.relativeGap(), Double.parseDouble(f.get("relgap")), 1e-3 * Math.abs(median.relativeGap()));
        double acc = Double.parseDouble(f.get("test_acc"));
        assertEquals(median.testAccuracy(), acc, 1e-4);
        assertTrue(acc > 0.8, "separated prototypes: accuracy " + acc);
        assertTrue(Double.parseDouble(f.get("peak_mb")) != 0, f.get("peak_mb"));
        assertTrue(f.get("note").startsWith("stop=TARGET_REACHED"), f.get("note"));
    }

    /** Both entry points minimise the same objective: the Tribuo trainer reaches the arrays' optimum. */
    @Test
    void bothEntryPointsReachTheSameOptimum() {
        RaceData data = prototypes(3, 600, 100, 7, 4, 1.5);
        FgnOptions tight = RaceConfig.options(1.0).toBuilder().targetObjective(Double.NEGATIVE_INFINITY)
                .tolerance(1e-10).maxIterations(300).build();
        RaceRunner runner = new RaceRunner(data, 1.0, tight);
        double arrays = runner.race(RaceEntry.ARRAYS, 0, 1).median().objective();
        double tribuo = runner.race(RaceEntry.TRIBUO, 0, 1).median().objective();
        assertEquals(arrays, tribuo, 1e-9 * arrays);
    }

    /** A small text-like set: sparse rows of counts with a topic signal, as CSR. */
    private static io.github.fastgn.data.CsrFeatures sparseRows(Random rnd, int n, int d, int k, int[] y) {
        int[] ptr = new int[n + 1];
        java.util.List<Integer> cols = new java.util.ArrayList<>();
        java.util.List<Double> vals = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            y[i] = rnd.nextInt(k);
            java.util.TreeMap<Integer, Double> row = new java.util.TreeMap<>();
            for (int t = 0; t < 6; t++) {
                // half the words from the topic's block of columns, half from anywhere
                int j = rnd.nextBoolean() ? y[i] * (d / k) + rnd.nextInt(d / k) : rnd.nextInt(d);
                row.merge(j, 1.0, Double::sum);
            }
            row.forEach((j, v) -> {
                cols.add(j);
                vals.add(v);
            });
            ptr[i + 1] = cols.size();
        }
        return io.github.fastgn.data.CsrFeatures.of(ptr, cols.stream().mapToInt(Integer::intValue).toArray(),
                vals.stream().mapToDouble(Double::doubleValue).toArray(), n, d);
    }

    /** Writes a sparse set as make_data.py writes the text set: svmlight files (one-based) and a header. */
    private RaceData sparseSet(long seed, int ntrain, int ntest, int d, int k) throws IOException {
        Random rnd = new Random(seed);
        int[] ytr = new int[ntrain];
        int[] yte = new int[ntest];
        io.github.fastgn.data.CsrFeatures xtr = sparseRows(rnd, ntrain, d, k, ytr);
        io.github.fastgn.data.CsrFeatures xte = sparseRows(rnd, ntest, d, k, yte);
        io.github.fastgn.data.Svmlight.write(dir.resolve("sparse_train.svm"), xtr,
                java.util.Arrays.stream(ytr).asDoubleStream().toArray(), false);
        io.github.fastgn.data.Svmlight.write(dir.resolve("sparse_test.svm"), xte,
                java.util.Arrays.stream(yte).asDoubleStream().toArray(), false);
        java.nio.file.Files.writeString(dir.resolve("sparse.json"), String.format(java.util.Locale.ROOT,
                "{\"format\": \"svmlight\", \"zero_based\": false, \"ntrain\": %d, \"ntest\": %d, \"d\": %d,"
                        + " \"K\": %d}", ntrain, ntest, d, k));
        double fstar = new FgnOptimizer(FgnOptions.builder().l2(RaceConfig.L2).standardize(false).solver("newton")
                .tolerance(1e-11).maxIterations(300).guard(false).build())
                .optimize(LabelledData.sparse(xtr, ytr, null, k)).objective();
        RaceData.writeFstar(dir, "sparse", fstar);
        return RaceData.read(dir, "sparse");
    }

    /**
     * An svmlight set races through both FastGN entries (Svmlight into CSR, LibSVMDataSource into Tribuo) to
     * the target of the sparse optimum, and the Tribuo logistic peer reports the race objective of its model.
     */
    @Test
    void svmlightSetRacesThroughEveryEntry() throws IOException {
        RaceData data = sparseSet(17, 500, 200, 300, 4);
        assertTrue(data.isSvmlight());
        assertEquals(300, data.featureCount());
        double fstar = RaceData.readFstar(dir, "sparse");
        for (RaceEntry entry : new RaceEntry[] {RaceEntry.ARRAYS, RaceEntry.TRIBUO}) {
            RaceRunner.Outcome o = new RaceRunner(data, fstar).race(entry, 0, 1);
            RaceRunner.Run run = o.median();
            assertTrue(run.reachedTarget(), entry + ": " + run);
            assertTrue(run.relativeGap() >= -1e-9 && run.relativeGap() <= RaceConfig.REL_TOL, entry + ": " + run);
            assertTrue(run.testAccuracy() > 0.7, entry + ": accuracy " + run.testAccuracy());
        }
        RaceRunner.Run peer = new RaceRunner(data, fstar).race(RaceEntry.TRIBUO_LOGISTIC, 0, 1).median();
        assertTrue(peer.objective() >= fstar * (1 - 1e-9), "no model beats the optimum: " + peer);
        assertEquals((peer.objective() - fstar) / fstar, peer.relativeGap(), 1e-12);
        assertEquals(RaceEntry.EPOCHS, peer.iterations());
    }

    /**
     * The race objective of a Tribuo model (its weights mapped onto the race columns by feature name) equals the
     * objective computed from the model's own predicted probabilities and weights.
     */
    @Test
    void raceObjectiveOfATribuoModelMatchesItsPredictions() throws IOException {
        RaceData data = sparseSet(23, 300, 10, 120, 3);
        org.tribuo.MutableDataset<org.tribuo.classification.Label> train = new org.tribuo.MutableDataset<>(
                new org.tribuo.datasource.LibSVMDataSource<>(data.trainFile(),
                        new org.tribuo.classification.LabelFactory()));
        org.tribuo.classification.sgd.linear.LinearSGDModel model =
                new org.tribuo.classification.sgd.linear.LogisticRegressionTrainer().train(train);
        double l2 = 0.3;
        double ce = 0;
        for (org.tribuo.Example<org.tribuo.classification.Label> ex : train) {
            var scores = model.predict(ex).getOutputScores();
            ce -= Math.log(scores.get(ex.getOutput().getLabel()).getScore());
        }
        var w = model.getWeightsCopy();
        double sq = 0;
        for (int c = 0; c < w.getDimension1Size(); c++) {
            for (int j = 0; j < w.getDimension2Size() - 1; j++) { // the last column is the bias
                sq += w.get(c, j) * w.get(c, j);
            }
        }
        double expected = ce / train.size() + 0.5 * l2 * sq;
        double got = RaceEntry.raceObjective(model, train, data.featureCount(), data.classCount(), l2);
        assertEquals(expected, got, 1e-9 * expected);
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
