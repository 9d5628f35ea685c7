package io.github.fastgn.internal.head;

import io.github.fastgn.data.CsrFeatures;
import io.github.fastgn.data.LabelledData;
import io.github.fastgn.internal.linalg.Parallel;
import io.github.fastgn.testing.Check;
import io.github.fastgn.testing.QuietTestBase;
import io.github.fastgn.testing.SparseProblem;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The head on sparse rows computes what it computes on the same values as dense rows: every product
 * and reader of {@link HeadBatch}, the block views of {@link FullData} and {@link ChunkedObjective},
 * the curvature samples and the mini-batches of {@link BatchStream}. The dense path is the reference
 * (its own tests check it against brute force); agreement is to rounding of double sums.
 */
class SparseHeadTest extends QuietTestBase {

    private static final double TOL = 1e-12;

    private static double[] gaussian(Random rnd, int count) {
        double[] a = new double[count];
        for (int t = 0; t < count; t++) {
            a[t] = rnd.nextGaussian();
        }
        return a;
    }

    @Test
    void everyBatchProductAgreesWithTheDenseBatch() {
        for (boolean asFloat : new boolean[] {false, true}) {
            for (boolean weighted : new boolean[] {false, true}) {
                SparseProblem pr = SparseProblem.random(11 + (asFloat ? 1 : 0), 70, 23, 4, 0.2, asFloat, weighted);
                LabelledData dense = pr.dense();
                int n = dense.size();
                int d = dense.featureCount();
                int k = dense.classCount();
                int p = k * (d + 1);
                String what = (asFloat ? "float" : "double") + (weighted ? ", weighted" : "");
                HeadBatch a = new HeadBatch(n, d, k, 1e-12, Parallel.SERIAL);
                HeadBatch b = new HeadBatch(n, d, k, 1e-12, Parallel.SERIAL);
                a.setBatch(dense.features(), dense.labels(), dense.weights(), n);
                b.setBatch(pr.sparse().sparseFeatures(), dense.labels(), dense.weights(), Double.NaN);
                assertTrue(a.hasFeatureRows() && !b.hasFeatureRows());
                Random rnd = new Random(3);
                double[] wt = gaussian(rnd, p);
                double[] v = gaussian(rnd, p);
                double[] c = gaussian(rnd, n);
                a.evaluate(wt);
                b.evaluate(wt);
                Check.close(slice(a.logits(), n * k), slice(b.logits(), n * k), TOL, what + ": logits");
                Check.close(a.objective(wt, 0.1), b.objective(wt, 0.1), TOL, what + ": objective");
                double[][][] outs = new double[2][][];
                for (int s = 0; s < 2; s++) {
                    HeadBatch h = s == 0 ? a : b;
                    double[] grad = new double[p];
                    double[] jvp = new double[n];
                    double[] vjp = new double[p];
                    double[] ggn = new double[p];
                    double[] diag = new double[3 * p];
                    double[] sq = new double[n * k];
                    double[] gram = new double[n * n];
                    double[] gramQ = new double[n * n];
                    double[] norms = new double[n];
                    h.gradient(wt, 0.1, grad);
                    h.jvp(v, jvp);
                    h.vjp(c, vjp);
                    h.ggnProduct(v, ggn);
                    for (HeadBatch.Diagonal which : HeadBatch.Diagonal.values()) {
                        double[] part = new double[p];
                        h.curvatureDiagonal(which, part);
                        System.arraycopy(part, 0, diag, which.ordinal() * p, p);
                    }
                    h.squaredRowProduct(v, sq);
                    h.featureGram(null, gram);
                    double[] q = new double[d];
                    for (int j = 0; j < d; j++) {
                        q[j] = 0.5 + j % 3;
                    }
                    h.featureGram(q, gramQ);
                    h.augmentedSquaredNorms(norms);
                    double spread = h.maxSpreadOf(v);
                    outs[s] = new double[][] {grad, jvp, vjp, ggn, diag, sq, gram, gramQ, norms, {spread}};
                }
                String[] names = {"gradient", "JVP", "VJP", "GGN product", "curvature diagonals",
                    "squared-feature product", "Gram", "weighted Gram", "augmented row norms", "spread"};
                for (int t = 0; t < names.length; t++) {
                    Check.close(outs[0][t], outs[1][t], TOL, what + ": " + names[t]);
                }
                assertThrows(IllegalStateException.class, b::featureRows, "sparse rows are never densified");
                assertThrows(IllegalStateException.class, b::squaredFeatures);
            }
        }
    }

    @Test
    void fullDataAndChunksOverViewsAgreeWithTheDenseCopies() {
        // more rows than a block, so the views and the block sums are exercised
        fullDataAgrees(SparseProblem.random(5, FullData.BLOCK_ROWS + 900, 30, 3, 0.1, false, true));
    }

    /**
     * Very sparse rows get larger blocks than dense ones (at least 32 d stored values each): here two sparse
     * blocks (over 4096 rows, then the rest) against three dense blocks, and every full-data result still agrees.
     */
    @Test
    void largerSparseBlocksAgreeWithTheDenseBlocks() {
        SparseProblem pr = SparseProblem.random(8, 9000, 2000, 2, 0.005, false, true);
        long stored = pr.sparse().sparseFeatures().storedValues();
        int rows = FullData.sparseBlockRows(9000, 2000, stored);
        assertTrue(rows > FullData.BLOCK_ROWS && rows < 9000, rows + " rows per sparse block (" + stored + " values)");
        assertEquals((int) Math.ceil(64000.0 / (stored / 9000.0)), rows);
        assertEquals(FullData.BLOCK_ROWS, FullData.sparseBlockRows(9000, 30, 9000L * 10), "dense-ish rows keep 4096");
        assertEquals(500, FullData.sparseBlockRows(500, 1000, 500), "never more rows than the data");
        fullDataAgrees(pr);
    }

    private static void fullDataAgrees(SparseProblem pr) {
        LabelledData dense = pr.dense();
        CsrFeatures xs = pr.sparse().sparseFeatures();
        int n = dense.size();
        int d = dense.featureCount();
        int k = dense.classCount();
        int p = k * (d + 1);
        Random rnd = new Random(9);
        double[] wt = gaussian(rnd, p);
        double[] step = gaussian(rnd, p);
        FullData a = new FullData(dense.features(), dense.labels(), dense.weights(), n, d, k, Parallel.SERIAL);
        FullData b = new FullData(xs, dense.labels(), dense.weights(), k, Parallel.SERIAL);
        double[] ga = new double[p];
        double[] gb = new double[p];
        Check.close(a.evaluate(wt, 0.05, ga), b.evaluate(wt, 0.05, gb), TOL, "full-data objective");
        Check.close(ga, gb, TOL, "full-data gradient");
        Check.close(a.direction(step), b.direction(step), TOL, "spread along a step");
        Check.close(a.curvatureAlong(true), b.curvatureAlong(true), TOL, "FGN curvature along the step");
        Check.close(a.curvatureAlong(false), b.curvatureAlong(false), TOL, "GGN curvature along the step");
        Check.close(a.dataLossAlong(0.3), b.dataLossAlong(0.3), TOL, "loss along the step");

        int[] index = {n - 1, 3, FullData.BLOCK_ROWS, 17, 3, n - 1000, n - 1001};
        HeadBatch sa = new HeadBatch(index.length, d, k, 1e-12, Parallel.SERIAL);
        HeadBatch sb = new HeadBatch(index.length, d, k, 1e-12, Parallel.SERIAL);
        a.pointAtRows(sa, index, index.length, a.newRows(index.length), new int[index.length], new double[index.length]);
        b.pointAtRows(sb, index, index.length, b.newRows(index.length), new int[index.length], new double[index.length]);
        sa.evaluate(wt);
        sb.evaluate(wt);
        sa.gradient(wt, 0.0, ga);
        sb.gradient(wt, 0.0, gb);
        Check.close(ga, gb, TOL, "gradient on a gathered sample");

        ChunkedObjective ca = new ChunkedObjective(dense.features(), dense.labels(), dense.weights(), n, d, k, 0.05,
                Parallel.SERIAL);
        ChunkedObjective cb = new ChunkedObjective(xs, dense.labels(), dense.weights(), k, 0.05, Parallel.SERIAL);
        Check.close(ca.evaluate(wt, ga), cb.evaluate(wt, gb), TOL, "chunked objective");
        Check.close(ga, gb, TOL, "chunked gradient");
        Check.close(ca.maxSpread(step), cb.maxSpread(step), TOL, "chunked spread");
    }

    @Test
    void miniBatchesGatherTheSameRowsAsTheDenseStream() {
        SparseProblem pr = SparseProblem.random(8, 203, 19, 3, 0.25, true, true);
        LabelledData dense = pr.dense();
        int n = dense.size();
        int d = dense.featureCount();
        int k = dense.classCount();
        BatchStream a = new BatchStream(dense.features(), dense.labels(), dense.weights(), n, d, 50, 42);
        BatchStream b = new BatchStream(pr.sparse().sparseFeatures(), dense.labels(), dense.weights(), 50, 42);
        HeadBatch ha = new HeadBatch(a.capacity(), d, k, 1e-12, Parallel.SERIAL);
        HeadBatch hb = new HeadBatch(b.capacity(), d, k, 1e-12, Parallel.SERIAL);
        double[] wt = gaussian(new Random(1), k * (d + 1));
        double[] ga = new double[wt.length];
        double[] gb = new double[wt.length];
        for (int t = 0; t < 2 * a.batchesPerEpoch() + 1; t++) {
            assertEquals(a.next(ha), b.next(hb));
            assertEquals(ha.rows(), hb.rows());
            ha.evaluate(wt);
            hb.evaluate(wt);
            ha.gradient(wt, 0.0, ga);
            hb.gradient(wt, 0.0, gb);
            Check.close(ga, gb, TOL, "batch " + t + " gradient");
            assertEquals(a.epochs(), b.epochs());
        }
    }

    private static double[] slice(double[] a, int length) {
        return java.util.Arrays.copyOf(a, length);
    }
}
