package io.github.fastgn.optim;

import io.github.fastgn.baseline.FirstOrderOptions;
import io.github.fastgn.baseline.Lbfgs;
import io.github.fastgn.data.LabelledData;
import io.github.fastgn.data.Synthetic;
import io.github.fastgn.internal.head.HeadBatch;
import io.github.fastgn.internal.linalg.HeadKernels;
import io.github.fastgn.internal.linalg.Parallel;
import io.github.fastgn.testing.RandomProblem;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link TrainingResult#dataPasses()} against hand counts of the feature reads each algorithm makes
 * (one pass = one read of all {@code n} rows; a read of {@code m} sampled rows counts {@code m / n}).
 */
class DataPassesTest {

    /** Each product reads the batch once; a two-product operator twice; squares are made once per batch. */
    @Test
    void everyProductReadsTheBatchOnce() {
        RandomProblem pr = RandomProblem.random(3, 17, 4, 3, 0.5);
        HeadBatch batch = pr.batch(1e-12, Parallel.SERIAL); // evaluate: 1 read
        int b = pr.b;
        assertEquals(b, batch.rowsRead());
        double[] out = new double[pr.p];
        batch.gradient(pr.wt, 0.1, out);
        assertEquals(2L * b, batch.rowsRead(), "gradient: one transpose product");
        batch.ggnProduct(pr.wt, out);
        assertEquals(3L * b, batch.rowsRead(), "GGN product at 3 classes: the row and transpose products fused, one read");
        double[] rows = new double[b];
        batch.jvp(pr.wt, rows);
        batch.vjp(rows, out);
        assertEquals(5L * b, batch.rowsRead(), "JVP and VJP: one product each");
        batch.curvatureDiagonal(HeadBatch.Diagonal.FULL, out);
        assertEquals(7L * b, batch.rowsRead(), "first diagonal: the features read to square them, then the squares");
        batch.curvatureDiagonal(HeadBatch.Diagonal.FGN, out);
        assertEquals(8L * b, batch.rowsRead(), "second diagonal: the cached squares only");
        batch.setBatch(pr.x, pr.y, null, 5);
        batch.evaluate(pr.wt);
        assertEquals(8L * b + 5, batch.rowsRead(), "a smaller batch counts its own rows");
    }

    /**
     * Full-batch L-BFGS from zero: the start's objective and gradient (1 pass: at zero parameters the
     * logits are 0 without a product), the first iteration's evaluation (1, at zero again), per iteration the step's logit image (1, its line search works on logits) and,
     * when a step is taken, the new gradient (1), and the final objective and gradient (2).
     */
    @Test
    void lbfgsReadsTwicePerTakenStep() {
        LabelledData data = Synthetic.gaussianPrototypes(240, 6, 4, 1.0, 11);
        TrainingResult r = new Lbfgs(FirstOrderOptions.builder().l2(1e-2).maxIterations(25).tolerance(0).build())
                .optimize(data);
        long taken = r.history().stream().filter(IterationRecord::accepted).count();
        assertTrue(taken >= 10, "the run should take steps, took " + taken);
        assertEquals(1 + 1 + r.iterations() + taken + 2, r.dataPasses(), 1e-12);
    }

    /**
     * Sampled curvature (m of n rows), parameter CG on the full GGN with a Jacobi preconditioner
     * (d is too large for the class blocks), from zero: the start's objective and gradient (1 pass: at
     * zero parameters the logits are 0 without a product, so the sample for the first damping and the
     * first iteration's sample are not read for logits; the first damping's sample is read once for its
     * squared norms, m/n: the bias damping's scale, {@link DampingPolicy#biasScale}); per iteration a fresh sample evaluated (m/n; 0 the first), squared for
     * the diagonal (2 m/n: the features read to square them, then the squares), one read per CG
     * application at 3 classes (m/n: its two products are fused; 2 m/n where they cannot be), the step's logit image on all rows (1), and after a taken step the
     * gradient from the moved logits (1; 2 on every tenth taken step, which recomputes the logits);
     * nothing at the end (the last step's moved logits already gave the final objective and gradient).
     */
    @Test
    void sampledCurvatureCountsSampleRowsAsAFraction() {
        int n = 600;
        int m = 150;
        int d = 1600;
        LabelledData raw = Synthetic.gaussianPrototypes(n, d, 3, 4.0, 5);
        double[] x = raw.features();
        for (int t = 0; t < x.length; t++) {
            x[t] /= 4 * Math.sqrt(d); // rows of norm about 1
        }
        LabelledData data = new LabelledData(x, raw.labels(), null, n, d, 3);
        FgnOptions o = FgnOptions.builder().l2(1e-2).standardize(false).solver("ggn-param-cg").curvatureSample(m)
                .initialDamping(1e-2).guard(false).maxIterations(12).tolerance(0).seed(2).build();
        TrainingResult r = new FgnOptimizer(o).optimize(data);
        double expected = 1 + (double) m / n;
        int readsPerProduct = HeadKernels.fuses(d, 3) ? 1 : 2;
        int taken = 0;
        for (IterationRecord it : r.history()) {
            int evaluated = it.iteration() == 1 ? 0 : 1;
            expected += (double) m / n * (evaluated + 2 + readsPerProduct * it.cgIterations()) + 1;
            if (it.accepted()) {
                taken++;
                expected += taken % 10 == 0 ? 2 : 1;
            }
        }
        assertTrue(taken >= 5, "the run should take steps, took " + taken);
        assertEquals(expected, r.dataPasses(), 1e-9);
    }
}
