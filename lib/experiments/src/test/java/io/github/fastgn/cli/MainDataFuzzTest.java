package io.github.fastgn.cli;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Fuzz test of the command line's {@code --data} reader: a small valid digits CSV (plain and gzip) is
 * cut short, has random bytes flipped, or is replaced by random bytes, and the train command runs on
 * it ({@code Main.run}, one iteration). Each run must finish (exit 0) or throw what {@code Main.main}
 * turns into exit code 1 ({@link IOException}, {@link UncheckedIOException} or a plain
 * {@link IllegalArgumentException}) with a message naming {@code --data} and the file; never an
 * {@link Error}, a usage error (the options are valid) nor another unchecked exception. Runs with
 * {@code -Xmx64m} (surefire execution {@code fuzz}).
 */
class MainDataFuzzTest {

    @TempDir
    Path dir;

    private PrintStream savedErr;

    @BeforeEach
    void quietProgressBar() {
        // the train command draws its progress bar on standard error
        savedErr = System.err;
        System.setErr(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() {
        System.setErr(savedErr);
    }

    /** 60 rows, 6 of each class: a stratified 20% split leaves examples of every class on both sides. */
    private static byte[] validCsv() {
        StringBuilder s = new StringBuilder();
        for (int r = 0; r < 60; r++) {
            for (int j = 0; j < 64; j++) {
                s.append((r * 7 + j) % 17).append(',');
            }
            s.append(r % 10).append('\n');
        }
        return s.toString().getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] gzip(byte[] b) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(out)) {
            z.write(b);
        }
        return out.toByteArray();
    }

    /** Runs the train command on {@code file}; 1 when it trains, 0 on a data error naming the file. */
    private static int check(Path file) {
        PrintStream out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        try {
            assertEquals(0, Main.run(new String[] {"--data", file.toString(), "--max-iterations", "1"}, out));
            return 1;
        } catch (Main.UsageException e) {
            fail(file + ": a usage error for valid options: " + e.getMessage(), e);
            return 0;
        } catch (IOException | UncheckedIOException | IllegalArgumentException e) {
            if (e instanceof IllegalArgumentException && e.getClass() != IllegalArgumentException.class) {
                fail(file + ": undocumented exception " + e, e);
            }
            String m = String.valueOf(e.getMessage());
            assertTrue(m.contains("--data") && m.contains(file.getFileName().toString()),
                    () -> "message does not name --data and " + file + ": " + m);
            return 0;
        } catch (Throwable t) {
            fail(file + ": " + t, t);
            return 0;
        }
    }

    @Test
    void damagedDataFiles() throws IOException {
        Random rnd = new Random(20261207L);
        byte[] plain = validCsv();
        for (byte[] valid : new byte[][] {plain, gzip(plain)}) {
            boolean gz = valid != plain;
            Path file = dir.resolve(gz ? "d.csv.gz" : "d.csv");
            Files.write(file, valid);
            assertEquals(1, check(file), "the valid file must train");
            // prefixes: whole lines of a plain file may read (fewer rows); any cut gzip must not
            for (int len = 0; len < valid.length; len += gz ? 7 : 131) {
                Files.write(file, Arrays.copyOf(valid, len));
                int ok = check(file);
                if (gz) {
                    assertEquals(0, ok, "a truncated gzip file must not read");
                }
            }
            for (int t = 0; t < 60; t++) {
                byte[] b = valid.clone();
                for (int f = 0, flips = 1 + rnd.nextInt(3); f < flips; f++) {
                    b[rnd.nextInt(b.length)] ^= (byte) (1 + rnd.nextInt(255));
                }
                Files.write(file, b);
                check(file);
            }
            for (int t = 0; t < 30; t++) {
                byte[] b = new byte[rnd.nextInt(valid.length + 1)];
                rnd.nextBytes(b);
                if (gz && b.length >= 2) {
                    b[0] = 0x1f;
                    b[1] = (byte) 0x8b;
                }
                Files.write(file, b);
                check(file);
            }
        }
    }
}
