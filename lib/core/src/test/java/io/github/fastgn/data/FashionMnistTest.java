package io.github.fastgn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FashionMnistTest {

    @TempDir
    Path dir;

    /** Labels {@code i % 10}; pixel {@code p} of image {@code i} is {@code (7 i + p) % 256}. */
    private static void writeSet(Path dir, String images, String labels, int count, int rows, int cols,
            boolean gz) throws IOException {
        byte[] px = new byte[count * rows * cols];
        for (int i = 0; i < count; i++) {
            for (int p = 0; p < rows * cols; p++) {
                px[i * rows * cols + p] = (byte) ((7 * i + p) % 256);
            }
        }
        int[] y = new int[count];
        for (int i = 0; i < count; i++) {
            y[i] = i % 10;
        }
        String ext = gz ? ".gz" : "";
        Idx.writeImages(dir.resolve(images + ext), new Idx.Images(count, rows, cols, px), gz);
        Idx.writeLabels(dir.resolve(labels + ext), y, gz);
    }

    private static void writeSmall(Path dir, boolean gz) throws IOException {
        writeSet(dir, FashionMnist.TRAIN_IMAGES, FashionMnist.TRAIN_LABELS, 30, 28, 28, gz);
        writeSet(dir, FashionMnist.TEST_IMAGES, FashionMnist.TEST_LABELS, 20, 28, 28, gz);
    }

    private static void assertMessage(Exception e, String... parts) {
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), () -> "message '" + e.getMessage() + "' lacks '" + p + "'");
        }
    }

    @Test
    void loadsSmallFilesGzipOrPlain() throws IOException {
        for (boolean gz : new boolean[] {true, false}) {
            Path d = Files.createDirectory(dir.resolve("set" + gz));
            assertFalse(FashionMnist.isAvailable(d));
            writeSmall(d, gz);
            assertTrue(FashionMnist.isAvailable(d));
            Splits.Split s = FashionMnist.load(d);
            assertEquals(30, s.train().size());
            assertEquals(20, s.test().size());
            for (LabelledData part : new LabelledData[] {s.train(), s.test()}) {
                assertEquals(784, part.featureCount());
                assertEquals(10, part.classCount());
                for (int i = 0; i < part.size(); i++) {
                    assertEquals(i % 10, part.labels()[i]);
                    for (int p : new int[] {0, 1, 783}) {
                        // float, the nearest float to the double p / 255 the loader gave before
                        assertEquals((float) (((7 * i + p) % 256) / 255.0), part.floatFeatures()[i * 784 + p]);
                    }
                }
            }
        }
    }

    @Test
    void holdsFloatsEqualToTheDoubleValuesRoundedToFloat() throws IOException {
        writeSmall(dir, true);
        Splits.Split s = FashionMnist.load(dir);
        for (LabelledData part : new LabelledData[] {s.train(), s.test()}) {
            assertTrue(part.isFloat(), "Fashion-MNIST is held as float, never as a double copy");
            float[] x = part.floatFeatures();
            assertEquals(part.size() * 784, x.length);
            for (int i = 0; i < part.size(); i++) {
                for (int p = 0; p < 784; p++) {
                    double old = ((7 * i + p) % 256) / 255.0;
                    assertEquals((float) old, x[i * 784 + p]);
                }
            }
        }
    }

    @Test
    void subsetWhileReadingEqualsSubsetAfterReading() throws IOException {
        writeSet(dir, FashionMnist.TRAIN_IMAGES, FashionMnist.TRAIN_LABELS, 200, 28, 28, true);
        writeSet(dir, FashionMnist.TEST_IMAGES, FashionMnist.TEST_LABELS, 90, 28, 28, false);
        Splits.Split all = FashionMnist.load(dir);
        for (int[] sizes : new int[][] {{50, 30}, {20, 10}, {150, 60}, {200, 90}, {500, 1000}}) {
            Splits.Split part = FashionMnist.load(dir, sizes[0], sizes[1]);
            LabelledData[] expected = {
                sizes[0] >= 200 ? all.train() : Splits.stratified(all.train(), sizes[0] / 200.0,
                        FashionMnist.SUBSET_SEED).test(),
                sizes[1] >= 90 ? all.test() : Splits.stratified(all.test(), sizes[1] / 90.0,
                        FashionMnist.SUBSET_SEED).test()};
            LabelledData[] got = {part.train(), part.test()};
            for (int t = 0; t < 2; t++) {
                assertTrue(got[t].isFloat());
                assertEquals(expected[t].size(), got[t].size());
                assertArrayEquals(expected[t].labels(), got[t].labels());
                assertArrayEquals(expected[t].floatFeatures(), got[t].floatFeatures());
                assertEquals(10, got[t].classCount());
            }
        }
        assertThrows(IllegalArgumentException.class, () -> FashionMnist.load(dir, 0, 5));
    }

    @Test
    void twoClassWhileReadingEqualsTwoClassAfterReading() throws IOException {
        writeSmall(dir, true);
        Splits.Split expected = FashionMnist.twoClass(FashionMnist.load(dir), FashionMnist.TSHIRT, FashionMnist.SHIRT);
        Splits.Split got = FashionMnist.twoClass(dir, FashionMnist.TSHIRT, FashionMnist.SHIRT);
        for (LabelledData[] pair : new LabelledData[][] {{expected.train(), got.train()},
                {expected.test(), got.test()}}) {
            assertTrue(pair[0].isFloat(), "twoClass keeps float features");
            assertTrue(pair[1].isFloat());
            assertEquals(2, pair[1].classCount());
            assertArrayEquals(pair[0].labels(), pair[1].labels());
            assertArrayEquals(pair[0].floatFeatures(), pair[1].floatFeatures());
        }
        assertEquals(6, got.train().size()); // labels i % 10: 0 and 6 three times each in 30
        assertThrows(IllegalArgumentException.class, () -> FashionMnist.twoClass(dir, 3, 3));
        assertThrows(IllegalArgumentException.class, () -> FashionMnist.twoClass(dir, 0, 10));
    }

    @Test
    void missingDataNamesTheCommandThatBringsIt() {
        Path empty = dir.resolve("nothing-here");
        FileNotFoundException e = assertThrows(FileNotFoundException.class, () -> FashionMnist.load(empty));
        assertMessage(e, empty.toString(), "train-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz",
                "run data/fetch-fashion-mnist.sh (or: sudo apt-get install dataset-fashion-mnist)",
                "FASHION_MNIST_DIR");
    }

    @Test
    void partialDataListsOnlyTheMissingFiles() throws IOException {
        writeSmall(dir, true);
        Files.delete(dir.resolve(FashionMnist.TEST_LABELS + ".gz"));
        FileNotFoundException e = assertThrows(FileNotFoundException.class, () -> FashionMnist.load(dir));
        assertMessage(e, "(missing t10k-labels-idx1-ubyte.gz, each");
        assertFalse(e.getMessage().contains("train-images"), e.getMessage());
    }

    @Test
    void imageLabelCountMismatchIsRejected() throws IOException {
        writeSmall(dir, true);
        Idx.writeLabels(dir.resolve(FashionMnist.TEST_LABELS + ".gz"), new int[] {1, 2, 3}, true);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FashionMnist.load(dir));
        assertMessage(e, "t10k-images-idx3-ubyte.gz holds 20 images", "t10k-labels-idx1-ubyte.gz holds 3 labels");
    }

    @Test
    void wrongImageSizeIsRejected() throws IOException {
        writeSmall(dir, true);
        writeSet(dir, FashionMnist.TRAIN_IMAGES, FashionMnist.TRAIN_LABELS, 30, 27, 28, true);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FashionMnist.load(dir));
        assertMessage(e, "train-images-idx3-ubyte.gz", "27 x 28", "28 x 28");
    }

    @Test
    void labelOutOfRangeIsRejected() throws IOException {
        writeSmall(dir, true);
        int[] y = new int[20];
        y[4] = 10;
        Idx.writeLabels(dir.resolve(FashionMnist.TEST_LABELS + ".gz"), y, true);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FashionMnist.load(dir));
        assertMessage(e, "t10k-labels-idx1-ubyte.gz", "label 10 of item 4", "outside [0, 10)");
    }

    @Test
    void truncatedFileIsRejected() throws IOException {
        writeSmall(dir, false);
        Path f = dir.resolve(FashionMnist.TRAIN_IMAGES);
        byte[] all = Files.readAllBytes(f);
        Files.write(f, java.util.Arrays.copyOf(all, all.length - 100));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FashionMnist.load(dir));
        assertMessage(e, "train-images-idx3-ubyte", "truncated");
    }

    @Test
    void twoClassSubsetIsRelabelled() throws IOException {
        writeSmall(dir, true);
        LabelledData train = FashionMnist.load(dir).train();
        LabelledData pair = FashionMnist.twoClass(train, FashionMnist.TSHIRT, FashionMnist.SHIRT);
        assertEquals(2, pair.classCount());
        assertEquals(6, pair.size()); // examples 0, 6, 10, 16, 20, 26
        assertArrayEquals(new int[] {0, 1, 0, 1, 0, 1}, pair.labels());
        assertEquals(train.features()[16 * 784 + 5], pair.features()[3 * 784 + 5], 0.0);
        LabelledData swapped = FashionMnist.twoClass(train, FashionMnist.SHIRT, FashionMnist.TSHIRT);
        assertArrayEquals(new int[] {1, 0, 1, 0, 1, 0}, swapped.labels());
        assertThrows(IllegalArgumentException.class, () -> FashionMnist.twoClass(train, 3, 3));
        assertThrows(IllegalArgumentException.class, () -> FashionMnist.twoClass(train, 0, 10));
    }

    @Test
    void classNames() {
        assertEquals(10, FashionMnist.CLASS_NAMES.size());
        assertEquals("T-shirt/top", FashionMnist.CLASS_NAMES.get(FashionMnist.TSHIRT));
        assertEquals("Shirt", FashionMnist.CLASS_NAMES.get(FashionMnist.SHIRT));
        assertEquals("Ankle boot", FashionMnist.CLASS_NAMES.get(9));
    }

    @Test
    void loadsTheInstalledDataWhenPresent() throws IOException {
        Assumptions.assumeTrue(FashionMnist.isAvailable(), "Fashion-MNIST is not installed");
        Splits.Split s = FashionMnist.load();
        assertEquals(FashionMnist.TRAIN_SIZE, s.train().size());
        assertEquals(FashionMnist.TEST_SIZE, s.test().size());
        int[] perTrain = new int[10];
        int[] perTest = new int[10];
        java.util.Arrays.fill(perTrain, 6000);
        java.util.Arrays.fill(perTest, 1000);
        assertArrayEquals(perTrain, s.train().classCounts());
        assertArrayEquals(perTest, s.test().classCounts());
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        double sum = 0;
        for (double v : s.train().features()) {
            min = Math.min(min, v);
            max = Math.max(max, v);
            sum += v;
        }
        assertEquals(0.0, min, 0.0);
        assertEquals(1.0, max, 0.0);
        double meanPixel = sum / s.train().features().length;
        assertTrue(meanPixel > 0.2 && meanPixel < 0.4, "mean pixel " + meanPixel); // 72.94 / 255 = 0.286
        LabelledData pair = FashionMnist.twoClass(s.test(), FashionMnist.TSHIRT, FashionMnist.SHIRT);
        assertEquals(2000, pair.size());
        assertArrayEquals(new int[] {1000, 1000}, pair.classCounts());
    }
}
