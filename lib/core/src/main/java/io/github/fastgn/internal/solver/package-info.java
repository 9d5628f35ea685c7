/**
 * Damped Gauss-Newton step solvers: {@link io.github.fastgn.internal.solver.StepSolver} solves
 * {@code (G + Lambda) s = -h} for the FGN curvature or the full GGN, in row space or parameter
 * space, by Cholesky or CG; {@link io.github.fastgn.internal.solver.Damping} is the diagonal
 * {@code Lambda}; {@link io.github.fastgn.internal.solver.Solvers} creates solvers by name and resolves
 * {@code fgn}, {@code newton} and {@code auto} by the cost model (ALGORITHM.md §2).
 *
 * <p>May import: the JDK, {@code io.github.fastgn.internal.linalg} and {@code io.github.fastgn.internal.head}.
 * Never {@code optim} (the optimizer depends on the solvers, not the reverse), Tribuo, XChart or
 * the experiments module.
 * <p>Internal: public only for FastGN's own packages and modules (users pick a solver by name
 * through {@code FgnOptions.solver}), not an API.
 */
package io.github.fastgn.internal.solver;
