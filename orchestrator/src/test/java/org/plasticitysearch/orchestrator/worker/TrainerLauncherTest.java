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
        assertThat(pruned.result().get("episodes_completed").asInt()).isBetween(2, 3);

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
}
