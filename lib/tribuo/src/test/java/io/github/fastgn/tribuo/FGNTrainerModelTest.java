package io.github.fastgn.tribuo;

import io.github.fastgn.optim.FgnOptions;
import ai.onnxruntime.OrtException;
import com.oracle.labs.mlrg.olcut.provenance.Provenance;
import com.oracle.labs.mlrg.olcut.provenance.primitives.IntProvenance;
import com.oracle.labs.mlrg.olcut.provenance.primitives.BooleanProvenance;
import com.oracle.labs.mlrg.olcut.provenance.primitives.StringProvenance;
import com.oracle.labs.mlrg.olcut.util.Pair;
import io.github.fastgn.optim.IterationRecord;
import io.github.fastgn.optim.TrainingListener;
import io.github.fastgn.optim.TrainingResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.tribuo.Dataset;
import org.tribuo.Example;
import org.tribuo.Model;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;
import org.tribuo.classification.example.LabelledDataGenerator;
import org.tribuo.classification.sgd.linear.LinearSGDModel;
import org.tribuo.interop.onnx.OnnxTestUtils;
import org.tribuo.provenance.ModelProvenance;
import org.tribuo.test.Helpers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The model FGNTrainer returns behaves as a Tribuo LinearSGDModel in every respect. */
@ExtendWith(TestSupport.NoConsoleOutput.class)
class FGNTrainerModelTest {

    private static void checkModel(LinearSGDModel model, Dataset<Label> test) {
        assertSame(LinearSGDModel.class, model.getClass());
        assertTrue(model.generatesProbabilities());
        List<Prediction<Label>> predictions = model.predict(test);
        assertEquals(test.size(), predictions.size());
        for (Prediction<Label> p : predictions) {
            assertTrue(p.hasProbabilities());
            double sum = 0;
            for (Label l : p.getOutputScores().values()) {
                assertTrue(l.getScore() >= 0 && l.getScore() <= 1, "score " + l.getScore());
                sum += l.getScore();
            }
            assertEquals(1.0, sum, 1e-9);
            assertEquals(test.getOutputIDInfo().size(), p.getOutputScores().size());
        }

        Map<String, List<Pair<String, Double>>> top = model.getTopFeatures(3);
        assertEquals(test.getOutputIDInfo().size(), top.size());
        top.values().forEach(list -> assertEquals(3, list.size()));
        Map<String, List<Pair<String, Double>>> all = model.getTopFeatures(-1);
        for (List<Pair<String, Double>> list : all.values()) {
            assertEquals(model.getFeatureIDMap().size() + 1, list.size());
            assertTrue(list.stream().anyMatch(pair -> pair.getA().equals(Model.BIAS_FEATURE)));
            list.forEach(pair -> assertTrue(Double.isFinite(pair.getB())));
        }

        Example<Label> first = test.getExample(0);
        assertTrue(model.getExcuse(first).isPresent());
        assertFalse(model.getExcuse(first).get().excuse(model.predict(first).getOutput().getLabel()).isEmpty());
    }

    @Test
    void denseData() {
        Pair<Dataset<Label>, Dataset<Label>> p = LabelledDataGenerator.denseTrainTest();
        LinearSGDModel model = new FGNTrainer(1e-4).train(p.getA());
        checkModel(model, p.getB());
        Helpers.testModelSerialization(model, Label.class);
        Helpers.testModelProtoSerialization(model, Label.class, p.getB());
    }

    @Test
    void sparseData() {
        Pair<Dataset<Label>, Dataset<Label>> p = LabelledDataGenerator.sparseTrainTest();
        LinearSGDModel model = new FGNTrainer(1e-4).train(p.getA());
        checkModel(model, p.getB());
        Helpers.testModelProtoSerialization(model, Label.class, p.getB());
    }

    @Test
    void binarySparseData() {
        Pair<Dataset<Label>, Dataset<Label>> p = LabelledDataGenerator.binarySparseTrainTest();
        LinearSGDModel model = new FGNTrainer(1e-4).train(p.getA());
        checkModel(model, p.getB());
    }

    @Test
    void minibatchDigits() {
        FGNTrainer trainer = new FGNTrainer(FgnOptions.builder().mode(FgnOptions.Mode.MINIBATCH).batchSize(256).maxIterations(60).build());
        LinearSGDModel model = trainer.train(TestSupport.digitsTrain());
        checkModel(model, TestSupport.digitsTest());
        Helpers.testModelSerialization(model, Label.class);
        Helpers.testModelProtoSerialization(model, Label.class, TestSupport.digitsTest());
    }

    @Test
    void provenanceRecordsTheRun() {
        Pair<Dataset<Label>, Dataset<Label>> p = LabelledDataGenerator.denseTrainTest();
        FGNTrainer trainer = new FGNTrainer(1e-3);
        trainer.train(p.getA());
        LinearSGDModel second = trainer.train(p.getA(), Map.of("note",
                new StringProvenance("note", "hello")));
        ModelProvenance prov = second.getProvenance();
        assertEquals(LinearSGDModel.class.getName(), prov.getClassName());
        assertEquals(FGNTrainer.class.getName(), prov.getTrainerProvenance().getClassName());
        assertEquals(1, ((IntProvenance) prov.getTrainerProvenance().getInstanceValues()
                .get("train-invocation-count")).getValue());
        assertTrue(prov.getTrainerProvenance().getConfiguredParameters().containsKey("l2"));
        Map<String, Provenance> instance = (Map<String, Provenance>) (Map<String, ?>) prov.getInstanceProvenance()
                .getMap();
        for (String key : List.of(FGNTrainer.ITERATIONS, FGNTrainer.EPOCHS, FGNTrainer.FINAL_OBJECTIVE,
                FGNTrainer.FINAL_GRADIENT_NORM, FGNTrainer.SOLVER, FGNTrainer.STOP_REASON, FGNTrainer.CONVERGED,
                FGNTrainer.SEED,
                FGNTrainer.TRAIN_SECONDS, "note")) {
            assertTrue(instance.containsKey(key), key);
        }
        assertEquals("CONVERGED", ((StringProvenance) instance.get(FGNTrainer.STOP_REASON)).getValue());
        assertTrue(((BooleanProvenance) instance.get(FGNTrainer.CONVERGED)).getValue());
        assertEquals("hello", ((StringProvenance) instance.get("note")).getValue());
        Helpers.testProvenanceMarshalling(prov);
    }

    @Test
    void listenersObserveTrainingButAreNotProvenance() {
        Pair<Dataset<Label>, Dataset<Label>> p = LabelledDataGenerator.denseTrainTest();
        FGNTrainer trainer = new FGNTrainer(1e-4);
        String before = trainer.getProvenance().toString();
        List<IterationRecord> seen = new ArrayList<>();
        TrainingResult[] finished = new TrainingResult[1];
        TrainingListener listener = new TrainingListener() {
            @Override
            public void iterationFinished(IterationRecord record) {
                seen.add(record);
            }

            @Override
            public void trainingFinished(TrainingResult result) {
                finished[0] = result;
            }
        };
        trainer.addListener(listener);
        assertEquals(before, trainer.getProvenance().toString());
        TestSupport.testConfigurableRoundtrip(trainer);
        LinearSGDModel model = trainer.train(p.getA());
        assertEquals(finished[0].iterations(), seen.size());
        assertEquals(new IntProvenance(FGNTrainer.ITERATIONS, seen.size()),
                model.getProvenance().getInstanceProvenance().getMap().get(FGNTrainer.ITERATIONS));
        assertTrue(trainer.removeListener(listener));
        trainer.train(p.getA());
        assertEquals(finished[0].iterations(), seen.size());
    }

    @Test
    void onnxExportMatchesOnnxRuntime(@TempDir Path dir) throws IOException, OrtException {
        Pair<Dataset<Label>, Dataset<Label>> p = LabelledDataGenerator.denseTrainTest();
        LinearSGDModel model = new FGNTrainer(1e-4).train(p.getA());
        Path onnx = dir.resolve("fgn.onnx");
        model.saveONNXModel("io.github.fastgn", 1, onnx);
        assertTrue(Files.size(onnx) > 0);
        OnnxTestUtils.onnxLabelComparison(model, onnx, p.getB(), 1e-5);

        LinearSGDModel digits = new FGNTrainer(1e-4).train(TestSupport.smallDigits());
        Path digitsOnnx = dir.resolve("digits.onnx");
        digits.saveONNXModel("io.github.fastgn", 1, digitsOnnx);
        OnnxTestUtils.onnxLabelComparison(digits, digitsOnnx, TestSupport.digitsTest(), 1e-5);
    }
}
