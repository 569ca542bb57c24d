package org.plasticitysearch.orchestrator.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.plasticitysearch.search.Direction;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.plasticitysearch.orchestrator.store.Database;
import org.plasticitysearch.orchestrator.store.EpisodeMetric;
import org.plasticitysearch.orchestrator.store.Study;
import org.plasticitysearch.orchestrator.store.StudyDefinition;
import org.plasticitysearch.orchestrator.store.Trial;
import org.plasticitysearch.orchestrator.store.TrialOutcome;
import org.plasticitysearch.orchestrator.store.TestDatabases;
import org.plasticitysearch.search.TrialState;
import org.plasticitysearch.orchestrator.store.TrialStore;

/** The dashboard's cache serves an unchanged study from memory and recomputes as soon as a trial reports or ends. */
class ChartCacheTest {
    @Test
    void anUnchangedStudyIsServedFromMemoryAndAChangeIsSeenAtOnce() throws Exception {
        try (Database db = Database.open(TestDatabases.config(TestDatabases.fresh("cache")))) {
            TrialStore store = new TrialStore(db.dataSource());
            Study s = store.createOrLoadStudy(new StudyDefinition("cached", "name: cached\n", "{}",
                    "test_accuracy", Direction.MAXIMIZE, 3, 1));
            finish(store, s, new int[]{0}, 0.3);
            ChartCache cache = new ChartCache(store);
            var first = cache.charts(s);
            assertThat(first.ranked()).hasSize(1);
            byte[] png = cache.png(s, "history").orElseThrow();
            assertThat(cache.charts(s)).isSameAs(first);
            assertThat(cache.png(s, "history").orElseThrow()).isSameAs(png);

            // an episode report alone changes the version: curves would move
            double[] theta = new double[10];
            Trial t = store.enqueue(s.id(), "{}", 9, new int[]{0, 2}, theta);
            store.claim(s.id(), "w");
            var claimed = cache.charts(s);
            assertThat(claimed).isNotSameAs(first);
            store.recordMetrics(t.id(), "w", List.of(new EpisodeMetric(1, 1.0, 0.5, theta, null, null)));
            assertThat(cache.charts(s)).isNotSameAs(claimed);
            store.finish(t.id(), "w", TrialOutcome.scored(TrialState.COMPLETE, 0.6)
                    .withRule(theta, null)
                    .withTest(0.6, 0.5, 0.7, 0.98, 5)
                    .withRun(1, false, 1.0));
            assertThat(cache.charts(s).ranked()).hasSize(2);
            assertThat(cache.charts(s).ranked().get(0).activeTerms()).containsExactly(0, 2);
            assertThat(cache.png(s, "history").orElseThrow()).isNotSameAs(png);
        }
    }

    static void finish(TrialStore store, Study s, int[] terms, double acc) {
        double[] theta = new double[10];
        theta[0] = 1e-3;
        Trial t = store.enqueue(s.id(), "{}", 1, terms, theta);
        store.claim(s.id(), "w");
        store.finish(t.id(), "w", TrialOutcome.scored(TrialState.COMPLETE, acc)
                .withRule(theta, null)
                .withTest(acc, acc - 0.1, acc + 0.1, 0.98, 5)
                .withRun(1, false, 1.0));
    }
}
