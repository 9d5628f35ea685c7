package io.github.fastgn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.fastgn.internal.linalg.HeadKernels;
import io.github.fastgn.internal.linalg.Parallel;
import io.github.fastgn.testing.ChildJvm;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A matrix larger than the heap: a 210 MB float matrix file (204,800 x 256) written to
 * {@code target/}, whose products a child JVM started with {@code -Xmx64m} computes through
 * {@link MappedFloatFeatures}; this JVM then computes them on the same floats in the heap with a
 * float {@link DenseFeatures}, and the two must agree bit for bit. The child reports its maximum
 * heap, which must be smaller than the file. The file is deleted afterwards.
 */
class MappedBeyondHeapTest {

    static final int ROWS = 204_800;
    static final int COLS = 256;
    static final int K = 5;
    static final long SEED = 42;

    /** The next {@code count} rows of the generated matrix, from one seeded stream. */
    static float[] rows(Random rnd, int count) {
        float[] x = new float[count * COLS];
        for (int t = 0; t < x.length; t++) {
            x[t] = rnd.nextFloat() * 2 - 1;
        }
        return x;
    }

    static double[] parameters() {
        Random rnd = new Random(SEED + 1);
        double[] v = new double[K * (COLS + 1)];
        for (int t = 0; t < v.length; t++) {
            v[t] = rnd.nextGaussian();
        }
        return v;
    }

    /** Coefficients {@code C = tanh(Z)}: depend on the row product, so the two steps are chained. */
    static double[] coefficients(double[] z) {
        double[] c = new double[z.length];
        for (int t = 0; t < z.length; t++) {
            c[t] = Math.tanh(z[t]);
        }
        return c;
    }

    @Test
    void mappedProductsInA64MbHeapEqualTheInHeapFloatPath() throws Exception {
        Path dir = Files.createDirectories(Path.of("target", "mapped-beyond-heap"));
        Path matrix = dir.resolve("matrix.f32m");
        Path result = dir.resolve("child-result.bin");
        try {
            Random rnd = new Random(SEED);
            try (MappedFloatFeatures.Writer w = MappedFloatFeatures.Writer.create(matrix, COLS)) {
                for (int r = 0; r < ROWS; r += 4096) {
                    w.appendRows(rows(rnd, 4096), 4096);
                }
            }
            long bytes = Files.size(matrix);
            assertEquals(32 + 4L * ROWS * COLS, bytes);

            ChildJvm.run(Child.class, "64m", dir.resolve("child.log"), matrix.toString(), result.toString());

            double[] z = new double[ROWS * K];
            double[] g = new double[K * (COLS + 1)];
            String implementation;
            long childHeap;
            try (DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(
                    Files.newInputStream(result)))) {
                implementation = in.readUTF();
                childHeap = in.readLong();
                for (int t = 0; t < z.length; t++) {
                    z[t] = in.readDouble();
                }
                for (int t = 0; t < g.length; t++) {
                    g[t] = in.readDouble();
                }
            }
            assertEquals(HeadKernels.implementation(), implementation, "both JVMs use the same kernels");
            assertTrue(childHeap < bytes / 2, "the child's heap (" + childHeap + " bytes) cannot hold the "
                    + bytes + "-byte matrix");

            float[] x = new float[ROWS * COLS];
            try (java.io.InputStream in = new java.io.BufferedInputStream(Files.newInputStream(matrix), 1 << 20)) {
                in.skipNBytes(32);
                byte[] chunk = new byte[1 << 20];
                java.nio.FloatBuffer fb = java.nio.FloatBuffer.wrap(x);
                int read;
                while ((read = in.readNBytes(chunk, 0, chunk.length)) > 0) {
                    java.nio.ByteBuffer.wrap(chunk, 0, read).order(java.nio.ByteOrder.LITTLE_ENDIAN).asFloatBuffer()
                            .get(x, fb.position(), read / 4);
                    fb.position(fb.position() + read / 4);
                }
            }
            Random again = new Random(SEED);
            float[] head = rows(again, 2);
            for (int t = 0; t < head.length; t++) {
                assertEquals(head[t], x[t], "file content");
            }
            DenseFeatures heap = DenseFeatures.ofFloat(x, ROWS, COLS);
            double[] zHeap = new double[ROWS * K];
            double[] gHeap = new double[K * (COLS + 1)];
            heap.rowProduct(parameters(), K, zHeap, Parallel.common());
            heap.transposeProduct(coefficients(zHeap), K, gHeap, Parallel.common());
            assertArrayEquals(zHeap, z, "X~ V^T: mapped in 64 MB against in-heap");
            assertArrayEquals(gHeap, g, "C^T X~: mapped in 64 MB against in-heap");
        } finally {
            Files.deleteIfExists(matrix);
            Files.deleteIfExists(result);
            Files.deleteIfExists(dir.resolve("child.log"));
            Files.deleteIfExists(dir);
        }
    }

    /** Run in the child JVM: the products through the mapped file, written as raw doubles. */
    public static final class Child {
        public static void main(String[] args) throws IOException {
            MappedFloatFeatures m = MappedFloatFeatures.open(Path.of(args[0]));
            double[] z = new double[m.rows() * K];
            m.rowProduct(parameters(), K, z, Parallel.common());
            double[] g = new double[K * (m.columns() + 1)];
            m.transposeProduct(coefficients(z), K, g, Parallel.common());
            try (DataOutputStream out = new DataOutputStream(new java.io.BufferedOutputStream(
                    Files.newOutputStream(Path.of(args[1])), 1 << 16))) {
                out.writeUTF(HeadKernels.implementation());
                out.writeLong(Runtime.getRuntime().maxMemory());
                for (double v : z) {
                    out.writeDouble(v);
                }
                for (double v : g) {
                    out.writeDouble(v);
                }
            }
        }
    }
}
