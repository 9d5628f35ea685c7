package io.github.fastgn.tribuo;

import io.github.fastgn.data.CsrFeatures;
import io.github.fastgn.data.LabelledData;
import org.tribuo.MutableDataset;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.impl.ArrayExample;
import org.tribuo.provenance.SimpleDataSourceProvenance;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Converts FastGN's plain-array {@link LabelledData} into Tribuo datasets, for tests, benchmarks
 * and notebooks. For dense data every feature value is stored, zeros included, so the examples are
 * dense and the Tribuo feature domain has exactly the {@code d} columns of the array; for sparse data
 * ({@link LabelledData#isSparse()}) each example stores its stored values only, as a text pipeline's
 * examples do (the domain then holds the columns that occur).
 *
 * <p>Default feature names are zero-padded ({@code f00 .. f63} for 64 features). Tribuo numbers
 * features by sorting their names, so with these names feature id {@code j} is column {@code j}.
 * Pass names explicitly to keep domain names; Tribuo then orders the columns by name.
 */
public final class TribuoData {

    private TribuoData() {
    }

    /**
     * A dataset with features named {@code f00, f01, ...} and classes named {@code "0" .. "K-1"}.
     *
     * @param description what the data is (becomes the data source provenance)
     */
    public static MutableDataset<Label> toDataset(LabelledData data, String description) {
        requireData(data);
        return toDataset(data, classNames(data.classCount()), featureNames("f", data.featureCount()), description);
    }

    /**
     * A dataset with features named {@code f00, f01, ...}.
     *
     * @param classNames  the name of each class index, {@code K} distinct names
     * @param description what the data is (becomes the data source provenance)
     */
    public static MutableDataset<Label> toDataset(LabelledData data, String[] classNames, String description) {
        requireData(data);
        return toDataset(data, classNames, featureNames("f", data.featureCount()), description);
    }

    /**
     * A dataset with the given names; example weights are carried over when the data has them.
     *
     * @param classNames   the name of each class index, {@code K} distinct names
     * @param featureNames the name of each column, {@code d} distinct names
     * @param description  what the data is (becomes the data source provenance)
     * @throws IllegalArgumentException if {@code data} is null, or a name array has the wrong length or repeats a name
     */
    public static MutableDataset<Label> toDataset(LabelledData data, String[] classNames, String[] featureNames,
                                                  String description) {
        requireData(data);
        int n = data.size();
        int d = data.featureCount();
        int k = data.classCount();
        checkNames("classNames", classNames, k);
        checkNames("featureNames", featureNames, d);
        if (description == null || description.isBlank()) {
            throw new IllegalArgumentException("description must not be empty");
        }
        LabelFactory factory = new LabelFactory();
        MutableDataset<Label> dataset = new MutableDataset<>(new SimpleDataSourceProvenance(description, factory),
                factory);
        Label[] labels = new Label[k];
        for (int c = 0; c < k; c++) {
            labels[c] = new Label(classNames[c]);
        }
        int[] y = data.labels();
        double[] w = data.weights();
        double[] x = data.isSparse() ? null : data.features();
        CsrFeatures xs = data.sparseFeatures();
        for (int i = 0; i < n; i++) {
            ArrayExample<Label> ex;
            if (xs == null) {
                ex = new ArrayExample<>(labels[y[i]], featureNames, Arrays.copyOfRange(x, i * d, (i + 1) * d));
            } else {
                int from = xs.rowStart()[i];
                int to = xs.rowStart()[i + 1];
                String[] names = new String[to - from];
                double[] values = new double[to - from];
                for (int q = from; q < to; q++) {
                    names[q - from] = featureNames[xs.columnIndices()[q]];
                    values[q - from] = xs.values() != null ? xs.values()[q] : xs.floatValues()[q];
                }
                ex = new ArrayExample<>(labels[y[i]], names, values);
            }
            if (w != null) {
                ex.setWeight((float) w[i]);
            }
            dataset.add(ex);
        }
        return dataset;
    }

    private static void requireData(LabelledData data) {
        if (data == null) {
            throw new IllegalArgumentException("data must not be null");
        }
    }

    /** {@code prefix} followed by the zero-padded column index: {@code f00 .. f63} for {@code d = 64}. */
    public static String[] featureNames(String prefix, int d) {
        int width = Integer.toString(Math.max(0, d - 1)).length();
        String[] names = new String[d];
        for (int j = 0; j < d; j++) {
            names[j] = prefix + String.format(Locale.ROOT, "%0" + width + "d", j);
        }
        return names;
    }

    /** {@code "0" .. "K-1"}. */
    public static String[] classNames(int k) {
        String[] names = new String[k];
        for (int c = 0; c < k; c++) {
            names[c] = Integer.toString(c);
        }
        return names;
    }

    static void checkNames(String what, String[] names, int expected) {
        if (names == null || names.length != expected) {
            throw new IllegalArgumentException(what + " must hold " + expected + " names, got "
                    + (names == null ? "null" : Integer.toString(names.length)));
        }
        Set<String> seen = new HashSet<>();
        for (String s : names) {
            if (s == null || s.isEmpty()) {
                throw new IllegalArgumentException(what + " contains an empty name");
            }
            if (!seen.add(s)) {
                throw new IllegalArgumentException(what + " repeats the name '" + s + "'");
            }
        }
    }
}
