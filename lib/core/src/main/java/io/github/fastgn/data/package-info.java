/**
 * Data for training and experiments: {@link io.github.fastgn.data.LabelledData} (row-major
 * features, labels, optional weights), {@link io.github.fastgn.data.ClassWeights} (per-class weights on
 * top of the example weights: balanced or explicit) and stratified {@link io.github.fastgn.data.Splits}; loaders
 * for the bundled digits set and for Fashion-MNIST in IDX format; fixed feature maps fitted on a
 * training part (standardisation, whitened PCA, random ReLU features); and seeded synthetic data
 * (Gaussian and super-class prototypes, logit-controlled mechanism batches; EXPERIMENTS.md).
 * Everything random is seeded and platform-independent.
 *
 * <p><b>Feature storages</b> (ALGORITHM.md §7): {@link io.github.fastgn.data.FeatureMatrix} exposes the
 * products training needs ({@code X~ V^T}, {@code C^T X~}, the row Gram matrix, row norms,
 * column statistics) over {@link io.github.fastgn.data.DenseFeatures} (in-heap, double or float),
 * {@link io.github.fastgn.data.CsrFeatures} (compressed sparse rows, double or float values) and
 * {@link io.github.fastgn.data.MappedFloatFeatures} (a float matrix file read in row blocks, larger
 * than the heap); {@link io.github.fastgn.data.Svmlight} streams LIBSVM / svmlight files into CSR.
 * Sparse standardisation is scale-only ({@link io.github.fastgn.data.Standardizer#scaleOnly}), the
 * centring absorbed by the bias; the virtual-centring algebra is
 * {@link io.github.fastgn.data.Standardizer#foldIntoWeights} and
 * {@link io.github.fastgn.data.Standardizer#standardizedGradient}. {@link io.github.fastgn.data.LabelledData}
 * holds dense rows, sparse rows ({@code LabelledData.sparse}) or a mapped matrix
 * ({@code LabelledData.mapped}); the optimizers train on each without densifying the sparse rows or
 * copying the mapped matrix onto the heap (lib/README.md).
 *
 * <p>May import: the JDK, Commons Math (decompositions for PCA and the mechanism data),
 * {@code io.github.fastgn.internal.linalg}. Never the head, the solvers or
 * optimizers, Tribuo, XChart or the experiments module.
 */
package io.github.fastgn.data;
