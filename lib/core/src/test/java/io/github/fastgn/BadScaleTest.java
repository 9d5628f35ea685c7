package io.github.fastgn;

import io.github.fastgn.data.LabelledData;
import io.github.fastgn.data.Standardizer;
import io.github.fastgn.optim.FgnOptions;
import io.github.fastgn.optim.StopReason;
import io.github.fastgn.testing.LogCapture;
import io.github.fastgn.testing.QuietTestBase;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.logging.LogRecord;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Features and runs at the edges of the double range, where a model used to come back quietly
 * wrong or training was refused: columns of tiny values (counted as constant), columns of huge ones
 * on sparse rows (their squares overflowed the column moments), a mini-batch run that ends above
 * its start, and a label so large that the batch cannot be held.
 */
class BadScaleTest extends QuietTestBase {

    private static final int N = 300;
    private static final int D = 6;
    private static final int K = 3;

    /** Three Gaussian blobs (class {@code c} shifted by 2 along feature {@code c}), every value times {@code scale}. */
    private static LabelledData blobs(double scale) {
        Random r = new Random(3);
        int[] y = new int[N];
        double[] x = new double[N * D];
        for (int i = 0; i < N; i++) {
            y[i] = i % K;
            for (int j = 0; j < D; j++) {
                x[i * D + j] = scale * (r.nextGaussian() + (j == y[i] ? 2 : 0));
            }
        }
        return new LabelledData(x, y, null, N, D, K);
    }

    @Test
    void columnsOfTinyOrHugeValuesAreScaledLikeUnitOnes() {
        for (String storage : new String[] {"dense", "sparse"}) {
            SoftmaxHeadTrainer trainer = new SoftmaxHeadTrainer(FgnOptions.builder().tolerance(1e-10)
                    .featureStorage(storage).build());
            SoftmaxHeadTrainer.Fit unit = trainer.fit(blobs(1));
            // tiny values used to count as constant; the squares of huge ones overflowed the sparse
            // column moments (the column was refused); both are scaled as any other column now
            for (double scale : new double[] {1e-13, 1e155, 1e300}) {
                SoftmaxHeadTrainer.Fit fit = trainer.fit(blobs(scale));
                String what = storage + " at scale " + scale;
                // the same standardised problem: the same objective, and raw weights 1/scale times the unit ones
                assertEquals(unit.training().objective(), fit.training().objective(),
                        1e-9 * unit.training().objective(), what);
                double[] w = unit.model().weights();
                double[] v = fit.model().weights();
                for (int c = 0; c < K; c++) {
                    for (int j = 0; j < D; j++) {
                        int t = c * (D + 1) + j;
                        assertEquals(w[t], v[t] * scale, 1e-6 * Math.abs(w[t]) + 1e-9, what + " w[" + c + "," + j + "]");
                    }
                }
            }
        }
        // the rule itself: relative to the mean, with a floor that keeps the raw model finite
        assertEquals(1e-13, Standardizer.scaleOf(0.0, 1e-13));
        assertEquals(1.0, Standardizer.scaleOf(0.3, 0.3 * 1e-13), "constant to rounding");
        assertEquals(1.0, Standardizer.scaleOf(0.0, 0.0));
        assertEquals(1.0, Standardizer.scaleOf(0.0, 1e-200), "below the floor");
    }

    @Test
    void aColumnFarFromZeroWarnsWhereItIsNotCentred() {
        LabelledData data = blobs(1);
        double[] x = data.features().clone();
        for (int i = 0; i < N; i++) {
            x[i * D + 2] += 1e6; // a timestamp-like column: mean 1e6, standard deviation about 1
        }
        LabelledData shifted = new LabelledData(x, data.labels(), null, N, D, K);
        List<SoftmaxHeadTrainer.Fit> out = new ArrayList<>();
        List<LogRecord> sparse = LogCapture.warnings(SoftmaxHeadTrainer.class.getName(), out,
                () -> new SoftmaxHeadTrainer(FgnOptions.builder().featureStorage("sparse").maxIterations(3).build())
                        .fit(shifted));
        assertEquals(1, sparse.size());
        String m = sparse.get(0).getMessage();
        assertTrue(m.contains("feature 2's mean") && m.contains("sparse rows") && m.contains("subtract its mean"), m);
        // dense rows are centred: nothing to warn about; nor is a sparse column near zero
        assertTrue(LogCapture.warnings(SoftmaxHeadTrainer.class.getName(), out, () -> new SoftmaxHeadTrainer(
                FgnOptions.builder().featureStorage("dense").maxIterations(3).build()).fit(shifted)).isEmpty());
        assertTrue(LogCapture.warnings(SoftmaxHeadTrainer.class.getName(), out, () -> new SoftmaxHeadTrainer(
                FgnOptions.builder().featureStorage("sparse").maxIterations(3).build()).fit(data)).isEmpty());
    }

    @Test
    void aMiniBatchRunThatEndsAboveItsStartIsReportedAndReturnsItsBestPoint() {
        LabelledData data = blobs(1);
        // one example a batch with the guard off: the steps are taken on single examples, unchecked
        FgnOptions o = FgnOptions.builder().mode(FgnOptions.Mode.MINIBATCH).batchSize(1).guard("off")
                .maxIterations(300).build();
        SoftmaxHeadTrainer.Fit fit = new SoftmaxHeadTrainer(o).fit(data);
        double start = Math.log(K); // zero weights
        assertEquals(StopReason.DIVERGED, fit.training().stopReason(), "objective " + fit.training().objective());
        assertTrue(fit.training().objective() <= start, "the returned point's objective "
                + fit.training().objective() + " is above the start's " + start);
        // the reported objective is the returned model's (on the standardised features it trained on)
        Standardizer st = fit.standardizer();
        LabelledData standardised = new LabelledData(st.transform(data.features(), N), data.labels(), null, N, D, K);
        assertEquals(new SoftmaxObjective(standardised, 1e-4).evaluate(st.unfoldFromWeights(fit.model().weights(), K),
                null), fit.training().objective(), 1e-9, "the objective of the model");
    }

    @Test
    void rawFeaturesWhoseCurvatureOverflowsAreNamedInMiniBatchModeToo() {
        LabelledData huge = blobs(1e154);
        String m = assertThrows(IllegalArgumentException.class, () -> new SoftmaxHeadTrainer(FgnOptions.builder()
                .standardize(false).mode(FgnOptions.Mode.MINIBATCH).batchSize(32).build()).fit(huge)).getMessage();
        assertTrue(m.contains("curvature scale at the starting point") && m.contains("standardize=true"), m);
    }

    @Test
    void aLabelThatMakesTheBatchTooLargeIsNamedBeforeItIsAllocated() {
        int n = 300;
        int[] y = new int[n];
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            y[i] = i % 2;
            x[i] = i % 2 + 0.1 * i;
        }
        long heap = Runtime.getRuntime().maxMemory();
        // four n x K arrays of doubles past half the heap; the head itself stays small (K x 2 parameters)
        int label = (int) Math.min(Integer.MAX_VALUE - 2L, heap / 2 / (32L * n) + 1000);
        y[7] = label;
        LabelledData data = new LabelledData(x, y, null, n, 1, label + 1);
        String m = assertThrows(IllegalArgumentException.class,
                () -> new SoftmaxHeadTrainer(FgnOptions.builder().maxIterations(2).build()).fit(data)).getMessage();
        assertTrue(m.contains("K = " + (label + 1) + " classes") && m.contains("check the labels"), m);
    }

    @Test
    void aHeadTooLargeForTheHeapOrForOneArrayIsNamedBeforeItIsAllocated() {
        // 2 rows of 2000 features, labels 0 and 1, but K = 10^6 declared: 2.0e9 parameters, one array of
        // them fits Java's limit, the run's eight copies (128 GB) fit no test heap
        double[] x = new double[2 * 2000];
        x[0] = 1;
        LabelledData wide = new LabelledData(x, new int[] {0, 1}, null, 2, 2000, 1_000_000);
        String m = assertThrows(IllegalArgumentException.class,
                () -> new SoftmaxHeadTrainer(FgnOptions.builder().maxIterations(2).build()).fit(wide)).getMessage();
        assertTrue(m.contains("1000000 classes on 2000 features") && m.contains("more than the heap")
                && m.contains("check the labels"), m);
        // past one array: refused where the data is made
        String past = assertThrows(IllegalArgumentException.class,
                () -> new LabelledData(new double[2 * 4096], new int[] {0, 1}, null, 2, 4096, 1 << 20)).getMessage();
        assertTrue(past.contains("1048576 classes") && past.contains("more than one Java array holds"), past);
    }

    @Test
    void labelsThatDoNotMatchTheRowsAreNamed() {
        double[][] rows = {{1}, {2}};
        String missing = assertThrows(IllegalArgumentException.class, () -> LabelledData.of(rows, new int[0]))
                .getMessage();
        assertTrue(missing.contains("0 labels for 2 rows"), missing);
        String max = assertThrows(IllegalArgumentException.class,
                () -> LabelledData.of(rows, new int[] {0, Integer.MAX_VALUE})).getMessage();
        assertTrue(max.contains("label 2147483647 of example 1 is not a class index"), max);
    }
}
