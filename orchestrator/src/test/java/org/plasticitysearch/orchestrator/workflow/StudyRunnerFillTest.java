package org.plasticitysearch.orchestrator.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import org.plasticitysearch.orchestrator.store.StudyStatus;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.plasticitysearch.orchestrator.config.StudyConfig;
import org.plasticitysearch.orchestrator.store.Database;
import org.plasticitysearch.orchestrator.store.Study;
import org.plasticitysearch.orchestrator.store.Trial;
import org.plasticitysearch.orchestrator.store.TrialOutcome;
import org.plasticitysearch.orchestrator.store.TestDatabases;
import org.plasticitysearch.search.TrialState;
import org.plasticitysearch.orchestrator.store.TrialStore;

/**
 * The study runner fills a queue of 8 on a term-subset space with the TPE: each fill's proposals see the ones made
 * before them in the same fill, so a fill does not propose one subset eight times (as it did when the QUEUED
 * trials were invisible to the sampler: 7 of 8 repeated).
 */
class StudyRunnerFillTest {
    static final ObjectMapper JSON = new ObjectMapper();

    static String config(long seed, String sampler) {
        StringBuilder y = new StringBuilder("name: fill-" + sampler + "-" + seed + "\nseed: " + seed + "\nsearch_space:\n"
                + "  f0: {type: fixed, value: true}\n");
        for (int r = 1; r <= 9; r++) {
            y.append("  f").append(r).append(": {type: bool}\n");
        }
        return y.append("  meta_lr: {type: float, low: 1.0e-4, high: 1.0e-1, log: true}\n"
                + "sampler: {type: " + sampler + ", n_startup_trials: 10}\nbudget: 48\nparallelism: 8\n").toString();
    }

    /** A rule landscape: eHebb and Oja help, the other terms cost a little, a best meta learning rate. */
    static double accuracy(Map<String, Object> p) {
        double v = 0.4 + 0.18 * bit(p, 2) + 0.14 * bit(p, 9) + 0.02 * bit(p, 3);
        for (int r : new int[]{1, 4, 5, 6, 7, 8}) {
            v -= 0.04 * bit(p, r);
        }
        double u = Math.log10(((Number) p.get("meta_lr")).doubleValue()) + 2.5;
        return v + 0.12 * Math.exp(-u * u / (2 * 0.35 * 0.35));
    }

    static double bit(Map<String, Object> p, int r) {
        return Boolean.TRUE.equals(p.get("f" + r)) ? 1 : 0;
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"tpe", "gp"})
    void aFillOfEightProposesEightDifferentSubsets(String sampler) throws Exception {
        try (Database db = Database.open(TestDatabases.config(TestDatabases.fresh("fill_" + sampler)))) {
            TrialStore store = new TrialStore(db.dataSource());
            for (long seed = 1; seed <= 3; seed++) {
                StudyConfig c = StudyConfig.parse(config(seed, sampler));
                Study study = store.createOrLoadStudy(c.definition());
                StudyRunnerRoute runner = new StudyRunnerRoute(store, new StudyConfigs(store), study.id(), 1000);
                for (int fill = 0; fill < 6; fill++) {
                    runner.fillQueues();
                    List<Trial> queued = store.trials(study.id(), TrialState.QUEUED, -1, 100);
                    assertThat(queued).hasSize(8);
                    Set<List<Boolean>> subsets = new HashSet<>();
                    for (Trial t : queued) {
                        Map<String, Object> p = JSON.readValue(t.paramsJson(), Map.class);
                        List<Boolean> s = new ArrayList<>();
                        for (int r = 1; r <= 9; r++) {
                            s.add((Boolean) p.get("f" + r));
                        }
                        subsets.add(s);
                    }
                    assertThat(subsets).as("seed %d, fill %d (trials %d-%d)", seed, fill, 8 * fill, 8 * fill + 7)
                            .hasSize(8);
                    for (Trial t : queued) { // a worker runs them all
                        Trial claimed = store.claim(study.id(), "w").orElseThrow();
                        double acc = accuracy(JSON.readValue(claimed.paramsJson(), Map.class));
                        store.finish(claimed.id(), "w", TrialOutcome.scored(TrialState.COMPLETE, acc)
                                .withRule(new double[10], null)
                                .withTest(acc, acc - 0.05, acc + 0.05, 0.98, 20)
                                .withRun(100, false, 1.0));
                    }
                }
                runner.fillQueues();
                assertThat(store.study(c.name()).orElseThrow().status()).isEqualTo(StudyStatus.DONE);
            }
        }
    }

    @org.junit.jupiter.api.Test
    void aStudyThatCannotProposeDoesNotStopTheOthers() throws Exception {
        try (Database db = Database.open(TestDatabases.config(TestDatabases.fresh("fill_broken")))) {
            TrialStore store = new TrialStore(db.dataSource());
            // a study whose stored config this version cannot read (here: no search space), created first
            store.createOrLoadStudy(new org.plasticitysearch.orchestrator.store.StudyDefinition("broken",
                    "name: broken\nbudget: 3\n", "{}", "test_accuracy", org.plasticitysearch.search.Direction.MAXIMIZE,
                    3, 1));
            StudyConfig ok = StudyConfig.parse(config(1, "tpe"));
            Study good = store.createOrLoadStudy(ok.definition());
            new StudyRunnerRoute(store, new StudyConfigs(store), null, 1000).fillQueues();
            assertThat(store.trials(good.id(), TrialState.QUEUED, -1, 100)).hasSize(8);
        }
    }

    @org.junit.jupiter.api.Test
    void theIncrementalHistoryEqualsAFullReadWhateverFinishesWhen() throws Exception {
        try (Database db = Database.open(TestDatabases.config(TestDatabases.fresh("fill_cache")))) {
            TrialStore store = new TrialStore(db.dataSource());
            Study s = store.createOrLoadStudy(StudyConfig.parse(config(2, "tpe")).definition());
            StudyHistory.Cache cache = new StudyHistory.Cache();
            List<Trial> trials = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                trials.add(store.enqueue(s.id(), "{\"f1\": true}", i, new int[]{0, 1}, new double[10]));
            }
            assertThat(cache.load(store, s.id())).isEqualTo(StudyHistory.load(store, s.id()));
            // finished out of order, one pruned with a curve, one still running with a curve
            for (int i : new int[]{1, 0, 3, 4}) {
                Trial t = store.claim(s.id(), "w").orElseThrow();
                store.recordMetrics(t.id(), "w", List.of(new org.plasticitysearch.orchestrator.store.EpisodeMetric(1,
                        0.5, 0.1 * (t.number() + 1), new double[10], null, null)));
                if (t.number() != 4) {
                    store.finish(t.id(), "w", TrialOutcome.scored(t.number() == 3 ? TrialState.PRUNED
                            : TrialState.COMPLETE, 0.1 * (t.number() + 1)));
                }
                assertThat(cache.load(store, s.id())).as("after trial %d", t.number())
                        .isEqualTo(StudyHistory.load(store, s.id()));
            }
        }
    }
}
