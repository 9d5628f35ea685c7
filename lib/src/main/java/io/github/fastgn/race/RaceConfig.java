package io.github.fastgn.race;

import io.github.fastgn.optim.FgnOptions;

/**
 * The one place that decides how FastGN races: the objective of the peer harness
 * ({@code mean CE + (1e-4/2)||W||_F^2}, bias unregularised, raw features) and the FastGN settings
 * per race set. The run stops at the target {@code f <= f*(1 + 1e-4)}.
 */
public final class RaceConfig {

    /** L2 strength of the race objective (as the peers' {@code PEERS_LAMBDA} default). */
    public static final double L2 = 1e-4;
    /** Relative gap of the target: {@code f <= f*(1 + REL_TOL)} (as the peers' {@code PEERS_REL_TOL}). */
    public static final double REL_TOL = 1e-4;

    private RaceConfig() {
    }

    /** The target objective for reference optimum {@code fstar}. */
    public static double target(double fstar) {
        return fstar * (1 + REL_TOL);
    }

    /**
     * The FastGN options for race set {@code set} (for now the same for every set) with reference
     * optimum {@code fstar}.
     */
    public static FgnOptions options(String set, double fstar) {
        return FgnOptions.builder()
                .l2(L2)
                .standardize(false)
                .mode(FgnOptions.Mode.FULL)
                .solver("newton")
                .curvatureSample(8192)
                .maxCgIterations(100)
                .guard(false)
                .initialDamping(1e-3)
                .tolerance(1e-12)
                .maxIterations(500)
                .maxSeconds(600)
                .targetObjective(target(fstar))
                .build();
    }
}
