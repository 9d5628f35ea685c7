package io.github.fastgn;

import io.github.fastgn.optim.FgnOptions;
import io.github.fastgn.testing.Check;
import io.github.fastgn.testing.QuietTestBase;
import io.github.fastgn.testing.SparseProblem;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code standardize} on sparse rows (scale only, the centring absorbed by the unpenalised bias)
 * is the same objective as full standardisation of the same values held dense: both give one
 * model on raw features, and its objective on the standardised problem is the same.
 */
class SparseStandardizeTest extends QuietTestBase {

    @Test
    void standardisedSparseTrainingGivesTheDenseStandardisedModel() {
        for (boolean weighted : new boolean[] {false, true}) {
            SparseProblem pr = SparseProblem.random(31, 300, 40, 3, 0.12, false, weighted);
            int d = pr.dense().featureCount();
            int k = pr.dense().classCount();
            FgnOptions o = FgnOptions.builder().l2(1e-2).tolerance(1e-10).build();
            assertTrue(o.standardize());
            SoftmaxHeadTrainer.Fit dense = new SoftmaxHeadTrainer(o).fit(pr.dense());
            SoftmaxHeadTrainer.Fit sparse = new SoftmaxHeadTrainer(o).fit(pr.sparse());
            String what = weighted ? "weighted" : "unweighted";
            // the penalty is on the standardised weights: the same objective value at both optima
            Check.close(dense.training().objective(), sparse.training().objective(), 1e-10, what + ": objective");
            double err = Check.relativeError(Check.centredBiases(dense.model().weights(), k, d),
                    Check.centredBiases(sparse.model().weights(), k, d));
            assertTrue(err < 1e-5, what + ": raw models differ by " + err);
            assertArrayEquals(dense.standardizer().scale(), sparse.standardizer().scale(), 1e-12 * 10,
                    what + ": the same scales");
            // the models take raw features: the same predictions on the raw rows
            double[] x = pr.dense().features();
            int n = pr.dense().size();
            Check.close(dense.model().accuracy(x, pr.dense().labels(), n), sparse.model().accuracy(x,
                    pr.dense().labels(), n), 0.0, what + ": accuracy on raw rows");
        }
    }

    @Test
    void featureStorageConvertsEitherWayWithoutChangingTheModel() {
        SparseProblem pr = SparseProblem.random(32, 200, 30, 3, 0.15, false, true);
        assertArrayEquals(pr.dense().features(), pr.sparse().toDense().features(), 0.0, "CSR scattered back");
        assertArrayEquals(pr.sparse().sparseFeatures().values(), pr.dense().toSparse().sparseFeatures().values(),
                0.0, "the nonzeros gathered");
        FgnOptions o = FgnOptions.builder().l2(1e-2).tolerance(1e-10).build();
        double[] given = new SoftmaxHeadTrainer(o).fit(pr.dense()).model().weights();
        for (String storage : new String[] {FgnOptions.STORAGE_SPARSE, FgnOptions.STORAGE_DENSE}) {
            for (var data : new io.github.fastgn.data.LabelledData[] {pr.dense(), pr.sparse()}) {
                double[] w = new SoftmaxHeadTrainer(o.toBuilder().featureStorage(storage).build()).fit(data).model()
                        .weights();
                double err = Check.relativeError(Check.centredBiases(given, 3, 30), Check.centredBiases(w, 3, 30));
                assertTrue(err < 1e-5, storage + " from " + (data.isSparse() ? "sparse" : "dense") + ": " + err);
            }
        }
    }
}
