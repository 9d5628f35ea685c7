package io.github.fastgn.data;

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
 * Fuzz test of the Fashion-MNIST folder reader ({@link FashionMnist#load(Path)},
 * {@link FashionMnist#load(Path, int, int)} and {@link FashionMnist#twoClass(Path, int, int)}), which
 * combines four IDX files and checks that they agree: one file of a small valid folder at a time is
 * cut short (header prefixes, then every 61st length), has random bytes flipped, or is replaced by
 * random bytes. Each load must return a split or throw an {@link IOException} or a plain
 * {@link IllegalArgumentException} naming the damaged file; never an {@link Error} nor another
 * unchecked exception. Runs with {@code -Xmx64m} (surefire execution {@code fuzz}).
 */
class FashionMnistFuzzTest {

    private static final String[] FILES = {FashionMnist.TRAIN_IMAGES, FashionMnist.TRAIN_LABELS,
        FashionMnist.TEST_IMAGES, FashionMnist.TEST_LABELS};
    private static final int TRAIN = 6;
    private static final int TEST = 4;

    @TempDir
    Path dir;

    private void writeValid() throws IOException {
        int side = FashionMnist.SIDE;
        Files.write(dir.resolve(FashionMnist.TRAIN_IMAGES), LoaderFuzzTest.imageFile(TRAIN, side, side, TRAIN * side * side));
        Files.write(dir.resolve(FashionMnist.TRAIN_LABELS), LoaderFuzzTest.labelFile(TRAIN, TRAIN));
        Files.write(dir.resolve(FashionMnist.TEST_IMAGES), LoaderFuzzTest.imageFile(TEST, side, side, TEST * side * side));
        Files.write(dir.resolve(FashionMnist.TEST_LABELS), LoaderFuzzTest.labelFile(TEST, TEST));
    }

    /** Loads the folder three ways; 1 when all read, 0 when one threw a documented error naming {@code file}. */
    private int check(String file, int variant) {
        try {
            switch (variant % 3) {
                case 0 -> FashionMnist.load(dir);
                case 1 -> FashionMnist.load(dir, 3, 2);
                default -> FashionMnist.twoClass(dir, 0, 1);
            }
            return 1;
        } catch (IOException | IllegalArgumentException e) {
            if (!(e instanceof IOException) && e.getClass() != IllegalArgumentException.class) {
                fail(file + ": undocumented exception " + e, e);
            }
            assertTrue(e.getMessage() != null && e.getMessage().contains(file), () -> "message does not name " + file
                    + ": " + e);
            return 0;
        } catch (Throwable t) {
            fail(file + ": " + t, t);
            return 0;
        }
    }

    @Test
    void damagedFiles() throws IOException {
        Random rnd = new Random(20261206L);
        int calls = 0;
        for (String name : FILES) {
            writeValid();
            for (int v = 0; v < 3; v++) {
                assertEquals(1, check(name, v), "the valid folder must load");
            }
            Path file = dir.resolve(name);
            byte[] valid = Files.readAllBytes(file);
            for (int len = 0; len < valid.length; len = len < 20 ? len + 1 : len + 61) {
                Files.write(file, Arrays.copyOf(valid, len));
                assertEquals(0, check(name, len), "a truncated " + name + " must not load");
                calls++;
            }
            for (int t = 0; t < 120; t++) {
                byte[] b = valid.clone();
                for (int f = 0, flips = 1 + rnd.nextInt(3); f < flips; f++) {
                    // flip header bytes as often as body bytes: the header decides the sizes
                    int at = rnd.nextBoolean() ? rnd.nextInt(Math.min(16, b.length)) : rnd.nextInt(b.length);
                    b[at] ^= (byte) (1 + rnd.nextInt(255));
                }
                Files.write(file, b);
                check(name, t);
                calls++;
            }
            for (int t = 0; t < 40; t++) {
                byte[] b = new byte[rnd.nextInt(2 * valid.length + 1)];
                rnd.nextBytes(b);
                Files.write(file, b);
                check(name, t);
                calls++;
            }
        }
        assertTrue(calls > 600, "calls " + calls);
    }
}
