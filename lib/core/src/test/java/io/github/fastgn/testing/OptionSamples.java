package io.github.fastgn.testing;

import io.github.fastgn.optim.FgnOptions;
import io.github.fastgn.optim.OptionSpec;

/** Valid non-default values of the option definitions, for the drift tests of every API. */
public final class OptionSamples {

    private OptionSamples() {
    }

    /** A valid value other than the default (valid in the option's own mode), in the builder's type. */
    public static Object sample(OptionSpec o) {
        Object d = o.defaultValue();
        if (d instanceof Boolean) {
            return !(Boolean) d;
        }
        if (d instanceof Integer) {
            return (Integer) d + 1;
        }
        if (d instanceof Long) {
            return (Long) d + 1;
        }
        if (d instanceof Double) {
            double x = (Double) d;
            double y = x == 0 ? 1.0 : Double.isInfinite(x) ? 0.5 : 2 * x;
            return o.isValid(y) ? y : 0.5 * x; // e.g. a weight in (0, 1]
        }
        if (d instanceof FgnOptions.Mode) {
            return FgnOptions.Mode.MINIBATCH;
        }
        if (o == FgnOptions.SOLVER) {
            return "newton";
        }
        if (o == FgnOptions.CLASS_WEIGHT) {
            return "balanced";
        }
        if (o.name().equals(FgnOptions.GUARD.name())) {
            return FgnOptions.GUARD_ON.equals(d) ? FgnOptions.GUARD_OFF : FgnOptions.GUARD_ON;
        }
        if (o == FgnOptions.FEATURE_STORAGE) {
            return FgnOptions.STORAGE_SPARSE;
        }
        throw new AssertionError("no sample for " + o);
    }

    /** {@link #sample} in a configuration's primitive or String type (a mode as its name). */
    public static Object configSample(OptionSpec o) {
        Object v = sample(o);
        return v instanceof FgnOptions.Mode ? "minibatch" : v;
    }
}
