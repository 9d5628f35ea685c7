/**
 * The linear softmax head and its evaluation: {@link io.github.fastgn.internal.head.HeadBatch} holds the
 * logits and every per-example quantity of the true-vs-rest margin at one parameter point (margin,
 * competitor softmax, {@code u = e_y - q}, FGN weight, whitening and right-hand side) and offers the
 * matrix-free products (JVP, VJP, GGN product, curvature diagonals, logit-spread of a step) that
 * solvers and optimizers are built from (ALGORITHM.md §1-2). Also: whole data sets for full-batch
 * training at scale ({@link io.github.fastgn.internal.head.FullData},
 * {@link io.github.fastgn.internal.head.ChunkedObjective}; a memory-mapped matrix is read block by
 * block, its logits kept in a temporary mapped file when they would crowd the heap), seeded
 * mini-batches ({@link io.github.fastgn.internal.head.BatchStream}), the rows of a
 * {@code LabelledData} in any storage as those read them ({@link io.github.fastgn.internal.head.DataRows}),
 * and the interface through which the full-batch optimizer trains on rows held elsewhere, e.g. a
 * Spark data set in fastgn-spark ({@link io.github.fastgn.internal.head.ExternalRows}). Internal:
 * public only for FastGN's own
 * packages and modules, not an API.
 *
 * <p>May import: the JDK, {@code io.github.fastgn.internal.linalg} and {@code io.github.fastgn.data} (the
 * feature storages: sparse rows are evaluated through {@code FeatureMatrix}). Never the solvers,
 * optimizers or anything above them, and never Tribuo, XChart or the experiments module.
 */
package io.github.fastgn.internal.head;
