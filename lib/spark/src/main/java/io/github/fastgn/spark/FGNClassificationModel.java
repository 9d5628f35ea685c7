package io.github.fastgn.spark;

import io.github.fastgn.SoftmaxModel;
import io.github.fastgn.optim.TrainingResult;
import io.github.fastgn.tribuo.FGNTrainer;
import org.apache.spark.ml.classification.ProbabilisticClassificationModel;
import org.apache.spark.ml.linalg.DenseVector;
import org.apache.spark.ml.linalg.SparseVector;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWriter;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.tribuo.classification.sgd.linear.LinearSGDModel;

import java.util.List;

/**
 * A fitted {@link FGNClassifier}: {@code p = softmax(W x + b)} on the raw features, with the
 * parameter values it was trained with. Saves and loads with Spark's ML persistence
 * ({@link #write()}, {@link #load}); converts to the core's {@link SoftmaxModel} and to a Tribuo
 * {@link LinearSGDModel} (to serve the head in a Tribuo pipeline or export it to ONNX).
 */
public final class FGNClassificationModel extends ProbabilisticClassificationModel<Vector, FGNClassificationModel>
        implements FGNParams, MLWritable {

    private static final long serialVersionUID = 1L;

    private final String uid;
    /** {@code [W | b]}, row-major {@code K x (d+1)}. */
    private final double[] weights;
    private final int d;
    private final int k;
    private final transient TrainingResult training;
    private final long jobs;

    FGNClassificationModel(String uid, double[] weights, int d, int k, TrainingResult training, long jobs) {
        this(Uids.begin(uid), weights, d, k, training, jobs, true);
    }

    private FGNClassificationModel(String uid, double[] weights, int d, int k, TrainingResult training, long jobs,
                                   boolean begun) {
        super(); // Spark's parameter traits read uid() here (Uids)
        this.uid = uid;
        Uids.end();
        this.weights = new SoftmaxModel(weights, d, k).weights();
        this.d = d;
        this.k = k;
        this.training = training;
        this.jobs = jobs;
        SparkOptions.setDefaults(this);
        setDefault(aggregationDepth(), SparkOptions.AGGREGATION_DEPTH_DEFAULT);
    }

    @Override
    public String uid() {
        return uid != null ? uid : Uids.pending();
    }

    @Override
    public int numClasses() {
        return k;
    }

    @Override
    public int numFeatures() {
        return d;
    }

    /** The logits {@code W x + b}. */
    @Override
    public Vector predictRaw(Vector features) {
        if (features.size() != d) {
            throw new IllegalArgumentException("the model has " + d + " features, the vector " + features.size());
        }
        int dd = d + 1;
        double[] z = new double[k];
        for (int c = 0; c < k; c++) {
            z[c] = weights[c * dd + d];
        }
        if (features instanceof DenseVector dv) {
            double[] x = dv.values();
            for (int c = 0; c < k; c++) {
                double s = 0;
                for (int j = 0; j < d; j++) {
                    s += weights[c * dd + j] * x[j];
                }
                z[c] += s;
            }
        } else {
            SparseVector sv = (SparseVector) features;
            int[] idx = sv.indices();
            double[] x = sv.values();
            for (int c = 0; c < k; c++) {
                double s = 0;
                for (int q = 0; q < idx.length; q++) {
                    s += weights[c * dd + idx[q]] * x[q];
                }
                z[c] += s;
            }
        }
        return Vectors.dense(z);
    }

    /** Softmax of the logits, in place (shifted by their largest value, so it never overflows). */
    @Override
    public Vector raw2probabilityInPlace(Vector raw) {
        double[] z = ((DenseVector) raw).values();
        double max = Double.NEGATIVE_INFINITY;
        for (double v : z) {
            max = Math.max(max, v);
        }
        double sum = 0;
        for (int c = 0; c < z.length; c++) {
            z[c] = Math.exp(z[c] - max);
            sum += z[c];
        }
        for (int c = 0; c < z.length; c++) {
            z[c] /= sum;
        }
        return raw;
    }

    /** Spark's own (javac needs the override to pick one of the two inherited Scala signatures). */
    @Override
    @SuppressWarnings("rawtypes")
    public scala.Tuple3 findSummaryModel() {
        return super.findSummaryModel();
    }

    @Override
    public FGNClassificationModel copy(ParamMap extra) {
        FGNClassificationModel copy = new FGNClassificationModel(uid, weights, d, k, training, jobs);
        return copyValues(copy, extra).setParent(parent());
    }

    /** {@code [W | b]}, row-major {@code K x (d+1)} with the bias last (a copy). */
    public double[] weights() {
        return weights.clone();
    }

    /** The head as the core's model (plain arrays; same weights). */
    public SoftmaxModel toSoftmaxModel() {
        return new SoftmaxModel(weights, d, k);
    }

    /**
     * The head as a Tribuo {@link LinearSGDModel} whose provenance records these parameter values
     * (as an {@link FGNTrainer}'s options) and {@code source}.
     *
     * @param featureNames the name of each feature column, {@code d} distinct names
     * @param classNames   the name of each class index, {@code K} distinct names
     */
    public LinearSGDModel toTribuoModel(String[] featureNames, String[] classNames, String source) {
        return new FGNTrainer(fgnOptions().toBuilder().standardize(getStandardization()).build())
                .toModel(toSoftmaxModel(), featureNames, classNames, source);
    }

    /** The core's record of the fit (history, stop reason, objective), or null for a loaded model. */
    public TrainingResult trainingResult() {
        return training;
    }

    /** Spark jobs the fit ran (passes over the data, the reading pass included), or 0 for a loaded model. */
    public long fitJobs() {
        return jobs;
    }

    @Override
    public MLWriter write() {
        return new Writer(this);
    }

    public static MLReader<FGNClassificationModel> read() {
        return new Reader();
    }

    public static FGNClassificationModel load(String path) {
        return read().load(path);
    }

    private static final StructType DATA = new StructType()
            .add("numFeatures", DataTypes.IntegerType, false)
            .add("numClasses", DataTypes.IntegerType, false)
            .add("weights", DataTypes.createArrayType(DataTypes.DoubleType, false), false);

    /** Spark's metadata (the parameters) plus one row of data: the shape and {@code [W | b]}. */
    private static final class Writer extends MLWriter {
        private final FGNClassificationModel model;

        Writer(FGNClassificationModel model) {
            this.model = model;
        }

        @Override
        public void saveImpl(String path) {
            DefaultParamsWriter.saveMetadata(model, path, sparkSession());
            Row row = RowFactory.create(model.d, model.k, model.weights);
            sparkSession().createDataFrame(List.of(row), DATA).repartition(1).write().parquet(path + "/data");
        }
    }

    private static final class Reader extends MLReader<FGNClassificationModel> {
        @Override
        public FGNClassificationModel load(String path) {
            DefaultParamsReader.Metadata metadata = DefaultParamsReader.loadMetadata(path, sparkSession(),
                    FGNClassificationModel.class.getName());
            Row row = sparkSession().read().parquet(path + "/data").select("numFeatures", "numClasses", "weights")
                    .head();
            List<Double> list = row.getList(2);
            double[] w = new double[list.size()];
            for (int t = 0; t < w.length; t++) {
                w[t] = list.get(t);
            }
            FGNClassificationModel model = new FGNClassificationModel(metadata.uid(), w, row.getInt(0), row.getInt(1),
                    null, 0);
            metadata.getAndSetParams(model, scala.Option.empty());
            return model;
        }
    }
}
