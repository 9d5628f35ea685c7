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
    /** Growth step of read buffers: at most this much is allocated beyond the data present. */
    private static final int CHUNK = 1 << 20;
    private static final String REDOWNLOAD = "re-download the file (Fashion-MNIST: delete it and run "
            + "data/fetch-fashion-mnist.sh)";

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
        long per = (long) rows * cols; // < 2^62; times count could pass 2^63, so the product is checked in steps
        long total = per > Integer.MAX_VALUE ? Long.MAX_VALUE : count * per;
        if (total > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(source + ": the header declares " + count + " images of " + rows
                    + " x " + cols + " pixels (" + (total == Long.MAX_VALUE ? "more than 2^63" : String.valueOf(total))
                    + " bytes), more than one Java array holds; the header is corrupt (" + REDOWNLOAD
                    + ") or the file must be split");
        }
        byte[] pixels = readBody(in, source, (int) total,
                count + " images of " + rows + " x " + cols + " pixels", 16);
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
        float[] table = new float[256];
        for (int v = 0; v < 256; v++) {
            table[v] = (float) (v / divisor);
        }
        int size = (int) per;
        // grown as images arrive: never more than the data present plus one chunk, whatever the header claims
        float[] out = new float[0];
        // one image's buffer only when small; a larger claimed image is read in growing chunks, so a
        // corrupt header costs at most the bytes present plus one chunk
        byte[] image = size <= CHUNK ? new byte[size] : null;
        int m = 0;
        for (int i = 0; i < count; i++) {
            byte[] got = image != null ? readFully(in, source, image, size) : readFully(in, source, size);
            if (got != null && got.length < size) {
                got = null;
            }
            if (got == null) {
                throw new IllegalArgumentException(source + ": truncated: the header declares " + count
                        + " images of " + rows + " x " + cols + " pixels (" + (long) count * per
                        + " bytes) but the file ends within image " + i + " (before byte offset "
                        + (16 + (long) (i + 1) * per) + "); " + REDOWNLOAD);
            }
            if (keep.test(i)) {
                if ((long) (m + 1) * size > Integer.MAX_VALUE - 8) {
                    throw new IllegalArgumentException(source + ": keeping more than " + m + " images of " + rows
                            + " x " + cols + " pixels needs more than one Java array holds; keep fewer");
                }
                if ((long) (m + 1) * size > out.length) {
                    long grown = Math.max((long) (m + 1) * size, Math.min((long) out.length * 2,
                            (long) out.length + (1L << 24)));
                    out = java.util.Arrays.copyOf(out, (int) Math.min(grown, Integer.MAX_VALUE - 8));
                }
                int base = m++ * size;
                for (int t = 0; t < size; t++) {
                    out[base + t] = table[got[t] & 0xff];
                }
            }
        }
        if (out.length != (long) m * size) {
            out = java.util.Arrays.copyOf(out, m * size);
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
            throw corrupt(source, -1, e);
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
        byte[] body = readBody(in, source, count, count + " labels", 8);
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

    /** A buffered stream of {@code raw}, gunzipped when it starts with {@code 1f 8b} (also {@link Svmlight}'s). */
    static InputStream open(InputStream raw, String source) throws IOException {
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
    private static byte[] readBody(InputStream in, String source, int size, String what, int headerBytes)
            throws IOException {
        byte[] body = readFully(in, source, size);
        if (body.length < size) {
            throw new IllegalArgumentException(source + ": truncated: the header declares " + what + " ("
                    + size + " bytes) but only " + body.length + " bytes follow it (the data ends at byte offset "
                    + (body.length + headerBytes) + "); " + REDOWNLOAD);
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
            throw corrupt(source, size + extra, e);
        }
        if (extra > 0) {
            throw new IllegalArgumentException(source + ": " + extra + " bytes follow the " + size
                    + " declared by the header (" + what + "), from body byte offset " + size
                    + "; the header's sizes do not match the data: " + REDOWNLOAD);
        }
    }

    /**
     * Up to {@code size} bytes; fewer only at the end of the data (a cut gzip stream counts as the end).
     * The buffer grows in chunks as data arrives, so a header that claims more than the file holds
     * costs at most the bytes present plus one chunk, never the claimed size.
     */
    private static byte[] readFully(InputStream in, String source, int size) throws IOException {
        byte[] buf = new byte[Math.min(size, CHUNK)];
        int got = 0;
        try {
            while (got < size) {
                if (got == buf.length) {
                    buf = java.util.Arrays.copyOf(buf, (int) Math.min(size, (long) buf.length + Math.max(buf.length, CHUNK)));
                }
                int r = in.read(buf, got, buf.length - got);
                if (r < 0) {
                    break;
                }
                got += r;
            }
        } catch (EOFException e) {
            // GZIPInputStream: "Unexpected end of ZLIB input stream", a compressed file cut short
        } catch (ZipException e) {
            throw corrupt(source, got, e);
        }
        return got == buf.length ? buf : java.util.Arrays.copyOf(buf, got);
    }

    /** A corrupt gzip stream, {@code offset} bytes into the decompressed data. */
    private static IllegalArgumentException corrupt(String source, long offset, ZipException e) {
        return new IllegalArgumentException(source + ": the gzip data is corrupt"
                + (offset >= 0 ? " near decompressed byte offset " + offset : " within the image data") + " (" + e.getMessage() + "); " + REDOWNLOAD, e);
    }

    private static String hex(int v) {
        return String.format("0x%08x", v);
    }
}
