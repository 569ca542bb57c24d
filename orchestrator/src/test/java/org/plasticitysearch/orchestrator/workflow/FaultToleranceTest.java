package org.plasticitysearch.orchestrator.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import org.plasticitysearch.orchestrator.store.StudyStatus;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.plasticitysearch.orchestrator.config.StudyConfig;
import org.plasticitysearch.orchestrator.store.Database;
import org.plasticitysearch.orchestrator.store.Study;
import org.plasticitysearch.orchestrator.store.Trial;
import org.plasticitysearch.orchestrator.store.TestDatabases;
import org.plasticitysearch.search.TrialState;
import org.plasticitysearch.orchestrator.store.TrialStore;
import org.plasticitysearch.orchestrator.worker.TrainerLauncher;

/**
 * kill -9 of a trainer process and of a whole worker JVM, mid-trial, against real PostgreSQL and real processes:
 * the trial is retried or failed with the reason, or re-queued after the heartbeat timeout and finished by another
 * worker; the study reaches its budget; nothing finished is lost and no trial stays RUNNING.
 */
class FaultToleranceTest {
    /** About 6 s per trial on one core: long enough to be killed in the middle. */
    static String config(String name, int budget, int retries) {
        return String.join("\n",
                "name: " + name,
                "dataset: builtin",
                "per_class_limit: 30",
                "network: [784, 40, 30, 47]",
                "episodes: 300",
                "K: 8",
                "Q: 4",
                "eval_tasks: 2",
                "seed: 5",
                "report_every: 10",
                "search_space:",
                "  f0: {type: fixed, value: true}",
                "  f2: {type: fixed, value: true}",
                "  meta_lr: {type: fixed, value: 0.001}",
                "sampler: {type: random}",
                "budget: " + budget,
                "parallelism: 1",
                "trial_timeout: 3m",
                "retries: " + retries,
                "heap: 256m",
                "");
    }

    static Workflow.Settings settings(int slots, String worker, int heartbeatTimeoutSeconds) {
        return new Workflow.Settings(slots, worker, Duration.ofMillis(200), Duration.ofSeconds(1),
                Duration.ofSeconds(heartbeatTimeoutSeconds), 3);
    }

    static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what);
            }
            Thread.sleep(100);
        }
    }

    static Optional<ProcessHandle> trainerOf(ProcessHandle parent) {
        // the only JVMs below a worker are its trainers (the embedded database's processes are postgres)
        return parent.descendants().filter(p -> p.info().command().orElse("").endsWith("java")).findFirst();
    }

    static void assertNothingLost(TrialStore store, Study study) {
        assertNothingLost(store, study, 30);
    }

    /** The exact budget finished, none running, every COMPLETE trial with all its reports and its rule. */
    static void assertNothingLost(TrialStore store, Study study, int reports) {
        List<Trial> trials = store.trials(study.id(), null, -1, 100);
        assertThat(trials).hasSize(study.budget()).allMatch(t -> t.state().finished());
        assertThat(store.counts(study.id()).running()).isZero();
        for (Trial t : trials) {
            if (t.state() == TrialState.COMPLETE) {
                assertThat(store.metrics(t.id())).as("trial %d metrics", t.number()).hasSize(reports);
                assertThat(store.leaderboard(study.id(), true, 100)).anyMatch(r -> r.trial() == t.number());
            }
        }
    }

    @Test
    void aKilledTrainerIsRetriedWithTheReasonThenFailsAtTheLimit() throws Exception {
        try (Database db = Database.open(TestDatabases.config(TestDatabases.fresh("killtrainer")))) {
            TrialStore store = new TrialStore(db.dataSource());
            // retries: 1 → the killed trial runs again and completes, its reason kept
            Study retried = store.createOrLoadStudy(StudyConfig.parse(config("retried", 2, 1)).definition());
            // retries: 0 → the killed trial ends FAILED with the reason, the study still reaches its budget
            Study failed = store.createOrLoadStudy(StudyConfig.parse(config("failed", 2, 0)).definition());
            store.setStudyStatus(failed.id(), StudyStatus.STOPPED);
            TrainerLauncher launcher = TrainerLauncher.fromClassPath(System.getProperty("java.class.path"), "256m")
                    .warm();
            for (Study study : List.of(retried, failed)) {
                store.setStudyStatus(study.id(), StudyStatus.RUNNING);
                try (Workflow w = Workflow.builder(store, settings(1, "w-" + study.name(), 30))
                        .studyRunner(study.id()).workers(launcher, study.id()).reaper().build()) {
                    w.start();
                    await("trial 0 to report", Duration.ofSeconds(60), () -> store.trial(study.id(), 0)
                            .map(t -> t.state() == TrialState.RUNNING && !store.metrics(t.id()).isEmpty()).orElse(false));
                    ProcessHandle trainer = trainerOf(ProcessHandle.current()).orElseThrow();
                    trainer.destroyForcibly();
                    await(study.name() + " to reach its budget", Duration.ofMinutes(2),
                            () -> store.study(study.name()).orElseThrow().status() == StudyStatus.DONE);
                }
                store.setStudyStatus(study.id(), StudyStatus.DONE);
            }
            Trial again = store.trial(retried.id(), 0).orElseThrow();
            assertThat(again.state()).isEqualTo(TrialState.COMPLETE);
            assertThat(again.attempt()).isEqualTo(2);
            assertThat(again.error()).contains("signal 9").contains("attempt 1 of 2");
            assertNothingLost(store, retried);

            Trial dead = store.trial(failed.id(), 0).orElseThrow();
            assertThat(dead.state()).isEqualTo(TrialState.FAILED);
            assertThat(dead.error()).contains("trainer exited with status 137").contains("signal 9");
            assertThat(store.trial(failed.id(), 1).orElseThrow().state()).isEqualTo(TrialState.COMPLETE);
            assertNothingLost(store, failed);
        }
    }

    @Test
    void aKilledWorkerJvmsTrialIsRequeuedAfterTheHeartbeatTimeoutAndFinishedByAnother() throws Exception {
        String url = TestDatabases.fresh("killworker");
        try (Database db = Database.open(TestDatabases.config(url))) {
            TrialStore store = new TrialStore(db.dataSource());
            Study study = store.createOrLoadStudy(StudyConfig.parse(config("workers", 2, 1)).definition());
            // this JVM fills the queue and reaps; the trials run in separate worker JVMs
            try (Workflow here = Workflow.builder(store, settings(0, "runner", 4)).studyRunner(null).reaper().build();
                 CliProcess a = CliProcess.start("worker", "--db", url, "--slots", "1", "--heartbeat-timeout", "4")) {
                here.start();
                await("worker A to report a trial", Duration.ofSeconds(60), () -> store.trial(study.id(), 0)
                        .map(t -> t.state() == TrialState.RUNNING && String.valueOf(t.workerId()).endsWith(":" + a.pid())
                                && !store.metrics(t.id()).isEmpty()).orElse(false));
                ProcessHandle orphan = trainerOf(a.handle()).orElseThrow();
                a.killHard();
                // the trainer notices its worker is gone and exits instead of training for nobody
                await("A's trainer to exit", Duration.ofSeconds(15), () -> !orphan.isAlive());
                assertThat(store.trial(study.id(), 0).orElseThrow().state()).isEqualTo(TrialState.RUNNING);
                try (CliProcess b = CliProcess.start("worker", "--db", url, "--slots", "1", "--heartbeat-timeout",
                        "4")) {
                    await("the study to reach its budget", Duration.ofMinutes(3),
                            () -> store.study("workers").orElseThrow().status() == StudyStatus.DONE);
                    Trial t = store.trial(study.id(), 0).orElseThrow();
                    assertThat(t.state()).isEqualTo(TrialState.COMPLETE);
                    assertThat(t.attempt()).isEqualTo(2);
                    // the reaper on this host sees that A's process is gone; elsewhere the heartbeat timeout says it
                    assertThat(t.error()).containsAnyOf("heartbeat lost", "died (its process is gone)")
                            .contains(":" + a.pid());
                    assertThat(store.trials(study.id(), null, -1, 10)).allMatch(x -> x.workerId() == null
                            || x.workerId().endsWith(":" + b.pid()));
                    assertNothingLost(store, store.study("workers").orElseThrow());
                    // SIGTERM: an orderly stop, exit status 128 + 15 as for any JVM ended by that signal
                    assertThat(b.stop()).isEqualTo(143);
                    assertThat(b.output()).doesNotContain("Exception");
                }
            }
        }
    }

    @Test
    void aWorkerStoppedWithSigtermGivesItsTrialBackWithoutUsingAnAttempt() throws Exception {
        String url = TestDatabases.fresh("stopworker");
        try (Database db = Database.open(TestDatabases.config(url))) {
            TrialStore store = new TrialStore(db.dataSource());
            Study study = store.createOrLoadStudy(StudyConfig.parse(config("stopped", 1, 0)).definition());
            try (Workflow here = Workflow.builder(store, settings(0, "runner", 30)).studyRunner(null).build();
                 CliProcess c = CliProcess.start("worker", "--db", url, "--slots", "1")) {
                here.start();
                await("the worker to report a trial", Duration.ofSeconds(60), () -> store.trial(study.id(), 0)
                        .map(t -> t.state() == TrialState.RUNNING && !store.metrics(t.id()).isEmpty()).orElse(false));
                ProcessHandle trainer = trainerOf(c.handle()).orElseThrow();
                assertThat(c.stop()).isEqualTo(143);
                assertThat(trainer.isAlive()).isFalse();
                Trial back = store.trial(study.id(), 0).orElseThrow();
                assertThat(back.state()).isEqualTo(TrialState.QUEUED);
                assertThat(back.attempt()).as("the attempt is not counted").isZero();
                assertThat(back.error()).contains("stopped during the trial");
                assertThat(c.output()).doesNotContain("Exception");
            }
        }
    }

    @Test
    void studyRunStoppedWithSigtermOnTheEmbeddedDatabaseGivesItsTrialBackAndLeavesTheServerToOthers(
            @org.junit.jupiter.api.io.TempDir java.nio.file.Path home) throws Exception {
        java.nio.file.Path config = home.resolve("long.yaml");
        java.nio.file.Files.writeString(config, config("long", 2, 1).replace("episodes: 300", "episodes: 100000"));
        try (CliProcess run = CliProcess.startIn(home, "study", "run", config.toString())) {
            await("the trial to start", Duration.ofSeconds(60), () -> {
                try {
                    return run.output().contains("running 1");
                } catch (java.io.IOException e) {
                    return false;
                }
            });
            assertThat(run.stop()).isEqualTo(143);
            assertThat(run.output()).doesNotContain("Exception");
        }
        // the trial is back in the queue; the embedded server belongs to no command: it still runs for the others
        var server = new org.plasticitysearch.orchestrator.store.EmbeddedServer(home);
        try {
            assertThat(server.port()).as("the server outlives the command that started it").isPresent();
            try (Database db = Database.open(new org.plasticitysearch.orchestrator.store.DatabaseConfig(null, null,
                    null, home, 4))) {
                TrialStore store = new TrialStore(db.dataSource());
                Study study = store.study("long").orElseThrow();
                Trial t = store.trial(study.id(), 0).orElseThrow();
                assertThat(t.state()).isEqualTo(TrialState.QUEUED);
                assertThat(t.attempt()).isZero();
                assertThat(t.error()).contains("stopped during the trial");
            }
        } finally {
            assertThat(server.stop()).isTrue();
        }
        // stopped cleanly: postgres removed its pid file
        assertThat(home.resolve("pgdata").resolve("postmaster.pid")).doesNotExist();
    }

    @Test
    void killingThePostmasterMidStudyEndsStudyRunInOneLineAndARerunFinishesTheExactBudget(
            @org.junit.jupiter.api.io.TempDir java.nio.file.Path home) throws Exception {
        java.nio.file.Path config = java.nio.file.Files.writeString(home.resolve("k9.yaml"), config("k9", 3, 1)
                .replace("parallelism: 1", "parallelism: 2"));
        var server = new org.plasticitysearch.orchestrator.store.EmbeddedServer(home);
        try {
            try (CliProcess run = CliProcess.startIn(home, "study", "run", config.toString())) {
                await("two trials running", Duration.ofSeconds(60), () -> {
                    try {
                        return run.output().contains("running 2");
                    } catch (java.io.IOException e) {
                        return false;
                    }
                });
                long postmaster = Long.parseLong(java.nio.file.Files.readAllLines(home.resolve("pgdata")
                        .resolve("postmaster.pid")).get(0).trim());
                long t0 = System.nanoTime();
                ProcessHandle.of(postmaster).orElseThrow().destroyForcibly(); // kill -9
                int exit = run.await();
                assertThat((System.nanoTime() - t0) / 1e9).as("says so within seconds").isLessThan(30);
                assertThat(exit).as(run.output()).isEqualTo(1);
                assertThat(run.output()).contains("plasticity: lost the database during study k9")
                        .doesNotContain("Exception in thread").doesNotContain("\tat ");
            }
            // the rerun starts the server again (a stale postmaster.pid), re-queues the dead process's trials
            try (CliProcess again = CliProcess.startIn(home, "study", "run", config.toString())) {
                assertThat(again.await()).as(again.output()).isZero();
                assertThat(again.output()).contains("done 3/3");
            }
            try (Database db = Database.open(new org.plasticitysearch.orchestrator.store.DatabaseConfig(null, null,
                    null, home, 2))) {
                TrialStore store = new TrialStore(db.dataSource());
                Study study = store.study("k9").orElseThrow();
                assertNothingLost(store, study);
                assertThat(store.trials(study.id(), null, -1, 100)).filteredOn(t -> t.attempt() == 2)
                        .allMatch(t -> t.state().finished());
            }
        } finally {
            server.stop();
        }
    }
}
