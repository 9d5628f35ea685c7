package io.github.fastgn.internal.linalg;

import java.util.SplittableRandom;

/**
 * Run by {@link ExpTest} in child JVMs ({@code -Xint}, C1 only): hashes a training-like sequence
 * of softmax rows on the vector path's {@code expInPlace}, to compare with the C2-compiled code
 * of the test JVM bit for bit.
 */
public final class ExpProbe {

    private ExpProbe() {
    }

    public static void main(String[] args) {
        System.out.println(Long.toHexString(hash(KernelProvider.vector().orElseThrow())));
    }

    /**
     * Softmax steps on rows of K = 10, 13 and 1000 classes: per row, subtract the max, exponentiate
     * in place, normalise, and move the logits against the cross-entropy gradient (so every step's
     * exponentials depend on the previous step's bits). Hashes every probability and every sum.
     */
    static long hash(Kernels kern) {
        long h = 0;
        for (int k : new int[] {10, 13, 1000}) {
            int rows = 9;
            SplittableRandom r = new SplittableRandom(11 + k);
            double[] z = new double[rows * k];
            int[] y = new int[rows];
            for (int i = 0; i < z.length; i++) {
                z[i] = (r.nextDouble() - 0.5) * 40;
            }
            for (int i = 0; i < rows; i++) {
                y[i] = r.nextInt(k);
            }
            double[] p = new double[k];
            for (int step = 0; step < 30; step++) {
                for (int i = 0; i < rows; i++) {
                    int o = i * k;
                    double max = Double.NEGATIVE_INFINITY;
                    for (int c = 0; c < k; c++) {
                        max = Math.max(max, z[o + c]);
                    }
                    System.arraycopy(z, o, p, 0, k);
                    double sum = kern.expInPlace(p, 0, k, max);
                    h = h * 31 + Double.doubleToLongBits(sum);
                    for (int c = 0; c < k; c++) {
                        double q = p[c] / sum;
                        h = h * 31 + Double.doubleToLongBits(p[c]);
                        z[o + c] -= 3.0 * (q - (c == y[i] ? 1 : 0));
                    }
                }
            }
        }
        return h;
    }
}
