package org.plasticitysearch.orchestrator.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.plasticitysearch.orchestrator.store.Database;
import org.plasticitysearch.orchestrator.store.Schedule;
import org.plasticitysearch.orchestrator.store.ScheduleFire;
import org.plasticitysearch.orchestrator.store.Study;
import org.plasticitysearch.orchestrator.store.ScheduleStore;
import org.plasticitysearch.orchestrator.store.TestDatabases;
import org.plasticitysearch.orchestrator.store.TrialStore;
import org.plasticitysearch.orchestrator.workflow.CliProcess;

/**
 * A schedule added with the CLI, fired by two real `serve` processes on one database (Quartz clustered on its JDBC
 * job store): every planned fire runs once, and launches one study; after both are stopped and one is started
 * again, the schedule is still there and keeps firing.
 */
class ClusteredScheduleTest {
    static final String CONFIG = String.join("\n",
            "name: nightly",
            "dataset: builtin",
            "network: [784, 40, 30, 47]",
            "episodes: 2",
            "search_space:",
            "  f0: {type: fixed, value: true}",
            "budget: 1",
            "");

    @Test
    void aCronScheduleFiresOnceAcrossTwoServesAndSurvivesARestart() throws Exception {
        String url = TestDatabases.fresh("schedules");
        Path config = Files.createTempFile("nightly", ".yaml");
        Files.writeString(config, CONFIG);
        try (Database db = Database.open(TestDatabases.config(url))) {
            ScheduleStore schedules = new ScheduleStore(db.dataSource());
            TrialStore trials = new TrialStore(db.dataSource());
            try (CliProcess add = CliProcess.start("schedule", "add", "--cron", "0/2 * * * * ?", config.toString(),
                    "--db", url)) {
                assertThat(add.await()).as(add.output()).isZero();
            }
            long id = schedules.list().get(0).id();
            try (CliProcess a = serve(url); CliProcess b = serve(url)) {
                awaitFires(schedules, 6, Duration.ofSeconds(90));
                Thread.sleep(4000); // let both run a little longer side by side
                a.stop();
                b.stop();
            }
            List<ScheduleFire> fires = schedules.fires();
            assertOncePerPlannedTime(fires);
            // each fire launched its own study, named after the planned time
            List<String> launched = trials.studies().stream().map(Study::name).sorted().toList();
            assertThat(launched).containsExactlyElementsOf(fires.stream().map(ScheduleFire::study).sorted()
                    .toList());
            assertThat(launched).allMatch(n -> n.matches("nightly-\\d{8}-\\d{6}"));

            // restart: the schedule is still stored, and a single serve goes on firing it
            assertThat(schedules.list()).extracting(Schedule::id).containsExactly(id);
            Instant restarted = Instant.now();
            int before = fires.size();
            try (CliProcess c = serve(url)) {
                awaitFires(schedules, before + 3, Duration.ofSeconds(90));
                c.stop();
            }
            List<ScheduleFire> after = schedules.fires();
            assertOncePerPlannedTime(after);
            assertThat(after.stream().filter(f -> f.firedAt().isAfter(restarted)).count()).isGreaterThanOrEqualTo(3);
        }
    }

    static CliProcess serve(String url) throws java.io.IOException {
        return CliProcess.start("serve", "--db", url, "--slots", "0", "--port", "0");
    }

    static void awaitFires(ScheduleStore schedules, int n, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (schedules.fires().size() < n) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("only " + schedules.fires().size() + " fires after " + timeout);
            }
            Thread.sleep(200);
        }
    }

    static void assertOncePerPlannedTime(List<ScheduleFire> fires) {
        var perTime = fires.stream().collect(Collectors.groupingBy(ScheduleFire::scheduledAt,
                Collectors.counting()));
        assertThat(perTime.values()).as("fires per planned time: %s", fires).allMatch(c -> c == 1);
    }
}
