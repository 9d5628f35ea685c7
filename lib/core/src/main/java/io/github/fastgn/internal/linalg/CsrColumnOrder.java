package io.github.fastgn.internal.linalg;

/**
 * The stored columns of a sparse matrix renumbered by how many values they store, most first: the
 * layout of the {@code d x K} temporaries of the CSR products ({@link CsrRowsDouble},
 * {@link CsrRowsFloat}) when the matrix is large.
 *
 * <p>Why: every stored value of a row reads (row product) or updates (transpose product) the
 * {@code K} doubles of its column in a {@code d x K} temporary, at a column given by the data. On a
 * hashed text set (d = 2^18, K = 20, a 42 MB temporary) the frequent columns are scattered over the
 * whole temporary, so even the few thousand columns that hold most of the values (a Zipf vocabulary:
 * the top 10,000 of 262,144 columns hold 0.72 of the values) touch a cache line and a page each.
 * Renumbered by frequency they are packed at the start of the temporary, which the caches and the
 * TLB then hold: on that set a row product and a transpose product took 0.87 of their CPU time in
 * the natural order (one thread, ten pairs, measured while other builds loaded the 2-core host); in
 * a whole race run beside the natural-order build under the same load, the row products' JFR
 * samples fell by 28% and the transpose products' stayed level (each of its tasks reads every
 * value to find its slots). Unstored columns get no slot, so the temporary also shrinks to the
 * stored columns, and it is shared by both products.
 *
 * <p>Only the temporaries are renumbered: a row's values are still visited in their stored
 * (increasing natural column) order and the rows in order, so every product sums the same terms in
 * the same order as in the natural layout, bit for bit. Built once per matrix ({@link #of}) in
 * O(nnz + d log d) and kept beside it: an {@code int} per stored value and two per column.
 *
 * <p>Internal: public only for FastGN's own packages and modules, not an API.
 */
public final class CsrColumnOrder {

    /**
     * Matrices with fewer columns keep the natural order: a {@code d x K} temporary of fewer than
     * 2^15 columns (2.5 MB at K = 10) mostly stays in a core's cache anyway.
     */
    public static final int MIN_COLUMNS = 1 << 15;
    /**
     * Matrices with fewer stored values than this many times {@code d} keep the natural order: the
     * renumbering (a sort of the columns and a pass over the values) must be paid back by the
     * products, each of which touches the {@code K d} temporary once as a whole besides its values.
     */
    public static final int MIN_VALUES_PER_COLUMN = 4;

    /** {@code index[p]}: the slot of the column of stored value {@code p} (same offsets as the matrix's). */
    private final int[] index;
    /** {@code slot[j]}: column {@code j}'s slot, or -1 when no value is stored in it. */
    private final int[] slot;
    /** The number of stored columns (slots). */
    private final int stored;

    private CsrColumnOrder(int[] index, int[] slot, int stored) {
        this.index = index;
        this.slot = slot;
        this.stored = stored;
    }

    /**
     * Whether a matrix of {@code d} columns and {@code nnz} stored values is worth renumbering
     * ({@link #MIN_COLUMNS}, {@link #MIN_VALUES_PER_COLUMN}).
     */
    public static boolean worthwhile(int d, long nnz) {
        return d >= MIN_COLUMNS && nnz >= (long) MIN_VALUES_PER_COLUMN * d;
    }

    /**
     * The order of the values {@code idx[ptr[0] .. ptr[n])} of a CSR matrix with {@code d} columns:
     * columns by decreasing count, ties by increasing column (deterministic). Arguments are trusted.
     */
    public static CsrColumnOrder of(int[] ptr, int[] idx, int n, int d) {
        int from = ptr[0];
        int to = ptr[n];
        int[] count = new int[d];
        for (int p = from; p < to; p++) {
            count[idx[p]]++;
        }
        int stored = 0;
        for (int j = 0; j < d; j++) {
            if (count[j] > 0) {
                stored++;
            }
        }
        // key: count descending in the high word, column ascending in the low word
        long[] keys = new long[stored];
        for (int j = 0, t = 0; j < d; j++) {
            if (count[j] > 0) {
                keys[t++] = ((long) (Integer.MAX_VALUE - count[j]) << 32) | j;
            }
        }
        java.util.Arrays.sort(keys);
        int[] slot = new int[d];
        java.util.Arrays.fill(slot, -1);
        for (int t = 0; t < stored; t++) {
            slot[(int) keys[t]] = t;
        }
        int[] index = new int[idx.length];
        for (int p = from; p < to; p++) {
            index[p] = slot[idx[p]];
        }
        return new CsrColumnOrder(index, slot, stored);
    }

    /**
     * This order's slots for another matrix over the same columns whose stored columns all have a
     * slot here, e.g. rows gathered from the matrix this order was built for (a curvature sample):
     * its products then share the {@code d x K} temporaries' layout (and size) with this matrix's.
     * O(nnz) of those rows; the slots are shared.
     *
     * @return the order, or null when some stored column of those rows has no slot here
     */
    public CsrColumnOrder forRows(int[] ptr, int[] idx, int n) {
        int[] rowIndex = new int[idx.length];
        for (int p = ptr[0], end = ptr[n]; p < end; p++) {
            int t = slot[idx[p]];
            if (t < 0) {
                return null;
            }
            rowIndex[p] = t;
        }
        return new CsrColumnOrder(rowIndex, slot, stored);
    }

    /** The slot of each stored value's column, at the matrix's own value offsets (shared, do not modify). */
    int[] index() {
        return index;
    }

    /** Each column's slot, or -1 for a column with no stored value (shared, do not modify). */
    int[] slot() {
        return slot;
    }

    /** The number of stored columns (slots). */
    int stored() {
        return stored;
    }
}
