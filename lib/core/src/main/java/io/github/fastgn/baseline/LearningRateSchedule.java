package io.github.fastgn.baseline;

/** A multiplier on the base learning rate as a function of the 1-based step number. */
@FunctionalInterface
public interface LearningRateSchedule {

    double factor(int step);

    /** Always 1. */
    static LearningRateSchedule constant() {
        return step -> 1.0;
    }

    /**
     * The Ghosts-of-Softmax spike protocol: the rate is multiplied by {@code multiplier} from step
     * {@code from} (inclusive) to step {@code to} (exclusive; {@code Integer.MAX_VALUE} for "to the end").
     */
    static LearningRateSchedule spike(int from, int to, double multiplier) {
        if (from < 1 || to <= from || !(multiplier > 0)) {
            throw new IllegalArgumentException("a spike needs 1 <= from < to and multiplier > 0, got from=" + from
                    + ", to=" + to + ", multiplier=" + multiplier);
        }
        return step -> step >= from && step < to ? multiplier : 1.0;
    }
}
