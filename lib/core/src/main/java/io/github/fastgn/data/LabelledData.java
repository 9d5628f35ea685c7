package io.github.fastgn.data;

import java.util.Arrays;

/**
 * Features with integer class labels: the plain-array form every FastGN trainer, optimizer,
 * runner and notebook takes, with no Tribuo types. Dense features are row-major {@code n x d}, held as
 * double or, with {@link #ofFloat}, as float; sparse features ({@link #sparse}) are a
 * {@link CsrFeatures} matrix that training never densifies; features bigger than the heap
 * ({@link #mapped}) are a {@link MappedFloatFeatures} file that training streams in row blocks and
 * never copies onto the heap ({@link #featureMatrix()} is the view every storage shares). Labels lie in {@code [0, k)}; example weights are
 * optional. Construction checks the shape, the labels, the finiteness of every value and the
 * weights once, and says what is wrong and how to fix it, so the trainers can rely on them.
 */
public final class LabelledData {

    /** Double features, or null when they are held as float. */
    private final double[] features;
    /** Float features, or null when they are held as double. */
    private final float[] floatFeatures;
    /** Sparse features, or null when they are dense (then one of the two arrays is set). */
    private final CsrFeatures sparse;
    /** Features in a memory-mapped file, or null (then one of the above is set). */
    private final MappedFloatFeatures mapped;
    private final int[] labels;
    private final double[] weights;
    private final int n;
    private final int d;
    private final int k;

    /**
     * @param features row-major {@code n x d}, all finite (not copied)
     * @param labels   {@code n} labels in {@code [0, k)} (not copied)
     * @param weights  {@code n} non-negative finite example weights with a positive sum, or null
     * @param k        number of classes, at least 2
     * @throws IllegalArgumentException naming the first bad value and how to fix it
     */
    public LabelledData(double[] features, int[] labels, double[] weights, int n, int d, int k) {
        this(features, null, labels, weights, n, d, k);
    }

    private LabelledData(double[] features, float[] floatFeatures, int[] labels, double[] weights, int n, int d,
                         int k) {
        this(features, floatFeatures, null, labels, weights, n, d, k);
    }

    private LabelledData(double[] features, float[] floatFeatures, CsrFeatures sparse, int[] labels,
                         double[] weights, int n, int d, int k) {
        this(features, floatFeatures, sparse, null, labels, weights, n, d, k);
    }

    private LabelledData(double[] features, float[] floatFeatures, CsrFeatures sparse, MappedFloatFeatures mapped,
                         int[] labels, double[] weights, int n, int d, int k) {
        checkShape(n, d, k);
        if (sparse != null || mapped != null) {
            checkLabels(labels, weights, n, k);
            this.features = null;
            this.floatFeatures = null;
            this.sparse = sparse;
            this.mapped = mapped;
            this.labels = labels;
            this.weights = weights;
            this.n = n;
            this.d = d;
            this.k = k;
            return;
        }
        if (features == null && floatFeatures == null) {
            throw new IllegalArgumentException("features must not be null");
        }
        long length = features != null ? features.length : floatFeatures.length;
        if (length != (long) n * d) {
            throw new IllegalArgumentException("features hold " + length + " values, expected n*d = " + n
                    + "*" + d);
        }
        int bad = features != null ? FeatureChecks.firstNonFinite(features)
                : FeatureChecks.firstNonFinite(floatFeatures);
        if (bad >= 0) {
            double v = features != null ? features[bad] : floatFeatures[bad];
            throw new IllegalArgumentException("feature " + (bad % d) + " of example " + (bad / d) + " is "
                    + v + "; remove or impute non-finite values before training");
        }
        checkLabels(labels, weights, n, k);
        this.features = features;
        this.floatFeatures = floatFeatures;
        this.sparse = null;
        this.mapped = null;
        this.labels = labels;
        this.weights = weights;
        this.n = n;
        this.d = d;
        this.k = k;
    }

    /**
     * Float features (half the memory of double; training keeps them as float where it can, and
     * sums in double). Same checks as the double constructor.
     *
     * @param features row-major {@code n x d}, all finite (not copied)
     */
    public static LabelledData ofFloat(float[] features, int[] labels, double[] weights, int n, int d, int k) {
        if (features == null) {
            throw new IllegalArgumentException("features must not be null");
        }
        return new LabelledData(null, features, labels, weights, n, d, k);
    }

    /**
     * Sparse features (compressed sparse rows, double or float values, checked when the
     * {@link CsrFeatures} was built): the optimizers train on them without a dense copy.
     *
     * @param features {@code n x d} CSR features (shared, not copied)
     * @param labels   {@code n} labels in {@code [0, k)} (not copied)
     * @param weights  {@code n} non-negative finite example weights with a positive sum, or null
     * @param k        number of classes, at least 2
     * @throws IllegalArgumentException naming the first bad label or weight and how to fix it
     */
    public static LabelledData sparse(CsrFeatures features, int[] labels, double[] weights, int k) {
        if (features == null) {
            throw new IllegalArgumentException("features must not be null");
        }
        return new LabelledData(null, null, features, labels, weights, features.rows(), features.columns(), k);
    }

    /**
     * Features in a memory-mapped float matrix file, possibly far bigger than the heap (checked when
     * the file was opened): the optimizers stream it in row blocks and gather only their curvature
     * samples and mini-batches into the heap; it is never copied onto the heap whole.
     *
     * @param features {@code n x d} mapped features (shared, not copied)
     * @param labels   {@code n} labels in {@code [0, k)} (not copied)
     * @param weights  {@code n} non-negative finite example weights with a positive sum, or null
     * @param k        number of classes, at least 2
     * @throws IllegalArgumentException naming the first bad label or weight and how to fix it
     */
    public static LabelledData mapped(MappedFloatFeatures features, int[] labels, double[] weights, int k) {
        if (features == null) {
            throw new IllegalArgumentException("features must not be null");
        }
        return new LabelledData(null, null, null, features, labels, weights, features.rows(), features.columns(),
                k);
    }

    /** Labels checked against {@code n} and {@code k}, weights against {@code n}. */
    private static void checkLabels(int[] labels, double[] weights, int n, int k) {
        if (labels == null) {
            throw new IllegalArgumentException("labels must not be null");
        }
        if (labels.length != n) {
            throw new IllegalArgumentException("got " + labels.length + " labels for " + n + " examples");
        }
        for (int i = 0; i < n; i++) {
            if (labels[i] < 0 || labels[i] >= k) {
                throw new IllegalArgumentException("label " + labels[i] + " of example " + i + " is outside [0, "
                        + k + ")");
            }
        }
        FeatureChecks.exampleWeights(weights, n);
    }

    private static void checkShape(int n, int d, int k) {
        if (n < 1) {
            throw new IllegalArgumentException("the data set is empty: training needs at least one example");
        }
        if (d < 1) {
            throw new IllegalArgumentException("the examples have no features (d = " + d + "); give each example at"
                    + " least one feature");
        }
        if (k < 2) {
            throw new IllegalArgumentException("a softmax head needs at least 2 classes, got " + k
                    + "; add examples of another class");
        }
        // the head's parameters [W | b] are one array: K (d + 1) values
        FeatureChecks.fitsArray((long) k * (d + 1), "a head of " + k + " classes (the largest label + 1) on " + d
                + " features (K*(d+1) parameters)");
    }

    /**
     * Copies rows of a {@code double[][]} into the row-major form; {@code k} is {@code max(y) + 1}.
     *
     * @throws IllegalArgumentException naming the first bad row or label, as the constructor does
     */
    public static LabelledData of(double[][] x, int[] y) {
        if (x == null || x.length == 0) {
            throw new IllegalArgumentException("the data set is empty: training needs at least one example");
        }
        if (y == null) {
            throw new IllegalArgumentException("labels must not be null");
        }
        if (y.length != x.length) {
            throw new IllegalArgumentException("there are " + y.length + " labels for " + x.length + " rows; give"
                    + " one label per row");
        }
        for (int i = 0; i < y.length; i++) {
            // before k = max(y) + 1 is taken, so a negative or overflowing label is named rather than miscounting
            if (y[i] < 0 || y[i] == Integer.MAX_VALUE) {
                throw new IllegalArgumentException("label " + y[i] + " of example " + i + " is "
                        + (y[i] < 0 ? "negative" : "not a class index") + "; labels are class indices 0, 1, ..., k-1");
            }
        }
        for (int i = 0; i < x.length; i++) {
            if (x[i] == null) {
                throw new IllegalArgumentException("row " + i + " is null; every row needs the same features");
            }
        }
        int d = x[0].length;
        if ((long) x.length * d > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(x.length + " rows of " + d + " features exceed the largest array;"
                    + " use fewer rows or features");
        }
        double[] flat = new double[x.length * d];
        for (int i = 0; i < x.length; i++) {
            if (x[i].length != d) {
                throw new IllegalArgumentException("row " + i + " has " + x[i].length + " features, row 0 has " + d);
            }
            System.arraycopy(x[i], 0, flat, i * d, d);
        }
        int k = Arrays.stream(y).max().orElse(0) + 1;
        return new LabelledData(flat, y.clone(), null, x.length, d, k);
    }

    /**
     * The rows listed in {@code index}, copied (in the same precision), with the same number of
     * classes; for mapped features a view of those rows of the same file (only the index is held).
     *
     * @throws IllegalArgumentException if {@code index} is null, empty or holds a row outside {@code [0, n)}
     */
    public LabelledData subset(int[] index) {
        if (index == null) {
            throw new IllegalArgumentException("index must not be null");
        }
        for (int r = 0; r < index.length; r++) {
            if (index[r] < 0 || index[r] >= n) {
                throw new IllegalArgumentException("index " + index[r] + " at position " + r + " is outside [0, " + n
                        + "): a subset takes rows of this data set");
            }
        }
        int[] y = new int[index.length];
        double[] w = weights == null ? null : new double[index.length];
        for (int r = 0; r < index.length; r++) {
            y[r] = labels[index[r]];
            if (w != null) {
                w[r] = weights[index[r]];
            }
        }
        if (sparse != null) {
            return new LabelledData(null, null, sparse.gather(index, 0, index.length), y, w, index.length, d, k);
        }
        if (mapped != null) {
            return new LabelledData(null, null, null, mapped.rows(index), y, w, index.length, d, k);
        }
        if (floatFeatures != null) {
            float[] x = new float[index.length * d];
            for (int r = 0; r < index.length; r++) {
                System.arraycopy(floatFeatures, index[r] * d, x, r * d, d);
            }
            return new LabelledData(null, x, y, w, index.length, d, k);
        }
        double[] x = new double[index.length * d];
        for (int r = 0; r < index.length; r++) {
            System.arraycopy(features, index[r] * d, x, r * d, d);
        }
        return new LabelledData(x, null, y, w, index.length, d, k);
    }

    /**
     * The same examples with other example weights: features and labels are shared (not copied; they
     * are checked again, one pass over the features), this object is not modified.
     *
     * @param newWeights {@code n} non-negative finite weights with a positive sum (not copied), or null
     * @throws IllegalArgumentException naming the first bad weight
     */
    public LabelledData withWeights(double[] newWeights) {
        return new LabelledData(features, floatFeatures, sparse, mapped, labels, newWeights, n, d, k);
    }

    /**
     * Whether the features are dense and held in the heap as float ({@link #ofFloat}); false for
     * sparse and for mapped features.
     */
    public boolean isFloat() {
        return floatFeatures != null;
    }

    /**
     * The same examples with the features as compressed sparse rows of their nonzeros (double
     * values, or float for float features); this object itself when they already are.
     *
     * @throws IllegalStateException for mapped features, which are not read into the heap here
     */
    public LabelledData toSparse() {
        if (sparse != null) {
            return this;
        }
        if (mapped != null) {
            throw new IllegalStateException(describeMapped() + "; they are not converted to sparse rows in the heap:"
                    + " train on them as they are, or write them as svmlight (Svmlight) and read that if they are"
                    + " sparse");
        }
        int[] start = new int[n + 1];
        long nnz = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                nnz += value(i * d + j) != 0 ? 1 : 0;
            }
            FeatureChecks.fitsArray(nnz, "the " + nnz + " nonzeros of the first " + (i + 1) + " rows");
            start[i + 1] = (int) nnz;
        }
        int[] cols = new int[(int) nnz];
        double[] vals = floatFeatures == null ? new double[(int) nnz] : null;
        float[] fvals = floatFeatures != null ? new float[(int) nnz] : null;
        int p = 0;
        for (int t = 0; t < n * d; t++) {
            if (value(t) != 0) {
                cols[p] = t % d;
                if (vals != null) {
                    vals[p] = features[t];
                } else {
                    fvals[p] = floatFeatures[t];
                }
                p++;
            }
        }
        CsrFeatures x = vals != null ? CsrFeatures.of(start, cols, vals, n, d) : CsrFeatures.ofFloat(start, cols, fvals,
                n, d);
        return new LabelledData(null, null, x, labels, weights, n, d, k);
    }

    /**
     * The same examples with dense features in the heap: double for sparse rows (scattered into
     * {@code n d} values), float for mapped features (read from the file, {@code n d} floats); this
     * object itself when they are already dense in the heap.
     *
     * @throws IllegalArgumentException if {@code n d} exceeds the largest array
     */
    public LabelledData toDense() {
        if (mapped != null) {
            FeatureChecks.fitsArray((long) n * d, n + " rows of " + d + " mapped features");
            float[] x = new float[n * d];
            mapped.readRows(0, n, x, 0);
            return new LabelledData(null, x, labels, weights, n, d, k);
        }
        if (sparse == null) {
            return this;
        }
        FeatureChecks.fitsArray((long) n * d, n + " dense rows of " + d + " features");
        double[] x = new double[n * d];
        int[] ptr = sparse.rowStart();
        int[] idx = sparse.columnIndices();
        double[] val = sparse.values();
        float[] fval = sparse.floatValues();
        for (int i = 0; i < n; i++) {
            for (int q = ptr[i]; q < ptr[i + 1]; q++) {
                x[i * d + idx[q]] = val != null ? val[q] : fval[q];
            }
        }
        return new LabelledData(x, null, labels, weights, n, d, k);
    }

    private double value(int t) {
        return features != null ? features[t] : floatFeatures[t];
    }

    /** Whether the features are sparse ({@link #sparse}). */
    public boolean isSparse() {
        return sparse != null;
    }

    /** The sparse features (shared, do not modify), or null when they are dense. */
    public CsrFeatures sparseFeatures() {
        return sparse;
    }

    /** Whether the features are in a memory-mapped file ({@link #mapped}). */
    public boolean isMapped() {
        return mapped != null;
    }

    /** The mapped features (shared), or null when they are in the heap. */
    public MappedFloatFeatures mappedFeatures() {
        return mapped;
    }

    /** How the features are stored: what an optimizer or transform needs to know before reading them. */
    public enum Storage {
        /** A row-major double or float array in the heap ({@link #features()}, {@link #floatFeatures()}). */
        DENSE,
        /** Compressed sparse rows ({@link #sparseFeatures()}). */
        SPARSE,
        /** A memory-mapped float matrix file ({@link #mappedFeatures()}). */
        MAPPED
    }

    /** The storage of the features. */
    public Storage storage() {
        return sparse != null ? Storage.SPARSE : mapped != null ? Storage.MAPPED : Storage.DENSE;
    }

    /**
     * The features as a {@link FeatureMatrix}, whatever their storage: the {@link CsrFeatures} or
     * {@link MappedFloatFeatures} itself, a {@link DenseFeatures} sharing the dense array otherwise.
     */
    public FeatureMatrix featureMatrix() {
        return sparse != null ? sparse : mapped != null ? mapped : DenseFeatures.of(this);
    }

    private String describeMapped() {
        return "the features are a memory-mapped matrix (" + n + " x " + d + " floats in " + mapped.file() + ")";
    }

    /**
     * Row-major {@code n x d} features as double: the array itself (shared, do not modify) when they
     * are held as double, else a widened copy ({@code n d} doubles allocated on every call).
     *
     * @throws IllegalStateException for sparse features, which are never densified here, and for
     *                               mapped features, which are never copied onto the heap here
     */
    public double[] features() {
        if (mapped != null) {
            throw new IllegalStateException(describeMapped() + " and are not copied onto the heap; use"
                    + " featureMatrix() or mappedFeatures(), or toDense() if n d floats fit in the heap");
        }
        if (sparse != null) {
            throw new IllegalStateException("the features are sparse (CSR, " + n + " x " + d + ", "
                    + sparse.storedValues() + " stored values) and are not densified; use featureMatrix() or"
                    + " sparseFeatures(), or build the data from a dense array if this step needs one");
        }
        if (features != null) {
            return features;
        }
        double[] wide = new double[floatFeatures.length];
        for (int t = 0; t < wide.length; t++) {
            wide[t] = floatFeatures[t];
        }
        return wide;
    }

    /** The in-heap float features (shared, do not modify), or null when they are double, sparse or mapped. */
    public float[] floatFeatures() {
        return floatFeatures;
    }

    /** Labels (shared, do not modify). */
    public int[] labels() {
        return labels;
    }

    /** Example weights or null (shared, do not modify). */
    public double[] weights() {
        return weights;
    }

    /** The number of examples {@code n}. */
    public int size() {
        return n;
    }

    /** The number of features {@code d}. */
    public int featureCount() {
        return d;
    }

    /** The number of classes {@code k}. */
    public int classCount() {
        return k;
    }

    /** Number of examples of each class. */
    public int[] classCounts() {
        int[] c = new int[k];
        for (int v : labels) {
            c[v]++;
        }
        return c;
    }
}
