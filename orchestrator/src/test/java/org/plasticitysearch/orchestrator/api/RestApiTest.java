package org.plasticitysearch.orchestrator.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.plasticitysearch.search.Direction;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
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
import org.plasticitysearch.orchestrator.workflow.Workflow;

/** Every endpoint over real HTTP (Vert.x on loopback) against rows in a real PostgreSQL. */
class RestApiTest {
    static Database db;
    static Workflow workflow;
    static RestApi api;
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() throws Exception {
        db = Database.open(TestDatabases.config(TestDatabases.fresh("rest")));
        TrialStore store = new TrialStore(db.dataSource());
        Study s = store.createOrLoadStudy(new StudyDefinition("api-study", "name: api-study\n",
                "{}", "test_accuracy", Direction.MAXIMIZE, 3, 1));
        double[] theta = new double[10];
        theta[0] = 1e-3;
        for (int i = 0; i < 3; i++) {
            store.enqueue(s.id(), "{\"f2\": " + (i % 2 == 0) + "}", 10 + i, i % 2 == 0 ? new int[]{0, 2} : new int[]{0},
                    theta);
        }
        for (int i = 0; i < 2; i++) {
            Trial t = store.claim(s.id(), "w").orElseThrow();
            store.recordMetrics(t.id(), "w", List.of(new EpisodeMetric(1, 2.5, 0.2, theta, null, null),
                    new EpisodeMetric(2, 2.1, 0.3 + i * 0.1, theta, new double[]{80, 70}, null)));
            double[] learned = theta.clone();
            learned[2] = 0.01 * (i + 1);
            store.finish(t.id(), "w", TrialOutcome.scored(TrialState.COMPLETE, 0.5 + i * 0.1)
                    .withRule(learned, null)
                    .withTest(0.5 + i * 0.1, 0.45, 0.6, 0.98, 5)
                    .withRun(2, false, 1.0));
        }
        api = new RestApi("127.0.0.1", 0);
        workflow = Workflow.builder(store, new Workflow.Settings(0, "api", Duration.ofSeconds(1), Duration.ofSeconds(1),
                Duration.ofSeconds(30), 2)).with(api).build();
        workflow.start();
    }

    @AfterAll
    static void stop() {
        workflow.stop();
        db.close();
    }

    static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode json(HttpResponse<String> r) throws Exception {
        assertThat(r.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v).contains("json"));
        return JsonViews.JSON.readTree(r.body());
    }

    @Test
    void studiesAndOneStudy() throws Exception {
        var r = get("/api/studies");
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode a = json(r);
        assertThat(a).hasSize(1);
        assertThat(a.get(0).get("name").asText()).isEqualTo("api-study");
        JsonNode one = json(get("/api/studies/api-study"));
        assertThat(one.get("trials").get("complete").asInt()).isEqualTo(2);
        assertThat(one.get("trials").get("queued").asInt()).isEqualTo(1);
        assertThat(one.get("budget").asInt()).isEqualTo(3);
    }

    @Test
    void trialsFilteredByState() throws Exception {
        JsonNode all = json(get("/api/studies/api-study/trials"));
        assertThat(all).hasSize(3);
        assertThat(all.get(0).get("params").get("f2").asBoolean()).isTrue();
        JsonNode queued = json(get("/api/studies/api-study/trials?state=queued"));
        assertThat(queued).hasSize(1);
        assertThat(queued.get(0).get("number").asInt()).isEqualTo(2);
        var bad = get("/api/studies/api-study/trials?state=lost");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(json(bad).get("error").asText()).contains("state").contains("lost").contains("QUEUED");
    }

    @Test
    void aTrialsMetrics() throws Exception {
        JsonNode m = json(get("/api/studies/api-study/trials/1/metrics"));
        assertThat(m).hasSize(2);
        assertThat(m.get(1).get("accuracy").asDouble()).isEqualTo(0.4);
        assertThat(m.get(1).get("alignment_deg").get(0).asDouble()).isEqualTo(80.0);
        var none = get("/api/studies/api-study/trials/99/metrics");
        assertThat(none.statusCode()).isEqualTo(404);
        assertThat(json(none).get("error").asText()).contains("no trial 99");
    }

    @Test
    void theLeaderboardRanksTheLearnedRules() throws Exception {
        JsonNode rules = json(get("/api/studies/api-study/leaderboard"));
        assertThat(rules).hasSize(2);
        assertThat(rules.get(0).get("trial").asInt()).isEqualTo(1);
        assertThat(rules.get(0).get("rank").asInt()).isEqualTo(1);
        assertThat(rules.get(0).get("test_accuracy").asDouble()).isEqualTo(0.6);
        assertThat(rules.get(0).get("formula").asText()).startsWith("ΔW = ").contains("F0");
        assertThat(rules.get(1).get("formula").asText()).contains("F2");
    }

    @Test
    void anUnknownStudyIs404WithAJsonError() throws Exception {
        for (String path : List.of("/api/studies/nope", "/api/studies/nope/trials", "/api/studies/nope/leaderboard",
                "/api/studies/nope/trials/0/metrics")) {
            var r = get(path);
            assertThat(r.statusCode()).as(path).isEqualTo(404);
            assertThat(json(r).get("error").asText()).isEqualTo("no study named 'nope'");
        }
    }

    @Test
    void parametersComeOnlyFromTheQueryStringAndThePath() throws Exception {
        var headers = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port()
                + "/api/studies/api-study/trials")).header("state", "BOGUS").header("limit", "0").GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(headers.statusCode()).as(headers.body()).isEqualTo(200);
        assertThat(json(headers)).hasSize(3);
        var number = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port()
                + "/api/studies/api-study/trials/1/metrics")).header("number", "0").header("name", "nope").GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(json(number).get(1).get("accuracy").asDouble()).isEqualTo(0.4); // trial 1's, from the path
    }

    @Test
    void beyondLoopbackEveryApiRequestNeedsTheToken(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path file = dir.resolve("api-token");
        ApiToken token = ApiToken.loadOrCreate(file);
        assertThat(token.created()).isTrue();
        assertThat(java.nio.file.Files.getPosixFilePermissions(file)).containsExactlyInAnyOrder(
                java.nio.file.attribute.PosixFilePermission.OWNER_READ,
                java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
        ApiToken again = ApiToken.loadOrCreate(file);
        assertThat(again.created()).isFalse();
        assertThat(again.value()).isEqualTo(token.value()).hasSizeGreaterThanOrEqualTo(43);

        RestApi guarded = new RestApi("127.0.0.1", 0, token);
        try (Workflow w = Workflow.builder(new TrialStore(db.dataSource()), new Workflow.Settings(0, "guarded",
                Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(30), 2)).with(guarded).build()) {
            w.start();
            String base = "http://127.0.0.1:" + guarded.port();
            for (String path : List.of("/api/studies", "/api/studies/api-study", "/api/studies/api-study/trials",
                    "/api/studies/api-study/plots/history")) {
                for (String auth : new String[]{null, "Bearer wrong", "Basic " + token.value(), "Bearer "}) {
                    var b = HttpRequest.newBuilder(URI.create(base + path)).GET();
                    if (auth != null) {
                        b.header("Authorization", auth);
                    }
                    var r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
                    assertThat(r.statusCode()).as(path + " with " + auth).isEqualTo(401);
                    assertThat(r.body()).doesNotContain("api-study");
                }
                var ok = HTTP.send(HttpRequest.newBuilder(URI.create(base + path))
                        .header("Authorization", "bearer " + token.value()).GET().build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(ok.statusCode()).as(path).isIn(200, 404);
            }
            // the page itself holds no data; it asks for the token in its address
            var page = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/")).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.body()).contains("#token=TOKEN").doesNotContain(token.value());
        }
    }
}
