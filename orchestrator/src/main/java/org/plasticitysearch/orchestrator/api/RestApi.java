package org.plasticitysearch.orchestrator.api;

import org.plasticitysearch.search.Direction;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;
import java.util.Optional;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServer;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServerConfiguration;
import org.plasticitysearch.orchestrator.report.StudyCharts;
import org.plasticitysearch.orchestrator.store.Study;
import org.plasticitysearch.orchestrator.store.Trial;
import org.plasticitysearch.search.TrialState;
import org.plasticitysearch.orchestrator.store.TrialStore;
import org.plasticitysearch.orchestrator.workflow.Workflow;

/**
 * The read-only REST API (camel-platform-http on Vert.x), bound to loopback unless configured otherwise:
 * <pre>
 * GET /api/studies                                  every study with its trial counts
 * GET /api/studies/{name}                           one study, with its version (changes whenever a trial or metric does)
 * GET /api/studies/{name}/trials[?state=S&after=N&limit=L]
 * GET /api/studies/{name}/trials/{number}/metrics   the trial's reported episodes
 * GET /api/studies/{name}/leaderboard[?limit=L]     the finished trials' learned rules, best first
 * GET /api/studies/{name}/rules                     rules grouped and ranked (mean over runs, CI, complexity, Pareto)
 * GET /api/studies/{name}/plots/{chart}             a plot as PNG (history, pareto, importance, curves, theta1..3,
 *                                                   alignment, orthonormality); 404 while there is nothing to plot
 * GET /                                             the dashboard (one page, polling the API)
 * </pre>
 * An unknown study or trial, or a bad query value, answers 404 or 400 with {@code {"error": "..."}}.
 */
public final class RestApi implements Workflow.Part {
    private final String host;
    private final int port;
    private final ApiToken token;
    private VertxPlatformHttpServer server;

    /** An API without a token: for loopback only. */
    public RestApi(String host, int port) {
        this(host, port, null);
    }

    /** With a token, every /api request needs {@code Authorization: Bearer TOKEN} (401 otherwise). */
    public RestApi(String host, int port, ApiToken token) {
        this.host = host;
        this.port = port;
        this.token = token;
    }

    /** The port the server listens on (after start; useful with port 0). */
    public int port() {
        return server.getServer() != null ? server.getServer().actualPort() : port;
    }

    @Override
    public void addTo(CamelContext camel, TrialStore store) throws Exception {
        VertxPlatformHttpServerConfiguration conf = new VertxPlatformHttpServerConfiguration();
        conf.setBindHost(host);
        conf.setBindPort(port);
        server = new VertxPlatformHttpServer(conf);
        camel.addService(server);
        ChartCache cache = new ChartCache(store);
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                onException(BadRequest.class).handled(true).process(ex -> reply(ex, 400,
                        JsonViews.error(ex.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class).getMessage())));
                if (token != null) {
                    // the data, never the static page: the dashboard sends the token it was opened with
                    interceptFrom("platform-http:/api*").filter(ex -> !token.accepts(ex.getIn().getHeader(
                            "Authorization", String.class))).process(ex -> {
                                ex.getMessage().setHeader("WWW-Authenticate", "Bearer");
                                reply(ex, 401, JsonViews.error("a token is required: Authorization: Bearer TOKEN"
                                        + " (the token is in $PLASTICITY_HOME/api-token of the serve machine)"));
                            }).stop();
                }
                from("platform-http:/api/studies?httpMethodRestrict=GET").routeId("api-studies")
                        .process(ex -> {
                            var a = JsonViews.JSON.createArrayNode();
                            store.studies().forEach(s -> a.add(JsonViews.study(store, s)));
                            reply(ex, 200, a);
                        });
                from("platform-http:/api/studies/{name}?httpMethodRestrict=GET").routeId("api-study")
                        .process(ex -> withStudy(ex, store, s -> JsonViews.study(store, s)
                                .put("version", store.studyVersion(s.id()))));
                from("platform-http:/api/studies/{name}/trials?httpMethodRestrict=GET").routeId("api-trials")
                        .process(ex -> withStudy(ex, store, s -> {
                            String st = query(ex, "state");
                            TrialState state = st == null ? null : state(st);
                            int after = intParam(ex, "after", -1, -1, Integer.MAX_VALUE);
                            int limit = intParam(ex, "limit", 1000, 1, 10_000);
                            var a = JsonViews.JSON.createArrayNode();
                            store.trials(s.id(), state, after, limit).forEach(t -> a.add(JsonViews.trial(t)));
                            return a;
                        }));
                from("platform-http:/api/studies/{name}/trials/{number}/metrics?httpMethodRestrict=GET")
                        .routeId("api-metrics")
                        .process(ex -> withStudy(ex, store, s -> {
                            int number = intParam(ex, "number", -1, 0, Integer.MAX_VALUE);
                            Optional<Trial> t = store.trial(s.id(), number);
                            if (t.isEmpty()) {
                                return null;
                            }
                            return JsonViews.metrics(store.metrics(t.get().id()));
                        }));
                from("platform-http:/api/studies/{name}/leaderboard?httpMethodRestrict=GET").routeId("api-leaderboard")
                        .process(ex -> withStudy(ex, store, s -> JsonViews.leaderboard(store.leaderboard(s.id(),
                                s.direction() == Direction.MAXIMIZE, intParam(ex, "limit", 20, 1, 10_000)))));
                from("platform-http:/api/studies/{name}/rules?httpMethodRestrict=GET").routeId("api-rules")
                        .process(ex -> withStudy(ex, store, s -> JsonViews.rules(cache.charts(s).ranked())));
                from("platform-http:/api/studies/{name}/plots/{chart}?httpMethodRestrict=GET").routeId("api-plots")
                        .process(ex -> plot(ex, store, cache));
                from("platform-http:/?httpMethodRestrict=GET").routeId("dashboard")
                        .process(ex -> {
                            ex.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
                            ex.getMessage().setHeader(Exchange.CONTENT_TYPE, "text/html; charset=utf-8");
                            ex.getMessage().setBody(DASHBOARD);
                        });
            }
        });
    }

    private static final String DASHBOARD = resource("/dashboard/index.html");

    private static String resource(String path) {
        try (var in = RestApi.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException(path + " is missing from the orchestrator jar");
            }
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void plot(Exchange ex, TrialStore store, ChartCache cache) throws java.io.IOException {
        String name = segment(ex, 2);
        String chart = segment(ex, 4).replaceFirst("\\.png$", "");
        Optional<Study> s = store.study(name);
        if (s.isEmpty()) {
            reply(ex, 404, JsonViews.error("no study named '" + name + "'"));
            return;
        }
        if (!StudyCharts.NAMES.contains(chart)) {
            throw new BadRequest("chart: '" + chart + "' is not allowed; use one of " + StudyCharts.NAMES);
        }
        byte[] png = cache.png(s.get(), chart).orElse(null);
        if (png == null) {
            reply(ex, 404, JsonViews.error("study '" + name + "' has nothing to plot in '" + chart + "' yet"));
            return;
        }
        ex.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
        ex.getMessage().setHeader(Exchange.CONTENT_TYPE, "image/png");
        ex.getMessage().setHeader("Cache-Control", "no-store");
        ex.getMessage().setBody(png);
    }

    /** Thrown for a query value that is not allowed; answered 400. */
    static final class BadRequest extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BadRequest(String message) {
            super(message);
        }
    }

    private interface StudyView {
        JsonNode of(Study s);
    }

    private static void withStudy(Exchange ex, TrialStore store, StudyView view) {
        String name = segment(ex, 2);
        Optional<Study> s = store.study(name);
        if (s.isEmpty()) {
            reply(ex, 404, JsonViews.error("no study named '" + name + "'"));
            return;
        }
        JsonNode body = view.of(s.get());
        if (body == null) {
            reply(ex, 404, JsonViews.error("study '" + name + "' has no trial " + segment(ex, 4)));
            return;
        }
        reply(ex, 200, body);
    }

    private static TrialState state(String s) {
        try {
            return TrialState.valueOf(s.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new BadRequest("state: '" + s + "' is not allowed; use QUEUED, RUNNING, COMPLETE, PRUNED or FAILED");
        }
    }

    /**
     * A query-string parameter, from the query string only: Camel also copies query parameters into headers, where
     * a request header of the same name would pass for one.
     */
    static String query(Exchange ex, String name) {
        String q = ex.getIn().getHeader(Exchange.HTTP_QUERY, String.class);
        if (q == null) {
            return null;
        }
        for (String pair : q.split("&")) {
            int eq = pair.indexOf('=');
            String k = java.net.URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq),
                    java.nio.charset.StandardCharsets.UTF_8);
            if (k.equals(name)) {
                return eq < 0 ? "" : java.net.URLDecoder.decode(pair.substring(eq + 1),
                        java.nio.charset.StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    /**
     * The i-th segment of the request's path (0: "api", 1: "studies", 2: the study, 4: a trial number or a chart),
     * from Camel's own header: path parameters copied into headers could be overridden by request headers.
     */
    static String segment(Exchange ex, int i) {
        String path = ex.getIn().getHeader(Exchange.HTTP_PATH, String.class);
        if (path == null) {
            path = ex.getIn().getHeader(Exchange.HTTP_URI, String.class);
        }
        String[] parts = path.replaceFirst("\\?.*$", "").replaceFirst("^/", "").split("/");
        return i < parts.length ? java.net.URLDecoder.decode(parts[i].replace("+", "%2B"),
                java.nio.charset.StandardCharsets.UTF_8) : null;
    }

    private static int intParam(Exchange ex, String name, int dflt, int min, int max) {
        String v = name.equals("number") ? segment(ex, 4) : query(ex, name);
        if (v == null) {
            return dflt;
        }
        try {
            int i = Integer.parseInt(v.trim());
            if (i >= min && i <= max) {
                return i;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new BadRequest(name + ": '" + v + "' is not allowed; use an integer from " + min + " to " + max);
    }

    static void reply(Exchange ex, int status, JsonNode body) {
        ex.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        ex.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json; charset=utf-8");
        ex.getMessage().setBody(body.toString());
    }
}
