package io.github.fastgn.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.fastgn.SoftmaxObjective;
import io.github.fastgn.data.LabelledData;
import io.github.fastgn.data.MappedFloatFeatures;
import io.github.fastgn.testing.ChildJvm;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Training on a matrix larger than the heap: a 205 MB float matrix file (200,000 x 256, K = 12,
 * labels from a seeded linear teacher with noise) is trained on by {@link FgnOptimizer} at its
 * defaults in a child JVM started with {@code -Xmx64m}, where neither the matrix nor its
 * {@code n x K} logits fit (they go to a temporary mapped file). This JVM then checks the returned
 * weights against independent references: the objective and gradient at them computed here on the
 * same floats in the heap (the child's reported values, and a gradient small against the start's),
 * and the model a big-heap run on the in-heap floats trains, which must be the same bit for bit.
 */
class MappedTrainingBeyondHeapTest {

    static final int ROWS = 200_000;
    static final int COLS = 256;
    static final int K = 12;
    static final long SEED = 7;

    static FgnOptions options() {
        return FgnOptions.builder().standardize(false).build();
    }

    @Test
    void trainingInA64MbHeapGivesTheInHeapModel() throws Exception {
        Path dir = Files.createDirectories(Path.of("target", "mapped-training-beyond-heap"));
        Path matrix = dir.resolve("matrix.f32m");
        Path result = dir.resolve("child-result.bin");
        Path log = dir.resolve("child.log");
        try {
            float[] x = new float[ROWS * COLS];
            int[] y = new int[ROWS];
            Random rnd = new Random(SEED);
            double[] teacher = new double[K * COLS];
            for (int t = 0; t < teacher.length; t++) {
                teacher[t] = rnd.nextGaussian() / 8;
            }
            try (MappedFloatFeatures.Writer w = MappedFloatFeatures.Writer.create(matrix, COLS)) {
                for (int r0 = 0; r0 < ROWS; r0 += 4096) {
                    int rows = Math.min(4096, ROWS - r0);
                    for (int t = r0 * COLS; t < (r0 + rows) * COLS; t++) {
                        x[t] = (float) rnd.nextGaussian();
                    }
                    for (int i = r0; i < r0 + rows; i++) {
                        int best = 0;
                        double top = Double.NEGATIVE_INFINITY;
                        for (int c = 0; c < K; c++) {
                            double s = rnd.nextGaussian();
                            for (int j = 0; j < COLS; j++) {
                                s += teacher[c * COLS + j] * x[i * COLS + j];
                            }
                            if (s > top) {
                                top = s;
                                best = c;
                            }
                        }
                        y[i] = best;
                    }
                    w.appendRows(java.util.Arrays.copyOfRange(x, r0 * COLS, (r0 + rows) * COLS), rows);
                }
            }
            long bytes = Files.size(matrix);
            Path labels = dir.resolve("labels.bin");
            try (DataOutputStream out = new DataOutputStream(new java.io.BufferedOutputStream(
                    Files.newOutputStream(labels)))) {
                for (int v : y) {
                    out.writeInt(v);
                }
            }

            ChildJvm.run(Child.class, "64m", log, matrix.toString(), labels.toString(), result.toString());

            long childHeap;
            long childPeak;
            double objective;
            double gradientNorm;
            double[] w = new double[K * (COLS + 1)];
            try (DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(
                    Files.newInputStream(result)))) {
                childHeap = in.readLong();
                childPeak = in.readLong();
                objective = in.readDouble();
                gradientNorm = in.readDouble();
                for (int t = 0; t < w.length; t++) {
                    w[t] = in.readDouble();
                }
            }
            assertTrue(childHeap < bytes / 2, "the child's heap (" + childHeap + " bytes) cannot hold the " + bytes
                    + "-byte matrix");
            assertTrue(childPeak < bytes / 2, "peak heap use " + childPeak);

            LabelledData heap = LabelledData.ofFloat(x, y, null, ROWS, COLS, K);
            double l2 = options().l2();
            double[] g = new double[w.length];
            double f = new SoftmaxObjective(heap, l2).evaluate(w, g);
            double[] g0 = new double[w.length];
            new SoftmaxObjective(heap, l2).evaluate(new double[w.length], g0);
            assertEquals(f, objective, 1e-12 * f, "the objective the child reports is the objective at its weights");
            assertEquals(norm(g), gradientNorm, 1e-9 * norm(g0), "and so is its gradient norm");
            assertTrue(norm(g) <= 1e-3 * norm(g0), "an optimum: |g| = " + norm(g) + ", |g0| = " + norm(g0));

            TrainingResult big = new FgnOptimizer(options()).optimize(heap, null);
            assertArrayEquals(big.weights(), w, "64 MB mapped training gives the big-heap in-heap model, bit for bit");
        } finally {
            for (String f : new String[] {"matrix.f32m", "labels.bin", "child-result.bin", "child.log"}) {
                Files.deleteIfExists(dir.resolve(f));
            }
            Files.deleteIfExists(dir);
        }
    }

    private static double norm(double[] a) {
        double s = 0;
        for (double v : a) {
            s += v * v;
        }
        return Math.sqrt(s);
    }

    /** Run in the child JVM: trains on the mapped file, writes the heap limits and the result. */
    public static final class Child {
        public static void main(String[] args) throws IOException {
            MappedFloatFeatures m = MappedFloatFeatures.open(Path.of(args[0]));
            int[] y = new int[m.rows()];
            try (DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(
                    Files.newInputStream(Path.of(args[1]))))) {
                for (int i = 0; i < y.length; i++) {
                    y[i] = in.readInt();
                }
            }
            TrainingResult r = new FgnOptimizer(options()).optimize(LabelledData.mapped(m, y, null, K), null);
            long peak = 0;
            for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                if (pool.getType() == MemoryType.HEAP) {
                    peak += pool.getPeakUsage().getUsed();
                }
            }
            try (DataOutputStream out = new DataOutputStream(new java.io.BufferedOutputStream(
                    Files.newOutputStream(Path.of(args[2]))))) {
                out.writeLong(Runtime.getRuntime().maxMemory());
                out.writeLong(peak);
                out.writeDouble(r.objective());
                out.writeDouble(r.gradientNorm());
                for (double v : r.weights()) {
                    out.writeDouble(v);
                }
            }
        }
    }
}
