package io.github.fastgn.internal.linalg;

import java.util.SplittableRandom;

/**
 * Run by {@link KernelsTest} in a child JVM with {@code -Xint}: hashes the vector kernels'
 * results computed by the Vector API's Java fallback, to compare with the JIT-compiled
 * intrinsics of the test JVM (lane-order reductions must agree bit for bit).
 */
public final class TierProbe {

    private TierProbe() {
    }

    public static void main(String[] args) {
        System.out.println(Long.toHexString(hash(KernelProvider.vector().orElseThrow())));
    }

    /** A bit-level hash of every kernel's output on small odd shapes. */
    static long hash(Kernels kern) {
        int rows = 23, d = 19, k = 10, n = 200;
        SplittableRandom r = new SplittableRandom(5);
        double[] x = new double[rows * d];
        float[] xf = new float[rows * d];
        for (int i = 0; i < x.length; i++) {
            xf[i] = (float) (r.nextDouble() - 0.5);
            x[i] = r.nextDouble() - 0.5;
        }
        double[] v = new double[k * (d + 1)];
        for (int i = 0; i < v.length; i++) {
            v[i] = r.nextDouble() - 0.5;
        }
        double[] c = new double[rows * k];
        for (int i = 0; i < c.length; i++) {
            c[i] = r.nextDouble() - 0.5;
        }
        double[] spd = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int l = 0; l < i; l++) {
                spd[i * n + l] = r.nextDouble() - 0.5;
            }
            spd[i * n + i] = n;
        }
        double[] o1 = new double[rows * k];
        kern.rowProduct(x, rows, d, v, k, o1, Parallel.SERIAL);
        double[] o2 = new double[rows * k];
        kern.rowProduct(xf, rows, d, v, k, o2, Parallel.SERIAL);
        double[] o3 = new double[k * (d + 1)];
        kern.transposeProduct(c, x, rows, d, k, o3, Parallel.SERIAL);
        double[] o4 = new double[k * (d + 1)];
        kern.transposeProduct(c, xf, rows, d, k, o4, Parallel.SERIAL);
        double[] o5 = new double[rows * rows];
        kern.gram(x, rows, d, o5, Parallel.SERIAL);
        Cholesky.factor(spd, n, Parallel.SERIAL, kern);
        long h = 0;
        for (double[] o : new double[][] {o1, o2, o3, o4, o5, spd}) {
            for (double z : o) {
                h = h * 31 + Double.doubleToLongBits(z);
            }
        }
        return h;
    }
}
