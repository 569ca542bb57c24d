package org.plasticitysearch.orchestrator.store;

import org.plasticitysearch.search.TrialState;

/**
 * A finished trial's learned rule and its score, as ranked; updateShare[r] is term r's share of the rule's weight
 * update (NaN entries, or null, when not measured).
 */
public record RuleRow(int trial, TrialState state, int[] activeTerms, double[] theta, Double testAccuracy,
                      Double ciLow, Double ciHigh, Double value, double[] updateShare) {
}
