package io.github.fastgn.tribuo;

import com.oracle.labs.mlrg.olcut.config.Config;
import com.oracle.labs.mlrg.olcut.config.ConfigurationManager;
import com.oracle.labs.mlrg.olcut.config.PropertyException;
import io.github.fastgn.optim.FgnOptions;
import io.github.fastgn.optim.OptionSpec;
import io.github.fastgn.testing.OptionSamples;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fails when FGNTrainer's {@code @Config} fields drift from the definitions in {@link FgnOptions}:
 * one field per option with the same name, type, default, description and validation, and no
 * field without an option.
 */
class FGNTrainerOptionsTest {

    /**
     * {@code @Config} fields that are not FgnOptions options: the label weights of Tribuo's
     * {@code WeightedLabels} interface (a map by label name; the plain-array API takes a
     * {@code ClassWeights} object instead of an option).
     */
    private static final Set<String> TRIBUO_ONLY = Set.of("labelWeights");

    /** A trainer as OLCUT creates one: the no-argument constructor, fields at their initial values. */
    private static FGNTrainer fresh() throws Exception {
        Constructor<FGNTrainer> c = FGNTrainer.class.getDeclaredConstructor();
        c.setAccessible(true);
        return c.newInstance();
    }

    private static Field field(String name) throws NoSuchFieldException {
        Field f = FGNTrainer.class.getDeclaredField(name);
        f.setAccessible(true);
        return f;
    }

    @Test
    void everyOptionHasAConfigFieldWithTheSameNameTypeDefaultAndDescription() throws Exception {
        FGNTrainer fresh = fresh();
        for (OptionSpec o : FgnOptions.OPTIONS) {
            Field f = field(o.name());
            Config c = f.getAnnotation(Config.class);
            assertNotNull(c, o.name() + " is not a @Config field");
            assertEquals(o.description(), c.description(), o.name());
            assertEquals(o.type(), f.getType(), o.name());
            assertTrue(f.getType().isPrimitive() || f.getType() == String.class, o.name());
            assertEquals(o.defaultText(), OptionSpec.format(f.get(fresh)), o.name() + " default");
        }
    }

    @Test
    void everyConfigFieldIsAnOption() {
        Set<String> fields = new LinkedHashSet<>();
        for (Field f : FGNTrainer.class.getDeclaredFields()) {
            if (f.isAnnotationPresent(Config.class)) {
                fields.add(f.getName());
            }
        }
        Set<String> options = FgnOptions.OPTIONS.stream().map(OptionSpec::name)
                .collect(Collectors.toCollection(LinkedHashSet::new));
        fields.removeAll(TRIBUO_ONLY);
        assertEquals(options, fields);
    }

    @Test
    void fieldValidationIsTheOptionsValidation() throws Exception {
        for (OptionSpec o : FgnOptions.OPTIONS) {
            Object bad = o.invalidExample();
            if (bad != null) {
                FGNTrainer t = fresh();
                field(o.name()).set(t, bad);
                PropertyException e = assertThrows(PropertyException.class, t::postConfig, o.name());
                assertEquals(o.name(), e.getProperty());
                assertTrue(e.getMessage().contains(o.message(bad)), e.getMessage());
            }
            FGNTrainer t = fresh();
            Object good = OptionSamples.configSample(o);
            if (o.scope() == OptionSpec.Scope.MINIBATCH) {
                field("mode").set(t, "minibatch");
            }
            if (o == FgnOptions.GUARD_SCALE) {
                // the guard's scale does something only with the guard on (auto is off in full mode)
                field("guard").set(t, FgnOptions.GUARD_ON);
            }
            field(o.name()).set(t, good);
            t.postConfig();
            assertEquals(OptionSpec.format(good), OptionSpec.format(t.options().values().get(o.name())), o.name());
            if (o.scope() != OptionSpec.Scope.BOTH) {
                // set in the other mode it does nothing: rejected, naming the field
                FGNTrainer other = fresh();
                field("mode").set(other, o.scope() == OptionSpec.Scope.MINIBATCH ? "full" : "minibatch");
                field(o.name()).set(other, good);
                PropertyException e = assertThrows(PropertyException.class, other::postConfig, o.name());
                assertEquals(o.name(), e.getProperty());
            }
        }
    }

    @Test
    void theDefaultsAreIdenticalOnEveryPath() throws Exception {
        String expected = FgnOptions.defaults().toString();
        FGNTrainer olcut = fresh();
        olcut.postConfig();
        FGNTrainer xml = (FGNTrainer) new ConfigurationManager("/io/github/fastgn/tribuo/fgn-trainer.xml")
                .lookup("fgn");
        for (FGNTrainer t : List.of(olcut, xml, new FGNTrainer(FgnOptions.defaults()),
                new FGNTrainer((Double) FgnOptions.L2.defaultValue()),
                new FGNTrainer(1e-4, "full", 500, "auto", 12345L))) {
            assertEquals(expected, t.options().toString());
        }
        assertEquals(FgnOptions.AUTO_SAMPLE, olcut.options().curvatureSample());
    }

    @Test
    void theExampleConfigurationListsEveryOption() {
        ConfigurationManager cm = new ConfigurationManager("/io/github/fastgn/tribuo/fgn-trainer.xml");
        Set<String> listed = cm.getConfigurationData("fgn").orElseThrow().getProperties().keySet();
        assertEquals(FgnOptions.OPTIONS.stream().map(OptionSpec::name).collect(Collectors.toSet()), listed);
        assertFalse(listed.isEmpty());
    }
}
