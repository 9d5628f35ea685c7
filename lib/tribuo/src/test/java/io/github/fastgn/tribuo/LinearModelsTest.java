package io.github.fastgn.tribuo;

import io.github.fastgn.optim.FgnOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.tribuo.Dataset;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;
import org.tribuo.classification.example.LabelledDataGenerator;
import org.tribuo.classification.sgd.linear.LinearSGDModel;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The model {@link LinearModels#softmax} builds through LinearSGDModel's constructor equals the one Tribuo's own
 * protobuf load builds from the same fields (its fallback): same weights, domains, provenance and predictions, and
 * it survives Tribuo's own serialisation round trip.
 */
@ExtendWith(TestSupport.NoConsoleOutput.class)
class LinearModelsTest {

    @Test
    void directModelEqualsTheProtobufLoad() {
        Dataset<Label> train = LabelledDataGenerator.sparseTrainTest().getA();
        Dataset<Label> test = LabelledDataGenerator.sparseTrainTest().getB();
        LinearSGDModel direct = new FGNTrainer(FgnOptions.builder().l2(1e-2).build()).train(train);
        LinearSGDModel loaded = LinearModels.viaProtobuf(direct.getName(), direct.getProvenance(),
                direct.getFeatureIDMap(), direct.getOutputIDInfo(), direct.getWeightsCopy());
        // (the serialised bytes differ only in the order of each feature's value counts, a hash order)
        assertEquals(loaded.getWeightsCopy(), direct.getWeightsCopy());
        LinearSGDModel reloaded = (LinearSGDModel) org.tribuo.Model.deserialize(direct.serialize());
        assertEquals(direct.getWeightsCopy(), reloaded.getWeightsCopy());
        assertEquals(direct.getFeatureIDMap(), reloaded.getFeatureIDMap());
        assertEquals(loaded.getFeatureIDMap(), direct.getFeatureIDMap());
        assertEquals(loaded.getOutputIDInfo(), direct.getOutputIDInfo());
        assertEquals(loaded.getProvenance(), direct.getProvenance());
        List<Prediction<Label>> a = direct.predict(test);
        List<Prediction<Label>> b = loaded.predict(test);
        for (int i = 0; i < a.size(); i++) {
            assertEquals(b.get(i).getOutput().getLabel(), a.get(i).getOutput().getLabel());
            double[] pa = a.get(i).getOutputScores().values().stream().mapToDouble(Label::getScore).toArray();
            double[] pb = b.get(i).getOutputScores().values().stream().mapToDouble(Label::getScore).toArray();
            assertArrayEquals(pb, pa, 0.0);
        }
    }
}
