package org.plasticitysearch.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.plasticitysearch.search.bench.Objective;
import org.plasticitysearch.search.tpe.TpeSampler;

class SamplerTest {
    static final Objective O1 = Objective.all().get(0);

    static List<TrialRecord> history(Sampler s, Objective o, int n) {
        List<TrialRecord> h = new ArrayList<>();
        for (int t = 0; t < n; t++) {
            Map<String, Object> p = s.ask(o.space(), o.direction(), h, t);
            h.add(TrialRecord.complete(t, p, o.evaluate(p)));
        }
        return h;
    }

    @Test
    void sameSeedAndHistoryGiveTheSameParams() {
        List<TrialRecord> h = history(new TpeSampler(3, TpeSampler.Options.optunaDefaults()), O1, 30);
        Map<String, Object> a = new TpeSampler(3, TpeSampler.Options.optunaDefaults()).ask(O1.space(), O1.direction(), h, 30);
        Map<String, Object> b = new TpeSampler(3, TpeSampler.Options.optunaDefaults()).ask(O1.space(), O1.direction(), h, 30);
        assertThat(a).isEqualTo(b);
        Map<String, Object> other = new TpeSampler(4, TpeSampler.Options.optunaDefaults()).ask(O1.space(), O1.direction(), h, 30);
        assertThat(other).isNotEqualTo(a);
        assertThat(new RandomSampler(9).ask(O1.space(), O1.direction(), h, 5))
                .isEqualTo(new RandomSampler(9).ask(O1.space(), O1.direction(), List.of(), 5));
    }

    @Test
    void constantLiarSteersAwayFromRunningTrials() {
        Objective sphere = Objective.all().get(1);
        TpeSampler.Options liar = TpeSampler.Options.optunaDefaults().withConstantLiar(true);
        List<TrialRecord> h = history(new TpeSampler(1, liar), sphere, 30);
        Map<String, Object> alone = new TpeSampler(1, liar).ask(sphere.space(), sphere.direction(), h, 31);
        // the same point is already being evaluated by another worker
        List<TrialRecord> withRunning = new ArrayList<>(h);
        withRunning.add(new TrialRecord(30, TrialState.RUNNING, alone, null, null));
        Map<String, Object> next = new TpeSampler(1, liar).ask(sphere.space(), sphere.direction(), withRunning, 31);
        assertThat(next).isNotEqualTo(alone);
        // without the liar, RUNNING trials are invisible: the proposal stays
        Map<String, Object> noLiar = new TpeSampler(1, TpeSampler.Options.optunaDefaults())
                .ask(sphere.space(), sphere.direction(), withRunning, 31);
        assertThat(noLiar).isEqualTo(new TpeSampler(1, TpeSampler.Options.optunaDefaults())
                .ask(sphere.space(), sphere.direction(), h, 31));
    }

    @Test
    void multivariateTpeIsDeterministicAndBeatsRandomOnSphere() {
        Objective sphere = Objective.all().get(1);
        TpeSampler.Options mv = TpeSampler.Options.optunaDefaults().withMultivariate(true);
        double[] tpe = new double[10];
        double[] rnd = new double[10];
        for (int s = 0; s < 10; s++) {
            tpe[s] = history(new TpeSampler(s, mv), sphere, 60).stream().mapToDouble(TrialRecord::value).min().orElseThrow();
            rnd[s] = history(new RandomSampler(s), sphere, 60).stream().mapToDouble(TrialRecord::value).min().orElseThrow();
        }
        Arrays.sort(tpe);
        Arrays.sort(rnd);
        assertThat(tpe[5]).isLessThan(rnd[5] / 2);
        List<TrialRecord> h = history(new TpeSampler(1, mv), sphere, 20);
        assertThat(new TpeSampler(1, mv).ask(sphere.space(), sphere.direction(), h, 20))
                .isEqualTo(new TpeSampler(1, mv).ask(sphere.space(), sphere.direction(), h, 20));
    }

    @Test
    void tpeBeatsRandomOnTheRuleLandscape() {
        double[] tpe = new double[20];
        double[] rnd = new double[20];
        for (int s = 0; s < 20; s++) {
            tpe[s] = best(history(new TpeSampler(1000 + s, TpeSampler.Options.optunaDefaults()), O1, 60));
            rnd[s] = best(history(new RandomSampler(1000 + s), O1, 60));
        }
        Arrays.sort(tpe);
        Arrays.sort(rnd);
        double medTpe = 0.5 * (tpe[9] + tpe[10]);
        double medRnd = 0.5 * (rnd[9] + rnd[10]);
        System.out.printf("rule_landscape, 20 seeds, best at trial 60: TPE median %.4f, random median %.4f%n",
                medTpe, medRnd);
        assertThat(medTpe).isGreaterThan(medRnd + 0.02);
    }

    private static double best(List<TrialRecord> h) {
        return h.stream().mapToDouble(TrialRecord::value).max().orElseThrow();
    }

    @Test
    void failedTrialsAreIgnoredAndPrunedOnesRankBehindCompleteOnes() {
        Objective sphere = Objective.all().get(1);
        List<TrialRecord> h = history(new RandomSampler(2), sphere, 20);
        Map<String, Object> base = new TpeSampler(2, TpeSampler.Options.optunaDefaults()).ask(sphere.space(), sphere.direction(), h, 20);
        List<TrialRecord> withFailed = new ArrayList<>(h);
        withFailed.add(new TrialRecord(20, TrialState.FAILED, Map.of("x1", 0.0, "x2", 0.0, "x3", 0.0, "x4", 0.0, "x5", 0.0), null, null));
        assertThat(new TpeSampler(2, TpeSampler.Options.optunaDefaults()).ask(sphere.space(), sphere.direction(), withFailed, 20))
                .isEqualTo(base);
    }

    @Test
    void gridVisitsEveryCombinationOnceBeforeRepeating() {
        SearchSpace s = SearchSpace.builder().categorical("f2", List.of(false, true)).intRange("k", 1, 3)
                .steppedFloat("lr", 0.1, 0.3, 0.1).fixed("f0", true).build();
        assertThat(GridSampler.size(s)).isEqualTo(18);
        Set<Map<String, Object>> seen = new HashSet<>();
        for (int t = 0; t < 18; t++) {
            seen.add(new GridSampler(5).ask(s, Direction.MAXIMIZE, List.of(), t));
        }
        assertThat(seen).hasSize(18);
        assertThat(new GridSampler(5).ask(s, Direction.MAXIMIZE, List.of(), 18))
                .isEqualTo(new GridSampler(5).ask(s, Direction.MAXIMIZE, List.of(), 0));
        assertThatThrownBy(() -> GridSampler.size(SearchSpace.builder().floatRange("lr", 0, 1).build()))
                .hasMessageContaining("lr").hasMessageContaining("continuous");
    }

    @Test
    void enqueuedParamsComeFirst() {
        SearchSpace s = SearchSpace.builder().categorical("f2", List.of(0, 1)).logFloat("lr", 1e-4, 1e-1).build();
        Sampler e = new EnqueueSampler(List.of(Map.of("f2", 1, "lr", 1e-3), Map.of("f2", 0)), new RandomSampler(1));
        assertThat(e.ask(s, Direction.MAXIMIZE, List.of(), 0)).isEqualTo(Map.of("f2", 1, "lr", 1e-3));
        Map<String, Object> second = e.ask(s, Direction.MAXIMIZE, List.of(), 1);
        assertThat(second.get("f2")).isEqualTo(0);
        assertThat((Double) second.get("lr")).isBetween(1e-4, 1e-1);
        assertThatThrownBy(() -> new EnqueueSampler(List.of(Map.of("typo", 1)), new RandomSampler(1))
                .ask(s, Direction.MAXIMIZE, List.of(), 0)).hasMessageContaining("typo");
    }

    @Test
    void invalidSpacesNameTheParameter() {
        assertThatThrownBy(() -> SearchSpace.builder().floatRange("meta_lr", 1, 0.1))
                .hasMessageContaining("meta_lr").hasMessageContaining("empty range");
        assertThatThrownBy(() -> SearchSpace.builder().logFloat("lambda", 0, 10))
                .hasMessageContaining("lambda").hasMessageContaining("log");
        assertThatThrownBy(() -> SearchSpace.builder().categorical("optimizer", List.of()))
                .hasMessageContaining("optimizer").hasMessageContaining("empty");
        assertThatThrownBy(() -> SearchSpace.builder().intRange("k", 1, 10, 4, false))
                .hasMessageContaining("k").hasMessageContaining("step 4");
        assertThatThrownBy(() -> SearchSpace.builder().intRange("k", 1, 4).intRange("k", 1, 4))
                .hasMessageContaining("k").hasMessageContaining("twice");
        assertThatThrownBy(() -> SearchSpace.builder().categorical("c", List.of(1, 1)))
                .hasMessageContaining("repeat");
    }

    @Test
    void samplesStayInTheirRanges() {
        SearchSpace s = SearchSpace.builder().logFloat("lr", 1e-4, 1e-1).intRange("b", 1, 64, 1, true)
                .steppedFloat("q", 0.0, 1.0, 0.25).intRange("k", 2, 10, 2, false).build();
        Objective flat = new Objective() {
            @Override public String name() { return "flat"; }
            @Override public Direction direction() { return Direction.MINIMIZE; }
            @Override public SearchSpace space() { return s; }
            @Override public double evaluate(Map<String, Object> p) {
                return Math.abs(Math.log10((Double) p.get("lr")) + 2) + ((Number) p.get("k")).doubleValue();
            }
        };
        for (TrialRecord t : history(new TpeSampler(7, TpeSampler.Options.optunaDefaults()), flat, 40)) {
            assertThat((Double) t.params().get("lr")).isBetween(1e-4, 1e-1);
            assertThat((Long) t.params().get("b")).isBetween(1L, 64L);
            assertThat((Double) t.params().get("q") * 4).isEqualTo(Math.rint((Double) t.params().get("q") * 4));
            assertThat((Long) t.params().get("k") % 2).isZero();
        }
    }
}
