package io.github.fastgn.data;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.IntPredicate;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipException;

/**
 * Reader and writer of the IDX files of MNIST and Fashion-MNIST, restricted to unsigned bytes:
 * image files (magic {@code 0x00000803}: count x rows x columns) and label files (magic
 * {@code 0x00000801}: count). Files may be gzip-compressed or plain; the reader decides from the
 * first two bytes ({@code 1f 8b}), not from the file name.
 *
 * <p>The reader checks the magic number (two zero bytes, type {@code 0x08}, the expected number
 * of dimensions), that every declared dimension is usable, that exactly the declared number of
 * bytes follows the header (neither truncated nor with trailing data) and, for labels, that every
 * label lies in {@code [0, classes)}. Malformed content raises an {@link IllegalArgumentException}
 * that names the file, what is wrong and, where it helps, what the file looks like instead;
 * failures to read the file at all stay {@link IOException}s.
 */
public final class Idx {

    /** Magic number of an image file: unsigned bytes ({@code 0x08}), 3 dimensions. */
    public static final int IMAGES_MAGIC = 0x00000803;
    /** Magic number of a label file: unsigned bytes ({@code 0x08}), 1 dimension. */
    public static final int LABELS_MAGIC = 0x00000801;

    private static final int UNSIGNED_BYTE = 0x08;

    private Idx() {
    }

    /**
     * Images of an IDX file: {@code count} images of {@code rows x cols} unsigned-byte pixels,
     * row-major, one image after the other.
     *
     * @param pixels {@code count * rows * cols} bytes, read as unsigned (not copied)
     */
    public record Images(int count, int rows, int cols, byte[] pixels) {

        public Images {
            if (count < 0 || rows < 1 || cols < 1) {
                throw new IllegalArgumentException("IDX images need count >= 0 and rows, cols >= 1, got " + count
                        + " x " + rows + " x " + cols);
            }
            if (pixels.length != (long) count * rows * cols) {
                throw new IllegalArgumentException("got " + pixels.length + " pixel bytes for " + count
                        + " images of " + rows + " x " + cols + " (expected " + (long) count * rows * cols + ")");
            }
        }

        /** Pixels per image, {@code rows * cols}. */
        public int pixelsPerImage() {
            return rows * cols;
        }

        /** Pixel {@code index} (row-major within the image) of image {@code image}, in {@code [0, 255]}. */
        public int pixel(int image, int index) {
            return pixels[image * pixelsPerImage() + index] & 0xff;
        }

        /** All pixels divided by {@code divisor}, row-major {@code count x (rows * cols)}. */
        public double[] scaled(double divisor) {
            double[] out = new double[pixels.length];
            for (int i = 0; i < out.length; i++) {
                out[i] = (pixels[i] & 0xff) / divisor;
            }
            return out;
        }
    }

    /** Reads an image file (gzip or plain). */
    public static Images readImages(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return readImages(in, file.toString());
        }
    }

    /**
     * Reads an image file from a stream (gzip or plain); {@code source} names it in messages.
     *
     * @throws IllegalArgumentException if the content is not a well-formed unsigned-byte image file
     */
    public static Images readImages(InputStream raw, String source) throws IOException {
        InputStream in = open(raw, source);
        int[] dims = readHeader(in, source, 3, "image", "a label file");
        int count = dims[0];
        int rows = dims[1];
        int cols = dims[2];
        if (rows < 1 || cols < 1) {
            throw new IllegalArgumentException(source + ": the header declares images of " + rows + " x " + cols
                    + " pixels; both sizes must be at least 1");
        }
        long total = (long) count * rows * cols;
        if (total > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(source + ": the header declares " + count + " images of " + rows
                    + " x " + cols + " pixels (" + total + " bytes), more than one Java array holds; split the file");
        }
        byte[] pixels = readBody(in, source, (int) total,
                count + " images of " + rows + " x " + cols + " pixels");
        return new Images(count, rows, cols, pixels);
    }

    /**
     * Images of an IDX file read as float, only some of them kept: {@code count} kept images of
     * {@code rows x cols} pixels, each pixel {@code p} stored as {@code (float) (p / divisor)}.
     *
     * @param count     the number of kept images
     * @param fileCount the number of images the file holds
     * @param pixels    {@code count * rows * cols} floats, row-major, one kept image after the other
     */
    public record FloatImages(int count, int fileCount, int rows, int cols, float[] pixels) {
    }

    /**
     * Reads an image file (gzip or plain) as float, keeping only the images whose index (0-based, in
     * file order) {@code keep} accepts; the others are read past and never stored. Each kept pixel
     * {@code p} becomes {@code (float) (p / divisor)}, the float nearest to the double
     * {@code p / divisor}. The whole file is validated as by {@link #readImages(Path)}; at most one
     * image's bytes are held at a time besides the result.
     */
    public static FloatImages readImagesAsFloat(Path file, IntPredicate keep, double divisor) throws IOException {
        try (InputStream raw = Files.newInputStream(file)) {
            return readImagesAsFloat(raw, file.toString(), keep, divisor);
        }
    }

    /** {@link #readImagesAsFloat(Path, IntPredicate, double)} from a stream; {@code source} names it in messages. */
    public static FloatImages readImagesAsFloat(InputStream raw, String source, IntPredicate keep, double divisor)
            throws IOException {
        if (!(divisor > 0) || Double.isInfinite(divisor)) {
            throw new IllegalArgumentException("divisor must be positive and finite, got " + divisor);
        }
        InputStream in = open(raw, source);
        int[] dims = readHeader(in, source, 3, "image", "a label file");
        int count = dims[0];
        int rows = dims[1];
        int cols = dims[2];
        if (rows < 1 || cols < 1) {
            throw new IllegalArgumentException(source + ": the header declares images of " + rows + " x " + cols
                    + " pixels; both sizes must be at least 1");
        }
        long per = (long) rows * cols;
        if (per > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(source + ": the header declares images of " + rows + " x " + cols
                    + " pixels, more than one Java array holds");
        }
        boolean[] kept = new boolean[count];
        int m = 0;
        for (int i = 0; i < count; i++) {
            kept[i] = keep.test(i);
            m += kept[i] ? 1 : 0;
        }
        if ((long) m * per > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(source + ": keeping " + m + " images of " + rows + " x " + cols
                    + " pixels needs more than one Java array holds; keep fewer");
        }
        float[] table = new float[256];
        for (int v = 0; v < 256; v++) {
            table[v] = (float) (v / divisor);
        }
        int size = (int) per;
        float[] out = new float[m * size];
        byte[] image = new byte[size];
        int r = 0;
        for (int i = 0; i < count; i++) {
            byte[] got = readFully(in, source, image, size);
            if (got == null) {
                throw new IllegalArgumentException(source + ": truncated: the header declares " + count
                        + " images of " + rows + " x " + cols + " pixels (" + (long) count * per
                        + " bytes) but the file ends within image " + i);
            }
            if (kept[i]) {
                int base = r++ * size;
                for (int t = 0; t < size; t++) {
                    out[base + t] = table[image[t] & 0xff];
                }
            }
        }
        checkEnd(in, source, (long) count * per, count + " images of " + rows + " x " + cols + " pixels");
        return new FloatImages(m, count, rows, cols, out);
    }

    /** Fills {@code buf} with exactly {@code size} bytes; null when the data ends first. */
    private static byte[] readFully(InputStream in, String source, byte[] buf, int size) throws IOException {
        int got = 0;
        try {
            while (got < size) {
                int r = in.read(buf, got, size - got);
                if (r < 0) {
                    break;
                }
                got += r;
            }
        } catch (EOFException e) {
            // a compressed file cut short
        } catch (ZipException e) {
            throw new IllegalArgumentException(source + ": the gzip data is corrupt (" + e.getMessage() + ")", e);
        }
        return got == size ? buf : null;
    }

    /** Reads a label file (gzip or plain) whose labels must lie in {@code [0, classes)}. */
    public static int[] readLabels(Path file, int classes) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return readLabels(in, file.toString(), classes);
        }
    }

    /**
     * Reads a label file from a stream (gzip or plain); {@code source} names it in messages.
     *
     * @throws IllegalArgumentException if the content is not a well-formed label file or a label
     *                                  lies outside {@code [0, classes)}
     */
    public static int[] readLabels(InputStream raw, String source, int classes) throws IOException {
        if (classes < 1) {
            throw new IllegalArgumentException("classes must be at least 1, got " + classes);
        }
        InputStream in = open(raw, source);
        int[] dims = readHeader(in, source, 1, "label", "an image file");
        int count = dims[0];
        byte[] body = readBody(in, source, count, count + " labels");
        int[] labels = new int[count];
        for (int i = 0; i < count; i++) {
            labels[i] = body[i] & 0xff;
            if (labels[i] >= classes) {
                throw new IllegalArgumentException(source + ": label " + labels[i] + " of item " + i
                        + " is outside [0, " + classes + "); is this the label file of another data set?");
            }
        }
        return labels;
    }

    /** Writes an image file, gzip-compressed if {@code gzip}. */
    public static void writeImages(Path file, Images images, boolean gzip) throws IOException {
        try (DataOutputStream out = new DataOutputStream(sink(file, gzip))) {
            out.writeInt(IMAGES_MAGIC);
            out.writeInt(images.count());
            out.writeInt(images.rows());
            out.writeInt(images.cols());
            out.write(images.pixels());
        }
    }

    /** Writes a label file, gzip-compressed if {@code gzip}; labels must lie in {@code [0, 255]}. */
    public static void writeLabels(Path file, int[] labels, boolean gzip) throws IOException {
        byte[] body = new byte[labels.length];
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] > 255) {
                throw new IllegalArgumentException("label " + labels[i] + " of item " + i
                        + " does not fit in an unsigned byte [0, 255]");
            }
            body[i] = (byte) labels[i];
        }
        try (DataOutputStream out = new DataOutputStream(sink(file, gzip))) {
            out.writeInt(LABELS_MAGIC);
            out.writeInt(labels.length);
            out.write(body);
        }
    }

    private static OutputStream sink(Path file, boolean gzip) throws IOException {
        OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
        return gzip ? new GZIPOutputStream(out, 1 << 16) : out;
    }

    /** Wraps the stream in a gzip decoder when it starts with {@code 1f 8b}. */
    private static InputStream open(InputStream raw, String source) throws IOException {
        BufferedInputStream in = new BufferedInputStream(raw, 1 << 16);
        in.mark(2);
        int b0 = in.read();
        int b1 = in.read();
        in.reset();
        if (b0 == 0x1f && b1 == 0x8b) {
            try {
                return new BufferedInputStream(new GZIPInputStream(in, 1 << 16), 1 << 16);
            } catch (EOFException e) {
                throw new IllegalArgumentException(source + ": truncated: the gzip header is incomplete", e);
            } catch (ZipException e) {
                throw new IllegalArgumentException(source + ": starts like gzip (1f 8b) but is not a valid gzip stream ("
                        + e.getMessage() + ")", e);
            }
        }
        return in;
    }

    /** Reads and checks the magic number and the dimensions, returned as non-negative ints. */
    private static int[] readHeader(InputStream in, String source, int expectedDims, String kind, String otherKind)
            throws IOException {
        int expectedMagic = (UNSIGNED_BYTE << 8) | expectedDims;
        byte[] magic = readFully(in, source, 4);
        if (magic.length < 4) {
            throw new IllegalArgumentException(source + ": truncated: the file holds " + magic.length
                    + " bytes, too few for the 4-byte IDX magic number");
        }
        int found = ((magic[0] & 0xff) << 24) | ((magic[1] & 0xff) << 16) | ((magic[2] & 0xff) << 8)
                | (magic[3] & 0xff);
        if (magic[0] != 0 || magic[1] != 0) {
            throw new IllegalArgumentException(source + ": wrong magic number " + hex(found)
                    + "; an IDX " + kind + " file starts with " + hex(expectedMagic)
                    + " (two zero bytes, type 0x08, " + expectedDims + " dimension" + (expectedDims == 1 ? "" : "s")
                    + "); this is not an IDX file");
        }
        if ((magic[2] & 0xff) != UNSIGNED_BYTE) {
            throw new IllegalArgumentException(source + ": wrong magic number " + hex(found) + ": data type code "
                    + String.format("0x%02x", magic[2] & 0xff) + " is not supported; only unsigned bytes (0x08), magic "
                    + hex(expectedMagic) + ", are read");
        }
        int dims = magic[3] & 0xff;
        if (dims != expectedDims) {
            throw new IllegalArgumentException(source + ": wrong magic number " + hex(found) + ": the file has "
                    + dims + " dimension" + (dims == 1 ? "" : "s") + " but an IDX " + kind + " file has "
                    + expectedDims + " (magic " + hex(expectedMagic) + ")"
                    + (dims == 4 - expectedDims ? "; is this " + otherKind + "?" : ""));
        }
        byte[] raw = readFully(in, source, 4 * dims);
        if (raw.length < 4 * dims) {
            throw new IllegalArgumentException(source + ": truncated: the header declares " + dims
                    + " dimension sizes (" + 4 * dims + " bytes) but the file ends after " + raw.length + " of them");
        }
        int[] out = new int[dims];
        for (int i = 0; i < dims; i++) {
            long size = ((raw[4 * i] & 0xffL) << 24) | ((raw[4 * i + 1] & 0xff) << 16)
                    | ((raw[4 * i + 2] & 0xff) << 8) | (raw[4 * i + 3] & 0xff);
            if (size > Integer.MAX_VALUE) {
                throw new IllegalArgumentException(source + ": dimension " + i + " declares size " + size
                        + ", too large to be real; the header is corrupt");
            }
            out[i] = (int) size;
        }
        return out;
    }

    /** Reads exactly {@code size} body bytes and checks that nothing follows them. */
    private static byte[] readBody(InputStream in, String source, int size, String what) throws IOException {
        byte[] body = readFully(in, source, size);
        if (body.length < size) {
            throw new IllegalArgumentException(source + ": truncated: the header declares " + what + " ("
                    + size + " bytes) but only " + body.length + " bytes follow it");
        }
        checkEnd(in, source, size, what);
        return body;
    }

    /** Checks that nothing follows the {@code size} declared body bytes. */
    private static void checkEnd(InputStream in, String source, long size, String what) throws IOException {
        int extra = 0;
        try {
            byte[] tail = new byte[4096];
            int r;
            while ((r = in.read(tail)) > 0) {
                extra += r;
            }
        } catch (EOFException e) {
            throw new IllegalArgumentException(source + ": truncated: the gzip stream ends before its trailer"
                    + " (the file was cut short after the data)", e);
        } catch (ZipException e) {
            throw new IllegalArgumentException(source + ": the gzip data is corrupt (" + e.getMessage() + ")", e);
        }
        if (extra > 0) {
            throw new IllegalArgumentException(source + ": " + extra + " bytes follow the " + size
                    + " declared by the header (" + what + "); the header's sizes do not match the data");
        }
    }

    /** Up to {@code size} bytes; fewer only at the end of the data (a cut gzip stream counts as the end). */
    private static byte[] readFully(InputStream in, String source, int size) throws IOException {
        byte[] buf = new byte[size];
        int got = 0;
        try {
            while (got < size) {
                int r = in.read(buf, got, size - got);
                if (r < 0) {
                    break;
                }
                got += r;
            }
        } catch (EOFException e) {
            // GZIPInputStream: "Unexpected end of ZLIB input stream", a compressed file cut short
        } catch (ZipException e) {
            throw new IllegalArgumentException(source + ": the gzip data is corrupt (" + e.getMessage() + ")", e);
        }
        if (got == size) {
            return buf;
        }
        byte[] part = new byte[got];
        System.arraycopy(buf, 0, part, 0, got);
        return part;
    }

    private static String hex(int v) {
        return String.format("0x%08x", v);
    }
}
