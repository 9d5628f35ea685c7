package io.github.fastgn.optim;

import io.github.fastgn.baseline.FirstOrderOptions;
import io.github.fastgn.internal.solver.Solvers;
import io.github.fastgn.testing.OptionSamples;
import org.junit.jupiter.api.Test;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every {@link OptionSpec} of {@link FgnOptions} is reachable from the builder, printed, and validated by it. */
class FgnOptionsDefinitionTest {

    static Object sample(OptionSpec o) {
        return OptionSamples.sample(o);
    }

    private static Method setter(OptionSpec o) {
        for (Method m : FgnOptions.Builder.class.getMethods()) {
            if (m.getName().equals(o.name()) && m.getParameterCount() == 1
                    && m.getParameterTypes()[0].getSimpleName().equals(o.apiType())) {
                return m;
            }
        }
        throw new AssertionError("FgnOptions.Builder has no method " + o.name() + "(" + o.apiType() + ")");
    }

    private static FgnOptions.Builder inItsMode(OptionSpec o) {
        FgnOptions.Builder b = FgnOptions.builder().mode(o.scope() == OptionSpec.Scope.MINIBATCH
                ? FgnOptions.Mode.MINIBATCH : FgnOptions.Mode.FULL);
        // the guard's scale does something only with the guard on (auto is off in full mode)
        return o == FgnOptions.GUARD_SCALE ? b.guard(FgnOptions.GUARD_ON) : b;
    }

    @Test
    void everyOptionIsSetByTheBuilderReadByItsAccessorAndPrinted() throws Exception {
        assertEquals(FgnOptions.OPTIONS.stream().map(OptionSpec::name).collect(Collectors.toList()),
                new ArrayList<>(FgnOptions.defaults().values().keySet()));
        for (OptionSpec o : FgnOptions.OPTIONS) {
            Method m = setter(o);
            assertEquals(o.apiType(), m.getParameterTypes()[0].getSimpleName(), o.name());
            Object v = sample(o);
            assertNotEquals(o.defaultText(), OptionSpec.format(v));
            FgnOptions.Builder b = inItsMode(o);
            m.invoke(b, v);
            FgnOptions built = b.build();
            assertEquals(OptionSpec.format(v), OptionSpec.format(FgnOptions.class.getMethod(o.name()).invoke(built)),
                    o.name());
            assertEquals(v, built.values().get(o.name()), o.name());
            assertTrue(built.toString().contains(o.name() + "=" + OptionSpec.format(v)), built.toString());
            assertTrue(FgnOptions.defaults().toString().contains(o.name() + "=" + o.defaultText()));
            assertEquals(built.toString(), built.toBuilder().build().toString(), o.name());
        }
    }

    @Test
    void theDefaultsAreTheDefinitions() throws Exception {
        FgnOptions d = FgnOptions.defaults();
        for (OptionSpec o : FgnOptions.OPTIONS) {
            assertEquals(o.defaultText(), OptionSpec.format(FgnOptions.class.getMethod(o.name()).invoke(d)), o.name());
            assertTrue(o.isValid(o.defaultValue() instanceof Enum<?> ? o.defaultText() : o.defaultValue()), o.name());
        }
        assertEquals(FgnOptions.AUTO_SAMPLE, d.curvatureSample());
    }

    @Test
    void invalidValuesAreRejectedWithTheOptionsMessage() throws Exception {
        for (OptionSpec o : FgnOptions.OPTIONS) {
            Object bad = o.invalidExample();
            if (bad == null) {
                continue;
            }
            assertTrue(!o.isValid(bad), o.name());
            Object arg = o == FgnOptions.MODE ? null : bad; // the builder takes a Mode: null is its invalid value
            Method m = setter(o);
            InvocationTargetException e = assertThrows(InvocationTargetException.class,
                    () -> m.invoke(FgnOptions.builder(), arg), o.name());
            OptionException oe = assertInstanceOf(OptionException.class, e.getCause(), o.name());
            assertEquals(o.name(), oe.option());
            if (arg != null) {
                assertEquals(o.message(bad), oe.getMessage());
            }
        }
        OptionException mode = assertThrows(OptionException.class, () -> FgnOptions.Mode.parse("foo"));
        assertEquals(FgnOptions.MODE.message("foo"), mode.getMessage());
    }

    @Test
    void optionsThatDoNothingInTheModeAreRejectedWithTheFix() {
        List<Object[]> cases = List.of(
                new Object[]{FgnOptions.builder().batchSize(64), "batchSize", "mode=minibatch"},
                new Object[]{FgnOptions.builder().averaging(false), "averaging", "mode=minibatch"},
                new Object[]{FgnOptions.builder().mode(FgnOptions.Mode.MINIBATCH).curvatureSample(0),
                        "curvatureSample", "mode=full"},
                new Object[]{FgnOptions.builder().mode(FgnOptions.Mode.MINIBATCH).targetObjective(0.3),
                        "targetObjective", "mode=full"},
                new Object[]{FgnOptions.builder().guard(false).guardScale(2), "guardScale", "guard to on or auto"},
                new Object[]{FgnOptions.builder().guardScale(2), "guardScale", "set guard=on"},
                new Object[]{FgnOptions.builder().minDamping(10).maxDamping(1), "minDamping", "maxDamping"});
        for (Object[] c : cases) {
            OptionException e = assertThrows(OptionException.class, ((FgnOptions.Builder) c[0])::build);
            assertEquals(c[1], e.option(), e.getMessage());
            assertTrue(e.getMessage().contains((String) c[2]), e.getMessage());
            assertTrue(e.getMessage().startsWith((String) c[1]), e.getMessage());
        }
        // the defaults of the other mode's options are fine, and so is each option in its own mode
        assertNotNull(FgnOptions.builder().mode(FgnOptions.Mode.MINIBATCH).batchSize(64).averaging(false).build());
        assertNotNull(FgnOptions.builder().curvatureSample(0).targetObjective(0.3).build());
        assertNotNull(FgnOptions.builder().guard(false).build());
        // the solver-name check keeps its message (FGNTrainer finds the option from it)
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FgnOptions.builder().solver("newton").dropCompensation(true).build());
        assertEquals("dropCompensation", FgnOptions.optionOf(e));
    }

    @Test
    void firstOrderOptionsReuseTheSharedDefinitions() {
        for (OptionSpec o : FirstOrderOptions.OPTIONS) {
            OptionSpec fgn = FgnOptions.option(o.name());
            if (fgn != null) {
                assertEquals(fgn.description(), o.description(), o.name());
                assertEquals(fgn.range(), o.range(), o.name());
                assertEquals(fgn.type(), o.type(), o.name());
                if (o.invalidExample() != null) {
                    assertEquals(fgn.message(o.invalidExample()), o.message(o.invalidExample()));
                }
            }
        }
        assertSame(FgnOptions.L2, FirstOrderOptions.L2);
        assertSame(FgnOptions.TARGET_OBJECTIVE, FirstOrderOptions.TARGET_OBJECTIVE);
        OptionException e = assertThrows(OptionException.class, () -> FirstOrderOptions.builder().l2(-1.0));
        assertEquals(FgnOptions.L2.message(-1.0), e.getMessage());
        assertEquals(200, FirstOrderOptions.builder().build().maxIterations());
        assertEquals(FirstOrderOptions.MAX_ITERATIONS.defaultValue(), FirstOrderOptions.builder().build().maxIterations());
    }

    /** The solver option's description lists every solver the library has, so users need not read the internals. */
    @Test
    void solverDescriptionNamesEverySolver() {
        for (String name : Solvers.NAMES) {
            assertTrue(FgnOptions.SOLVER_DESCRIPTION.contains(name + ",") || FgnOptions.SOLVER_DESCRIPTION.contains(name + " "),
                    "the solver description does not name " + name);
        }
        assertTrue(FgnOptions.SOLVER_DESCRIPTION.contains("auto") && FgnOptions.SOLVER_DESCRIPTION.contains("newton"));
    }
}
