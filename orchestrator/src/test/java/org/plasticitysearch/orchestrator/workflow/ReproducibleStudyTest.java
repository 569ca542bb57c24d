package org.plasticitysearch.orchestrator.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import org.plasticitysearch.orchestrator.store.StudyStatus;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.plasticitysearch.orchestrator.config.StudyConfig;
import org.plasticitysearch.orchestrator.store.Database;
import org.plasticitysearch.orchestrator.store.Study;
import org.plasticitysearch.orchestrator.store.Trial;
import org.plasticitysearch.orchestrator.store.TestDatabases;
import org.plasticitysearch.orchestrator.store.TrialStore;
import org.plasticitysearch.orchestrator.worker.TrainerLauncher;

/**
 * A reproducible study (parallelism 2, so trial n is proposed from the trials numbered <= n - 2) stores the same
 * params, states and values for every trial number whether it runs in one slot, in two, on three workers that
 * race for its trials, or is stopped half-way and resumed. The TPE (after 3 random trials) and the median pruner
 * both read the history, so a proposal or a prune decision that depended on timing would show here. The three
 * workers are separate {@code plasticity worker} processes.
 */
class ReproducibleStudyTest {
    static final String CONFIG = String.join("\n",
            "name: repro",
            "dataset: builtin",
            "per_class_limit: 30",
            "network: [784, 40, 30, 47]",
            "episodes: 6",
            "K: 8",
            "Q: 4",
            "eval_tasks: 3",
            "seed: 7",
            "report_every: 1",
            "search_space:",
            "  f0: {type: fixed, value: true}",
            "  f2: {type: bool}",
            "  f9: {type: bool}",
            "  meta_lr: {type: float, low: 1.0e-4, high: 1.0e-2, log: true}",
            "sampler: {type: tpe, n_startup_trials: 3}",
            "pruner: {type: median, n_startup_trials: 2, n_warmup_steps: 2}",
            "budget: 9",
            "parallelism: 2",
            "reproducible: true",
            "trial_timeout: 2m",
            "heap: 512m",
            "");
    static final Duration POLL = Duration.ofMillis(100);

    static TrainerLauncher launcher() {
        return TrainerLauncher.fromClassPath(System.getProperty("java.class.path"), "512m").warm();
    }

    static Workflow.Settings slots(int n, String worker) {
        return new Workflow.Settings(n, worker, POLL, Duration.ofSeconds(1), Duration.ofSeconds(30), 2);
    }

    static void await(BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(4).toNanos();
        while (!done.getAsBoolean()) {
            assertThat(System.nanoTime()).as("the study did not end within 4 minutes").isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    static boolean done(TrialStore store, String name) {
        return store.study(name).orElseThrow().status() == StudyStatus.DONE;
    }

    /** One process's routes: study runner and reaper, and workers with the given slots. */
    static Study run(TrialStore store, StudyConfig config, int slots) throws Exception {
        Study study = store.createOrLoadStudy(config.definition());
        try (Workflow w = Workflow.builder(store, slots(slots, "w-" + config.name())).studyRunner(study.id())
                .workers(launcher(), study.id()).reaper().build()) {
            w.start();
            await(() -> done(store, config.name()));
        }
        return study;
    }

    /** What must not depend on timing: per trial number, its params, state and value. */
    static Map<Integer, String> outcomes(TrialStore store, Study study) {
        Map<Integer, String> out = new HashMap<>();
        for (Trial t : store.trials(study.id(), null, -1, 100)) {
            out.put(t.number(), t.paramsJson() + " " + t.state() + " " + t.value());
        }
        return out;
    }

    /** Trial n was queued only after trial n - lag had finished. */
    static void assertLagHonoured(TrialStore store, Study study, int lag) throws Exception {
        Map<Integer, Instant[]> times = new HashMap<>();
        try (Connection c = store.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(
                "select number, queued_at, finished_at from trial where study_id = ?")) {
            ps.setLong(1, study.id());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    times.put(rs.getInt(1), new Instant[]{rs.getTimestamp(2).toInstant(),
                            rs.getTimestamp(3).toInstant()});
                }
            }
        }
        for (int n = lag; n < times.size(); n++) {
            assertThat(times.get(n)[0]).as("trial %d queued after trial %d finished", n, n - lag)
                    .isAfterOrEqualTo(times.get(n - lag)[1]);
        }
    }

    @Test
    void theSameStudyWhateverTheWorkersAndInterruptions() throws Exception {
        String url = TestDatabases.fresh("repro");
        try (Database db = Database.open(TestDatabases.config(url))) {
            TrialStore store = new TrialStore(db.dataSource());
            StudyConfig base = StudyConfig.parse(CONFIG);
            assertThat(base.reproducible()).isTrue();

            Study one = run(store, base.withName("repro-one-slot"), 1);
            Map<Integer, String> expected = outcomes(store, one);
            assertThat(expected).hasSize(9);
            assertThat(expected.values()).as("the pruner acted").anyMatch(o -> o.contains("PRUNED"));
            assertThat(expected.values()).anyMatch(o -> o.contains("COMPLETE"));
            assertLagHonoured(store, one, 2);

            Study two = run(store, base.withName("repro-two-slots"), 2);
            assertThat(outcomes(store, two)).isEqualTo(expected);
            assertLagHonoured(store, two, 2);

            // three worker processes (`plasticity worker`, real JVMs) racing for the trials, the study runner here
            StudyConfig three = base.withName("repro-three-workers");
            Study s3 = store.createOrLoadStudy(three.definition());
            try (Workflow runner = Workflow.builder(store, slots(0, "runner")).studyRunner(s3.id()).reaper().build();
                 CliProcess a = CliProcess.start("worker", "--db", url, "--slots", "1");
                 CliProcess b = CliProcess.start("worker", "--db", url, "--slots", "1");
                 CliProcess c = CliProcess.start("worker", "--db", url, "--slots", "1")) {
                runner.start();
                await(() -> done(store, three.name()));
            }
            assertThat(store.trials(s3.id(), null, -1, 100).stream().map(Trial::workerId).distinct().count())
                    .as("trials run by more than one worker process").isGreaterThan(1);
            assertThat(outcomes(store, s3)).isEqualTo(expected);
            assertLagHonoured(store, s3, 2);

            // stopped while trials run (they go back to the queue), then resumed by another process
            StudyConfig resumed = base.withName("repro-resumed");
            Study s4 = store.createOrLoadStudy(resumed.definition());
            int givenBack;
            try (Workflow first = Workflow.builder(store, slots(2, "first")).studyRunner(s4.id())
                    .workers(launcher(), s4.id()).reaper().build()) {
                first.start();
                await(() -> store.counts(s4.id()).finished() >= 4 && store.counts(s4.id()).running() > 0);
                givenBack = first.stop();
            }
            assertThat(givenBack).isPositive();
            assertThat(store.counts(s4.id()).finished()).isLessThan(9);
            run(store, resumed, 2);
            assertThat(outcomes(store, s4)).isEqualTo(expected);
        }
    }
}
