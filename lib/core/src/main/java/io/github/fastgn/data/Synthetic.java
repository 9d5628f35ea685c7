package io.github.fastgn.data;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.CholeskyDecomposition;
import org.apache.commons.math3.linear.DecompositionSolver;
import org.apache.commons.math3.linear.NonPositiveDefiniteMatrixException;
import org.apache.commons.math3.linear.RealMatrix;

/**
 * Seeded synthetic data for the experiments of EXPERIMENTS.md.
 *
 * <ul>
 *   <li>Gaussian class prototypes ({@link #gaussianPrototypes}): {@code mu_c ~ N(0, I_d)},
 *       {@code x = mu_y + sigma * N(0, I_d)}; {@code sigma} controls the overlap. This is the
 *       recipe of the peer benchmark's {@code syn} set ({@code n = 50000}, {@code d = 256},
 *       {@code K = 1000}, {@code sigma = 3}), not bit-identical to numpy.</li>
 *   <li>Super-class prototypes ({@link #superclassPrototypes}): group centres {@code ~ N(0, I_d)},
 *       class means {@code = centre of the class's group + withinSpread * N(0, I_d)}. A small
 *       {@code withinSpread} puts the classes of a group close together, so confusions (and the
 *       competitor mass of the softmax) concentrate inside groups; a large one disperses them
 *       (EXPERIMENTS.md (a5)).</li>
 *   <li>Logit-controlled mechanism data ({@link #mechanismLogits}, EXPERIMENTS.md (a1)): features and
 *       parameters that realise chosen logits exactly.</li>
 * </ul>
 *
 * <p>Determinism: each method draws from one {@link java.util.SplittableRandom} stream seeded
 * with {@code seed}, in a documented order, with normals by Box-Muller in {@link StrictMath}; the
 * same arguments give the same data on every JVM and platform.
 */
public final class Synthetic {

    private Synthetic() {
    }

    /** How labels are drawn. */
    public enum LabelDraw {
        /** Each label independently uniform on {@code [0, K)} (the peers' recipe). */
        UNIFORM,
        /** Exactly {@code floor(n/K)} or {@code ceil(n/K)} examples per class, in a seeded random order. */
        BALANCED
    }

    /**
     * A Gaussian mixture with shared isotropic noise: class means, the super-class (group) of each
     * class and the noise level.
     *
     * @param means  row-major {@code k x d} class means (shared, do not modify)
     * @param groups group of each class, in {@code [0, groupCount)} (shared, do not modify)
     */
    public record Mixture(double[] means, int[] groups, int groupCount, int k, int d, double sigma) {

        /** The mean of class {@code c} (a copy). */
        public double[] mean(int c) {
            double[] m = new double[d];
            System.arraycopy(means, c * d, m, 0, d);
            return m;
        }

        /**
         * {@code n} examples from a stream seeded with {@code seed}: first the labels, then the
         * noise, row by row.
         */
        public LabelledData sample(int n, LabelDraw draw, long seed) {
            return sample(n, draw, new SeededNormal(seed));
        }

        LabelledData sample(int n, LabelDraw draw, SeededNormal rng) {
            if (n < 1) {
                throw new IllegalArgumentException("the number of examples must be at least 1, got " + n);
            }
            if ((long) n * d > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("n*d = " + (long) n * d
                        + " values do not fit in one Java array; ask for fewer examples");
            }
            int[] y = new int[n];
            if (draw == LabelDraw.BALANCED) {
                for (int i = 0; i < n; i++) {
                    y[i] = i % k;
                }
                rng.shuffle(y);
            } else {
                for (int i = 0; i < n; i++) {
                    y[i] = rng.nextInt(k);
                }
            }
            double[] x = new double[n * d];
            for (int i = 0; i < n; i++) {
                int m = y[i] * d;
                int off = i * d;
                for (int j = 0; j < d; j++) {
                    x[off + j] = means[m + j] + sigma * rng.next();
                }
            }
            return new LabelledData(x, y, null, n, d, k);
        }
    }

    /** Isotropic prototypes {@code mu_c ~ N(0, I_d)} (one group), drawn row by row from {@code seed}. */
    public static Mixture prototypes(int k, int d, double sigma, long seed) {
        return prototypes(k, d, sigma, new SeededNormal(seed));
    }

    private static Mixture prototypes(int k, int d, double sigma, SeededNormal rng) {
        checkMixture(k, d, sigma);
        double[] means = new double[k * d];
        rng.fill(means, 1.0);
        return new Mixture(means, new int[k], 1, k, d, sigma);
    }

    /**
     * Super-class prototypes: class {@code c} belongs to group {@code floor(c * groups / k)}
     * (contiguous blocks of classes whose sizes differ by at most one). From {@code seed}: first
     * the group centres {@code ~ N(0, I_d)}, then each class's offset
     * {@code withinSpread * N(0, I_d)}, row by row.
     */
    public static Mixture superclassPrototypes(int k, int d, int groups, double withinSpread, double sigma,
            long seed) {
        return superclassPrototypes(k, d, groups, withinSpread, sigma, new SeededNormal(seed));
    }

    private static Mixture superclassPrototypes(int k, int d, int groups, double withinSpread, double sigma,
            SeededNormal rng) {
        checkMixture(k, d, sigma);
        if (groups < 1 || groups > k) {
            throw new IllegalArgumentException("the number of groups must lie in [1, K = " + k + "], got " + groups);
        }
        if (!(withinSpread >= 0) || !Double.isFinite(withinSpread)) {
            throw new IllegalArgumentException("withinSpread must be finite and >= 0, got " + withinSpread);
        }
        double[] centres = new double[groups * d];
        rng.fill(centres, 1.0);
        int[] group = new int[k];
        double[] means = new double[k * d];
        for (int c = 0; c < k; c++) {
            group[c] = (int) ((long) c * groups / k);
            for (int j = 0; j < d; j++) {
                means[c * d + j] = centres[group[c] * d + j] + withinSpread * rng.next();
            }
        }
        return new Mixture(means, group, groups, k, d, sigma);
    }

    /**
     * {@code n} examples of isotropic Gaussian prototypes with uniform labels: from {@code seed},
     * the means, then the labels, then the noise (the peers' {@code syn} order).
     */
    public static LabelledData gaussianPrototypes(int n, int d, int k, double sigma, long seed) {
        return gaussianPrototypes(n, d, k, sigma, LabelDraw.UNIFORM, seed);
    }

    /** As {@link #gaussianPrototypes(int, int, int, double, long)} with a choice of label draw. */
    public static LabelledData gaussianPrototypes(int n, int d, int k, double sigma, LabelDraw draw, long seed) {
        SeededNormal rng = new SeededNormal(seed);
        return prototypes(k, d, sigma, rng).sample(n, draw, rng);
    }

    /**
     * Training and test sets from the same prototypes: from {@code seed}, the means, then the
     * training set (labels, noise), then the test set. {@code gaussianPrototypeSplit(50000, 10000,
     * 256, 1000, 3.0, UNIFORM, seed)} is the peers' {@code syn} recipe.
     */
    public static Splits.Split gaussianPrototypeSplit(int nTrain, int nTest, int d, int k, double sigma,
            LabelDraw draw, long seed) {
        SeededNormal rng = new SeededNormal(seed);
        Mixture m = prototypes(k, d, sigma, rng);
        LabelledData train = m.sample(nTrain, draw, rng);
        return new Splits.Split(train, m.sample(nTest, draw, rng));
    }

    /**
     * {@code n} examples with super-class structure (see
     * {@link #superclassPrototypes(int, int, int, double, double, long)}), balanced labels; from
     * {@code seed}, the means, then the labels, then the noise.
     */
    public static LabelledData superclassPrototypes(int n, int d, int k, int groups, double withinSpread,
            double sigma, long seed) {
        SeededNormal rng = new SeededNormal(seed);
        return superclassPrototypes(k, d, groups, withinSpread, sigma, rng).sample(n, LabelDraw.BALANCED, rng);
    }

    /** Training and test sets with super-class structure from the same means, balanced labels. */
    public static Splits.Split superclassPrototypeSplit(int nTrain, int nTest, int d, int k, int groups,
            double withinSpread, double sigma, long seed) {
        SeededNormal rng = new SeededNormal(seed);
        Mixture m = superclassPrototypes(k, d, groups, withinSpread, sigma, rng);
        LabelledData train = m.sample(nTrain, LabelDraw.BALANCED, rng);
        return new Splits.Split(train, m.sample(nTest, LabelDraw.BALANCED, rng));
    }

    private static void checkMixture(int k, int d, double sigma) {
        if (k < 2) {
            throw new IllegalArgumentException("a softmax head needs at least 2 classes, got K = " + k);
        }
        if (d < 1) {
            throw new IllegalArgumentException("the feature dimension must be at least 1, got " + d);
        }
        if ((long) k * d > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("K*d = " + (long) k * d + " means do not fit in one Java array");
        }
        if (!(sigma >= 0) || !Double.isFinite(sigma)) {
            throw new IllegalArgumentException("sigma must be finite and >= 0, got " + sigma);
        }
    }

    /**
     * Logit-controlled data of EXPERIMENTS.md (a1): a batch whose target logits {@code z} are realised
     * exactly by the head {@code wt} on the features {@code x}.
     *
     * @param x   row-major {@code n x d} features, {@code d = D - 1} (the bias column of ones is implicit)
     * @param y   labels in {@code [0, k)}
     * @param wt  row-major {@code k x D} parameters {@code [W | b]}, bias last (the library's layout)
     * @param z   row-major {@code n x k} target logits, {@code z = [x | 1] wt^T}
     * @param tau scale of the competitor logits
     * @param py  probability of the true class in every row
     */
    public record Mechanism(double[] x, int[] y, double[] wt, double[] z, int n, int d, int k, double tau,
            double py) {

        /** Features and labels as {@link LabelledData} (arrays shared). */
        public LabelledData data() {
            return new LabelledData(x, y, null, n, d, k);
        }
    }

    /**
     * Mechanism data (EXPERIMENTS.md (a1)). With {@code D = d + 1} parameters per class and {@code B <= D}
     * rows, any logits are realisable. From {@code seed}, in this order:
     * <ol>
     *   <li>labels {@code y_i} uniform on {@code [0, K)};</li>
     *   <li>for each row, {@code K} normals {@code e_ij}; competitor logits are
     *       {@code z_ij = tau * e_ij} ({@code j != y_i}) and the true logit is set so that
     *       {@code z_iy - logsumexp_{j != y} z_ij = log(p_y / (1 - p_y))}, i.e. the softmax
     *       probability of the true class is exactly {@code p_y};</li>
     *   <li>features {@code X ~ N(0, 1) / sqrt(D)}, {@code B x (D-1)}; {@code X~ = [X | 1]}.</li>
     * </ol>
     * Varying {@code tau} or {@code p_y} with the same seed keeps the same labels, normals and
     * features. The head is the minimum-norm solution {@code Wt = Z^T (X~ X~^T)^{-1} X~}, from a
     * Commons Math Cholesky factorisation of {@code X~ X~^T} and one step of iterative refinement.
     *
     * @param b   rows, {@code 1 <= B <= D}
     * @param k   classes, at least 2
     * @param dd  parameters per class {@code D} (features plus bias), at least 2
     * @param tau competitor-logit scale, finite and {@code >= 0}
     * @param py  probability of the true class, in {@code (0, 1)}
     */
    public static Mechanism mechanismLogits(int b, int k, int dd, double tau, double py, long seed) {
        if (k < 2) {
            throw new IllegalArgumentException("a softmax head needs at least 2 classes, got K = " + k);
        }
        if (dd < 2) {
            throw new IllegalArgumentException("D (features plus bias) must be at least 2, got " + dd);
        }
        if (b < 1 || b > dd) {
            throw new IllegalArgumentException("B must lie in [1, D = " + dd + "] so that any logits are realisable,"
                    + " got B = " + b + "; raise D or lower B");
        }
        if (!(tau >= 0) || !Double.isFinite(tau)) {
            throw new IllegalArgumentException("tau must be finite and >= 0, got " + tau);
        }
        if (!(py > 0 && py < 1)) {
            throw new IllegalArgumentException("p_y must lie in (0, 1), got " + py);
        }
        SeededNormal rng = new SeededNormal(seed);
        int[] y = new int[b];
        for (int i = 0; i < b; i++) {
            y[i] = rng.nextInt(k);
        }
        double margin = Math.log(py) - Math.log1p(-py);
        double[] z = new double[b * k];
        for (int i = 0; i < b; i++) {
            int off = i * k;
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < k; c++) {
                z[off + c] = tau * rng.next();
                if (c != y[i]) {
                    max = Math.max(max, z[off + c]);
                }
            }
            double sum = 0;
            for (int c = 0; c < k; c++) {
                if (c != y[i]) {
                    sum += Math.exp(z[off + c] - max);
                }
            }
            z[off + y[i]] = margin + max + Math.log(sum);
        }
        int d = dd - 1;
        double[] x = new double[b * d];
        rng.fill(x, 1.0 / Math.sqrt(dd));

        double[][] gram = new double[b][b];
        for (int i = 0; i < b; i++) {
            for (int j = i; j < b; j++) {
                double s = 1.0; // the bias column
                for (int t = 0; t < d; t++) {
                    s += x[i * d + t] * x[j * d + t];
                }
                gram[i][j] = s;
                gram[j][i] = s;
            }
        }
        DecompositionSolver solver;
        try {
            solver = new CholeskyDecomposition(new Array2DRowRealMatrix(gram, false)).getSolver();
        } catch (NonPositiveDefiniteMatrixException e) {
            throw new IllegalArgumentException("X~ X~^T is numerically singular for B = " + b + ", D = " + dd
                    + "; use B < D or another seed", e);
        }
        double[] wt = new double[k * dd];
        double[] residual = z.clone();
        for (int pass = 0; pass < 2; pass++) {
            // M = (X~ X~^T)^{-1} R (B x K); Wt += M^T X~
            RealMatrix m = solver.solve(new Array2DRowRealMatrix(rows(residual, b, k), false));
            for (int c = 0; c < k; c++) {
                for (int i = 0; i < b; i++) {
                    double coef = m.getEntry(i, c);
                    for (int t = 0; t < d; t++) {
                        wt[c * dd + t] += coef * x[i * d + t];
                    }
                    wt[c * dd + d] += coef;
                }
            }
            double[] fit = logits(x, b, d, wt, k);
            for (int i = 0; i < residual.length; i++) {
                residual[i] = z[i] - fit[i];
            }
        }
        return new Mechanism(x, y, wt, z, b, d, k, tau, py);
    }

    /** {@code [x | 1] wt^T}, row-major {@code n x k}. */
    static double[] logits(double[] x, int n, int d, double[] wt, int k) {
        int dd = d + 1;
        double[] out = new double[n * k];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < k; c++) {
                double s = wt[c * dd + d];
                for (int t = 0; t < d; t++) {
                    s += x[i * d + t] * wt[c * dd + t];
                }
                out[i * k + c] = s;
            }
        }
        return out;
    }

    private static double[][] rows(double[] a, int n, int m) {
        double[][] out = new double[n][m];
        for (int i = 0; i < n; i++) {
            System.arraycopy(a, i * m, out[i], 0, m);
        }
        return out;
    }
}
