package io.github.fastgn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.fastgn.internal.linalg.HeadKernels;
import io.github.fastgn.internal.linalg.Parallel;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link MappedFloatFeatures}: the file layout, the writer, every header and value check, and
 * products bit-identical to the in-heap float {@link DenseFeatures} on matrices of several row
 * blocks and several mapped segments (the test bigger than the heap is {@link MappedBeyondHeapTest}).
 */
class MappedFloatFeaturesTest {

    @TempDir
    Path dir;

    static float[] randomFloats(int count, long seed) {
        Random rnd = new Random(seed);
        float[] x = new float[count];
        for (int t = 0; t < count; t++) {
            x[t] = (float) (rnd.nextGaussian() * (1 + (t % 7)));
        }
        return x;
    }

    static double[] randomDoubles(int count, long seed) {
        Random rnd = new Random(seed);
        double[] a = new double[count];
        for (int t = 0; t < count; t++) {
            a[t] = rnd.nextGaussian();
        }
        return a;
    }

    @Test
    void layoutIsTheHeaderThenLittleEndianFloats() throws IOException {
        float[] x = {1.5f, -2f, 3.25f, 0f, 7f, -0.125f};
        Path f = dir.resolve("m.f32m");
        MappedFloatFeatures.write(f, x, 2, 3);
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(f)).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(32 + 4 * 6, b.capacity());
        byte[] magic = new byte[8];
        b.get(magic);
        assertEquals("FGNF32LE", new String(magic, java.nio.charset.StandardCharsets.US_ASCII));
        assertEquals(1, b.getInt());
        assertEquals(32, b.getInt());
        assertEquals(2, b.getLong());
        assertEquals(3, b.getLong());
        for (float v : x) {
            assertEquals(v, b.getFloat());
        }
        MappedFloatFeatures m = MappedFloatFeatures.open(f);
        assertEquals(2, m.rows());
        assertEquals(3, m.columns());
        assertEquals(6, m.storedValues());
    }

    /** d = 3000 gives blocks of 349 rows: 1000 rows are 3 blocks; segments of one block each. */
    @Test
    void productsAreBitIdenticalToTheInHeapFloatPath() throws IOException {
        int n = 1000;
        int d = 3000;
        int k = 4;
        assertEquals(349, DenseRows.blockRows(d));
        float[] x = randomFloats(n * d, 1);
        Path f = dir.resolve("big.f32m");
        try (MappedFloatFeatures.Writer w = MappedFloatFeatures.Writer.create(f, d)) {
            float[] rows = new float[123 * d];
            for (int r0 = 0; r0 < n; r0 += 123) {
                int count = Math.min(123, n - r0);
                System.arraycopy(x, r0 * d, rows, 0, count * d);
                w.appendRows(rows, count);
            }
        }
        DenseFeatures heap = DenseFeatures.ofFloat(x, n, d);
        double[] v = randomDoubles(k * (d + 1), 2);
        double[] coef = randomDoubles(n * k, 3);
        int[] rows = {999, 0, 348, 349, 350, 698, 17, 999};
        double[] q = randomDoubles(d, 4);
        for (int j = 0; j < d; j++) {
            q[j] = Math.abs(q[j]);
        }
        double[] zHeap = new double[n * k];
        double[] gHeap = new double[k * (d + 1)];
        heap.rowProduct(v, k, zHeap, Parallel.SERIAL);
        heap.transposeProduct(coef, k, gHeap, Parallel.SERIAL);
        double[] gramHeap = new double[rows.length * rows.length];
        heap.gram(rows, q, gramHeap, Parallel.SERIAL);
        double[] normsHeap = new double[n];
        heap.rowSquaredNorms(q, normsHeap);
        Standardizer sHeap = heap.standardizer(null);
        for (long segment : new long[] {1L << 30, 1}) {
            MappedFloatFeatures mapped = MappedFloatFeatures.open(f, segment);
            for (Parallel par : new Parallel[] {Parallel.SERIAL, Parallel.withThreads(3)}) {
                double[] z = new double[n * k];
                double[] g = new double[k * (d + 1)];
                mapped.rowProduct(v, k, z, par);
                mapped.transposeProduct(coef, k, g, par);
                assertArrayEquals(zHeap, z, "X~ V^T, segments of " + segment + " bytes, " + par.threads() + " threads");
                assertArrayEquals(gHeap, g, "C^T X~, segments of " + segment + " bytes, " + par.threads() + " threads");
                double[] gram = new double[rows.length * rows.length];
                mapped.gram(rows, q, gram, par);
                assertArrayEquals(gramHeap, gram, "gram");
                par.close();
            }
            double[] norms = new double[n];
            mapped.rowSquaredNorms(q, norms);
            assertArrayEquals(normsHeap, norms, "row norms");
            Standardizer s = mapped.standardizer(null);
            assertArrayEquals(sHeap.mean(), s.mean(), "means");
            assertArrayEquals(sHeap.scale(), s.scale(), "scales");
        }
        // the block-wise float path agrees with the double path on the widened values to rounding
        double[] wide = new double[n * d];
        for (int t = 0; t < wide.length; t++) {
            wide[t] = x[t];
        }
        double[] gWide = new double[k * (d + 1)];
        DenseFeatures.of(wide, n, d).transposeProduct(coef, k, gWide, Parallel.SERIAL);
        io.github.fastgn.testing.Check.close(gWide, gHeap, 1e-12, "block sums against whole-matrix sums");
    }

    @Test
    void aMatrixOfOneBlockGivesTheWholeMatrixKernelsExactly() {
        int n = 300;
        int d = 50;
        int k = 3;
        float[] x = randomFloats(n * d, 5);
        double[] coef = randomDoubles(n * k, 6);
        double[] g = new double[k * (d + 1)];
        double[] want = new double[k * (d + 1)];
        DenseFeatures.ofFloat(x, n, d).transposeProduct(coef, k, g, Parallel.SERIAL);
        HeadKernels.transposeProduct(coef, x, n, d, k, want, Parallel.SERIAL);
        assertArrayEquals(want, g);
    }

    private Path header(String name, String magic, int version, int headerBytes, long rows, long cols, int values)
            throws IOException {
        ByteBuffer b = ByteBuffer.allocate(32 + 4 * values).order(ByteOrder.LITTLE_ENDIAN);
        b.put(magic.getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(version).putInt(headerBytes)
                .putLong(rows).putLong(cols);
        Path f = dir.resolve(name);
        Files.write(f, b.array());
        return f;
    }

    private static void refused(Path f, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MappedFloatFeatures.open(f));
        assertTrue(e.getMessage().startsWith(f.toString()), e.getMessage());
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }

    @Test
    void badFilesAreRefusedWithTheReason() throws IOException {
        refused(header("magic", "FGNF64LE", 1, 32, 1, 1, 1), "not a FastGN float matrix file");
        refused(header("version", "FGNF32LE", 2, 32, 1, 1, 1), "format version 2");
        refused(header("unfinished", "FGNF32LE", 1, 32, 0, 1, 1), "was not finished");
        refused(header("huge", "FGNF32LE", 1, 32, 1L << 40, 1L << 40, 1), "supported are");
        refused(header("short", "FGNF32LE", 1, 32, 3, 2, 5), "the file is truncated");
        refused(header("long", "FGNF32LE", 1, 32, 1, 2, 3), "the file is truncated");
        Files.write(dir.resolve("tiny"), new byte[5]);
        refused(dir.resolve("tiny"), "shorter than the 32-byte header");
        Path nan = dir.resolve("nan");
        MappedFloatFeatures.write(nan, new float[] {1, 2, 3, 4, 5, 6}, 3, 2);
        try (RandomAccessFile raf = new RandomAccessFile(nan.toFile(), "rw")) {
            raf.seek(32 + 4 * 3);
            raf.writeInt(Integer.reverseBytes(Float.floatToRawIntBits(Float.NaN)));
        }
        refused(nan, "row 1, column 1 is NaN");
    }

    @Test
    void theWriterChecksItsInputAndMarksUnfinishedFiles() throws IOException {
        Path f = dir.resolve("w.f32m");
        MappedFloatFeatures.Writer w = MappedFloatFeatures.Writer.create(f, 2);
        w.appendRows(new float[] {1, 2, 3, 4}, 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> w.appendRows(new float[] {5, Float.POSITIVE_INFINITY}, 1));
        assertTrue(e.getMessage().contains("row 2, column 1 is Infinity"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> w.appendRows(new float[3], 2));
        refused(f, "was not finished");
        w.close();
        assertEquals(2, MappedFloatFeatures.open(f).rows());
        assertThrows(IllegalStateException.class, () -> w.appendRows(new float[2], 1));
        MappedFloatFeatures.Writer empty = MappedFloatFeatures.Writer.create(dir.resolve("e"), 3);
        assertThrows(IllegalArgumentException.class, empty::close);
        assertThrows(IllegalArgumentException.class, () -> MappedFloatFeatures.Writer.create(dir.resolve("z"), 0));
    }

    /**
     * The views: a row view, a scale-only view, a centred and scaled view and the squares read from
     * the file give what an in-heap float matrix of the same (gathered, scaled or standardised and
     * rounded, squared) values gives, bit for bit; with several blocks and several mapped segments
     * (d = 3000: 349-row blocks). A view of a view composes the transforms (to rounding).
     */
    @Test
    void rowScaleAndSquareViewsAreTheInHeapFloatMatricesOfTheirValues() throws IOException {
        int n = 900;
        int d = 3000;
        int k = 3;
        float[] x = randomFloats(n * d, 5);
        Path f = dir.resolve("views.f32m");
        MappedFloatFeatures.write(f, x, n, d);
        MappedFloatFeatures m = MappedFloatFeatures.open(f, 4L * d * 349);
        int[] index = new int[500];
        Random rnd = new Random(6);
        for (int r = 0; r < index.length; r++) {
            index[r] = rnd.nextInt(n); // repeats allowed
        }
        double[] div = new double[d];
        for (int j = 0; j < d; j++) {
            div[j] = 0.5 + j % 5;
        }
        float[] gathered = new float[index.length * d];
        float[] scaled = new float[index.length * d];
        float[] squares = new float[index.length * d];
        for (int r = 0; r < index.length; r++) {
            for (int j = 0; j < d; j++) {
                float v = x[index[r] * d + j];
                gathered[r * d + j] = v;
                scaled[r * d + j] = (float) (v / div[j]);
                double s = scaled[r * d + j];
                squares[r * d + j] = (float) (s * s);
            }
        }
        MappedFloatFeatures view = m.rows(index);
        assertProductsEqual(DenseFeatures.ofFloat(gathered, index.length, d), view, k);
        assertProductsEqual(DenseFeatures.ofFloat(scaled, index.length, d), view.scaleColumns(div), k);
        assertProductsEqual(DenseFeatures.ofFloat(scaled, index.length, d).squared(), view.scaleColumns(div).squared(),
                k);
        assertProductsEqual(DenseFeatures.ofFloat(gathered, index.length, d).squared(), view.squared(), k);
        // centred and scaled: (x - m) / s rounded to float, and its squares
        double[] mean = new double[d];
        for (int j = 0; j < d; j++) {
            mean[j] = 0.25 * j - 1;
        }
        float[] standard = new float[index.length * d];
        float[] standardSquares = new float[index.length * d];
        for (int r = 0; r < index.length; r++) {
            for (int j = 0; j < d; j++) {
                standard[r * d + j] = (float) ((gathered[r * d + j] - mean[j]) / div[j]);
                double s = standard[r * d + j];
                standardSquares[r * d + j] = (float) (s * s);
            }
        }
        assertProductsEqual(DenseFeatures.ofFloat(standard, index.length, d), view.standardized(mean, div), k);
        assertProductsEqual(DenseFeatures.ofFloat(standardSquares, index.length, d),
                view.standardized(mean, div).squared(), k);
        assertProductsEqual(DenseFeatures.ofFloat(java.util.Arrays.copyOfRange(standard, 2 * d, 3 * d), 1, d),
                view.standardized(mean, div).rows(new int[] {2}), k);
        // a transform of a transformed view composes: ((x - m) / s - m2) / s2, to rounding
        double[] two = new double[d];
        java.util.Arrays.fill(two, 2.0);
        double[] z = new double[index.length * k];
        double[] zc = new double[index.length * k];
        double[] v = randomDoubles(k * (d + 1), 4);
        float[] twice = new float[index.length * d];
        for (int t = 0; t < twice.length; t++) {
            twice[t] = (float) ((standard[t] - 2.0) / 2.0);
        }
        DenseFeatures.ofFloat(twice, index.length, d).rowProduct(v, k, z, io.github.fastgn.internal.linalg.Parallel.SERIAL);
        view.standardized(mean, div).standardized(two, two).rowProduct(v, k, zc,
                io.github.fastgn.internal.linalg.Parallel.SERIAL);
        for (int t = 0; t < z.length; t++) {
            assertEquals(z[t], zc[t], 1e-5 * (1 + Math.abs(z[t])), "composed view, logit " + t);
        }
        assertThrows(IllegalArgumentException.class, () -> m.standardized(new double[d - 1], div));
        double[] nan = mean.clone();
        nan[1] = Double.NaN;
        assertThrows(IllegalArgumentException.class, () -> m.standardized(nan, div));
        assertThrows(IllegalStateException.class, () -> m.squared().standardized(mean, div));
        float[] read = new float[2 * d + 1];
        view.readRows(3, 5, read, 1);
        assertArrayEquals(java.util.Arrays.copyOfRange(gathered, 3 * d, 5 * d), java.util.Arrays.copyOfRange(read, 1,
                2 * d + 1));
        // a view of a view indexes the file through both
        assertProductsEqual(DenseFeatures.ofFloat(java.util.Arrays.copyOfRange(gathered, 2 * d, 3 * d), 1, d),
                view.rows(new int[] {2}), k);
        assertThrows(IllegalArgumentException.class, () -> m.rows(new int[] {n}));
        assertThrows(IllegalArgumentException.class, () -> m.scaleColumns(new double[d - 1]));
        assertThrows(IllegalArgumentException.class, () -> view.readRows(0, index.length + 1, new float[1 << 22], 0));
    }

    private static void assertProductsEqual(DenseFeatures heap, MappedFloatFeatures file, int k) {
        int n = heap.rows();
        int d = heap.columns();
        double[] v = randomDoubles(k * (d + 1), 9);
        double[] z = new double[n * k];
        double[] zf = new double[n * k];
        heap.rowProduct(v, k, z, Parallel.common());
        file.rowProduct(v, k, zf, Parallel.common());
        assertArrayEquals(z, zf);
        double[] g = new double[k * (d + 1)];
        double[] gf = new double[k * (d + 1)];
        heap.transposeProduct(z, k, g, Parallel.common());
        file.transposeProduct(z, k, gf, Parallel.common());
        assertArrayEquals(g, gf);
    }
}
