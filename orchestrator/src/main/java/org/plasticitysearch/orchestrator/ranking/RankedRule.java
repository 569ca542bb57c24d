package org.plasticitysearch.orchestrator.ranking;

import java.util.List;

/**
 * One learned rule of a study: the set of active terms, the runs (trials) that learned it, and what they say.
 *
 * @param activeTerms    the rule's identity: the terms it may use
 * @param runs           trial numbers of the COMPLETE runs, best first
 * @param theta          the best run's learned coefficients (what the formula shows)
 * @param meanShares     each term's share of the weight update, averaged over the runs that measured it
 * @param effective      terms whose mean share reaches the threshold; complexity = their number
 * @param accuracy       mean meta-test accuracy over the runs
 * @param ciLow          98% bootstrap interval over the runs (over the best run's tasks when there is one run)
 * @param pareto         on the front of accuracy (higher) against complexity (lower)
 * @param overlapsNext   its interval overlaps the next rule's: the order of the two is not established
 */
public record RankedRule(int rank, int[] activeTerms, List<Integer> runs, double[] theta, double[] meanShares,
                         int[] effective, double accuracy, double ciLow, double ciHigh, boolean pareto,
                         boolean overlapsNext) {
    public int complexity() {
        return effective.length;
    }

    public int n() {
        return runs.size();
    }
}
