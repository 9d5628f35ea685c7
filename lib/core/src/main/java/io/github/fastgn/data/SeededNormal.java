package io.github.fastgn.data;

import java.util.SplittableRandom;

/**
 * A reproducible source of standard normal and uniform numbers for the generators of this package.
 *
 * <p>Uniform numbers come from {@link SplittableRandom} seeded with the caller's seed (no
 * {@code java.util.Random}, no shared or thread-local state). Normal numbers use the Box-Muller
 * transform {@code sqrt(-2 ln u1) * (cos, sin)(2 pi u2)} with {@link StrictMath}, so a seed gives
 * the same numbers on every JVM and platform; the second number of each pair is kept for the next
 * call. The JDK's own {@code nextGaussian()} is avoided because its algorithm is not specified.
 * Not thread-safe: one instance per stream.
 */
final class SeededNormal {

    private final SplittableRandom uniform;
    private double spare;
    private boolean hasSpare;

    SeededNormal(long seed) {
        this.uniform = new SplittableRandom(seed);
    }

    /** A standard normal number. */
    double next() {
        if (hasSpare) {
            hasSpare = false;
            return spare;
        }
        double u1 = 1.0 - uniform.nextDouble(); // in (0, 1], so the log is finite
        double u2 = uniform.nextDouble();
        double r = StrictMath.sqrt(-2.0 * StrictMath.log(u1));
        double angle = 2.0 * StrictMath.PI * u2;
        spare = r * StrictMath.sin(angle);
        hasSpare = true;
        return r * StrictMath.cos(angle);
    }

    /** Fills {@code out} with {@code scale * N(0, 1)} numbers, in index order. */
    void fill(double[] out, double scale) {
        for (int i = 0; i < out.length; i++) {
            out[i] = scale * next();
        }
    }

    /** A uniform number in {@code [lo, hi)}. */
    double uniform(double lo, double hi) {
        return lo + (hi - lo) * uniform.nextDouble();
    }

    /** A uniform integer in {@code [0, bound)}. */
    int nextInt(int bound) {
        return uniform.nextInt(bound);
    }

    /** Shuffles {@code a} in place (Fisher-Yates). */
    void shuffle(int[] a) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = uniform.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }
}
