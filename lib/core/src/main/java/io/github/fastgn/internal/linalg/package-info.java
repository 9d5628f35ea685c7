/**
 * Dense linear algebra for linear softmax heads: the two products every FGN, GGN and gradient
 * computation reduces to ({@link io.github.fastgn.internal.linalg.HeadKernels}: {@code X~ V^T} and
 * {@code C^T X~} with the bias column folded in, double or float features; for many classes on packed
 * {@link io.github.fastgn.internal.linalg.Panels}, one packing for both kernel paths), the blocked
 * {@link io.github.fastgn.internal.linalg.Cholesky} factorisation, preconditioned
 * {@link io.github.fastgn.internal.linalg.ConjugateGradient} with a caller-supplied stopping test, the
 * same products, the row Gram matrix and column sums over compressed sparse rows
 * ({@link io.github.fastgn.internal.linalg.CsrRowsDouble}, {@link io.github.fastgn.internal.linalg.CsrRowsFloat},
 * generated from one template), the deterministic fork-join loops of
 * {@link io.github.fastgn.internal.linalg.Parallel}, and for the baselines the rank-one inverse update
 * {@link io.github.fastgn.internal.linalg.ShermanMorrison} and OGR's
 * {@link io.github.fastgn.internal.linalg.GradientRegression}; {@link io.github.fastgn.internal.linalg.KernelWarmUp}
 * compiles the products of a run's shape in a daemon thread before the run needs them (first run in a fresh JVM).
 *
 * <p>Kernels exist twice, plain loops and the incubating Vector API, chosen once per JVM; results
 * are bit-identical for any thread count within one implementation (ALGORITHM.md §3, determinism
 * and threads). The Vector API class is loaded reflectively, so the package runs on a JVM without
 * {@code jdk.incubator.vector}.
 *
 * <p>May import: the JDK (including {@code jdk.incubator.vector}, only from the reflectively
 * loaded kernels, and {@code com.sun.management}, only for ScalarPanels to read whether HotSpot
 * uses the CPU's FMA) and Commons Math (only GradientRegression, for its small {@code r x r} solve and
 * eigen-decomposition). Nothing from FastGN's other packages, Tribuo, XChart or the
 * experiments module: this is the bottom of the dependency graph.
 * <p>Internal: public only for FastGN's own packages and modules, not an API.
 */
package io.github.fastgn.internal.linalg;
