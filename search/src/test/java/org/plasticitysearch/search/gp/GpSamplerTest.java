package org.plasticitysearch.search.gp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;
import org.plasticitysearch.search.Direction;
import org.plasticitysearch.search.RandomSampler;
import org.plasticitysearch.search.SearchSpace;
import org.plasticitysearch.search.TrialRecord;
import org.plasticitysearch.search.TrialState;
import org.plasticitysearch.search.bench.Objective;

/** The GP sampler's contract: determinism, types and bounds, in-flight trials, robustness, and that it optimises. */
class GpSamplerTest {
    static final GpSampler.Options OPT = GpSampler.Options.defaults();

    static List<TrialRecord> run(GpSampler s, SearchSpace space, Direction dir, ToDoubleFunction<Map<String, Object>> f,
                                 int n) {
        List<TrialRecord> h = new ArrayList<>();
        for (int t = 0; t < n; t++) {
            Map<String, Object> p = s.ask(space, dir, h, t);
            h.add(TrialRecord.complete(t, p, f.applyAsDouble(p)));
        }
        return h;
    }

    static double num(Map<String, Object> p, String k) {
        return ((Number) p.get(k)).doubleValue();
    }

    static final SearchSpace SPHERE2 = SearchSpace.builder().floatRange("x", -5, 5).floatRange("y", -5, 5).build();

    static double sphere2(Map<String, Object> p) {
        return num(p, "x") * num(p, "x") + num(p, "y") * num(p, "y");
    }

    @Test
    void findsSphere2dWithin40TrialsForSeveralSeeds() {
        for (long seed = 0; seed < 4; seed++) {
            List<TrialRecord> h = run(new GpSampler(seed, OPT), SPHERE2, Direction.MINIMIZE, GpSamplerTest::sphere2, 40);
            double best = h.stream().mapToDouble(TrialRecord::value).min().orElseThrow();
            assertThat(best).as("seed %d", seed).isLessThan(0.05);
        }
    }

    @Test
    void sameInputsGiveBitwiseTheSameParamsAndStartupIsRandom() {
        Objective o = Objective.all().get(0);
        List<TrialRecord> h = run(new GpSampler(7, OPT), o.space(), o.direction(), o::evaluate, 14);
        Map<String, Object> a = new GpSampler(7, OPT).ask(o.space(), o.direction(), h, 14);
        Map<String, Object> b = new GpSampler(7, OPT).ask(o.space(), o.direction(), List.copyOf(h), 14);
        assertThat(a).isEqualTo(b);
        for (String k : a.keySet()) {
            if (a.get(k) instanceof Double d) {
                assertThat(Double.doubleToRawLongBits(d)).isEqualTo(Double.doubleToRawLongBits((Double) b.get(k)));
            }
        }
        // the first 10 trials are RandomSampler(seed)'s
        for (int t = 0; t < 10; t++) {
            assertThat(h.get(t).params()).isEqualTo(new RandomSampler(7).ask(o.space(), o.direction(), List.of(), t));
        }
    }

    @Test
    void decodesEveryDistributionKindToItsTypeAndRange() {
        SearchSpace space = SearchSpace.builder().floatRange("f", -1, 2).logFloat("lf", 1e-4, 1)
                .steppedFloat("sf", 0, 1, 0.25).intRange("i", -3, 7).intRange("is", 0, 100, 10, false)
                .intRange("il", 1, 1000, 1, true).categorical("cs", List.of("a", "b", "c"))
                .categorical("cb", List.of(false, true)).categorical("cn", List.of(1, 2.5, 4))
                .fixed("fx", "const").build();
        ToDoubleFunction<Map<String, Object>> f = p -> Math.pow(num(p, "f") - 0.5, 2)
                + Math.pow(Math.log10(num(p, "lf")) + 2, 2) + num(p, "sf") + Math.abs(num(p, "i") - 2)
                + num(p, "is") / 100 + Math.abs(Math.log(num(p, "il")) - 3) + (p.get("cs").equals("b") ? 0 : 1)
                + ((Boolean) p.get("cb") ? 0 : 1) + num(p, "cn");
        List<TrialRecord> h = run(new GpSampler(3, OPT), space, Direction.MINIMIZE, f, 25);
        for (TrialRecord t : h) {
            Map<String, Object> p = t.params();
            assertThat(p).containsOnlyKeys("f", "lf", "sf", "i", "is", "il", "cs", "cb", "cn", "fx");
            assertThat((Double) p.get("f")).isBetween(-1.0, 2.0);
            assertThat((Double) p.get("lf")).isBetween(1e-4, 1.0);
            double sf = (Double) p.get("sf");
            assertThat(sf).isBetween(0.0, 1.0);
            assertThat(sf * 4).isEqualTo(Math.rint(sf * 4));
            assertThat((Long) p.get("i")).isBetween(-3L, 7L);
            assertThat((Long) p.get("is") % 10).isZero();
            assertThat((Long) p.get("is")).isBetween(0L, 100L);
            assertThat((Long) p.get("il")).isBetween(1L, 1000L);
            assertThat(p.get("cs")).isIn("a", "b", "c");
            assertThat(p.get("cb")).isInstanceOf(Boolean.class);
            assertThat(p.get("cn")).isIn(1, 2.5, 4);
            assertThat(p.get("fx")).isEqualTo("const");
        }
        // the encoding clamps and snaps out-of-range inputs
        Encoding enc = new Encoding(space);
        assertThat(enc.dims()).isEqualTo(9);
        Map<String, Object> lo = enc.decode(new double[]{-0.2, -0.2, -0.2, -0.2, -0.2, -0.2, -1, -1, -1});
        Map<String, Object> hi = enc.decode(new double[]{1.2, 1.2, 1.2, 1.2, 1.2, 1.2, 9, 9, 9});
        assertThat(lo).containsEntry("f", -1.0).containsEntry("lf", 1e-4).containsEntry("sf", 0.0)
                .containsEntry("i", -3L).containsEntry("is", 0L).containsEntry("il", 1L).containsEntry("cs", "a");
        assertThat((Double) hi.get("lf")).isEqualTo(1.0);
        assertThat(hi).containsEntry("f", 2.0).containsEntry("sf", 1.0).containsEntry("i", 7L)
                .containsEntry("is", 100L).containsEntry("il", 1000L).containsEntry("cn", 4);
        // a trial's params survive encode → decode
        for (TrialRecord t : h) {
            assertThat(enc.decode(enc.encode(t.params()))).isEqualTo(t.params());
        }
    }

    @Test
    void inFlightTrialsAreNotProposedAgain() {
        for (GpSampler.Fantasy fantasy : GpSampler.Fantasy.values()) {
            GpSampler.Options o = OPT.withFantasy(fantasy);
            List<TrialRecord> h = run(new GpSampler(1, o), SPHERE2, Direction.MINIMIZE, GpSamplerTest::sphere2, 20);
            Map<String, Object> alone = new GpSampler(1, o).ask(SPHERE2, Direction.MINIMIZE, h, 21);
            List<TrialRecord> withRunning = new ArrayList<>(h);
            withRunning.add(new TrialRecord(20, TrialState.RUNNING, alone, null, null));
            Map<String, Object> next = new GpSampler(1, o).ask(SPHERE2, Direction.MINIMIZE, withRunning, 21);
            assertThat(next).as(fantasy.name()).isNotEqualTo(alone);
            // a QUEUED one counts the same; the trial asked for itself does not
            List<TrialRecord> queued = new ArrayList<>(h);
            queued.add(new TrialRecord(20, TrialState.QUEUED, alone, null, null));
            assertThat(new GpSampler(1, o).ask(SPHERE2, Direction.MINIMIZE, queued, 21)).isNotEqualTo(alone);
            assertThat(new GpSampler(1, o).ask(SPHERE2, Direction.MINIMIZE, queued, 20))
                    .isEqualTo(new GpSampler(1, o).ask(SPHERE2, Direction.MINIMIZE, h, 20));
        }
    }

    @Test
    void categoricalOnlySpacesVisitEveryCombinationBeforeRepeating() {
        SearchSpace space = SearchSpace.builder().categorical("a", List.of("x", "y", "z"))
                .categorical("b", List.of(0, 1)).categorical("c", List.of(true, false)).build();
        ToDoubleFunction<Map<String, Object>> f = p -> (p.get("a").equals("y") ? 0 : 1) + num(p, "b") * 0.5
                + ((Boolean) p.get("c") ? 0.2 : 0);
        GpSampler s = new GpSampler(2, OPT.withStartupTrials(4));
        List<TrialRecord> h = new ArrayList<>();
        Set<Map<String, Object>> seen = new HashSet<>();
        for (int t = 0; t < 4; t++) {
            Map<String, Object> p = s.ask(space, Direction.MINIMIZE, h, t);
            seen.add(p);
            h.add(TrialRecord.complete(t, p, f.applyAsDouble(p)));
        }
        // two asked at once: the second sees the first RUNNING; neither repeats a combination while one is new
        for (int t = 4; t < 20; t += 2) {
            int before = seen.size();
            Map<String, Object> p1 = s.ask(space, Direction.MINIMIZE, h, t);
            h.add(new TrialRecord(t, TrialState.RUNNING, p1, null, null));
            Map<String, Object> p2 = s.ask(space, Direction.MINIMIZE, h, t + 1);
            h.set(h.size() - 1, TrialRecord.complete(t, p1, f.applyAsDouble(p1)));
            h.add(TrialRecord.complete(t + 1, p2, f.applyAsDouble(p2)));
            if (before < 12) {
                assertThat(seen).as("trial %d", t).doesNotContain(p1);
            }
            seen.add(p1);
            if (before < 11) {
                assertThat(seen).as("trial %d", t + 1).doesNotContain(p2);
            }
            seen.add(p2);
        }
        assertThat(seen).hasSize(12);
    }

    @Test
    void robustToOneDimensionConstantValuesNanPrunedAndMaximisation() {
        SearchSpace oneD = SearchSpace.builder().intRange("n", 1, 1 << 20, 1, true).build();
        List<TrialRecord> h = run(new GpSampler(0, OPT), oneD, Direction.MAXIMIZE, p -> 1.0, 15);
        assertThat(h).allSatisfy(t -> assertThat((Long) t.params().get("n")).isBetween(1L, 1L << 20));
        assertThat(h.stream().map(TrialRecord::params).distinct().count()).isEqualTo(15);
        // maximise: the GP climbs to the top of a 1-D parabola
        SearchSpace line = SearchSpace.builder().floatRange("x", 0, 1).build();
        List<TrialRecord> up = run(new GpSampler(4, OPT), line, Direction.MAXIMIZE, p -> -Math.pow(num(p, "x") - 0.7, 2), 20);
        assertThat(up.stream().mapToDouble(TrialRecord::value).max().orElseThrow()).isGreaterThan(-1e-4);
        // NaN / infinite values, FAILED and PRUNED trials
        List<TrialRecord> mixed = new ArrayList<>();
        RandomSampler r = new RandomSampler(8);
        for (int t = 0; t < 16; t++) {
            Map<String, Object> p = r.ask(SPHERE2, Direction.MINIMIZE, mixed, t);
            TrialRecord rec = switch (t % 4) {
                case 0 -> TrialRecord.complete(t, p, t % 8 == 0 ? Double.NaN : Double.POSITIVE_INFINITY);
                case 1 -> new TrialRecord(t, TrialState.FAILED, p, null, null);
                case 2 -> new TrialRecord(t, TrialState.PRUNED, p, null, null);
                default -> TrialRecord.complete(t, p, sphere2(p));
            };
            mixed.add(rec);
        }
        Map<String, Object> p = new GpSampler(8, OPT).ask(SPHERE2, Direction.MINIMIZE, mixed, 16);
        assertThat(num(p, "x")).isBetween(-5.0, 5.0);
        // only 8 trials count for the start-up (4 COMPLETE, 4 PRUNED): with 10 start-up trials it is random
        assertThat(new GpSampler(8, OPT).ask(SPHERE2, Direction.MINIMIZE, mixed, 16))
                .isEqualTo(new RandomSampler(8).ask(SPHERE2, Direction.MINIMIZE, mixed, 16));
        assertThat(new GpSampler(8, OPT.withStartupTrials(5)).ask(SPHERE2, Direction.MINIMIZE, mixed, 16))
                .isNotEqualTo(new RandomSampler(8).ask(SPHERE2, Direction.MINIMIZE, mixed, 16));
    }

    @Test
    void observationsAreCappedToTheBestAndTheMostRecent() {
        Encoding enc = new Encoding(SPHERE2);
        List<TrialRecord> h = new ArrayList<>();
        RandomSampler r = new RandomSampler(1);
        for (int t = 0; t < 500; t++) {
            Map<String, Object> p = r.ask(SPHERE2, Direction.MINIMIZE, h, t);
            h.add(TrialRecord.complete(t, p, sphere2(p)));
        }
        Observations obs = Observations.of(enc, Direction.MINIMIZE, h, 300, 100);
        assertThat(obs.size()).isEqualTo(300);
        double[] sorted = h.stream().mapToDouble(TrialRecord::value).sorted().toArray();
        Set<Integer> kept = new HashSet<>();
        obs.points.forEach(pt -> kept.add(pt.number()));
        for (TrialRecord t : h) {
            if (t.value() <= sorted[99] || t.number() >= 400) {
                assertThat(kept).contains(t.number());
            }
        }
        assertThat(obs.bestLoss).isEqualTo(sorted[0]);
        // the hyperparameters' subset: the same rule at a smaller cap, as indices into the observations
        int[] fit = obs.subset(150, 50);
        assertThat(fit).hasSize(150).isSorted();
        Set<Integer> fitted = new HashSet<>();
        for (int i : fit) {
            fitted.add(obs.points.get(i).number());
        }
        double[] keptSorted = obs.points.stream().mapToDouble(Observations.Point::loss).sorted().toArray();
        int recent = 0;
        for (int i = obs.size() - 1; i >= 0 && recent < 100; i--) {
            Observations.Point pt = obs.points.get(i);
            if (pt.loss() > keptSorted[49]) {
                assertThat(fitted).as("one of the 100 most recent of the rest").contains(pt.number());
                recent++;
            }
        }
        obs.points.stream().filter(pt -> pt.loss() <= keptSorted[49])
                .forEach(pt -> assertThat(fitted).as("one of the best 50").contains(pt.number()));
        assertThat(obs.subset(300, 100)).hasSize(300);
    }
}
