package org.plasticitysearch.orchestrator.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.plasticitysearch.orchestrator.config.StudyConfig;
import org.plasticitysearch.orchestrator.store.Database;
import org.plasticitysearch.orchestrator.store.StateCounts;
import org.plasticitysearch.orchestrator.store.Study;
import org.plasticitysearch.orchestrator.store.StudyStatus;
import org.plasticitysearch.orchestrator.store.TestDatabases;
import org.plasticitysearch.orchestrator.store.TrialStore;

/**
 * Chaos at scale: 16 worker processes of one slot each ({@code plasticity worker}, real JVMs with their trainer
 * JVMs) run a 300-trial study of tiny trials; every few seconds a random worker is killed with SIGKILL and a new
 * one started. The study ends with exactly 300 finished trials, none running, every number once, and each killed
 * worker's trial back in the queue within the heartbeat timeout. The same study without chaos gives the baseline
 * throughput (both printed; BENCHMARKS.md). Sizes: -Dchaos.workers, -Dchaos.trials, -Dchaos.killEvery (seconds).
 */
class ChaosTest {
    static final int WORKERS = Integer.getInteger("chaos.workers", 16);
    static final int TRIALS = Integer.getInteger("chaos.trials", 300);
    static final int KILL_EVERY = Integer.getInteger("chaos.killEvery", 3);
    static final Duration HEARTBEAT_TIMEOUT = Duration.ofSeconds(6);

    static String config(String name) {
        return String.join("\n",
                "name: " + name,
                "dataset: builtin",
                "per_class_limit: 10",
                "network: [784, 16, 47]",
                "episodes: 2",
                "K: 4",
                "Q: 2",
                "eval_tasks: 1",
                "seed: 9",
                "report_every: 1",
                "search_space:",
                "  f0: {type: fixed, value: true}",
                "  f2: {type: bool}",
                "  meta_lr: {type: float, low: 1.0e-4, high: 1.0e-2, log: true}",
                "sampler: {type: random}",
                "budget: " + TRIALS,
                "parallelism: " + WORKERS,
                "trial_timeout: 2m",
                "heap: 128m",
                "");
    }

    record Phase(double seconds, long transactions, int kills) {
    }

    @Test
    void killedWorkersLoseNoTrialAndNoMoreThanTheHeartbeatTimeout() throws Exception {
        String url = TestDatabases.fresh("chaos");
        try (Database db = Database.open(TestDatabases.config(url))) {
            TrialStore store = new TrialStore(db.dataSource());
            Phase calm = run(store, db, url, "calm", false, new HashMap<>());
            Map<String, Instant> killed = new HashMap<>();
            Phase chaos = run(store, db, url, "chaos", true, killed);

            for (String name : List.of("calm", "chaos")) {
                Study s = store.study(name).orElseThrow();
                assertThat(s.status()).isEqualTo(StudyStatus.DONE);
                StateCounts c = store.counts(s.id());
                assertThat(c.finished()).as(name).isEqualTo(TRIALS);
                assertThat(c.running() + c.queued()).as(name).isZero();
                assertThat(c.complete()).as("%s: trials failed (a trial killed twice uses its 2 attempts)", name)
                        .isGreaterThanOrEqualTo(TRIALS - chaos.kills());
                try (Connection conn = db.dataSource().getConnection(); Statement st = conn.createStatement();
                     ResultSet rs = st.executeQuery("SELECT count(DISTINCT number), count(*), min(number),"
                             + " max(number), (SELECT count(*) FROM trial_result r JOIN trial t ON t.id = r.trial_id"
                             + " WHERE t.study_id = " + s.id() + ") FROM trial WHERE study_id = " + s.id())) {
                    rs.next();
                    assertThat(List.of(rs.getInt(1), rs.getInt(2), rs.getInt(3), rs.getInt(4))).as(name)
                            .containsExactly(TRIALS, TRIALS, 0, TRIALS - 1);
                    assertThat(rs.getInt(5)).as("%s: one stored result per finished trial", name)
                            .isLessThanOrEqualTo(TRIALS);
                }
            }
            // every trial a killed worker held went back to the queue within the heartbeat timeout (+ one reaper
            // period and the database's clock resolution)
            List<Double> lost = requeueDelays(db, killed);
            assertThat(chaos.kills()).isPositive();
            assertThat(lost).as("trials re-queued after a kill").isNotEmpty()
                    .allMatch(d -> d <= HEARTBEAT_TIMEOUT.toSeconds() + 3.0);
            System.out.printf(Locale.ROOT, "chaos: %d workers x 1 slot, %d trials: calm %.1f s (%.2f trials/s, %.0f"
                            + " db transactions/s), chaos %.1f s (%.2f trials/s, %d kills, %d trials re-queued after"
                            + " %.1f s at most, median %.1f s)%n", WORKERS, TRIALS, calm.seconds(),
                    TRIALS / calm.seconds(), calm.transactions() / calm.seconds(), chaos.seconds(),
                    TRIALS / chaos.seconds(), chaos.kills(), lost.size(),
                    lost.stream().mapToDouble(Double::doubleValue).max().orElse(0),
                    lost.stream().sorted().toList().get(lost.size() / 2));
        }
    }

    /** One study to its end with WORKERS worker processes; with chaos, a random one killed every few seconds. */
    static Phase run(TrialStore store, Database db, String url, String name, boolean chaos,
                     Map<String, Instant> killed) throws Exception {
        Study study = store.createOrLoadStudy(StudyConfig.parse(config(name)).definition());
        List<CliProcess> workers = new ArrayList<>();
        Random random = new Random(42);
        int kills = 0;
        long xact0 = transactions(db);
        long t0 = System.nanoTime();
        try (Workflow runner = Workflow.builder(store, new Workflow.Settings(0, "runner-" + name,
                Duration.ofMillis(200), Duration.ofSeconds(2), HEARTBEAT_TIMEOUT, 2)).studyRunner(study.id())
                .reaper().build()) {
            runner.start();
            for (int i = 0; i < WORKERS; i++) {
                workers.add(worker(url, name));
            }
            long deadline = System.nanoTime() + Duration.ofMinutes(8).toNanos();
            long nextKill = System.nanoTime() + Duration.ofSeconds(KILL_EVERY).toNanos();
            while (store.study(name).orElseThrow().status() != StudyStatus.DONE) {
                assertThat(System.nanoTime()).as("%s did not finish within 8 minutes", name).isLessThan(deadline);
                if (chaos && System.nanoTime() > nextKill) {
                    int i = random.nextInt(workers.size());
                    CliProcess victim = workers.get(i);
                    killed.put(Workflow.localHost() + ":" + victim.pid(), Instant.now());
                    victim.killHard();
                    kills++;
                    workers.set(i, worker(url, name));
                    nextKill = System.nanoTime() + Duration.ofSeconds(KILL_EVERY).toNanos();
                }
                Thread.sleep(100);
            }
        } finally {
            for (CliProcess w : workers) {
                w.close();
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        return new Phase(seconds, transactions(db) - xact0, kills);
    }

    static CliProcess worker(String url, String study) throws Exception {
        return CliProcess.start("worker", "--db", url, "--slots", "1", "--study", study, "--heartbeat-timeout",
                Long.toString(HEARTBEAT_TIMEOUT.toSeconds()));
    }

    static long transactions(Database db) throws Exception {
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT xact_commit FROM pg_stat_database"
                     + " WHERE datname = current_database()")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Seconds from each kill to the re-queueing of the trial the killed worker held (its error names it). */
    static List<Double> requeueDelays(Database db, Map<String, Instant> killed) throws Exception {
        List<Double> out = new ArrayList<>();
        try (Connection c = db.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT error, queued_at FROM trial WHERE error IS NOT NULL AND attempt > 1")) {
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String error = rs.getString(1);
                    for (Map.Entry<String, Instant> k : killed.entrySet()) {
                        if (error.contains("worker " + k.getKey() + " ")) {
                            out.add(Duration.between(k.getValue(), rs.getTimestamp(2).toInstant()).toMillis()
                                    / 1000.0);
                        }
                    }
                }
            }
        }
        return out;
    }
}
