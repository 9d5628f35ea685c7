package io.github.fastgn.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fuzz tests of the file readers {@link Idx} (images, images as float, labels) and {@link Digits}:
 * seeded plain JUnit loops over every prefix of a small valid
 * file (plain and gzip), files with random bytes flipped, random bytes, the empty file and headers
 * claiming huge sizes. Each call must return a result or throw an {@link IOException} or a plain
 * {@link IllegalArgumentException} whose message names the file; never an {@link Error} such as
 * {@link OutOfMemoryError} nor another unchecked exception. Surefire runs these classes in a JVM
 * with {@code -Xmx64m} (execution {@code fuzz}), so an allocation driven by a bogus header fails.
 */
class LoaderFuzzTest {

    private static final long SEED = 20260101L;
    private static final int FLIPS = 400;
    private static final int RANDOM = 200;

    @TempDir
    Path dir;

    /** A reader under test: reads bytes named {@code source}. */
    interface Reader {
        Object read(byte[] bytes, String source) throws Exception;
    }

    private static final Reader IMAGES = (b, s) -> Idx.readImages(new ByteArrayInputStream(b), s);
    private static final Reader FLOAT_IMAGES = (b, s) ->
            Idx.readImagesAsFloat(new ByteArrayInputStream(b), s, i -> i % 2 == 0, 255.0);
    private static final Reader LABELS = (b, s) -> Idx.readLabels(new ByteArrayInputStream(b), s, 10);
    private static final Reader DIGITS = (b, s) -> Digits.read(new ByteArrayInputStream(b), s);

    /** Runs one call; fails unless it returns or throws a documented exception naming {@code source}. */
    static int check(Reader reader, byte[] bytes, String source) {
        try {
            reader.read(bytes, source);
            return 1;
        } catch (IOException | IllegalArgumentException e) {
            boolean documented = e instanceof IOException || e.getClass() == IllegalArgumentException.class;
            if (!documented) {
                fail(source + ": undocumented exception " + e + " for input of " + bytes.length + " bytes", e);
            }
            if (e.getMessage() == null || !e.getMessage().contains(source)) {
                fail("message does not name " + source + ": " + e, e);
            }
            return 0;
        } catch (Throwable t) {
            fail(source + ": " + t + " for input of " + bytes.length + " bytes", t);
            return 0;
        }
    }

    /** All prefixes, byte flips, random inputs and the empty input through {@code reader}. */
    static void fuzz(Reader reader, byte[] valid, String name) {
        String source = "fuzz/" + name;
        assertEquals(1, check(reader, valid, source), "the valid file must read");
        int ok = 0;
        for (int len = 0; len < valid.length; len++) {
            ok += check(reader, java.util.Arrays.copyOf(valid, len), source);
        }
        assertEquals(0, ok, "no proper prefix of a valid file may read without error");
        Random rnd = new Random(SEED ^ name.hashCode());
        for (int t = 0; t < FLIPS; t++) {
            byte[] b = valid.clone();
            int flips = 1 + rnd.nextInt(4);
            for (int f = 0; f < flips; f++) {
                b[rnd.nextInt(b.length)] ^= (byte) (1 + rnd.nextInt(255));
            }
            check(reader, b, source);
        }
        for (int t = 0; t < RANDOM; t++) {
            byte[] b = new byte[rnd.nextInt(2 * valid.length + 1)];
            rnd.nextBytes(b);
            if (t % 4 == 0 && b.length >= 2) {
                b[0] = 0x1f; // looks like gzip
                b[1] = (byte) 0x8b;
            }
            check(reader, b, source);
        }
        check(reader, new byte[0], source);
    }

    static byte[] gzip(byte[] b) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(b);
        }
        return out.toByteArray();
    }

    static byte[] imageFile(int count, int rows, int cols, int bodyBytes) {
        ByteBuffer b = ByteBuffer.allocate(16 + bodyBytes);
        b.putInt(Idx.IMAGES_MAGIC).putInt(count).putInt(rows).putInt(cols);
        for (int i = 0; i < bodyBytes; i++) {
            b.put((byte) (i * 37));
        }
        return b.array();
    }

    static byte[] labelFile(int count, int bodyBytes) {
        ByteBuffer b = ByteBuffer.allocate(8 + bodyBytes);
        b.putInt(Idx.LABELS_MAGIC).putInt(count);
        for (int i = 0; i < bodyBytes; i++) {
            b.put((byte) (i % 10));
        }
        return b.array();
    }

    static byte[] digitsFile(int rows) {
        StringBuilder s = new StringBuilder();
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < Digits.FEATURES; j++) {
                s.append((r + j) % 17).append(',');
            }
            s.append(r % 10).append('\n');
        }
        return s.toString().getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    @Test
    void idxImages() throws IOException {
        byte[] valid = imageFile(3, 2, 3, 18);
        fuzz(IMAGES, valid, "images.idx");
        fuzz(IMAGES, gzip(valid), "images.idx.gz");
        fuzz(FLOAT_IMAGES, valid, "images-float.idx");
        fuzz(FLOAT_IMAGES, gzip(valid), "images-float.idx.gz");
    }

    @Test
    void idxLabels() throws IOException {
        byte[] valid = labelFile(7, 7);
        fuzz(LABELS, valid, "labels.idx");
        fuzz(LABELS, gzip(valid), "labels.idx.gz");
    }

    @Test
    void digits() throws IOException {
        byte[] valid = digitsFile(2);
        // the CSV is long; every 7th prefix keeps the run short while covering each field position
        String source = "fuzz/digits.csv";
        for (int len = 0; len < valid.length; len += 7) {
            check(DIGITS, java.util.Arrays.copyOf(valid, len), source);
        }
        fuzz(DIGITS, gzip(valid), "digits.csv.gz");
        Random rnd = new Random(SEED);
        for (int t = 0; t < FLIPS; t++) {
            byte[] b = valid.clone();
            b[rnd.nextInt(b.length)] = (byte) rnd.nextInt(256);
            check(DIGITS, b, source);
        }
        check(DIGITS, new byte[0], source);
        for (String bad : new String[] {"NaN", "Infinity", "1e400", "-0x1p3", "99999999999999999999"}) {
            byte[] line = (bad + ",0".repeat(Digits.FEATURES - 1) + ",3\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            assertEquals(0, check(DIGITS, line, source), bad);
        }
        // one endless line must not be held whole
        byte[] endless = new byte[1 << 20];
        java.util.Arrays.fill(endless, (byte) '1');
        assertEquals(0, check(DIGITS, endless, source));
    }

    /** Headers claiming far more data than present: an error naming the file, with no huge allocation. */
    @Test
    void hugeClaimedSizes() throws IOException {
        List<byte[]> images = new ArrayList<>();
        images.add(imageFile(Integer.MAX_VALUE, 1, 1, 2));
        images.add(imageFile(1 << 30, 1, 1, 2)); // 1 GiB claimed, 2 bytes present
        images.add(imageFile(1, 1 << 15, 1 << 15, 2)); // one 1 GiB image
        images.add(imageFile(Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE, 0)); // past long
        images.add(imageFile(-1, 28, 28, 0)); // 0xffffffff
        images.add(imageFile(60000, 28, 28, 2));
        for (byte[] b : images) {
            for (Reader r : new Reader[] {IMAGES, FLOAT_IMAGES}) {
                assertEquals(0, check(r, b, "fuzz/huge.idx"));
                assertEquals(0, check(r, gzip(b), "fuzz/huge.idx.gz"));
            }
        }
        for (int count : new int[] {Integer.MAX_VALUE, 1 << 30, -1, 60000}) {
            assertEquals(0, check(LABELS, labelFile(count, 3), "fuzz/huge-labels.idx"));
            assertEquals(0, check(LABELS, gzip(labelFile(count, 3)), "fuzz/huge-labels.idx.gz"));
        }
        // the 18-byte file of the issue, through the Path readers
        Path p = dir.resolve("eighteen.idx");
        Files.write(p, imageFile(1 << 20, 28, 28, 2)); // 822 MB claimed
        assertEquals(18, Files.size(p));
        assertEquals(0, check((b, s) -> Idx.readImages(p), new byte[0], p.toString()));
        assertEquals(0, check((b, s) -> Idx.readImagesAsFloat(p, i -> true, 255), new byte[0], p.toString()));
        Path q = dir.resolve("labels.idx");
        Files.write(q, labelFile(Integer.MAX_VALUE - 8, 10));
        assertEquals(0, check((b, s) -> Idx.readLabels(q, 10), new byte[0], q.toString()));
        String m = messageOf(() -> Idx.readImages(p));
        assertTrue(m.contains("truncated") && m.contains("re-download"), m);
    }

    /** Messages name the file, the position and the fix. */
    @Test
    void messagesNamePositionAndFix() throws IOException {
        String m = messageOf(() -> Idx.readLabels(new ByteArrayInputStream(labelFile(10, 4)), "l.idx", 10));
        assertTrue(m.contains("l.idx") && m.contains("byte offset 12") && m.contains("re-download"), m);
        byte[] gz = gzip(imageFile(3, 2, 3, 18));
        gz[gz.length / 2] ^= 0x55;
        gz[gz.length / 2 + 1] ^= 0x55;
        m = messageOf(() -> Idx.readImages(new ByteArrayInputStream(gz), "i.idx.gz"));
        assertTrue(m.contains("i.idx.gz") && m.contains("re-download"), m);
        m = messageOf(() -> Idx.readLabels(new ByteArrayInputStream(labelFile(2, 3)), "t.idx", 10));
        assertTrue(m.contains("t.idx") && m.contains("byte offset") && m.contains("1 bytes follow"), m);
        byte[] csv = digitsFile(3);
        csv[Digits.FEATURES * 3 + 2] = 'x';
        m = messageOf(() -> Digits.read(new ByteArrayInputStream(csv), "d.csv"));
        assertTrue(m.contains("d.csv line 2") && m.contains("restore"), m);
    }

    interface Call {
        Object call() throws Exception;
    }

    static String messageOf(Call c) {
        try {
            c.call();
        } catch (IOException | IllegalArgumentException e) {
            return e.getMessage();
        } catch (Exception e) {
            fail(e);
        }
        fail("no exception");
        return null;
    }
}
