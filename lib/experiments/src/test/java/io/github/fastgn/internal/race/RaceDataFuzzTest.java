package io.github.fastgn.internal.race;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Fuzz test of {@link RaceData#read} and {@link RaceData#readFstar}: seeded plain JUnit loops that
 * damage one file of a small valid set at a time (every prefix, random byte flips, random bytes,
 * empty) and headers claiming huge sizes. Each read must succeed or
 * throw an {@link IOException} or a plain {@link IllegalArgumentException} naming the damaged file;
 * never an {@link Error} nor another unchecked exception. Runs with {@code -Xmx64m} (surefire
 * execution {@code fuzz}).
 */
class RaceDataFuzzTest {

    private static final String[] SUFFIXES = {".json", "_Xtr.f32", "_ytr.i32", "_Xte.f32", "_yte.i32", "_fstar.json"};

    @TempDir
    Path dir;

    private void writeValid() throws IOException {
        float[] xtr = {0.5f, -1f, 2f, 0f, 1f, 1f};
        float[] xte = {3f, -3f};
        new RaceData("s", 2, 3, xtr, new int[] {0, 2, 1}, xte, new int[] {2}).write(dir);
        RaceData.writeFstar(dir, "s", 0.25);
    }

    /** Reads the set; returns 1 when it reads, 0 on a documented error naming {@code file}. */
    private int check(Path file) {
        try {
            RaceData.read(dir, "s");
            RaceData.readFstar(dir, "s");
            return 1;
        } catch (IOException | IllegalArgumentException e) {
            if (!(e instanceof IOException) && e.getClass() != IllegalArgumentException.class) {
                fail(file + ": undocumented exception " + e, e);
            }
            assertTrue(e.getMessage() != null && e.getMessage().contains(file.getFileName().toString()),
                    "message does not name " + file + ": " + e);
            return 0;
        } catch (Throwable t) {
            fail(file + ": " + t, t);
            return 0;
        }
    }

    @Test
    void damagedFiles() throws IOException {
        Random rnd = new Random(20260102L);
        int calls = 0;
        for (String suffix : SUFFIXES) {
            writeValid();
            Path file = dir.resolve("s" + suffix);
            byte[] valid = Files.readAllBytes(file);
            assertEquals(1, check(file));
            for (int len = 0; len < valid.length; len++) {
                Files.write(file, Arrays.copyOf(valid, len));
                check(file);
                calls++;
            }
            for (int t = 0; t < 150; t++) {
                byte[] b = valid.clone();
                for (int f = 0, n = 1 + rnd.nextInt(3); f < n; f++) {
                    b[rnd.nextInt(b.length)] ^= (byte) (1 + rnd.nextInt(255));
                }
                Files.write(file, b);
                check(file);
                calls++;
            }
            for (int t = 0; t < 50; t++) {
                byte[] b = new byte[rnd.nextInt(2 * valid.length + 1)];
                rnd.nextBytes(b);
                Files.write(file, b);
                check(file);
                calls++;
            }
            Files.write(file, new byte[0]);
            assertEquals(0, check(file));
            Files.write(file, valid);
        }
        assertTrue(calls > 500);
    }

    @Test
    void hugeClaimedSizes() throws IOException {
        Path header = dir.resolve("s.json");
        String[][] cases = {
                {"2147483647", "1", "1"}, {"1073741824", "0", "4"}, {"2147483647", "2147483647", "2147483647"},
                {"100000000", "5", "1000"}, {"99999999999", "1", "1"}, {"3", "1", "-5"},
        };
        for (String[] c : cases) {
            writeValid();
            Files.writeString(header, "{\"ntrain\": " + c[0] + ", \"ntest\": " + c[1] + ", \"d\": " + c[2]
                    + ", \"K\": 3}");
            try {
                RaceData.read(dir, "s");
                fail("read a set whose header claims " + Arrays.toString(c));
            } catch (IllegalArgumentException e) {
                assertEquals(IllegalArgumentException.class, e.getClass(), e.toString());
                String m = e.getMessage();
                assertTrue(m.contains("s.json") || m.contains(".f32") || m.contains(".i32"), m);
                assertTrue(m.contains("make_data.py"), m);
            } catch (Throwable t) {
                fail(Arrays.toString(c) + ": " + t, t);
            }
        }
        writeValid();
        Files.write(header, new byte[(1 << 16) + 1]);
        assertEquals(0, check(header));
    }
}
