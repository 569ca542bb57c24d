package org.plasticitysearch.orchestrator.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.plasticitysearch.orchestrator.workflow.FaultToleranceTest.assertNothingLost;
import static org.plasticitysearch.orchestrator.workflow.FaultToleranceTest.await;
import static org.plasticitysearch.orchestrator.workflow.FaultToleranceTest.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.plasticitysearch.orchestrator.store.Database;
import org.plasticitysearch.orchestrator.store.DatabaseConfig;
import org.plasticitysearch.orchestrator.store.EmbeddedServer;
import org.plasticitysearch.orchestrator.store.TrialStore;

/**
 * Faults around the embedded database, with real processes: two `study run` on a fresh home at the same instant,
 * kill -9 of the process that started the server while a worker uses it, SIGTERM of a worker whose database is
 * gone; and the database's secrets in nothing any of them printed or logged.
 */
class EmbeddedFaultTest {
    @TempDir
    Path home;

    final List<CliProcess> started = new ArrayList<>();

    CliProcess start(String... args) throws Exception {
        CliProcess p = CliProcess.startIn(home, args);
        started.add(p);
        return p;
    }

    @AfterEach
    void secretsNeverShownAndServerStopped() throws Exception {
        EmbeddedServer server = new EmbeddedServer(home);
        try {
            List<String> secrets = new ArrayList<>();
            for (String f : List.of("db-secret", "db-admin-secret")) {
                if (Files.isRegularFile(home.resolve(f))) {
                    secrets.add(Files.readString(home.resolve(f)).strip());
                }
            }
            for (CliProcess p : started) {
                p.close();
                for (String s : secrets) {
                    assertThat(p.output()).as("output").doesNotContain(s);
                    assertThat(p.logFiles()).as("log files").doesNotContain(s);
                }
            }
        } finally {
            server.stop();
        }
    }

    private TrialStore store(Database db) {
        return new TrialStore(db.dataSource());
    }

    @Test
    void twoStudyRunsStartingAtTheSameInstantOnAFreshHomeBothFinish() throws Exception {
        Path a = Files.writeString(home.resolve("a.yaml"), config("same-a", 2, 1));
        Path b = Files.writeString(home.resolve("b.yaml"), config("same-b", 2, 1));
        CliProcess first = start("study", "run", a.toString());
        CliProcess second = start("study", "run", b.toString());
        assertThat(first.await()).as(first.output()).isZero();
        assertThat(second.await()).as(second.output()).isZero();
        try (Database db = Database.open(new DatabaseConfig(null, null, null, home, 2))) {
            for (String name : List.of("same-a", "same-b")) {
                assertNothingLost(store(db), store(db).study(name).orElseThrow());
            }
        }
    }

    @Test
    void killingTheProcessThatStartedTheServerLeavesItToTheWorkerAndARerunFinishes() throws Exception {
        Path c = Files.writeString(home.resolve("c.yaml"), config("owner", 4, 1)
                .replace("episodes: 300", "episodes: 1500"));
        CliProcess owner = start("study", "run", c.toString());
        await("the server and the first trial", Duration.ofSeconds(60), () -> {
            try {
                return owner.output().contains("running 1");
            } catch (java.io.IOException e) {
                return false;
            }
        });
        CliProcess worker = start("worker", "--slots", "1");
        owner.killHard(); // kill -9 of the process that started the embedded server
        assertThat(new EmbeddedServer(home).port()).as("the server belongs to no command").isPresent();
        try (Database db = Database.open(new DatabaseConfig(null, null, null, home, 2))) {
            long id = store(db).study("owner").orElseThrow().id();
            await("the worker to finish a trial after the kill", Duration.ofSeconds(90),
                    () -> store(db).counts(id).finished() >= 1);
        }
        worker.stop();
        CliProcess rerun = start("study", "run", c.toString());
        assertThat(rerun.await()).as(rerun.output()).isZero();
        try (Database db = Database.open(new DatabaseConfig(null, null, null, home, 2))) {
            assertNothingLost(store(db), store(db).study("owner").orElseThrow(), 150);
        }
    }

    @Test
    void aWorkerWhoseDatabaseIsGoneStopsWithinFiveSecondsOfSigterm() throws Exception {
        Path c = Files.writeString(home.resolve("d.yaml"), config("gone", 2, 1).replace("episodes: 300",
                "episodes: 100000"));
        CliProcess worker = start("worker", "--slots", "1");
        try (Database db = Database.open(new DatabaseConfig(null, null, null, home, 2))) {
            store(db).createOrLoadStudy(org.plasticitysearch.orchestrator.config.StudyConfig.parse(
                    Files.readString(c)).definition());
        }
        CliProcess filler = start("study", "run", c.toString(), "--parallel", "1");
        await("a trial to run", Duration.ofSeconds(60), () -> {
            try {
                return filler.output().contains("running 1") || filler.output().contains("running 2");
            } catch (java.io.IOException e) {
                return false;
            }
        });
        assertThat(new EmbeddedServer(home).stop()).isTrue();
        filler.killHard();
        long t0 = System.nanoTime();
        worker.stop();
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf(java.util.Locale.ROOT, "a worker whose database is gone stopped %.1f s after SIGTERM%n", seconds);
        assertThat(seconds).as("%.1f s: %s", seconds, worker.output()).isLessThan(5);
        assertThat(worker.output()).doesNotContain("\tat ").doesNotContain("Exception in thread");
    }
}
