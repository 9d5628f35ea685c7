package io.github.fastgn.internal.solver;

/**
 * The diagonal damping {@code Lambda} of one step: {@code lambda + gamma} on weight entries,
 * {@code lambda r} on the bias (L2 applies to W only; {@code r <= 1} the run's bias scale, 1 unless
 * {@link #setBiasScale} says otherwise), plus an optional extra diagonal (the FGN-D compensation,
 * ALGORITHM.md §2). Stored as a {@code K x D} array so every solver can use it as is;
 * its reciprocal is formed and kept only when a solver asks for it ({@link #inverse}): parameter CG
 * never does, and on a text head ({@code K (d + 1)} = 5.2 M entries) the reciprocals were a 42 MB
 * array and a division per entry at every {@link #set}.
 */
public final class Damping {

    private final int d;
    private final int k;
    private final double[] diag;
    private double[] inverse;
    /** Whether {@link #inverse} holds the reciprocals of the current {@link #diag}. */
    private boolean inverted;
    private double lambda;
    private double gamma;
    private boolean uniform;
    /** The bias damping over {@code lambda}, in {@code (0, 1]}. */
    private double biasScale = 1.0;

    public Damping(int d, int k) {
        this.d = d;
        this.k = k;
        this.diag = new double[k * (d + 1)];
    }

    /**
     * Sets the bias damping to {@code scale lambda} from the next {@link #set} on (the run's choice,
     * {@code DampingPolicy.biasScale}).
     *
     * @param scale in {@code (0, 1]}
     */
    public void setBiasScale(double scale) {
        if (!(scale > 0 && scale <= 1)) {
            throw new IllegalArgumentException("the bias damping scale must be in (0, 1], got " + scale);
        }
        this.biasScale = scale;
    }

    /**
     * Sets {@code Lambda = lambda + gamma} on weights and {@code lambda r} on biases, plus {@code extra}.
     *
     * @param extra an extra non-negative diagonal ({@code K x D}), or null
     */
    public void set(double lambda, double gamma, double[] extra) {
        if (!(lambda > 0) || !(gamma >= 0)) {
            throw new IllegalArgumentException("damping needs lambda > 0 and gamma >= 0, got " + lambda + ", " + gamma);
        }
        this.lambda = lambda;
        this.gamma = gamma;
        int dd = d + 1;
        if (extra == null) {
            // lambda + gamma (+ 0.0) and lambda r (+ 0.0): the values of the general loop below, bit for bit
            double weights = lambda + gamma;
            double bias = lambda * biasScale;
            for (int c = 0; c < k; c++) {
                java.util.Arrays.fill(diag, c * dd, c * dd + d, weights);
                diag[c * dd + d] = bias;
            }
        } else {
            double bias = lambda * biasScale;
            for (int c = 0; c < k; c++) {
                for (int j = 0; j <= d; j++) {
                    int t = c * dd + j;
                    diag[t] = (j < d ? lambda + gamma : bias) + extra[t];
                }
            }
        }
        this.uniform = extra == null;
        this.inverted = false;
    }

    /** {@code Lambda} as a {@code K x D} array (read only). */
    public double[] diagonal() {
        return diag;
    }

    /** {@code 1 / Lambda} as a {@code K x D} array (read only), formed on the first call after each {@link #set}. */
    public double[] inverse() {
        if (!inverted) {
            if (inverse == null) {
                inverse = new double[diag.length];
            }
            for (int t = 0; t < diag.length; t++) {
                inverse[t] = 1.0 / diag[t];
            }
            inverted = true;
        }
        return inverse;
    }

    /** True when {@code Lambda} is {@code lambda + gamma} on all weights and {@code lambda r} on all biases. */
    public boolean isUniform() {
        return uniform;
    }

    /** The damping on weight entries when {@link #isUniform()}. */
    public double weightDamping() {
        return lambda + gamma;
    }

    /** The damping on bias entries when {@link #isUniform()}. */
    public double biasDamping() {
        return lambda * biasScale;
    }
}
