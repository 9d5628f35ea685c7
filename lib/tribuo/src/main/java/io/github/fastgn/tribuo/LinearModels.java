package io.github.fastgn.tribuo;

import com.google.protobuf.Any;
import com.oracle.labs.mlrg.olcut.util.Pair;
import org.tribuo.ImmutableFeatureMap;
import org.tribuo.ImmutableOutputInfo;
import org.tribuo.Model;
import org.tribuo.VariableInfo;
import org.tribuo.classification.Label;
import org.tribuo.classification.sgd.linear.LinearSGDModel;
import org.tribuo.classification.sgd.protos.ClassificationLinearSGDProto;
import org.tribuo.impl.ModelDataCarrier;
import org.tribuo.math.LinearParameters;
import org.tribuo.math.la.DenseMatrix;
import org.tribuo.math.util.ExpNormalizer;
import org.tribuo.protos.core.ModelProto;
import org.tribuo.provenance.ModelProvenance;

import java.lang.reflect.Constructor;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Converts between a softmax head's parameters and a Tribuo {@link LinearSGDModel}. A genuine model
 * is built through Tribuo's public protobuf API: {@code LinearSGDModel}'s constructor is
 * package-private, so the model is assembled as the protobuf Tribuo itself would write and then
 * loaded with {@link Model#deserialize(ModelProto)}. The result needs nothing from FastGN to be
 * used, saved or loaded again. That load rebuilds the feature domain through Tribuo's
 * {@code ProtoUtil}, which looks every feature's class up reflectively: about 150 microseconds per
 * feature, 8 s for the 54,000 words and word pairs of notebook 08's smallest text set and longer
 * than the training itself. So when the package-private constructor is reachable (it is on the
 * class path and for Tribuo's automatic modules, which open their packages) the same fields are
 * passed to it directly; the protobuf load stays the fallback, and both give equal models. The other way, {@link #weightsOn} reads a model's weights onto a
 * dataset's feature and label domains, matching them by name.
 */
final class LinearModels {

    private static final Logger LOG = Logger.getLogger(LinearModels.class.getName());

    /** LinearSGDModel's constructor made accessible, or null where it is not reachable (then the protobuf load). */
    private static final Constructor<LinearSGDModel> DIRECT = direct();

    private LinearModels() {
    }

    private static Constructor<LinearSGDModel> direct() {
        try {
            Constructor<LinearSGDModel> c = LinearSGDModel.class.getDeclaredConstructor(String.class,
                    ModelProvenance.class, ImmutableFeatureMap.class, ImmutableOutputInfo.class,
                    LinearParameters.class, org.tribuo.math.util.VectorNormalizer.class, boolean.class);
            c.setAccessible(true);
            return c;
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.log(Level.FINE, "LinearSGDModel's constructor is not reachable; models are built through protobuf", e);
            return null;
        }
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
        if (DIRECT != null) {
            try {
                return DIRECT.newInstance(name, provenance, featureMap, outputInfo, new LinearParameters(matrix),
                        new ExpNormalizer(), true);
            } catch (ReflectiveOperationException | RuntimeException e) {
                LOG.log(Level.FINE, "LinearSGDModel's constructor failed; building the model through protobuf", e);
            }
        }
        return viaProtobuf(name, provenance, featureMap, outputInfo, matrix);
    }

    /** The model as Tribuo's own protobuf load builds it (the fallback of {@link #softmax}; tests compare the two). */
    static LinearSGDModel viaProtobuf(String name, ModelProvenance provenance, ImmutableFeatureMap featureMap,
                                      ImmutableOutputInfo<Label> outputInfo, DenseMatrix matrix) {
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

    /**
     * The parameters of {@code model} laid out for a dataset's domains: row {@code c} is the model's row
     * for the label named as label id {@code c} of {@code outputInfo}, column {@code j} the model's column
     * for the feature named as feature id {@code j} of {@code featureMap}, the bias last. Both are matched
     * by name, so a model and a dataset that number their features or labels differently still agree.
     *
     * @return {@code [W | b]}, row-major {@code K x (d+1)}
     * @throws IllegalArgumentException naming the features and labels the model lacks or has in excess,
     *                                  or a non-finite weight
     */
    static double[] weightsOn(LinearSGDModel model, ImmutableFeatureMap featureMap,
                              ImmutableOutputInfo<Label> outputInfo) {
        ImmutableFeatureMap modelFeatures = model.getFeatureIDMap();
        ImmutableOutputInfo<Label> modelLabels = model.getOutputIDInfo();
        int d = featureMap.size();
        int k = outputInfo.size();
        int[] column = new int[d];
        List<String> missing = new ArrayList<>();
        for (int j = 0; j < d; j++) {
            String name = featureMap.get(j).getName();
            column[j] = modelFeatures.getID(name);
            if (column[j] < 0) {
                missing.add(name);
            }
        }
        List<String> extra = new ArrayList<>();
        for (VariableInfo f : modelFeatures) {
            if (featureMap.getID(f.getName()) < 0) {
                extra.add(f.getName());
            }
        }
        if (!missing.isEmpty() || !extra.isEmpty()) {
            throw new IllegalArgumentException("the initial model's feature domain differs from the dataset's: "
                    + mismatch("feature", missing, extra) + "; warm-start from a model trained on the same features,"
                    + " or train from zero");
        }
        int[] row = new int[k];
        // both lists are empty here: a feature mismatch has thrown
        for (int c = 0; c < k; c++) {
            String name = outputInfo.getOutput(c).getLabel();
            row[c] = modelLabels.getID(new Label(name));
            if (row[c] < 0) {
                missing.add(name);
            }
        }
        for (Pair<Integer, Label> l : modelLabels) {
            if (outputInfo.getID(l.getB()) < 0) {
                extra.add(l.getB().getLabel());
            }
        }
        if (!missing.isEmpty() || !extra.isEmpty()) {
            throw new IllegalArgumentException("the initial model's label domain differs from the dataset's: "
                    + mismatch("label", missing, extra) + "; warm-start from a model trained on the same labels,"
                    + " or train from zero");
        }
        DenseMatrix w = model.getWeightsCopy();
        int modelBias = modelFeatures.size();
        if (w.getDimension1Size() != modelLabels.size() || w.getDimension2Size() != modelBias + 1) {
            throw new IllegalArgumentException("the initial model's weights are " + w.getDimension1Size() + " x "
                    + w.getDimension2Size() + ", expected labels x (features + 1) = " + modelLabels.size() + " x "
                    + (modelBias + 1));
        }
        int dd = d + 1;
        double[] out = new double[k * dd];
        for (int c = 0; c < k; c++) {
            for (int j = 0; j <= d; j++) {
                double v = w.get(row[c], j < d ? column[j] : modelBias);
                if (!Double.isFinite(v)) {
                    throw new IllegalArgumentException("the initial model's weight for label '"
                            + outputInfo.getOutput(c).getLabel() + "' and " + (j < d ? "feature '"
                            + featureMap.get(j).getName() + "'" : "the bias") + " is " + v
                            + "; a warm start needs finite weights");
                }
                out[c * dd + j] = v;
            }
        }
        return out;
    }

    /** "it lacks the feature(s) 'a', 'b' of the dataset and has 'z', which the dataset does not". */
    private static String mismatch(String what, List<String> missing, List<String> extra) {
        StringBuilder s = new StringBuilder();
        if (!missing.isEmpty()) {
            s.append("it lacks ").append(missing.size()).append(" ").append(what).append("(s) of the dataset (")
                    .append(quoted(missing)).append(")");
        }
        if (!extra.isEmpty()) {
            s.append(s.length() == 0 ? "it" : " and").append(" has ").append(extra.size()).append(" ").append(what)
                    .append("(s) the dataset does not (").append(quoted(extra)).append(")");
        }
        return s.toString();
    }

    /** The first five names, quoted, and how many more. */
    private static String quoted(List<String> names) {
        StringJoiner j = new StringJoiner(", ");
        names.stream().limit(5).forEach(n -> j.add("'" + n + "'"));
        return j + (names.size() > 5 ? " and " + (names.size() - 5) + " more" : "");
    }
}
