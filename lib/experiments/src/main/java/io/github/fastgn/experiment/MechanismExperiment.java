package io.github.fastgn.experiment;

import io.github.fastgn.baseline.FirstOrderOptimizer;
import io.github.fastgn.baseline.FirstOrderOptions;
import io.github.fastgn.baseline.UpdateRule;
import io.github.fastgn.internal.head.HeadBatch;
import io.github.fastgn.data.Standardizer;
import io.github.fastgn.data.Digits;
import io.github.fastgn.data.LabelledData;
import io.github.fastgn.data.Synthetic;
import io.github.fastgn.internal.linalg.Parallel;
import io.github.fastgn.optim.FgnOptimizer;
import io.github.fastgn.optim.FgnOptions;
import io.github.fastgn.optim.TrainingResult;
import io.github.fastgn.plot.Charts;
import io.github.fastgn.internal.solver.Damping;
import io.github.fastgn.internal.solver.FgnRowCgSolver;
import io.github.fastgn.internal.solver.FgnRowCholeskySolver;
import io.github.fastgn.internal.solver.ParamCholeskySolver;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.RealMatrix;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * (a) The mechanism (EXPERIMENTS.md (a)): how the FGN step relates to the full-GGN step. a1 sweeps
 * competitor concentration {@code tau}, damping, {@code p_y} and {@code K} on logit-controlled
 * data; a2 checks binary exactness; a3 follows a training path on digits; a4 shows the
 * generalised spectrum of {@code (G_full, G_FGN + lambda I)}. Also checks the exact split and the
 * unchanged loss and gradient on the same batches.
 */
public final class MechanismExperiment implements Experiment {

    private static final double[] TAUS = {0, 0.5, 1, 2, 4, 8};

    @Override
    public String id() {
        return "a-mechanism";
    }

    @Override
    public String title() {
        return "(a) Mechanism: the FGN step against the full-GGN step";
    }

    private static int[] classes(Preset p) {
        return p.pick(new int[] {3}, new int[] {3, 10}, new int[] {3, 10, 30, 100});
    }

    private static double[] trueProbabilities(Preset p) {
        return p.pick(new double[] {0.5}, new double[] {0.5}, new double[] {0.1, 0.5, 0.9});
    }

    private static double[] taus(Preset p) {
        return p == Preset.TINY ? new double[] {0, 8} : TAUS;
    }

    private static double[] lambdas(Preset p) {
        return p == Preset.TINY ? new double[] {1e-2, 10} : new double[] {1e-4, 1e-3, 1e-2, 1e-1, 1, 10};
    }

    private static int seeds(Preset p) {
        return p.pick(1, 2, 4);
    }

    @Override
    public int workUnits(Preset p) {
        return classes(p).length * trueProbabilities(p).length * taus(p).length + 3;
    }

    @Override
    public void run(Preset preset, ExperimentContext ctx) throws IOException {
        int b = preset.pick(12, 48, 48);
        int dd = preset.pick(16, 64, 64);
        double[] lambdas = lambdas(preset);
        double[] taus = taus(preset);
        ResultTable grid = new ResultTable("K", "p_y", "tau", "lambda_rel", "seed", "mean_q2", "competitor_entropy",
                "curvature_gap", "cosine", "norm_ratio", "predicted_decrease_ratio", "cosine_fgn_d");
        double worstSplit = 0;
        double worstDropped = Double.POSITIVE_INFINITY;
        double worstGradient = 0;
        double minPredictedRatio = Double.POSITIVE_INFINITY;
        boolean concentrationHelps = true;
        boolean dampingHelps = true;
        List<String> evidence5 = new ArrayList<>();
        double[][] heat = null;
        double[] heatQ = null;
        for (int k : classes(preset)) {
            for (double py : trueProbabilities(preset)) {
                double[][] cos = new double[taus.length][lambdas.length];
                double[] q2 = new double[taus.length];
                for (int ti = 0; ti < taus.length; ti++) {
                    for (int seed = 0; seed < seeds(preset); seed++) {
                        Synthetic.Mechanism m = Synthetic.mechanismLogits(b, k, dd, taus[ti], py, 1000L * k + seed);
                        HeadBatch batch = batchAt(m.x(), m.y(), m.n(), m.d(), m.k(), m.wt());
                        if (k <= 10) {
                            double[] split = splitError(batch);
                            worstSplit = Math.max(worstSplit, split[0]);
                            worstDropped = Math.min(worstDropped, split[1]);
                        }
                        worstGradient = Math.max(worstGradient, gradientError(batch));
                        MechanismProbe probe = new MechanismProbe(batch);
                        q2[ti] += probe.meanCompetitorConcentration() / seeds(preset);
                        for (int li = 0; li < lambdas.length; li++) {
                            MechanismProbe.Comparison c = probe.compare(lambdas[li]);
                            cos[ti][li] += c.cosine() / seeds(preset);
                            minPredictedRatio = Math.min(minPredictedRatio, c.predictedRatio());
                            grid.add(k, py, taus[ti], lambdas[li], seed, probe.meanCompetitorConcentration(),
                                    probe.meanCompetitorEntropy(), probe.curvatureGap(), c.cosine(), c.normRatio(),
                                    c.predictedRatio(), c.cosineFgnD());
                        }
                    }
                    ctx.progress(String.format(Locale.ROOT, "a1 K=%d p_y=%.1f tau=%.1f", k, py, taus[ti]));
                }
                int mid = indexOf(lambdas, 1e-2);
                int last = lambdas.length - 1;
                boolean conc = cos[taus.length - 1][mid] > cos[0][mid];
                double minLarge = Double.POSITIVE_INFINITY;
                for (double[] row : cos) {
                    minLarge = Math.min(minLarge, row[last]);
                }
                concentrationHelps &= conc;
                dampingHelps &= minLarge > 0.99;
                evidence5.add(String.format(Locale.ROOT, "K=%d p_y=%.1f: cos %.3f (tau=0) -> %.3f (tau=%.0f) at "
                                + "lambda_rel=1e-2, min cos %.4f at lambda_rel=%.0f", k, py, cos[0][mid],
                        cos[taus.length - 1][mid], taus[taus.length - 1], minLarge, lambdas[last]));
                if (heat == null || (k == 10 && py == 0.5)) {
                    heat = cos;
                    heatQ = q2;
                }
            }
        }
        ctx.table("a1-grid", grid);
        double[][] byLambda = new double[lambdas.length][taus.length];
        for (int ti = 0; ti < taus.length; ti++) {
            for (int li = 0; li < lambdas.length; li++) {
                byLambda[li][ti] = heat[ti][li];
            }
        }
        String heatFig = ctx.figure("a1-cosine-heatmap", PaperCharts.cosineHeatmap(taus, lambdas, byLambda));
        String lineFig = ctx.figure("a1-cosine-vs-concentration", PaperCharts.cosineLines(heatQ, lambdas, byLambda));
        ctx.claim("FGN-1", "The softmax Hessian in logit space splits exactly into the kept true-vs-rest term and a PSD "
                + "within-competitor covariance.", worstSplit <= 1e-12 && worstDropped >= -1e-12, String.format(
                Locale.ROOT, "max |H - kept - dropped| = %.1e, min eigenvalue of the dropped term = %.1e over all "
                        + "examples of the a1 batches with K <= 10", worstSplit, worstDropped), "");
        ctx.claim("FGN-3", "Loss and gradient are unchanged: A^T r is the exact data gradient.",
                worstGradient <= 1e-12, String.format(Locale.ROOT,
                        "max ||A^T r - grad|| / ||grad|| = %.1e over the a1 batches", worstGradient), "");
        ctx.claim("FGN-5", "FGN stays closest to the full GGN when competitor mass is concentrated or damping is large.",
                concentrationHelps && dampingHelps, String.join("; ", evidence5), heatFig);
        ctx.note("Mean over seeds of cos(s_FGN, s_GGN); lambda = lambda_rel * ||G_full||_2, no L2. "
                + "FGN-D (the dropped term's diagonal added to the damping) is in column cosine_fgn_d of "
                + "the a1 table. Figure " + lineFig + " plots the same cosines against the mean ||q||^2.");

        binary(preset, ctx, b, dd);
        double minEig = spectrum(preset, ctx, b, dd);
        trajectory(preset, ctx);
        rowSolvers(ctx, b, dd);
        ctx.claim("FGN-2", "FGN is a PSD under-approximation of the full GGN (exact for K = 2).",
                minEig >= -1e-10 && minPredictedRatio >= 1 - 1e-9, String.format(Locale.ROOT,
                        "min eigenvalue of G_full - G_FGN = %.1e (relative to ||G_full||), min of "
                                + "g^T(G_FGN+lambda)^-1 g / g^T(G_full+lambda)^-1 g = %.6f over the a1 grid (>= 1 "
                                + "means FGN predicts more decrease); K = 2 exactness: claim FGN-2b", minEig,
                        minPredictedRatio), "");
    }

    private static HeadBatch batchAt(double[] x, int[] y, int n, int d, int k, double[] wt) {
        HeadBatch batch = new HeadBatch(n, d, k, 1e-300, Parallel.SERIAL);
        batch.setBatch(x, y, null, n);
        batch.evaluate(wt);
        return batch;
    }

    /**
     * The mechanism batch of EXPERIMENTS.md (a1) as a head evaluated at its exact parameters: the logits of
     * the batch are exactly {@code m.z()}.
     *
     * @param m logit-controlled data from {@link Synthetic#mechanismLogits}
     * @return a {@link HeadBatch} over {@code m}'s rows, evaluated at {@code m.wt()}
     */
    public static HeadBatch batchAt(Synthetic.Mechanism m) {
        return batchAt(m.x(), m.y(), m.n(), m.d(), m.k(), m.wt());
    }

    /**
     * The exact curvature split of ALGORITHM.md §1 for one example, in logit space ({@code K x K}):
     * {@code hessian = diag(p) - p p^T = kept + dropped}, with the kept true-vs-rest term
     * {@code p_y (1 - p_y) u u^T} and the dropped within-competitor covariance
     * {@code (1 - p_y)(diag(q) - q q^T)}.
     *
     * @param hessian                 {@code diag(p) - p p^T}, the softmax cross-entropy Hessian in the logits
     * @param kept                    the term FGN keeps
     * @param dropped                 the term FGN drops
     * @param trueProbability         {@code p_y}
     * @param competitorConcentration {@code ||q||^2}
     */
    public record ExampleSplit(double[][] hessian, double[][] kept, double[][] dropped, double trueProbability,
                               double competitorConcentration) {

        /** {@code max |hessian - kept - dropped|} over the entries: zero up to rounding. */
        public double maxAbsError() {
            double worst = 0;
            for (int a = 0; a < hessian.length; a++) {
                for (int c = 0; c < hessian.length; c++) {
                    worst = Math.max(worst, Math.abs(hessian[a][c] - kept[a][c] - dropped[a][c]));
                }
            }
            return worst;
        }

        /** The smallest eigenvalue of the dropped term: zero or above up to rounding (it is PSD). */
        public double droppedMinEigenvalue() {
            return DenseCurvature.minEigenvalue(new Array2DRowRealMatrix(dropped, false));
        }

        /** {@code trace(kept) = p_y (1 - p_y)(1 + ||q||^2)}. */
        public double keptTrace() {
            return trace(kept);
        }

        /** {@code trace(dropped) = (1 - p_y)(1 - ||q||^2)}. */
        public double droppedTrace() {
            return trace(dropped);
        }

        private static double trace(double[][] m) {
            double t = 0;
            for (int a = 0; a < m.length; a++) {
                t += m[a][a];
            }
            return t;
        }
    }

    /**
     * The exact split of ALGORITHM.md §1 for example {@code i} of an evaluated batch, from the batch's own
     * probabilities, margin gradients {@code u = e_y - q} and competitor mass {@code 1 - p_y}.
     *
     * @param batch a head with its batch set and evaluated
     * @param i     the example, {@code 0 <= i < batch.rows()}
     */
    public static ExampleSplit exampleSplit(HeadBatch batch, int i) {
        if (i < 0 || i >= batch.rows()) {
            throw new IllegalArgumentException("example " + i + " is not in a batch of " + batch.rows() + " rows");
        }
        int k = batch.classes();
        double[] p = batch.probabilities();
        double[] u = batch.marginGradients();
        double[] rest = batch.competitorMass();
        int[] y = batch.labels();
        double py = p[i * k + y[i]];
        double[][] hessian = new double[k][k];
        double[][] kept = new double[k][k];
        double[][] drop = new double[k][k];
        double q2 = 0;
        for (int a = 0; a < k; a++) {
            double qa = a == y[i] ? 0 : -u[i * k + a];
            q2 += qa * qa;
            for (int c = 0; c < k; c++) {
                double qc = c == y[i] ? 0 : -u[i * k + c];
                hessian[a][c] = (a == c ? p[i * k + a] : 0) - p[i * k + a] * p[i * k + c];
                kept[a][c] = py * rest[i] * u[i * k + a] * u[i * k + c];
                drop[a][c] = rest[i] * ((a == c ? qa : 0) - qa * qc);
            }
        }
        return new ExampleSplit(hessian, kept, drop, py, q2);
    }

    /**
     * Checks the exact split of ALGORITHM.md §1 on every example of a batch (claim FGN-1).
     *
     * @param batch a head with its batch set and evaluated
     * @return {@code [max |H - kept - dropped|, min eigenvalue of dropped]} over the batch's examples
     */
    public static double[] splitError(HeadBatch batch) {
        double worst = 0;
        double minEig = Double.POSITIVE_INFINITY;
        for (int i = 0; i < batch.rows(); i++) {
            ExampleSplit split = exampleSplit(batch, i);
            worst = Math.max(worst, split.maxAbsError());
            minEig = Math.min(minEig, split.droppedMinEigenvalue());
        }
        return new double[] {worst, minEig};
    }

    /**
     * The a1 sweep for one {@code (K, p_y)}: on logit-controlled batches
     * ({@link Synthetic#mechanismLogits}, seeds {@code 1000 K + s} for {@code s < seeds}, as in
     * {@link #run}), the FGN step against the full-GGN step at every competitor scale {@code tau}
     * and relative damping {@code lambda_rel}, averaged over the seeds. Its matrices are indexed
     * {@code [lambda][tau]}, the layout of {@link PaperCharts#cosineHeatmap} and {@link PaperCharts#cosineLines}.
     *
     * @param classes           {@code K}
     * @param trueProbability   {@code p_y} of every row
     * @param taus              competitor-logit scales
     * @param lambdasRel        dampings relative to {@code ||G_full||_2}
     * @param meanQSquared      mean {@code ||q||^2} at each tau
     * @param curvatureGap      {@code lambda_max(G_full - G_FGN) / lambda_max(G_full)} at each tau
     * @param cosine            {@code cos(s_FGN, s_GGN)}
     * @param normRatio         {@code ||s_FGN|| / ||s_GGN||}
     * @param cosineFgnD        the cosine for FGN-D (the dropped term's diagonal added to the damping)
     * @param minPredictedRatio the smallest {@code g^T (G_FGN + lambda)^-1 g / g^T (G_full + lambda)^-1 g}
     *                          over the sweep and the seeds (at least 1: FGN never predicts less decrease)
     */
    public record CosineSweep(int classes, double trueProbability, double[] taus, double[] lambdasRel,
                              double[] meanQSquared, double[] curvatureGap, double[][] cosine, double[][] normRatio,
                              double[][] cosineFgnD, double minPredictedRatio) {
    }

    /**
     * Runs the sweep of EXPERIMENTS.md (a1) for one {@code (K, p_y)}; see {@link CosineSweep}.
     *
     * @param b          rows per batch, at most {@code dd}
     * @param k          classes
     * @param dd         parameters per class {@code D = d + 1}
     * @param py         probability of the true class
     * @param taus       competitor-logit scales
     * @param lambdasRel dampings relative to {@code ||G_full||_2}
     * @param seeds      batches per tau (at least 1)
     */
    public static CosineSweep cosineSweep(int b, int k, int dd, double py, double[] taus, double[] lambdasRel,
                                          int seeds) {
        if (seeds < 1 || taus.length == 0 || lambdasRel.length == 0) {
            throw new IllegalArgumentException("the sweep needs at least one seed, one tau and one lambda");
        }
        double[] q2 = new double[taus.length];
        double[] gap = new double[taus.length];
        double[][] cos = new double[lambdasRel.length][taus.length];
        double[][] ratio = new double[lambdasRel.length][taus.length];
        double[][] cosD = new double[lambdasRel.length][taus.length];
        double minPredicted = Double.POSITIVE_INFINITY;
        for (int ti = 0; ti < taus.length; ti++) {
            for (int seed = 0; seed < seeds; seed++) {
                MechanismProbe probe = new MechanismProbe(batchAt(
                        Synthetic.mechanismLogits(b, k, dd, taus[ti], py, 1000L * k + seed)));
                q2[ti] += probe.meanCompetitorConcentration() / seeds;
                gap[ti] += probe.curvatureGap() / seeds;
                for (int li = 0; li < lambdasRel.length; li++) {
                    MechanismProbe.Comparison c = probe.compare(lambdasRel[li]);
                    cos[li][ti] += c.cosine() / seeds;
                    ratio[li][ti] += c.normRatio() / seeds;
                    cosD[li][ti] += c.cosineFgnD() / seeds;
                    minPredicted = Math.min(minPredicted, c.predictedRatio());
                }
            }
        }
        return new CosineSweep(k, py, taus.clone(), lambdasRel.clone(), q2, gap, cos, ratio, cosD, minPredicted);
    }

    /**
     * The gradient through the whitened rows against the direct gradient (claim FGN-3): the
     * margin representation leaves the gradient unchanged, so this is zero up to rounding.
     *
     * @param batch a head with its batch set and evaluated
     * @return {@code ||A^T r - grad|| / ||grad||}, with {@code grad} the data gradient (no L2)
     */
    public static double gradientError(HeadBatch batch) {
        int p = batch.classes() * (batch.featureCount() + 1);
        double[] viaRows = new double[p];
        double[] direct = new double[p];
        batch.vjp(batch.whitenedResidual(), viaRows);
        batch.gradient(direct, 0.0, direct);
        double num = 0;
        double den = 0;
        for (int t = 0; t < p; t++) {
            num += (viaRows[t] - direct[t]) * (viaRows[t] - direct[t]);
            den += direct[t] * direct[t];
        }
        return Math.sqrt(num / den);
    }

    /** a2: K = 2 makes the FGN and full-GGN matrices, and whole training runs, identical. */
    private static void binary(Preset preset, ExperimentContext ctx, int b, int dd) throws IOException {
        Synthetic.Mechanism m = Synthetic.mechanismLogits(b, 2, dd, 1.0, 0.5, 2);
        HeadBatch batch = batchAt(m.x(), m.y(), m.n(), m.d(), 2, m.wt());
        RealMatrix full = DenseCurvature.full(batch);
        double matrixGap = DenseCurvature.maxAbs(full.subtract(DenseCurvature.fgn(batch)))
                / DenseCurvature.maxAbs(full);
        LabelledData two = Synthetic.gaussianPrototypes(preset.pick(200, 2000, 4000), 20, 2, 3.0, 5);
        int it = preset.pick(5, 15, 25);
        FgnOptions base = FgnOptions.builder().standardize(false).maxIterations(it).tolerance(0).threads(1).build();
        Standardizer st = Standardizer.fit(two.features(), two.size(), two.featureCount());
        LabelledData x = new LabelledData(st.transform(two.features(), two.size()), two.labels(), null, two.size(),
                two.featureCount(), 2);
        TrainingResult fgn = new FgnOptimizer(base.toBuilder().solver(ParamCholeskySolver.FGN_NAME).build())
                .optimize(x);
        TrainingResult ggn = new FgnOptimizer(base.toBuilder().solver(ParamCholeskySolver.GGN_NAME).build())
                .optimize(x);
        ResultTable table = new ResultTable("iteration", "objective_fgn", "objective_newton");
        double curveGap = 0;
        Map<String, List<io.github.fastgn.optim.IterationRecord>> runs = new LinkedHashMap<>();
        runs.put("FGN", fgn.history());
        runs.put("Newton", ggn.history());
        int len = Math.min(fgn.history().size(), ggn.history().size());
        for (int t = 0; t < len; t++) {
            double a = fgn.history().get(t).objective();
            double c = ggn.history().get(t).objective();
            table.add(t + 1, a, c);
            curveGap = Math.max(curveGap, Math.abs(a - c) / Math.abs(c));
        }
        ctx.table("a2-binary", table);
        String fig = ctx.figure("a2-binary-curves", Charts.lossCurves(runs, Charts.XAxis.ITERATION,
                Charts.YValue.OBJECTIVE));
        ctx.claim("FGN-2b", "For K = 2 FGN equals the full GGN, so FGN and Newton follow the same path.",
                matrixGap <= 1e-12 && curveGap <= 1e-9 && len >= Math.min(it, 3),
                String.format(Locale.ROOT, "max |G_full - G_FGN| / max |G_full| = %.1e; max relative objective "
                        + "difference over %d iterations on 2-class Gaussian data = %.1e", matrixGap, len, curveGap),
                fig);
        ctx.progress("a2 binary exactness");
    }

    /** a4: the generalised spectrum; returns min eig of G_full - G_FGN relative to ||G_full||. */
    private static double spectrum(Preset preset, ExperimentContext ctx, int b, int dd) throws IOException {
        int k = preset.pick(3, 10, 10);
        Synthetic.Mechanism m = Synthetic.mechanismLogits(b, k, dd, 1.0, 0.5, 3);
        HeadBatch batch = batchAt(m.x(), m.y(), m.n(), m.d(), k, m.wt());
        RealMatrix full = DenseCurvature.full(batch);
        RealMatrix fgn = DenseCurvature.fgn(batch);
        double norm = new MechanismProbe(batch).fullNorm();
        double minEig = DenseCurvature.minEigenvalue(full.subtract(fgn)) / norm;
        ResultTable table = new ResultTable("lambda_rel", "eigenvalue");
        Map<String, double[][]> hist = new LinkedHashMap<>();
        List<String> evidence = new ArrayList<>();
        int p = fgn.getRowDimension();
        for (double lr : new double[] {1e-3, 1e-1}) {
            RealMatrix damped = fgn.add(org.apache.commons.math3.linear.MatrixUtils.createRealIdentityMatrix(p)
                    .scalarMultiply(lr * norm));
            double[] ev = DenseCurvature.generalisedEigenvalues(full, damped);
            for (double e : ev) {
                table.add(lr, e);
            }
            hist.put("lambda_rel = " + lr, histogram(ev));
            evidence.add(String.format(Locale.ROOT, "lambda_rel=%g: max %.2f, median %.3f", lr, ev[ev.length - 1],
                    ev[ev.length / 2]));
        }
        ctx.table("a4-spectrum", table);
        String fig = ctx.figure("a4-spectrum", Charts.lines("Generalised eigenvalues of (G_full, G_FGN + lambda I)",
                "log10 eigenvalue", "count", hist, false, false));
        ctx.note("a4 (K = " + k + ", B = " + b + ", D = " + dd + "): " + String.join("; ", evidence)
                + ". Eigenvalues above 1 are directions where FGN under-estimates curvature. Figure " + fig + ".");
        ctx.progress("a4 spectrum");
        return minEig;
    }

    private static double[][] histogram(double[] ev) {
        int bins = 30;
        double lo = -8;
        double hi = 4;
        double[] counts = new double[bins];
        for (double e : ev) {
            double l = Math.log10(Math.max(e, 1e-300));
            int bin = (int) Math.floor((l - lo) / (hi - lo) * bins);
            counts[Math.max(0, Math.min(bins - 1, bin))]++;
        }
        double[] centres = new double[bins];
        for (int i = 0; i < bins; i++) {
            centres[i] = lo + (i + 0.5) * (hi - lo) / bins;
        }
        return new double[][] {centres, counts};
    }

    /** a3: agreement along a gradient-descent path on standardised digits. */
    private static void trajectory(Preset preset, ExperimentContext ctx) throws IOException {
        LabelledData digits = Digits.load();
        int n = preset.pick(300, digits.size(), digits.size());
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i;
        }
        LabelledData data = digits.subset(idx);
        Standardizer st = Standardizer.fit(data.features(), n, data.featureCount());
        double[] x = st.transform(data.features(), n);
        int d = data.featureCount();
        int k = data.classCount();
        int every = preset.pick(20, 50, 50);
        int checkpoints = preset.pick(3, 7, 7);
        double[] wt = new double[k * (d + 1)];
        ResultTable table = new ResultTable("gd_iteration", "mean_p_y", "mean_q2", "curvature_gap",
                "cosine_lambda_1e-3", "cosine_lambda_1e-1");
        Map<String, double[][]> series = new LinkedHashMap<>();
        double[][] c3 = new double[2][checkpoints];
        double[][] c1 = new double[2][checkpoints];
        for (int c = 0; c < checkpoints; c++) {
            HeadBatch batch = batchAt(x, data.labels(), n, d, k, wt);
            MechanismProbe probe = new MechanismProbe(batch);
            double a = probe.compare(1e-3).cosine();
            double bb = probe.compare(1e-1).cosine();
            table.add(c * every, probe.meanTrueProbability(), probe.meanCompetitorConcentration(),
                    probe.curvatureGap(), a, bb);
            c3[0][c] = c * every;
            c3[1][c] = a;
            c1[0][c] = c * every;
            c1[1][c] = bb;
            FirstOrderOptions gd = FirstOrderOptions.builder().learningRate(0.5).maxIterations(every).l2(0)
                    .threads(1).build();
            wt = new FirstOrderOptimizer(UpdateRule.momentum(0), gd).optimize(new LabelledData(x, data.labels(), null, n, d, k), wt)
                    .weights();
        }
        series.put("lambda_rel = 1e-3", c3);
        series.put("lambda_rel = 1e-1", c1);
        ctx.table("a3-trajectory", table);
        String fig = ctx.figure("a3-trajectory", Charts.lines("cos(s_FGN, s_GGN) along a GD path (digits)",
                "GD iteration", "cosine", series, false, false));
        ctx.note("a3: along full-batch gradient descent (rate 0.5) on standardised digits, the cosine rises as "
                + "p_y grows (table a3-trajectory). Figure " + fig + ".");
        ctx.progress("a3 trajectory");
    }

    /** FGN-4: the row system solved matrix-free by CG agrees with the direct solve. */
    private static void rowSolvers(ExperimentContext ctx, int b, int dd) {
        Synthetic.Mechanism m = Synthetic.mechanismLogits(b, 10, dd, 2.0, 0.3, 4);
        HeadBatch batch = batchAt(m.x(), m.y(), m.n(), m.d(), m.k(), m.wt());
        int p = m.k() * (m.d() + 1);
        double[] h = new double[p];
        batch.gradient(m.wt(), 1e-4, h);
        Damping damping = new Damping(m.d(), m.k());
        damping.set(1e-3, 1e-4, null);
        double[] direct = new double[p];
        double[] cg = new double[p];
        new FgnRowCholeskySolver().solve(batch, damping, h, direct, 0);
        int iterations = new FgnRowCgSolver(m.n()).solve(batch, damping, h, cg, 1e-10).iterations();
        double num = 0;
        double den = 0;
        for (int t = 0; t < p; t++) {
            num += (cg[t] - direct[t]) * (cg[t] - direct[t]);
            den += direct[t] * direct[t];
        }
        double err = Math.sqrt(num / den);
        ctx.claim("FGN-4", "The damped step is a whitened row-space system with one row per example, solvable "
                + "matrix-free by CG with JVPs and VJPs of the margin map.", err <= 1e-6 && iterations <= m.n() + 1,
                String.format(Locale.ROOT, "B = %d rows: matrix-free row CG (%d operator applications) vs "
                        + "row Cholesky: relative step difference %.1e", m.n(), iterations, err), "");
    }

    private static int indexOf(double[] a, double v) {
        for (int i = 0; i < a.length; i++) {
            if (a[i] == v) {
                return i;
            }
        }
        return a.length / 2;
    }
}
