package org.plasticitysearch.orchestrator.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.plasticitysearch.orchestrator.ranking.RankedRule;
import org.plasticitysearch.orchestrator.ranking.RuleFormula;
import org.plasticitysearch.orchestrator.store.StateCounts;
import org.plasticitysearch.orchestrator.store.Study;
import org.plasticitysearch.orchestrator.store.TrialStore;

/**
 * {@code plasticity report NAME --out DIR}: {@code DIR/index.html} and the PNG plots it shows, nothing else: the
 * page references only files written next to it and opens offline.
 */
public final class HtmlReport {
    private static final java.util.Map<String, String> CAPTIONS = java.util.Map.of(
            "history", "Each COMPLETE trial's objective, and the best so far.",
            "pareto", "Each rule's mean meta-test accuracy against its complexity; the line joins the Pareto front.",
            "importance", "How much each searched parameter explains the objective (random forest on the COMPLETE"
                    + " trials; drawn from 5 of them on).",
            "curves", "Query accuracy during meta-training (the paper's Fig. 4): each run smoothed over 5 reports,"
                    + " the line is the mean over a rule's runs and the band its 98% bootstrap interval; dashed: the"
                    + " feedback-alignment baseline (F0 alone) when this study or its verification has it.",
            "loss", "Meta-loss (cross-entropy on the query set) during meta-training, drawn like the accuracy.",
            "theta1", "The best rule's coefficients, episode by episode, averaged over its runs.",
            "theta2", "The second rule's coefficients, averaged over its runs.",
            "theta3", "The third rule's coefficients, averaged over its runs.",
            "alignment", "The best run's alignment angles: FA error against the BP error, per hidden layer.",
            "orthonormality", "The best run's orthonormality error E_W per layer (paper Eq. 11: zero when the"
                    + " layer's rows are orthonormal), on a log axis; in the paper, rules with Oja's term F9 keep it"
                    + " lower than rules without. Compare the runs, not the absolute level.");

    private HtmlReport() {
    }

    /** Why a plot is not drawn (yet). */
    private static final Map<String, String> NOT_YET = Map.of("history", "needs a COMPLETE trial",
            "pareto", "needs a COMPLETE trial", "importance", "needs 5 COMPLETE trials and a searched parameter",
            "curves", "needs a COMPLETE trial with reported episodes", "loss", "needs a COMPLETE trial with reported"
                    + " episodes", "theta1", "needs a COMPLETE rule", "theta2", "needs a second rule",
            "theta3", "needs a third rule", "alignment", "needs reported alignment angles",
            "orthonormality", "needs reported E_W");

    /** The page; every {{value}} is HTML-escaped (the five characters that matter, so text stays readable). */
    private static final com.github.mustachejava.Mustache TEMPLATE = new com.github.mustachejava.DefaultMustacheFactory() {
        @Override
        public void encode(String value, java.io.Writer writer) {
            try {
                writer.write(esc(value));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }.compile("report/index.mustache");

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;")
                .replace("'", "&#39;");
    }

    /** Writes the report; returns the files written. */
    public static List<Path> write(TrialStore store, Study study, Path dir) throws IOException {
        Files.createDirectories(dir);
        StudyCharts charts = new StudyCharts(store, study);
        List<Path> written = new ArrayList<>();
        List<Map<String, Object>> figures = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (String name : StudyCharts.NAMES) {
            byte[] png = charts.png(name);
            if (png == null) {
                missing.add(name + " (" + NOT_YET.get(name) + ")");
                continue;
            }
            Path file = dir.resolve(name + ".png");
            Files.write(file, png);
            written.add(file);
            figures.add(Map.of("file", name + ".png", "name", name, "width", StudyCharts.WIDTH,
                    "caption", CAPTIONS.get(name)));
        }
        StateCounts c = store.counts(study.id());
        Map<String, Object> model = new HashMap<>();
        model.put("name", study.name());
        model.put("status", study.status());
        model.put("budget", study.budget());
        model.put("complete", c.complete());
        model.put("pruned", c.pruned());
        model.put("failed", c.failed());
        model.put("running", c.running());
        model.put("queued", c.queued());
        model.put("written", Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
        List<Map<String, Object>> rules = rules(charts.ranked());
        model.put("rules", rules);
        model.put("hasRules", !rules.isEmpty());
        failures(store, study, c, model);
        model.put("figures", figures);
        model.put("notDrawn", missing.isEmpty() ? null : String.join(", ", missing));
        model.put("configYaml", study.configYaml());
        Path index = dir.resolve("index.html");
        try (java.io.Writer w = Files.newBufferedWriter(index, java.nio.charset.StandardCharsets.UTF_8)) {
            TEMPLATE.execute(w, model);
        }
        written.add(0, index);
        return written;
    }

    static List<Map<String, Object>> rules(List<RankedRule> ranked) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (RankedRule r : ranked) {
            Map<String, Object> m = new HashMap<>();
            m.put("rank", r.rank());
            m.put("accuracy", String.format(Locale.ROOT, "%.3f [%.3f, %.3f]", r.accuracy(), r.ciLow(), r.ciHigh()));
            m.put("runs", r.n());
            m.put("complexity", r.complexity());
            m.put("effective", RuleFormula.effectiveTerms(r.effective(), r.meanShares()));
            m.put("named", RuleFormula.named(r.activeTerms(), r.theta()));
            m.put("formula", RuleFormula.formula(r.activeTerms(), r.theta()));
            m.put("bestTrial", r.runs().get(0));
            m.put("pareto", r.pareto());
            m.put("overlaps", r.overlapsNext());
            rows.add(m);
        }
        return rows;
    }

    /** The failed trials with their reasons, most common reasons first. */
    static void failures(TrialStore store, Study study, StateCounts c, Map<String, Object> model) {
        model.put("hasFailures", c.failed() > 0);
        if (c.failed() == 0) {
            return;
        }
        var table = new org.plasticitysearch.orchestrator.store.TrialTable(store.dataSource());
        model.put("reasons", table.failureReasons(study.id(), 5).stream()
                .map(r -> Map.of("trials", r.trials(), "error", r.error())).toList());
        model.put("failedTrials", table.rows(study.id()).stream()
                .filter(t -> t.state() == org.plasticitysearch.search.TrialState.FAILED)
                .map(t -> Map.of("number", t.number(), "attempts", t.attempts(), "params", String.valueOf(t.params()),
                        "error", String.valueOf(t.error()))).toList());
    }
}
