package io.github.fastgn.tribuo;

import com.google.protobuf.Any;
import org.tribuo.ImmutableFeatureMap;
import org.tribuo.ImmutableOutputInfo;
import org.tribuo.Model;
import org.tribuo.classification.Label;
import org.tribuo.classification.sgd.linear.LinearSGDModel;
import org.tribuo.classification.sgd.protos.ClassificationLinearSGDProto;
import org.tribuo.impl.ModelDataCarrier;
import org.tribuo.math.LinearParameters;
import org.tribuo.math.la.DenseMatrix;
import org.tribuo.math.util.ExpNormalizer;
import org.tribuo.protos.core.ModelProto;
import org.tribuo.provenance.ModelProvenance;

/**
 * Builds a genuine Tribuo {@link LinearSGDModel} from a softmax head through Tribuo's public
 * protobuf API (TRIBUO.md section 2, "Route B"). {@code LinearSGDModel}'s constructor is
 * package-private, so the model is assembled as the protobuf Tribuo itself would write and then
 * loaded with {@link Model#deserialize(ModelProto)}. The result needs nothing from FastGN to be
 * used, saved or loaded again.
 */
final class LinearModels {

    private LinearModels() {
    }

    /**
     * A softmax {@code LinearSGDModel} with the given parameters.
     *
     * @param name       the model name
     * @param provenance the model provenance
     * @param featureMap the feature domain; feature id {@code j} is column {@code j}
     * @param outputInfo the label domain; label id {@code c} is row {@code c}
     * @param weights    {@code [W | b]}, row-major {@code K x (d+1)} with the bias in the last
     *                   column: the layout of {@code LinearSGDModel.getWeightsCopy()}
     */
    static LinearSGDModel softmax(String name, ModelProvenance provenance, ImmutableFeatureMap featureMap,
                                  ImmutableOutputInfo<Label> outputInfo, double[] weights) {
        int d = featureMap.size();
        int k = outputInfo.size();
        int cols = d + 1;
        if (weights.length != (long) k * cols) {
            throw new IllegalArgumentException("expected K*(d+1) = " + k + "*" + cols + " parameters, got "
                    + weights.length);
        }
        // LinearParameters multiplies W (numLabels x (numFeatures+1)) with [x | 1]: same layout as ours
        DenseMatrix matrix = new DenseMatrix(k, cols);
        for (int c = 0; c < k; c++) {
            for (int j = 0; j < cols; j++) {
                double w = weights[c * cols + j];
                if (!Double.isFinite(w)) {
                    throw new ArithmeticException("parameter (" + c + ", " + j + ") is " + w
                            + "; refusing to build a model with non-finite weights");
                }
                matrix.set(c, j, w);
            }
        }
        ModelDataCarrier<Label> carrier = new ModelDataCarrier<>(name, provenance, featureMap, outputInfo, true,
                provenance.getTribuoVersion());
        ClassificationLinearSGDProto payload = ClassificationLinearSGDProto.newBuilder()
                .setMetadata(carrier.serialize())
                .setParams(new LinearParameters(matrix).serialize())
                .setNormalizer(new ExpNormalizer().serialize())
                .build();
        ModelProto proto = ModelProto.newBuilder()
                .setVersion(LinearSGDModel.CURRENT_VERSION)
                .setClassName(LinearSGDModel.class.getName())
                .setSerializedData(Any.pack(payload))
                .build();
        return (LinearSGDModel) Model.deserialize(proto);
    }
}
