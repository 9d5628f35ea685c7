package io.github.fastgn.data;

import io.github.fastgn.internal.linalg.Parallel;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A dense float {@link FeatureMatrix} in a file, memory-mapped and read in row blocks: the matrix
 * is never copied onto the heap (the products hold one block of at most 4 MiB), so it may be far
 * larger than {@code -Xmx}; the operating system's page cache holds what fits in memory.
 *
 * <p><b>File layout</b> (version 1): a 32-byte header, then the values as little-endian float32,
 * row-major, with no padding (the layout of the bench's {@code .f32} files, after the header).
 * <pre>
 *   offset  size  field
 *        0     8  magic, the ASCII bytes "FGNF32LE"
 *        8     4  version, int32 little-endian: 1
 *       12     4  header length in bytes, int32 little-endian: 32
 *       16     8  rows n, int64 little-endian, 1 .. 2^31 - 1
 *       24     8  columns d, int64 little-endian, 1 .. 2^28
 *       32  4 n d values
 * </pre>
 * {@link Writer} writes the header last (rows 0 until it is closed), so an interrupted write is
 * reported as such when opened.
 *
 * <p>{@link #open} checks the header, the file size and every value (one streaming pass: a
 * non-finite value is reported with its row and column). The products run the same block-wise
 * code as a float {@link DenseFeatures} ({@code DenseRows}), so they are bit-identical to the
 * in-heap float path on the same values.
 */
public final class MappedFloatFeatures extends DenseRows implements FeatureMatrix {

    /** The first 8 bytes of every file. */
    static final byte[] MAGIC = "FGNF32LE".getBytes(StandardCharsets.US_ASCII);
    /** The version this code reads and writes. */
    static final int VERSION = 1;
    /** Header length in bytes (keeps the values 32-byte aligned). */
    static final int HEADER = 32;
    /** Largest number of columns: one row is at most 1 GiB, so a mapped segment always holds whole rows. */
    static final int MAX_COLUMNS = 1 << 28;
    private static final long SEGMENT_BYTES = 1L << 30;

    private final Path file;
    /** Rows per mapped segment: a multiple of the block rows, so a block never straddles two segments. */
    private final int segmentRows;
    private final ByteBuffer[] segments;
    /** A view's rows: row {@code i} of this matrix is row {@code rowIndex[i]} of the file; null for all rows in order. */
    private final int[] rowIndex;
    /** A view's column divisors (values read as {@code (float) ((x_ij - offsets[j]) / divisors[j])}), or null. */
    private final double[] divisors;
    /** A view's column offsets (subtracted before the divisors), or null for none. */
    private final double[] offsets;
    /** Whether a view reads the squares {@code (float) (v * v)} of its (scaled, float) values {@code v}. */
    private final boolean squares;

    private MappedFloatFeatures(Path file, int n, int d, int segmentRows, ByteBuffer[] segments) {
        this(file, n, d, segmentRows, segments, null, null, null, false);
    }

    private MappedFloatFeatures(Path file, int n, int d, int segmentRows, ByteBuffer[] segments, int[] rowIndex,
                                double[] offsets, double[] divisors, boolean squares) {
        super(n, d);
        this.file = file;
        this.segmentRows = segmentRows;
        this.segments = segments;
        this.rowIndex = rowIndex;
        this.offsets = offsets;
        this.divisors = divisors;
        this.squares = squares;
    }

    /**
     * Maps a matrix file and checks it.
     *
     * @throws IOException              when the file cannot be read
     * @throws IllegalArgumentException naming the file and what is wrong: not this format, another
     *                                  version, an unfinished write, a size that does not match the
     *                                  header, or a non-finite value (with its row and column)
     */
    public static MappedFloatFeatures open(Path file) throws IOException {
        return open(file, SEGMENT_BYTES);
    }

    /** As {@link #open(Path)} with mapped segments of about {@code segmentBytes} (tests use small ones). */
    static MappedFloatFeatures open(Path file, long segmentBytes) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < HEADER) {
                throw new IllegalArgumentException(file + ": " + size + " bytes, shorter than the " + HEADER
                        + "-byte header of a FastGN float matrix file");
            }
            ByteBuffer h = ByteBuffer.allocate(HEADER).order(ByteOrder.LITTLE_ENDIAN);
            while (h.hasRemaining() && ch.read(h, h.position()) >= 0) {
                // read the header fully
            }
            h.flip();
            byte[] magic = new byte[MAGIC.length];
            h.get(magic);
            if (!java.util.Arrays.equals(magic, MAGIC)) {
                throw new IllegalArgumentException(file + ": not a FastGN float matrix file (its first bytes are not "
                        + "\"FGNF32LE\"); write one with MappedFloatFeatures.write or MappedFloatFeatures.Writer");
            }
            int version = h.getInt();
            int header = h.getInt();
            long rows = h.getLong();
            long cols = h.getLong();
            if (version != VERSION || header != HEADER) {
                throw new IllegalArgumentException(file + ": format version " + version + " with a " + header
                        + "-byte header; this library reads version " + VERSION + " (" + HEADER + " bytes)");
            }
            if (rows == 0) {
                throw new IllegalArgumentException(file + ": the header says 0 rows: the file was not finished"
                        + " (MappedFloatFeatures.Writer writes the row count when it is closed)");
            }
            if (rows < 1 || rows > Integer.MAX_VALUE || cols < 1 || cols > MAX_COLUMNS) {
                throw new IllegalArgumentException(file + ": the header says " + rows + " rows and " + cols
                        + " columns; supported are 1 .. " + Integer.MAX_VALUE + " rows and 1 .. " + MAX_COLUMNS
                        + " columns");
            }
            long expected = HEADER + 4 * rows * cols; // < 2^31 * 2^28 * 4 = 2^61: no overflow
            if (size != expected) {
                throw new IllegalArgumentException(file + ": " + size + " bytes, but a " + rows + " x " + cols
                        + " float matrix with its header takes " + expected + " bytes; the file is truncated or"
                        + " the header is corrupt");
            }
            int n = (int) rows;
            int d = (int) cols;
            int block = blockRows(d);
            long rowBytes = 4L * d;
            int segmentRows = (int) Math.min(n, Math.max(1, segmentBytes / (rowBytes * block)) * block);
            int count = (int) ((n + (long) segmentRows - 1) / segmentRows);
            ByteBuffer[] segments = new ByteBuffer[count];
            for (int s = 0; s < count; s++) {
                long r0 = (long) s * segmentRows;
                long r1 = Math.min(n, r0 + segmentRows);
                segments[s] = ch.map(FileChannel.MapMode.READ_ONLY, HEADER + r0 * rowBytes, (r1 - r0) * rowBytes)
                        .order(ByteOrder.LITTLE_ENDIAN);
            }
            MappedFloatFeatures m = new MappedFloatFeatures(file, n, d, segmentRows, segments);
            m.checkFinite();
            return m;
        }
    }

    private void checkFinite() {
        int step = blockRows(d);
        float[] scratch = new float[Math.min(n, step) * d];
        for (int r0 = 0; r0 < n; r0 += step) {
            int r1 = Math.min(n, r0 + step);
            float[] x = floatBlock(r0, r1, scratch);
            for (int t = 0, end = (r1 - r0) * d; t < end; t++) {
                if (!Float.isFinite(x[t])) {
                    throw new IllegalArgumentException(file + ": row " + (r0 + t / d) + ", column " + (t % d)
                            + " is " + x[t] + "; remove or impute non-finite values before writing the file");
                }
            }
        }
    }

    /** Writes a row-major {@code n x d} float matrix (all finite) to {@code file} in this format. */
    public static void write(Path file, float[] x, int n, int d) throws IOException {
        if (x == null || n < 1 || d < 1 || x.length != (long) n * d) {
            throw new IllegalArgumentException("write needs a row-major n x d array with n, d >= 1; got "
                    + (x == null ? "null" : x.length + " values") + " for " + n + " x " + d);
        }
        try (Writer w = Writer.create(file, d)) {
            w.appendRows(x, n);
        }
    }

    /**
     * Writes a matrix file row by row, so a matrix larger than the heap can be written from any
     * source. The header's row count is written by {@link #close()}; until then the file reads as
     * unfinished.
     */
    public static final class Writer implements Closeable {
        private final Path file;
        private final FileChannel ch;
        private final int d;
        private final ByteBuffer buffer;
        private long rows;
        private boolean closed;

        private Writer(Path file, FileChannel ch, int d) {
            this.file = file;
            this.ch = ch;
            this.d = d;
            this.buffer = ByteBuffer.allocate(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
        }

        /** Creates (or truncates) {@code file} for a matrix of {@code columns} columns. */
        public static Writer create(Path file, int columns) throws IOException {
            if (columns < 1 || columns > MAX_COLUMNS) {
                throw new IllegalArgumentException("columns = " + columns + "; supported are 1 .. " + MAX_COLUMNS);
            }
            FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING);
            Writer w = new Writer(file, ch, columns);
            w.header(0);
            return w;
        }

        private void header(long rowCount) throws IOException {
            ByteBuffer h = ByteBuffer.allocate(HEADER).order(ByteOrder.LITTLE_ENDIAN);
            h.put(MAGIC).putInt(VERSION).putInt(HEADER).putLong(rowCount).putLong(d).flip();
            long at = 0;
            while (h.hasRemaining()) {
                at += ch.write(h, at);
            }
        }

        /**
         * Appends the first {@code count} rows of the row-major array {@code x} (all finite).
         *
         * @throws IllegalArgumentException for a short array, a non-finite value (its row, counted
         *                                  from the start of the file, and column) or more than
         *                                  {@code 2^31 - 1} rows in all
         */
        public void appendRows(float[] x, int count) throws IOException {
            if (closed) {
                throw new IllegalStateException(file + ": the writer is closed");
            }
            if (x == null || count < 0 || x.length < (long) count * d) {
                throw new IllegalArgumentException("appendRows needs count >= 0 rows of " + d + " values; got "
                        + (x == null ? "null" : x.length + " values") + " for " + count + " rows");
            }
            if (rows + count > Integer.MAX_VALUE) {
                throw new IllegalArgumentException(file + ": more than " + Integer.MAX_VALUE + " rows");
            }
            int end = count * d;
            for (int t = 0; t < end; t++) { // all checked before any is written: a refused call writes nothing
                if (!Float.isFinite(x[t])) {
                    throw new IllegalArgumentException(file + ": row " + (rows + t / d) + ", column " + (t % d)
                            + " is " + x[t] + "; remove or impute non-finite values first");
                }
            }
            for (int t = 0; t < end; t++) {
                if (buffer.remaining() < 4) {
                    flush();
                }
                buffer.putFloat(x[t]);
            }
            rows += count;
        }

        private void flush() throws IOException {
            buffer.flip();
            while (buffer.hasRemaining()) {
                ch.write(buffer, ch.size());
            }
            buffer.clear();
        }

        /** Flushes the values and writes the header's row count (at least one row must have been appended). */
        @Override
        public void close() throws IOException {
            if (closed) {
                return;
            }
            closed = true;
            try (FileChannel c = ch) {
                flush();
                if (rows == 0) {
                    throw new IllegalArgumentException(file + ": no rows were appended; a matrix needs at least one");
                }
                header(rows);
            }
        }
    }

    /** The file this matrix is mapped from (for a view, the file of the matrix it views). */
    public Path file() {
        return file;
    }

    /**
     * A view of the rows listed in {@code index} (repeats allowed), in that order: nothing is read
     * or copied but the index, so a subset of a matrix bigger than the heap stays in the file.
     * Products on the view are bit-identical to those of an in-heap float matrix of the same rows.
     *
     * @param index row indices in {@code [0, n)} (copied)
     * @throws IllegalArgumentException for a null or empty index or a row outside {@code [0, n)}
     */
    public MappedFloatFeatures rows(int[] index) {
        if (index == null || index.length == 0) {
            throw new IllegalArgumentException("a row view needs at least one row index");
        }
        int[] at = new int[index.length];
        for (int r = 0; r < index.length; r++) {
            if (index[r] < 0 || index[r] >= n) {
                throw new IllegalArgumentException("index " + index[r] + " at position " + r + " is outside [0, " + n
                        + "): a view takes rows of this matrix");
            }
            at[r] = rowIndex == null ? index[r] : rowIndex[index[r]];
        }
        return new MappedFloatFeatures(file, index.length, d, segmentRows, segments, at, offsets, divisors, squares);
    }

    /**
     * A view whose values are {@code x_ij / divisors[j]}, rounded to float (the storage's
     * precision) when read: scale-only standardisation of a matrix that stays in its file, as
     * {@link CsrFeatures#scaleColumns} does for sparse rows. On a view that already transforms its
     * values, the divisors apply after its transform.
     *
     * @param divisors {@code d} finite positive column divisors (copied)
     * @throws IllegalArgumentException naming the first bad divisor
     */
    public MappedFloatFeatures scaleColumns(double[] divisors) {
        return transformed(null, divisors);
    }

    /**
     * A view whose values are {@code (x_ij - means[j]) / scales[j]}, rounded to float (the storage's
     * precision) when read: full standardisation of a matrix that stays in its file (a dense matrix
     * loses no sparsity to the centring). With a {@link Standardizer}'s {@link Standardizer#mean()} and
     * {@link Standardizer#scale()}, training on this view and folding the result with that standardizer
     * gives a model on the raw features. On a view that already transforms its values, this applies
     * after its transform.
     *
     * @param means  {@code d} finite column offsets (copied)
     * @param scales {@code d} finite positive column divisors (copied)
     * @throws IllegalArgumentException naming the first bad offset or divisor
     */
    public MappedFloatFeatures standardized(double[] means, double[] scales) {
        if (means == null || means.length != d) {
            throw new IllegalArgumentException("expected " + d + " column means, got "
                    + (means == null ? "null" : means.length + " values"));
        }
        for (int j = 0; j < d; j++) {
            if (!Double.isFinite(means[j])) {
                throw new IllegalArgumentException("column mean " + j + " is " + means[j] + "; means must be finite");
            }
        }
        return transformed(means, scales);
    }

    /** {@code ((this view's value) - o) / q} per column: offsets {@code o1 + o q1}, divisors {@code q1 q}. */
    private MappedFloatFeatures transformed(double[] o, double[] q) {
        FeatureChecks.columnDivisors(q, d);
        if (squares) {
            throw new IllegalStateException("scale the columns before squaring the values");
        }
        double[] div = q.clone();
        double[] off = o == null ? null : o.clone();
        if (divisors != null) {
            for (int j = 0; j < d; j++) {
                if (off != null) {
                    off[j] *= divisors[j];
                }
                div[j] *= divisors[j];
            }
        }
        if (offsets != null) {
            if (off == null) {
                off = offsets.clone();
            } else {
                for (int j = 0; j < d; j++) {
                    off[j] += offsets[j];
                }
            }
        }
        return new MappedFloatFeatures(file, n, d, segmentRows, segments, rowIndex, off, div, false);
    }

    /**
     * A view of the elementwise squares, rounded to float: the squared features of the curvature
     * diagonals (preconditioners), read from the file like the values.
     */
    @Override
    public MappedFloatFeatures squared() {
        return new MappedFloatFeatures(file, n, d, segmentRows, segments, rowIndex, offsets, divisors, true);
    }

    /**
     * Copies rows {@code [from, to)} (as this matrix or view reads them) into {@code out} from
     * {@code offset}, row-major: how training gathers a block or a sample of rows into the heap.
     *
     * @throws IllegalArgumentException for rows outside {@code [0, n]} or a short {@code out}
     */
    public void readRows(int from, int to, float[] out, int offset) {
        if (from < 0 || to > n || from > to || out == null || offset < 0
                || (long) offset + (long) (to - from) * d > out.length) {
            throw new IllegalArgumentException("readRows(" + from + ", " + to + ") of " + n + " rows into "
                    + (out == null ? "null" : out.length + " values") + " from " + offset);
        }
        read(from, to, out, offset);
    }

    @Override
    public boolean isFloat() {
        return true;
    }

    @Override
    public void rowProduct(double[] v, int k, double[] out, Parallel par) {
        FeatureChecks.rowProduct(this, v, k, out);
        floatRowProduct(v, k, out, par);
    }

    @Override
    public void transposeProduct(double[] coef, int k, double[] out, Parallel par) {
        FeatureChecks.transposeProduct(this, coef, k, out);
        floatTransposeProduct(coef, k, out, par);
    }

    @Override
    float[] floatBlock(int r0, int r1, float[] scratch) {
        float[] out = scratch != null ? scratch : new float[(r1 - r0) * d];
        read(r0, r1, out, 0);
        return out;
    }

    /** Rows {@code [r0, r1)} of this matrix or view into {@code out[offset ..)}. */
    private void read(int r0, int r1, float[] out, int offset) {
        if (rowIndex == null) {
            readFile(r0, r1, out, offset);
        } else {
            for (int r = r0; r < r1; r++) {
                readFile(rowIndex[r], rowIndex[r] + 1, out, offset + (r - r0) * d);
            }
        }
        if (divisors != null || squares) {
            for (int t = offset, end = offset + (r1 - r0) * d, j = 0; t < end; t++) {
                // rounded as an in-heap float matrix of the scaled values, then of their squares, would be
                double v = divisors == null ? out[t]
                        : (float) ((offsets == null ? out[t] : out[t] - offsets[j]) / divisors[j]);
                out[t] = (float) (squares ? v * v : v);
                j = j + 1 == d ? 0 : j + 1;
            }
        }
    }

    /** Rows {@code [r0, r1)} of the file into {@code out[offset ..)}, across segment boundaries. */
    private void readFile(int r0, int r1, float[] out, int offset) {
        int o = offset;
        for (int r = r0; r < r1; ) {
            int s = r / segmentRows;
            int end = Math.min(r1, (s + 1) * segmentRows);
            // a view per call: the mapped buffers are shared between threads and never repositioned
            segments[s].asFloatBuffer().get((r - s * segmentRows) * d, out, o, (end - r) * d);
            o += (end - r) * d;
            r = end;
        }
    }

    @Override
    void loadRows(int r0, int r1, double[] out, int offset) {
        float[] x = new float[(r1 - r0) * d];
        read(r0, r1, x, 0);
        for (int t = 0; t < x.length; t++) {
            out[offset + t] = x[t];
        }
    }
}
