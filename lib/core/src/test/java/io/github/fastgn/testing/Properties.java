package io.github.fastgn.testing;

import java.util.SplittableRandom;

/**
 * Seeded property checks: {@link #forAll} runs a check on {@code tries} draws from a fixed seed, so
 * every build runs the same tries, and a failure names the try and every value it drew, so it can be
 * replayed by hand.
 *
 * <p>Why not jqwik (which the project first used for this): jqwik 1.10's engine prints on every run
 * that AI agents must not use the library. FastGN is developed with AI agents, so we respect the
 * maintainer's wish rather than hide the message. What the properties need is small and written
 * here: uniform draws whose range ends come up more often (one draw in eight takes an end, as
 * jqwik's edge cases do) and a readable failure. There is no shrinking: the draws are kept small.
 */
public final class Properties {

    /** One try of a property, given its draws. */
    @FunctionalInterface
    public interface Check {
        void run(Draw draw) throws Throwable;
    }

    private Properties() {
    }

    /**
     * Runs {@code check} on {@code tries} independent draws from {@code seed}.
     *
     * @throws AssertionError naming the try, the seed and the drawn values when a try fails
     */
    public static void forAll(long seed, int tries, Check check) {
        if (tries < 1) {
            throw new IllegalArgumentException("tries must be >= 1, got " + tries);
        }
        SplittableRandom root = new SplittableRandom(seed);
        for (int t = 0; t < tries; t++) {
            Draw draw = new Draw(root.split());
            try {
                check.run(draw);
            } catch (Throwable e) {
                throw new AssertionError("property failed at try " + (t + 1) + " of " + tries + " (seed " + seed
                        + ") with " + draw.drawn() + ": " + e.getMessage(), e);
            }
        }
    }

    /** The values one try draws; each draw is named, for the failure message. */
    public static final class Draw {
        private final SplittableRandom rnd;
        private final StringBuilder drawn = new StringBuilder();

        Draw(SplittableRandom rnd) {
            this.rnd = rnd;
        }

        /** An integer in {@code [min, max]}, an end one time in eight. */
        public int intIn(String name, int min, int max) {
            if (min > max) {
                throw new IllegalArgumentException("empty range [" + min + ", " + max + "] for " + name);
            }
            int v;
            if (rnd.nextInt(8) == 0) {
                v = rnd.nextBoolean() ? min : max;
            } else {
                v = (int) (min + rnd.nextLong((long) max - min + 1));
            }
            note(name, v);
            return v;
        }

        /** A double in {@code [min, max]}, an end one time in eight. */
        public double doubleIn(String name, double min, double max) {
            if (!(min <= max)) {
                throw new IllegalArgumentException("empty range [" + min + ", " + max + "] for " + name);
            }
            double v = rnd.nextInt(8) == 0 ? (rnd.nextBoolean() ? min : max) : min + (max - min) * rnd.nextDouble();
            note(name, v);
            return v;
        }

        /** A fair coin. */
        public boolean bool(String name) {
            boolean v = rnd.nextBoolean();
            note(name, v);
            return v;
        }

        /** Any long, as a seed for the property's own generator. */
        public long seed(String name) {
            long v = rnd.nextLong();
            note(name, v);
            return v;
        }

        /** One constant of an enum, uniformly. */
        public <E extends Enum<E>> E oneOf(String name, Class<E> type) {
            E[] values = type.getEnumConstants();
            E v = values[rnd.nextInt(values.length)];
            note(name, v);
            return v;
        }

        private void note(String name, Object value) {
            drawn.append(drawn.length() == 0 ? "" : ", ").append(name).append('=').append(value);
        }

        String drawn() {
            return drawn.length() == 0 ? "no draws" : drawn.toString();
        }
    }
}
