package org.plasticitysearch.orchestrator.report;

import org.plasticitysearch.search.Direction;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.plasticitysearch.orchestrator.api.RestApi;
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

/**
 * Benchmark (ops/bench/dashboard-load): what the study runner, the pruner, one dashboard refresh and one report
 * cost on a large study. Stores N finished trials (default 1000; 16 rules over F2, F3, F4, F9; 20 reported episodes
 * each) in an embedded database and times a fill (TPE and GP) and a pruner check; then the same for N trials of
 * configs/pool-subsets-tpe.yaml's space (512 rules over F1..F9); then the median time of each REST call the
 * dashboard makes and of {@code report} on the first study.
 */
public final class DashboardLoad {
    private DashboardLoad() {
    }

    public static void main(String[] args) throws Exception {
        int n = count(args, 0, "TRIALS", 1000);
        int repeats = count(args, 1, "REPEATS", 5);
        try (Database db = Database.open(TestDatabases.config(TestDatabases.fresh("dashload")))) {
            TrialStore store = new TrialStore(db.dataSource());
            String yaml = yaml("big", new int[]{2, 3, 4, 9}, n);
            Study s = stored(store, "big", yaml, new int[]{2, 3, 4, 9}, n);
            proposalsAndPruning(store, s, yaml, n, repeats, "F0 + any of F2, F3, F4, F9; meta_lr");
            String pool = yaml("pool", new int[]{1, 2, 3, 4, 5, 6, 7, 8, 9}, n); // configs/pool-subsets-tpe.yaml's
            proposalsAndPruning(store, stored(store, "pool", pool, new int[]{1, 2, 3, 4, 5, 6, 7, 8, 9}, n), pool, n,
                    repeats, "F0 + any of F1..F9; meta_lr");
            RestApi api = new RestApi("127.0.0.1", 0);
            try (Workflow w = Workflow.builder(store, new Workflow.Settings(0, "load", Duration.ofSeconds(1),
                    Duration.ofSeconds(1), Duration.ofSeconds(30), 2)).with(api).build()) {
                w.start();
                HttpClient http = HttpClient.newHttpClient();
                List<String> paths = new ArrayList<>(List.of("/api/studies", "/api/studies/big",
                        "/api/studies/big/rules", "/api/studies/big/trials"));
                StudyCharts.NAMES.forEach(c -> paths.add("/api/studies/big/plots/" + c));
                double refresh = 0;
                double first = 0;
                for (String path : paths) {
                    double[] ms = new double[repeats];
                    for (int r = 0; r < repeats; r++) {
                        long a = System.nanoTime();
                        HttpResponse<byte[]> resp = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                                + api.port() + path)).build(), HttpResponse.BodyHandlers.ofByteArray());
                        ms[r] = (System.nanoTime() - a) / 1e6;
                        if (resp.statusCode() != 200) {
                            throw new IllegalStateException(path + ": " + resp.statusCode());
                        }
                    }
                    double med = median(ms);
                    refresh += med;
                    first += ms[0];
                    System.out.printf(Locale.ROOT, "GET %-42s first %7.1f ms, median %7.1f ms%n", path, ms[0], med);
                }
                System.out.printf(Locale.ROOT, "one dashboard refresh (all of the above, sequentially): first %.0f ms"
                        + " (the study changed), median %.0f ms (unchanged)%n", first, refresh);
            }
            double[] ms = new double[repeats];
            for (int r = 0; r < repeats; r++) {
                var dir = Files.createTempDirectory("report");
                long a = System.nanoTime();
                HtmlReport.write(store, s, dir);
                ms[r] = (System.nanoTime() - a) / 1e6;
            }
            System.out.printf(Locale.ROOT, "report (index.html + %d plots): median %.0f ms%n", StudyCharts.NAMES.size(),
                    median(ms));
        }
        System.exit(0);
    }

    /** args[i] as a whole number of at least 1 (absent: the default); otherwise one line and exit status 2. */
    static int count(String[] args, int i, String name, int absent) {
        if (args.length <= i) {
            return absent;
        }
        try {
            int v = Integer.parseInt(args[i]);
            if (v >= 1) {
                return v;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        System.err.println("dashboard-load: " + name + " '" + args[i] + "' is not allowed: give a whole number of at"
                + " least 1 (usage: ops/bench/dashboard-load [TRIALS] [REPEATS])");
        System.exit(2);
        return absent;
    }

    /** A study config searching F0 plus any subset of {@code extra} and the meta learning rate. */
    static String yaml(String name, int[] extra, int n) {
        StringBuilder y = new StringBuilder("name: " + name + "\ndataset: builtin\nsearch_space:\n");
        y.append("  f0: {type: fixed, value: true}\n");
        for (int r : extra) {
            y.append("  f").append(r).append(": {type: bool}\n");
        }
        return y.append("  meta_lr: {type: float, low: 1.0e-4, high: 1.0e-2, log: true}\nbudget: ").append(n)
                .append("\n").toString();
    }

    /**
     * Stores n finished trials of that study (trial i switches on the terms of i's low bits; 20 reported episodes
     * each) and returns it.
     */
    static Study stored(TrialStore store, String name, String yaml, int[] extra, int n) {
        Study s = store.createOrLoadStudy(new StudyDefinition(name, yaml, "{}", "test_accuracy", Direction.MAXIMIZE, n,
                4));
        long t0 = System.nanoTime();
        SplittableRandom rng = new SplittableRandom(1);
        for (int i = 0; i < n; i++) {
            List<Integer> terms = new ArrayList<>(List.of(0));
            StringBuilder params = new StringBuilder("{\"f0\": true");
            for (int b = 0; b < extra.length; b++) {
                boolean on = ((i >> b) & 1) == 1;
                if (on) {
                    terms.add(extra[b]);
                }
                params.append(", \"f").append(extra[b]).append("\": ").append(on);
            }
            params.append(", \"meta_lr\": ").append(1e-4 + 1e-2 * rng.nextDouble()).append("}");
            double[] theta = new double[10];
            theta[0] = 1e-3;
            Trial t = store.enqueue(s.id(), params.toString(), i, terms.stream().mapToInt(Integer::intValue).toArray(),
                    theta);
            store.claim(s.id(), "w");
            List<EpisodeMetric> m = new ArrayList<>();
            for (int e = 1; e <= 20; e++) {
                m.add(new EpisodeMetric(e, 1.0 / e, 0.2 + 0.02 * e * rng.nextDouble(), theta,
                        new double[]{80, 85, 88, 89}, new double[]{1, 1, 1, 1, 1}));
            }
            store.recordMetrics(t.id(), "w", m);
            double acc = 0.2 + 0.1 * terms.size() * rng.nextDouble();
            double[] shares = new double[10];
            for (int r : terms) {
                shares[r] = 1.0 / terms.size();
            }
            store.finish(t.id(), "w", TrialOutcome.scored(TrialState.COMPLETE, acc)
                    .withRule(theta, shares)
                    .withTest(acc, acc - 0.05, acc + 0.05, 0.98, 20)
                    .withRun(20, false, 1.0));
        }
        System.out.printf(Locale.ROOT, "stored %d trials of study %s with 20 episodes each in %.1f s%n", n, name,
                (System.nanoTime() - t0) / 1e9);
        return s;
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    /**
     * What the study runner and the pruner cost at this size: loading the history (every fill and, with a pruner,
     * every report does), a TPE and a GP proposal from it, one enqueue, and a median-pruner check.
     */
    static void proposalsAndPruning(TrialStore store, Study s, String yaml, int n, int repeats, String space) {
        org.plasticitysearch.orchestrator.config.StudyConfig c =
                org.plasticitysearch.orchestrator.config.StudyConfig.parse(yaml);
        var tpe = new org.plasticitysearch.search.tpe.TpeSampler(1,
                org.plasticitysearch.search.tpe.TpeSampler.Options.optunaDefaults().withConstantLiar(true));
        var gp = new org.plasticitysearch.search.gp.GpSampler(1,
                org.plasticitysearch.search.gp.GpSampler.Options.defaults());
        var pruner = new org.plasticitysearch.search.MedianPruner(5, 0, 1);
        java.util.TreeMap<Integer, Double> reports = new java.util.TreeMap<>();
        for (int e = 1; e <= 10; e++) {
            reports.put(e, 0.2 + 0.01 * e);
        }
        double[] load = new double[repeats];
        double[] askTpe = new double[repeats];
        double[] askGp = new double[repeats];
        double[] prune = new double[repeats];
        double[] enqueue = new double[repeats];
        double[] full = new double[repeats];
        var cache = new org.plasticitysearch.orchestrator.workflow.StudyHistory.Cache();
        cache.load(store, s.id()); // the first read of a study: what every later load saves
        for (int w = 0; w < 3; w++) { // untimed: a running study runner asks with compiled code
            var history = cache.load(store, s.id());
            tpe.ask(c.space(), c.direction(), history, n);
            gp.ask(c.space(), c.direction(), history, n);
        }
        for (int r = 0; r < repeats; r++) {
            long z = System.nanoTime();
            org.plasticitysearch.orchestrator.workflow.StudyHistory.load(store, s.id());
            long a = System.nanoTime();
            full[r] = (a - z) / 1e6;
            var history = cache.load(store, s.id());
            long b = System.nanoTime();
            var params = tpe.ask(c.space(), c.direction(), history, n + r);
            long d = System.nanoTime();
            gp.ask(c.space(), c.direction(), history, n + r);
            long e = System.nanoTime();
            pruner.shouldPrune(c.direction(), history, n + r, reports);
            long f = System.nanoTime();
            store.enqueue(s.id(), "{}", r, org.plasticitysearch.orchestrator.config.TrialPlan.terms(params),
                    org.plasticitysearch.orchestrator.config.TrialPlan.thetaInit(params));
            long g = System.nanoTime();
            load[r] = (b - a) / 1e6;
            askTpe[r] = (d - b) / 1e6;
            askGp[r] = (e - d) / 1e6;
            prune[r] = (f - e) / 1e6;
            enqueue[r] = (g - f) / 1e6;
        }
        System.out.printf(Locale.ROOT, "study %s (%s), at %d finished trials (medians of %d): whole history read"
                + " %.0f ms%n", s.name(), space, n, repeats, median(full));
        System.out.printf(Locale.ROOT, "at %d finished trials (medians of %d): history load %.0f ms, TPE ask %.0f ms,"
                + " GP ask %.0f ms, enqueue %.1f ms, median-pruner check %.1f ms; a fill = load + ask + enqueue:"
                + " %.0f ms (TPE), %.0f ms (GP); a pruner check with its history load: %.0f ms%n", n, repeats,
                median(load), median(askTpe), median(askGp), median(enqueue), median(prune),
                median(load) + median(askTpe) + median(enqueue), median(load) + median(askGp) + median(enqueue),
                median(load) + median(prune));
    }
}
