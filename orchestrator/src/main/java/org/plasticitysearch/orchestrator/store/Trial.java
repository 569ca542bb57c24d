package org.plasticitysearch.orchestrator.store;

import org.plasticitysearch.search.TrialState;

/** A trial row; value is the objective of a finished trial (null otherwise). */
public record Trial(long id, long studyId, int number, TrialState state, String paramsJson, long seed,
                    int attempt, String workerId, String error, Double value) {
}
