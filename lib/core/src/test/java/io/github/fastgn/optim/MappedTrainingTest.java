package io.github.fastgn.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.fastgn.SoftmaxHeadTrainer;
import io.github.fastgn.SoftmaxObjective;
import io.github.fastgn.baseline.FirstOrderOptions;
import io.github.fastgn.baseline.Lbfgs;
import io.github.fastgn.baseline.StochasticNewton;
import io.github.fastgn.data.LabelledData;
import io.github.fastgn.data.MappedFloatFeatures;
import io.github.fastgn.data.Splits;
import io.github.fastgn.testing.QuietTestBase;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Training on a memory-mapped feature file gives the model that training on the same floats in
 * the heap gives, bit for bit (FGN at its defaults, with the sampled-curvature full-batch path, and
 * in mini-batch mode; L-BFGS), and the trainer's standardisation of the file (a centred and scaled
 * view) agrees with full standardisation in the heap to rounding, a column far from zero included.
 */
class MappedTrainingTest extends QuietTestBase {

    @TempDir
    Path dir;

    /** {@code n x d} floats and labels from a seeded linear teacher with noise. */
    record Problem(float[] x, int[] y, int n, int d, int k) {
        static Problem of(int n, int d, int k, long seed) {
            Random rnd = new Random(seed);
            double[] teacher = new double[k * d];
            for (int t = 0; t < teacher.length; t++) {
                teacher[t] = rnd.nextGaussian();
            }
            float[] x = new float[n * d];
            int[] y = new int[n];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < d; j++) {
                    x[i * d + j] = (float) (rnd.nextGaussian() * (1 + j % 3) + (j % 2 == 0 ? 0.5 : -1));
                }
                int best = 0;
                double top = Double.NEGATIVE_INFINITY;
                for (int c = 0; c < k; c++) {
                    double s = 2 * rnd.nextGaussian();
                    for (int j = 0; j < d; j++) {
                        s += teacher[c * d + j] * x[i * d + j];
                    }
                    if (s > top) {
                        top = s;
                        best = c;
                    }
                }
                y[i] = best;
            }
            return new Problem(x, y, n, d, k);
        }

        LabelledData inHeap() {
            return LabelledData.ofFloat(x, y, null, n, d, k);
        }

        LabelledData mapped(Path file) throws IOException {
            MappedFloatFeatures.write(file, x, n, d);
            return LabelledData.mapped(MappedFloatFeatures.open(file), y, null, k);
        }
    }

    private static FgnOptions.Builder fgn() {
        return FgnOptions.builder().standardize(false).l2(1e-3).threads(2);
    }

    @Test
    void defaultFgnOnAMappedFileIsBitIdenticalToInHeapFloats() throws IOException {
        // more rows than AUTO_SAMPLE_ABOVE: both take the streamed full-batch path with a curvature sample
        Problem pb = Problem.of(FgnOptions.AUTO_SAMPLE_ABOVE + 3000, 12, 4, 1);
        LabelledData mapped = pb.mapped(dir.resolve("x.f32m"));
        FgnOptions options = fgn().build();
        TrainingResult heap = new FgnOptimizer(options).optimize(pb.inHeap(), null);
        TrainingResult file = new FgnOptimizer(options).optimize(mapped, null);
        assertTrue(heap.iterations() > 2, "a real run: " + heap.iterations() + " iterations");
        assertArrayEquals(heap.weights(), file.weights(), "the mapped model is the in-heap float model, bit for bit");
        assertEquals(heap.iterations(), file.iterations());
        assertEquals(heap.dataPasses(), file.dataPasses());
        // an independent check that it is an optimum: the gradient at the weights from the in-heap objective
        double[] g = new double[heap.weights().length];
        new SoftmaxObjective(pb.inHeap(), options.l2()).evaluate(file.weights(), g);
        assertTrue(norm(g) <= 1e-3 * firstGradient(pb, options.l2()), "gradient norm " + norm(g));
    }

    @Test
    void fewMappedRowsUseAllRowsAsTheCurvatureSampleAndReachTheInHeapOptimum() throws IOException {
        Problem pb = Problem.of(3000, 8, 3, 2);
        FgnOptions options = fgn().tolerance(1e-10).build();
        TrainingResult heap = new FgnOptimizer(options).optimize(pb.inHeap(), null);
        TrainingResult file = new FgnOptimizer(options).optimize(pb.mapped(dir.resolve("s.f32m")), null);
        assertEquals(heap.objective(), file.objective(), 1e-9 * Math.abs(heap.objective()));
        assertArrayEquals(heap.weights(), file.weights(), 1e-4);
    }

    @Test
    void miniBatchFgnOnAMappedFileIsBitIdenticalToInHeapFloats() throws IOException {
        Problem pb = Problem.of(2500, 10, 3, 3);
        FgnOptions options = fgn().mode(FgnOptions.Mode.MINIBATCH).batchSize(500).maxIterations(30).build();
        TrainingResult heap = new FgnOptimizer(options).optimize(pb.inHeap(), null);
        TrainingResult file = new FgnOptimizer(options).optimize(pb.mapped(dir.resolve("m.f32m")), null);
        assertArrayEquals(heap.weights(), file.weights());
    }

    @Test
    void lbfgsOnAMappedFileIsBitIdenticalToInHeapFloats() throws IOException {
        Problem pb = Problem.of(5000, 10, 4, 4);
        FirstOrderOptions options = FirstOrderOptions.builder().l2(1e-3).threads(2).build();
        TrainingResult heap = new Lbfgs(options).optimize(pb.inHeap(), null);
        TrainingResult file = new Lbfgs(options).optimize(pb.mapped(dir.resolve("l.f32m")), null);
        assertTrue(heap.iterations() > 5);
        assertArrayEquals(heap.weights(), file.weights(), "L-BFGS: mapped and in-heap floats, bit for bit");
        double[] g = new double[heap.weights().length];
        new SoftmaxObjective(pb.inHeap(), options.l2()).evaluate(file.weights(), g);
        assertTrue(norm(g) <= 1e-3 * firstGradient(pb, options.l2()), "gradient norm " + norm(g));
    }

    @Test
    void trainerDefaultsStandardiseAMappedFileAndMatchTheInHeapModel() throws IOException {
        Problem pb = Problem.of(6000, 9, 3, 5);
        FgnOptions options = FgnOptions.builder().l2(1e-3).tolerance(1e-12).build();
        SoftmaxHeadTrainer.Fit heap = new SoftmaxHeadTrainer(options).fit(pb.inHeap());
        SoftmaxHeadTrainer.Fit file = new SoftmaxHeadTrainer(options).fit(pb.mapped(dir.resolve("t.f32m")));
        // full standardisation in double against the same on float-rounded standardised values: the same
        // objective up to the float rounding of the standardised features, and the same standardizer
        assertArrayEquals(heap.model().weights(), file.model().weights(), 1e-4);
        assertEquals(heap.training().objective(), file.training().objective(), 1e-6 * heap.training().objective());
        assertArrayEquals(heap.standardizer().mean(), file.standardizer().mean(), 1e-12);
        assertArrayEquals(heap.standardizer().scale(), file.standardizer().scale(), 1e-12);
    }

    @Test
    void aMappedColumnFarFromZeroIsCentredAndTrainsAsTheUnshiftedOne() throws IOException {
        Problem pb = Problem.of(6000, 9, 3, 7);
        float[] shifted = pb.x().clone();
        for (int i = 0; i < pb.n(); i++) {
            shifted[i * pb.d() + 4] += 1e6f; // a timestamp-like column: mean about 1e6, spread about 1
        }
        Problem far = new Problem(shifted, pb.y(), pb.n(), pb.d(), pb.k());
        FgnOptions options = FgnOptions.builder().l2(1e-3).tolerance(1e-9).build();
        // dense rows in the heap are centred: the reference for the same shifted floats
        SoftmaxHeadTrainer.Fit heap = new SoftmaxHeadTrainer(options).fit(far.inHeap());
        LabelledData farFile = far.mapped(dir.resolve("far.f32m"));
        java.util.List<SoftmaxHeadTrainer.Fit> out = new java.util.ArrayList<>();
        // centred: nothing to warn about (scale-only, this column drew a WARNING and slowed the run)
        assertTrue(io.github.fastgn.testing.LogCapture.warnings(SoftmaxHeadTrainer.class.getName(), out,
                () -> new SoftmaxHeadTrainer(options).fit(farFile)).isEmpty());
        SoftmaxHeadTrainer.Fit file = out.get(0);
        assertEquals(StopReason.CONVERGED, file.training().stopReason());
        assertEquals(heap.training().objective(), file.training().objective(), 1e-6 * heap.training().objective());
        assertTrue(file.training().iterations() <= heap.training().iterations() + 2,
                file.training().iterations() + " iterations against " + heap.training().iterations() + " in the heap");
        // the raw models predict alike: the logits of the training rows agree to the float rounding
        double[] xd = new double[shifted.length];
        for (int t = 0; t < xd.length; t++) {
            xd[t] = shifted[t];
        }
        double[] zh = heap.model().logits(xd, far.n());
        double[] zf = file.model().logits(xd, far.n());
        for (int t = 0; t < zh.length; t++) {
            assertEquals(zh[t], zf[t], 1e-3 * (1 + Math.abs(zh[t])), "logit " + t);
        }
    }

    @Test
    void subsetsAndSplitsOfMappedDataStayMappedAndTrainAsTheSameRowsInHeap() throws IOException {
        Problem pb = Problem.of(4000, 6, 3, 6);
        LabelledData mapped = pb.mapped(dir.resolve("v.f32m"));
        Splits.Split split = Splits.stratified(mapped, 0.25, 7);
        Splits.Split heapSplit = Splits.stratified(pb.inHeap(), 0.25, 7);
        assertTrue(split.train().isMapped() && split.test().isMapped(), "a split of mapped data is a view");
        FirstOrderOptions options = FirstOrderOptions.builder().l2(1e-3).threads(1).build();
        assertArrayEquals(new Lbfgs(options).optimize(heapSplit.train(), null).weights(),
                new Lbfgs(options).optimize(split.train(), null).weights());
    }

    @Test
    void optimizersThatNeedHeapRowsRefuseMappedDataNamingTheFix() throws IOException {
        LabelledData mapped = Problem.of(50, 3, 2, 8).mapped(dir.resolve("r.f32m"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new StochasticNewton(FirstOrderOptions.builder().mode(FgnOptions.Mode.MINIBATCH).build())
                        .optimize(mapped, null));
        assertTrue(e.getMessage().contains("toDense()"), e.getMessage());
        assertThrows(IllegalStateException.class, mapped::toSparse);
    }

    private static double firstGradient(Problem pb, double l2) {
        double[] g = new double[pb.k() * (pb.d() + 1)];
        new SoftmaxObjective(pb.inHeap(), l2).evaluate(new double[g.length], g);
        return norm(g);
    }

    private static double norm(double[] a) {
        double s = 0;
        for (double v : a) {
            s += v * v;
        }
        return Math.sqrt(s);
    }
}
