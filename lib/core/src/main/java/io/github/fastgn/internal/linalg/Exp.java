package io.github.fastgn.internal.linalg;

/**
 * A deterministic {@code exp} built from basic IEEE operations only, so that it gives the same
 * bits in the interpreter, C1 and C2, and in its scalar ({@link #exp}) and lane-wise
 * ({@code VectorKernels.expInPlace}) forms: {@code Math.fma} and the Vector API's {@code fma} are
 * exactly rounded, plain adds and multiplies are, and the integer steps are exact. ({@code
 * Math.exp} is an intrinsic whose bits are not specified, and the Vector API's lane-wise
 * {@code EXP} is SVML under C2 but per-lane {@code Math.exp} in the interpreter.)
 *
 * <p>The algorithm, written once here as constants and a fixed sequence of operations; the vector
 * form in {@code VectorKernels} repeats the same sequence lane-wise, and the tests check the two
 * bit for bit in every JIT tier:
 * <ol>
 *   <li>clamp {@code x} to {@code [-746, 710]} (below, the result underflows to 0, above it
 *       overflows to infinity, so the clamp changes nothing; {@code -inf -> 0}, NaN stays NaN);</li>
 *   <li>{@code t = fma(x, log2 e, 1.5 * 2^52)}: the addition rounds {@code x log2 e} to the
 *       nearest integer {@code k}, held in the low bits of {@code t}; {@code kd = t - 1.5 * 2^52}
 *       is {@code k} as a double (exact);</li>
 *   <li>Cody-Waite reduction with a two-part {@code ln 2}:
 *       {@code r = fma(-kd, ln2hi, x)} (exact), {@code r = fma(-kd, ln2lo, r)};
 *       {@code |r| <= ln2/2 + tiny};</li>
 *   <li>{@code exp(r)} by its Taylor polynomial of degree 13 in Horner form with {@code fma}
 *       (truncation error below {@code 5e-18} relative);</li>
 *   <li>scaling by {@code 2^k = 2^k1 * 2^k2} with {@code k1 = k >> 1}, {@code k2 = k - k1}, both
 *       powers built from exponent bits, {@code (p * 2^k1) * 2^k2}: the first product is exact, so a
 *       subnormal result is rounded once.</li>
 * </ol>
 * Accuracy: within 1 ulp of {@link StrictMath#exp} on {@code [-745, 0]} (tested on millions of
 * points, see {@code ExpTest}).
 */
final class Exp {

    /** Below this every result is 0 (exp(-745.14) is half the smallest subnormal). */
    static final double LO = -746.0;
    /** Above this every result is infinite (exp(709.79) overflows). */
    static final double HI = 710.0;
    static final double LOG2E = 0x1.71547652b82fep0;
    /** 1.5 * 2^52: adding it rounds to an integer, which lands in the low mantissa bits. */
    static final double SHIFTER = 0x1.8p52;
    static final long SHIFTER_BITS = 0x4338000000000000L;
    /** -ln 2 in two parts: the high part has 32 significant bits, so {@code k * NLN2_HI} is exact. */
    static final double NLN2_HI = -0x1.62e42feep-1;
    static final double NLN2_LO = -0x1.a39ef35793c76p-33;
    /** 1/n! for n = 0 .. 13 (compile-time constants, rounded to nearest). */
    static final double C2 = 1.0 / 2;
    static final double C3 = 1.0 / 6;
    static final double C4 = 1.0 / 24;
    static final double C5 = 1.0 / 120;
    static final double C6 = 1.0 / 720;
    static final double C7 = 1.0 / 5040;
    static final double C8 = 1.0 / 40320;
    static final double C9 = 1.0 / 362880;
    static final double C10 = 1.0 / 3628800;
    static final double C11 = 1.0 / 39916800;
    static final double C12 = 1.0 / 479001600;
    static final double C13 = 1.0 / 6227020800.0;

    private Exp() {
    }

    /**
     * {@code v[i] = exp(v[i] - shift)} for {@code i} in {@code [from, to)}, returning their sum in
     * order: the scalar kernels' row softmax, and the vector kernels' for short rows.
     */
    static double expInPlace(double[] v, int from, int to, double shift) {
        double sum = 0;
        for (int i = from; i < to; i++) {
            double e = exp(v[i] - shift);
            v[i] = e;
            sum += e;
        }
        return sum;
    }

    /** {@code e^x}, deterministic (see the class comment). */
    static double exp(double x) {
        x = Math.min(Math.max(x, LO), HI);
        double t = Math.fma(x, LOG2E, SHIFTER);
        double kd = t - SHIFTER;
        double r = Math.fma(kd, NLN2_HI, x);
        r = Math.fma(kd, NLN2_LO, r);
        double p = Math.fma(C13, r, C12);
        p = Math.fma(p, r, C11);
        p = Math.fma(p, r, C10);
        p = Math.fma(p, r, C9);
        p = Math.fma(p, r, C8);
        p = Math.fma(p, r, C7);
        p = Math.fma(p, r, C6);
        p = Math.fma(p, r, C5);
        p = Math.fma(p, r, C4);
        p = Math.fma(p, r, C3);
        p = Math.fma(p, r, C2);
        p = Math.fma(p, r, 1.0);
        p = Math.fma(p, r, 1.0);
        long k = Double.doubleToRawLongBits(t) - SHIFTER_BITS;
        long k1 = k >> 1;
        long k2 = k - k1;
        return p * Double.longBitsToDouble((k1 + 1023) << 52) * Double.longBitsToDouble((k2 + 1023) << 52);
    }
}
