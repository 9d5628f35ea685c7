/**
 * JMH benchmarks (Maven profile {@code bench}, built into {@code lib/experiments/target/benchmarks.jar}):
 * the two head products ({@link io.github.fastgn.bench.ProductBenchmark}; on sparse rows against
 * dense, {@link io.github.fastgn.bench.CsrProductBenchmark}), the Cholesky
 * factorisation ({@link io.github.fastgn.bench.CholeskyBenchmark}), the per-step cost against K
 * ({@link io.github.fastgn.bench.StepBenchmark}, the timing side of experiment (c) in
 * {@code lib/experiments/EXPERIMENTS.md}) and full-batch training to a target objective
 * ({@link io.github.fastgn.bench.TrainingBenchmark}). {@link io.github.fastgn.bench.BenchMain}
 * runs JMH and prints each figure with its ratio to the in-run baseline.
 *
 * <p>May import: the JDK, JMH, Commons Math (reference implementations to compare against),
 * every package of {@code fastgn-core} and {@code io.github.fastgn.experiment} (the shared
 * {@code StepProblem}). Not part of any shipped artifact; nothing imports it.
 */
package io.github.fastgn.bench;
