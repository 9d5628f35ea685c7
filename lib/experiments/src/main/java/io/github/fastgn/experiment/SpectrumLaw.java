package io.github.fastgn.experiment;

import java.util.Arrays;

/**
 * The limiting eigenvalue law of a weighted sample covariance {@code (1/n) sum_i w_i x_i x_i^T} with
 * {@code x_i ~ N(0, I_d)} and {@code d/n -> gamma} (EXPERIMENTS.md (e4)): the generalised
 * Marchenko-Pastur law whose Stieltjes transform solves
 * {@code m(z) = 1 / (-z + E_w[w / (1 + gamma w m(z))])} (Silverstein and Bai); with {@code w = 1} it is
 * the Marchenko-Pastur law. Solved by damped fixed-point iteration at {@code z = x + i eta}; the
 * density is {@code Im m / pi}. Complex arithmetic is written out on pairs of doubles (Commons Math's
 * Complex would allocate per operation in the innermost loop).
 */
public final class SpectrumLaw {

    private final double gamma;
    private final double[] weights;

    /**
     * @param gamma   {@code d / n}, in (0, 1)
     * @param weights samples of the weight law (e.g. {@link TeacherStudent#curvatureWeights})
     */
    public SpectrumLaw(double gamma, double[] weights) {
        if (!(gamma > 0 && gamma < 1) || weights == null || weights.length == 0) {
            throw new IllegalArgumentException("need gamma in (0, 1) and a non-empty weight sample, got " + gamma);
        }
        this.gamma = gamma;
        this.weights = weights.clone();
    }

    /** The density at each point of {@code grid}. */
    public double[] density(double[] grid) {
        double scale = Arrays.stream(weights).max().orElse(1);
        double eta = 1e-4 * scale;
        double[] out = new double[grid.length];
        double mr = 0;
        double mi = 1 / scale;
        for (int g = 0; g < grid.length; g++) {
            double x = grid[g];
            for (int it = 0; it < 3000; it++) {
                // s = E[w / (1 + gamma w m)]
                double sr = 0;
                double si = 0;
                for (double w : weights) {
                    double dr = 1 + gamma * w * mr;
                    double di = gamma * w * mi;
                    double den = dr * dr + di * di;
                    sr += w * dr / den;
                    si -= w * di / den;
                }
                sr /= weights.length;
                si /= weights.length;
                // m_new = 1 / (-(x + i eta) + s)
                double ar = -x + sr;
                double ai = -eta + si;
                double den = ar * ar + ai * ai;
                double nr = ar / den;
                double ni = -ai / den;
                double change = Math.hypot(nr - mr, ni - mi);
                mr = 0.5 * mr + 0.5 * nr;
                mi = Math.max(0, 0.5 * mi + 0.5 * ni);
                if (change < 1e-10 * Math.max(1, Math.hypot(mr, mi))) {
                    break;
                }
            }
            out[g] = mi / Math.PI;
        }
        return out;
    }

    /** The law's cumulative distribution on {@code grid} (trapezoids of the density, normalised to end at 1). */
    public double[] cdf(double[] grid) {
        double[] dens = density(grid);
        double[] c = new double[grid.length];
        for (int g = 1; g < grid.length; g++) {
            c[g] = c[g - 1] + 0.5 * (dens[g] + dens[g - 1]) * (grid[g] - grid[g - 1]);
        }
        double total = c[grid.length - 1];
        for (int g = 0; g < grid.length; g++) {
            c[g] /= total;
        }
        return c;
    }

    /** The Kolmogorov-Smirnov distance between the empirical law of {@code eigenvalues} and a cdf on a grid. */
    public static double ksDistance(double[] eigenvalues, double[] grid, double[] cdf) {
        double[] e = eigenvalues.clone();
        Arrays.sort(e);
        double worst = 0;
        int below = 0;
        for (int g = 0; g < grid.length; g++) {
            while (below < e.length && e[below] <= grid[g]) {
                below++;
            }
            worst = Math.max(worst, Math.abs((double) below / e.length - cdf[g]));
        }
        return worst;
    }
}
