/**
 * FastGN: Fast Gauss-Newton training of linear softmax heads (multinomial logistic regression on
 * fixed features). {@link io.github.fastgn.SoftmaxHeadTrainer} is the plain-array entry point:
 * it standardises the features, runs {@link io.github.fastgn.optim.FgnOptimizer} and folds the
 * scaling back into the returned model.
 *
 * <p>The algorithm is described in {@code lib/core/ALGORITHM.md}. Packages of the
 * {@code fastgn-core} module, from the bottom up: {@code linalg} (kernels, Cholesky, CG),
 * {@code core} (the head and its per-example margin quantities), {@code solver} (damped step
 * solvers), {@code optim} (the Levenberg-Marquardt trainer and its options), {@code baseline}
 * (first-order methods and L-BFGS), {@code data} (data types, loaders, feature maps, synthetic
 * data) and {@code notebook} (notebook adapters).
 *
 * <p>May import: the JDK, Commons Math and the other packages of {@code fastgn-core}. Like the
 * rest of the module it never imports Tribuo, XChart, or the experiments module.
 */
package io.github.fastgn;
