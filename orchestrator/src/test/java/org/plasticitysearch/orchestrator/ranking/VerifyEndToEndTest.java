package org.plasticitysearch.orchestrator.ranking;

import static org.assertj.core.api.Assertions.assertThat;

import org.plasticitysearch.orchestrator.store.StudyKind;
import org.plasticitysearch.orchestrator.store.StudyStatus;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.plasticitysearch.orchestrator.cli.PlasticityCli;
import org.plasticitysearch.orchestrator.store.Database;
import org.plasticitysearch.orchestrator.store.Study;
import org.plasticitysearch.orchestrator.store.Trial;
import org.plasticitysearch.orchestrator.store.TrialOutcome;
import org.plasticitysearch.orchestrator.store.TestDatabases;
import org.plasticitysearch.search.TrialState;
import org.plasticitysearch.orchestrator.store.TrialStore;

/**
 * {@code study verify} end to end: real trainer processes (tiny episodes) re-meta-train the 2 best rules of a stored
 * study with 2 fresh seeds each, meta-testing on Fashion-MNIST; the verification trials are stored, linked to the
 * study and to the runs they repeat, and carry their measured term shares.
 */
class VerifyEndToEndTest {
    static final String CONFIG = String.join("\n",
            "name: parent",
            "dataset: builtin",
            "per_class_limit: 30",
            "network: [784, 40, 30, 47]",
            "episodes: 5",
            "K: 8",
            "Q: 4",
            "eval_tasks: 3",
            "seed: 11",
            "report_every: 5",
            "search_space:",
            "  f0: {type: fixed, value: true}",
            "  f2: {type: bool}",
            "  f9: {type: bool}",
            "  meta_lr: {type: float, low: 1.0e-4, high: 1.0e-2, log: true}",
            "budget: 6",
            "parallelism: 2",
            "trial_timeout: 2m",
            "heap: 256m",
            "");

    @Test
    void theBestRulesAreReTrainedWithFreshSeedsInALinkedStudy() throws Exception {
        String url = TestDatabases.fresh("verify");
        try (Database db = Database.open(TestDatabases.config(url))) {
            TrialStore store = new TrialStore(db.dataSource());
            Study parent = store.createOrLoadStudy(
                    org.plasticitysearch.orchestrator.config.StudyConfig.parse(CONFIG).definition());
            store.setStudyStatus(parent.id(), StudyStatus.DONE);
            // six finished runs of three rules; {0,2,9} (trial 4) and {0,9} (trial 2) are the two best
            String[] params = {"{\"f0\": true, \"f2\": false, \"f9\": false, \"meta_lr\": 0.001}",
                "{\"f0\": true, \"f2\": true, \"f9\": false, \"meta_lr\": 0.002}",
                "{\"f0\": true, \"f2\": false, \"f9\": true, \"meta_lr\": 0.003}",
                "{\"f0\": true, \"f2\": false, \"f9\": false, \"meta_lr\": 0.004}",
                "{\"f0\": true, \"f2\": true, \"f9\": true, \"meta_lr\": 0.001}",
                "{\"f0\": true, \"f2\": true, \"f9\": false, \"meta_lr\": 0.005}"};
            int[][] terms = {{0}, {0, 2}, {0, 9}, {0}, {0, 2, 9}, {0, 2}};
            double[] acc = {0.30, 0.40, 0.55, 0.31, 0.60, 0.35};
            List<Long> parentSeeds = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                double[] theta = new double[10];
                theta[0] = 1e-3;
                Trial t = store.enqueue(parent.id(), params[i], 100 + i, terms[i], theta);
                parentSeeds.add(t.seed());
                store.setStudyStatus(parent.id(), StudyStatus.RUNNING);
                store.claim(parent.id(), "w");
                store.setStudyStatus(parent.id(), StudyStatus.DONE);
                store.finish(t.id(), "w", TrialOutcome.scored(TrialState.COMPLETE, acc[i])
                        .withRule(theta, null)
                        .withTest(acc[i], acc[i] - 0.05, acc[i] + 0.05, 0.98, 3)
                        .withRun(5, false, 1.0));
            }

            int code = new picocli.CommandLine(new PlasticityCli()).execute("study", "verify", "parent", "--top", "2",
                    "--seeds", "2", "--on", "fashion-mnist", "--parallel", "2", "--db", url);
            assertThat(code).isZero();

            Study v = store.study("parent-verify").orElseThrow();
            assertThat(v.kind()).isEqualTo(StudyKind.VERIFICATION);
            assertThat(v.parentId()).isEqualTo(parent.id());
            assertThat(v.status()).isEqualTo(StudyStatus.DONE);
            assertThat(v.configYaml()).contains("test_dataset: \"fashion-mnist\"").doesNotContain("pruner");
            List<Trial> trials = store.trials(v.id(), null, -1, 100);
            assertThat(trials).hasSize(4).allMatch(t -> t.state() == TrialState.COMPLETE);
            assertThat(trials).extracting(Trial::seed).doesNotHaveDuplicates()
                    .doesNotContainAnyElementsOf(parentSeeds);
            // seed-major: rule 1, rule 2, rule 1, rule 2, each repeating its best run's parameters
            List<Integer> sources = new ArrayList<>();
            try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT t.source_trial, t.params::text, count(tt.update_share)"
                         + " FROM trial t JOIN trial_term tt ON tt.trial_id = t.id WHERE t.study_id = " + v.id()
                         + " GROUP BY t.id ORDER BY t.number")) {
                while (rs.next()) {
                    sources.add(rs.getInt(1));
                    assertThat(rs.getString(2).replace(" ", "")).isEqualTo(params[rs.getInt(1)].replace(" ", ""));
                    assertThat(rs.getInt(3)).as("term shares measured for all 10 terms").isEqualTo(10);
                }
            }
            assertThat(sources).containsExactly(4, 2, 4, 2);
            List<RankedRule> verified = RuleRanking.rank(store.leaderboard(v.id(), true, 100), 0.05);
            assertThat(verified).hasSize(2).allMatch(r -> r.n() == 2);
        }
    }
}
