package io.github.fastgn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link Svmlight} against files written by scikit-learn's {@code dump_svmlight_file} (made by
 * {@code make_svmlight.py} beside them, with what scikit-learn's own reader parses from them), and
 * every malformed-line case with its line number.
 */
class SvmlightTest {

    @TempDir
    Path dir;

    /** The dense rows and labels scikit-learn's load_svmlight_file parsed, from {@code <name>.expected.csv}. */
    record Expected(int n, int d, double[] x, double[] labels) {
        static Expected load(String name) throws IOException {
            List<double[]> rows = new ArrayList<>();
            try (InputStream in = SvmlightTest.class.getResourceAsStream(name + ".expected.csv")) {
                for (String line : new String(in.readAllBytes(), StandardCharsets.US_ASCII).split("\n")) {
                    if (!line.startsWith("#") && !line.isBlank()) {
                        String[] f = line.split(",");
                        double[] r = new double[f.length];
                        for (int t = 0; t < f.length; t++) {
                            r[t] = Double.parseDouble(f[t]);
                        }
                        rows.add(r);
                    }
                }
            }
            int n = rows.size();
            int d = rows.get(0).length - 1;
            double[] x = new double[n * d];
            double[] y = new double[n];
            for (int i = 0; i < n; i++) {
                y[i] = rows.get(i)[0];
                System.arraycopy(rows.get(i), 1, x, i * d, d);
            }
            return new Expected(n, d, x, y);
        }
    }

    static Svmlight.Data resource(String name, Svmlight.IndexBase base, int columns, boolean asFloat)
            throws IOException {
        try (InputStream in = SvmlightTest.class.getResourceAsStream(name + ".svm")) {
            return Svmlight.read(in, name, base, columns, asFloat);
        }
    }

    static double[] dense(CsrFeatures x) {
        double[] out = new double[x.rows() * x.columns()];
        for (int i = 0; i < x.rows(); i++) {
            for (int p = x.rowStart()[i]; p < x.rowStart()[i + 1]; p++) {
                out[i * x.columns() + x.columnIndices()[p]] = x.isFloat() ? x.floatValues()[p] : x.values()[p];
            }
        }
        return out;
    }

    static void sameAsScikitLearn(String name, Svmlight.Data data, boolean zeroBased) throws IOException {
        Expected e = Expected.load(name);
        assertEquals(zeroBased, data.zeroBased(), name + ": index base");
        assertEquals(e.n, data.features().rows(), name + ": rows");
        assertEquals(e.d, data.features().columns(), name + ": columns (largest index + 1)");
        assertArrayEquals(e.x, dense(data.features()), name + ": values bit for bit as scikit-learn parses them");
        for (int i = 0; i < e.n; i++) {
            assertEquals(e.labels[i], data.classValues()[data.labels()[i]], name + ": label of row " + i);
        }
        for (int c = 1; c < data.classCount(); c++) {
            assertTrue(data.classValues()[c - 1] < data.classValues()[c], "class values ascending");
        }
    }

    @Test
    void readsWhatScikitLearnWroteZeroBased() throws IOException {
        Svmlight.Data data = resource("sklearn_zero_based", Svmlight.IndexBase.AUTO, 0, false);
        sameAsScikitLearn("sklearn_zero_based", data, true);
        assertArrayEquals(new double[] {-1, 2, 5.5}, data.classValues());
        assertNull(data.queryIds());
        assertTrue(data.features().storedValues() < 40 * 30 / 2, "stays sparse");
    }

    @Test
    void readsWhatScikitLearnWroteOneBasedWithQueryIds() throws IOException {
        Svmlight.Data data = resource("sklearn_one_based_qid", Svmlight.IndexBase.AUTO, 0, false);
        sameAsScikitLearn("sklearn_one_based_qid", data, false);
        long[] q = data.queryIds();
        for (int i = 0; i < q.length; i++) {
            assertEquals(i / 5, q[i], "qid of row " + i);
        }
        assertEquals(data.features().rowStart()[3], data.features().rowStart()[4], "row 3 is empty");
        // the same file read as zero-based keeps the raw indices: one more column, shifted by one
        Svmlight.Data zero = resource("sklearn_one_based_qid", Svmlight.IndexBase.ZERO, 0, false);
        assertEquals(data.features().columns() + 1, zero.features().columns());
        assertEquals(data.features().columnIndices()[0] + 1, zero.features().columnIndices()[0]);
    }

    @Test
    void floatValuesAreTheDecimalsRoundedOnce() throws IOException {
        Svmlight.Data data = resource("sklearn_zero_based", Svmlight.IndexBase.AUTO, 30, true);
        assertTrue(data.features().isFloat());
        double[] e = Expected.load("sklearn_zero_based").x;
        double[] got = dense(data.features());
        for (int t = 0; t < e.length; t++) {
            float want = (float) e[t];
            // decimal -> float directly may differ from decimal -> double -> float by one float ulp at most
            assertTrue(Math.abs(got[t] - want) <= Math.ulp(want), "value " + t + ": " + got[t] + " vs " + want);
        }
    }

    @Test
    void columnCountMayBeGivenAndIsChecked() throws IOException {
        assertEquals(50, resource("sklearn_zero_based", Svmlight.IndexBase.AUTO, 50, false).features().columns());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> resource("sklearn_zero_based", Svmlight.IndexBase.AUTO, 10, false));
        assertTrue(e.getMessage().matches("sklearn_zero_based:\\d+: index \\d+ is column \\d+, at or above the 10 "
                + "columns asked for.*"), e.getMessage());
    }

    @Test
    void writeThenReadGivesTheSameBits() throws IOException {
        Random rnd = new Random(7);
        int n = 200;
        int d = 500;
        int[] start = new int[n + 1];
        List<Integer> cols = new ArrayList<>();
        List<Double> vals = new ArrayList<>();
        double[] labels = new double[n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                if (rnd.nextInt(20) == 0) {
                    cols.add(j);
                    vals.add(rnd.nextGaussian() * Math.pow(10, rnd.nextInt(41) - 20));
                }
            }
            start[i + 1] = cols.size();
            labels[i] = rnd.nextInt(3) * 0.5 - 7;
        }
        CsrFeatures x = CsrFeatures.of(start, cols.stream().mapToInt(Integer::intValue).toArray(),
                vals.stream().mapToDouble(Double::doubleValue).toArray(), n, d);
        for (boolean zeroBased : new boolean[] {true, false}) {
            Path f = dir.resolve("round" + zeroBased + ".svm");
            Svmlight.write(f, x, labels, zeroBased);
            Svmlight.Data back = Svmlight.read(f, zeroBased ? Svmlight.IndexBase.ZERO : Svmlight.IndexBase.ONE, d,
                    false);
            assertArrayEquals(x.rowStart(), back.features().rowStart());
            assertArrayEquals(x.columnIndices(), back.features().columnIndices());
            assertArrayEquals(x.values(), back.features().values(), "shortest repr round-trips every double");
            for (int i = 0; i < n; i++) {
                assertEquals(labels[i], back.classValues()[back.labels()[i]]);
            }
        }
    }

    @Test
    void readsGzipCommentsBlankLinesAndCrlf() throws IOException {
        String text = "# header\r\n\r\n1 0:1.5 3:2e-3 # tail\r\n   \n-1\t2:-4 # only\n#\n2 1:+.25 4:5.";
        Svmlight.Data a = Svmlight.read(new ByteArrayInputStream(text.getBytes(StandardCharsets.US_ASCII)), "t",
                Svmlight.IndexBase.AUTO, 0, false);
        Svmlight.Data b = Svmlight.read(new ByteArrayInputStream(LoaderFuzzTest.gzip(
                text.getBytes(StandardCharsets.US_ASCII))), "t.gz", Svmlight.IndexBase.AUTO, 0, false);
        for (Svmlight.Data data : List.of(a, b)) {
            assertTrue(data.zeroBased());
            assertEquals(3, data.features().rows());
            assertEquals(5, data.features().columns());
            assertArrayEquals(new double[] {1.5, 0, 0, 2e-3, 0, 0, 0, -4, 0, 0, 0, 0.25, 0, 0, 5},
                    dense(data.features()));
            assertArrayEquals(new int[] {1, 0, 2}, data.labels());
            assertArrayEquals(new double[] {-1, 1, 2}, data.classValues());
        }
    }

    @Test
    void decimalsParseExactlyAsJavaDoes() throws IOException {
        Random rnd = new Random(11);
        StringBuilder s = new StringBuilder("0");
        List<String> tokens = new ArrayList<>();
        for (int t = 0; t < 3000; t++) {
            String v = switch (t % 7) {
                case 0 -> Double.toString(rnd.nextGaussian() * Math.pow(10, rnd.nextInt(60) - 30));
                // tf-idf-like: 15 to 17 significant digits in (0, 1), the float reader's path through double
                case 5 -> Double.toString(rnd.nextDouble() * 0.3);
                // the shortest decimal of a double exactly halfway between two floats: read as double it is
                // the midpoint, which rounding to float would break by ties-to-even, not by the decimal's side
                case 6 -> {
                    float f = (float) (rnd.nextDouble() * Math.pow(10, rnd.nextInt(8) - 4));
                    yield Double.toString(((double) f + (double) Math.nextUp(f)) / 2);
                }
                case 1 -> String.format("%.17g", rnd.nextDouble() * Math.pow(10, rnd.nextInt(20) - 10));
                case 2 -> Long.toString(rnd.nextLong() >> rnd.nextInt(64));
                case 3 -> (rnd.nextInt(99999) - 50000) + "." + rnd.nextInt(1000) + "e" + (rnd.nextInt(50) - 25);
                default -> "0.000" + rnd.nextInt(Integer.MAX_VALUE) + "E-" + rnd.nextInt(300);
            };
            tokens.add(v);
            s.append(' ').append(t).append(':').append(v);
        }
        Svmlight.Data data = Svmlight.read(new ByteArrayInputStream(s.toString().getBytes(StandardCharsets.US_ASCII)),
                "decimals", Svmlight.IndexBase.ZERO, 0, false);
        Svmlight.Data floats = Svmlight.read(new ByteArrayInputStream(
                s.toString().getBytes(StandardCharsets.US_ASCII)), "decimals", Svmlight.IndexBase.ZERO, 0, true);
        double[] got = dense(data.features());
        double[] gotFloat = dense(floats.features());
        for (int t = 0; t < tokens.size(); t++) {
            assertEquals(Double.parseDouble(tokens.get(t)), got[t], "double " + tokens.get(t));
            assertEquals(Float.parseFloat(tokens.get(t)), (float) gotFloat[t], "float " + tokens.get(t));
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            label not a number       | 1 0:1\\nabc 1:2\\n             | 2 | label 'abc' is not a number
            multi-label              | 1,2 0:1\\n                    | 1 | multi-label lines are not supported
            NaN label                | nan 0:1\\n                    | 1 | values must be finite
            NaN value                | 1 0:1\\n1 3:NaN\\n             | 2 | values must be finite
            infinite value           | 1 0:1\\n\\n1 3:-inf\\n         | 3 | values must be finite
            value out of range       | 1 0:1e400\\n                  | 1 | outside the double range
            Java-only number form    | 1 0:0x1p3\\n                  | 1 | is not a number
            trailing d               | 1 0:1.5d\\n                   | 1 | is not a number
            missing colon            | 1 0:1 7\\n                    | 1 | expected index:value, got '7'
            empty value              | 1 4:\\n                       | 1 | is not a number
            negative index           | 1 0:1\\n0 -3:1\\n              | 2 | is negative
            non-integer index        | 1 2.5:1\\n                    | 1 | not a non-negative integer
            index too large          | 1 99999999999:1\\n            | 1 | larger than
            unsorted indices         | # c\\n1 0:1 5:1 3:1\\n         | 2 | indices must be in increasing order
            duplicate index          | 1 0:1\\n1 0:1\\n2 4:1 4:2\\n    | 3 | appears twice
            qid after a feature      | 1 0:1 qid:3\\n                | 1 | qid must come right after the label
            qid on some lines only   | 1 qid:1 0:1\\n2 1:1\\n          | 2 | has no qid but earlier lines do
            qid appearing late       | 1 0:1\\n2 qid:4 1:1\\n          | 2 | has a qid but earlier lines do not
            negative qid             | 1 qid:-1 0:1\\n               | 1 | is negative
            """)
    void malformedLinesNameTheirLine(String name, String text, int line, String message) {
        byte[] bytes = text.replace("\\n", "\n").getBytes(StandardCharsets.US_ASCII);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Svmlight.read(new ByteArrayInputStream(bytes), "bad.svm", Svmlight.IndexBase.AUTO, 0, false),
                name);
        assertTrue(e.getMessage().startsWith("bad.svm:" + line + ": "), name + ": " + e.getMessage());
        assertTrue(e.getMessage().contains(message), name + ": " + e.getMessage());
    }

    @Test
    void oldMacLineEndingsAreNamedAndWindowsOnesRead() throws IOException {
        byte[] mac = "1 1:0.5 3:2\r0 2:1\r".getBytes(StandardCharsets.US_ASCII);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Svmlight.read(
                new ByteArrayInputStream(mac), "mac.svm", Svmlight.IndexBase.AUTO, 0, false));
        assertTrue(e.getMessage().startsWith("mac.svm:1: ") && e.getMessage().contains("old Mac line endings"),
                e.getMessage());
        byte[] windows = "1 1:0.5 3:2\r\n0 2:1\r\n".getBytes(StandardCharsets.US_ASCII);
        assertEquals(2, Svmlight.read(new ByteArrayInputStream(windows), "win.svm", Svmlight.IndexBase.AUTO, 0, false)
                .features().rows());
        // a malformed line in a CRLF file gets no such hint
        byte[] bad = "1 1:0.5\r\n0 x:1\r\n".getBytes(StandardCharsets.US_ASCII);
        String m = assertThrows(IllegalArgumentException.class, () -> Svmlight.read(new ByteArrayInputStream(bad),
                "bad.svm", Svmlight.IndexBase.AUTO, 0, false)).getMessage();
        assertTrue(m.startsWith("bad.svm:2: ") && !m.contains("Mac"), m);
    }

    @Test
    void indexZeroInAOneBasedFileAndOtherWholeFileErrors() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Svmlight.read(
                new ByteArrayInputStream("1 1:1\n2 0:3\n".getBytes(StandardCharsets.US_ASCII)), "one.svm",
                Svmlight.IndexBase.ONE, 0, false));
        assertTrue(e.getMessage().startsWith("one.svm:2: index 0 in a file read as one-based"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Svmlight.read(
                new ByteArrayInputStream("# nothing\n\n".getBytes(StandardCharsets.US_ASCII)), "empty.svm",
                Svmlight.IndexBase.AUTO, 0, false));
        assertTrue(e.getMessage().startsWith("empty.svm: no examples"), e.getMessage());
        String longField = "1 0:" + "1".repeat(300) + "\n";
        e = assertThrows(IllegalArgumentException.class, () -> Svmlight.read(
                new ByteArrayInputStream(longField.getBytes(StandardCharsets.US_ASCII)), "long.svm",
                Svmlight.IndexBase.AUTO, 0, false));
        assertTrue(e.getMessage().startsWith("long.svm:1: a field longer than 256 bytes"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Svmlight.read(
                new ByteArrayInputStream(new byte[0]), "x", null, 0, false));
    }

    @Test
    void labelsAreClassesByValue() throws IOException {
        Svmlight.Data data = Svmlight.read(new ByteArrayInputStream("-0 0:1\n0.0 0:2\n+1e0 1:1\n1\n-3.5\n"
                .getBytes(StandardCharsets.US_ASCII)), "labels", Svmlight.IndexBase.AUTO, 0, false);
        assertArrayEquals(new double[] {-3.5, 0, 1}, data.classValues());
        assertArrayEquals(new int[] {1, 1, 2, 2, 0}, data.labels());
        assertEquals(5, data.features().rows(), "lines with a label only are examples without nonzeros");
    }

    @Test
    void oneBasedUnderAutoWhenNoIndexIsZero() throws IOException {
        Svmlight.Data data = Svmlight.read(new ByteArrayInputStream("3 1:1 2:2\n4 5:1\n".getBytes(
                StandardCharsets.US_ASCII)), "auto", Svmlight.IndexBase.AUTO, 0, false);
        assertFalse(data.zeroBased());
        assertEquals(5, data.features().columns());
        assertArrayEquals(new int[] {0, 1, 4}, data.features().columnIndices());
    }

    @Test
    void writeRefusesMismatchedLabels() {
        CsrFeatures x = CsrFeatures.of(new int[] {0, 1}, new int[] {0}, new double[] {1}, 1, 1);
        assertThrows(IllegalArgumentException.class, () -> Svmlight.write(dir.resolve("w"), x, new double[2], true));
        assertThrows(IllegalArgumentException.class,
                () -> Svmlight.write(dir.resolve("w"), x, new double[] {Double.NaN}, true));
        assertFalse(Files.exists(dir.resolve("w")));
    }
}
