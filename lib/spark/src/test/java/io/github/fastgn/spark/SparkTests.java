package io.github.fastgn.spark;

import io.github.fastgn.data.CsrFeatures;
import io.github.fastgn.data.LabelledData;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The tests' Spark: one local[2] session for the whole test JVM, and data sets as DataFrames. */
final class SparkTests {

    private static SparkSession session;

    private SparkTests() {
    }

    static synchronized SparkSession spark() {
        if (session == null) {
            session = SparkSession.builder()
                    .master("local[2]")
                    .appName("fastgn-spark-tests")
                    .config("spark.ui.enabled", "false")
                    .config("spark.ui.showConsoleProgress", "false")
                    .config("spark.sql.shuffle.partitions", "2")
                    .config("spark.driver.host", "127.0.0.1")
                    .config("spark.driver.bindAddress", "127.0.0.1")
                    .getOrCreate();
        }
        return session;
    }

    static final StructType SCHEMA = new StructType()
            .add("label", DataTypes.DoubleType, false)
            .add("features", SQLDataTypes.VectorType(), false)
            .add("weight", DataTypes.DoubleType, false);

    /** {@code data} as (label, features, weight) rows in {@code partitions} partitions, dense or sparse vectors. */
    static Dataset<Row> frame(LabelledData data, boolean sparse, int partitions) {
        int n = data.size();
        int d = data.featureCount();
        List<Row> rows = new ArrayList<>(n);
        CsrFeatures xs = data.isSparse() ? data.sparseFeatures() : null;
        double[] x = xs == null ? data.features() : null;
        for (int i = 0; i < n; i++) {
            Vector v;
            if (xs != null) {
                int from = xs.rowStart()[i];
                int to = xs.rowStart()[i + 1];
                v = Vectors.sparse(d, Arrays.copyOfRange(xs.columnIndices(), from, to),
                        Arrays.copyOfRange(xs.values(), from, to));
            } else {
                v = Vectors.dense(Arrays.copyOfRange(x, i * d, (i + 1) * d));
            }
            v = sparse ? v.toSparse() : v.toDense();
            rows.add(RowFactory.create((double) data.labels()[i], v,
                    data.weights() == null ? 1.0 : data.weights()[i]));
        }
        // parallelize slices the list into contiguous ranges: the row order is the same for any partition count
        return spark().createDataFrame(JavaSparkContext.fromSparkContext(spark().sparkContext())
                .parallelize(rows, partitions), SCHEMA);
    }

    /** A scikit-learn CSV of the core's test resources ({@code sklearn/NAME.csv}) as plain arrays. */
    static LabelledData sklearn(String name) throws IOException {
        List<String> lines = lines("sklearn/" + name + ".csv");
        String[] header = lines.get(0).split(",");
        int n = Integer.parseInt(header[0]);
        int d = Integer.parseInt(header[1]);
        int k = header.length - 2;
        double[] x = new double[n * d];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            String[] v = lines.get(i + 1).split(",");
            for (int j = 0; j < d; j++) {
                x[i * d + j] = Double.parseDouble(v[j]);
            }
            y[i] = Integer.parseInt(v[d]);
        }
        return new LabelledData(x, y, null, n, d, k);
    }

    /** The non-blank lines of a resource of the core's tests in {@code io/github/fastgn/optim}. */
    static List<String> lines(String resource) throws IOException {
        try (InputStream in = SparkTests.class.getResourceAsStream("/io/github/fastgn/optim/" + resource)) {
            if (in == null) {
                throw new IOException("missing test resource " + resource + " (core's test jar)");
            }
            List<String> lines = new ArrayList<>();
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line; (line = r.readLine()) != null; ) {
                if (!line.isBlank()) {
                    lines.add(line.strip());
                }
            }
            return lines;
        }
    }
}
