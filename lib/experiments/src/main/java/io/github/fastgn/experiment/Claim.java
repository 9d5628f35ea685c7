package io.github.fastgn.experiment;

/**
 * One checked claim of a paper, reproduced honestly: a claim that does not hold is reported as
 * FAIL with the numbers, never hidden.
 *
 * @param id        short identifier ("FGN-1", "Ghosts-2", ...)
 * @param statement what the paper claims, in one sentence
 * @param pass      whether the measurement supports it
 * @param evidence  the key numbers behind the verdict
 * @param figure    the file name of the figure that shows it (relative to the results folder), or ""
 */
public record Claim(String id, String statement, boolean pass, String evidence, String figure) {

    public String verdict() {
        return pass ? "PASS" : "FAIL";
    }
}
