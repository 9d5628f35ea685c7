package io.github.fastgn.testing;

import io.github.fastgn.internal.head.HeadBatch;
import io.github.fastgn.internal.linalg.Parallel;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.RealMatrix;

import java.util.Random;

/**
 * A small random linear-softmax-head problem with every quantity recomputed by the plainest
 * possible formulas (naive softmax, explicit Kronecker rows), independently of
 * {@link HeadBatch}: the brute-force reference of ALGORITHM.md §1-2.
 *
 * <p>Layout as in the library: features row-major {@code B x d}, parameters row-major
 * {@code K x D}, {@code D = d + 1}, bias last; a parameter vector index is {@code c * D + j}.
 */
public final class RandomProblem {

    public final int b;
    public final int d;
    public final int k;
    public final int dd;
    public final int p;
    public final double[] x;
    public final int[] y;
    public final double[] wt;
    /** Normalised example weights {@code beta} (sum 1). */
    public final double[] beta;

    public RandomProblem(double[] x, int[] y, double[] wt, double[] rawWeights, int b, int d, int k) {
        this.b = b;
        this.d = d;
        this.k = k;
        this.dd = d + 1;
        this.p = k * dd;
        this.x = x;
        this.y = y;
        this.wt = wt;
        this.beta = new double[b];
        double total = 0;
        for (int i = 0; i < b; i++) {
            total += rawWeights == null ? 1.0 : rawWeights[i];
        }
        for (int i = 0; i < b; i++) {
            beta[i] = (rawWeights == null ? 1.0 : rawWeights[i]) / total;
        }
    }

    /**
     * Features {@code N(0, 1/d)}, parameters {@code N(0, scale^2)} (logits of standard deviation
     * about {@code scale * sqrt(2)}), labels uniform.
     */
    public static RandomProblem random(long seed, int b, int d, int k, double scale) {
        Random rnd = new Random(seed);
        double[] x = new double[b * d];
        for (int t = 0; t < x.length; t++) {
            x[t] = rnd.nextGaussian() / Math.sqrt(d);
        }
        double[] wt = new double[k * (d + 1)];
        for (int t = 0; t < wt.length; t++) {
            wt[t] = scale * rnd.nextGaussian();
        }
        int[] y = new int[b];
        for (int i = 0; i < b; i++) {
            y[i] = rnd.nextInt(k);
        }
        return new RandomProblem(x, y, wt, null, b, d, k);
    }

    /**
     * A noisy {@code k}-class Gaussian mixture (not separable, so the optimum is well inside): labels
     * uniform, feature {@code j} is {@code N(1, 1)} for class {@code j} and {@code N(0, 1)} otherwise;
     * parameters zero.
     */
    public static RandomProblem mixture(long seed, int n, int d, int k) {
        Random rnd = new Random(seed);
        double[] x = new double[n * d];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = rnd.nextInt(k);
            for (int j = 0; j < d; j++) {
                x[i * d + j] = (j == y[i] ? 1.0 : 0.0) + rnd.nextGaussian();
            }
        }
        return new RandomProblem(x, y, new double[k * (d + 1)], null, n, d, k);
    }

    /** A {@link HeadBatch} holding this problem, evaluated at {@link #wt}. */
    public HeadBatch batch(double wFloor, Parallel parallel) {
        HeadBatch hb = new HeadBatch(b, d, k, wFloor, parallel);
        hb.setBatch(x, y, null, b);
        hb.evaluate(wt);
        return hb;
    }

    /** Augmented feature {@code x~_ij} ({@code 1} for {@code j == d}). */
    public double xt(int i, int j) {
        return j < d ? x[i * d + j] : 1.0;
    }

    /** Naive logits {@code z_ic = sum_j Wt_cj x~_ij} at parameters {@code w}. */
    public double[][] logits(double[] w) {
        double[][] z = new double[b][k];
        for (int i = 0; i < b; i++) {
            for (int c = 0; c < k; c++) {
                double s = 0;
                for (int j = 0; j < dd; j++) {
                    s += w[c * dd + j] * xt(i, j);
                }
                z[i][c] = s;
            }
        }
        return z;
    }

    /** Naive softmax of each row. */
    public static double[][] softmax(double[][] z) {
        double[][] out = new double[z.length][];
        for (int i = 0; i < z.length; i++) {
            double max = Double.NEGATIVE_INFINITY;
            for (double v : z[i]) {
                max = Math.max(max, v);
            }
            double sum = 0;
            out[i] = new double[z[i].length];
            for (int c = 0; c < z[i].length; c++) {
                out[i][c] = Math.exp(z[i][c] - max);
                sum += out[i][c];
            }
            for (int c = 0; c < z[i].length; c++) {
                out[i][c] /= sum;
            }
        }
        return out;
    }

    public double[][] probabilities(double[] w) {
        return softmax(logits(w));
    }

    /** Competitor softmax {@code q_i} (zero at the label). */
    public double[][] competitorSoftmax(double[] w) {
        double[][] pr = probabilities(w);
        double[][] q = new double[b][k];
        for (int i = 0; i < b; i++) {
            double rest = 0;
            for (int c = 0; c < k; c++) {
                if (c != y[i]) {
                    rest += pr[i][c];
                }
            }
            for (int c = 0; c < k; c++) {
                q[i][c] = c == y[i] ? 0.0 : pr[i][c] / rest;
            }
        }
        return q;
    }

    /** The scalar margins {@code m_i = z_iy - log sum_{j != y} exp(z_ij)}, directly from the definition. */
    public double[] margins(double[] w) {
        double[][] z = logits(w);
        double[] m = new double[b];
        for (int i = 0; i < b; i++) {
            double s = 0;
            for (int c = 0; c < k; c++) {
                if (c != y[i]) {
                    s += Math.exp(z[i][c]);
                }
            }
            m[i] = z[i][y[i]] - Math.log(s);
        }
        return m;
    }

    /** {@code u_i = e_y - q_i}. */
    public double[][] marginGradients(double[] w) {
        double[][] q = competitorSoftmax(w);
        double[][] u = new double[b][k];
        for (int i = 0; i < b; i++) {
            for (int c = 0; c < k; c++) {
                u[i][c] = (c == y[i] ? 1.0 : 0.0) - q[i][c];
            }
        }
        return u;
    }

    /** FGN weights {@code w_i = p_iy (1 - p_iy)} from the naive softmax. */
    public double[] fgnWeights(double[] w) {
        double[][] pr = probabilities(w);
        double[] out = new double[b];
        for (int i = 0; i < b; i++) {
            double py = pr[i][y[i]];
            out[i] = py * (1 - py);
        }
        return out;
    }

    /** Mean (beta-weighted) cross-entropy {@code -log p_y} plus {@code gamma/2 ||W||^2}. */
    public double objective(double[] w, double gamma) {
        double[][] pr = probabilities(w);
        double f = 0;
        for (int i = 0; i < b; i++) {
            f -= beta[i] * Math.log(pr[i][y[i]]);
        }
        return f + 0.5 * gamma * weightNormSquared(w);
    }

    public double weightNormSquared(double[] w) {
        double s = 0;
        for (int c = 0; c < k; c++) {
            for (int j = 0; j < d; j++) {
                s += w[c * dd + j] * w[c * dd + j];
            }
        }
        return s;
    }

    /** Gradient {@code sum_i beta_i (p_i - e_y) x~_i^T + gamma [W | 0]}, naive. */
    public double[] gradient(double[] w, double gamma) {
        double[][] pr = probabilities(w);
        double[] g = new double[p];
        for (int i = 0; i < b; i++) {
            for (int c = 0; c < k; c++) {
                double coef = beta[i] * (pr[i][c] - (c == y[i] ? 1.0 : 0.0));
                for (int j = 0; j < dd; j++) {
                    g[c * dd + j] += coef * xt(i, j);
                }
            }
        }
        for (int c = 0; c < k; c++) {
            for (int j = 0; j < d; j++) {
                g[c * dd + j] += gamma * w[c * dd + j];
            }
        }
        return g;
    }

    /** The whitened Jacobian {@code A} ({@code B x P}): row {@code i} is {@code sqrt(beta_i w_i) vec(u_i x~_i^T)}. */
    public RealMatrix whitenedJacobian(double[] w) {
        double[][] u = marginGradients(w);
        double[] fw = fgnWeights(w);
        double[][] a = new double[b][p];
        for (int i = 0; i < b; i++) {
            double sw = Math.sqrt(beta[i] * fw[i]);
            for (int c = 0; c < k; c++) {
                for (int j = 0; j < dd; j++) {
                    a[i][c * dd + j] = sw * u[i][c] * xt(i, j);
                }
            }
        }
        return new Array2DRowRealMatrix(a, false);
    }

    /** {@code G_FGN = A^T A}. */
    public RealMatrix fgnCurvature(double[] w) {
        RealMatrix a = whitenedJacobian(w);
        return a.transpose().multiply(a);
    }

    /** {@code G_full = sum_i beta_i (diag p_i - p_i p_i^T) (x) x~_i x~_i^T}, by explicit Kronecker products. */
    public RealMatrix fullCurvature(double[] w) {
        double[][] pr = probabilities(w);
        double[][] g = new double[p][p];
        for (int i = 0; i < b; i++) {
            for (int c = 0; c < k; c++) {
                for (int c2 = 0; c2 < k; c2++) {
                    double h = beta[i] * ((c == c2 ? pr[i][c] : 0.0) - pr[i][c] * pr[i][c2]);
                    for (int j = 0; j < dd; j++) {
                        for (int j2 = 0; j2 < dd; j2++) {
                            g[c * dd + j][c2 * dd + j2] += h * xt(i, j) * xt(i, j2);
                        }
                    }
                }
            }
        }
        return new Array2DRowRealMatrix(g, false);
    }

    /** {@code diag(lambda + gamma on W, lambda on the bias) + extra} as a dense matrix. */
    public RealMatrix damping(double lambda, double gamma, double[] extra) {
        RealMatrix m = new Array2DRowRealMatrix(p, p);
        for (int c = 0; c < k; c++) {
            for (int j = 0; j < dd; j++) {
                int t = c * dd + j;
                m.setEntry(t, t, lambda + (j < d ? gamma : 0.0) + (extra == null ? 0.0 : extra[t]));
            }
        }
        return m;
    }
}
