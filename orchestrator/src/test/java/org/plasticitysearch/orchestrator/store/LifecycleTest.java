package org.plasticitysearch.orchestrator.store;

import org.plasticitysearch.search.Direction;
import org.plasticitysearch.search.TrialState;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every transition guard of the trial lifecycle, and what a finished trial leaves behind. */
class LifecycleTest {
    static Database db;
    static TrialStore store;

    @BeforeAll
    static void open() {
        db = Database.open(TestDatabases.config(TestDatabases.fresh("lifecycle")));
        store = new TrialStore(db.dataSource());
    }

    @AfterAll
    static void close() {
        db.close();
    }

    static Study study(String name) {
        return store.createOrLoadStudy(new StudyDefinition(name, "name: " + name, "{\"name\":\"" + name + "\"}",
                "test_accuracy", Direction.MAXIMIZE, 10, 2));
    }

    static double[] theta(double t0) {
        double[] t = new double[10];
        t[0] = t0;
        return t;
    }

    static TrialOutcome complete(double acc, double[] thetaFinal) {
        return TrialOutcome.scored(TrialState.COMPLETE, acc)
                .withRule(thetaFinal, null)
                .withTest(acc, acc - 0.05, acc + 0.05, 0.98, 20)
                .withRun(300, false, 12.5);
    }

    @Test
    void createOrLoadReturnsTheSameStudy() {
        Study a = study("same");
        Study b = store.createOrLoadStudy(new StudyDefinition("same", "other", "{}", "x", Direction.MINIMIZE, 99, 9));
        assertThat(b.id()).isEqualTo(a.id());
        assertThat(b.budget()).isEqualTo(10);
    }

    @Test
    void finishingRequiresOwnershipAndHappensOnce() {
        Study s = study("guards");
        Trial t = store.enqueue(s.id(), "{\"terms\":[0]}", 7, new int[]{0}, theta(1e-3));
        assertThat(t.state()).isEqualTo(TrialState.QUEUED);
        assertThat(t.number()).isZero();
        // not claimed yet: nobody may finish it
        assertThatThrownBy(() -> store.finish(t.id(), "w1", complete(0.5, theta(0.01))))
                .isInstanceOf(TransitionRejectedException.class).hasMessageContaining("QUEUED");
        Trial claimed = store.claim(s.id(), "w1").orElseThrow();
        assertThat(claimed.id()).isEqualTo(t.id());
        assertThat(claimed.attempt()).isEqualTo(1);
        assertThat(claimed.workerId()).isEqualTo("w1");
        // another worker may neither finish nor heartbeat it
        assertThatThrownBy(() -> store.finish(t.id(), "w2", complete(0.5, theta(0.01))))
                .isInstanceOf(TransitionRejectedException.class).hasMessageContaining("w1").hasMessageContaining("w2");
        assertThatThrownBy(() -> store.heartbeat(t.id(), "w2")).isInstanceOf(TransitionRejectedException.class);
        store.heartbeat(t.id(), "w1");
        store.finish(t.id(), "w1", complete(0.61, theta(0.0123)));
        // twice: rejected, and the first result stays
        assertThatThrownBy(() -> store.finish(t.id(), "w1", complete(0.99, theta(0.5))))
                .isInstanceOf(TransitionRejectedException.class).hasMessageContaining("COMPLETE");
        assertThat(store.leaderboard(s.id(), true, 10)).singleElement().satisfies(r -> {
            assertThat(r.testAccuracy()).isEqualTo(0.61);
            assertThat(r.theta()[0]).isEqualTo(0.0123);
            assertThat(r.activeTerms()).containsExactly(0);
        });
        // a COMPLETE trial cannot be claimed again
        assertThat(store.claim(s.id(), "w3")).isEmpty();
        assertThatThrownBy(() -> store.finish(t.id(), "w1", TrialOutcome.scored(TrialState.RUNNING, null)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void claimingFromAnyStudySkipsStoppedStudies() {
        Study stopped = study("any-stopped");
        Study running = study("any-running");
        Trial a = store.enqueue(stopped.id(), "{}", 1, new int[]{0}, theta(1e-3));
        store.setStudyStatus(stopped.id(), StudyStatus.STOPPED);
        Trial b = store.enqueue(running.id(), "{}", 2, new int[]{0}, theta(1e-3));
        // other tests' studies may hold QUEUED trials too: drain until ours shows up, and never see the stopped one
        boolean sawB = false;
        for (Trial t = store.claim(null, "any").orElse(null); t != null; t = store.claim(null, "any").orElse(null)) {
            assertThat(t.id()).isNotEqualTo(a.id());
            sawB |= t.id() == b.id();
        }
        assertThat(sawB).isTrue();
        assertThat(store.trial(stopped.id(), 0).orElseThrow().state()).isEqualTo(TrialState.QUEUED);
    }

    @Test
    void metricsAreStoredInBatchesAndReRunEpisodesReplaceOldRows() {
        Study s = study("metrics");
        Trial t = store.enqueue(s.id(), "{}", 1, new int[]{0, 2, 9}, theta(1e-3));
        store.claim(s.id(), "w").orElseThrow();
        store.recordMetrics(t.id(), "w", List.of(
                new EpisodeMetric(10, 1.5, 0.4, theta(0.002), new double[]{80, 85}, new double[]{1, 2, 3}),
                new EpisodeMetric(20, 1.2, 0.5, theta(0.003), null, null)));
        store.recordMetrics(t.id(), "w", List.of(new EpisodeMetric(20, 1.1, 0.55, theta(0.004), null, null)));
        List<EpisodeMetric> m = store.metrics(t.id());
        assertThat(m).extracting(EpisodeMetric::episode).containsExactly(10, 20);
        assertThat(m.get(0).alignmentDeg()).containsExactly(80, 85);
        assertThat(m.get(1).accuracy()).isEqualTo(0.55);
        assertThatThrownBy(() -> store.recordMetrics(t.id(), "intruder", List.of(m.get(0))))
                .isInstanceOf(TransitionRejectedException.class);
    }

    @Test
    void leaderboardRanksByValueAndCountsFollowStates() {
        Study s = study("ranking");
        double[] acc = {0.3, 0.7, 0.5};
        for (int i = 0; i < 3; i++) {
            store.enqueue(s.id(), "{}", i, new int[]{0, i + 1}, theta(1e-3));
        }
        store.enqueue(s.id(), "{}", 9, new int[]{0}, theta(1e-3));
        for (int i = 0; i < 3; i++) {
            Trial t = store.claim(s.id(), "w").orElseThrow();
            store.finish(t.id(), "w", complete(acc[t.number()], theta(0.01 * (t.number() + 1))));
        }
        assertThat(store.leaderboard(s.id(), true, 10)).extracting(RuleRow::trial).containsExactly(1, 2, 0);
        // a PRUNED trial with a high last report still ranks behind every COMPLETE one
        Trial p = store.claim(s.id(), "w").orElseThrow();
        store.finish(p.id(), "w", TrialOutcome.scored(TrialState.PRUNED, 0.99)
                .withRule(theta(0.01), null)
                .withRun(5, true, 1.0));
        assertThat(store.leaderboard(s.id(), true, 10)).extracting(RuleRow::trial).containsExactly(1, 2, 0, 3);
        assertThat(store.leaderboard(s.id(), false, 10)).extracting(RuleRow::trial).containsExactly(0, 2, 1, 3);
        StateCounts c = store.counts(s.id());
        assertThat(c.complete()).isEqualTo(3);
        assertThat(c.pruned()).isEqualTo(1);
        assertThat(c.finished()).isEqualTo(4);
        assertThat(store.trials(s.id(), null, -1, 2)).extracting(Trial::number).containsExactly(0, 1);
        assertThat(store.trials(s.id(), null, 1, 10)).extracting(Trial::number).containsExactly(2, 3);
        assertThat(store.trials(s.id(), TrialState.PRUNED, -1, 10)).extracting(Trial::number).containsExactly(3);
    }

    @Test
    void reaperRequeuesASilentWorkersTrialThenFailsItPastTheAttemptLimit() throws Exception {
        Study s = study("reaper");
        Trial t = store.enqueue(s.id(), "{}", 3, new int[]{0}, theta(1e-3));
        Duration timeout = Duration.ofMillis(800);

        store.claim(s.id(), "dead-1").orElseThrow();
        Thread.sleep(1200); // dead-1 never heart-beats
        ReapResult r1 = store.reap(timeout, 3);
        assertThat(r1.requeued()).containsExactly(t.id());
        Trial back = store.trial(s.id(), 0).orElseThrow();
        assertThat(back.state()).isEqualTo(TrialState.QUEUED);
        assertThat(back.error()).contains("heartbeat lost").contains("dead-1");
        // the dead worker can no longer finish it
        assertThatThrownBy(() -> store.finish(t.id(), "dead-1", complete(0.9, theta(0.1))))
                .isInstanceOf(TransitionRejectedException.class);

        // a live worker takes it over and keeps it alive past the timeout
        Trial again = store.claim(s.id(), "alive").orElseThrow();
        assertThat(again.attempt()).isEqualTo(2);
        for (int i = 0; i < 3; i++) {
            Thread.sleep(400);
            store.heartbeat(t.id(), "alive");
        }
        assertThat(store.reap(timeout, 3).requeued()).isEmpty();
        store.finish(t.id(), "alive", complete(0.8, theta(0.02)));
        assertThat(store.trial(s.id(), 0).orElseThrow().state()).isEqualTo(TrialState.COMPLETE);

        // past the limit: FAILED with the reason
        Trial u = store.enqueue(s.id(), "{}", 4, new int[]{0}, theta(1e-3));
        for (int attempt = 1; attempt <= 2; attempt++) {
            store.claim(s.id(), "dead-" + attempt).orElseThrow();
            Thread.sleep(1200);
            ReapResult r = store.reap(timeout, 2);
            if (attempt == 1) {
                assertThat(r.requeued()).containsExactly(u.id());
            } else {
                assertThat(r.failed()).containsExactly(u.id());
            }
        }
        Trial failed = store.trial(s.id(), 1).orElseThrow();
        assertThat(failed.state()).isEqualTo(TrialState.FAILED);
        assertThat(failed.attempt()).isEqualTo(2);
        assertThat(failed.error()).contains("attempt 2 of 2");
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement()) {
            var rs = st.executeQuery("SELECT count(*) FROM trial WHERE state = 'RUNNING'");
            rs.next();
            assertThat(rs.getInt(1)).isZero();
        }
    }

    @Test
    void theReaperUsesTheStudysOwnRetries() throws Exception {
        // retries: 0 in the study's config → one attempt, whatever the reaper's fallback says
        Study s = store.createOrLoadStudy(new StudyDefinition("no-retries", "name: no-retries\nretries: 0",
                "{\"name\":\"no-retries\",\"retries\":0}", "test_accuracy", Direction.MAXIMIZE, 1, 1));
        Trial t = store.enqueue(s.id(), "{}", 1, new int[]{0}, theta(1e-3));
        store.claim(s.id(), "dead").orElseThrow();
        Thread.sleep(1200);
        assertThat(store.reap(Duration.ofSeconds(1), 5).failed()).containsExactly(t.id());
        assertThat(store.trial(s.id(), 0).orElseThrow().error()).contains("attempt 1 of 1");
    }
}
