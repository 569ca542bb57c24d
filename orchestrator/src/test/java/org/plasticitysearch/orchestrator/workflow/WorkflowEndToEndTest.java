package org.plasticitysearch.orchestrator.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import org.plasticitysearch.orchestrator.store.StudyStatus;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.plasticitysearch.orchestrator.config.StudyConfig;
import org.plasticitysearch.orchestrator.store.Database;
import org.plasticitysearch.orchestrator.store.EpisodeMetric;
import org.plasticitysearch.orchestrator.store.RuleRow;
import org.plasticitysearch.orchestrator.store.SafeguardCounts;
import org.plasticitysearch.orchestrator.store.Study;
import org.plasticitysearch.orchestrator.store.Trial;
import org.plasticitysearch.orchestrator.store.TestDatabases;
import org.plasticitysearch.search.TrialState;
import org.plasticitysearch.orchestrator.store.TrialStore;
import org.plasticitysearch.orchestrator.worker.TrainerLauncher;

/** Camel routes + real PostgreSQL + real trainer processes on the built-in data, tiny episodes. */
class WorkflowEndToEndTest {
    static final String CONFIG = String.join("\n",
            "name: e2e",
            "dataset: builtin",
            "per_class_limit: 30",
            "network: [784, 40, 30, 47]",
            "episodes: 6",
            "K: 8",
            "Q: 4",
            "eval_tasks: 3",
            "seed: 3",
            "report_every: 2",
            "search_space:",
            "  f0: {type: fixed, value: true}",
            "  f2: {type: bool}",
            "  f9: {type: bool}",
            "  meta_lr: {type: float, low: 1.0e-4, high: 1.0e-2, log: true}",
            "enqueue:",
            "  - {f2: true, f9: true}",
            "sampler: {type: tpe, n_startup_trials: 3, constant_liar: true}",
            "budget: 6",
            "parallelism: 2",
            "trial_timeout: 2m",
            "heap: 512m",
            "");

    static Study runToEnd(TrialStore store, StudyConfig config) throws Exception {
        Study study = store.createOrLoadStudy(config.definition());
        Workflow camel = Workflow.create(store, TrainerLauncher.fromClassPath(System.getProperty("java.class.path"),
                "512m").warm(), new Workflow.Settings(2, "test-worker", Duration.ofMillis(200), Duration.ofSeconds(1),
                Duration.ofSeconds(30), 2));
        camel.start();
        try {
            long deadline = System.nanoTime() + Duration.ofMinutes(4).toNanos();
            while (System.nanoTime() < deadline) {
                if (store.study(config.name()).orElseThrow().status() == StudyStatus.DONE) {
                    break;
                }
                Thread.sleep(200);
            }
        } finally {
            camel.stop();
        }
        return store.study(config.name()).orElseThrow();
    }

    static final String PRUNING = String.join("\n",
            "name: pruning",
            "dataset: builtin",
            "per_class_limit: 30",
            "network: [784, 40, 30, 47]",
            "episodes: 12",
            "K: 8",
            "Q: 4",
            "eval_tasks: 2",
            "seed: 4",
            "report_every: 1",
            "search_space:",
            "  f0: {type: fixed, value: true}",
            "  f2: {type: bool}",
            "  f9: {type: bool}",
            "  meta_lr: {type: fixed, value: 0.003}",
            "  theta0_init: {type: categorical, choices: [0.01, 0.0]}",
            "enqueue:",
            "  - {f2: true, f9: false, theta0_init: 0.01}",
            "  - {f2: true, f9: false, theta0_init: 0.01}",
            "  - {f2: false, f9: false, theta0_init: 0.0}",
            "  - {f2: false, f9: false, theta0_init: 0.0}",
            "  - {f2: false, f9: false, theta0_init: 0.0}",
            "  - {f2: false, f9: false, theta0_init: 0.0}",
            "sampler: {type: random}",
            "pruner: {type: median, n_startup_trials: 2, n_warmup_steps: 3}",
            "budget: 6",
            "parallelism: 2",
            // the pruner judges trial n against trials <= n - 2 only: trials 0 and 1 cannot be pruned whichever
            // finishes first (without it, a slow start of trial 0 let trials 1 and 2 finish first and prune it)
            "reproducible: true",
            "trial_timeout: 2m",
            "heap: 512m",
            "");

    @Test
    void aTrialTheWorkerCannotRunFailsAtOnceWithItsReason() throws Exception {
        try (Database db = Database.open(TestDatabases.config(TestDatabases.fresh("badparams")))) {
            TrialStore store = new TrialStore(db.dataSource());
            StudyConfig config = StudyConfig.parse(CONFIG.replace("budget: 6", "budget: 1").replace("name: e2e",
                    "name: badparams"));
            Study study = store.createOrLoadStudy(config.definition());
            double[] theta = new double[10];
            // params no sampler would propose (enqueued by hand, or a stored study from another version)
            store.enqueue(study.id(), "{\"f0\": true, \"meta_lr\": \"fast\"}", 1, new int[]{0}, theta);
            Workflow camel = Workflow.create(store, TrainerLauncher.fromClassPath(System.getProperty(
                    "java.class.path"), "512m"), new Workflow.Settings(1, "test-worker", Duration.ofMillis(200),
                    Duration.ofSeconds(1), Duration.ofSeconds(60), 2));
            long t0 = System.nanoTime();
            camel.start();
            try {
                while (store.counts(study.id()).failed() == 0 && System.nanoTime() - t0 < 20_000_000_000L) {
                    Thread.sleep(100);
                }
            } finally {
                camel.stop();
            }
            Trial t = store.trial(study.id(), 0).orElseThrow();
            assertThat(t.state()).isEqualTo(TrialState.FAILED);
            assertThat((System.nanoTime() - t0) / 1e9).as("not after the 60 s heartbeat timeout").isLessThan(20);
            assertThat(t.error()).startsWith("worker test-worker could not run it: ClassCastException");
            assertThat(t.attempt()).isEqualTo(1);
        }
    }

    @Test
    void theMedianPrunerStopsClearlyBadRules() throws Exception {
        try (Database db = Database.open(TestDatabases.config(TestDatabases.fresh("pruning")))) {
            TrialStore store = new TrialStore(db.dataSource());
            Study study = runToEnd(store, StudyConfig.parse(PRUNING));
            assertThat(study.status()).isEqualTo(StudyStatus.DONE);
            List<Trial> trials = store.trials(study.id(), null, -1, 100);
            assertThat(trials).hasSize(6);
            // the two good rules (a learning rate that works from the first episode) run first and complete; at
            // least one of the non-learning rules is pruned
            assertThat(trials.get(0).state()).as(String.valueOf(trials.get(0).error())).isEqualTo(TrialState.COMPLETE);
            assertThat(trials.get(1).state()).as(String.valueOf(trials.get(1).error())).isEqualTo(TrialState.COMPLETE);
            assertThat(trials.subList(2, 6)).anyMatch(t -> t.state() == TrialState.PRUNED);
            for (Trial t : trials) {
                if (t.state() == TrialState.PRUNED) {
                    // pruned by SIGTERM, never before the warm-up (3 reports); the trainer stops at the next episode
                    // boundary, which on these tiny episodes may be the last one; its learned rule is stored
                    assertThat(store.metrics(t.id()).size()).isBetween(3, 12);
                    assertThat(store.leaderboard(study.id(), true, 10)).anyMatch(r -> r.trial() == t.number());
                }
            }
        }
    }

    @Test
    void aStudyRunsToItsBudgetAndResumesInsteadOfDuplicating() throws Exception {
        try (Database db = Database.open(TestDatabases.config(TestDatabases.fresh("e2e")))) {
            TrialStore store = new TrialStore(db.dataSource());
            StudyConfig config = StudyConfig.parse(CONFIG);
            Study study = runToEnd(store, config);
            assertThat(study.status()).isEqualTo(StudyStatus.DONE);
            List<Trial> trials = store.trials(study.id(), null, -1, 100);
            assertThat(trials).hasSize(6).allMatch(t -> t.state().finished());
            assertThat(trials).extracting(Trial::number).containsExactly(0, 1, 2, 3, 4, 5);
            // the enqueued bio rule came first
            assertThat(trials.get(0).paramsJson()).contains("\"f2\": true").contains("\"f9\": true");
            for (Trial t : trials) {
                assertThat(t.state()).as("trial %d: %s", t.number(), t.error()).isEqualTo(TrialState.COMPLETE);
                List<EpisodeMetric> metrics = store.metrics(t.id());
                assertThat(metrics).extracting(EpisodeMetric::episode).containsExactly(2, 4, 6);
                // what the meta-training safeguards did, as the trainer reported it: running counts that never fall
                assertThat(metrics).allMatch(m -> m.gradNorm() != null && m.gradNorm() > 0 && m.clipped() != null
                        && m.rejected() != null && m.limited() != null);
                for (int i = 1; i < metrics.size(); i++) {
                    assertThat(metrics.get(i).limited()).isGreaterThanOrEqualTo(metrics.get(i - 1).limited());
                    assertThat(metrics.get(i).clipped()).isGreaterThanOrEqualTo(metrics.get(i - 1).clipped());
                }
                SafeguardCounts totals = store.safeguardCounts(t.id()).orElseThrow();
                assertThat(totals.limited()).isEqualTo(metrics.get(2).limited());
                assertThat(totals.clipped()).isEqualTo(metrics.get(2).clipped());
                assertThat(totals.rejected()).isEqualTo(metrics.get(2).rejected());
                assertThat(totals.settingsJson()).contains("\"trust_region\": true").contains("\"grad_clip\": 5.0");
                assertThat(metrics).allMatch(m -> m.wasRejected() != null);
            }
            // two or more terms move together from the first step, so the trust region acts in the bio trial
            assertThat(store.safeguardCounts(trials.get(0).id()).orElseThrow().limited()).isPositive();
            List<RuleRow> rules = store.leaderboard(study.id(), true, 10);
            assertThat(rules).hasSize(6).allMatch(r -> r.testAccuracy() != null && r.theta()[0] != 0.001);
            assertThat(rules.get(0).testAccuracy()).isGreaterThanOrEqualTo(rules.get(5).testAccuracy());

            // the same config again: the study is found and already done, nothing is added
            Study again = runToEnd(store, config);
            assertThat(again.id()).isEqualTo(study.id());
            assertThat(store.trials(study.id(), null, -1, 100)).hasSize(6);
        }
    }
}
