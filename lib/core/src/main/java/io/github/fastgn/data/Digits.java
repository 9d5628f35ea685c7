package io.github.fastgn.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * The scikit-learn digits data: 1797 images of 8 x 8 pixels with values 0..16, 10 classes
 * (UCI "Optical Recognition of Handwritten Digits", test part; CC BY 4.0). The file is
 * {@code data/digits.csv.gz} of this repository, also packed into the jar; each line holds 64
 * pixel counts and the label. Pixels are divided by 16, as in the Ghosts-of-Softmax protocol.
 */
public final class Digits {

    /** Classpath location of the bundled file. */
    public static final String RESOURCE = "/io/github/fastgn/data/digits.csv.gz";
    public static final int ROWS = 1797;
    public static final int FEATURES = 64;
    public static final int CLASSES = 10;

    private Digits() {
    }

    /** Loads the bundled copy. */
    public static LabelledData load() {
        InputStream in = Digits.class.getResourceAsStream(RESOURCE);
        if (in == null) {
            throw new IllegalStateException("the digits data is not on the classpath at " + RESOURCE
                    + "; build the jar with Maven (it packs data/digits.csv.gz)");
        }
        try (InputStream s = in) {
            return read(s, RESOURCE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }

    /** Loads a digits-format file, gzip-compressed if its name ends in {@code .gz}. */
    public static LabelledData load(Path file) throws IOException {
        try (InputStream s = Files.newInputStream(file)) {
            return read(s, file.toString());
        }
    }

    /**
     * Reads a CSV of rows {@code 64 integer pixels in [0, 16], label in [0, 9]}, gzip-compressed
     * or not (detected from the stream's magic bytes).
     *
     * @throws IllegalArgumentException naming the line and what is wrong with it
     */
    public static LabelledData read(InputStream raw, String source) throws IOException {
        java.io.BufferedInputStream in = new java.io.BufferedInputStream(raw);
        in.mark(2);
        int b0 = in.read();
        int b1 = in.read();
        in.reset();
        InputStream body;
        try {
            body = b0 == 0x1f && b1 == 0x8b ? new GZIPInputStream(in) : in;
        } catch (java.io.EOFException | java.util.zip.ZipException e) {
            throw new IllegalArgumentException(source + ": starts like gzip (1f 8b) but the gzip header is truncated"
                    + " or invalid (" + e.getMessage() + "); " + FIX, e);
        }
        java.util.List<double[]> rows = new java.util.ArrayList<>();
        java.util.List<Integer> labels = new java.util.ArrayList<>();
        int lineNo = 0;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(body, StandardCharsets.US_ASCII))) {
            String line;
            while ((line = readLine(r, source, lineNo + 1)) != null) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                String[] parts = line.split(",");
                if (parts.length != FEATURES + 1) {
                    throw new IllegalArgumentException(source + " line " + lineNo + ": expected " + (FEATURES + 1)
                            + " comma-separated values (64 pixels and a label), found " + parts.length + "; " + FIX);
                }
                double[] x = new double[FEATURES];
                for (int j = 0; j < FEATURES; j++) {
                    double v = parse(parts[j], source, lineNo);
                    if (!(v >= 0 && v <= 16)) {
                        throw new IllegalArgumentException(source + " line " + lineNo + ": pixel " + j + " = " + v
                                + " is outside [0, 16]; " + FIX);
                    }
                    x[j] = v / 16.0;
                }
                double label = parse(parts[FEATURES], source, lineNo);
                if (label != Math.rint(label) || label < 0 || label >= CLASSES) {
                    throw new IllegalArgumentException(source + " line " + lineNo + ": label " + parts[FEATURES].trim()
                            + " is not an integer in [0, 9]; " + FIX);
                }
                rows.add(x);
                labels.add((int) label);
            }
        }
        if (rows.isEmpty()) {
            throw new IllegalArgumentException(source + " holds no examples (empty or only blank lines); " + FIX);
        }
        double[] flat = new double[rows.size() * FEATURES];
        int[] y = new int[rows.size()];
        for (int i = 0; i < rows.size(); i++) {
            System.arraycopy(rows.get(i), 0, flat, i * FEATURES, FEATURES);
            y[i] = labels.get(i);
        }
        return new LabelledData(flat, y, null, y.length, FEATURES, CLASSES);
    }

    private static final String FIX = "restore the file (the bundled copy is data/digits.csv.gz) or fix the line";

    /** One line, at most {@link #MAX_LINE} characters; gzip damage becomes an IllegalArgumentException. */
    private static String readLine(BufferedReader r, String source, int lineNo) throws IOException {
        StringBuilder b = new StringBuilder();
        try {
            int c;
            while ((c = r.read()) >= 0) {
                if (c == '\n') {
                    break;
                }
                if (b.length() >= MAX_LINE) {
                    throw new IllegalArgumentException(source + " line " + lineNo + ": longer than " + MAX_LINE
                            + " characters; not a digits CSV (64 pixels and a label per line); " + FIX);
                }
                b.append((char) c);
            }
            if (c < 0 && b.length() == 0) {
                return null;
            }
        } catch (java.io.EOFException e) {
            throw new IllegalArgumentException(source + " line " + lineNo + ": truncated: the gzip stream ends"
                    + " early; " + FIX, e);
        } catch (java.util.zip.ZipException e) {
            throw new IllegalArgumentException(source + " line " + lineNo + ": the gzip data is corrupt ("
                    + e.getMessage() + "); " + FIX, e);
        }
        int n = b.length();
        if (n > 0 && b.charAt(n - 1) == '\r') {
            b.setLength(n - 1);
        }
        return b.toString();
    }

    private static final int MAX_LINE = 4096;

    private static double parse(String s, String source, int lineNo) {
        try {
            return Double.parseDouble(s.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(source + " line " + lineNo + ": '" + s.trim() + "' is not a number; " + FIX, e);
        }
    }
}
