package io.github.fastgn.data;

import io.github.fastgn.internal.linalg.Parallel;

/**
 * The features of a linear softmax head as the head evaluates them: an {@code n x d} matrix
 * {@code X} that exposes exactly the products training needs, whatever its storage. Three
 * storages exist: {@link DenseFeatures} (in-heap, double or float), {@link CsrFeatures}
 * (compressed sparse rows, double or float values) and {@link MappedFloatFeatures} (a float
 * matrix in a file, read in row blocks, never copied onto the heap).
 *
 * <p>The parameters {@code Vt = [W | b]} are row-major {@code K x D}, {@code D = d + 1}, with the
 * bias in the last column, as in every FastGN kernel; {@code X~ = [X | 1]} is the augmented
 * matrix. The products:
 * <ul>
 *   <li>{@link #rowProduct}: {@code Z = X~ Vt^T} ({@code n x K}): logits, JVPs, directions in
 *       logit space;</li>
 *   <li>{@link #transposeProduct}: {@code G = C^T X~} ({@code K x D}) for coefficients {@code C}
 *       ({@code n x K}): gradients, VJPs, GGN-vector products;</li>
 *   <li>{@link #gram}: {@code X_B Q X_B^T} for a block {@code B} of rows and optional column
 *       weights {@code Q = diag(q)}: the row-space systems of the row solvers;</li>
 *   <li>{@link #rowSquaredNorms}: {@code ||x_i||_Q^2}: the guard's spread and row scalings;</li>
 *   <li>{@link #standardizer}: weighted column means and scales, for scale-only standardisation
 *       with virtual centring (the centring folded into the bias, ALGORITHM.md §7).</li>
 * </ul>
 * Every product is summed in double in an order fixed by the storage and the shape only, so the
 * results are bit-identical whatever the thread count; storages agree with each other to
 * rounding, and a {@link MappedFloatFeatures} agrees bit for bit with a float
 * {@link DenseFeatures} holding the same values. Arguments are checked (array lengths, row
 * indices, weights) and named in an {@link IllegalArgumentException}; nothing passed in is
 * modified except the {@code out} array.
 *
 * <p>The optimizers train on {@link LabelledData} of any of the three storages
 * ({@link LabelledData#sparse}, {@link LabelledData#mapped}); the head evaluates sparse rows through
 * this interface and never densifies them, and streams a mapped matrix block by block (ALGORITHM.md §7).
 */
public sealed interface FeatureMatrix permits DenseFeatures, CsrFeatures, MappedFloatFeatures {

    /** The number of rows (examples) {@code n}. */
    int rows();

    /** The number of columns (features) {@code d}. */
    int columns();

    /** Whether the values are stored as float (products and sums are still in double). */
    boolean isFloat();

    /** The number of stored values: {@code n d} for dense storages, the nonzeros for CSR. */
    long storedValues();

    /**
     * {@code out[i*K + c] = sum_j x_ij v[c*D + j] + v[c*D + d]} for every row {@code i}.
     *
     * @param v   row-major {@code K x (d+1)}; not modified
     * @param k   the number of classes {@code K >= 1}
     * @param out at least {@code n K} values; the first {@code n K} are overwritten
     * @param par threads to use ({@link Parallel#SERIAL} or {@link Parallel#common()})
     */
    void rowProduct(double[] v, int k, double[] out, Parallel par);

    /**
     * {@code out[c*D + j] = sum_i coef[i*K + c] x_ij} and {@code out[c*D + d] = sum_i coef[i*K + c]}.
     *
     * @param coef row-major {@code n x K}; not modified
     * @param out  at least {@code K (d+1)} values; the first {@code K (d+1)} are overwritten
     */
    void transposeProduct(double[] coef, int k, double[] out, Parallel par);

    /**
     * The Gram matrix of a block of rows, {@code out[a*B + b] = sum_j q_j x_{rows[a] j} x_{rows[b] j}},
     * full symmetric {@code B x B} (exactly symmetric), without the bias.
     *
     * @param rows          the {@code B} row indices, each in {@code [0, n)} (repeats allowed); not modified
     * @param columnWeights {@code d} finite non-negative weights {@code q}, or null for {@code q = 1}
     * @param out           at least {@code B^2} values; the first {@code B^2} are overwritten
     */
    void gram(int[] rows, double[] columnWeights, double[] out, Parallel par);

    /**
     * {@code out[i] = sum_j q_j x_ij^2} for every row.
     *
     * @param columnWeights {@code d} finite non-negative weights {@code q}, or null for {@code q = 1}
     * @param out           at least {@code n} values; the first {@code n} are overwritten
     */
    void rowSquaredNorms(double[] columnWeights, double[] out);

    /**
     * Weighted mean and population standard deviation of every column, implicit zeros included,
     * under the rule of {@link Standardizer#fit(double[], int, int, double[])} (a constant column
     * gets scale 1): the statistics of scale-only standardisation with virtual centring. Sparse
     * rows sum each column scaled by a power of two, as {@code Standardizer.fit} does
     * ({@link ColumnMoments}); dense rows read in blocks (in-heap {@link DenseFeatures}, memory-mapped
     * {@link MappedFloatFeatures}) take plain two-pass sums in double, so double values beyond about
     * {@code 1e154} in magnitude there are refused with a message naming the column (float values
     * cannot overflow them).
     *
     * @param weights {@code n} non-negative finite example weights with a positive sum, or null
     */
    Standardizer standardizer(double[] weights);

    /**
     * The elementwise squares {@code x_ij^2} as a matrix of the same shape and storage kind (float
     * storages round them to float): the squared features of the curvature diagonals and
     * preconditioners. In-heap storages allocate the squares; a {@link MappedFloatFeatures} returns a
     * view that squares what it reads.
     */
    FeatureMatrix squared();

    /**
     * The columns that hold a stored value in some row, in increasing order, when the storage
     * keeps only some columns of each row (sparse rows); null for the dense storages, which store
     * every column. A column outside this list is zero in every row, so it takes no part in any
     * product: the parameter-space solvers solve its coordinates exactly and run CG on the rest
     * only (ALGORITHM.md §7, "Stored columns").
     */
    default int[] storedColumns() {
        return null;
    }

    /**
     * These rows on the listed columns only: column {@code t} of the result is column
     * {@code columns[t]} here. Every stored column must be listed, so no value is dropped and the
     * result's products are this matrix's products restricted to those columns, bit for bit.
     *
     * @param columns strictly increasing column indices in {@code [0, d)} that include every
     *                {@link #storedColumns() stored column} (not modified)
     * @throws UnsupportedOperationException for the dense storages, which store every column
     * @throws IllegalArgumentException      if the list is not strictly increasing within range or
     *                                       leaves out a stored column
     */
    default FeatureMatrix onColumns(int[] columns) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " stores every column; only sparse"
                + " rows can be restricted to their stored columns");
    }
}
