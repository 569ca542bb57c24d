package org.plasticitysearch.orchestrator.worker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Real trainer child processes: success, bad spec, SIGTERM (prune), SIGKILL and timeout. */
class TrainerLauncherTest {
    static final String SPEC = "{\"dataset\":\"builtin\",\"per_class_limit\":30,\"dims\":[784,40,30,47],"
            + "\"terms\":[0,2,9],\"episodes\":EPISODES,\"K\":8,\"Q\":4,\"report_every\":1,\"eval_tasks\":3,\"seed\":5}";

    static TrainerLauncher launcher() {
        return TrainerLauncher.fromClassPath(System.getProperty("java.class.path"), "512m");
    }

    static String spec(int episodes) {
        return SPEC.replace("EPISODES", Integer.toString(episodes));
    }

    @Test
    void aTrialRunsToItsResultAndStreamsItsEpisodes() throws Exception {
        List<JsonNode> events = new CopyOnWriteArrayList<>();
        TrainerLauncher.Exit exit = launcher().start(spec(4), events::add).await(Duration.ofMinutes(2));
        assertThat(exit.succeeded()).as(exit.reason()).isTrue();
        assertThat(events).extracting(e -> e.get("type").asText())
                .containsExactly("started", "episode", "episode", "episode", "episode", "evaluation", "result");
        assertThat(exit.result().get("theta")).hasSize(10);
        assertThat(exit.result().get("partial").asBoolean()).isFalse();
    }

    @Test
    void aBadSpecFailsWithTheTrainersOwnMessage() throws Exception {
        TrainerLauncher.Exit exit = launcher().start(spec(4).replace("[0,2,9]", "[0,2,11]"), e -> { })
                .await(Duration.ofMinutes(1));
        assertThat(exit.exitCode()).isEqualTo(2);
        assertThat(exit.succeeded()).isFalse();
        assertThat(exit.reason()).startsWith("spec: terms: index 11");
    }

    @Test
    void sigtermPrunesWithAPartialResultAndSigkillFailsWithTheSignal() throws Exception {
        List<JsonNode> events = new CopyOnWriteArrayList<>();
        TrainerLauncher.Running[] holder = new TrainerLauncher.Running[1];
        holder[0] = launcher().start(spec(100000), e -> {
            events.add(e);
            if (e.path("episode").asInt() == 2) {
                holder[0].terminate();
            }
        });
        TrainerLauncher.Exit pruned = holder[0].await(Duration.ofMinutes(2));
        assertThat(pruned.exitCode()).isZero();
        assertThat(pruned.result().get("partial").asBoolean()).isTrue();
        // the trainer stops at the next episode boundary; how many episodes fit before the signal lands is timing,
        // but the partial result must count exactly the episodes it streamed, and stop far before the budget
        int completed = pruned.result().get("episodes_completed").asInt();
        assertThat(completed).isBetween(2, 1000);
        assertThat(events.stream().filter(e -> e.path("type").asText().equals("episode")).count())
                .isEqualTo(completed);

        TrainerLauncher.Running killed = launcher().start(spec(100000), e -> { });
        Thread.sleep(1500);
        killed.kill();
        TrainerLauncher.Exit exit = killed.await(Duration.ofMinutes(1));
        assertThat(exit.exitCode()).isEqualTo(137);
        assertThat(exit.succeeded()).isFalse();
        assertThat(exit.reason()).contains("status 137").contains("signal 9");
    }

    @Test
    void aTrialPastItsTimeoutIsStoppedAndSaysSo() throws Exception {
        TrainerLauncher.Exit exit = launcher().start(spec(100000), e -> { }).await(Duration.ofSeconds(3));
        assertThat(exit.timedOut()).isTrue();
        assertThat(exit.succeeded()).isFalse();
        assertThat(exit.reason()).startsWith("trial timeout");
    }

    @Test
    void aWarmProcessRunsTrialsOneAfterAnotherWithTheNumbersOfAFreshJvm() throws Exception {
        TrainerLauncher warm = launcher().warm();
        try {
            TrainerLauncher.Running first = warm.start(spec(3), e -> { });
            TrainerLauncher.Exit a = first.await(Duration.ofMinutes(2));
            TrainerLauncher.Running second = warm.start(spec(3), e -> { });
            TrainerLauncher.Exit b = second.await(Duration.ofMinutes(2));
            assertThat(a.succeeded()).as(a.reason()).isTrue();
            assertThat(b.succeeded()).as(b.reason()).isTrue();
            assertThat(second.pid()).as("the same JVM ran both").isEqualTo(first.pid());
            TrainerLauncher.Exit cold = launcher().start(spec(3), e -> { }).await(Duration.ofMinutes(2));
            // bitwise: the warm JVM shares nothing between trials that changes a number
            assertThat(b.result().get("theta")).isEqualTo(cold.result().get("theta"));
            assertThat(a.result().get("theta")).isEqualTo(cold.result().get("theta"));
            assertThat(b.result().get("test_accuracy")).isEqualTo(cold.result().get("test_accuracy"));

            // SIGTERM ends the current trial only, with a partial result; the process takes the next one
            List<JsonNode> events = new CopyOnWriteArrayList<>();
            TrainerLauncher.Running[] pruned = new TrainerLauncher.Running[1];
            pruned[0] = warm.start(spec(400), ev -> {
                events.add(ev);
                if (ev.get("type").asText().equals("episode") && ev.get("episode").asInt() == 2) {
                    pruned[0].terminate();
                }
            });
            TrainerLauncher.Exit p = pruned[0].await(Duration.ofMinutes(2));
            assertThat(p.succeeded()).as(p.reason()).isTrue();
            assertThat(p.result().get("partial").asBoolean()).isTrue();
            assertThat(p.result().get("episodes_completed").asInt()).isLessThan(400);
            TrainerLauncher.Running after = warm.start(spec(2), e -> { });
            assertThat(after.await(Duration.ofMinutes(2)).result().get("partial").asBoolean()).isFalse();
            assertThat(after.pid()).isEqualTo(first.pid());

            // SIGKILL mid-trial: a retryable failure with the signal; the next trial gets a new process
            TrainerLauncher.Running[] killed = new TrainerLauncher.Running[1];
            killed[0] = warm.start(spec(400), ev -> {
                if (ev.get("type").asText().equals("episode")) {
                    killed[0].kill();
                }
            });
            TrainerLauncher.Exit k = killed[0].await(Duration.ofMinutes(2));
            assertThat(k.exitCode()).isEqualTo(137);
            assertThat(k.retryable()).isTrue();
            assertThat(k.reason()).contains("signal 9");
            TrainerLauncher.Running fresh = warm.start(spec(2), e -> { });
            assertThat(fresh.await(Duration.ofMinutes(2)).succeeded()).isTrue();
            assertThat(fresh.pid()).isNotEqualTo(first.pid());
        } finally {
            warm.closeIdle();
        }
    }
}
