package io.github.fastgn.experiment;

import java.io.IOException;

/**
 * One reproduction experiment: runs at a {@link Preset}, writes its tables and figures through
 * the {@link ExperimentContext} and records every claim it checks, PASS or FAIL.
 */
public interface Experiment {

    /** A short id used as the file prefix ("a-mechanism", ...). */
    String id();

    /** A one-line title for the report. */
    String title();

    /**
     * How many times {@link ExperimentContext#progress} will be called at this preset (for
     * progress bars; an estimate is fine).
     */
    int workUnits(Preset preset);

    /** Runs the experiment. */
    void run(Preset preset, ExperimentContext context) throws IOException;
}
