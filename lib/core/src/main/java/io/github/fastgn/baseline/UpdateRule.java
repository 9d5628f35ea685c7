package io.github.fastgn.baseline;

/**
 * A first-order preconditioner: maps the gradient {@code G} of the current step to a direction
 * {@code D}; the step is {@code -eta D}. Rules keep state between steps (momentum, moments) and
 * are reset at the start of each run. In the dual-space view of Ghane et al. (2026), normalised
 * GD, clipping and Adam are all of the form {@code D = grad K(G)}.
 */
public interface UpdateRule {

    /** A name for tables and legends. */
    String name();

    /** Clears the state for a run over {@code p} parameters. */
    void reset(int p);

    /**
     * Writes the direction for gradient {@code g} into {@code out}.
     *
     * @param step 1-based step number
     */
    void direction(double[] g, int step, double[] out);

    /** Heavy-ball momentum: {@code v = mu v + G}, {@code D = v} ({@code mu = 0} is plain SGD). */
    static UpdateRule momentum(double mu) {
        if (!(mu >= 0 && mu < 1)) {
            throw new IllegalArgumentException("momentum must lie in [0, 1), got " + mu);
        }
        return new UpdateRule() {
            private double[] v = new double[0];

            @Override
            public String name() {
                return mu == 0 ? "SGD" : "SGD+momentum";
            }

            @Override
            public void reset(int p) {
                v = new double[p];
            }

            @Override
            public void direction(double[] g, int step, double[] out) {
                for (int t = 0; t < g.length; t++) {
                    v[t] = mu * v[t] + g[t];
                    out[t] = v[t];
                }
            }
        };
    }

    /** Adam (Kingma and Ba) with bias correction. */
    static UpdateRule adam(double beta1, double beta2, double epsilon) {
        if (!(beta1 >= 0 && beta1 < 1 && beta2 >= 0 && beta2 < 1 && epsilon > 0)) {
            throw new IllegalArgumentException("Adam needs beta1, beta2 in [0, 1) and epsilon > 0, got " + beta1
                    + ", " + beta2 + ", " + epsilon);
        }
        return new UpdateRule() {
            private double[] m = new double[0];
            private double[] v = new double[0];

            @Override
            public String name() {
                return "Adam";
            }

            @Override
            public void reset(int p) {
                m = new double[p];
                v = new double[p];
            }

            @Override
            public void direction(double[] g, int step, double[] out) {
                double c1 = 1 - Math.pow(beta1, step);
                double c2 = 1 - Math.pow(beta2, step);
                for (int t = 0; t < g.length; t++) {
                    m[t] = beta1 * m[t] + (1 - beta1) * g[t];
                    v[t] = beta2 * v[t] + (1 - beta2) * g[t] * g[t];
                    out[t] = (m[t] / c1) / (Math.sqrt(v[t] / c2) + epsilon);
                }
            }
        };
    }

    /** Normalised GD: {@code D = G / ||G||_F}. */
    static UpdateRule normalized() {
        return new UpdateRule() {
            @Override
            public String name() {
                return "normalized GD";
            }

            @Override
            public void reset(int p) {
            }

            @Override
            public void direction(double[] g, int step, double[] out) {
                double n = norm(g);
                for (int t = 0; t < g.length; t++) {
                    out[t] = n > 0 ? g[t] / n : 0.0;
                }
            }
        };
    }

    /** Clipped GD: {@code D = min(1, c / ||G||_F) G}. */
    static UpdateRule clipped(double threshold) {
        if (!(threshold > 0)) {
            throw new IllegalArgumentException("clipping threshold must be > 0, got " + threshold);
        }
        return new UpdateRule() {
            @Override
            public String name() {
                return "clipped GD";
            }

            @Override
            public void reset(int p) {
            }

            @Override
            public void direction(double[] g, int step, double[] out) {
                double n = norm(g);
                double f = n > threshold ? threshold / n : 1.0;
                for (int t = 0; t < g.length; t++) {
                    out[t] = f * g[t];
                }
            }
        };
    }

    private static double norm(double[] g) {
        double s = 0;
        for (double v : g) {
            s += v * v;
        }
        return Math.sqrt(s);
    }
}
