package org.plasticitysearch.orchestrator.store;

import org.plasticitysearch.search.TrialState;

/**
 * How a trial ended. thetaFinal has 10 entries (or is null when the trial produced no rule); termShares, when
 * measured, has each term's share of the learned rule's weight update (10 entries summing to 1); safeguards, when
 * reported, what the meta-training safeguards did. Built from {@link #scored} or {@link #failed} and the
 * {@code with...} steps, so no caller counts fourteen positional arguments.
 */
public record TrialOutcome(TrialState state, Double value, double[] thetaFinal, Double testAccuracy,
                           Double ciLow, Double ciHigh, Double ciLevel, Integer evalTasks,
                           Integer episodesCompleted, boolean partial, Double wallSeconds, String error,
                           double[] termShares, SafeguardCounts safeguards) {
    /** A COMPLETE or PRUNED trial with its objective value; the rest is added by the with... steps. */
    public static TrialOutcome scored(TrialState state, Double value) {
        return new TrialOutcome(state, value, null, null, null, null, null, null, null, false, null, null, null,
                null);
    }

    public static TrialOutcome failed(String error) {
        return new TrialOutcome(TrialState.FAILED, null, null, null, null, null, null, null, null, false, null,
                error, null, null);
    }

    /** The learned coefficients and each term's share of the weight update (either may be null). */
    public TrialOutcome withRule(double[] theta, double[] shares) {
        return new TrialOutcome(state, value, theta, testAccuracy, ciLow, ciHigh, ciLevel, evalTasks,
                episodesCompleted, partial, wallSeconds, error, shares, safeguards);
    }

    /** The meta-test: mean accuracy over {@code tasks} tasks and its bootstrap interval at {@code level}. */
    public TrialOutcome withTest(Double accuracy, Double low, Double high, Double level, Integer tasks) {
        return new TrialOutcome(state, value, thetaFinal, accuracy, low, high, level, tasks, episodesCompleted,
                partial, wallSeconds, error, termShares, safeguards);
    }

    /** How far the run went: episodes completed, whether it stopped early, the trainer's wall time. */
    public TrialOutcome withRun(Integer episodes, boolean stoppedEarly, Double wall) {
        return new TrialOutcome(state, value, thetaFinal, testAccuracy, ciLow, ciHigh, ciLevel, evalTasks,
                episodes, stoppedEarly, wall, error, termShares, safeguards);
    }

    public TrialOutcome withSafeguards(SafeguardCounts counts) {
        return new TrialOutcome(state, value, thetaFinal, testAccuracy, ciLow, ciHigh, ciLevel, evalTasks,
                episodesCompleted, partial, wallSeconds, error, termShares, counts);
    }
}
