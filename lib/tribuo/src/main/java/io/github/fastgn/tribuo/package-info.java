/**
 * Tribuo integration: {@link io.github.fastgn.tribuo.FGNTrainer}, a Tribuo {@code Trainer<Label>}
 * that trains with FastGN and returns a standard {@code LinearSGDModel}, and
 * {@link io.github.fastgn.tribuo.TribuoData}, which turns FastGN's plain arrays into Tribuo
 * datasets. This is the only package of FastGN that imports Tribuo.
 */
package io.github.fastgn.tribuo;
