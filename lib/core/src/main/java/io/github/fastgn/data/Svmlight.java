package io.github.fastgn.data;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Reads and writes the LIBSVM / svmlight text format, the one scikit-learn's
 * {@code dump_svmlight_file} writes and Tribuo's {@code LibSVMDataSource} reads, into a
 * {@link CsrFeatures} with integer class labels. Each line is one example:
 * <pre>
 *   label [qid:Q] index:value index:value ... [# comment]
 * </pre>
 * Blank lines and lines holding only a comment are skipped; spaces, tabs and {@code \r} separate
 * fields. Files may be gzip-compressed (recognised by their first two bytes).
 *
 * <p><b>Streaming.</b> The file is parsed byte by byte from a 64 KiB buffer into growing CSR
 * arrays: no line or file is held as a string, memory is the CSR arrays (amortised growth) plus
 * one double per example, and a size limit is checked before each growth.
 *
 * <p><b>Errors.</b> A malformed line raises an {@link IllegalArgumentException} whose message
 * starts with {@code source:line:} and names the token and the fix: a label or value that is not
 * a number or is not finite (NaN, infinity, or out of the double range), a field that is not
 * {@code index:value}, a negative, non-integer or too large index, indices that are not strictly
 * increasing within a line (unsorted or duplicate), a {@code qid} elsewhere than right after the
 * label or on some lines only, an index at or above a given column count, index 0 in a file read
 * as one-based, a field longer than 256 bytes. I/O failures raise an {@link java.io.IOException}
 * naming the source.
 *
 * <p><b>Zero- or one-based indices</b> ({@link IndexBase}): {@link IndexBase#AUTO}, the default,
 * decides as scikit-learn's {@code load_svmlight_file(zero_based="auto")} does: the file is
 * zero-based if any index is 0, else one-based (every index is shifted down by one). LIBSVM's own
 * files are one-based; {@code dump_svmlight_file} writes zero-based by default, so a file it
 * wrote whose feature 0 is never nonzero is read one-based under {@code AUTO}, shifted by one
 * column, exactly as scikit-learn reads it back: pass {@link IndexBase#ZERO} for such files.
 *
 * <p><b>Labels</b> are read as numbers; the distinct values, sorted ascending, become classes
 * {@code 0 .. K-1} ({@link Data#classValues()} maps back), as the other loaders give labels in
 * {@code [0, K)}.
 */
public final class Svmlight {

    /** How column indices in the file map to columns. */
    public enum IndexBase {
        /** Zero-based if any index in the file is 0, else one-based (scikit-learn's {@code "auto"}). */
        AUTO,
        /** Index {@code j} is column {@code j}. */
        ZERO,
        /** Index {@code j} is column {@code j - 1}; index 0 is an error. */
        ONE
    }

    /**
     * A parsed file.
     *
     * @param features    the examples' features, {@code n x d}
     * @param labels      {@code n} classes in {@code [0, K)}
     * @param classValues the label value of each class, ascending ({@code K} of them)
     * @param queryIds    the {@code qid} of each example, or null when the file has none
     * @param zeroBased   whether the file's indices were read as zero-based
     */
    public record Data(CsrFeatures features, int[] labels, double[] classValues, long[] queryIds,
                       boolean zeroBased) {

        /** The number of classes {@code K}. */
        public int classCount() {
            return classValues.length;
        }
    }

    /** Longest field (label, {@code index:value} or {@code qid:Q}) in bytes. */
    static final int MAX_TOKEN = 256;
    /** Largest Java array this reader grows to. */
    static final int MAX_ARRAY = Integer.MAX_VALUE - 8;

    private Svmlight() {
    }

    /** Reads {@code file} with {@link IndexBase#AUTO}, the column count inferred, double values. */
    public static Data read(Path file) throws IOException {
        return read(file, IndexBase.AUTO, 0, false);
    }

    /**
     * Reads {@code file}.
     *
     * @param base        how indices map to columns
     * @param columns     the number of columns {@code d}, or 0 to use the largest index seen
     *                    (plus one); an index at or above a given {@code d} is an error
     * @param floatValues whether to hold the values as float (half the memory; values rounded once
     *                    from their decimal form)
     */
    public static Data read(Path file, IndexBase base, int columns, boolean floatValues) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, file.toString(), base, columns, floatValues);
        }
    }

    /**
     * Reads a stream (gzip or plain; not closed) named {@code source} in messages; see
     * {@link #read(Path, IndexBase, int, boolean)}.
     */
    public static Data read(InputStream in, String source, IndexBase base, int columns, boolean floatValues)
            throws IOException {
        if (base == null) {
            throw new IllegalArgumentException("base must not be null (IndexBase.AUTO, ZERO or ONE)");
        }
        if (columns < 0) {
            throw new IllegalArgumentException("columns = " + columns + "; pass 0 to infer them, or the count");
        }
        InputStream stream;
        try {
            stream = Idx.open(in, source);
        } catch (IOException e) {
            throw new IOException(source + ": " + e.getMessage(), e);
        }
        return new Parser(stream, source, base, columns, floatValues).parse();
    }

    /**
     * Writes {@code x} with one label per row (the label values, e.g. {@link Data#classValues()}
     * indexed by class), zero- or one-based, values in Java's shortest round-trip decimal form, so
     * that {@link #read} gives back the same values and scikit-learn's {@code load_svmlight_file}
     * reads it.
     */
    public static void write(Path file, CsrFeatures x, double[] labelValues, boolean zeroBased) throws IOException {
        if (x == null || labelValues == null || labelValues.length != x.rows()) {
            throw new IllegalArgumentException("write needs features and one label value per row; got "
                    + (labelValues == null ? "no labels" : labelValues.length + " labels") + " for "
                    + (x == null ? "no features" : x.rows() + " rows"));
        }
        for (int i = 0; i < labelValues.length; i++) {
            if (!Double.isFinite(labelValues[i])) {
                throw new IllegalArgumentException("label of row " + i + " is " + labelValues[i]);
            }
        }
        int[] start = x.rowStart();
        int[] idx = x.columnIndices();
        int shift = zeroBased ? 0 : 1;
        try (Writer w = new BufferedWriter(new OutputStreamWriter(Files.newOutputStream(file),
                StandardCharsets.US_ASCII), 1 << 16)) {
            for (int i = 0; i < x.rows(); i++) {
                double label = labelValues[i];
                w.write(label == Math.rint(label) && Math.abs(label) < 1e15 ? Long.toString((long) label)
                        : Double.toString(label));
                for (int p = start[i]; p < start[i + 1]; p++) {
                    w.write(' ');
                    w.write(Integer.toString(idx[p] + shift));
                    w.write(':');
                    w.write(x.isFloat() ? Float.toString(x.floatValues()[p]) : Double.toString(x.values()[p]));
                }
                w.write('\n');
            }
        }
    }

    /** One pass over the bytes of a file into growing CSR arrays. */
    private static final class Parser {
        private static final double[] POW10 = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
            1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
        /** The 29 significand bits a double has beyond a float's, and their value at a midpoint between two floats. */
        private static final long FLOAT_MIDPOINT_MASK = (1L << 29) - 1;
        private static final long FLOAT_MIDPOINT = 1L << 28;
        private static final float[] POW10F = {1e0f, 1e1f, 1e2f, 1e3f, 1e4f, 1e5f, 1e6f, 1e7f, 1e8f, 1e9f, 1e10f};

        private final InputStream in;
        private final String source;
        private final IndexBase base;
        private final int columns;
        private final boolean asFloat;
        private final byte[] buf = new byte[1 << 16];
        private int pos;
        private int lim;
        private final byte[] tok = new byte[MAX_TOKEN];
        private int tokLen;
        private long line = 1;
        /** Whether this line held a carriage return followed by more than a newline (old Mac line endings?). */
        private boolean bareCarriageReturn;

        private int rows;
        private int[] rowStart = new int[1024];
        private double[] labels = new double[1024];
        private long[] qids;
        private int nnz;
        private int[] idx = new int[4096];
        private double[] val;
        private float[] fval;
        private boolean sawZero;
        private long maxIndex = -1;
        private long maxIndexLine;

        Parser(InputStream in, String source, IndexBase base, int columns, boolean asFloat) {
            this.in = in;
            this.source = source;
            this.base = base;
            this.columns = columns;
            this.asFloat = asFloat;
            if (asFloat) {
                fval = new float[4096];
            } else {
                val = new double[4096];
            }
        }

        private int peek() throws IOException {
            if (pos == lim) {
                try {
                    lim = in.read(buf, 0, buf.length);
                } catch (IOException e) {
                    // the stream is read ahead in blocks: the fault is at or after this line
                    throw new IOException(source + ":" + line + ": " + e.getMessage() + " (reading ahead from this"
                            + " line; a truncated or corrupt compressed file fails this way)", e);
                }
                pos = 0;
                if (lim <= 0) {
                    lim = 0;
                    return -1;
                }
            }
            return buf[pos] & 0xff;
        }

        private static boolean blank(int c) {
            return c == ' ' || c == '\t' || c == '\r';
        }

        private void skipBlanks() throws IOException {
            int c;
            while ((c = peek()) >= 0 && blank(c)) {
                pos++;
                if (c == '\r') {
                    int next = peek();
                    bareCarriageReturn |= next >= 0 && next != '\n';
                }
            }
        }

        /** Skips to just after the next newline (or the end). */
        private void skipLine() throws IOException {
            int c;
            while ((c = peek()) >= 0) {
                pos++;
                if (c == '\n') {
                    line++;
                    bareCarriageReturn = false;
                    return;
                }
            }
        }

        /** Reads a field: bytes up to a blank, a newline, a '#' or the end. */
        private void token() throws IOException {
            tokLen = 0;
            int c;
            while ((c = peek()) >= 0 && !blank(c) && c != '\n' && c != '#') {
                if (tokLen == MAX_TOKEN) {
                    throw error("a field longer than " + MAX_TOKEN + " bytes starts '" + shown(0, 40)
                            + "...'; is this an svmlight file?");
                }
                tok[tokLen++] = (byte) c;
                pos++;
            }
        }

        Data parse() throws IOException {
            rowStart[0] = 0;
            while (true) {
                skipBlanks();
                int c = peek();
                if (c < 0) {
                    break;
                }
                if (c == '\n' || c == '#') {
                    skipLine();
                    continue;
                }
                token();
                double label = number(0, tokLen, "label", false);
                row(label);
                boolean first = true;
                while (true) {
                    skipBlanks();
                    c = peek();
                    if (c < 0 || c == '\n' || c == '#') {
                        break;
                    }
                    token();
                    field(first);
                    first = false;
                }
                if (qids != null && qids[rows - 1] < 0) {
                    throw error("this line has no qid but earlier lines do; give every line a qid or none");
                }
                skipLine();
            }
            return finish();
        }

        private void row(double label) {
            if (rows == MAX_ARRAY - 1) {
                throw error("more than " + (MAX_ARRAY - 1) + " examples, too many for one matrix");
            }
            if (rows + 1 == labels.length) {
                int cap = grow(labels.length, rows + 2);
                labels = Arrays.copyOf(labels, cap);
                rowStart = Arrays.copyOf(rowStart, cap + 1);
                if (qids != null) {
                    qids = Arrays.copyOf(qids, cap);
                }
            }
            labels[rows] = label + 0.0; // -0 and 0 are one class
            if (qids != null) {
                qids[rows] = -1;
            }
            rows++;
            rowStart[rows] = nnz;
        }

        private static int grow(int length, long need) {
            return (int) Math.min(MAX_ARRAY, Math.max(need, 2L * length));
        }

        private void field(boolean first) {
            int colon = -1;
            for (int t = 0; t < tokLen; t++) {
                if (tok[t] == ':') {
                    colon = t;
                    break;
                }
            }
            if (colon < 0) {
                throw error("expected index:value, got '" + shown(0, tokLen) + "'");
            }
            if (colon == 3 && tok[0] == 'q' && tok[1] == 'i' && tok[2] == 'd') {
                if (!first) {
                    throw error("'" + shown(0, tokLen) + "': qid must come right after the label");
                }
                long q = integer(colon + 1, tokLen, "qid", Long.MAX_VALUE);
                if (qids == null) {
                    if (rows > 1) {
                        throw error("this line has a qid but earlier lines do not; give every line a qid or none");
                    }
                    qids = new long[labels.length];
                }
                qids[rows - 1] = q;
                return;
            }
            long index = integer(0, colon, "index", Integer.MAX_VALUE - 1L);
            if (base == IndexBase.ONE && index == 0) {
                throw error("index 0 in a file read as one-based; read it with IndexBase.ZERO or AUTO");
            }
            if (nnz > rowStart[rows - 1]) {
                int previous = idx[nnz - 1];
                if (index == previous) {
                    throw error("index " + index + " appears twice; each index may appear once per line");
                }
                if (index < previous) {
                    throw error("index " + index + " follows " + previous
                            + "; indices must be in increasing order within a line");
                }
            }
            if (index == 0) {
                sawZero = true;
            }
            if (index > maxIndex) {
                maxIndex = index;
                maxIndexLine = line;
            }
            if (nnz == idx.length) {
                if (nnz == MAX_ARRAY) {
                    throw error("more than " + MAX_ARRAY + " nonzeros, too many for one CSR matrix");
                }
                int cap = grow(idx.length, nnz + 1L);
                idx = Arrays.copyOf(idx, cap);
                if (asFloat) {
                    fval = Arrays.copyOf(fval, cap);
                } else {
                    val = Arrays.copyOf(val, cap);
                }
            }
            idx[nnz] = (int) index;
            valueIndex = index;
            double value = number(colon + 1, tokLen, null, asFloat);
            if (asFloat) {
                fval[nnz] = (float) value; // exact: already rounded to float
            } else {
                val[nnz] = value;
            }
            nnz++;
            rowStart[rows] = nnz;
        }

        private Data finish() {
            if (rows == 0) {
                throw new IllegalArgumentException(source + ": no examples (the file is empty or holds only"
                        + " comments)");
            }
            boolean zeroBased = base == IndexBase.ZERO || (base == IndexBase.AUTO && sawZero);
            if (!zeroBased) {
                for (int p = 0; p < nnz; p++) {
                    idx[p]--;
                }
            }
            long top = zeroBased ? maxIndex : maxIndex - 1;
            if (columns > 0 && top >= columns) {
                throw new IllegalArgumentException(source + ":" + maxIndexLine + ": index " + maxIndex
                        + " is column " + top + ", at or above the " + columns + " columns asked for"
                        + (base == IndexBase.AUTO ? " (indices read as " + (zeroBased ? "zero" : "one") + "-based)"
                        : ""));
            }
            int d = columns > 0 ? columns : (int) Math.max(1, top + 1);
            double[] distinct = Arrays.stream(labels, 0, rows).sorted().distinct().toArray();
            int[] y = new int[rows];
            for (int i = 0; i < rows; i++) {
                y[i] = Arrays.binarySearch(distinct, labels[i]);
            }
            int[] start = Arrays.copyOf(rowStart, rows + 1);
            int[] cols = Arrays.copyOf(idx, nnz);
            CsrFeatures x = asFloat ? CsrFeatures.ofFloat(start, cols, Arrays.copyOf(fval, nnz), rows, d)
                    : CsrFeatures.of(start, cols, Arrays.copyOf(val, nnz), rows, d);
            return new Data(x, y, distinct, qids == null ? null : Arrays.copyOf(qids, rows), zeroBased);
        }

        /** A non-negative decimal integer in {@code tok[from, to)}, at most {@code max}. */
        private long integer(int from, int to, String what, long max) {
            if (from == to) {
                throw error("empty " + what + " in '" + shown(0, tokLen) + "'");
            }
            if (tok[from] == '-') {
                throw error(what + " '" + shown(from, to) + "' is negative in '" + shown(0, tokLen) + "'");
            }
            long v = 0;
            for (int t = from; t < to; t++) {
                int digit = tok[t] - '0';
                if (digit < 0 || digit > 9) {
                    throw error(what + " '" + shown(from, to) + "' is not a non-negative integer in '"
                            + shown(0, tokLen) + "'");
                }
                if (v > (max - digit) / 10) {
                    throw error(what + " '" + shown(from, to) + "' is larger than " + max);
                }
                v = v * 10 + digit;
            }
            return v;
        }

        /**
         * A finite decimal number, rounded once to double or, when {@code asFloat}, to float (and
         * widened exactly). Plain decimals with at most 18 significant digits are converted by one
         * correctly rounded multiplication or division when the digits and the power of ten are
         * exact in the target type (Clinger's fast path: below 2^53 and up to 10^22 for double,
         * below 2^24 and up to 10^10 for float); anything else goes through the JDK's parser after
         * the characters are checked, so Java-only forms (hex, a trailing {@code d} or {@code f})
         * are refused as the C readers refuse them.
         */
        private double number(int from, int to, String what, boolean asFloat) {
            long mantissa = decimalMantissa(from, to, what);
            if (asFloat && mantissa >= 0 && fastExp >= -10 && fastExp <= 10 && mantissa < 1L << 24) {
                float m = fastNegative ? -(float) mantissa : (float) mantissa;
                return fastExp >= 0 ? m * POW10F[fastExp] : m / POW10F[-fastExp];
            }
            if (mantissa >= 0 && fastExp >= -22 && fastExp <= 22 && mantissa < 1L << 53) {
                double m = fastNegative ? -(double) mantissa : (double) mantissa;
                double v = fastExp >= 0 ? m * POW10[fastExp] : m / POW10[-fastExp];
                // Float values with more digits than float's fast path (a tf-idf file written with 16 or 17
                // significant digits: every value, and the JDK's parser, which takes its big-integer path for
                // them, was two thirds of reading the text race's 127 MB): v is the decimal x correctly rounded
                // to double; rounding v to float gives x correctly rounded to float unless v is exactly halfway
                // between two floats (rounding is monotonic and every such midpoint is a double, so x and v lie
                // on the same side of every midpoint v is not). Midpoints take the exact path below. In range
                // here: 2^-126 < 10^-22 and 2^53 10^22 < Float.MAX_VALUE.
                if (!asFloat) {
                    return v;
                }
                if ((Double.doubleToRawLongBits(v) & FLOAT_MIDPOINT_MASK) != FLOAT_MIDPOINT) {
                    return (float) v;
                }
            }
            String text = new String(tok, from, to - from, StandardCharsets.US_ASCII);
            double v = asFloat ? Float.parseFloat(text) : Double.parseDouble(text);
            if (!Double.isFinite(v)) {
                throw error(named(what) + " '" + shown(from, to) + "' is outside the "
                        + (asFloat ? "float" : "double")
                        + " range; values must be finite");
            }
            return v;
        }

        /** Set by {@link #decimalMantissa}: the sign and the power of ten of the digits it returned. */
        private boolean fastNegative;
        private int fastExp;

        /**
         * Checks that {@code tok[from, to)} is a decimal number ({@code [+-]digits[.digits][(e|E)[+-]digits]},
         * at least one digit before the exponent) and returns its significant digits as an integer
         * with {@link #fastNegative} and {@link #fastExp} set, or -1 when they do not fit the fast path.
         */
        private long decimalMantissa(int from, int to, String what) {
            int t = from;
            fastNegative = false;
            if (t < to && (tok[t] == '+' || tok[t] == '-')) {
                fastNegative = tok[t] == '-';
                t++;
            }
            long m = 0;
            int digits = 0;
            int significant = 0;
            int dropped = 0;
            int fraction = 0;
            boolean dot = false;
            boolean fits = true;
            for (; t < to; t++) {
                int c = tok[t];
                if (c == '.' && !dot) {
                    dot = true;
                    continue;
                }
                if (c < '0' || c > '9') {
                    break;
                }
                digits++;
                if (m == 0 && c == '0') {
                    if (dot) {
                        fraction++;
                    }
                    continue;
                }
                if (significant < 18) {
                    m = m * 10 + (c - '0');
                    significant++;
                    if (dot) {
                        fraction++;
                    }
                } else {
                    fits = false;
                    if (!dot) {
                        dropped++;
                    }
                }
            }
            if (digits == 0) {
                throw notANumber(from, to, what);
            }
            long exp = 0;
            if (t < to && (tok[t] == 'e' || tok[t] == 'E')) {
                t++;
                boolean negative = false;
                if (t < to && (tok[t] == '+' || tok[t] == '-')) {
                    negative = tok[t] == '-';
                    t++;
                }
                int expDigits = 0;
                for (; t < to && tok[t] >= '0' && tok[t] <= '9'; t++) {
                    if (exp < 100_000) {
                        exp = exp * 10 + (tok[t] - '0');
                    }
                    expDigits++;
                }
                if (expDigits == 0) {
                    throw notANumber(from, to, what);
                }
                exp = negative ? -exp : exp;
            }
            if (t != to) {
                throw notANumber(from, to, what);
            }
            if (m == 0) {
                fastExp = 0;
                return 0;
            }
            fastExp = (int) Math.max(-1_000_000, Math.min(1_000_000, exp - fraction + dropped));
            return fits ? m : -1;
        }

        /** The index of the feature value being read, for {@link #named}. */
        private long valueIndex;

        /**
         * What a number is, for a message: {@code what}, or for a feature value (null) "value of index"
         * and its index, built only when a message needs it (building it for every stored value was a
         * string made and dropped per value).
         */
        private String named(String what) {
            return what == null ? "value of index " + valueIndex : what;
        }

        private IllegalArgumentException notANumber(int from, int to, String rawWhat) {
            String what = named(rawWhat);
            String s = shown(from, to).toLowerCase(java.util.Locale.ROOT);
            String bare = s.startsWith("+") || s.startsWith("-") ? s.substring(1) : s;
            if (bare.equals("nan") || bare.equals("inf") || bare.equals("infinity")) {
                return error(what + " is '" + shown(from, to) + "'; values must be finite (remove or impute it)");
            }
            return error(what + " '" + shown(from, to) + "' is not a number"
                    + (what.equals("label") && s.contains(",") ? " (multi-label lines are not supported)" : ""));
        }

        /** The bytes {@code tok[from, to)} as printable ASCII ({@code ?} for anything else). */
        private String shown(int from, int to) {
            StringBuilder s = new StringBuilder(to - from);
            for (int t = from; t < to; t++) {
                int c = tok[t] & 0xff;
                s.append(c >= 0x20 && c < 0x7f ? (char) c : '?');
            }
            return s.toString();
        }

        private IllegalArgumentException error(String message) {
            return new IllegalArgumentException(source + ":" + line + ": " + message + (bareCarriageReturn
                    ? "; this line holds a carriage return (\\r) inside it: if the file has old Mac line endings"
                    + " (\\r alone), convert them to \\n first (e.g. tr '\\r' '\\n')" : ""));
        }
    }
}
