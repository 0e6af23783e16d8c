/**
 * The learned cost model: {@link dev.ingot.tune.model.GradientBoostedTrees} (least-squares stochastic gradient
 * boosting, histogram splits) over a schedule space's features, predicting log(time / baseline time)
 * ({@link dev.ingot.tune.model.CostModel}); {@link dev.ingot.tune.model.Spearman} measures how well it ranks
 * held-out measurements, which is all the search needs of it.
 *
 * <p>Why our own trees and not a library's: the candidates were checked for licences. Smile went from
 * Apache-2.0 (1.x, unmaintained since 2019) to LGPL-3.0 with commercial dual licensing in 2.x and GPL-3.0 in
 * 3.x; Tribuo (Apache-2.0) does gradient boosting only through XGBoost's native library, tens of MB of JNI
 * binaries for a model fitted on a few hundred rows. The whole method is ~200 lines here, deterministic, and
 * its fit is tested on synthetic data ({@code GradientBoostedTreesTest}) against a linear baseline.
 */
package dev.ingot.tune.model;
