package io.github.fastgn.internal.linalg;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The size rules of {@link KernelWarmUp}: no thread for small runs or empty shapes, the synthetic
 * classes cut to the work bound (its fresh-JVM behaviour is {@code io.github.fastgn.KernelWarmUpTest}).
 */
class KernelWarmUpShapeTest {

    @Test
    void smallRunsAreNotWarmedUpAndLargeShapesAreCut() {
        assertNull(KernelWarmUp.start(KernelWarmUp.MIN_DATA_ROWS - 1, 784, 10, true), "too few rows");
        assertNull(KernelWarmUp.start(100_000, 0, 10, true), "no features");
        assertNull(KernelWarmUp.start(100_000, 784, 0, false), "no classes");
        assertEquals(10, KernelWarmUp.classes(784, 10), "fmnist's shape as it is");
        int cut = KernelWarmUp.classes(256, 1000);
        assertTrue(cut < 1000 && (long) KernelWarmUp.ROWS * 256 * cut <= KernelWarmUp.WORK
                && (long) KernelWarmUp.ROWS * 256 * (cut + 1) > KernelWarmUp.WORK, "K = 1000 cut to " + cut);
        assertEquals(1, KernelWarmUp.classes(1 << 20, 1000), "at least one class");
    }
}
