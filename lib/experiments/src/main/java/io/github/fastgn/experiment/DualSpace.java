package io.github.fastgn.experiment;

import io.github.fastgn.baseline.UpdateRule;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.LUDecomposition;
import org.apache.commons.math3.linear.RealMatrix;

import java.util.Random;

/**
 * The dual-space preconditioning experiment (after Ghane, Akhtiamov and Hassibi; EXPERIMENTS.md (e3)):
 * an over-parameterised linear model {@code X W = Y} ({@code X} is {@code n x d} with {@code n < d},
 * {@code W} is {@code d x m}) trained on {@code l(XW - Y) = ||XW - Y||_F^2 / (2n)} from {@code W_0}
 * by {@code W <- W - eta_t D(G)} with the library's {@link UpdateRule}s (GD, normalised GD, clipping,
 * Adam). The interpolator closest to {@code W_0} is
 * {@code W* = W_0 - X^+ (X W_0 - Y)}, {@code X^+ = X^T (X X^T)^-1} (Commons Math's LU).
 */
public final class DualSpace {

    /** One problem: data, start and the closest interpolator; matrices row-major. */
    public record Problem(int n, int d, int m, double[] x, double[] y, double[] w0, double[] closest) {
    }

    /**
     * Where a run ended.
     *
     * @param residual        {@code ||X W - Y||_F / ||Y||_F}
     * @param toClosest       {@code ||W - W*||_F / ||W_0 - W*||_F}
     * @param fromStart       {@code ||W - W_0||_F}
     * @param outsideRowSpace {@code ||(I - X^+ X)(W - W_0)||_F / ||W - W_0||_F}: zero when every step
     *                        stayed in the row space of {@code X}
     * @param weights         the final {@code W}
     */
    public record Limit(double residual, double toClosest, double fromStart, double outsideRowSpace,
                        double[] weights) {
    }

    private DualSpace() {
    }

    /** A random problem: Gaussian {@code X}, {@code Y} and {@code W_0}. */
    public static Problem problem(int n, int d, int m, long seed) {
        if (n >= d) {
            throw new IllegalArgumentException("the model must be over-parameterised: n < d, got n=" + n + ", d=" + d);
        }
        Random rng = new Random(seed);
        double[] x = gaussian(rng, n * d);
        double[] y = gaussian(rng, n * m);
        double[] w0 = gaussian(rng, d * m);
        for (int t = 0; t < w0.length; t++) {
            w0[t] *= 0.5;
        }
        RealMatrix xm = new Array2DRowRealMatrix(n, d);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                xm.setEntry(i, j, x[i * d + j]);
            }
        }
        RealMatrix pinv = xm.transpose().multiply(new LUDecomposition(xm.multiply(xm.transpose())).getSolver()
                .getInverse());
        double[] r = residual(x, y, w0, n, d, m);
        double[] closest = w0.clone();
        for (int j = 0; j < d; j++) {
            for (int c = 0; c < m; c++) {
                double s = 0;
                for (int i = 0; i < n; i++) {
                    s += pinv.getEntry(j, i) * r[i * m + c];
                }
                closest[j * m + c] -= s;
            }
        }
        return new Problem(n, d, m, x, y, w0, closest);
    }

    /**
     * Runs {@code steps} steps of {@code rule} with the rate {@code eta / sqrt(1 + t / decay)} from
     * {@code W_0} (a decaying rate, so that the normalised and sign-like rules settle instead of
     * oscillating at the step size).
     */
    public static Limit run(Problem pr, UpdateRule rule, double eta, double decay, int steps) {
        int n = pr.n();
        int d = pr.d();
        int m = pr.m();
        double[] w = pr.w0().clone();
        double[] g = new double[d * m];
        double[] dir = new double[d * m];
        rule.reset(d * m);
        for (int t = 1; t <= steps; t++) {
            gradient(pr, w, g);
            rule.direction(g, t, dir);
            double rate = eta / Math.sqrt(1 + t / decay);
            for (int s = 0; s < w.length; s++) {
                w[s] -= rate * dir[s];
            }
        }
        double[] r = residual(pr.x(), pr.y(), w, n, d, m);
        double[] move = new double[w.length];
        double[] toClosest = new double[w.length];
        double[] start = new double[w.length];
        for (int s = 0; s < w.length; s++) {
            move[s] = w[s] - pr.w0()[s];
            toClosest[s] = w[s] - pr.closest()[s];
            start[s] = pr.w0()[s] - pr.closest()[s];
        }
        // the part of the move outside the row space: project the move on row(X) by least squares
        double[] inside = rowSpaceProjection(pr, move);
        double[] outside = new double[w.length];
        for (int s = 0; s < w.length; s++) {
            outside[s] = move[s] - inside[s];
        }
        return new Limit(norm(r) / norm(pr.y()), norm(toClosest) / norm(start), norm(move),
                norm(move) > 0 ? norm(outside) / norm(move) : 0, w);
    }

    /** {@code ||A - B||_F}. */
    public static double distance(double[] a, double[] b) {
        double s = 0;
        for (int t = 0; t < a.length; t++) {
            s += (a[t] - b[t]) * (a[t] - b[t]);
        }
        return Math.sqrt(s);
    }

    private static double[] rowSpaceProjection(Problem pr, double[] v) {
        int n = pr.n();
        int d = pr.d();
        int m = pr.m();
        // X^T (X X^T)^-1 X v
        double[] xv = new double[n * m];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < m; c++) {
                double s = 0;
                for (int j = 0; j < d; j++) {
                    s += pr.x()[i * d + j] * v[j * m + c];
                }
                xv[i * m + c] = s;
            }
        }
        double[][] gram = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < n; k++) {
                double s = 0;
                for (int j = 0; j < d; j++) {
                    s += pr.x()[i * d + j] * pr.x()[k * d + j];
                }
                gram[i][k] = s;
            }
        }
        RealMatrix inv = new LUDecomposition(new Array2DRowRealMatrix(gram, false)).getSolver().getInverse();
        double[] out = new double[d * m];
        for (int c = 0; c < m; c++) {
            double[] col = new double[n];
            for (int i = 0; i < n; i++) {
                col[i] = xv[i * m + c];
            }
            double[] a = inv.operate(col);
            for (int j = 0; j < d; j++) {
                double s = 0;
                for (int i = 0; i < n; i++) {
                    s += pr.x()[i * d + j] * a[i];
                }
                out[j * m + c] = s;
            }
        }
        return out;
    }

    private static void gradient(Problem pr, double[] w, double[] g) {
        int n = pr.n();
        int d = pr.d();
        int m = pr.m();
        double[] r = residual(pr.x(), pr.y(), w, n, d, m);
        java.util.Arrays.fill(g, 0);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                double xij = pr.x()[i * d + j] / n;
                for (int c = 0; c < m; c++) {
                    g[j * m + c] += xij * r[i * m + c];
                }
            }
        }
    }

    private static double[] residual(double[] x, double[] y, double[] w, int n, int d, int m) {
        double[] r = new double[n * m];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < m; c++) {
                double s = -y[i * m + c];
                for (int j = 0; j < d; j++) {
                    s += x[i * d + j] * w[j * m + c];
                }
                r[i * m + c] = s;
            }
        }
        return r;
    }

    private static double[] gaussian(Random rng, int size) {
        double[] a = new double[size];
        for (int t = 0; t < size; t++) {
            a[t] = rng.nextGaussian();
        }
        return a;
    }

    private static double norm(double[] a) {
        double s = 0;
        for (double v : a) {
            s += v * v;
        }
        return Math.sqrt(s);
    }
}
