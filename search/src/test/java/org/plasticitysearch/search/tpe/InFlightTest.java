package org.plasticitysearch.search.tpe;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.plasticitysearch.search.Direction;
import org.plasticitysearch.search.RandomSampler;
import org.plasticitysearch.search.SearchSpace;
import org.plasticitysearch.search.TrialRecord;
import org.plasticitysearch.search.TrialState;
import org.plasticitysearch.search.bench.Objective;

/**
 * One fill of the study runner proposes several trials in a row, each stored QUEUED before the next is asked.
 * QUEUED and RUNNING trials are both in flight: the constant liar counts them, and a term subset in flight is not
 * proposed again while the candidates offer another.
 */
class InFlightTest {
    static final Objective RULES = Objective.all().get(0);
    static final int SEEDS = 30;
    static final int BATCH = 8;

    /** Mean over seeds of (batch size - distinct term subsets) for one fill of 8 after 20 finished trials. */
    static double duplicatesPerFill(TrialState inFlight, TpeSampler.Options options) {
        double dup = 0;
        for (int s = 0; s < SEEDS; s++) {
            TpeSampler tpe = new TpeSampler(s, options);
            List<TrialRecord> h = new ArrayList<>();
            for (int t = 0; t < 20; t++) {
                Map<String, Object> p = tpe.ask(RULES.space(), RULES.direction(), h, t);
                h.add(TrialRecord.complete(t, p, RULES.evaluate(p)));
            }
            Set<List<Object>> subsets = new HashSet<>();
            for (int t = 20; t < 20 + BATCH; t++) {
                Map<String, Object> p = tpe.ask(RULES.space(), RULES.direction(), h, t);
                h.add(new TrialRecord(t, inFlight, p, null, null));
                subsets.add(subset(p));
            }
            dup += BATCH - subsets.size();
        }
        return dup / SEEDS;
    }

    static List<Object> subset(Map<String, Object> p) {
        List<Object> s = new ArrayList<>();
        for (int r = 1; r <= 9; r++) {
            s.add(p.get("f" + r));
        }
        return s;
    }

    @Test
    void queuedTrialsCountAsInFlightLikeRunningOnes() {
        TpeSampler.Options liar = TpeSampler.Options.optunaDefaults().withConstantLiar(true);
        double running = duplicatesPerFill(TrialState.RUNNING, liar);
        double queued = duplicatesPerFill(TrialState.QUEUED, liar);
        System.out.printf("duplicate subsets per fill of %d (%d seeds): RUNNING %.2f, QUEUED %.2f%n", BATCH, SEEDS,
                running, queued);
        assertThat(queued).isLessThanOrEqualTo(running);
        // without in-flight awareness 7 of 8 proposals repeat a subset; the liar alone leaves about 0.4
        assertThat(queued).isLessThan(0.5);
        assertThat(duplicatesPerFill(TrialState.QUEUED, TpeSampler.Options.optunaDefaults())).isGreaterThan(4);
    }

    @Test
    void aSubsetInFlightIsNotProposedAgainUnlessNothingElseIsLeft() {
        SearchSpace bits = SearchSpace.builder().categorical("a", List.of(false, true))
                .categorical("b", List.of(false, true)).build();
        TpeSampler tpe = new TpeSampler(5, new TpeSampler.Options(2, 24, 1.0, true, true, true, false));
        List<TrialRecord> h = new ArrayList<>();
        h.add(TrialRecord.complete(0, Map.of("a", true, "b", true), 1.0));
        h.add(TrialRecord.complete(1, Map.of("a", false, "b", false), 0.0));
        Set<Map<String, Object>> proposed = new HashSet<>();
        for (int t = 2; t < 6; t++) {
            Map<String, Object> p = tpe.ask(bits, Direction.MAXIMIZE, h, t);
            h.add(new TrialRecord(t, TrialState.QUEUED, p, null, null));
            proposed.add(p);
        }
        // four proposals, four combinations: none repeats while another combination is among the candidates
        assertThat(proposed).hasSize(4);
        // all four in flight: the fifth may repeat one, but it is still a valid proposal
        assertThat(tpe.ask(bits, Direction.MAXIMIZE, h, 6)).containsOnlyKeys("a", "b");
    }

    @Test
    void inFlightTrialsDoNotChangeASequentialStudy() {
        // no trial in flight: the proposal is the one Optuna's algorithm gives without the liar
        TpeSampler.Options liar = TpeSampler.Options.optunaDefaults().withConstantLiar(true);
        List<TrialRecord> h = new ArrayList<>();
        RandomSampler r = new RandomSampler(2);
        for (int t = 0; t < 15; t++) {
            Map<String, Object> p = r.ask(RULES.space(), RULES.direction(), h, t);
            h.add(TrialRecord.complete(t, p, RULES.evaluate(p)));
        }
        assertThat(new TpeSampler(2, liar).ask(RULES.space(), RULES.direction(), h, 15))
                .isEqualTo(new TpeSampler(2, TpeSampler.Options.optunaDefaults()).ask(RULES.space(),
                        RULES.direction(), h, 15));
    }
}
