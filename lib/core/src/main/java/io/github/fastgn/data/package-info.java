/**
 * Data for training and experiments: {@link io.github.fastgn.data.LabelledData} (row-major
 * features, labels, optional weights), {@link io.github.fastgn.data.ClassWeights} (per-class weights on
 * top of the example weights: balanced or explicit) and stratified {@link io.github.fastgn.data.Splits}; loaders
 * for the bundled digits set and for Fashion-MNIST in IDX format; fixed feature maps fitted on a
 * training part (standardisation, whitened PCA, random ReLU features); and seeded synthetic data
 * (Gaussian and super-class prototypes, logit-controlled mechanism batches; EXPERIMENTS.md).
 * Everything random is seeded and platform-independent.
 *
 * <p>May import: the JDK, Commons Math (decompositions for PCA and the mechanism data),
 * {@code io.github.fastgn.internal.linalg}. Never the head, the solvers or
 * optimizers, Tribuo, XChart or the experiments module.
 */
package io.github.fastgn.data;
