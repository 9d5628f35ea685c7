package io.github.fastgn.internal.solver;

import io.github.fastgn.internal.head.CompetitorCurvature;

import java.util.List;
import java.util.Locale;

/**
 * Creates step solvers by name and chooses one by the cost model of ALGORITHM.md §2.
 *
 * <p>Names: {@value FgnRowCholeskySolver#NAME}, {@value FgnRowCgSolver#NAME},
 * {@value ParamCgSolver#FGN_NAME}, {@value ParamCholeskySolver#FGN_NAME} (Fast Gauss-Newton);
 * {@value ParamCgSolver#GGN_NAME}, {@value ParamCholeskySolver#GGN_NAME},
 * {@value GgnRowCholeskySolver#NAME} (full GGN, i.e. damped Newton for a linear head);
 * {@value ParamCgSolver#TOP_NAME} (full batch: every row's full GGN truncated to its top classes,
 * {@link CompetitorCurvature}; see {@link #resolveFullBatch}); and the
 * choices {@value #FGN} (cheapest FGN solver), {@value #NEWTON} (cheapest full-GGN solver) and
 * {@value #AUTO} (the default: the cheapest FGN solver where it is a direct solve, else
 * matrix-free CG on the full GGN; see {@link #resolve}).
 */
public final class Solvers {

    public static final String AUTO = "auto";
    public static final String FGN = "fgn";
    public static final String NEWTON = "newton";

    /** Every concrete solver name. */
    public static final List<String> NAMES = List.of(FgnRowCholeskySolver.NAME, FgnRowCgSolver.NAME,
            ParamCgSolver.FGN_NAME, ParamCholeskySolver.FGN_NAME, ParamCgSolver.GGN_NAME,
            ParamCholeskySolver.GGN_NAME, GgnRowCholeskySolver.NAME, ParamCgSolver.TOP_NAME);

    /**
     * Classes each row keeps exactly in {@value ParamCgSolver#TOP_NAME}'s curvature
     * ({@link CompetitorCurvature}; all of them when {@code K} is smaller).
     */
    public static final int KEPT_CLASSES = 16;

    /** Largest row system a direct solve is planned for (memory {@code B^2} doubles: 128 MiB). */
    public static final int MAX_DIRECT_ROWS = 4096;
    /** Largest parameter count a dense parameter-space solve is planned for. */
    public static final int MAX_DIRECT_PARAMETERS = 3000;
    /** CG iterations the cost model assumes per step. */
    static final int PLANNED_CG_ITERATIONS = 20;

    private Solvers() {
    }

    /** True for the names {@link #create} accepts, including {@value #AUTO}, {@value #FGN} and {@value #NEWTON}. */
    public static boolean isKnown(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        return isChoice(n) || NAMES.contains(n);
    }

    /** Whether {@code name} is one of the choices resolved by problem size ({@value #AUTO}, {@value #FGN}, {@value #NEWTON}). */
    public static boolean isChoice(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return n.equals(AUTO) || n.equals(FGN) || n.equals(NEWTON);
    }

    /**
     * The curvature the named solver inverts: {@link StepSolver.Curvature#FGN} for {@value #FGN}
     * and the FGN solvers, {@link StepSolver.Curvature#FULL} for {@value #NEWTON} and the full-GGN
     * solvers. {@value #AUTO} chooses its curvature by problem size: resolve it first.
     *
     * @throws IllegalArgumentException for {@value #AUTO} and unknown names
     */
    public static StepSolver.Curvature curvature(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        if (n.equals(FGN)) {
            return StepSolver.Curvature.FGN;
        }
        if (n.equals(NEWTON)) {
            return StepSolver.Curvature.FULL;
        }
        return capabilities(n).curvature();
    }

    /**
     * The capabilities of the named concrete solver (one of {@link #NAMES}), as the solver
     * {@link #create} builds for it declares them. {@value #AUTO} and {@value #NEWTON} depend on
     * the problem size: resolve them first with {@link #resolve}, or ask {@link #curvature}.
     */
    public static StepSolver.Capabilities capabilities(String name) {
        switch (name.toLowerCase(Locale.ROOT)) {
            case FgnRowCholeskySolver.NAME:
                return FgnRowCholeskySolver.CAPABILITIES;
            case FgnRowCgSolver.NAME:
                return FgnRowCgSolver.CAPABILITIES;
            case ParamCgSolver.FGN_NAME:
                return ParamCgSolver.capabilities(StepSolver.Curvature.FGN);
            case ParamCholeskySolver.FGN_NAME:
                return ParamCholeskySolver.capabilities(StepSolver.Curvature.FGN);
            case ParamCgSolver.GGN_NAME:
                return ParamCgSolver.capabilities(StepSolver.Curvature.FULL);
            case ParamCholeskySolver.GGN_NAME:
                return ParamCholeskySolver.capabilities(StepSolver.Curvature.FULL);
            case GgnRowCholeskySolver.NAME:
                return GgnRowCholeskySolver.CAPABILITIES;
            case ParamCgSolver.TOP_NAME:
                return ParamCgSolver.TOP_CAPABILITIES;
            case AUTO:
            case FGN:
            case NEWTON:
                throw new IllegalArgumentException("'" + name + "' is chosen by problem size; resolve it first");
            default:
                throw new IllegalArgumentException("unknown solver '" + name + "'; use one of " + AUTO + ", " + FGN
                        + ", " + NEWTON + ", " + String.join(", ", NAMES));
        }
    }

    /**
     * How many times FGN's exact solve {@value #AUTO} lets a direct full-GGN solve cost: the full
     * GGN took 2.2 to 2.6 times fewer steps to the same point (Fashion-MNIST pixels 56 against 25,
     * digits 75 against 29) and far fewer on badly scaled data (raw wine, l2 1e-4: over 500 against
     * 45), and a step's passes over the data come on top of the solve.
     */
    static final double NEWTON_STEP_ADVANTAGE = 2;

    /**
     * The concrete solver name {@link #create} builds for {@code name} at this size:
     * {@value #FGN} and {@value #NEWTON} resolved by cost, {@value #AUTO} as below, any other
     * name lower-cased.
     *
     * <p>{@value #AUTO} takes the cheapest FGN solver when that is a direct solve (the row-space
     * or the dense parameter-space Cholesky: FGN's exact solve costs {@code B^3/3} where the full
     * GGN's row-space one costs {@code (B K)^3/3}), unless a direct full-GGN solve costs at most
     * {@link #NEWTON_STEP_ADVANTAGE} times as much (small full batches: few parameters or few
     * rows), which then wins: it loses no curvature; when the cheapest FGN solver is matrix-free
     * parameter-space CG it takes {@value ParamCgSolver#GGN_NAME} instead: a product with the full
     * GGN costs the same {@code 4 B K D} as one with FGN, and the full GGN is the exact Hessian of
     * a linear head's data term, so its steps lose no curvature. Measured on Fashion-MNIST pixels
     * (n = 60000, K = 10, 8192-row curvature sample, every other option at its default): FGN
     * reached {@code f*(1 + 1e-4)} in 56 steps, the full GGN in 25 with fewer CG iterations in
     * all (ALGORITHM.md §2, "How the choices resolve").
     */
    public static String resolve(String name, int batchRows, int d, int k, boolean gramReused) {
        return resolve(name, batchRows, d, k, gramReused, Rows.dense(d));
    }

    /**
     * As {@link #resolve(String, int, int, int, boolean)} for rows stored as {@code rows} says:
     * on sparse rows the cost model counts the stored values per row instead of {@code d}, and
     * only solvers whose capabilities take sparse rows are candidates.
     */
    public static String resolve(String name, int batchRows, int d, int k, boolean gramReused, Rows rows) {
        String n = name.toLowerCase(Locale.ROOT);
        if (n.equals(FGN)) {
            return cheapestFgn(batchRows, d, k, gramReused, rows);
        }
        if (n.equals(AUTO)) {
            String fgn = cheapestFgn(batchRows, d, k, gramReused, rows);
            if (!capabilities(fgn).exact()) {
                return ParamCgSolver.GGN_NAME;
            }
            String newton = cheapestNewton(batchRows, d, k, gramReused, rows);
            return capabilities(newton).exact() && estimatedFlops(newton, batchRows, d, k, gramReused, rows)
                    <= NEWTON_STEP_ADVANTAGE * estimatedFlops(fgn, batchRows, d, k, gramReused, rows) ? newton : fgn;
        }
        if (n.equals(NEWTON)) {
            return cheapestNewton(batchRows, d, k, gramReused, rows);
        }
        return n;
    }

    /**
     * The concrete solver of a full-batch run on {@code n} rows whose curvature would come from a
     * sample of {@code sample} rows ({@code sample = n} for every row): {@link #resolve} at the
     * sample, except that {@value #AUTO}, where it resolves to {@value ParamCgSolver#GGN_NAME} on
     * a sample of dense rows, takes {@value ParamCgSolver#TOP_NAME} (every row's curvature with
     * each row's distribution truncated to its top {@value #KEPT_CLASSES} classes) when the model
     * says its step costs less than the sampled one's. That is the case when {@code n m} is below
     * {@code sample K} (for {@code m = min(K, 16)} kept classes, ignoring the {@code K D^2} terms):
     * many classes, where a sample holds few rows per class (ALGORITHM.md §2, "Top-competitor
     * curvature"); with few classes the sample is cheaper and the choice is unchanged.
     */
    public static String resolveFullBatch(String name, int n, int sample, int d, int k, Rows rows) {
        String resolved = resolve(name, sample, d, k, sample >= n, rows);
        if (!name.equalsIgnoreCase(AUTO) || sample >= n || rows.sparse()
                || !resolved.equals(ParamCgSolver.GGN_NAME)) {
            return resolved;
        }
        return estimatedFlops(ParamCgSolver.TOP_NAME, n, d, k, true, rows)
                < estimatedFlops(resolved, sample, d, k, false, rows) ? ParamCgSolver.TOP_NAME : resolved;
    }

    /**
     * How the feature rows are stored, for the cost model: dense, or sparse with a mean number of
     * stored values per row.
     *
     * @param sparse      whether the rows are sparse (only solvers that declare
     *                    {@link StepSolver.Capabilities#sparseRows()} take them)
     * @param valuesPerRow the mean stored values per row ({@code d} for dense rows)
     */
    public record Rows(boolean sparse, double valuesPerRow) {

        /** Dense rows of {@code d} values. */
        public static Rows dense(int d) {
            return new Rows(false, d);
        }

        /** Sparse rows with {@code storedValues} values over {@code rows} rows. */
        public static Rows sparse(long storedValues, int rows) {
            return new Rows(true, storedValues / (double) rows);
        }
    }

    /**
     * Creates the named solver, resolving {@value #AUTO}, {@value #FGN} and {@value #NEWTON} by cost.
     *
     * @param name          a solver name
     * @param batchRows     rows of the system per step ({@code n} in full batch, {@code B} otherwise)
     * @param d             features
     * @param k             classes
     * @param gramReused    true if the feature Gram is reused across steps (full batch)
     * @param maxCgIterations iteration cap of CG solvers
     */
    public static StepSolver create(String name, int batchRows, int d, int k, boolean gramReused,
                                    int maxCgIterations) {
        return create(name, batchRows, d, k, gramReused, maxCgIterations, Rows.dense(d));
    }

    /**
     * As {@link #create(String, int, int, int, boolean, int)} for rows stored as {@code rows} says.
     *
     * @throws IllegalArgumentException if the rows are sparse and the named solver needs dense rows
     */
    public static StepSolver create(String name, int batchRows, int d, int k, boolean gramReused,
                                    int maxCgIterations, Rows rows) {
        String n = resolve(name, batchRows, d, k, gramReused, rows);
        if (rows.sparse() && NAMES.contains(n) && !capabilities(n).sparseRows()) {
            throw new IllegalArgumentException("solver '" + n + "' needs dense feature rows, but the features are"
                    + " sparse and are not densified; use " + AUTO + " or a solver that takes sparse rows: "
                    + String.join(", ", NAMES.stream().filter(s -> capabilities(s).sparseRows()).toList()));
        }
        switch (n) {
            case FgnRowCholeskySolver.NAME:
                return new FgnRowCholeskySolver();
            case FgnRowCgSolver.NAME:
                return new FgnRowCgSolver(maxCgIterations);
            case ParamCgSolver.FGN_NAME:
                return new ParamCgSolver(StepSolver.Curvature.FGN, maxCgIterations, true);
            case ParamCholeskySolver.FGN_NAME:
                return new ParamCholeskySolver(StepSolver.Curvature.FGN);
            case ParamCgSolver.GGN_NAME:
                return new ParamCgSolver(StepSolver.Curvature.FULL, maxCgIterations, true);
            case ParamCholeskySolver.GGN_NAME:
                return new ParamCholeskySolver(StepSolver.Curvature.FULL);
            case GgnRowCholeskySolver.NAME:
                return new GgnRowCholeskySolver();
            case ParamCgSolver.TOP_NAME:
                return ParamCgSolver.topCompetitors(maxCgIterations);
            default:
                throw new IllegalArgumentException("unknown solver '" + name + "'; use one of " + AUTO + ", " + FGN
                        + ", " + NEWTON + ", " + String.join(", ", NAMES));
        }
    }

    /** Estimated flops of one step with the named solver (ALGORITHM.md §2, cost model); infinite if it does not fit. */
    public static double estimatedFlops(String name, int b, int d, int k, boolean gramReused) {
        return estimatedFlops(name, b, d, k, gramReused, Rows.dense(d));
    }

    /** As {@link #estimatedFlops(String, int, int, int, boolean)}; infinite also if the rows are sparse and it needs dense ones. */
    public static double estimatedFlops(String name, int b, int d, int k, boolean gramReused, Rows rows) {
        if (rows.sparse() && !capabilities(name).sparseRows()) {
            return Double.POSITIVE_INFINITY;
        }
        boolean fits;
        switch (name) {
            case FgnRowCholeskySolver.NAME:
                fits = b <= MAX_DIRECT_ROWS;
                break;
            case ParamCholeskySolver.FGN_NAME:
            case ParamCholeskySolver.GGN_NAME:
                fits = k * (d + 1.0) <= MAX_DIRECT_PARAMETERS;
                break;
            case GgnRowCholeskySolver.NAME:
                fits = (double) b * k <= MAX_DIRECT_ROWS;
                break;
            default:
                fits = true;
        }
        return fits ? modelFlops(name, b, d, k, gramReused, rows) : Double.POSITIVE_INFINITY;
    }

    /** The flop model (ALGORITHM.md §2, cost model) of one step with the named solver, whatever its size. */
    public static double modelFlops(String name, int b, int d, int k, boolean gramReused) {
        return modelFlops(name, b, d, k, gramReused, Rows.dense(d));
    }

    /**
     * The flop model for rows stored as {@code rows} says: a product with sparse rows costs
     * {@code 4 B K (r + 1)} for {@code r} stored values per row plus its {@code K d} temporaries,
     * and a row Gram {@code B^2 r}; the parameter count stays {@code K (d + 1)}.
     */
    public static double modelFlops(String name, int b, int d, int k, boolean gramReused, Rows rows) {
        double bb = b;
        double dd = rows.sparse() ? rows.valuesPerRow() + 1.0 : d + 1.0;
        double p = k * (d + 1.0);
        double products = 4.0 * bb * k * dd + (rows.sparse() ? 2.0 * k * d : 0.0);
        double cg = PLANNED_CG_ITERATIONS * products;
        switch (name) {
            case FgnRowCholeskySolver.NAME:
                return (gramReused ? 0 : bb * bb * dd) + bb * bb * k + bb * bb * bb / 3 + products;
            case FgnRowCgSolver.NAME:
                return Math.min(PLANNED_CG_ITERATIONS, b) * products + products;
            case ParamCgSolver.FGN_NAME:
            case ParamCgSolver.GGN_NAME:
                // on sparse rows a product can cost less than CG's ~10 vector operations of length P per
                // iteration, which are then counted too
                return cg + bb * k * dd + (rows.sparse() ? PLANNED_CG_ITERATIONS * 10.0 * p : 0.0);
            case ParamCholeskySolver.FGN_NAME:
            case ParamCholeskySolver.GGN_NAME:
                return bb * p * p / 2 + p * p * p / 3;
            case GgnRowCholeskySolver.NAME: {
                double n = bb * k;
                return (gramReused ? 0 : bb * bb * dd) + bb * bb * k * k + n * n * n / 3 + products;
            }
            case ParamCgSolver.TOP_NAME: {
                // b is every row: a product is two reads of the rows with m kept classes each (4 B m D) and
                // the tail's 2 K D^2; per step the truncation (B K) and the tail moment (B D^2)
                double m = Math.min(k, KEPT_CLASSES);
                return PLANNED_CG_ITERATIONS * (4.0 * bb * m * dd + 2.0 * k * dd * dd) + bb * k + bb * dd * dd;
            }
            default:
                throw new IllegalArgumentException("unknown solver '" + name + "'");
        }
    }

    static String cheapestFgn(int b, int d, int k, boolean gramReused) {
        return cheapestFgn(b, d, k, gramReused, Rows.dense(d));
    }

    static String cheapestFgn(int b, int d, int k, boolean gramReused, Rows rows) {
        return cheapest(b, d, k, gramReused, rows, FgnRowCholeskySolver.NAME, ParamCholeskySolver.FGN_NAME,
                FgnRowCgSolver.NAME, ParamCgSolver.FGN_NAME);
    }

    static String cheapestNewton(int b, int d, int k, boolean gramReused) {
        return cheapestNewton(b, d, k, gramReused, Rows.dense(d));
    }

    static String cheapestNewton(int b, int d, int k, boolean gramReused, Rows rows) {
        return cheapest(b, d, k, gramReused, rows, GgnRowCholeskySolver.NAME, ParamCholeskySolver.GGN_NAME,
                ParamCgSolver.GGN_NAME);
    }

    /**
     * The solver of the convergence certificate ({@link NewtonDecrement}) for a run with
     * {@code solver}: the cheapest direct (factorisation) solver of the same curvature that fits
     * at this size, which solves the barely damped system exactly; the run's own solver when none
     * fits (an iterative certificate may then stop at its cap and certify nothing).
     */
    public static StepSolver certificateFor(StepSolver solver, int batchRows, int d, int k, boolean gramReused) {
        return certificateFor(solver, batchRows, d, k, gramReused, Rows.dense(d));
    }

    /** As {@link #certificateFor(StepSolver, int, int, int, boolean)}, among the direct solvers that take {@code rows}. */
    public static StepSolver certificateFor(StepSolver solver, int batchRows, int d, int k, boolean gramReused,
                                            Rows rows) {
        if (solver.capabilities().exact()) {
            return solver;
        }
        String direct = solver.curvature() == StepSolver.Curvature.FULL
                ? cheapest(batchRows, d, k, gramReused, rows, GgnRowCholeskySolver.NAME, ParamCholeskySolver.GGN_NAME)
                : cheapest(batchRows, d, k, gramReused, rows, FgnRowCholeskySolver.NAME, ParamCholeskySolver.FGN_NAME);
        return Double.isFinite(estimatedFlops(direct, batchRows, d, k, gramReused, rows))
                ? create(direct, batchRows, d, k, gramReused, 0, rows) : solver;
    }

    /** The cheapest candidate; ties go to the earlier one (direct solvers are listed first). */
    private static String cheapest(int b, int d, int k, boolean gramReused, Rows rows, String... candidates) {
        String best = candidates[candidates.length - 1];
        double bestCost = Double.POSITIVE_INFINITY;
        for (String c : candidates) {
            double cost = estimatedFlops(c, b, d, k, gramReused, rows);
            if (cost < bestCost) {
                best = c;
                bestCost = cost;
            }
        }
        return best;
    }
}
