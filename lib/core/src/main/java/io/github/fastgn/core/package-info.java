/**
 * The linear softmax head and its evaluation: {@link io.github.fastgn.core.HeadBatch} holds the
 * logits and every per-example quantity of the true-vs-rest margin at one parameter point (margin,
 * competitor softmax, {@code u = e_y - q}, FGN weight, whitening and right-hand side) and offers the
 * matrix-free products (JVP, VJP, GGN product, curvature diagonals, logit-spread of a step) that
 * solvers and optimizers are built from (ALGORITHM.md §1-2). Also: whole data sets for full-batch
 * training at scale ({@link io.github.fastgn.core.FullData},
 * {@link io.github.fastgn.core.ChunkedObjective}), seeded mini-batches
 * ({@link io.github.fastgn.core.BatchStream}), the trained model
 * ({@link io.github.fastgn.core.SoftmaxModel}) and feature standardisation.
 *
 * <p>May import: the JDK and {@code io.github.fastgn.linalg}. Never the solvers, optimizers or
 * anything above them, and never Tribuo, XChart or the experiments module.
 */
package io.github.fastgn.core;
