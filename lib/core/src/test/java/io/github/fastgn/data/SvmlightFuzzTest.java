package io.github.fastgn.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fuzz tests of {@link Svmlight#read} and {@link MappedFloatFeatures#open}, with the rule of
 * {@link LoaderFuzzTest}: every input returns a valid result or throws an {@link IOException} or
 * a plain {@link IllegalArgumentException} naming the source; never an {@link Error} or another
 * unchecked exception. Runs in the {@code -Xmx64m} JVM of surefire's {@code fuzz} execution. An
 * svmlight prefix cut at a line end is itself a valid file, so prefixes may read.
 */
class SvmlightFuzzTest {

    private static final long SEED = 20261206L;

    @TempDir
    Path dir;

    private static byte[] valid() throws IOException {
        try (InputStream in = SvmlightFuzzTest.class.getResourceAsStream("sklearn_one_based_qid.svm")) {
            return in.readAllBytes();
        }
    }

    private static final LoaderFuzzTest.Reader AUTO = (b, s) ->
            Svmlight.read(new ByteArrayInputStream(b), s, Svmlight.IndexBase.AUTO, 0, false);
    private static final LoaderFuzzTest.Reader ONE_FLOAT_12 = (b, s) ->
            Svmlight.read(new ByteArrayInputStream(b), s, Svmlight.IndexBase.ONE, 12, true);

    @Test
    void prefixesFlipsAndRandomTextNeverEscape() throws IOException {
        byte[] valid = valid();
        for (LoaderFuzzTest.Reader reader : new LoaderFuzzTest.Reader[] {AUTO, ONE_FLOAT_12}) {
            assertEquals(1, LoaderFuzzTest.check(reader, valid, "fuzz/valid.svm"));
            int read = 0;
            for (int len = 0; len < valid.length; len++) {
                read += LoaderFuzzTest.check(reader, Arrays.copyOf(valid, len), "fuzz/prefix.svm");
            }
            assertTrue(read > 0 && read < valid.length, "some prefixes read, some do not: " + read);
            Random rnd = new Random(SEED);
            byte[] alphabet = "0123456789:.eE+-#qid \t\r\n\n\nnaif,x".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            for (int t = 0; t < 1500; t++) {
                byte[] b = valid.clone();
                for (int f = 1 + rnd.nextInt(4); f > 0; f--) {
                    int at = rnd.nextInt(b.length);
                    b[at] = rnd.nextBoolean() ? alphabet[rnd.nextInt(alphabet.length)] : (byte) rnd.nextInt(256);
                }
                LoaderFuzzTest.check(reader, b, "fuzz/flipped.svm");
            }
            for (int t = 0; t < 300; t++) {
                byte[] b = new byte[rnd.nextInt(400)];
                for (int i = 0; i < b.length; i++) {
                    b[i] = t % 2 == 0 ? alphabet[rnd.nextInt(alphabet.length)] : (byte) rnd.nextInt(256);
                }
                LoaderFuzzTest.check(reader, b, "fuzz/random.svm");
            }
            byte[] gz = LoaderFuzzTest.gzip(valid);
            for (int len = 0; len < gz.length; len += 7) {
                LoaderFuzzTest.check(reader, Arrays.copyOf(gz, len), "fuzz/cut.svm.gz");
            }
        }
    }

    @Test
    void corruptMatrixFilesNeverEscape() throws IOException {
        Path good = dir.resolve("good.f32m");
        float[] x = new float[7 * 5];
        for (int t = 0; t < x.length; t++) {
            x[t] = t * 0.5f - 3;
        }
        MappedFloatFeatures.write(good, x, 7, 5);
        byte[] valid = Files.readAllBytes(good);
        Path file = dir.resolve("fuzz.f32m");
        LoaderFuzzTest.Reader open = (b, s) -> {
            Files.write(file, b);
            return MappedFloatFeatures.open(file);
        };
        String source = file.toString();
        assertEquals(1, LoaderFuzzTest.check(open, valid, source));
        for (int len = 0; len < valid.length; len++) {
            assertEquals(0, LoaderFuzzTest.check(open, Arrays.copyOf(valid, len), source), "prefix " + len);
        }
        Random rnd = new Random(SEED);
        for (int t = 0; t < 400; t++) {
            byte[] b = valid.clone();
            for (int f = 1 + rnd.nextInt(3); f > 0; f--) {
                b[rnd.nextInt(t % 2 == 0 ? MappedFloatFeatures.HEADER : b.length)] ^= (byte) (1 + rnd.nextInt(255));
            }
            LoaderFuzzTest.check(open, b, source);
        }
        for (int t = 0; t < 100; t++) {
            byte[] b = new byte[rnd.nextInt(200)];
            rnd.nextBytes(b);
            if (t % 2 == 0 && b.length >= 8) {
                System.arraycopy(MappedFloatFeatures.MAGIC, 0, b, 0, 8);
            }
            LoaderFuzzTest.check(open, b, source);
        }
    }
}
