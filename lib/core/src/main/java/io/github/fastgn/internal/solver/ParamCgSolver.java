package io.github.fastgn.internal.solver;

import io.github.fastgn.internal.head.CompetitorCurvature;
import io.github.fastgn.internal.head.HeadBatch;
import io.github.fastgn.internal.linalg.ConjugateGradient;
import io.github.fastgn.internal.linalg.LinearOperator;

/**
 * Step by matrix-free CG in parameter space on {@code (G + Lambda) s = -h}, for either curvature:
 * FGN ({@code G V = A^T (A V)}, one JVP and one VJP) or the full GGN (the GGN-vector product of
 * ALGORITHM.md §2). For full-batch training on many examples: memory {@code O(B K + K D)}, never
 * {@code B^2}. Stops on {@code ||(G + Lambda) s + h|| <= eta ||h||} (the updated residual),
 * checked every iteration since it is free here. Jacobi preconditioner {@code diag(G) + Lambda}
 * (O(BKD) once per solve). Warm start from the contents of {@code s}.
 *
 * <p>Cost per iteration {@code 4 B K D}. As {@value #TOP_NAME} ({@link #topCompetitors}) the
 * operator is every row's full GGN truncated to each row's top classes ({@link CompetitorCurvature},
 * {@code 4 n m D + 2 K D^2} per iteration), preconditioned by the class blocks of its class weights.
 */
public final class ParamCgSolver implements StepSolver {

    public static final String FGN_NAME = "fgn-param-cg";
    public static final String GGN_NAME = "ggn-param-cg";
    /** The full GGN of every row with each row's distribution truncated to its top classes ({@link CompetitorCurvature}). */
    public static final String TOP_NAME = "ggn-top-cg";

    private final Curvature curvature;
    private final int maxIterations;
    private final ConjugateGradient cg = new ConjugateGradient();
    private double[] rows = new double[0];
    private double[] rhs = new double[0];
    private double[] precond = new double[0];
    /** The gradient, step and damping on the stored columns of a sparse batch ({@link HeadBatch#onStoredColumns}). */
    private double[] storedH = new double[0];
    private double[] storedS = new double[0];
    private double[] storedLam = new double[0];
    private final boolean classBlocks;
    private final boolean competitors;
    private ClassBlockPreconditioner blocks;

    public ParamCgSolver(Curvature curvature, int maxIterations) {
        this(curvature, maxIterations, false);
    }

    /**
     * @param classBlocks precondition with {@link ClassBlockPreconditioner} (class blocks
     *                    {@code delta_k C + Lambda_k} from the feature second moment) instead of
     *                    the Jacobi diagonal, when factoring the blocks is affordable; with the
     *                    cross-class coupling ({@code A (x) C + mu I}) when {@code K <= D}
     */
    public ParamCgSolver(Curvature curvature, int maxIterations, boolean classBlocks) {
        this(curvature, maxIterations, classBlocks, false);
    }

    private ParamCgSolver(Curvature curvature, int maxIterations, boolean classBlocks, boolean competitors) {
        if (maxIterations < 1) {
            throw new IllegalArgumentException("maxIterations must be at least 1, got " + maxIterations);
        }
        this.curvature = curvature;
        this.maxIterations = maxIterations;
        this.classBlocks = classBlocks;
        this.competitors = competitors;
    }

    /**
     * {@value #TOP_NAME}: CG on the full GGN of every row with each row's distribution truncated to
     * its top classes ({@link #solve(CompetitorCurvature, Damping, double[], double[], double)}),
     * class-block preconditioned; on a batch (the convergence certificate) it is {@value #GGN_NAME}.
     */
    public static ParamCgSolver topCompetitors(int maxIterations) {
        return new ParamCgSolver(Curvature.FULL, maxIterations, true, true);
    }

    @Override
    public String name() {
        return competitors ? TOP_NAME : curvature == Curvature.FGN ? FGN_NAME : GGN_NAME;
    }

    /** The capabilities of the solver with the given curvature: iterative, warm-startable. */
    public static Capabilities capabilities(Curvature curvature) {
        return Capabilities.iterative(curvature, true);
    }

    /** The capabilities of {@value #TOP_NAME}: full GGN, iterative, warm-startable, dense rows, every row's curvature. */
    public static final Capabilities TOP_CAPABILITIES = Capabilities.iterative(Curvature.FULL, true).denseRowsOnly()
            .truncatedEveryRow();

    @Override
    public Capabilities capabilities() {
        return competitors ? TOP_CAPABILITIES : capabilities(curvature);
    }

    @Override
    public SolveReport solve(CompetitorCurvature rows, Damping damping, double[] h, double[] s, double tolerance) {
        if (!competitors) {
            return StepSolver.super.solve(rows, damping, h, s, tolerance);
        }
        int p = rows.classes() * (rows.featureCount() + 1);
        ensure(p);
        double[] lam = damping.diagonal();
        LinearOperator inverse = null;
        if (ClassBlockPreconditioner.worthwhile(rows.featureCount(), rows.classes())) {
            if (blocks == null) {
                blocks = new ClassBlockPreconditioner(rows.featureCount(), rows.classes(), rows.parallel());
            }
            blocks.prepare(rows, lam);
            inverse = blocks;
        } else {
            // Jacobi: diag(G~) is not formed; the class weights times the mean squared feature stand in
            double[] c = rows.featureMoment();
            double[] delta = rows.classCurvatureWeights();
            int dd = rows.featureCount() + 1;
            for (int k = 0; k < rows.classes(); k++) {
                for (int j = 0; j < dd; j++) {
                    precond[k * dd + j] = 1.0 / (delta[k] * c[j * dd + j] + lam[k * dd + j]);
                }
            }
        }
        return cg(rows::product, p, lam, h, s, tolerance * FgnRowCgSolver.norm(h, p), inverse);
    }

    /**
     * {@inheritDoc}
     *
     * <p>On sparse rows that leave some feature columns unstored in this batch (a curvature
     * sample of a text set touches a quarter of its columns), the curvature is zero on those
     * columns' weights, so the system splits: there {@code Lambda s = -h} is solved exactly, and CG
     * runs on the stored columns and the bias only ({@link HeadBatch#onStoredColumns}), with
     * vectors and product temporaries of {@code K (a + 1)} for {@code a} stored columns instead of
     * {@code K (d + 1)}. The stopping test is unchanged: the whole system's residual, which is
     * zero on the exactly solved coordinates (ALGORITHM.md §7, "Stored columns").
     */
    @Override
    public SolveReport solve(HeadBatch batch, Damping damping, double[] h, double[] s, double tolerance) {
        int k = batch.classes();
        int d = batch.featureCount();
        int p = k * (d + 1);
        double target = tolerance * FgnRowCgSolver.norm(h, p);
        double[] lam = damping.diagonal();
        HeadBatch.StoredColumns stored = batch.onStoredColumns();
        if (stored == null) {
            return solveOn(batch, lam, h, s, target);
        }
        int[] columns = stored.columns();
        int a = columns.length;
        int q = k * (a + 1);
        if (storedH.length < q) {
            storedH = new double[q];
            storedS = new double[q];
            storedLam = new double[q];
        }
        for (int c = 0; c < k; c++) {
            int from = c * (d + 1);
            int to = c * (a + 1);
            for (int t = 0; t < a; t++) {
                storedH[to + t] = h[from + columns[t]];
                storedS[to + t] = s[from + columns[t]];
                storedLam[to + t] = lam[from + columns[t]];
            }
            storedH[to + a] = h[from + d];
            storedS[to + a] = s[from + d];
            storedLam[to + a] = lam[from + d];
        }
        // no row stores the other columns: their curvature is zero and (0 + Lambda) s = -h is solved exactly
        for (int t = 0; t < p; t++) {
            s[t] = -h[t] / lam[t];
        }
        SolveReport report = solveOn(stored.batch(), storedLam, storedH, storedS, target);
        for (int c = 0; c < k; c++) {
            int from = c * (a + 1);
            int to = c * (d + 1);
            for (int t = 0; t < a; t++) {
                s[to + columns[t]] = storedS[from + t];
            }
            s[to + d] = storedS[from + a];
        }
        stored.countReads();
        return report;
    }

    /** CG on {@code batch}'s curvature plus {@code diag(lam)}, stopping at a residual of {@code target}. */
    private SolveReport solveOn(HeadBatch batch, double[] lam, double[] h, double[] s, double target) {
        int b = batch.rows();
        int p = batch.classes() * (batch.featureCount() + 1);
        ensure(p);
        if (rows.length < b) {
            rows = new double[b];
        }
        LinearOperator inverse = null;
        int d = batch.featureCount();
        int k = batch.classes();
        // the class blocks are built from dense feature rows; sparse rows take the Jacobi diagonal
        if (classBlocks && batch.hasFeatureRows() && ClassBlockPreconditioner.worthwhile(d, k)) {
            if (blocks == null) {
                blocks = new ClassBlockPreconditioner(d, k, batch.parallel(),
                        ClassBlockPreconditioner.coupledWorthwhile(d, k));
            }
            blocks.prepare(batch, curvature, lam);
            inverse = blocks;
        } else {
            batch.curvatureDiagonal(curvature == Curvature.FGN ? HeadBatch.Diagonal.FGN : HeadBatch.Diagonal.FULL,
                    precond);
            for (int t = 0; t < p; t++) {
                precond[t] = 1.0 / (precond[t] + lam[t]);
            }
        }
        Product g = curvature == Curvature.FGN ? (in, out) -> {
            batch.jvp(in, rows);
            batch.vjp(rows, out);
        } : batch::ggnProduct;
        return cg(g, p, lam, h, s, target, inverse);
    }

    /** A curvature-vector product {@code out = G in}. */
    private interface Product {
        void apply(double[] in, double[] out);
    }

    private void ensure(int p) {
        if (rhs.length < p) {
            rhs = new double[p];
            precond = new double[p];
        }
    }

    /**
     * CG on {@code (G + diag(lam)) s = -h} from the contents of {@code s} until the residual norm
     * is at most {@code target}, preconditioned by {@code inverse}, or by the Jacobi inverse in
     * {@link #precond} when it is null.
     */
    private SolveReport cg(Product g, int p, double[] lam, double[] h, double[] s, double target,
                           LinearOperator inverse) {
        for (int t = 0; t < p; t++) {
            rhs[t] = -h[t];
        }
        LinearOperator m = new LinearOperator() {
            @Override
            public int dimension() {
                return p;
            }

            @Override
            public void apply(double[] in, double[] out) {
                g.apply(in, out);
                for (int t = 0; t < p; t++) {
                    out[t] += lam[t] * in[t];
                }
            }
        };
        ConjugateGradient.Result result = inverse != null
                ? cg.solve(m, rhs, s, inverse, maxIterations, 1, (it, x, res) -> FgnRowCgSolver.norm(res, p) <= target)
                : cg.solve(m, rhs, s, precond, maxIterations, 1,
                (it, x, res) -> FgnRowCgSolver.norm(res, p) <= target);
        return new SolveReport(result.iterations(), result.converged());
    }
}
