package org.plasticitysearch.orchestrator.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.plasticitysearch.search.Direction;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SchemaTest {
    @Test
    void migrationsApplyToAnEmptyDatabase() throws Exception {
        try (Database db = Database.open(TestDatabases.config(TestDatabases.fresh("schema")))) {
            List<String> tables = new ArrayList<>();
            try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT table_name FROM information_schema.tables"
                         + " WHERE table_schema = 'public' ORDER BY 1")) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
            assertThat(tables).contains("study", "trial", "trial_term", "trial_metric", "trial_result", "worker",
                    "schedule", "learned_rule", "qrtz_job_details", "qrtz_triggers", "qrtz_locks",
                    "flyway_schema_history");
        }
    }

    @Test
    void reopeningMigratesNothingAndANewerSchemaIsRefused() throws Exception {
        String url = TestDatabases.fresh("newer");
        try (Database db = Database.open(TestDatabases.config(url))) {
            try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement()) {
                st.execute("INSERT INTO flyway_schema_history (installed_rank, version, description, type, script,"
                        + " checksum, installed_by, execution_time, success) VALUES (99, '99', 'from the future',"
                        + " 'SQL', 'V99__from_the_future.sql', 0, 'test', 0, true)");
            }
        }
        assertThatThrownBy(() -> Database.open(TestDatabases.config(url)))
                .isInstanceOf(StoreException.class).hasMessageContaining("newer").hasMessageContaining("99");
    }

    @Test
    void embeddedDatabaseKeepsItsDataAcrossRestarts(@TempDir Path home) {
        DatabaseConfig cfg = new DatabaseConfig(null, null, null, home, 4);
        try (Database db = Database.open(cfg)) {
            assertThat(db.isEmbedded()).isTrue();
            new TrialStore(db.dataSource()).createOrLoadStudy(new StudyDefinition("survivor", "name: survivor",
                    "{}", "test_accuracy", Direction.MAXIMIZE, 3, 1));
        }
        try (Database db = Database.open(cfg)) {
            assertThat(new TrialStore(db.dataSource()).study("survivor")).isPresent()
                    .hasValueSatisfying(s -> assertThat(s.budget()).isEqualTo(3));
        }
    }

    @Test
    void aVersion2DatabaseWithResultsIsUpgradedKeepingThem() throws Exception {
        String url = TestDatabases.fresh("upgrade");
        DatabaseConfig cfg = TestDatabases.config(url);
        // the schema as session 1 released it (V1 + V2), with one finished trial in it
        var ds = new com.zaxxer.hikari.HikariDataSource();
        ds.setJdbcUrl(url);
        ds.setUsername(cfg.user());
        ds.setPassword(cfg.password());
        try (ds) {
            org.flywaydb.core.Flyway.configure().dataSource(ds).locations("classpath:db/migration").target("2").load()
                    .migrate();
            try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
                st.execute("INSERT INTO study (name, config_yaml, config, budget, parallelism) VALUES ('old', 'name: old',"
                        + " '{}', 1, 1)");
                st.execute("INSERT INTO trial (study_id, number, state, params, seed, value, finished_at)"
                        + " SELECT id, 0, 'COMPLETE', '{}', 7, 0.55, now() FROM study");
                st.execute("INSERT INTO trial_term (trial_id, term, active, theta_init, theta_final)"
                        + " SELECT t.id, g, g = 0, 0, 0.01 FROM trial t, generate_series(0, 9) g");
                st.execute("INSERT INTO trial_result (trial_id, test_accuracy) SELECT id, 0.55 FROM trial");
                st.execute("INSERT INTO trial_metric (trial_id, episode, meta_loss, accuracy, theta)"
                        + " SELECT id, 10, 1.5, 0.5, ARRAY[0.01,0,0,0,0,0,0,0,0,0]::double precision[] FROM trial");
            }
        }
        try (Database db = Database.open(cfg)) {
            TrialStore store = new TrialStore(db.dataSource());
            Study old = store.study("old").orElseThrow();
            assertThat(old.kind()).isEqualTo(StudyKind.SEARCH);
            assertThat(old.parentId()).isNull();
            var rules = store.leaderboard(old.id(), true, 10);
            assertThat(rules).hasSize(1);
            assertThat(rules.get(0).testAccuracy()).isEqualTo(0.55);
            assertThat(rules.get(0).theta()[0]).isEqualTo(0.01);
            assertThat(rules.get(0).updateShare()[0]).isNaN(); // not measured before V4
            assertThat(new ScheduleStore(db.dataSource()).fires()).isEmpty();
            // V5: rows from before the safeguards keep their values and have no safeguard data
            long trialId = store.trials(old.id(), null, -1, 10).get(0).id();
            List<EpisodeMetric> metrics = store.metrics(trialId);
            assertThat(metrics).hasSize(1);
            assertThat(metrics.get(0).accuracy()).isEqualTo(0.5);
            assertThat(metrics.get(0).gradNorm()).isNull();
            assertThat(metrics.get(0).wasRejected()).isNull();
            assertThat(store.safeguardCounts(trialId)).isEmpty();
        }
    }
}
