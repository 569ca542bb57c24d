package org.plasticitysearch.orchestrator.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.plasticitysearch.search.Direction;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.plasticitysearch.orchestrator.workflow.CliProcess;

/**
 * The embedded server of a home: private (only the application role, by its secret, over loopback; not a superuser),
 * durable (fsync on), owned by no command (it outlives the one that started it; two commands starting it at the same
 * instant share one), and an older home's data kept when it is secured.
 */
class EmbeddedServerTest {
    @TempDir
    Path home;

    static String scalar(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    @Test
    void onlyTheApplicationRoleWithItsSecretGetsInAndItIsNoSuperuser() throws Exception {
        EmbeddedServer server = new EmbeddedServer(home);
        try {
            int port = server.ensureRunning();
            String url = "jdbc:postgresql://localhost:" + port + "/postgres";
            assertThat(Files.getPosixFilePermissions(home)).isEqualTo(PosixFilePermissions.fromString("rwx------"));
            assertThat(Files.getPosixFilePermissions(home.resolve("db-secret")))
                    .isEqualTo(PosixFilePermissions.fromString("rw-------"));
            assertThat(Files.getPosixFilePermissions(home.resolve("pgpass")))
                    .isEqualTo(PosixFilePermissions.fromString("rw-------"));
            // the server's binaries are the user's own (not a world-writable /tmp folder anybody could fill)
            long postmaster = Long.parseLong(Files.readAllLines(home.resolve("pgdata").resolve("postmaster.pid"))
                    .get(0).trim());
            assertThat(ProcessHandle.of(postmaster).orElseThrow().info().command().orElseThrow())
                    .startsWith(EmbeddedServer.binaries().toString());
            assertThat(Files.getPosixFilePermissions(EmbeddedServer.binaries()))
                    .isEqualTo(PosixFilePermissions.fromString("rwx------"));
            // no Unix socket at all: nothing but loopback TCP
            assertThat(Path.of("/tmp", ".s.PGSQL." + port)).doesNotExist();
            assertThat(Path.of("/var/run/postgresql", ".s.PGSQL." + port)).doesNotExist();
            // the cluster never trusted anybody: initdb ran with scram-sha-256 and the superuser's secret
            assertThat(Files.readString(home.resolve("pgdata").resolve("pg_hba.conf"))).doesNotContain("trust");
            // without the secret: neither the superuser (trust is gone) nor the role
            assertThatThrownBy(() -> DriverManager.getConnection(url, "postgres", null).close())
                    .hasMessageContaining("password");
            assertThatThrownBy(() -> DriverManager.getConnection(url, "postgres", server.secret()).close())
                    .hasMessageContaining("password authentication failed");
            assertThatThrownBy(() -> DriverManager.getConnection(url, EmbeddedServer.ROLE, "guess").close())
                    .hasMessageContaining("password authentication failed");
            try (Connection c = DriverManager.getConnection(url, EmbeddedServer.ROLE, server.secret())) {
                assertThat(scalar(c, "SHOW fsync")).isEqualTo("on");
                assertThat(scalar(c, "SHOW synchronous_commit")).isEqualTo("on");
                assertThat(scalar(c, "SELECT (rolsuper OR rolreplication OR rolcreaterole)::text FROM pg_roles"
                        + " WHERE rolname = current_user")).isEqualTo("false");
                try (Statement st = c.createStatement()) {
                    assertThatThrownBy(() -> st.execute("COPY (SELECT 1) TO PROGRAM 'id'"))
                            .hasMessageContaining("pg_execute_server_program");
                }
            }
            // the application migrates and writes as that role
            try (Database db = Database.open(new DatabaseConfig(null, null, null, home, 2))) {
                TrialStore store = new TrialStore(db.dataSource());
                store.createOrLoadStudy(new StudyDefinition("s", "name: s\n", "{}", "test_accuracy",
                        Direction.MAXIMIZE, 1, 1));
                assertThat(db.url()).doesNotContain(server.secret());
            }
            assertThat(server.port()).as("closing a client leaves the server running").hasValue(port);
            // a secured home starts again (the start-up check authenticates) with its data
            assertThat(server.stop()).isTrue();
            int again = server.ensureRunning();
            try (Database db = Database.open(new DatabaseConfig(null, null, null, home, 2))) {
                assertThat(new TrialStore(db.dataSource()).study("s")).isPresent();
            }
            assertThat(server.port()).hasValue(again);
        } finally {
            server.stop();
        }
        assertThat(server.port()).isEmpty();
    }

    @Test
    void twoCommandsStartingItAtTheSameInstantShareOneServer() throws Exception {
        List<CliProcess> starts = new ArrayList<>();
        try {
            for (int i = 0; i < 2; i++) {
                starts.add(CliProcess.startIn(home, "db", "start"));
            }
            for (CliProcess p : starts) {
                assertThat(p.await()).as(p.output()).isZero();
            }
            String port = "localhost:" + new EmbeddedServer(home).port().orElseThrow();
            assertThat(starts).allMatch(p -> {
                try {
                    return p.output().contains(port);
                } catch (java.io.IOException e) {
                    return false;
                }
            });
        } finally {
            for (CliProcess p : starts) {
                p.close();
            }
            new EmbeddedServer(home).stop();
        }
    }

    @Test
    void anOlderHomeIsSecuredWithItsRowsKept() throws Exception {
        // what an older version left: trust, and the tables owned by the superuser
        Path data = home.resolve("pgdata");
        try (EmbeddedPostgres old = EmbeddedPostgres.builder().setDataDirectory(data).setCleanDataDirectory(false)
                .setOverrideWorkingDirectory(EmbeddedServer.binaries().toFile()).start(); Connection c = old.getPostgresDatabase().getConnection(); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE legacy (id BIGSERIAL PRIMARY KEY, note TEXT)");
            st.execute("INSERT INTO legacy (note) VALUES ('kept')");
            st.execute("CREATE VIEW legacy_view AS SELECT note FROM legacy");
        }
        EmbeddedServer server = new EmbeddedServer(home);
        try {
            int port = server.ensureRunning();
            try (Connection c = DriverManager.getConnection("jdbc:postgresql://localhost:" + port + "/postgres",
                    EmbeddedServer.ROLE, server.secret()); Statement st = c.createStatement()) {
                assertThat(scalar(c, "SELECT note FROM legacy_view")).isEqualTo("kept");
                st.execute("INSERT INTO legacy (note) VALUES ('new')"); // its sequence came along
                assertThat(scalar(c, "SELECT count(*) FROM legacy")).isEqualTo("2");
            }
        } finally {
            server.stop();
        }
    }
}
