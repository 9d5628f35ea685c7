/**
 * Damped Gauss-Newton step solvers: {@link io.github.fastgn.solver.StepSolver} solves
 * {@code (G + Lambda) s = -h} for the FGN curvature or the full GGN, in row space or parameter
 * space, by Cholesky or CG; {@link io.github.fastgn.solver.Damping} is the diagonal
 * {@code Lambda}; {@link io.github.fastgn.solver.Solvers} creates solvers by name and resolves
 * {@code auto} and {@code newton} by the cost model (ALGORITHM.md §2).
 *
 * <p>May import: the JDK, {@code io.github.fastgn.linalg} and {@code io.github.fastgn.core}.
 * Never {@code optim} (the optimizer depends on the solvers, not the reverse), Tribuo, XChart or
 * the experiments module.
 */
package io.github.fastgn.solver;
