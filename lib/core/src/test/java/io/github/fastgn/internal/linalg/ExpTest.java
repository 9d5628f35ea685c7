package io.github.fastgn.internal.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** {@link Exp#exp}: accuracy against {@link StrictMath#exp}, and the same bits on both paths and in every JIT tier. */
class ExpTest {

    /** Distance in units in the last place of {@code expected}. */
    private static double ulps(double got, double expected) {
        if (got == expected) {
            return 0;
        }
        return Math.abs(got - expected) / Math.ulp(expected);
    }

    @Test
    void withinTwoUlpOfStrictMathOnTheSoftmaxRange() {
        SplittableRandom rnd = new SplittableRandom(3);
        double worst = 0;
        double worstAt = 0;
        List<Double> points = new ArrayList<>();
        // edges: 0, the subnormal boundary, the last non-zero result, points where k changes
        for (double x : new double[] {0.0, -0.0, -Double.MIN_VALUE, -1e-300, -1e-17, -0x1p-54, -1e-10, -0.34657359,
                -0.34657360, -0.5, -0.6931471805599453, -1, -2, -10, -20, -100, -700, -708.3964185322641,
                -708.3964185322642, -708.4, -709, -709.78, -720, -740, -744.4400719213812, -745,
                -745.1332191019411, -745.1332191019412, -745.13321910194122}) {
            points.add(x);
        }
        for (int m = 0; m <= 1075; m++) {
            // around the reduction's switch points x = -(m + 1/2) ln 2
            double x = -(m + 0.5) * 0.6931471805599453;
            points.add(x);
            points.add(Math.nextUp(x));
            points.add(Math.nextDown(x));
            points.add(-m * 0.6931471805599453);
        }
        for (int t = 0; t < 2_000_000; t++) {
            points.add(-745 * rnd.nextDouble());
        }
        for (int t = 0; t < 200_000; t++) {
            points.add(-rnd.nextDouble());
            points.add(-Math.scalb(rnd.nextDouble(), -rnd.nextInt(60)));
        }
        for (double x : points) {
            if (x < -745.2) {
                continue;
            }
            double u = ulps(Exp.exp(x), StrictMath.exp(x));
            if (u > worst) {
                worst = u;
                worstAt = x;
            }
        }
        assertTrue(worst <= 2, "worst " + worst + " ulp at " + worstAt);
        System.out.println("Exp.exp: worst " + worst + " ulp of StrictMath.exp at " + worstAt + " over " + points.size() + " points");
    }

    @Test
    void specialValuesAndTheRestOfTheLine() {
        assertEquals(0.0, Exp.exp(Double.NEGATIVE_INFINITY), 0.0);
        assertEquals(0.0, Exp.exp(-746), 0.0);
        assertEquals(0.0, Exp.exp(-1e300), 0.0);
        assertEquals(1.0, Exp.exp(0.0), 0.0);
        assertEquals(1.0, Exp.exp(-0.0), 0.0);
        assertTrue(Double.isNaN(Exp.exp(Double.NaN)));
        assertEquals(Double.POSITIVE_INFINITY, Exp.exp(710), 0.0);
        assertEquals(Double.POSITIVE_INFINITY, Exp.exp(Double.POSITIVE_INFINITY), 0.0);
        // positive arguments (a caller's shift need not be the max) stay accurate as well
        SplittableRandom rnd = new SplittableRandom(4);
        for (int t = 0; t < 200_000; t++) {
            double x = 709 * rnd.nextDouble();
            double u = ulps(Exp.exp(x), StrictMath.exp(x));
            if (u > 2) {
                fail(u + " ulp at " + x);
            }
        }
    }

    @Test
    void vectorLanesGiveTheScalarBits() {
        Assumptions.assumeTrue(KernelProvider.vector().isPresent());
        Kernels vector = KernelProvider.vector().get();
        Kernels scalar = KernelProvider.scalar();
        SplittableRandom rnd = new SplittableRandom(5);
        for (int rep = 0; rep < 300; rep++) {
            int len = 1 + rnd.nextInt(70);
            int from = rnd.nextInt(5);
            double[] v = new double[from + len + 3];
            for (int i = 0; i < v.length; i++) {
                v[i] = switch (rnd.nextInt(8)) {
                    case 0 -> Double.NEGATIVE_INFINITY;
                    case 1 -> -800 * rnd.nextDouble();
                    case 2 -> -1e-12 * rnd.nextDouble();
                    default -> 60 * rnd.nextDouble() - 50;
                };
            }
            double shift = rnd.nextDouble() * 10;
            double[] a = v.clone();
            double[] b = v.clone();
            double sa = scalar.expInPlace(a, from, from + len, shift);
            double sb = vector.expInPlace(b, from, from + len, shift);
            for (int i = 0; i < v.length; i++) {
                assertEquals(Double.doubleToRawLongBits(a[i]), Double.doubleToRawLongBits(b[i]),
                        "len " + len + " at " + i + ": " + v[i] + " -> " + a[i] + " vs " + b[i]);
            }
            assertEquals(sa, sb, 1e-15 * sa);
        }
    }

    @Test
    void vectorExpDoesNotDependOnTheJitTier() throws Exception {
        Assumptions.assumeTrue(KernelProvider.vector().isPresent());
        String interpreted = probe("-Xint");
        String c1 = probe("-XX:TieredStopAtLevel=1");
        Kernels vector = KernelProvider.vector().get();
        for (int rep = 0; rep < 30; rep++) {
            // the first repetitions run in the interpreter / C1, the later ones C2-compiled
            String here = Long.toHexString(ExpProbe.hash(vector));
            assertEquals(interpreted, here, "repetition " + rep + " against -Xint");
            assertEquals(c1, here, "repetition " + rep + " against C1");
        }
    }

    private static String probe(String tier) throws Exception {
        List<String> cmd = List.of(
                java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules", KernelProvider.VECTOR_MODULE, tier,
                "-cp", System.getProperty("java.class.path"), ExpProbe.class.getName());
        Process p = new ProcessBuilder(cmd).start();
        byte[] out = p.getInputStream().readAllBytes();
        byte[] err = p.getErrorStream().readAllBytes();
        assertTrue(p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), new String(err, java.nio.charset.StandardCharsets.UTF_8));
        return new String(out, java.nio.charset.StandardCharsets.UTF_8).trim();
    }
}
