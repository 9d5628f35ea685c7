package io.github.fastgn.spark;

import io.github.fastgn.SoftmaxModel;
import io.github.fastgn.data.LabelledData;
import io.github.fastgn.testing.QuietTestBase;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.tuning.CrossValidator;
import org.apache.spark.ml.tuning.CrossValidatorModel;
import org.apache.spark.ml.tuning.ParamGridBuilder;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;
import org.tribuo.classification.sgd.linear.LinearSGDModel;
import org.tribuo.impl.ArrayExample;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The estimator in Spark's machinery: persistence, pipelines, cross-validation, conversions, determinism. */
class FGNClassifierApiTest extends QuietTestBase {

    private static final String[] COLUMNS = {"sepal_length", "sepal_width", "petal_length", "petal_width"};

    /** Iris as one column per feature plus a label, the shape a VectorAssembler starts from. */
    private static Dataset<Row> irisColumns() throws IOException {
        LabelledData data = SparkTests.sklearn("iris");
        StructType schema = new StructType();
        for (String c : COLUMNS) {
            schema = schema.add(c, DataTypes.DoubleType, false);
        }
        schema = schema.add("label", DataTypes.DoubleType, false);
        List<Row> rows = new ArrayList<>();
        double[] x = data.features();
        for (int i = 0; i < data.size(); i++) {
            rows.add(RowFactory.create(x[4 * i], x[4 * i + 1], x[4 * i + 2], x[4 * i + 3], (double) data.labels()[i]));
        }
        return SparkTests.spark().createDataFrame(rows, schema).repartition(2);
    }

    private static double[] probabilities(Dataset<Row> predicted) {
        List<Row> rows = predicted.select("probability").collectAsList();
        double[] out = new double[rows.size() * 3];
        for (int i = 0; i < rows.size(); i++) {
            double[] p = ((Vector) rows.get(i).get(0)).toArray();
            System.arraycopy(p, 0, out, 3 * i, 3);
        }
        return out;
    }

    @Test
    void aPipelineWithVectorAssemblerFitsPredictsAndSurvivesSaveAndLoad(@TempDir Path dir) throws IOException {
        Dataset<Row> iris = irisColumns().cache();
        FGNClassifier fgn = new FGNClassifier().setRegParam(1e-3);
        Pipeline pipeline = new Pipeline().setStages(new PipelineStage[] {
            new VectorAssembler().setInputCols(COLUMNS).setOutputCol("features"), fgn});
        PipelineModel fitted = pipeline.fit(iris);
        Dataset<Row> predicted = fitted.transform(iris);
        double accuracy = new MulticlassClassificationEvaluator().setMetricName("accuracy").evaluate(predicted);
        assertTrue(accuracy >= 0.95, "training accuracy on iris " + accuracy);
        FGNClassificationModel model = (FGNClassificationModel) fitted.stages()[1];
        assertEquals(3, model.numClasses());
        assertEquals(4, model.numFeatures());
        assertEquals(1e-3, model.getRegParam(), "the model carries the parameters it was fitted with");
        // the probabilities are the core model's
        SoftmaxModel core = model.toSoftmaxModel();
        List<Row> rows = predicted.select(COLUMNS[0], COLUMNS[1], COLUMNS[2], COLUMNS[3], "probability")
                .collectAsList();
        for (Row r : rows) {
            double[] xi = {r.getDouble(0), r.getDouble(1), r.getDouble(2), r.getDouble(3)};
            assertArrayEquals(core.probabilities(xi, 1), ((Vector) r.get(4)).toArray(), 1e-12);
        }

        Path modelPath = dir.resolve("pipeline");
        fitted.save(modelPath.toString());
        PipelineModel loaded = PipelineModel.load(modelPath.toString());
        FGNClassificationModel back = (FGNClassificationModel) loaded.stages()[1];
        assertArrayEquals(model.weights(), back.weights(), 0.0);
        assertEquals(model.uid(), back.uid());
        assertEquals(1e-3, back.getRegParam());
        assertNull(back.trainingResult());
        assertArrayEquals(probabilities(predicted), probabilities(loaded.transform(iris)), 0.0);

        Path estimatorPath = dir.resolve("estimator");
        fgn.setMaxIter(77).setWeightCol("").save(estimatorPath.toString());
        FGNClassifier estimator = FGNClassifier.load(estimatorPath.toString());
        assertEquals(fgn.uid(), estimator.uid());
        assertEquals(77, estimator.getMaxIter());
        assertEquals(1e-3, estimator.getRegParam());
        assertEquals(fgn.getSeed(), estimator.getSeed());
        iris.unpersist();
    }

    @Test
    void crossValidationOverAParamGridPicksTheBetterRegParam() throws IOException {
        Dataset<Row> iris = irisColumns().cache();
        FGNClassifier fgn = new FGNClassifier();
        Pipeline pipeline = new Pipeline().setStages(new PipelineStage[] {
            new VectorAssembler().setInputCols(COLUMNS).setOutputCol("features"), fgn});
        ParamMap[] grid = new ParamGridBuilder().addGrid(fgn.regParam(), new double[] {1e-3, 10.0}).build();
        CrossValidatorModel cv = new CrossValidator().setEstimator(pipeline).setEstimatorParamMaps(grid)
                .setEvaluator(new MulticlassClassificationEvaluator().setMetricName("logLoss"))
                .setNumFolds(2).setSeed(7).fit(iris);
        double[] metrics = cv.avgMetrics();
        assertEquals(2, metrics.length);
        // a weak penalty fits iris far better than regParam = 10 (which leaves the classes nearly uniform)
        assertTrue(metrics[0] < metrics[1], Arrays.toString(metrics));
        FGNClassificationModel best = (FGNClassificationModel) ((PipelineModel) cv.bestModel()).stages()[1];
        assertEquals(1e-3, best.getRegParam());
        iris.unpersist();
    }

    @Test
    void theTribuoModelPredictsTheSameProbabilities() throws IOException {
        LabelledData data = SparkTests.sklearn("iris");
        FGNClassificationModel model = new FGNClassifier().setRegParam(1e-2).fit(SparkTests.frame(data, false, 2));
        String[] classes = {"virginica", "setosa", "versicolor"}; // names that sort unlike their indices
        LinearSGDModel tribuo = model.toTribuoModel(COLUMNS, classes, "iris as a Spark DataFrame");
        SoftmaxModel core = model.toSoftmaxModel();
        double[] x = data.features();
        for (int i = 0; i < data.size(); i += 7) {
            double[] xi = Arrays.copyOfRange(x, 4 * i, 4 * i + 4);
            double[] p = core.probabilities(xi, 1);
            Prediction<Label> pred = tribuo.predict(new ArrayExample<>(new Label("?"), COLUMNS, xi));
            for (int c = 0; c < 3; c++) {
                assertEquals(p[c], pred.getOutputScores().get(classes[c]).getScore(), 1e-12, "row " + i + " class " + c);
            }
        }
        assertTrue(tribuo.getProvenance().getDatasetProvenance().toString().contains("iris as a Spark DataFrame"),
                tribuo.getProvenance().toString());
    }

    /**
     * Same seed and partitioning: the same model bit for bit (the partitions' sums are added in a fixed
     * order), here with a sampled curvature so the seed matters. Another partitioning changes the order
     * of the floating-point sums only: the same optimum to rounding, not the same bits.
     */
    @Test
    void aFitIsDeterministicForAGivenSeedAndPartitioning() throws IOException {
        LabelledData data = SparkTests.sklearn("breast_cancer");
        FGNClassifier fgn = new FGNClassifier().setRegParam(1e-2).setCurvatureSampleSize(128).setSeed(42)
                .setAggregationDepth(2);
        Dataset<Row> four = SparkTests.frame(data, false, 4).cache();
        double[] a = fgn.fit(four).weights();
        double[] b = fgn.fit(four).weights();
        assertArrayEquals(a, b, 0.0);
        double[] other = fgn.copy(ParamMap.empty()).setSeed(43).fit(four).weights();
        assertFalse(Arrays.equals(a, other), "another seed draws other samples");
        double[] one = fgn.fit(SparkTests.frame(data, false, 1)).weights();
        double err = 0;
        double norm = 0;
        for (int t = 0; t < a.length; t++) {
            err = Math.max(err, Math.abs(a[t] - one[t]));
            norm = Math.max(norm, Math.abs(a[t]));
        }
        assertTrue(err <= 1e-5 * norm, "1 vs 4 partitions: " + err / norm);
        assertNotEquals(0.0, norm);
        four.unpersist();
    }
}
