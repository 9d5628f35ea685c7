package io.github.fastgn.internal.linalg;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.EigenDecomposition;

/**
 * Online Gradient Regression's curvature model (ALGORITHM.md §5): the most recent {@code memory}
 * pairs {@code (theta_i, g_i)} with exponential weights {@code w_i = decay^age_i} (age 0 for the
 * newest), and the weighted least-squares fit of the locally linear gradient model
 * {@code g = gbar + H (theta - thetabar)} on the affine span of the stored positions.
 *
 * <p>The fit: {@code thetabar, gbar} are the weighted means; {@code V} ({@code r x p}) is an
 * orthonormal basis of the centred positions {@code theta_i - thetabar} (modified Gram-Schmidt,
 * twice, dropping directions below {@code 1e-8} of the largest); with coordinates
 * {@code a_i = V (theta_i - thetabar)}, {@code H_r = [sum w_i V (g_i - gbar) a_i^T] [sum w_i a_i a_i^T]^-1}
 * symmetrised. On a quadratic with Hessian {@code A}, {@code H_r = V A V^T} exactly, and with
 * {@code p + 1} affinely independent points the fitted stationary point
 * {@code thetabar - A^-1 gbar} is the minimiser.
 *
 * <p>{@link #step} moves towards the fitted stationary point inside the span, with the
 * eigenvalues of {@code H_r} replaced by their absolute values (floored at {@code 1e-8} of the
 * largest) so that negative curvature repels instead of attracting, and takes
 * {@code -(I - V^T V) g / sigma} outside it, {@code sigma} the largest absolute eigenvalue.
 * Commons Math decomposes the small {@code r x r} matrix. Not thread safe.
 */
public final class GradientRegression {

    private static final double RANK_TOLERANCE = 1e-8;
    private static final double EIGEN_FLOOR = 1e-8;

    private final int p;
    private final int memory;
    private final double decay;
    private final double[][] positions;
    private final double[][] gradients;
    private int stored;
    private int newest = -1;

    // the fit
    private final double[] center;
    private final double[] meanGradient;
    private final double[][] basis;
    private int rank;
    private double[][] eigenvectors;
    private double[] eigenvalues;

    /**
     * @param p      the dimension
     * @param memory how many recent pairs are kept (at least 2)
     * @param decay  the exponential weight {@code beta} in {@code (0, 1]}
     */
    public GradientRegression(int p, int memory, double decay) {
        if (memory < 2 || !(decay > 0 && decay <= 1)) {
            throw new IllegalArgumentException("gradient regression needs memory >= 2 and decay in (0, 1], got "
                    + memory + " and " + decay);
        }
        this.p = p;
        this.memory = memory;
        this.decay = decay;
        this.positions = new double[memory][p];
        this.gradients = new double[memory][p];
        this.center = new double[p];
        this.meanGradient = new double[p];
        this.basis = new double[memory][];
    }

    /** Forgets every stored pair. */
    public void clear() {
        stored = 0;
        newest = -1;
        rank = 0;
    }

    /** Stores a pair (copied) and refits the model. */
    public void add(double[] theta, double[] g) {
        newest = (newest + 1) % memory;
        System.arraycopy(theta, 0, positions[newest], 0, p);
        System.arraycopy(g, 0, gradients[newest], 0, p);
        stored = Math.min(stored + 1, memory);
        fit();
    }

    /** The dimension of the span the curvature is fitted on (0 before two distinct positions). */
    public int rank() {
        return rank;
    }

    /** The eigenvalues of the symmetrised {@code H_r} (a copy; empty when the rank is 0). */
    public double[] eigenvalues() {
        return rank == 0 ? new double[0] : eigenvalues.clone();
    }

    private void fit() {
        double total = 0;
        double[] w = new double[stored];
        int[] idx = new int[stored];
        for (int age = 0; age < stored; age++) {
            idx[age] = Math.floorMod(newest - age, memory);
            w[age] = Math.pow(decay, age);
            total += w[age];
        }
        java.util.Arrays.fill(center, 0);
        java.util.Arrays.fill(meanGradient, 0);
        for (int a = 0; a < stored; a++) {
            double wa = w[a] / total;
            double[] th = positions[idx[a]];
            double[] g = gradients[idx[a]];
            for (int t = 0; t < p; t++) {
                center[t] += wa * th[t];
                meanGradient[t] += wa * g[t];
            }
        }
        // orthonormal basis of the centred positions
        double largest = 0;
        double[][] centred = new double[stored][p];
        for (int a = 0; a < stored; a++) {
            double[] th = positions[idx[a]];
            for (int t = 0; t < p; t++) {
                centred[a][t] = th[t] - center[t];
            }
            largest = Math.max(largest, norm(centred[a]));
        }
        rank = 0;
        if (!(largest > 0)) {
            return;
        }
        double[] v = new double[p];
        for (int a = 0; a < stored && rank < p; a++) {
            System.arraycopy(centred[a], 0, v, 0, p);
            for (int pass = 0; pass < 2; pass++) {
                for (int b = 0; b < rank; b++) {
                    double c = dot(basis[b], v);
                    for (int t = 0; t < p; t++) {
                        v[t] -= c * basis[b][t];
                    }
                }
            }
            double nv = norm(v);
            if (nv > RANK_TOLERANCE * largest) {
                if (basis[rank] == null) {
                    basis[rank] = new double[p];
                }
                for (int t = 0; t < p; t++) {
                    basis[rank][t] = v[t] / nv;
                }
                rank++;
            }
        }
        if (rank == 0) {
            return;
        }
        // weighted normal equations in the span's coordinates
        double[][] gram = new double[rank][rank];
        double[][] cross = new double[rank][rank];
        double[] coord = new double[rank];
        double[] proj = new double[rank];
        for (int a = 0; a < stored; a++) {
            double wa = w[a] / total;
            double[] g = gradients[idx[a]];
            for (int i = 0; i < rank; i++) {
                coord[i] = dot(basis[i], centred[a]);
                double s = 0;
                for (int t = 0; t < p; t++) {
                    s += basis[i][t] * (g[t] - meanGradient[t]);
                }
                proj[i] = s;
            }
            for (int i = 0; i < rank; i++) {
                for (int j = 0; j < rank; j++) {
                    gram[i][j] += wa * coord[i] * coord[j];
                    cross[i][j] += wa * proj[i] * coord[j];
                }
            }
        }
        // H_r = cross gram^-1, i.e. H_r gram = cross: solve gram H_r^T = cross^T (gram symmetric positive definite)
        // pivot threshold 0: the Gram matrix scales with the squared step sizes, so an absolute threshold would
        // call a well-conditioned fit near the optimum singular
        double[][] hT;
        try {
            hT = new org.apache.commons.math3.linear.LUDecomposition(new Array2DRowRealMatrix(gram, false), 0.0)
                    .getSolver().solve(new Array2DRowRealMatrix(cross, false).transpose()).getData();
        } catch (org.apache.commons.math3.linear.SingularMatrixException e) {
            rank = 0;
            return;
        }
        double[][] h = new double[rank][rank];
        for (int i = 0; i < rank; i++) {
            for (int j = 0; j < rank; j++) {
                h[i][j] = 0.5 * (hT[j][i] + hT[i][j]);
            }
        }
        EigenDecomposition eig = new EigenDecomposition(new Array2DRowRealMatrix(h, false));
        eigenvalues = eig.getRealEigenvalues();
        eigenvectors = new double[rank][];
        for (int j = 0; j < rank; j++) {
            eigenvectors[j] = eig.getEigenvector(j).toArray();
        }
    }

    /**
     * The step from {@code theta} (gradient {@code g}) towards the fitted stationary point, saddle-free
     * inside the span and {@code -g/sigma} outside it, into {@code out}.
     *
     * @return false (and {@code out} untouched) when there is no fit yet or it has no curvature
     */
    public boolean step(double[] theta, double[] g, double[] out) {
        if (rank == 0) {
            return false;
        }
        double sigma = 0;
        for (double l : eigenvalues) {
            sigma = Math.max(sigma, Math.abs(l));
        }
        if (!(sigma > 0) || !Double.isFinite(sigma)) {
            return false;
        }
        // model gradient in the span at theta: V gbar + H_r V (theta - thetabar)
        double[] offset = new double[rank];
        double[] model = new double[rank];
        for (int i = 0; i < rank; i++) {
            double s = 0;
            double m = 0;
            for (int t = 0; t < p; t++) {
                s += basis[i][t] * (theta[t] - center[t]);
                m += basis[i][t] * meanGradient[t];
            }
            offset[i] = s;
            model[i] = m;
        }
        double[] delta = new double[rank];
        for (int j = 0; j < rank; j++) {
            double[] u = eigenvectors[j];
            double lambda = eigenvalues[j];
            double ug = dot(u, model) + lambda * dot(u, offset);
            double coef = -ug / Math.max(Math.abs(lambda), EIGEN_FLOOR * sigma);
            for (int i = 0; i < rank; i++) {
                delta[i] += coef * u[i];
            }
        }
        double[] gSpan = new double[rank];
        for (int i = 0; i < rank; i++) {
            gSpan[i] = dot(basis[i], g);
        }
        for (int t = 0; t < p; t++) {
            double inside = 0;
            double gIn = 0;
            for (int i = 0; i < rank; i++) {
                inside += delta[i] * basis[i][t];
                gIn += gSpan[i] * basis[i][t];
            }
            out[t] = inside - (g[t] - gIn) / sigma;
        }
        return true;
    }

    /**
     * The fitted curvature {@code V^T H_r V} as a dense row-major {@code p x p} matrix (for tests and
     * small problems only).
     */
    public double[] denseHessian() {
        double[] m = new double[p * p];
        for (int j = 0; j < rank; j++) {
            double[] full = new double[p];
            for (int i = 0; i < rank; i++) {
                for (int t = 0; t < p; t++) {
                    full[t] += eigenvectors[j][i] * basis[i][t];
                }
            }
            for (int a = 0; a < p; a++) {
                for (int b = 0; b < p; b++) {
                    m[a * p + b] += eigenvalues[j] * full[a] * full[b];
                }
            }
        }
        return m;
    }

    private double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    private static double norm(double[] a) {
        double s = 0;
        for (double v : a) {
            s += v * v;
        }
        return Math.sqrt(s);
    }
}
