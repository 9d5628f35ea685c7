package io.github.fastgn.data;

import io.github.fastgn.internal.linalg.CsrColumnOrder;
import io.github.fastgn.internal.linalg.CsrRowsDouble;
import io.github.fastgn.internal.linalg.CsrRowsFloat;
import io.github.fastgn.internal.linalg.Parallel;

/**
 * A {@link FeatureMatrix} in compressed sparse rows (CSR), double or float values: the nonzeros of
 * row {@code i} are {@code columns[p], values[p]} for {@code p} in
 * {@code [rowStart[i], rowStart[i+1])}, columns strictly increasing within a row. Memory is
 * {@code 4 (n + 1) + (4 + 8 or 4) nnz} bytes, plus {@code 4 nnz + 12 d} for the column order of the
 * product temporaries once a large matrix is multiplied ({@code CsrColumnOrder}, shared by its
 * {@link #rowRange} views), and {@code (4 + 8 or 4) nnz + 4 d} for a column-major copy of its values once
 * such a matrix has had a second transpose product, or a first for the views made to be multiplied
 * repeatedly (when half the free heap holds it; the same sums bit for bit, faster: the gradient of
 * every step of a run); no product densifies it (the products allocate {@code O(K d)}
 * temporaries, the Gram matrix {@code d} doubles per task). The kernels are
 * generated for both value types from one template ({@code CsrRows.java.template}).
 *
 * <p>Everything is checked once when built (the row pointers, every column index, every value),
 * so the products can trust the arrays; the arrays are shared, not copied, and never modified.
 * Standardisation is scale-only with virtual centring (ALGORITHM.md §7): {@link #standardizer}
 * gives the weighted column means and scales with the implicit zeros counted, and the centring is
 * folded into the bias, so the matrix stays sparse.
 */
public final class CsrFeatures implements FeatureMatrix {

    private final int[] rowStart;
    private final int[] columns;
    private final double[] values;
    private final float[] floatValues;
    private final int n;
    private final int d;
    /** The product temporaries' column order, shared by a matrix and its {@link #rowRange} views. */
    private final Order order;
    /** This matrix's column-major copy for its transpose products, once worthwhile (its own, not its views'). */
    private final ColumnCopy columnCopy;

    private CsrFeatures(int[] rowStart, int[] columns, double[] values, float[] floatValues, int n, int d) {
        this(rowStart, columns, values, floatValues, n, d, null, false);
    }

    /**
     * @param repeated whether this matrix is made to be multiplied again and again (a block of a data set, a
     *                 curvature sample or a mini-batch, and their views): its column copy is then built at its
     *                 first transpose product instead of its second ({@link ColumnCopy})
     */
    private CsrFeatures(int[] rowStart, int[] columns, double[] values, float[] floatValues, int n, int d,
                        Order order, boolean repeated) {
        this.rowStart = rowStart;
        this.columns = columns;
        this.values = values;
        this.floatValues = floatValues;
        this.n = n;
        this.d = d;
        this.order = order != null ? order : new Order(rowStart, columns, n, d);
        this.columnCopy = new ColumnCopy(repeated ? 1 : 2);
    }

    /**
     * The {@link CsrColumnOrder} of a matrix's stored values, built on the first product when the
     * matrix is large enough ({@link CsrColumnOrder#worthwhile}), and shared with its row views so
     * that a matrix worked through block by block builds it once.
     */
    private static final class Order {
        private final int[] rowStart;
        private final int[] columns;
        private final int n;
        private final int d;
        private CsrColumnOrder built;
        private boolean decided;

        Order(int[] rowStart, int[] columns, int n, int d) {
            this.rowStart = rowStart;
            this.columns = columns;
            this.n = n;
            this.d = d;
        }

        /** An order decided already: {@code built}, or the natural order when it is null. */
        Order(CsrColumnOrder built) {
            this(null, null, 0, 0);
            this.built = built;
            this.decided = true;
        }

        /** The order if it has been built, without building it. */
        synchronized CsrColumnOrder ifBuilt() {
            return built;
        }

        synchronized CsrColumnOrder get() {
            if (!decided) {
                decided = true;
                if (CsrColumnOrder.worthwhile(d, rowStart[n] - rowStart[0])) {
                    built = CsrColumnOrder.of(rowStart, columns, n, d);
                }
            }
            return built;
        }
    }

    /**
     * The column-major copy of a matrix's stored values for its transpose products ({@code CsrRowsFloat.Columns},
     * {@code CsrRowsDouble.Columns}): the same sums bit for bit, faster on a large matrix. Built at the matrix's
     * second transpose product, when it has a column order and the copy takes at most half of the heap still
     * free: a matrix multiplied once (a gradient at one point) does not pay for it, one multiplied at every
     * step of a run (a training set's gradient) does from its second step. The views made for repeated
     * products ({@link #rowRange}, {@link #gather}, {@link #onColumns}: the blocks of a training set, a
     * curvature sample, a mini-batch) build it at their first, so that a run's first gradient and a sample's
     * first curvature product do not go through the scatter: on the bench's {@code text} set warm runs took
     * 1.82-1.97 s against 1.81-2.24 s (five each in one JVM, 2026-12-07), the same bits.
     */
    private final class ColumnCopy {
        private final int after;
        private int products;
        private boolean decided;
        private Object built;

        /** @param after the transpose product (1 or 2) at which the copy is built */
        ColumnCopy(int after) {
            this.after = after;
        }

        /** The copy to use for this transpose product, or null for the scatter. */
        synchronized Object forTranspose(CsrColumnOrder o) {
            if (!decided && ++products >= after) {
                decided = true;
                long nnz = rowStart[n] - rowStart[0];
                long bytes = values != null ? CsrRowsDouble.Columns.bytes(nnz, o) : CsrRowsFloat.Columns.bytes(nnz, o);
                Runtime rt = Runtime.getRuntime();
                long free = rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
                if (bytes <= free / 2) {
                    built = values != null ? CsrRowsDouble.columns(rowStart, values, n, o)
                            : CsrRowsFloat.columns(rowStart, floatValues, n, o);
                }
            }
            return built;
        }
    }

    /**
     * @param rowStart {@code n + 1} non-decreasing offsets, {@code rowStart[0] = 0},
     *                 {@code rowStart[n] = nnz} (shared, not copied)
     * @param columns  {@code nnz} column indices in {@code [0, d)}, strictly increasing within each row
     * @param values   {@code nnz} finite values (explicit zeros allowed)
     * @throws IllegalArgumentException naming the first bad pointer, index or value and how to fix it
     */
    public static CsrFeatures of(int[] rowStart, int[] columns, double[] values, int n, int d) {
        return checked(rowStart, columns, values, null, n, d);
    }

    /** As {@link #of(int[], int[], double[], int, int)} with float values (products and sums still in double). */
    public static CsrFeatures ofFloat(int[] rowStart, int[] columns, float[] values, int n, int d) {
        return checked(rowStart, columns, null, values, n, d);
    }

    /** Checks the arrays (exactly one of {@code values} and {@code floatValues} given) and wraps them. */
    private static CsrFeatures checked(int[] rowStart, int[] columns, double[] values, float[] floatValues, int n,
                                       int d) {
        if (values == null && floatValues == null) {
            throw new IllegalArgumentException("values must not be null");
        }
        check(rowStart, columns, values != null ? values.length : floatValues.length, n, d);
        int bad = values != null ? FeatureChecks.firstNonFinite(values) : FeatureChecks.firstNonFinite(floatValues);
        if (bad >= 0) {
            throw nonFinite(rowStart, columns, bad, values != null ? values[bad] : floatValues[bad]);
        }
        return new CsrFeatures(rowStart, columns, values, floatValues, n, d);
    }

    private static void check(int[] rowStart, int[] columns, int valueCount, int n, int d) {
        if (rowStart == null || columns == null) {
            throw new IllegalArgumentException("rowStart and columns must not be null");
        }
        if (n < 1 || d < 1) {
            throw new IllegalArgumentException("a feature matrix needs n >= 1 rows and d >= 1 columns, got " + n
                    + " x " + d);
        }
        if (rowStart.length != (long) n + 1) {
            throw new IllegalArgumentException("rowStart holds " + rowStart.length + " offsets, expected n + 1 = "
                    + ((long) n + 1));
        }
        if (rowStart[0] != 0) {
            throw new IllegalArgumentException("rowStart[0] is " + rowStart[0] + ", must be 0");
        }
        int nnz = rowStart[n];
        if (columns.length != nnz || valueCount != nnz) {
            throw new IllegalArgumentException("rowStart[n] = " + nnz + " nonzeros, but columns hold "
                    + columns.length + " and values " + valueCount + "; all three must agree");
        }
        for (int i = 0; i < n; i++) {
            int from = rowStart[i];
            int to = rowStart[i + 1];
            if (to < from || to > nnz) {
                throw new IllegalArgumentException("rowStart[" + (i + 1) + "] = " + to + " is below rowStart[" + i
                        + "] = " + from + " or above nnz = " + nnz + "; offsets must be non-decreasing");
            }
            int last = -1;
            for (int p = from; p < to; p++) {
                int j = columns[p];
                if (j < 0 || j >= d) {
                    throw new IllegalArgumentException("row " + i + ": column index " + j + " is outside [0, " + d
                            + ")");
                }
                if (j <= last) {
                    throw new IllegalArgumentException("row " + i + ": column index " + j + " follows " + last
                            + "; indices must be strictly increasing within a row (sort them and merge duplicates)");
                }
                last = j;
            }
        }
    }

    private static IllegalArgumentException nonFinite(int[] rowStart, int[] columns, int p, double v) {
        int i = java.util.Arrays.binarySearch(rowStart, p);
        if (i < 0) {
            i = -i - 2;
        } else {
            while (i + 1 < rowStart.length && rowStart[i + 1] == p) {
                i++; // empty rows share the offset of the next nonempty one
            }
        }
        return new IllegalArgumentException("row " + i + ", column " + columns[p] + ": value " + v
                + "; remove or impute non-finite values first");
    }

    /**
     * Row offsets, {@code n + 1} of them (shared, do not modify): offsets into
     * {@link #columnIndices()} and the values, starting at 0 except in a {@link #rowRange} view.
     */
    public int[] rowStart() {
        return rowStart;
    }

    /** Column indices of the nonzeros (shared, do not modify). */
    public int[] columnIndices() {
        return columns;
    }

    /** The double values (shared, do not modify), or null when they are held as float. */
    public double[] values() {
        return values;
    }

    /** The float values (shared, do not modify), or null when they are held as double. */
    public float[] floatValues() {
        return floatValues;
    }

    @Override
    public int rows() {
        return n;
    }

    @Override
    public int columns() {
        return d;
    }

    @Override
    public boolean isFloat() {
        return floatValues != null;
    }

    @Override
    public long storedValues() {
        return rowStart[n] - rowStart[0];
    }

    /**
     * Rows {@code [from, to)} as a view: the column indices and values are shared with this matrix
     * (not copied), only the {@code to - from + 1} row offsets are, so a view's {@link #rowStart()}
     * points into this matrix's arrays and need not start at 0. For working through a large matrix
     * block by block without a second copy of its nonzeros.
     *
     * @throws IllegalArgumentException unless {@code 0 <= from < to <= rows()}
     */
    public CsrFeatures rowRange(int from, int to) {
        if (from < 0 || to > n || from >= to) {
            throw new IllegalArgumentException("row range [" + from + ", " + to + ") is empty or outside [0, " + n
                    + ")");
        }
        return new CsrFeatures(java.util.Arrays.copyOfRange(rowStart, from, to + 1), columns, values, floatValues,
                to - from, d, order, true);
    }

    /**
     * The rows {@code index[from .. from + count)} gathered into a new compact matrix (values in the
     * same precision; repeats allowed): the rows of a mini-batch or a curvature sample.
     *
     * @throws IllegalArgumentException if {@code index} is null, the range is outside it, or a row is
     *                                  outside {@code [0, rows())}
     */
    public CsrFeatures gather(int[] index, int from, int count) {
        if (index == null || from < 0 || count < 1 || (long) from + count > index.length) {
            throw new IllegalArgumentException("gather takes count >= 1 row indices from a non-null index array;"
                    + " got from = " + from + ", count = " + count);
        }
        long nnz = 0;
        for (int r = from; r < from + count; r++) {
            int i = index[r];
            if (i < 0 || i >= n) {
                throw new IllegalArgumentException("row " + i + " at position " + r + " is outside [0, " + n + ")");
            }
            nnz += rowStart[i + 1] - rowStart[i];
        }
        FeatureChecks.fitsArray(nnz, "the " + nnz + " nonzeros of " + count + " gathered rows");
        int[] ptr = new int[count + 1];
        int[] idx = new int[(int) nnz];
        double[] val = values == null ? null : new double[(int) nnz];
        float[] fval = floatValues == null ? null : new float[(int) nnz];
        int at = 0;
        for (int r = 0; r < count; r++) {
            int i = index[from + r];
            int len = rowStart[i + 1] - rowStart[i];
            System.arraycopy(columns, rowStart[i], idx, at, len);
            if (val != null) {
                System.arraycopy(values, rowStart[i], val, at, len);
            } else {
                System.arraycopy(floatValues, rowStart[i], fval, at, len);
            }
            at += len;
            ptr[r + 1] = at;
        }
        // rows of a matrix whose products are in a column order share it (slots and temporaries), so a sample's
        // products do not need a second d x K temporary in the natural order
        CsrColumnOrder built = order.ifBuilt();
        return new CsrFeatures(ptr, idx, val, fval, count, d,
                built == null ? null : new Order(built.forRows(ptr, idx, count)), true);
    }

    /**
     * The columns divided by {@code divisors} ({@code x_ij / divisors[j]}) in double, with the same
     * sparsity pattern (a new values array; the column indices are shared): scale-only
     * standardisation ({@link Standardizer#scaleOnly()}), which never fills in a zero.
     *
     * @param divisors {@code d} finite positive values (not modified)
     * @throws IllegalArgumentException naming the first bad divisor
     */
    public CsrFeatures scaleColumns(double[] divisors) {
        FeatureChecks.columnDivisors(divisors, d);
        int base = rowStart[0];
        int nnz = rowStart[n] - base;
        double[] out = new double[nnz];
        for (int p = 0; p < nnz; p++) {
            double v = values != null ? values[base + p] : floatValues[base + p];
            out[p] = v / divisors[columns[base + p]];
        }
        return new CsrFeatures(rebased(), base == 0 ? columns : java.util.Arrays.copyOfRange(columns, base,
                base + nnz), out, null, n, d);
    }

    /** The row offsets starting at 0 (this matrix's own when they already do). */
    private int[] rebased() {
        int base = rowStart[0];
        if (base == 0) {
            return rowStart;
        }
        int[] ptr = new int[n + 1];
        for (int i = 0; i <= n; i++) {
            ptr[i] = rowStart[i] - base;
        }
        return ptr;
    }

    /**
     * The elementwise squares {@code x_ij^2} in double, with the same sparsity pattern (a new
     * values array; the column indices are shared): the squared features of the curvature
     * diagonals and the row CG's preconditioner.
     */
    @Override
    public CsrFeatures squared() {
        int base = rowStart[0];
        int nnz = rowStart[n] - base;
        double[] sq = new double[nnz];
        for (int p = 0; p < nnz; p++) {
            double v = values != null ? values[base + p] : floatValues[base + p];
            sq[p] = v * v;
        }
        return new CsrFeatures(rebased(), base == 0 ? columns : java.util.Arrays.copyOfRange(columns, base,
                base + nnz), sq, null, n, d);
    }

    /** {@inheritDoc} One pass over the column indices and a mark per column. */
    @Override
    public int[] storedColumns() {
        boolean[] seen = new boolean[d];
        int count = 0;
        for (int p = rowStart[0], end = rowStart[n]; p < end; p++) {
            if (!seen[columns[p]]) {
                seen[columns[p]] = true;
                count++;
            }
        }
        int[] out = new int[count];
        for (int j = 0, t = 0; j < d; j++) {
            if (seen[j]) {
                out[t++] = j;
            }
        }
        return out;
    }

    /**
     * {@inheritDoc}
     *
     * <p>A new column index array (the stored values are shared when this matrix is not a
     * {@link #rowRange} view); the values keep their precision and order, so every product sums
     * the same terms in the same order as this matrix's.
     */
    @Override
    public CsrFeatures onColumns(int[] columns) {
        if (columns == null) {
            throw new IllegalArgumentException("columns must not be null");
        }
        int[] local = new int[d];
        java.util.Arrays.fill(local, -1);
        for (int t = 0; t < columns.length; t++) {
            int j = columns[t];
            if (j < 0 || j >= d || (t > 0 && j <= columns[t - 1])) {
                throw new IllegalArgumentException("column " + j + " at position " + t + " is outside [0, " + d
                        + ") or not above the one before; list the columns in strictly increasing order");
            }
            local[j] = t;
        }
        int base = rowStart[0];
        int nnz = rowStart[n] - base;
        int[] idx = new int[nnz];
        for (int p = 0; p < nnz; p++) {
            int t = local[this.columns[base + p]];
            if (t < 0) {
                throw new IllegalArgumentException("column " + this.columns[base + p] + " stores a value but is not"
                        + " listed; list every stored column (storedColumns())");
            }
            idx[p] = t;
        }
        double[] val = values == null || base == 0 ? values : java.util.Arrays.copyOfRange(values, base, base + nnz);
        float[] fval = floatValues == null || base == 0 ? floatValues
                : java.util.Arrays.copyOfRange(floatValues, base, base + nnz);
        return new CsrFeatures(rebased(), idx, val, fval, n, columns.length, null, true);
    }

    @Override
    public void rowProduct(double[] v, int k, double[] out, Parallel par) {
        FeatureChecks.rowProduct(this, v, k, out);
        FeatureChecks.fitsArray((long) d * k, "the sparse row product's K x d temporary");
        if (values != null) {
            CsrRowsDouble.rowProduct(rowStart, columns, values, n, d, v, k, out, par, order.get());
        } else {
            CsrRowsFloat.rowProduct(rowStart, columns, floatValues, n, d, v, k, out, par, order.get());
        }
    }

    @Override
    public void transposeProduct(double[] coef, int k, double[] out, Parallel par) {
        FeatureChecks.transposeProduct(this, coef, k, out);
        FeatureChecks.fitsArray((long) d * k, "the sparse transpose product's K x d temporary");
        CsrColumnOrder o = order.get();
        Object copy = o == null ? null : columnCopy.forTranspose(o);
        if (values != null) {
            if (copy != null) {
                CsrRowsDouble.transposeProduct(coef, (CsrRowsDouble.Columns) copy, n, d, k, out, par, o);
            } else {
                CsrRowsDouble.transposeProduct(coef, rowStart, columns, values, n, d, k, out, par, o);
            }
        } else {
            if (copy != null) {
                CsrRowsFloat.transposeProduct(coef, (CsrRowsFloat.Columns) copy, n, d, k, out, par, o);
            } else {
                CsrRowsFloat.transposeProduct(coef, rowStart, columns, floatValues, n, d, k, out, par, o);
            }
        }
    }

    @Override
    public void gram(int[] rows, double[] columnWeights, double[] out, Parallel par) {
        FeatureChecks.gram(this, rows, columnWeights, out);
        if (values != null) {
            CsrRowsDouble.gram(rowStart, columns, values, d, rows, columnWeights, out, par);
        } else {
            CsrRowsFloat.gram(rowStart, columns, floatValues, d, rows, columnWeights, out, par);
        }
    }

    @Override
    public void rowSquaredNorms(double[] columnWeights, double[] out) {
        FeatureChecks.rowSquaredNorms(this, columnWeights, out);
        if (values != null) {
            CsrRowsDouble.rowSquaredNorms(rowStart, columns, values, n, columnWeights, out);
        } else {
            CsrRowsFloat.rowSquaredNorms(rowStart, columns, floatValues, n, columnWeights, out);
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>{@link ColumnMoments}: one pass over the nonzeros for the column maxima, then the weighted
     * sums, then the centred squares of the stored values plus the implicit zeros'
     * {@code (W - W_j) mean_j^2}, where {@code W_j} is the weight of the rows that store column
     * {@code j} (ALGORITHM.md §7); overflow-safe as {@link Standardizer#fit(double[], int, int, double[])}.
     */
    @Override
    public Standardizer standardizer(double[] weights) {
        FeatureChecks.exampleWeights(weights, n);
        return ColumnMoments.of(this, weights).standardizer();
    }
}
