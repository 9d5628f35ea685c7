package io.github.fastgn.optim;

import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The single definition of one hyper-parameter: its name (the builder method, the accessor and
 * the Tribuo {@code @Config} field all carry it), its configuration type (a primitive or
 * String, as OLCUT stores it), default, valid range, description (a compile-time constant of
 * the declaring options class, so {@code @Config(description = ...)} can reference it), the
 * training mode it acts in, and the validation with its message.
 *
 * <p>The constants live in {@link FgnOptions} ({@link FgnOptions#OPTIONS}); the baselines'
 * {@code FirstOrderOptions} reuse the shared ones, with {@link #withDefault} where their default
 * differs but the meaning does not.
 */
public final class OptionSpec {

    /** Where an option has an effect. */
    public enum Scope {
        /** Both full-batch and mini-batch mode. */
        BOTH("both"),
        /** Full-batch mode only. */
        FULL("full"),
        /** Mini-batch mode only. */
        MINIBATCH("minibatch");

        private final String label;

        Scope(String label) {
            this.label = label;
        }

        /** "both", "full" or "minibatch". */
        public String label() {
            return label;
        }
    }

    private final String name;
    private final Class<?> type;
    private final String apiType;
    private final Object defaultValue;
    private final String range;
    private final String description;
    private final Scope scope;
    private final Predicate<Object> valid;
    private final Function<Object, String> message;
    private final Object invalidExample;

    private OptionSpec(String name, Class<?> type, String apiType, Object defaultValue, String range,
                       String description, Scope scope, Predicate<Object> valid, Function<Object, String> message,
                       Object invalidExample) {
        this.name = Objects.requireNonNull(name);
        this.type = Objects.requireNonNull(type);
        this.apiType = apiType;
        this.defaultValue = defaultValue;
        this.range = Objects.requireNonNull(range);
        this.description = Objects.requireNonNull(description);
        this.scope = Objects.requireNonNull(scope);
        this.valid = valid;
        this.message = message != null ? message : v -> name + " must be " + range + ", got " + format(v);
        this.invalidExample = invalidExample;
    }

    /** A double option valid where {@code valid} holds. */
    public static OptionSpec ofDouble(String name, double defaultValue, String range, Predicate<Double> valid,
                               double invalidExample, Scope scope, String description) {
        return new OptionSpec(name, double.class, "double", defaultValue, range, description, scope,
                v -> v instanceof Double && valid.test((Double) v), null, invalidExample);
    }

    /** An int option valid from {@code min} up. */
    public static OptionSpec ofInt(String name, int defaultValue, int min, String range, Scope scope, String description) {
        return new OptionSpec(name, int.class, "int", defaultValue, range, description, scope,
                v -> v instanceof Integer && (Integer) v >= min, null, min - 1);
    }

    /** A long option; every value is valid. */
    public static OptionSpec ofLong(String name, long defaultValue, Scope scope, String description) {
        return new OptionSpec(name, long.class, "long", defaultValue, "any long", description, scope,
                v -> v instanceof Long, null, null);
    }

    /** A boolean option. */
    public static OptionSpec ofBoolean(String name, boolean defaultValue, Scope scope, String description) {
        return new OptionSpec(name, boolean.class, "boolean", defaultValue, "true or false", description, scope,
                v -> v instanceof Boolean, null, null);
    }

    /**
     * A String-valued option ({@code apiType} is the builder's parameter type when that is not
     * String, e.g. an enum the configuration spells in lower case).
     */
    public static OptionSpec ofString(String name, String apiType, Object defaultValue, String range, Predicate<String> valid,
                               Function<Object, String> message, String invalidExample, Scope scope,
                               String description) {
        return new OptionSpec(name, String.class, apiType, defaultValue, range, description, scope,
                v -> v instanceof String && valid.test((String) v), message, invalidExample);
    }

    /** The same option (name, range, description, validation, scope) with another default. */
    public OptionSpec withDefault(Object newDefault) {
        OptionSpec copy = new OptionSpec(name, type, apiType, newDefault, range, description, scope, valid, message,
                invalidExample);
        copy.check(newDefault);
        return copy;
    }

    /** The name of the builder method, the accessor and the Tribuo {@code @Config} field. */
    public String name() {
        return name;
    }

    /** The configuration type: a primitive class or String. */
    public Class<?> type() {
        return type;
    }

    /** The parameter type of the builder method, e.g. {@code double} or {@code Mode}. */
    public String apiType() {
        return apiType;
    }

    /** The default as the builder holds it (a boxed primitive, a String or an enum constant). */
    public Object defaultValue() {
        return defaultValue;
    }

    /** The valid values, in words ("a finite number >= 0"). */
    public String range() {
        return range;
    }

    /** The description, identical to the Tribuo {@code @Config} description. */
    public String description() {
        return description;
    }

    /** Where the option has an effect; elsewhere a non-default value is rejected. */
    public Scope scope() {
        return scope;
    }

    /** A value this option rejects (for tests of every API), or null if every value is valid. */
    public Object invalidExample() {
        return invalidExample;
    }

    /** Whether {@code value} (in the configuration type) is valid. */
    public boolean isValid(Object value) {
        return valid.test(value);
    }

    /** The message for an invalid {@code value}. */
    public String message(Object value) {
        return message.apply(value);
    }

    /**
     * Checks a value in the configuration type (enums in their lower-case spelling).
     *
     * @throws OptionException naming this option if the value is invalid
     */
    public void check(Object value) {
        Object v = value instanceof Enum<?> ? format(value) : value;
        if (!valid.test(v)) {
            throw new OptionException(name, message(v));
        }
    }

    /** The canonical text of a value: as Java prints it, enums in lower case, null as "null". */
    public static String format(Object value) {
        if (value instanceof Enum<?>) {
            return ((Enum<?>) value).name().toLowerCase(Locale.ROOT);
        }
        return String.valueOf(value);
    }

    /**
     * The message for {@code value}, set away from the default, in a mode where this option does
     * nothing (the options builders reject that rather than ignore it).
     */
    public String noEffectMessage(Object value, Scope here) {
        return name + "=" + format(value) + " has no effect in " + here.label() + " mode (it applies to "
                + scope.label() + " mode only): leave " + name + " at its default " + defaultText() + " or set mode="
                + scope.label();
    }

    /** The default's canonical text. */
    public String defaultText() {
        return format(defaultValue);
    }

    @Override
    public String toString() {
        return name + " (" + type.getSimpleName() + ", default " + defaultText() + ", " + range + ", " + scope.label()
                + ")";
    }
}
