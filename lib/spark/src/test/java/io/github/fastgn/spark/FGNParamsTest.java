package io.github.fastgn.spark;

import io.github.fastgn.optim.FgnOptions;
import io.github.fastgn.optim.OptionException;
import io.github.fastgn.optim.OptionSpec;
import io.github.fastgn.testing.OptionSamples;
import io.github.fastgn.testing.QuietTestBase;
import org.apache.spark.ml.param.Param;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fails when the Spark parameters drift from the definitions in {@link FgnOptions}: every core option
 * is either a Spark parameter (same default, the core's description and range in its doc, the core's
 * validation and message, and its value reaching the core's options) or listed as not taken, and no
 * Spark parameter of FastGN's is made up outside the definitions.
 */
class FGNParamsTest extends QuietTestBase {

    @Test
    void everyCoreOptionIsASparkParameterOrDeliberatelyLeftOut() {
        Set<String> mapped = SparkOptions.MAPPED.values().stream().map(OptionSpec::name).collect(Collectors.toSet());
        for (OptionSpec o : FgnOptions.OPTIONS) {
            assertTrue(mapped.contains(o.name()) ^ SparkOptions.NOT_MAPPED.contains(o.name()),
                    o.name() + " must be either a Spark parameter or listed in NOT_MAPPED");
        }
        assertEquals(SparkOptions.MAPPED.size(), mapped.size(), "two Spark names for one option");
        Set<String> own = new HashSet<>(SparkOptions.MAPPED.keySet());
        own.add("weightCol");
        own.add("aggregationDepth");
        FGNClassifier fgn = new FGNClassifier();
        Set<String> declared = Arrays.stream(FGNParams.class.getDeclaredMethods())
                .filter(m -> Param.class.isAssignableFrom(m.getReturnType()) && m.getParameterCount() == 0)
                .map(java.lang.reflect.Method::getName).collect(Collectors.toSet());
        assertEquals(own, declared, "FGNParams' parameters");
        Set<String> params = Arrays.stream(fgn.params()).map(Param::name).collect(Collectors.toSet());
        assertTrue(params.containsAll(own), "Spark finds every parameter: " + params);
    }

    @Test
    void defaultsDocsValidationAndValuesComeFromTheDefinitions() {
        for (var e : SparkOptions.MAPPED.entrySet()) {
            String name = e.getKey();
            OptionSpec o = e.getValue();
            FGNClassifier fgn = new FGNClassifier();
            Param<Object> p = (Param<Object>) fgn.getParam(name);
            assertTrue(p.doc().contains(o.description()) && p.doc().contains(o.range()), name + " doc: " + p.doc());
            assertEquals(o.defaultValue(), fgn.getDefault(p).get(), name + " default");
            Object sample = OptionSamples.sample(o);
            if (o == FgnOptions.GUARD_SCALE) {
                // the guard's scale does something only with the guard on (auto is off in full mode)
                fgn.set(fgn.getParam("guard"), FgnOptions.GUARD_ON);
            }
            fgn.set(p, sample);
            assertEquals(sample, fgn.getOrDefault(p), name);
            if (o != FgnOptions.STANDARDIZE) {
                // the estimator standardises itself and hands the optimizer the features as given
                assertEquals(sample, fgn.fgnOptions().values().get(o.name()), name + " reaches the core's " + o.name());
            }
            Object bad = o.invalidExample();
            if (bad != null) {
                FGNClassifier fresh = new FGNClassifier();
                OptionException ex = assertThrows(OptionException.class, () -> fresh.set(p.name(), bad), name);
                assertEquals(name + ": " + o.message(bad), ex.getMessage());
                assertEquals(o.name(), ex.option());
            }
        }
        assertFalse(new FGNClassifier().fgnOptions().standardize());
        assertEquals(SparkOptions.AGGREGATION_DEPTH_DEFAULT, new FGNClassifier().getAggregationDepth());
        assertEquals("", new FGNClassifier().getWeightCol());
    }
}
