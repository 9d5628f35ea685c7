package io.github.fastgn.experiment;

import io.github.fastgn.data.LabelledData;

import java.util.Random;

/**
 * The logistic teacher of experiment (e) (EXPERIMENTS.md (e2), (e4)): features {@code x ~ N(0, I_d)}
 * and labels {@code y ~ Bernoulli(sigma(theta* . (x, 1)))}, so the true parameter and the Hessian
 * at it, {@code H* = E[pi (1 - pi) Phi Phi^T]} with {@code Phi = (x, 1)}, are known.
 */
public final class TeacherStudent {

    private TeacherStudent() {
    }

    /** A teacher {@code theta* = (w, b)} with {@code ||w|| = norm}, direction and bias drawn from {@code seed}. */
    public static double[] teacher(int d, double norm, long seed) {
        Random rng = new Random(seed);
        double[] t = new double[d + 1];
        double s = 0;
        for (int j = 0; j < d; j++) {
            t[j] = rng.nextGaussian();
            s += t[j] * t[j];
        }
        for (int j = 0; j < d; j++) {
            t[j] *= norm / Math.sqrt(s);
        }
        t[d] = 0.25 * rng.nextGaussian();
        return t;
    }

    /** {@code n} examples of the two-class logistic teacher (labels 0 and 1). */
    public static LabelledData sample(double[] teacher, int n, long seed) {
        int d = teacher.length - 1;
        Random rng = new Random(seed);
        double[] x = new double[n * d];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            double z = teacher[d];
            for (int j = 0; j < d; j++) {
                double v = rng.nextGaussian();
                x[i * d + j] = v;
                z += teacher[j] * v;
            }
            y[i] = rng.nextDouble() < 1 / (1 + Math.exp(-z)) ? 1 : 0;
        }
        return new LabelledData(x, y, null, n, d, 2);
    }

    /**
     * {@code H* = E[pi (1 - pi) Phi Phi^T]} at the teacher, row-major {@code (d+1) x (d+1)}, by Monte Carlo
     * over {@code samples} fresh features.
     */
    public static double[] hessianAtTeacher(double[] teacher, int samples, long seed) {
        int q = teacher.length;
        int d = q - 1;
        Random rng = new Random(seed);
        double[] h = new double[q * q];
        double[] phi = new double[q];
        for (int i = 0; i < samples; i++) {
            double z = teacher[d];
            for (int j = 0; j < d; j++) {
                phi[j] = rng.nextGaussian();
                z += teacher[j] * phi[j];
            }
            phi[d] = 1;
            double pi = 1 / (1 + Math.exp(-z));
            double w = pi * (1 - pi) / samples;
            for (int a = 0; a < q; a++) {
                for (int b = 0; b < q; b++) {
                    h[a * q + b] += w * phi[a] * phi[b];
                }
            }
        }
        return h;
    }

    /** Samples of the teacher's curvature weight {@code pi (1 - pi)} over fresh features. */
    public static double[] curvatureWeights(double[] teacher, int samples, long seed) {
        int d = teacher.length - 1;
        Random rng = new Random(seed);
        double[] w = new double[samples];
        for (int i = 0; i < samples; i++) {
            double z = teacher[d];
            for (int j = 0; j < d; j++) {
                z += teacher[j] * rng.nextGaussian();
            }
            double pi = 1 / (1 + Math.exp(-z));
            w[i] = pi * (1 - pi);
        }
        return w;
    }
}
