package io.github.fastgn.tribuo;

import io.github.fastgn.SoftmaxHeadTrainer;
import io.github.fastgn.data.CsrFeatures;
import io.github.fastgn.data.LabelledData;
import io.github.fastgn.optim.FgnOptions;
import io.github.fastgn.optim.IterationRecord;
import io.github.fastgn.optim.TrainingListener;
import io.github.fastgn.testing.QuietTestBase;
import io.github.fastgn.testing.RandomProblem;
import io.github.fastgn.testing.SparseProblem;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tribuo.ImmutableOutputInfo;
import org.tribuo.MutableDataset;
import org.tribuo.classification.Label;
import org.tribuo.classification.sgd.linear.LinearSGDModel;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * At the defaults (only {@code l2} set) a fresh {@link FGNTrainer} runs exactly what the plain-array
 * {@link SoftmaxHeadTrainer} runs on the same rows and options: the same objective at every
 * iteration and the same model bit for bit, with the classes in the order of Tribuo's label ids.
 * The problems have more rows than the default curvature sample takes ({@link FgnOptions#AUTO_SAMPLE_ABOVE}),
 * so each step's curvature comes from a seeded sample of rows and the two runs agree only if they
 * sample the same rows; the class names are chosen so that Tribuo's label ids are not the array's
 * class indices, so the array problem is given the classes in Tribuo's order.
 */
class FGNTrainerArrayParityTest extends QuietTestBase {

    /** More rows than the default curvature sample reads: the curvature is sampled (with the seed). */
    private static final int N = FgnOptions.AUTO_SAMPLE_ABOVE + 3_000;
    private static final int K = 4;
    /** Not in Tribuo's id order (checked): the class permutation is exercised. */
    private static final String[] CLASSES = {"zebra", "ant", "moth", "bee"};
    private static final FgnOptions DEFAULTS = FgnOptions.builder().l2(1e-3).build();

    @BeforeAll
    static void quiet() {
        TestSupport.quietLogging();
    }

    /** The objective after each iteration. */
    private static final class Trajectory implements TrainingListener {
        final List<Double> objectives = new ArrayList<>();

        @Override
        public void iterationFinished(IterationRecord record) {
            objectives.add(record.objective());
        }
    }

    @Test
    void denseFloatRowsTrainAsTheArrayApi() {
        RandomProblem p = RandomProblem.mixture(3L, N, 12, K);
        float[] xf = new float[p.x.length];
        for (int t = 0; t < xf.length; t++) {
            xf[t] = (float) p.x[t];
        }
        double[] exact = new double[xf.length];
        for (int t = 0; t < xf.length; t++) {
            exact[t] = xf[t];
        }
        // float-exact values (pixels, float32 embeddings): Tribuo's doubles are read as float rows
        MutableDataset<Label> ds = TribuoData.toDataset(new LabelledData(exact, p.y, null, N, p.d, K), CLASSES,
                "float-exact mixture");
        int[] y = tribuoClasses(ds, p.y);
        assertSameRun(ds, LabelledData.ofFloat(xf, y, null, N, p.d, K), "dense");
    }

    @Test
    void denseDoubleRowsTrainAsTheArrayApi() {
        RandomProblem p = RandomProblem.mixture(4L, N, 10, K);
        MutableDataset<Label> ds = TribuoData.toDataset(new LabelledData(p.x, p.y, null, N, p.d, K), CLASSES,
                "mixture");
        assertSameRun(ds, new LabelledData(p.x, tribuoClasses(ds, p.y), null, N, p.d, K), "dense");
    }

    @Test
    void sparseRowsTrainAsTheArrayApi() {
        LabelledData all = SparseProblem.random(5L, N + N / 8, 60, K, 0.04, true, false).sparse();
        // Tribuo cannot hold an example without features: keep the rows that store a value
        int[] ptr = all.sparseFeatures().rowStart();
        int[] kept = java.util.stream.IntStream.range(0, all.size()).filter(i -> ptr[i + 1] > ptr[i]).toArray();
        LabelledData rows = all.subset(kept);
        assertTrue(rows.size() > FgnOptions.AUTO_SAMPLE_ABOVE, "a sampled curvature needs more rows: " + rows.size());
        MutableDataset<Label> ds = TribuoData.toDataset(rows, CLASSES, "sparse rows");
        CsrFeatures x = rows.sparseFeatures();
        assertEquals(x.columns(), ds.getFeatureIDMap().size(), "every column is stored somewhere");
        assertSameRun(ds, LabelledData.sparse(x, tribuoClasses(ds, rows.labels()), null, K), "sparse");
    }

    /** Each label's Tribuo id in place of its class index; asserts the ids are not the indices. */
    private static int[] tribuoClasses(MutableDataset<Label> ds, int[] y) {
        ImmutableOutputInfo<Label> info = ds.getOutputIDInfo();
        int[] id = new int[K];
        boolean permuted = false;
        for (int c = 0; c < K; c++) {
            id[c] = info.getID(new Label(CLASSES[c]));
            permuted |= id[c] != c;
        }
        assertTrue(permuted, "the class names should give Tribuo ids other than the class indices");
        int[] out = new int[y.length];
        for (int i = 0; i < y.length; i++) {
            out[i] = id[y[i]];
        }
        return out;
    }

    private static void assertSameRun(MutableDataset<Label> ds, LabelledData arrays, String storage) {
        Trajectory viaTribuo = new Trajectory();
        FGNTrainer trainer = new FGNTrainer(DEFAULTS);
        trainer.addListener(viaTribuo);
        LinearSGDModel model = trainer.train(ds);
        assertEquals(storage, model.getProvenance().getInstanceProvenance().getMap().get(FGNTrainer.FEATURE_STORAGE)
                .toString(), "feature storage");

        Trajectory viaArrays = new Trajectory();
        SoftmaxHeadTrainer core = new SoftmaxHeadTrainer(DEFAULTS);
        core.addListener(viaArrays);
        double[] expected = core.fit(arrays).model().weights();

        assertTrue(viaArrays.objectives.size() >= 3, "a run of several steps: " + viaArrays.objectives);
        assertEquals(viaArrays.objectives, viaTribuo.objectives, "objective after each iteration");
        // Tribuo's feature ids are the columns (names zero-padded), its label ids the array's classes
        assertArrayEquals(expected, TestSupport.weights(model), "the model, bit for bit");

        // a second call draws another seed (Tribuo's convention): another curvature sample, another path
        Trajectory second = new Trajectory();
        trainer.addListener(second);
        trainer.train(ds);
        assertNotEquals(viaArrays.objectives, second.objectives, "invocation 1 samples other rows");
    }
}
