package io.github.fastgn.data;


/**
 * The fixed feature maps of EXPERIMENTS.md (b) applied to a train/test pair, each fitted on the training part
 * only and then applied to both: standardised inputs, PCA (optionally whitened) and random ReLU
 * features. Labels, weights and class counts are kept.
 */
public final class FixedFeatures {

    private FixedFeatures() {
    }

    /** Features {@code (x - mean) / sd} with the training part's mean and population sd ({@link Standardizer}). */
    public static Splits.Split standardised(Splits.Split split) {
        LabelledData train = split.train();
        checkSameWidth(split);
        Standardizer s = Standardizer.fit(train.features(), train.size(), train.featureCount());
        return new Splits.Split(standardise(s, train), standardise(s, split.test()));
    }

    /** PCA to {@code k} dimensions fitted on the training part ({@link Pca}); EXPERIMENTS.md (b) uses k = 64 or 256, whitened. */
    public static Splits.Split pca(Splits.Split split, int k, boolean whiten) {
        checkSameWidth(split);
        Pca pca = Pca.fit(split.train(), k, whiten);
        return new Splits.Split(pca.transform(split.train()), pca.transform(split.test()));
    }

    /** Random ReLU features centred on the training part ({@link RandomReluFeatures}). */
    public static Splits.Split randomRelu(Splits.Split split, int dim, double scale, long seed) {
        checkSameWidth(split);
        RandomReluFeatures map = RandomReluFeatures.fit(split.train(), dim, scale, seed);
        return new Splits.Split(map.transform(split.train()), map.transform(split.test()));
    }

    /** Random ReLU features with the defaults ({@value RandomReluFeatures#DEFAULT_DIM} outputs, scale 4). */
    public static Splits.Split randomRelu(Splits.Split split, long seed) {
        return randomRelu(split, RandomReluFeatures.DEFAULT_DIM, RandomReluFeatures.DEFAULT_SCALE, seed);
    }

    private static LabelledData standardise(Standardizer s, LabelledData data) {
        return new LabelledData(s.transform(data.features(), data.size()), data.labels(), data.weights(),
                data.size(), data.featureCount(), data.classCount());
    }

    private static void checkSameWidth(Splits.Split split) {
        if (split.train().featureCount() != split.test().featureCount()) {
            throw new IllegalArgumentException("the training part has " + split.train().featureCount()
                    + " features but the test part has " + split.test().featureCount()
                    + "; both must come from the same data set");
        }
    }
}
