package io.github.fastgn.tribuo;

import io.github.fastgn.optim.FgnOptions;
import com.oracle.labs.mlrg.olcut.config.ConfigurationData;
import com.oracle.labs.mlrg.olcut.config.ConfigurationManager;
import com.oracle.labs.mlrg.olcut.config.PropertyException;
import com.oracle.labs.mlrg.olcut.provenance.ProvenanceUtil;
import com.oracle.labs.mlrg.olcut.provenance.primitives.IntProvenance;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.function.Executable;
import org.tribuo.Dataset;
import org.tribuo.classification.Label;
import org.tribuo.classification.sgd.linear.LinearSGDModel;
import org.tribuo.provenance.TrainerProvenance;
import org.tribuo.test.Helpers;

import java.util.Collections;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** OLCUT configuration, provenance and reproducibility of FGNTrainer. */
@ExtendWith(TestSupport.NoConsoleOutput.class)
class FGNTrainerConfigTest {

    private static final String EXAMPLE = "/io/github/fastgn/tribuo/fgn-trainer.xml";
    private static final String BAD = "/io/github/fastgn/tribuo/bad-configs.xml";

    private static FGNTrainer minibatch() {
        return new FGNTrainer(FgnOptions.builder().mode(FgnOptions.Mode.MINIBATCH).batchSize(100).maxIterations(24).seed(7L).build());
    }

    @Test
    void configurableRoundtrip() {
        TestSupport.testConfigurableRoundtrip(new FGNTrainer(1e-4));
        TestSupport.testConfigurableRoundtrip(new FGNTrainer(FgnOptions.builder().l2(0.5).standardize(false)
                .mode(FgnOptions.Mode.MINIBATCH).batchSize(64).maxIterations(12).tolerance(1e-8).solver("newton")
                .guard(false).seed(99L).initialDamping(0).maxCgIterations(7).threads(1).averaging(false)
                .maxSeconds(30).build()));
        TestSupport.testConfigurableRoundtrip(new FGNTrainer(FgnOptions.builder().dropCompensation(true)
                .guard(true).guardScale(2.0).build()));
        TestSupport.testConfigurableRoundtrip(new FGNTrainer(FgnOptions.builder().curvatureSample(0)
                .targetObjective(-0.5).dampingRange(1e-8, 1e4).seed(-3L).build()));
        TestSupport.testConfigurableRoundtrip(new FGNTrainer(FgnOptions.builder().curvatureSample(4096)
                .targetObjective(0.25).build()));
    }

    /**
     * Why {@link TestSupport#testConfigurableRoundtrip} replaces Tribuo's helper: OLCUT 5.3.1's
     * structural comparison rejects identical configurations holding a negative number or an
     * infinity ({@code Util.doubleEquals(a, b) = |a - b| <= max(a, b) ulp(1)}). If this test
     * fails, OLCUT has fixed it and {@code Helpers.testConfigurableRoundtrip} can be used again.
     */
    @Test
    void olcutStructuralEqualsRejectsEqualNegativeValues() {
        for (FGNTrainer trainer : List.of(new FGNTrainer(1e-4),
                new FGNTrainer(FgnOptions.builder().curvatureSample(0).build()))) {
            ConfigurationManager cm = new ConfigurationManager();
            String name = cm.importConfigurable(trainer, "item");
            List<ConfigurationData> imported = List.of(cm.getConfigurationData(name).orElseThrow());
            List<ConfigurationData> recorded = ProvenanceUtil.extractConfiguration(trainer.getProvenance());
            assertEquals(imported.get(0).getProperties().toString(), recorded.get(0).getProperties().toString());
            assertFalse(ConfigurationData.structuralEquals(imported, recorded, name, recorded.get(0).getName()),
                    "OLCUT now compares equal negative numbers as equal: use Helpers.testConfigurableRoundtrip");
        }
        assertFalse(assertThrows(AssertionError.class,
                () -> Helpers.testConfigurableRoundtrip(new FGNTrainer(1e-4))).getMessage().isEmpty());
    }

    @Test
    void exampleXmlLoads() {
        ConfigurationManager cm = new ConfigurationManager(EXAMPLE);
        FGNTrainer fgn = (FGNTrainer) cm.lookup("fgn");
        assertEquals(new FGNTrainer(FgnOptions.builder().build()).toString(), fgn.toString());
        assertEquals(fgn.options().toString(), new FGNTrainer(FgnOptions.builder().build()).options().toString());
        FGNTrainer newton = (FGNTrainer) cm.lookup("newton");
        assertEquals("newton", newton.options().solver());

        Dataset<Label> train = TestSupport.smallDigits();
        LinearSGDModel a = fgn.train(train);
        LinearSGDModel b = new FGNTrainer(1e-4).train(train);
        assertArrayEquals(TestSupport.weights(b), TestSupport.weights(a));
        LinearSGDModel c = newton.train(train);
        assertTrue(c.getProvenance().getInstanceProvenance().getMap().get(FGNTrainer.SOLVER).toString()
                .contains("ggn"));
    }

    @Test
    void toStringListsEveryHyperParameter() {
        String s = new FGNTrainer(1e-4).toString();
        for (io.github.fastgn.optim.OptionSpec o : FgnOptions.OPTIONS) {
            assertTrue(s.contains(o.name() + "=" + o.defaultText()), o.name() + " in " + s);
        }
    }

    @Test
    void rebuiltFromProvenanceReproducesTheModel() {
        Dataset<Label> train = TestSupport.smallDigits();
        FGNTrainer trainer = minibatch();
        trainer.train(train);
        LinearSGDModel second = trainer.train(train);

        // the ReproUtil recipe: configuration from provenance, lookup, invocation count, retrain
        TrainerProvenance tp = second.getProvenance().getTrainerProvenance();
        List<ConfigurationData> configs = ProvenanceUtil.extractConfiguration(tp);
        ConfigurationManager cm = new ConfigurationManager();
        cm.addConfiguration(configs);
        String name = configs.stream().filter(c -> c.getClassName().equals(FGNTrainer.class.getName()))
                .findFirst().orElseThrow().getName();
        FGNTrainer rebuilt = (FGNTrainer) cm.lookup(name);
        assertEquals(trainer.toString(), rebuilt.toString());
        int count = ((IntProvenance) tp.getInstanceValues().get("train-invocation-count")).getValue();
        assertEquals(1, count);
        rebuilt.setInvocationCount(count);
        LinearSGDModel again = rebuilt.train(train);
        assertArrayEquals(TestSupport.weights(second), TestSupport.weights(again));
        assertEquals(second.getProvenance().getInstanceProvenance().getMap().get(FGNTrainer.SEED),
                again.getProvenance().getInstanceProvenance().getMap().get(FGNTrainer.SEED));
    }

    @Test
    void sameInvocationCountGivesIdenticalWeights() {
        Dataset<Label> train = TestSupport.smallDigits();
        for (FGNTrainer trainer : List.of(new FGNTrainer(1e-4), minibatch())) {
            LinearSGDModel first = trainer.train(train);
            LinearSGDModel second = trainer.train(train);
            assertEquals(2, trainer.getInvocationCount());
            LinearSGDModel firstAgain = trainer.train(train, Collections.emptyMap(), 0);
            assertEquals(1, trainer.getInvocationCount());
            LinearSGDModel secondAgain = trainer.train(train);
            assertArrayEquals(TestSupport.weights(first), TestSupport.weights(firstAgain), trainer.toString());
            assertArrayEquals(TestSupport.weights(second), TestSupport.weights(secondAgain), trainer.toString());
            if (trainer.options().mode().name().equals("FULL")) {
                // full batch uses no randomness
                assertArrayEquals(TestSupport.weights(first), TestSupport.weights(second));
            } else {
                assertFalse(java.util.Arrays.equals(TestSupport.weights(first), TestSupport.weights(second)),
                        "mini-batch runs with different invocation counts should shuffle differently");
            }
        }
    }

    @Test
    void negativeInvocationCountIsRejected() {
        FGNTrainer trainer = new FGNTrainer(1e-4);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> trainer.setInvocationCount(-1));
        assertTrue(e.getMessage().contains("invocationCount"), e.getMessage());
    }

    private static void rejected(String property, String fragment, Executable e) {
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, e);
        assertTrue(ex.getMessage().contains(property), ex.getMessage());
        assertTrue(ex.getMessage().contains(fragment), ex.getMessage());
    }

    @Test
    void invalidHyperParametersThrowFromConstructors() {
        rejected("l2", "-1.0", () -> new FGNTrainer(-1.0));
        rejected("l2", "NaN", () -> new FGNTrainer(Double.NaN));
        rejected("mode", "foo", () -> new FGNTrainer(1e-4, "foo", 100, "auto", 1L));
        rejected("maxIterations", "0", () -> new FGNTrainer(1e-4, "full", 0, "auto", 1L));
        rejected("solver", "lbfgs", () -> new FGNTrainer(1e-4, "full", 100, "lbfgs", 1L));
        rejected("solver", "null", () -> new FGNTrainer(1e-4, "full", 100, null, 1L));
        rejected("batchSize", "0", () -> new FGNTrainer(FgnOptions.builder().batchSize(0).build()));
        rejected("tolerance", "-", () -> new FGNTrainer(FgnOptions.builder().tolerance(-1e-3).build()));
        rejected("guardScale", "0", () -> new FGNTrainer(FgnOptions.builder().guardScale(0).build()));
        rejected("initialDamping", "-", () -> new FGNTrainer(FgnOptions.builder().initialDamping(-1).build()));
        rejected("maxCgIterations", "0", () -> new FGNTrainer(FgnOptions.builder().maxCgIterations(0).build()));
        rejected("threads", "-2", () -> new FGNTrainer(FgnOptions.builder().threads(-2).build()));
        rejected("dropCompensation", "newton", () -> new FGNTrainer(FgnOptions.builder().solver("newton").dropCompensation(true)
                .build()));
    }

    @Test
    void invalidHyperParametersFailInPostConfig() {
        ConfigurationManager cm = new ConfigurationManager(BAD);
        String[][] cases = {{"negative-l2", "l2", "-1"}, {"bad-mode", "mode", "foo"}, {"zero-batch", "batchSize", "0"},
                {"unknown-solver", "solver", "lbfgs"}, {"fgnd-newton", "dropCompensation", "newton"},
                {"batch-in-full", "batchSize", "mode=minibatch"}, {"averaging-in-full", "averaging", "minibatch"},
                {"sample-in-minibatch", "curvatureSample", "mode=full"},
                {"target-in-minibatch", "targetObjective", "mode=full"},
                {"scale-without-guard", "guardScale", "guard to on or auto"}, {"min-above-max", "minDamping", "1000.0"},
                {"infinite-max-damping", "maxDamping", "Infinity"}, {"negative-seconds", "maxSeconds", "-1"}};
        for (String[] c : cases) {
            PropertyException e = assertThrows(PropertyException.class, () -> cm.lookup(c[0]), c[0]);
            assertEquals(c[1], e.getProperty(), c[0]);
            assertTrue(e.getMessage().contains(c[2]), e.getMessage());
            assertTrue(e.getCause() instanceof IllegalArgumentException, c[0]);
        }
    }
}
