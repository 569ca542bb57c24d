package org.plasticitysearch.search;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reproducible studies: what the sampler and the pruner may see so that a study's proposals do not depend on
 * timing. Trial n is proposed from the trials numbered {@code <= n - lag}, which must all be finished (the study
 * waits for them), plus the trials {@code n - lag + 1 .. n - 1} as in flight (params only, QUEUED), whatever their
 * state is by then. With the lag fixed when the study is created, the history each proposal sees is the same
 * whether one worker runs the study or twenty, and after any interruption: the proposals are a function of the
 * seed and the results alone, and the results of the seed and the proposals.
 */
public final class LaggedHistory {
    private LaggedHistory() {
    }

    /** The history trial {@code number} is proposed from, or empty while a trial it must see is not finished. */
    public static Optional<List<TrialRecord>> forProposal(List<TrialRecord> history, int number, int lag) {
        List<TrialRecord> seen = new ArrayList<>();
        for (TrialRecord t : history) {
            if (t.number() >= number) {
                continue;
            }
            if (t.number() <= number - lag) {
                if (!t.state().finished()) {
                    return Optional.empty();
                }
                seen.add(t);
            } else {
                seen.add(new TrialRecord(t.number(), TrialState.QUEUED, t.params(), null, null));
            }
        }
        return Optional.of(seen);
    }

    /**
     * The trials a pruner may compare trial {@code number} with: those numbered {@code <= number - lag}, all
     * finished before the trial was proposed, so every report of it is judged against the same trials.
     */
    public static List<TrialRecord> forPruner(List<TrialRecord> history, int number, int lag) {
        return history.stream().filter(t -> t.number() <= number - lag && t.state().finished()).toList();
    }
}
