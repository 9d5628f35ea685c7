package io.github.fastgn.spark;

import io.github.fastgn.SoftmaxObjective;
import io.github.fastgn.data.LabelledData;
import io.github.fastgn.data.Standardizer;
import io.github.fastgn.testing.QuietTestBase;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fused line pass of {@link SparkRows}: the loss and gradient it keeps for length 1 are those of a
 * separate gradient pass at the point the optimizer reaches (bit for bit: both come from the logits of
 * that point), and of the core's objective on the same rows; a step accepted at length 1 costs one Spark job (the line pass), one accepted at another length
 * a second one (a gradient pass), except at length 1/2 after a step shorter than 1 (the line pass then
 * keeps length 1/2 as well).
 */
class SparkRowsTest extends QuietTestBase {

    private static final double GAMMA = 1e-2;

    /** The weighted rows of {@code set} as a fit reads them, in {@code partitions} partitions. */
    private static SparkRows rows(LabelledData data, int partitions, boolean standardize, int sampleSize) {
        JavaRDD<Row> frame = SparkTests.frame(data, false, partitions)
                .select(col("label"), col("features"), col("weight")).toJavaRDD();
        JavaRDD<Block> blocks = frame.mapPartitionsWithIndex((p, it) -> List.of(Block.read(p, it, true)).iterator(),
                true).persist(StorageLevel.MEMORY_ONLY());
        FGNClassifier.Checked c = FGNClassifier.check(blocks.map(b -> b.stats).collect(), -1, standardize);
        SparkRows rows = new SparkRows(blocks, c.n(), c.d(), c.k(), c.stored(), false, c.weight(), c.offsets(),
                c.standardizer(), 2, 7L);
        rows.begin(sampleSize, false, 1e-8, GAMMA);
        return rows;
    }

    private static LabelledData weighted(String set) throws IOException {
        LabelledData plain = SparkTests.sklearn(set);
        SplittableRandom r = new SplittableRandom(3);
        double[] w = new double[plain.size()];
        for (int i = 0; i < w.length; i++) {
            w[i] = 0.25 + 2 * r.nextDouble();
        }
        return new LabelledData(plain.features(), plain.labels(), w, plain.size(), plain.featureCount(),
                plain.classCount());
    }

    private static double[] random(int p, long seed, double size) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] a = new double[p];
        for (int t = 0; t < p; t++) {
            a[t] = size * (2 * r.nextDouble() - 1);
        }
        return a;
    }

    private static double[] along(double[] w, double alpha, double[] s) {
        double[] out = w.clone();
        for (int t = 0; t < out.length; t++) {
            out[t] += alpha * s[t]; // as the optimizer takes a step
        }
        return out;
    }

    private static void closeTo(double[] expected, double[] actual, double tol, String what) {
        double err = 0;
        double norm = 0;
        for (int t = 0; t < expected.length; t++) {
            err = Math.max(err, Math.abs(expected[t] - actual[t]));
            norm = Math.max(norm, Math.abs(expected[t]));
        }
        assertTrue(norm > 0 && err <= tol * norm, what + ": max difference " + err + " against max " + norm);
    }

    /**
     * A step accepted at length 1/2 along {@code s} from {@code w} (the search tried 1 first): after it
     * {@code rows} has run {@code passes} jobs, and its objective and gradient there are a separate
     * gradient pass's to {@code tol} relative. Returns the new point.
     */
    private static double[] halfStep(SparkRows rows, SparkRows reference, double[] w, double[] s, long passes,
                                     double tol, String what) {
        int p = w.length;
        rows.direction(s);
        rows.dataLossAlong(1.0);
        rows.dataLossAlong(0.5);
        double[] next = along(w, 0.5, s);
        double[] g = new double[p];
        double f = rows.move(0.5, next, g);
        assertEquals(passes, rows.passes(), what + ": jobs");
        double[] gRef = new double[p];
        double fRef = reference.evaluate(next, gRef);
        assertEquals(fRef, f, tol * Math.abs(fRef), what + ": objective");
        if (tol == 0) {
            assertArrayEquals(gRef, g, 0.0, what + ": gradient");
        } else {
            closeTo(gRef, g, tol, what + ": gradient");
        }
        return next;
    }

    @Test
    void theFusedGradientIsAGradientPassesAndAStepAtLengthOneCostsOneJob() throws IOException {
        for (String set : List.of("iris", "breast_cancer")) {
            LabelledData data = weighted(set);
            int p = data.classCount() * (data.featureCount() + 1);
            for (boolean standardize : new boolean[] {false, true}) {
                SparkRows rows = rows(data, 3, standardize, 64);
                SparkRows reference = rows(data, 3, standardize, 64);
                double[] w0 = random(p, 11, 0.05);
                double[] g0 = new double[p];
                rows.evaluate(w0, g0);
                assertEquals(1, rows.passes());
                double[] s = random(p, 12, 0.3);

                // a step accepted at length 1: the line pass is its only job
                rows.direction(s);
                double trial = rows.dataLossAlong(1.0);
                double[] w1 = along(w0, 1.0, s);
                double[] g1 = new double[p];
                double f1 = rows.move(1.0, w1, g1);
                assertEquals(2, rows.passes(), set + ": the step at length 1 took another job");
                double[] gRef = new double[p];
                double fRef = reference.evaluate(w1, gRef);
                assertEquals(fRef, f1, 0.0, set + ": objective at w + s");
                assertArrayEquals(gRef, g1, 0.0, set + " standardize=" + standardize + ": fused against a gradient pass");
                assertEquals(fRef - 0.5 * GAMMA * io.github.fastgn.internal.head.HeadBatch.weightNormSquared(w1, w1,
                        data.featureCount(), data.classCount()), trial, 1e-13 * Math.abs(fRef), "search's trial");
                // and the core's objective on the same rows: raw features, or centred and scaled ones (the
                // Spark rows centre them virtually, from raw rows)
                LabelledData seen = data;
                if (standardize) {
                    Standardizer st = Standardizer.fit(data.features(), data.size(), data.featureCount(),
                            data.weights());
                    seen = new LabelledData(st.transform(data.features(), data.size()), data.labels(),
                            data.weights(), data.size(), data.featureCount(), data.classCount());
                }
                double[] gCore = new double[p];
                double fCore = new SoftmaxObjective(seen, GAMMA).evaluate(w1, gCore);
                assertEquals(fCore, f1, 1e-12 * Math.abs(fCore), set + ": against the core's objective");
                closeTo(gCore, g1, 1e-10, set + " standardize=" + standardize + ": against the core's gradient");
                // the optimizer's refresh at that point needs no job either
                assertEquals(f1, rows.evaluate(w1, new double[p]));
                assertEquals(2, rows.passes());

                // a step accepted at length 1/2: the line pass and a gradient pass (the same pass, bit for bit)
                double[] w2 = halfStep(rows, reference, w1, random(p, 13, 0.3), 4, 0.0, set + ": a first step at 1/2");
                // after a step at 1/2 the line pass also keeps length 1/2: a step accepted there is one job
                halfStep(rows, reference, w2, random(p, 14, 0.3), 5, 1e-12, set + " standardize=" + standardize
                        + ": a second step at 1/2, fused");
            }
        }
    }
    /**
     * The executors keep each pass's logits (at the point and at length 1): a step accepted at length 1
     * computes one logit product a chunk instead of two, and a search pass after it none. A fit whose
     * kept logits are dropped before every pass (as memory pressure may drop them), and one whose
     * partitions may keep none (only a chunk's scratch), compute two a chunk per pass and give the same
     * bits.
     */
    @Test
    void keptLogitsSaveProductsAndChangeNoBit() throws IOException {
        LabelledData data = weighted("breast_cancer");
        long chunks = 3; // breast cancer's 569 rows: one chunk in each of three partitions
        List<Double> kept = new ArrayList<>();
        List<Long> keptProducts = steps(rows(data, 3, true, 64), false, data, kept);
        assertEquals(List.of(chunks, chunks, 0L, chunks, 0L, chunks, 0L), keptProducts,
                "logit products: the first gradient, then each step's line and search passes");
        List<Double> dropped = new ArrayList<>();
        assertEquals(List.of(chunks, 2 * chunks, 2 * chunks, 2 * chunks, 2 * chunks, 2 * chunks, 2 * chunks),
                steps(rows(data, 3, true, 64), true, data, dropped), "logits dropped before every pass");
        assertEquals(kept, dropped, "the same bits with the logits dropped");
        List<Double> scratch = new ArrayList<>();
        Block.keptLogitsBudget = 0;
        try {
            assertEquals(List.of(chunks, 2 * chunks, 2 * chunks, 2 * chunks, 2 * chunks, 2 * chunks, 2 * chunks),
                    steps(rows(data, 3, true, 64), false, data, scratch), "no budget to keep logits");
        } finally {
            Block.keptLogitsBudget = -1;
        }
        assertEquals(kept, scratch, "the same bits with scratch logits only");
    }

    /**
     * A gradient pass, then three steps accepted at length 1, each with a search pass past the line pass's
     * lengths, the kept logits dropped before every pass when {@code drop}; every value the passes give into
     * {@code values}. Returns the logit products of each pass.
     */
    private static List<Long> steps(SparkRows rows, boolean drop, LabelledData data, List<Double> values) {
        int p = data.classCount() * (data.featureCount() + 1);
        List<Long> products = new ArrayList<>();
        double[] w = random(p, 31, 0.05);
        double[] g = new double[p];
        values.add(forget(rows, drop).evaluate(w, g));
        Arrays.stream(g).forEach(values::add);
        products.add(rows.logitProducts());
        for (int step = 0; step < 3; step++) {
            double[] s = random(p, 40 + step, 0.3);
            long before = rows.logitProducts();
            values.add(forget(rows, drop).direction(s));
            products.add(rows.logitProducts() - before);
            values.add(rows.curvatureAlong(true));
            values.add(rows.curvatureAlong(false));
            before = rows.logitProducts();
            values.add(forget(rows, drop).dataLossAlong(1.0 / 1024)); // past the line pass's lengths: a search pass
            products.add(rows.logitProducts() - before);
            w = along(w, 1.0, s);
            values.add(rows.move(1.0, w, g)); // kept from the line pass: no job
            Arrays.stream(g).forEach(values::add);
        }
        return products;
    }

    /** {@code rows}, with every executor's kept logits dropped when {@code drop}. */
    private static SparkRows forget(SparkRows rows, boolean drop) {
        if (drop) {
            rows.blocks().foreach(Block::forgetLogits);
        }
        return rows;
    }

    /**
     * A partition whose every value is a float keeps its dense rows as float (exactly: nothing is
     * rounded), and the passes give the core's objective and gradient on the same values; a partition
     * with a value that is not a float keeps double.
     */
    @Test
    void floatValuedRowsAreKeptAsFloatWithTheCoresObjective() throws IOException {
        LabelledData plain = SparkTests.sklearn("breast_cancer");
        int n = plain.size();
        int d = plain.featureCount();
        int k = plain.classCount();
        double[] x = plain.features().clone();
        for (int t = 0; t < x.length; t++) {
            x[t] = (float) x[t];
        }
        LabelledData data = new LabelledData(x, plain.labels(), null, n, d, k);
        for (LabelledData set : List.of(data, plain)) {
            boolean floats = set == data;
            JavaRDD<Block> blocks = SparkTests.frame(set, false, 2).select(col("label"), col("features")).toJavaRDD()
                    .mapPartitionsWithIndex((p, it) -> List.of(Block.read(p, it, false)).iterator(), true);
            for (Block b : blocks.collect()) {
                assertEquals(floats, b.chunks[0].single != null, "float storage of partition " + b.partition);
                assertEquals(!floats, b.chunks[0].dense != null, "double storage of partition " + b.partition);
            }
        }
        int p = k * (d + 1);
        SparkRows rows = rows(data, 2, false, 64);
        double[] w = random(p, 21, 0.01);
        double[] g = new double[p];
        double f = rows.evaluate(w, g);
        double[] gCore = new double[p];
        double fCore = new SoftmaxObjective(data, GAMMA).evaluate(w, gCore);
        assertEquals(fCore, f, 1e-12 * Math.abs(fCore), "objective of float rows against the core's");
        closeTo(gCore, g, 1e-10, "gradient of float rows against the core's");
    }
}
