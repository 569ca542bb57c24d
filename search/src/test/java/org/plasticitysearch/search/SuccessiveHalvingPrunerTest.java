package org.plasticitysearch.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Hand-computed cases: min resource 1, reduction factor 4: rungs at steps 1, 4, 16, ... */
class SuccessiveHalvingPrunerTest {
    static TreeMap<Integer, Double> iv(Object... stepValue) {
        TreeMap<Integer, Double> m = new TreeMap<>();
        for (int i = 0; i < stepValue.length; i += 2) {
            m.put((Integer) stepValue[i], ((Number) stepValue[i + 1]).doubleValue());
        }
        return m;
    }

    static TrialRecord running(int n, TreeMap<Integer, Double> iv) {
        return new TrialRecord(n, TrialState.RUNNING, Map.of(), null, iv);
    }

    @Test
    void keepsTheTopQuarterAtEachRung() {
        SuccessiveHalvingPruner p = new SuccessiveHalvingPruner(1, 4, 0, 0);
        List<TrialRecord> h = new ArrayList<>();
        // seven trials reached rung 0 (step 1) with accuracies 0.1 .. 0.7
        for (int i = 0; i < 7; i++) {
            h.add(running(i, iv(1, 0.1 * (i + 1))));
        }
        // an eighth at step 1: 8 competitors, promotable index 8/4 - 1 = 1 -> must be >= the 2nd best (0.6)
        assertThat(p.shouldPrune(Direction.MAXIMIZE, h, 9, iv(1, 0.65))).isFalse();
        assertThat(p.shouldPrune(Direction.MAXIMIZE, h, 9, iv(1, 0.55))).isTrue();
        // with 3 competitors the index is 0 -> must be the best
        List<TrialRecord> few = h.subList(0, 2);
        assertThat(p.shouldPrune(Direction.MAXIMIZE, few, 9, iv(1, 0.25))).isFalse();
        assertThat(p.shouldPrune(Direction.MAXIMIZE, few, 9, iv(1, 0.15))).isTrue();
        // between rungs nothing happens, however bad
        assertThat(p.shouldPrune(Direction.MAXIMIZE, h, 9, iv(1, 0.9, 2, 0.0))).isFalse();
        // minimise: lower is better
        assertThat(p.shouldPrune(Direction.MINIMIZE, h, 9, iv(1, 0.15))).isFalse();
        assertThat(p.shouldPrune(Direction.MINIMIZE, h, 9, iv(1, 0.25))).isTrue();
    }

    @Test
    void aReportCanPassSeveralRungsAndRungValuesComeFromTheFirstStepPastTheRung() {
        SuccessiveHalvingPruner p = new SuccessiveHalvingPruner(1, 4, 0, 0);
        List<TrialRecord> h = new ArrayList<>();
        // others reported at steps 2 and 5: their rung-0 value is at step 2, their rung-1 value at step 5
        h.add(running(0, iv(2, 0.3, 5, 0.9)));
        h.add(running(1, iv(2, 0.2, 5, 0.1)));
        // first report at step 5 with 0.5: rung 0 (vs 0.3, 0.2 -> best, passes), rung 1 (vs 0.9, 0.1 -> not best)
        assertThat(p.shouldPrune(Direction.MAXIMIZE, h, 9, iv(5, 0.5))).isTrue();
        assertThat(p.shouldPrune(Direction.MAXIMIZE, h, 9, iv(5, 0.95))).isFalse();
    }

    @Test
    void autoMinResourceWaitsForACompleteTrial() {
        SuccessiveHalvingPruner p = SuccessiveHalvingPruner.optunaDefaults();
        List<TrialRecord> h = new ArrayList<>(List.of(running(0, iv(1, 0.9))));
        assertThat(p.shouldPrune(Direction.MAXIMIZE, h, 9, iv(1, 0.0))).isFalse();
        h.add(new TrialRecord(1, TrialState.COMPLETE, Map.of(), 0.9, iv(1, 0.9, 300, 0.9)));
        // min resource = 300 / 100 = 3: step 1 is before rung 0, step 3 competes
        assertThat(p.shouldPrune(Direction.MAXIMIZE, h, 9, iv(1, 0.0))).isFalse();
        assertThat(p.shouldPrune(Direction.MAXIMIZE, h, 9, iv(1, 0.0, 3, 0.0))).isTrue();
    }
}
