package io.github.fastgn.tribuo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.fastgn.data.CsrFeatures;
import io.github.fastgn.data.LabelledData;
import io.github.fastgn.optim.FgnOptions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.tribuo.Example;
import org.tribuo.Feature;
import org.tribuo.MutableDataset;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.impl.ListExample;
import org.tribuo.provenance.SimpleDataSourceProvenance;

/**
 * {@link DatasetReader} reads the same values as sparse rows as it writes densely: each row's stored
 * values, densified, are the dense read's row bit for bit, with repeated feature names summed in the
 * order they come and rows whose features do not come in id order sorted. Checked on random sparse
 * examples with names in the map's order (Tribuo's usual examples, the reader's shortcut) and on
 * examples that hand out their features in reverse order with one name twice (its general path).
 */
class DatasetReaderTest {

    private static final int FEATURES = 40;

    private static String name(int j) {
        return String.format("w%03d", j);
    }

    /** Random examples of 1-12 features; {@code shuffled} hands them out reversed, the last one twice. */
    private static MutableDataset<Label> dataset(boolean shuffled, long seed) {
        LabelFactory factory = new LabelFactory();
        MutableDataset<Label> data = new MutableDataset<>(new SimpleDataSourceProvenance("reader test", factory),
                factory);
        SplittableRandom rng = new SplittableRandom(seed);
        for (int i = 0; i < 200; i++) {
            List<Feature> features = new ArrayList<>();
            int count = 1 + rng.nextInt(12);
            for (int t = 0; t < count; t++) {
                int j = rng.nextInt(FEATURES);
                // a value that is not a float in every 7th example: the double storage too
                double v = i % 7 == 0 ? rng.nextDouble() : (float) rng.nextGaussian();
                if (features.stream().noneMatch(f -> f.getName().equals(name(j)))) {
                    features.add(new Feature(name(j), v));
                }
            }
            if (!shuffled) {
                features.sort((a, b) -> a.getName().compareTo(b.getName()));
            }
            Label label = new Label("c" + rng.nextInt(3));
            double repeat = (float) rng.nextGaussian();
            // Tribuo's examples keep their features sorted by name and refuse repeated names; a custom
            // example may hand them out in any order, some twice
            Example<Label> ex = shuffled ? new ListExample<>(label, features) {
                @Override
                public Iterator<Feature> iterator() {
                    List<Feature> out = new ArrayList<>();
                    super.iterator().forEachRemaining(out::add);
                    Collections.reverse(out);
                    out.add(new Feature(out.get(0).getName(), repeat));
                    return out.iterator();
                }
            } : new ListExample<>(label, features);
            data.add(ex);
        }
        return data;
    }

    private static double[] densified(CsrFeatures x) {
        double[] dense = new double[x.rows() * x.columns()];
        int[] start = x.rowStart();
        int[] columns = x.columnIndices();
        for (int i = 0; i < x.rows(); i++) {
            for (int t = start[i]; t < start[i + 1]; t++) {
                assertTrue(t == start[i] || columns[t - 1] < columns[t], "row " + i + " not strictly increasing");
                dense[i * x.columns() + columns[t]] = x.isFloat() ? x.floatValues()[t] : x.values()[t];
            }
        }
        return dense;
    }

    private static double[] dense(LabelledData data) {
        if (data.isFloat()) {
            float[] f = data.floatFeatures();
            double[] d = new double[f.length];
            for (int t = 0; t < f.length; t++) {
                d[t] = f[t];
            }
            return d;
        }
        return data.features();
    }

    private static void sparseMatchesDense(boolean shuffled) {
        for (long seed = 1; seed <= 5; seed++) {
            MutableDataset<Label> data = dataset(shuffled, seed);
            LabelledData sparse = DatasetReader.read(data, data.getFeatureIDMap(), data.getOutputIDInfo(),
                    FgnOptions.STORAGE_SPARSE, floatRows -> { });
            LabelledData dense = DatasetReader.read(data, data.getFeatureIDMap(), data.getOutputIDInfo(),
                    FgnOptions.STORAGE_DENSE, floatRows -> { });
            assertArrayEquals(dense(dense), densified(sparse.sparseFeatures()), "seed " + seed);
            assertArrayEquals(dense.labels(), sparse.labels());
            assertEquals(data.size(), sparse.size());
        }
    }

    @Test
    void sortedExamplesReadAsSparseRowsAreTheDenseRows() {
        sparseMatchesDense(false);
    }

    @Test
    void unsortedExamplesWithRepeatedNamesAreSortedAndSummed() {
        sparseMatchesDense(true);
    }
}
