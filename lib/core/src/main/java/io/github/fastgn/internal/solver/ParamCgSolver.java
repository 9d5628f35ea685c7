package io.github.fastgn.internal.solver;

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
 * <p>Cost per iteration {@code 4 B K D}.
 */
public final class ParamCgSolver implements StepSolver {

    public static final String FGN_NAME = "fgn-param-cg";
    public static final String GGN_NAME = "ggn-param-cg";

    private final Curvature curvature;
    private final int maxIterations;
    private final ConjugateGradient cg = new ConjugateGradient();
    private double[] rows = new double[0];
    private double[] rhs = new double[0];
    private double[] precond = new double[0];
    private final boolean classBlocks;
    private ClassBlockPreconditioner blocks;

    public ParamCgSolver(Curvature curvature, int maxIterations) {
        this(curvature, maxIterations, false);
    }

    /**
     * @param classBlocks precondition with {@link ClassBlockPreconditioner} (class blocks
     *                    {@code delta_k C + Lambda_k} from the feature second moment) instead of
     *                    the Jacobi diagonal, when factoring the blocks is affordable
     */
    public ParamCgSolver(Curvature curvature, int maxIterations, boolean classBlocks) {
        if (maxIterations < 1) {
            throw new IllegalArgumentException("maxIterations must be at least 1, got " + maxIterations);
        }
        this.curvature = curvature;
        this.maxIterations = maxIterations;
        this.classBlocks = classBlocks;
    }

    @Override
    public String name() {
        return curvature == Curvature.FGN ? FGN_NAME : GGN_NAME;
    }

    /** The capabilities of the solver with the given curvature: iterative, warm-startable. */
    public static Capabilities capabilities(Curvature curvature) {
        return Capabilities.iterative(curvature, true);
    }

    @Override
    public Capabilities capabilities() {
        return capabilities(curvature);
    }

    @Override
    public SolveReport solve(HeadBatch batch, Damping damping, double[] h, double[] s, double tolerance) {
        int b = batch.rows();
        int p = batch.classes() * (batch.featureCount() + 1);
        if (rhs.length != p) {
            rhs = new double[p];
            precond = new double[p];
        }
        if (rows.length < b) {
            rows = new double[b];
        }
        double[] lam = damping.diagonal();
        for (int t = 0; t < p; t++) {
            rhs[t] = -h[t];
        }
        LinearOperator inverse = null;
        int d = batch.featureCount();
        int k = batch.classes();
        // the class blocks are built from dense feature rows; sparse rows take the Jacobi diagonal
        if (classBlocks && batch.hasFeatureRows() && ClassBlockPreconditioner.worthwhile(d, k)) {
            if (blocks == null) {
                blocks = new ClassBlockPreconditioner(d, k, batch.parallel());
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
        LinearOperator m = new LinearOperator() {
            @Override
            public int dimension() {
                return p;
            }

            @Override
            public void apply(double[] in, double[] out) {
                if (curvature == Curvature.FGN) {
                    batch.jvp(in, rows);
                    batch.vjp(rows, out);
                } else {
                    batch.ggnProduct(in, out);
                }
                for (int t = 0; t < p; t++) {
                    out[t] += lam[t] * in[t];
                }
            }
        };
        double target = tolerance * FgnRowCgSolver.norm(h, p);
        ConjugateGradient.Result result = inverse != null
                ? cg.solve(m, rhs, s, inverse, maxIterations, 1, (it, x, res) -> FgnRowCgSolver.norm(res, p) <= target)
                : cg.solve(m, rhs, s, precond, maxIterations, 1,
                (it, x, res) -> FgnRowCgSolver.norm(res, p) <= target);
        return new SolveReport(result.iterations(), result.converged());
    }
}
