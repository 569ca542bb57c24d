package org.plasticitysearch.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Hand-computed cases of Optuna's median pruner semantics. */
class MedianPrunerTest {
    static TrialRecord complete(int n, double... curve) {
        TreeMap<Integer, Double> iv = new TreeMap<>();
        for (int s = 0; s < curve.length; s++) {
            iv.put(s + 1, curve[s]);
        }
        return new TrialRecord(n, TrialState.COMPLETE, Map.of(), curve[curve.length - 1], iv);
    }

    static TreeMap<Integer, Double> curve(double... v) {
        TreeMap<Integer, Double> iv = new TreeMap<>();
        for (int s = 0; s < v.length; s++) {
            iv.put(s + 1, v[s]);
        }
        return iv;
    }

    static List<TrialRecord> fiveCompleted() {
        // accuracies (maximise) at steps 1, 2, 3; medians: step 1 -> 0.3, step 2 -> 0.5, step 3 -> 0.6
        List<TrialRecord> h = new ArrayList<>();
        h.add(complete(0, 0.1, 0.3, 0.4));
        h.add(complete(1, 0.2, 0.4, 0.5));
        h.add(complete(2, 0.3, 0.5, 0.6));
        h.add(complete(3, 0.4, 0.6, 0.7));
        h.add(complete(4, 0.5, 0.7, 0.8));
        return h;
    }

    @Test
    void prunesATrialWhoseBestSoFarIsBelowTheMedianAtThatStep() {
        MedianPruner p = MedianPruner.optunaDefaults();
        List<TrialRecord> h = fiveCompleted();
        assertThat(p.shouldPrune(Direction.MAXIMIZE, h, 9, curve(0.29))).isTrue();   // 0.29 < 0.3
        assertThat(p.shouldPrune(Direction.MAXIMIZE, h, 9, curve(0.30))).isFalse();  // not below
        // best so far counts, not the last value: 0.55 at step 1 beats step 2's median 0.5
        assertThat(p.shouldPrune(Direction.MAXIMIZE, h, 9, curve(0.55, 0.1))).isFalse();
        assertThat(p.shouldPrune(Direction.MAXIMIZE, h, 9, curve(0.2, 0.45))).isTrue();
        // minimise: above the median is worse
        assertThat(p.shouldPrune(Direction.MINIMIZE, h, 9, curve(0.31))).isTrue();
        assertThat(p.shouldPrune(Direction.MINIMIZE, h, 9, curve(0.29))).isFalse();
        // a NaN-only curve is pruned
        assertThat(p.shouldPrune(Direction.MAXIMIZE, h, 9, curve(Double.NaN))).isTrue();
    }

    @Test
    void startupWarmupIntervalAndMissingStepsNeverPrune() {
        List<TrialRecord> h = fiveCompleted();
        assertThat(MedianPruner.optunaDefaults().shouldPrune(Direction.MAXIMIZE, h.subList(0, 4), 9, curve(0.0)))
                .as("only 4 complete trials").isFalse();
        assertThat(new MedianPruner(5, 2, 1).shouldPrune(Direction.MAXIMIZE, h, 9, curve(0.0)))
                .as("step 1 is in the warm-up").isFalse();
        assertThat(new MedianPruner(5, 2, 1).shouldPrune(Direction.MAXIMIZE, h, 9, curve(0.0, 0.0)))
                .as("step 2 is after it").isTrue();
        // interval 2 after warm-up 0: steps 1 and 2 share the bucket [0, 2)... step 2 opens [2, 4)
        assertThat(new MedianPruner(5, 0, 2).shouldPrune(Direction.MAXIMIZE, h, 9, curve(0.0, 0.0, 0.0)))
                .as("step 3 shares its interval with step 2").isFalse();
        assertThat(MedianPruner.optunaDefaults().shouldPrune(Direction.MAXIMIZE, h, 9, curve(0, 0, 0, 0)))
                .as("no completed trial reported step 4").isFalse();
    }
}
