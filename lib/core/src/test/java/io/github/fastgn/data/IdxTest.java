package io.github.fastgn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxTest {

    @TempDir
    Path dir;

    static Idx.Images sampleImages(int count, int rows, int cols) {
        byte[] px = new byte[count * rows * cols];
        for (int i = 0; i < px.length; i++) {
            px[i] = (byte) ((i * 37 + 11) % 256);
        }
        return new Idx.Images(count, rows, cols, px);
    }

    /** An IDX header with the given magic and dimension sizes, followed by {@code body}. */
    static byte[] raw(int magic, int[] dims, byte[] body) {
        ByteBuffer buf = ByteBuffer.allocate(4 + 4 * dims.length + body.length);
        buf.putInt(magic);
        for (int v : dims) {
            buf.putInt(v);
        }
        buf.put(body);
        return buf.array();
    }

    static byte[] gzip(byte[] plain) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(plain);
        }
        return out.toByteArray();
    }

    private IllegalArgumentException imagesError(byte[] content, String name) throws IOException {
        Path f = dir.resolve(name);
        Files.write(f, content);
        return assertThrows(IllegalArgumentException.class, () -> Idx.readImages(f));
    }

    private IllegalArgumentException labelsError(byte[] content, String name, int classes) throws IOException {
        Path f = dir.resolve(name);
        Files.write(f, content);
        return assertThrows(IllegalArgumentException.class, () -> Idx.readLabels(f, classes));
    }

    private static void assertMessage(Exception e, String... parts) {
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), () -> "message '" + e.getMessage() + "' lacks '" + p + "'");
        }
    }

    @Test
    void imagesRoundTripPlainAndGzip() throws IOException {
        Idx.Images images = sampleImages(5, 3, 4);
        for (boolean gz : new boolean[] {false, true}) {
            Path f = dir.resolve("img" + gz);
            Idx.writeImages(f, images, gz);
            byte[] head = Arrays.copyOf(Files.readAllBytes(f), 2);
            assertEquals(gz, head[0] == (byte) 0x1f && head[1] == (byte) 0x8b);
            Idx.Images back = Idx.readImages(f);
            assertEquals(5, back.count());
            assertEquals(3, back.rows());
            assertEquals(4, back.cols());
            assertArrayEquals(images.pixels(), back.pixels());
        }
    }

    @Test
    void labelsRoundTripPlainAndGzip() throws IOException {
        int[] labels = {0, 9, 3, 3, 7, 255 % 10, 1};
        for (boolean gz : new boolean[] {false, true}) {
            Path f = dir.resolve("lab" + gz + ".idx");
            Idx.writeLabels(f, labels, gz);
            assertArrayEquals(labels, Idx.readLabels(f, 10));
        }
    }

    @Test
    void pixelsAreUnsignedAndScaled() {
        Idx.Images images = new Idx.Images(1, 1, 3, new byte[] {0, (byte) 128, (byte) 255});
        assertEquals(255, images.pixel(0, 2));
        assertArrayEquals(new double[] {0.0, 128 / 255.0, 1.0}, images.scaled(255.0), 0.0);
    }

    @Test
    void compressionIsDetectedFromContentNotName() throws IOException {
        Path f = dir.resolve("looks-plain-idx3-ubyte");
        Idx.writeImages(f, sampleImages(2, 2, 2), true);
        assertEquals(2, Idx.readImages(f).count());
        Path g = dir.resolve("looks-compressed.gz");
        Idx.writeImages(g, sampleImages(2, 2, 2), false);
        assertEquals(2, Idx.readImages(g).count());
    }

    @Test
    void truncatedBodyIsRejected() throws IOException {
        byte[] full = raw(Idx.IMAGES_MAGIC, new int[] {4, 3, 3}, new byte[36]);
        byte[] cut = Arrays.copyOf(full, full.length - 5);
        IllegalArgumentException e = imagesError(cut, "cut-images");
        assertMessage(e, "cut-images", "truncated", "4 images of 3 x 3 pixels (36 bytes)", "only 31 bytes");
        IllegalArgumentException g = imagesError(gzip(cut), "cut-images.gz");
        assertMessage(g, "cut-images.gz", "truncated", "only 31 bytes");
    }

    @Test
    void truncatedGzipStreamIsRejected() throws IOException {
        byte[] gz = gzip(raw(Idx.IMAGES_MAGIC, new int[] {50, 10, 10}, sampleImages(50, 10, 10).pixels()));
        IllegalArgumentException e = imagesError(Arrays.copyOf(gz, gz.length / 2), "half.gz");
        assertMessage(e, "half.gz", "truncated");
        // the data is complete but the gzip trailer (CRC, size) is cut off
        IllegalArgumentException t = imagesError(Arrays.copyOf(gz, gz.length - 4), "no-trailer.gz");
        assertMessage(t, "no-trailer.gz", "truncated");
    }

    @Test
    void truncatedHeaderIsRejected() throws IOException {
        assertMessage(imagesError(new byte[] {0, 0}, "tiny"), "tiny", "truncated", "holds 2 bytes");
        byte[] header = Arrays.copyOf(raw(Idx.IMAGES_MAGIC, new int[] {1, 2, 2}, new byte[0]), 10);
        assertMessage(imagesError(header, "half-header"), "half-header", "truncated", "3 dimension sizes");
        assertMessage(labelsError(new byte[0], "empty", 10), "empty", "truncated", "holds 0 bytes");
    }

    @Test
    void wrongMagicIsRejected() throws IOException {
        IllegalArgumentException e = imagesError(raw(0x12345678, new int[] {1}, new byte[1]), "junk");
        assertMessage(e, "junk", "wrong magic number 0x12345678", "0x00000803", "not an IDX file");
        IllegalArgumentException type = imagesError(raw(0x00000d03, new int[] {1, 1, 1}, new byte[4]), "floats");
        assertMessage(type, "floats", "wrong magic number 0x00000d03", "data type code 0x0d", "unsigned bytes");
    }

    @Test
    void wrongDimensionCountIsRejected() throws IOException {
        byte[] labels = raw(Idx.LABELS_MAGIC, new int[] {3}, new byte[] {1, 2, 3});
        IllegalArgumentException e = imagesError(labels, "labels-as-images");
        assertMessage(e, "labels-as-images", "wrong magic number 0x00000801", "1 dimension",
                "image file has 3", "a label file?");
        byte[] images = raw(Idx.IMAGES_MAGIC, new int[] {1, 1, 1}, new byte[1]);
        assertMessage(labelsError(images, "images-as-labels", 10), "3 dimensions", "label file has 1",
                "an image file?");
        byte[] twoDims = raw(0x00000802, new int[] {2, 2}, new byte[4]);
        assertMessage(imagesError(twoDims, "matrix"), "matrix", "2 dimensions", "image file has 3");
    }

    @Test
    void unusableSizesAreRejected() throws IOException {
        assertMessage(imagesError(raw(Idx.IMAGES_MAGIC, new int[] {3, 0, 28}, new byte[0]), "zero-rows"),
                "zero-rows", "images of 0 x 28 pixels", "at least 1");
        assertMessage(imagesError(raw(Idx.IMAGES_MAGIC, new int[] {-1, 28, 28}, new byte[0]), "huge"),
                "huge", "4294967295", "corrupt");
    }

    @Test
    void trailingBytesAreRejected() throws IOException {
        byte[] content = raw(Idx.LABELS_MAGIC, new int[] {3}, new byte[] {1, 2, 3, 4, 5});
        assertMessage(labelsError(content, "long-labels", 10), "long-labels", "2 bytes follow the 3 declared");
        assertMessage(labelsError(gzip(content), "long-labels.gz", 10), "2 bytes follow");
    }

    @Test
    void labelOutOfRangeIsRejected() throws IOException {
        byte[] content = raw(Idx.LABELS_MAGIC, new int[] {5}, new byte[] {1, 2, 3, 12, 4});
        assertMessage(labelsError(content, "bad-labels", 10), "bad-labels", "label 12 of item 3",
                "outside [0, 10)");
        assertArrayEquals(new int[] {1, 2, 3, 12, 4},
                Idx.readLabels(new ByteArrayInputStream(content), "stream", 13));
    }

    @Test
    void corruptGzipIsRejected() throws IOException {
        byte[] gz = gzip(raw(Idx.LABELS_MAGIC, new int[] {100}, new byte[100]));
        for (int i = 12; i < gz.length - 8; i++) {
            gz[i] ^= (byte) 0x5a;
        }
        IllegalArgumentException e = labelsError(gz, "garbled.gz", 10);
        assertMessage(e, "garbled.gz", "corrupt");
    }

    @Test
    void writerRejectsLabelsThatDoNotFitAByte() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Idx.writeLabels(dir.resolve("x"), new int[] {1, 256}, false));
        assertMessage(e, "label 256 of item 1");
        assertThrows(IllegalArgumentException.class, () -> new Idx.Images(2, 2, 2, new byte[7]));
    }

    @Test
    void readsOnlyTheKeptImagesAsFloat() throws IOException {
        Idx.Images images = sampleImages(9, 3, 4);
        for (boolean gz : new boolean[] {true, false}) {
            Path f = dir.resolve("keep" + gz);
            Idx.writeImages(f, images, gz);
            Idx.FloatImages odd = Idx.readImagesAsFloat(f, i -> i % 2 == 1, 255.0);
            assertEquals(4, odd.count());
            assertEquals(9, odd.fileCount());
            assertEquals(3, odd.rows());
            assertEquals(4, odd.cols());
            assertEquals(4 * 12, odd.pixels().length, "only the kept images are stored");
            for (int r = 0; r < 4; r++) {
                for (int p = 0; p < 12; p++) {
                    assertEquals((float) (images.pixel(2 * r + 1, p) / 255.0), odd.pixels()[r * 12 + p]);
                }
            }
            assertEquals(0, Idx.readImagesAsFloat(f, i -> false, 255.0).pixels().length);
        }
        // the whole file is still validated: trailing bytes and truncation are reported
        byte[] full = raw(Idx.IMAGES_MAGIC, new int[] {2, 2, 2}, new byte[9]);
        assertThrows(IllegalArgumentException.class,
                () -> Idx.readImagesAsFloat(new ByteArrayInputStream(full), "extra", i -> true, 255.0));
        byte[] cut = raw(Idx.IMAGES_MAGIC, new int[] {2, 2, 2}, new byte[7]);
        assertThrows(IllegalArgumentException.class,
                () -> Idx.readImagesAsFloat(new ByteArrayInputStream(cut), "cut", i -> false, 255.0));
        assertThrows(IllegalArgumentException.class,
                () -> Idx.readImagesAsFloat(new ByteArrayInputStream(full), "x", i -> true, 0.0));
    }
}
