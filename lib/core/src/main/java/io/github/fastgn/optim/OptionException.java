package io.github.fastgn.optim;

/**
 * An invalid hyper-parameter value or combination, naming the option to change (the name of an
 * {@link OptionSpec}, hence of the builder method and of the Tribuo {@code @Config} field).
 */
public final class OptionException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String option;

    public OptionException(String option, String message) {
        super(message);
        this.option = option;
    }

    /** The option to change. */
    public String option() {
        return option;
    }
}
