package io.github.fastgn.internal.race;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A race data set in the raw format of the peer harness ({@code lib/experiments/src/bench/peers/make_data.py}):
 * {@code <set>.json} (fields {@code ntrain}, {@code ntest}, {@code d}, {@code K}), features
 * {@code <set>_Xtr.f32} and {@code <set>_Xte.f32} (little-endian float32, row-major),
 * labels {@code <set>_ytr.i32} and {@code <set>_yte.i32} (little-endian int32 in {@code [0, K)}),
 * and the reference optimum {@code <set>_fstar.json} (field {@code fstar}).
 *
 * <p>A set whose header says {@code "format": "svmlight"} (the sparse {@code text} set) is stored as
 * {@code <set>_train.svm} and {@code <set>_test.svm} instead (one-based unless the header says
 * {@code "zero_based": true}, {@code d} columns): such a set holds only its file names and shape
 * ({@link #isSvmlight()}), because each entry point reads the file itself, timed as its conversion.
 *
 * <p>Every reading problem is an {@link IOException} (missing file) or
 * {@link IllegalArgumentException} (malformed content) that names the file and how to create it.
 */
public final class RaceData {

    /** How to create the files, for the error messages. */
    static final String HOW_TO_CREATE = "create it with ./bench.sh (repository root) or "
            + "python3 lib/experiments/src/bench/peers/make_data.py <set> with PEERS_DATA set to the data folder";

    /** How to create the race data, for messages of callers such as the command line. */
    public static String howToCreate() {
        return HOW_TO_CREATE;
    }

    private final String name;
    private final int ntrain;
    private final int ntest;
    private final int d;
    private final int k;
    private final float[] xtr;
    private final int[] ytr;
    private final float[] xte;
    private final int[] yte;
    private final Path trainFile;
    private final Path testFile;
    private final boolean zeroBased;

    /** Wraps the arrays (not copied); checks sizes, labels and finiteness. */
    public RaceData(String name, int d, int k, float[] xtr, int[] ytr, float[] xte, int[] yte) {
        if (d < 1 || k < 2) {
            throw new IllegalArgumentException("data set " + name + " needs d >= 1 and K >= 2, got d=" + d
                    + ", K=" + k);
        }
        this.name = name;
        this.d = d;
        this.k = k;
        this.ntrain = ytr.length;
        this.ntest = yte.length;
        if (xtr.length != (long) ntrain * d || xte.length != (long) ntest * d) {
            throw new IllegalArgumentException("data set " + name + ": feature arrays do not match the labels"
                    + " (ntrain=" + ntrain + ", ntest=" + ntest + ", d=" + d + ")");
        }
        this.xtr = xtr;
        this.ytr = ytr;
        this.xte = xte;
        this.yte = yte;
        this.trainFile = null;
        this.testFile = null;
        this.zeroBased = false;
    }

    /** An svmlight set: its two files and the shape of its header (the files are read by the entries). */
    private RaceData(String name, int ntrain, int ntest, int d, int k, Path trainFile, Path testFile,
                     boolean zeroBased) {
        this.name = name;
        this.ntrain = ntrain;
        this.ntest = ntest;
        this.d = d;
        this.k = k;
        this.xtr = null;
        this.ytr = null;
        this.xte = null;
        this.yte = null;
        this.trainFile = trainFile;
        this.testFile = testFile;
        this.zeroBased = zeroBased;
    }

    /** The default data folder: {@code $PEERS_DATA}, else {@code ${TMPDIR:-/tmp}/peers_data} (as bench.sh). */
    public static Path defaultFolder() {
        String env = System.getenv("PEERS_DATA");
        if (env != null && !env.isEmpty()) {
            return Path.of(env);
        }
        String tmp = System.getenv("TMPDIR");
        return Path.of(tmp != null && !tmp.isEmpty() ? tmp : "/tmp", "peers_data");
    }

    /** Reads set {@code name} from {@code folder}. */
    public static RaceData read(Path folder, String name) throws IOException {
        Path header = folder.resolve(name + ".json");
        String json = readText(header);
        int ntrain = intField(header, json, "ntrain");
        int ntest = intField(header, json, "ntest");
        int d = intField(header, json, "d");
        int k = intField(header, json, "K");
        if (ntrain < 1 || ntest < 0 || d < 1 || k < 2) {
            throw new IllegalArgumentException(header + ": needs ntrain >= 1, ntest >= 0, d >= 1 and K >= 2, got "
                    + "ntrain=" + ntrain + ", ntest=" + ntest + ", d=" + d + ", K=" + k + "; " + HOW_TO_CREATE);
        }
        if (Pattern.compile("\"format\"\\s*:\\s*\"svmlight\"").matcher(json).find()) {
            Path train = folder.resolve(name + "_train.svm");
            Path test = folder.resolve(name + "_test.svm");
            for (Path file : new Path[] {train, test}) {
                if (!Files.isRegularFile(file)) {
                    throw new NoSuchFileException(file.toString(), null, "missing; " + HOW_TO_CREATE);
                }
            }
            boolean zero = Pattern.compile("\"zero_based\"\\s*:\\s*true").matcher(json).find();
            return new RaceData(name, ntrain, ntest, d, k, train, test, zero);
        }
        float[] xtr = features(folder.resolve(name + "_Xtr.f32"), ntrain, d);
        int[] ytr = labels(folder.resolve(name + "_ytr.i32"), ntrain, k);
        float[] xte = features(folder.resolve(name + "_Xte.f32"), ntest, d);
        int[] yte = labels(folder.resolve(name + "_yte.i32"), ntest, k);
        return new RaceData(name, d, k, xtr, ytr, xte, yte);
    }

    /** Writes this set to {@code folder} in the same format (the header without a source note). */
    public void write(Path folder) throws IOException {
        requireArrays();
        Files.createDirectories(folder);
        Files.writeString(folder.resolve(name + ".json"), String.format(java.util.Locale.ROOT,
                "{\"ntrain\": %d, \"ntest\": %d, \"d\": %d, \"K\": %d}%n", ntrain, ntest, d, k));
        ByteBuffer b = little(4L * xtr.length);
        b.asFloatBuffer().put(xtr);
        writeBytes(folder.resolve(name + "_Xtr.f32"), b);
        b = little(4L * xte.length);
        b.asFloatBuffer().put(xte);
        writeBytes(folder.resolve(name + "_Xte.f32"), b);
        b = little(4L * ytr.length);
        b.asIntBuffer().put(ytr);
        writeBytes(folder.resolve(name + "_ytr.i32"), b);
        b = little(4L * yte.length);
        b.asIntBuffer().put(yte);
        writeBytes(folder.resolve(name + "_yte.i32"), b);
    }

    /** The reference optimum from {@code <set>_fstar.json}. */
    public static double readFstar(Path folder, String name) throws IOException {
        Path file = folder.resolve(name + "_fstar.json");
        String json = readText(file);
        Matcher m = Pattern.compile("\"fstar\"\\s*:\\s*([-+0-9.eE]+)").matcher(json);
        double v = Double.NaN;
        if (m.find()) {
            try {
                v = Double.parseDouble(m.group(1));
            } catch (NumberFormatException e) {
                v = Double.NaN;
            }
        }
        if (!Double.isFinite(v)) {
            throw new IllegalArgumentException(file + ": no finite \"fstar\" number; " + HOW_TO_CREATE);
        }
        return v;
    }

    /** Writes {@code <set>_fstar.json} with the given value. */
    public static void writeFstar(Path folder, String name, double fstar) throws IOException {
        Files.createDirectories(folder);
        Files.writeString(folder.resolve(name + "_fstar.json"),
                String.format(java.util.Locale.ROOT, "{\"fstar\": %.17g}%n", fstar));
    }

    /** Largest .json header read: make_data.py writes well under 1 KiB. */
    private static final long MAX_JSON = 1 << 16;

    private static String readText(Path file) throws IOException {
        try {
            long size = Files.size(file);
            if (size > MAX_JSON) {
                throw new IllegalArgumentException(file + ": " + size + " bytes, too large for a .json header (at most "
                        + MAX_JSON + "); is this the right file? " + HOW_TO_CREATE);
            }
            // ISO-8859-1 decodes any bytes: damaged text then fails the field checks, naming the file
            return new String(Files.readAllBytes(file), java.nio.charset.StandardCharsets.ISO_8859_1);
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(file.toString(), null, "missing; " + HOW_TO_CREATE);
        }
    }

    private static int intField(Path file, String json, String key) {
        Matcher m = Pattern.compile("\"" + key + "\"\\s*:\\s*(-?\\d+)").matcher(json);
        if (!m.find()) {
            throw new IllegalArgumentException(file + ": no integer field \"" + key + "\"; " + HOW_TO_CREATE);
        }
        try {
            return Integer.parseInt(m.group(1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(file + ": field \"" + key + "\" is out of range; " + HOW_TO_CREATE, e);
        }
    }

    private static ByteBuffer readBytes(Path file, long count) throws IOException {
        if (count > (Integer.MAX_VALUE - 8) / 4) {
            throw new IllegalArgumentException(file + ": the .json header implies " + count + " values of 4 bytes"
                    + " (ntrain or ntest times d), more than one Java array holds; the header is corrupt or the set"
                    + " too large: " + HOW_TO_CREATE);
        }
        long bytes = 4 * count;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            if (ch.size() != bytes) {
                throw new IllegalArgumentException(file + ": has " + ch.size() + " bytes, expected " + bytes + " ("
                        + count + " values of 4 bytes as the .json header says; the data "
                        + (ch.size() < bytes ? "ends at byte offset " + ch.size() : "runs past byte offset " + bytes)
                        + "); the file is incomplete or from "
                        + "another data set: delete it and " + HOW_TO_CREATE);
            }
            if (bytes > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException(file + ": " + count + " values (" + bytes + " bytes) are more than"
                        + " one Java array holds; use a smaller data set (fewer rows or features in make_data.py)");
            }
            ByteBuffer b = little(bytes);
            while (b.hasRemaining()) {
                if (ch.read(b) < 0) {
                    throw new IOException(file + ": ended early at byte offset " + b.position() + " of " + bytes
                            + " (the file shrank while being read); " + HOW_TO_CREATE);
                }
            }
            b.flip();
            return b;
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(file.toString(), null, "missing; " + HOW_TO_CREATE);
        }
    }

    private static float[] features(Path file, int rows, int d) throws IOException {
        long count = (long) rows * d;
        // the size check comes first: nothing is allocated for a header that claims more than the file holds
        ByteBuffer b = readBytes(file, count);
        float[] a = new float[(int) count];
        b.asFloatBuffer().get(a);
        for (int i = 0; i < a.length; i++) {
            if (!Float.isFinite(a[i])) {
                throw new IllegalArgumentException(file + ": row " + (i / d) + ", column " + (i % d) + " is " + a[i]
                        + " (byte offset " + 4L * i + "); features must be finite; " + HOW_TO_CREATE);
            }
        }
        return a;
    }

    private static int[] labels(Path file, int count, int k) throws IOException {
        ByteBuffer b = readBytes(file, count);
        int[] a = new int[count];
        b.asIntBuffer().get(a);
        for (int i = 0; i < a.length; i++) {
            if (a[i] < 0 || a[i] >= k) {
                throw new IllegalArgumentException(file + ": label " + i + " is " + a[i] + " (byte offset " + 4L * i
                        + "), outside [0, K=" + k
                        + ") of the .json header; " + HOW_TO_CREATE);
            }
        }
        return a;
    }

    private static ByteBuffer little(long bytes) {
        return ByteBuffer.allocate(Math.toIntExact(bytes)).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static void writeBytes(Path file, ByteBuffer b) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            while (b.hasRemaining()) {
                ch.write(b);
            }
        }
    }

    public String name() {
        return name;
    }

    public int trainSize() {
        return ntrain;
    }

    public int testSize() {
        return ntest;
    }

    public int featureCount() {
        return d;
    }

    public int classCount() {
        return k;
    }

    /** Whether the set is stored as svmlight files ({@link #trainFile()}, {@link #testFile()}) instead of arrays. */
    public boolean isSvmlight() {
        return trainFile != null;
    }

    /** The training svmlight file of an svmlight set. */
    public Path trainFile() {
        requireSvmlight();
        return trainFile;
    }

    /** The test svmlight file of an svmlight set. */
    public Path testFile() {
        requireSvmlight();
        return testFile;
    }

    /** Whether the svmlight files index columns from 0 (else from 1, LIBSVM's convention). */
    public boolean zeroBased() {
        requireSvmlight();
        return zeroBased;
    }

    /** Training features, row-major {@code ntrain x d} (not copied). */
    public float[] trainFeatures() {
        requireArrays();
        return xtr;
    }

    public int[] trainLabels() {
        requireArrays();
        return ytr;
    }

    /** Test features, row-major {@code ntest x d} (not copied). */
    public float[] testFeatures() {
        requireArrays();
        return xte;
    }

    public int[] testLabels() {
        requireArrays();
        return yte;
    }

    private void requireArrays() {
        if (isSvmlight()) {
            throw new IllegalStateException("set " + name + " is stored as svmlight files (" + trainFile
                    + "): read them with data.Svmlight or Tribuo's LibSVMDataSource");
        }
    }

    private void requireSvmlight() {
        if (!isSvmlight()) {
            throw new IllegalStateException("set " + name + " is held as dense arrays, not svmlight files");
        }
    }
}
