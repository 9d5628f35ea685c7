package io.github.fastgn.internal.race;

import io.github.fastgn.optim.FgnOptions;

/**
 * The one place that decides how FastGN races: the objective of the peer harness
 * ({@code mean CE + (1e-4/2)||W||_F^2}, bias unregularised, raw features, full batch) and the stop
 * at the target {@code f <= f*(1 + 1e-4)}. Everything else is FastGN's default: no per-set tuning,
 * so the race measures what every user of {@code SoftmaxHeadTrainer} or {@code FGNTrainer} gets.
 */
public final class RaceConfig {

    /** L2 strength of the race objective (as the peers' {@code PEERS_LAMBDA} default). */
    public static final double L2 = 1e-4;
    /** Relative gap of the target: {@code f <= f*(1 + REL_TOL)} (as the peers' {@code PEERS_REL_TOL}). */
    public static final double REL_TOL = 1e-4;
    /**
     * The default time cap of one run in seconds: generous (the peers are capped at 300 s by
     * default), so that a run which does not reach the target still ends and is reported as such.
     */
    public static final double MAX_SECONDS = 900;

    private RaceConfig() {
    }

    /** The target objective for reference optimum {@code fstar}. */
    public static double target(double fstar) {
        return fstar * (1 + REL_TOL);
    }

    /**
     * FastGN's default options with only the objective and the stop set: {@code l2},
     * {@code standardize = false} (the peers fit the raw features), full batch, and a run that ends
     * at the target or after {@link #MAX_SECONDS} seconds (no gradient tolerance and no iteration budget
     * end it earlier).
     */
    public static FgnOptions options(double fstar) {
        return options(fstar, MAX_SECONDS);
    }

    /** As {@link #options(double)} with another time cap ({@code maxSeconds > 0}). */
    public static FgnOptions options(double fstar, double maxSeconds) {
        return FgnOptions.builder()
                .l2(L2)
                .standardize(false)
                .mode(FgnOptions.Mode.FULL)
                .targetObjective(target(fstar))
                .maxSeconds(maxSeconds)
                .tolerance(0)
                .maxIterations(Integer.MAX_VALUE)
                .build();
    }
}
