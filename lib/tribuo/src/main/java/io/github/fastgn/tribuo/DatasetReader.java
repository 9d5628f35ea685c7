package io.github.fastgn.tribuo;

import io.github.fastgn.data.CsrFeatures;
import io.github.fastgn.data.LabelledData;
import io.github.fastgn.optim.FgnOptions;
import org.tribuo.Dataset;
import org.tribuo.Example;
import org.tribuo.Feature;
import org.tribuo.ImmutableFeatureMap;
import org.tribuo.ImmutableOutputInfo;
import org.tribuo.classification.Label;

import java.util.Arrays;

/**
 * Reads a Tribuo {@code Dataset<Label>} into FastGN's {@link LabelledData}: dense rows, or
 * compressed sparse rows ({@link CsrFeatures}) of the stored feature values, never a dense copy of
 * a sparse dataset. One pass over the examples checks them and fills either storage: feature ids
 * from the dataset's feature map (features outside it are skipped), repeated names summed as
 * Tribuo's {@code SparseVector} sums them, labels from its output domain, example weights (null
 * when every weight is 1). Values are held as float while every value (and every sum of repeated
 * names) is exactly a float, as pixels, counts and float32 embeddings are: the same values in half
 * the memory and memory traffic; the first value that is not widens them to double.
 *
 * <p>Which storage ({@link FgnOptions#featureStorage()}): "dense" or "sparse" as asked; "auto"
 * reads sparse rows when the examples store at most {@value FgnOptions#SPARSE_PERCENT}% of the
 * {@code n d} values (counted from the examples' sizes before reading) or when {@code n d} exceeds
 * the largest array, else dense rows.
 *
 * <p>Tried on the bench's {@code text} set through {@code LibSVMDataSource} (100000 examples, 4.9 M
 * values over 200,000 names; 2026-12-07, 2-core host) and not kept: reading in two parts on two
 * threads (0.29-0.33 s against 0.39-0.48 s once warm, but no faster on the first read in a fresh
 * JVM, 0.52 s against 0.48 s, which is what a pipeline meets: the JIT's compiler threads hold the
 * second core then); and making the dataset's feature map ({@code MutableDataset.getFeatureIDMap()}
 * builds a new one per call, 0.4-0.5 s here) on another thread while the values are read, under ids
 * ranked from the names or numbered locally and renumbered afterwards: the time before training
 * starts was 1.71-1.82 s against 1.55-1.62 s in fresh JVMs (the same contention, and the local
 * numbering's extra arrays). A read is bound by fetching each value's name and its table slot
 * from memory, about 100 ns a value.
 */
final class DatasetReader {

    private DatasetReader() {
    }

    /** Whether {@code storage} reads {@code stored} values of an {@code n x d} dataset as sparse rows. */
    static boolean sparse(String storage, long stored, int n, int d) {
        switch (storage) {
            case FgnOptions.STORAGE_SPARSE:
                return true;
            case FgnOptions.STORAGE_DENSE:
                return false;
            default:
                long cells = (long) n * d;
                return cells > Integer.MAX_VALUE - 8 || stored * 100 <= cells * FgnOptions.SPARSE_PERCENT;
        }
    }

    /**
     * The examples as plain arrays, in the storage {@code storage} chooses.
     *
     * @param denseRows told once, after the first example, when the rows are dense: whether they are float
     *                  so far (the trainer starts compiling the kernels of that storage while the rest is read)
     * @throws IllegalArgumentException naming the example with no known feature, a non-finite value or a
     *                                  label outside the output domain, or a dense read that cannot fit
     */
    static LabelledData read(Dataset<Label> examples, ImmutableFeatureMap featureMap,
                             ImmutableOutputInfo<Label> outputInfo, String storage,
                             java.util.function.Consumer<Boolean> denseRows) {
        int n = examples.size();
        int d = featureMap.size();
        int k = outputInfo.size();
        long stored = 0;
        for (Example<Label> ex : examples) {
            stored += ex.size();
        }
        boolean sparse = sparse(storage, stored, n, d);
        if (!sparse && (long) n * d > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("n*d = " + n + "*" + d + " exceeds the largest dense array; set"
                    + " featureStorage to \"sparse\" or \"auto\" to train on sparse rows");
        }
        Rows rows = sparse ? new SparseRows(n, d, stored) : new DenseRows(n, d);
        int[] y = new int[n];
        double[] w = new double[n];
        boolean weighted = false;
        // the id of the name met at each position of the previous example: examples built from one
        // names array share the String objects, and a reference check replaces the map lookup that
        // was 80% of the conversion (JFR, Fashion-MNIST pixels as 60000 ArrayExamples of 784 features)
        String[] seenName = new String[16];
        int[] seenId = new int[16];
        NameIds names = new NameIds(featureMap);
        int i = 0;
        for (Example<Label> ex : examples) {
            int known = 0;
            int position = 0;
            for (Feature f : ex) {
                String name = f.getName();
                if (position == seenName.length) {
                    seenName = Arrays.copyOf(seenName, 2 * position);
                    seenId = Arrays.copyOf(seenId, 2 * position);
                }
                int id;
                if (seenName[position] == name) {
                    id = seenId[position];
                } else {
                    id = names.id(name);
                    seenName[position] = name;
                    seenId[position] = id;
                }
                position++;
                if (id < 0) {
                    continue;
                }
                double v = f.getValue();
                if (!Double.isFinite(v)) {
                    throw new IllegalArgumentException("example " + i + " has a non-finite value " + v
                            + " for feature '" + f.getName() + "'; remove or impute it before training");
                }
                rows.add(i, id, v);
                known++;
            }
            if (known == 0) {
                throw new IllegalArgumentException("example " + i + " has no features (Tribuo cannot predict it "
                        + "either); remove it before training");
            }
            rows.endRow(i);
            if (i == 0 && rows instanceof DenseRows dense) {
                denseRows.accept(dense.xf != null);
            }
            int label = outputInfo.getID(ex.getOutput());
            if (label < 0) {
                throw new IllegalArgumentException("example " + i + " has label '" + ex.getOutput().getLabel()
                        + "', which is not in the dataset's output domain");
            }
            y[i] = label;
            float weight = ex.getWeight();
            w[i] = weight;
            weighted |= weight != 1.0f;
            i++;
        }
        if (i != n) {
            throw new IllegalStateException("the dataset reported " + n + " examples but iterated " + i);
        }
        // unit weights take the unweighted path of the core (identical objective, fewer operations)
        return rows.build(y, weighted ? w : null, k);
    }

    /**
     * The feature map's ids by name object: sparse examples put different names at each position, but
     * a data source that names every occurrence of a feature with one String (LibSVMDataSource and
     * Tribuo's text pipeline do) lets a reference-keyed table answer for the map. The map's lookup
     * reads the name, its hash node and the feature's info object, each somewhere on the heap; this
     * table reads the name's identity hash and a slot in two compact arrays. A name not seen before
     * (or another String with the same characters) is looked up in the map once and kept, so the ids
     * are the map's. A source that makes a new String for every occurrence would only fill the table:
     * past {@link #limit} names it is no longer consulted and every name goes to the map. Measured on
     * the bench's {@code text} set read from svmlight through {@code LibSVMDataSource} (100000
     * examples, 4.9 M values, 106,000 names in its first million values, one String each): the map's
     * hash lookups were 75% of the conversion's JFR samples, and the conversion took 1.9-2.3 s with
     * them, 0.5-0.85 s with this table (a timed loop, five reads in one JVM each). The JDK's
     * {@code IdentityHashMap<String, Integer>} in its place (the same limit): 0.53-1.05 s a read, the
     * first 0.69-0.71 s, against 0.47-0.92 s and 0.56-0.79 s for this table, alternating (2026-12-07):
     * its boxed ids are one more object to fetch per value.
     */
    static final class NameIds {
        private final ImmutableFeatureMap map;
        /** Names kept at most: twice the map's, plus room for some names outside it. */
        private final int limit;
        private String[] keys = new String[1 << 10];
        private int[] ids = new int[1 << 10];
        private int size;

        NameIds(ImmutableFeatureMap map) {
            this.map = map;
            this.limit = 2 * map.size() + 1024;
        }

        /** The map's id of {@code name}, or -1 when the map does not hold it. */
        int id(String name) {
            if (size >= limit) {
                return map.getID(name);
            }
            int mask = keys.length - 1;
            int slot = mix(System.identityHashCode(name)) & mask;
            for (String k; (k = keys[slot]) != null; slot = (slot + 1) & mask) {
                if (k == name) {
                    return ids[slot];
                }
            }
            int id = map.getID(name);
            keys[slot] = name;
            ids[slot] = id;
            if (++size * 2 > keys.length) {
                grow();
            }
            return id;
        }

        private static int mix(int h) {
            return h * 0x9E3779B9 >>> 7 ^ h;
        }

        private void grow() {
            String[] oldKeys = keys;
            int[] oldIds = ids;
            keys = new String[2 * oldKeys.length];
            ids = new int[2 * oldKeys.length];
            int mask = keys.length - 1;
            for (int t = 0; t < oldKeys.length; t++) {
                String k = oldKeys[t];
                if (k != null) {
                    int slot = mix(System.identityHashCode(k)) & mask;
                    while (keys[slot] != null) {
                        slot = (slot + 1) & mask;
                    }
                    keys[slot] = k;
                    ids[slot] = oldIds[t];
                }
            }
        }
    }

    /** Where the feature values of the examples go, row by row. */
    private interface Rows {
        /** Adds {@code value} to feature {@code id} of row {@code row}. */
        void add(int row, int id, double value);

        /** Row {@code row} is complete. */
        void endRow(int row);

        LabelledData build(int[] labels, double[] weights, int k);
    }

    private static final class DenseRows implements Rows {
        private final int n;
        private final int d;
        /** Float values until one is not exactly a float, then null and {@link #x} holds them. */
        private float[] xf;
        private double[] x;

        DenseRows(int n, int d) {
            this.n = n;
            this.d = d;
            this.xf = new float[n * d];
        }

        @Override
        public void add(int row, int id, double value) {
            int t = row * d + id;
            if (xf != null) {
                double sum = xf[t] + value; // += as SparseVector does for repeated feature names
                if ((float) sum == sum) {
                    xf[t] = (float) sum;
                    return;
                }
                x = widen(xf);
                xf = null;
            }
            x[t] += value;
        }

        @Override
        public void endRow(int row) {
        }

        @Override
        public LabelledData build(int[] labels, double[] weights, int k) {
            return xf != null ? LabelledData.ofFloat(xf, labels, weights, n, d, k)
                    : new LabelledData(x, labels, weights, n, d, k);
        }
    }

    static double[] widen(float[] values) {
        double[] wide = new double[values.length];
        for (int t = 0; t < values.length; t++) {
            wide[t] = values[t];
        }
        return wide;
    }

    /**
     * Rows in CSR: each row's (id, value) pairs are sorted by id and repeated ids summed in the
     * order they came (what the dense {@code +=} gives), then appended.
     */
    private static final class SparseRows implements Rows {
        private final int n;
        private final int d;
        private final int[] start;
        private final int[] columns;
        /** Float values until one is not exactly a float, then null and {@link #values} holds them. */
        private float[] floatValues;
        private double[] values;
        private int size;
        private int[] rowIds = new int[16];
        private double[] rowValues = new double[16];
        private Integer[] order = new Integer[16];
        private int rowLength;

        SparseRows(int n, int d, long stored) {
            if (stored > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("the examples store " + stored + " feature values, more than one"
                        + " Java array holds; train on fewer examples");
            }
            this.n = n;
            this.d = d;
            this.start = new int[n + 1];
            this.columns = new int[(int) stored];
            this.floatValues = new float[(int) stored];
        }

        @Override
        public void add(int row, int id, double value) {
            if (rowLength == rowIds.length) {
                rowIds = Arrays.copyOf(rowIds, 2 * rowLength);
                rowValues = Arrays.copyOf(rowValues, 2 * rowLength);
                order = Arrays.copyOf(order, 2 * rowLength);
            }
            rowIds[rowLength] = id;
            rowValues[rowLength] = value;
            rowLength++;
        }

        @Override
        public void endRow(int row) {
            // Tribuo's examples keep their features sorted by name, and the map numbers names in that
            // order: a row that comes increasing (the usual case) is taken in its own order, unsorted
            boolean increasing = true;
            for (int t = 1; t < rowLength && increasing; t++) {
                increasing = rowIds[t - 1] < rowIds[t];
            }
            if (!increasing) {
                for (int t = 0; t < rowLength; t++) {
                    order[t] = t;
                }
                // stable: repeated ids keep their order, so their sum is the dense path's
                Arrays.sort(order, 0, rowLength, (a, b) -> Integer.compare(rowIds[a], rowIds[b]));
            }
            int last = -1;
            for (int t = 0; t < rowLength; t++) {
                int o = increasing ? t : order[t];
                int id = rowIds[o];
                double v = rowValues[o];
                if (id == last) {
                    put(size - 1, get(size - 1) + v);
                } else {
                    columns[size] = id;
                    put(size, v);
                    size++;
                    last = id;
                }
            }
            rowLength = 0;
            start[row + 1] = size;
        }

        private double get(int p) {
            return floatValues != null ? floatValues[p] : values[p];
        }

        private void put(int p, double v) {
            if (floatValues != null) {
                if ((float) v == v) {
                    floatValues[p] = (float) v;
                    return;
                }
                values = widen(floatValues);
                floatValues = null;
            }
            values[p] = v;
        }

        @Override
        public LabelledData build(int[] labels, double[] weights, int k) {
            int[] cols = size == columns.length ? columns : Arrays.copyOf(columns, size);
            CsrFeatures x = floatValues != null
                    ? CsrFeatures.ofFloat(start, cols, size == floatValues.length ? floatValues
                            : Arrays.copyOf(floatValues, size), n, d)
                    : CsrFeatures.of(start, cols, size == values.length ? values : Arrays.copyOf(values, size), n, d);
            return LabelledData.sparse(x, labels, weights, k);
        }
    }
}
