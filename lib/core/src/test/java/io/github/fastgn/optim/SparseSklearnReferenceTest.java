package io.github.fastgn.optim;

import io.github.fastgn.SoftmaxObjective;
import io.github.fastgn.baseline.FirstOrderOptions;
import io.github.fastgn.baseline.Lbfgs;
import io.github.fastgn.data.LabelledData;
import io.github.fastgn.data.Svmlight;
import io.github.fastgn.testing.Check;
import io.github.fastgn.testing.QuietTestBase;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The optimum FastGN reaches on sparse rows read from an svmlight file is scikit-learn's on the same
 * file: {@code text_small.svm} and scikit-learn's optimum {@code text_small.reference.csv}, both
 * written by {@code make_sparse_reference.py} beside them (LogisticRegression, multinomial,
 * {@code C = 1/(n l2)}, tol 1e-14). The file is read into compressed sparse rows and never
 * densified.
 */
class SparseSklearnReferenceTest extends QuietTestBase {

    @Test
    void fgnNewtonAndLbfgsReachScikitLearnsOptimumOnSparseRows() throws IOException, URISyntaxException {
        Path dir = Path.of(SparseSklearnReferenceTest.class.getResource("text_small.svm").toURI()).getParent();
        List<String> ref = Files.readAllLines(dir.resolve("text_small.reference.csv"));
        double l2 = Double.parseDouble(ref.get(0).split(",")[1]);
        double fStar = Double.parseDouble(ref.get(1).split(",")[1]);
        int k = Integer.parseInt(ref.get(2).split(",")[1]);
        int d = Integer.parseInt(ref.get(3).split(",")[1]);
        double[] wStar = new double[k * (d + 1)];
        for (int c = 0; c < k; c++) {
            String[] row = ref.get(4 + c).split(",");
            assertEquals(d + 1, row.length);
            for (int j = 0; j <= d; j++) {
                wStar[c * (d + 1) + j] = Double.parseDouble(row[j]);
            }
        }
        Svmlight.Data file = Svmlight.read(dir.resolve("text_small.svm"), Svmlight.IndexBase.ZERO, d, false);
        assertEquals(k, file.classCount());
        LabelledData data = LabelledData.sparse(file.features(), file.labels(), null, k);
        assertTrue(data.isSparse());
        // the objective is the one scikit-learn minimised: same value at its optimum
        Check.close(fStar, new SoftmaxObjective(data, l2).evaluate(wStar, new double[wStar.length]), 1e-12,
                "FastGN's objective at scikit-learn's optimum");
        FgnOptions fgn = FgnOptions.builder().standardize(false).l2(l2).tolerance(1e-14).build();
        TrainingResult[] runs = {
            new FgnOptimizer(fgn).optimize(data),
            new FgnOptimizer(fgn.toBuilder().solver("newton").build()).optimize(data),
            new Lbfgs(FirstOrderOptions.builder().l2(l2).tolerance(1e-14).maxIterations(5000).build()).optimize(data),
        };
        for (TrainingResult r : runs) {
            Check.close(fStar, r.objective(), 1e-10, r.solver() + ": objective");
            double err = Check.relativeError(Check.centredBiases(wStar, k, d), Check.centredBiases(r.weights(), k, d));
            assertTrue(err <= 1e-6, r.solver() + ": weights differ from scikit-learn's by " + err + " (relative)");
        }
    }
}
