package org.plasticitysearch.orchestrator.report;

import static org.assertj.core.api.Assertions.assertThat;

import org.plasticitysearch.search.Direction;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
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
 * The HTML report (files, valid PNGs, only local references) and the dashboard in a real headless browser
 * (Debian's chromium, installed by .ci/run): the page of a study lists its trials and its ranked rules.
 */
class ReportAndDashboardTest {
    static Database db;
    static TrialStore store;
    static Study study;

    @BeforeAll
    static void seed() {
        db = Database.open(TestDatabases.config(TestDatabases.fresh("report")));
        store = new TrialStore(db.dataSource());
        String yaml = String.join("\n", "name: report-study", "dataset: builtin", "search_space:",
                "  f0: {type: fixed, value: true}", "  f2: {type: bool}", "  f9: {type: bool}",
                "  meta_lr: {type: float, low: 1.0e-4, high: 1.0e-2, log: true}", "budget: 12",
                "# a comment a report must show as text: <script>alert(1)</script>", "");
        study = store.createOrLoadStudy(new StudyDefinition("report-study", yaml, "{}", "test_accuracy",
                Direction.MAXIMIZE, 12, 2));
        java.util.SplittableRandom rng = new java.util.SplittableRandom(3);
        for (int i = 0; i < 12; i++) {
            boolean f2 = i % 2 == 0;
            boolean f9 = i % 3 == 0;
            int[] terms = f2 && f9 ? new int[]{0, 2, 9} : f2 ? new int[]{0, 2} : f9 ? new int[]{0, 9} : new int[]{0};
            double lr = Math.exp(Math.log(1e-4) + rng.nextDouble() * Math.log(100));
            double[] theta0 = new double[10];
            theta0[0] = 1e-3;
            Trial t = store.enqueue(study.id(), "{\"f0\": true, \"f2\": " + f2 + ", \"f9\": " + f9
                    + ", \"meta_lr\": " + lr + "}", i, terms, theta0);
            store.claim(study.id(), "w");
            double level = 0.3 + (f2 ? 0.2 : 0) + (f9 ? 0.1 : 0) + 0.05 * rng.nextDouble();
            List<EpisodeMetric> metrics = new ArrayList<>();
            double[] theta = theta0.clone();
            for (int e = 1; e <= 10; e++) {
                for (int r : terms) {
                    theta[r] += (r == 2 ? -1 : 1) * 0.001;
                }
                metrics.add(new EpisodeMetric(e, 1.0 / e, level * e / 10, theta.clone(),
                        new double[]{80 - e, 85 - e}, new double[]{1, 1}));
            }
            store.recordMetrics(t.id(), "w", metrics);
            double[] shares = new double[10];
            for (int r : terms) {
                shares[r] = 1.0 / terms.length;
            }
            if (i == 11) {
                store.finish(t.id(), "w", TrialOutcome.failed("divergence: diverged at episode 4"));
            } else {
                store.finish(t.id(), "w", TrialOutcome.scored(TrialState.COMPLETE, level)
                        .withRule(theta, shares)
                        .withTest(level, level - 0.03, level + 0.03, 0.98, 10)
                        .withRun(10, false, 1.0));
            }
        }
        // a trial still running, with its first reports: the dashboard shows its last one live
        double[] theta0 = new double[10];
        theta0[0] = 1e-3;
        Trial running = store.enqueue(study.id(), "{\"f0\": true, \"f2\": true, \"f9\": true,"
                + " \"meta_lr\": 0.002}", 12, new int[]{0, 2, 9}, theta0);
        store.claim(study.id(), "w");
        store.recordMetrics(running.id(), "w", List.of(
                new EpisodeMetric(1, 2.0, 0.25, theta0, null, null),
                new EpisodeMetric(2, 1.5, 0.375, theta0, null, null)));
    }

    @AfterAll
    static void close() {
        db.close();
    }

    @Test
    void theReportIsSelfContained(@TempDir Path dir) throws Exception {
        List<Path> written = HtmlReport.write(store, study, dir);
        Path index = dir.resolve("index.html");
        assertThat(written).contains(index);
        String html = Files.readString(index);
        assertThat(html).contains("report-study").contains("ΔW = ").contains("pseudo-gradient");
        assertThat(html).doesNotContain("<script>alert").contains("&lt;script&gt;alert(1)&lt;/script&gt;");
        assertThat(html).contains("<h2>Failed trials</h2>").contains("<td>1</td><td>divergence: diverged at episode 4");
        // every image referenced is a file the report wrote; nothing points elsewhere (no http, no absolute paths)
        Set<String> refs = new TreeSet<>();
        Matcher m = Pattern.compile("(?:src|href)=\"([^\"]*)\"").matcher(html);
        while (m.find()) {
            refs.add(m.group(1));
        }
        Set<String> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.map(p -> p.getFileName().toString()).collect(Collectors.toSet());
        }
        assertThat(refs).isNotEmpty().allMatch(files::contains);
        assertThat(refs).containsExactlyInAnyOrder("history.png", "pareto.png", "importance.png", "curves.png",
                "loss.png", "theta1.png", "theta2.png", "theta3.png", "alignment.png", "orthonormality.png");
        for (String ref : refs) {
            BufferedImage img = ImageIO.read(dir.resolve(ref).toFile());
            assertThat(img).as("%s is a PNG", ref).isNotNull();
            assertThat(img.getWidth()).isEqualTo(StudyCharts.WIDTH);
            assertThat(distinctColours(img)).as("%s is not blank", ref).isGreaterThan(8);
        }
    }

    @Test
    void chartsReadLikeThePapersFigures() {
        StudyCharts charts = new StudyCharts(store, study);
        // the learning curves: a band (98% bootstrap interval over runs) around the mean of a rule with several runs
        var curves = (org.jfree.data.xy.YIntervalSeriesCollection) charts.chart("curves").getXYPlot().getDataset();
        boolean band = false;
        for (int s = 0; s < curves.getSeriesCount(); s++) {
            for (int i = 0; i < curves.getItemCount(s); i++) {
                band |= curves.getEndYValue(s, i) - curves.getStartYValue(s, i) > 1e-6;
                assertThat(curves.getStartYValue(s, i)).isLessThanOrEqualTo(curves.getYValue(s, i));
            }
        }
        assertThat(band).as("rules with several runs have a band").isTrue();
        java.util.List<String> keys = new java.util.ArrayList<>();
        for (int k = 0; k < curves.getSeriesCount(); k++) {
            keys.add(curves.getSeriesKey(k).toString());
        }
        assertThat(keys).as("the rule of F0 alone is the feedback-alignment baseline").anyMatch(k ->
                k.contains(" F0 ") && k.contains("FA baseline")).anyMatch(k -> k.startsWith("#1 F0+F2+F9"));
        assertThat(charts.chart("loss")).isNotNull();
        // CI bars on the Pareto plot, E_W on a log axis, trials and episodes on whole-number ticks
        var pareto = (org.jfree.data.xy.YIntervalSeriesCollection) charts.chart("pareto").getXYPlot().getDataset(0);
        assertThat(pareto.getEndYValue(0, 0)).isGreaterThan(pareto.getStartYValue(0, 0));
        assertThat(charts.chart("orthonormality").getXYPlot().getRangeAxis())
                .isInstanceOf(org.jfree.chart.axis.LogAxis.class);
        var trialAxis = (org.jfree.chart.axis.NumberAxis) charts.chart("history").getXYPlot().getDomainAxis();
        assertThat(trialAxis.getStandardTickUnits().getCeilingTickUnit(0.3).getSize()).isEqualTo(1.0);
    }

    @Test
    void aOneTrialStudyIsDrawnWithReadableAxes() {
        Study one = store.createOrLoadStudy(new StudyDefinition("one-trial", study.configYaml()
                .replace("report-study", "one-trial"), "{}", "test_accuracy", Direction.MAXIMIZE, 1, 1));
        double[] theta = new double[10];
        theta[0] = 0.01;
        Trial t = store.enqueue(one.id(), "{\"f0\": true, \"f2\": false, \"f9\": false,"
                + " \"meta_lr\": 0.001}", 1, new int[]{0}, theta);
        store.claim(one.id(), "w");
        store.finish(t.id(), "w", TrialOutcome.scored(TrialState.COMPLETE, 0.5)
                .withRule(theta, new double[]{1, 0, 0, 0, 0, 0, 0, 0, 0, 0})
                .withTest(0.5, 0.45, 0.55, 0.98, 10)
                .withRun(10, false, 1.0));
        var history = new StudyCharts(store, one).chart("history").getXYPlot();
        var y = history.getRangeAxis().getRange();
        assertThat(y.getLength()).as("not +-5e-9 around the value").isGreaterThanOrEqualTo(0.05);
        assertThat(y.contains(0.5)).isTrue();
        assertThat(history.getDomainAxis().getRange().getLength()).isGreaterThanOrEqualTo(2);
    }

    static int distinctColours(BufferedImage img) {
        Set<Integer> c = new java.util.HashSet<>();
        for (int y = 0; y < img.getHeight(); y += 3) {
            for (int x = 0; x < img.getWidth(); x += 3) {
                c.add(img.getRGB(x, y));
            }
        }
        return c.size();
    }

    @Test
    void theDashboardShowsAStudysTrialsAndRulesInAHeadlessBrowser(@TempDir Path dir) throws Exception {
        String chromium = Stream.of("/usr/bin/chromium", "/usr/bin/chromium-browser").filter(p -> Files.isExecutable(
                Path.of(p))).findFirst().orElseThrow(() -> new AssertionError("chromium is not installed; .ci/run"
                + " installs it (apt-get install -y chromium)"));
        RestApi api = new RestApi("127.0.0.1", 0);
        try (Workflow w = Workflow.builder(store, new Workflow.Settings(0, "dash", Duration.ofSeconds(1),
                Duration.ofSeconds(1), Duration.ofSeconds(30), 2)).with(api).build()) {
            w.start();
            String url = "http://127.0.0.1:" + api.port() + "/#study=report-study";
            Process p = new ProcessBuilder(chromium, "--headless", "--no-sandbox", "--disable-gpu",
                    "--disable-dev-shm-usage",
                    "--user-data-dir=" + dir.resolve("profile"), "--virtual-time-budget=10000", "--dump-dom", url)
                    .redirectError(dir.resolve("chromium.err").toFile()).start();
            String dom = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertThat(p.waitFor(90, TimeUnit.SECONDS)).isTrue();
            assertThat(dom).as(Files.readString(dir.resolve("chromium.err"))).contains("Study report-study");
            // the trials: one row per trial, with their states
            assertThat(count(dom, "<tr class=\"trial\"><td>")).isEqualTo(13); // rendered rows, not the script
            assertThat(dom).contains("state-FAILED").contains("divergence: diverged at episode 4");
            assertThat(dom).contains("13 of 13 trials").contains("placeholder=\"filter");
            // the running trial's intermediate values: its last report and a sparkline of them
            assertThat(dom).contains("episode 2: 0.375").contains("<svg class=\"spark\"");
            // plots are addressed by the study's version: fetched again only when something was stored
            String version = java.net.URLEncoder.encode(store.studyVersion(study.id()),
                    java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
            assertThat(dom).contains("/plots/curves?v=" + version + "\"");
            // the ranked rules: the best rule (F0+F2+F9) first, with its formula
            int rules = dom.indexOf("Learned rules");
            int first = dom.indexOf("<td>1</td>", rules);
            assertThat(first).isPositive();
            assertThat(dom.substring(first, dom.indexOf("</tr>", first))).contains("ΔW = ").contains("F2")
                    .contains("F9");
            // the plots are there (their <img> elements, served by the API)
            assertThat(dom).contains("/plots/history").contains("/plots/pareto");
        }
    }

    static int count(String s, String sub) {
        int n = 0;
        for (int i = s.indexOf(sub); i >= 0; i = s.indexOf(sub, i + 1)) {
            n++;
        }
        return n;
    }
}
