package io.github.fastgn.experiment;

import java.util.Locale;

/** How much of an experiment to run. */
public enum Preset {
    /** Seconds: the smallest grids, for unit tests of the runners. */
    TINY,
    /** Minutes for the whole reproduction on a 2-core laptop. */
    QUICK,
    /** The full protocol of EXPERIMENTS.md (5 seeds, full grids). */
    FULL;

    /** The environment variable the notebooks read their preset from. */
    public static final String ENV = "FASTGN_PRESET";

    /**
     * The notebooks' preset when {@value #ENV} is unset: {@code QUICK}, which runs each notebook in
     * at most three minutes on a Binder-sized kernel (one core, 512 MB heap).
     */
    public static final Preset NOTEBOOK_DEFAULT = QUICK;

    /** {@value #ENV} parsed when set and not blank, else {@link #NOTEBOOK_DEFAULT}. */
    public static Preset fromEnvironment() {
        String env = System.getenv(ENV);
        return env == null || env.isBlank() ? NOTEBOOK_DEFAULT : parse(env);
    }

    /** Parses "tiny", "quick" or "full". */
    public static Preset parse(String s) {
        try {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("preset must be tiny, quick or full, got '" + s + "'", e);
        }
    }

    /** Picks the value for this preset. */
    public <T> T pick(T tiny, T quick, T full) {
        return this == TINY ? tiny : this == QUICK ? quick : full;
    }

    public int pick(int tiny, int quick, int full) {
        return this == TINY ? tiny : this == QUICK ? quick : full;
    }
}
