package org.plasticitysearch.orchestrator.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.plasticitysearch.orchestrator.ranking.RankedRule;
import org.plasticitysearch.orchestrator.ranking.RuleFormula;
import org.plasticitysearch.orchestrator.store.Records;
import org.plasticitysearch.orchestrator.store.TrialStore;

/**
 * {@code plasticity report NAME --out DIR}: {@code DIR/index.html} and the PNG plots it shows, nothing else: the
 * page references only files written next to it and opens offline.
 */
public final class HtmlReport {
    private static final java.util.Map<String, String> CAPTIONS = java.util.Map.of(
            "history", "Each COMPLETE trial's objective, and the best so far.",
            "pareto", "Each rule's mean meta-test accuracy against its complexity; the line joins the Pareto front.",
            "importance", "How much each searched parameter explains the objective (random forest on the finished"
                    + " trials).",
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

    /** Writes the report; returns the files written. */
    public static List<Path> write(TrialStore store, Records.Study study, Path dir) throws IOException {
        Files.createDirectories(dir);
        StudyCharts charts = new StudyCharts(store, study);
        List<Path> written = new ArrayList<>();
        StringBuilder figures = new StringBuilder();
        for (int i = 0; i < StudyCharts.NAMES.size(); i++) {
            String name = StudyCharts.NAMES.get(i);
            byte[] png = charts.png(name);
            if (png == null) {
                continue;
            }
            Path file = dir.resolve(name + ".png");
            Files.write(file, png);
            written.add(file);
            figures.append("<figure><img src=\"").append(name).append(".png\" alt=\"").append(name)
                    .append("\" width=\"").append(StudyCharts.WIDTH).append("\"><figcaption>")
                    .append(esc(CAPTIONS.get(name))).append("</figcaption></figure>\n");
        }
        Records.StateCounts c = store.counts(study.id());
        StringBuilder html = new StringBuilder();
        html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>")
                .append(esc(study.name())).append(" — plasticity-search report</title>\n<style>")
                .append("body{font-family:system-ui,sans-serif;margin:2em;max-width:1100px;color:#222}")
                .append("table{border-collapse:collapse;font-size:14px}td,th{padding:4px 8px;border-bottom:1px solid #ddd;")
                .append("text-align:left}th{background:#f4f4f4}code{font-size:13px}figure{margin:1.5em 0}")
                .append("figcaption{color:#555;font-size:14px}.pareto{font-weight:bold;color:#d62728}</style></head>\n<body>\n")
                .append("<h1>Study ").append(esc(study.name())).append("</h1>\n<p>Status ").append(esc(study.status()))
                .append(" · budget ").append(study.budget()).append(" · complete ").append(c.complete())
                .append(" · pruned ").append(c.pruned()).append(" · failed ").append(c.failed())
                .append(" · running ").append(c.running()).append(" · queued ").append(c.queued())
                .append(" · written ").append(Instant.now()).append("</p>\n");
        html.append("<h2>Learned rules</h2>\n");
        html.append(rulesTable(charts.ranked()));
        html.append("<p>Rules are the sets of active terms; accuracy is the mean meta-test accuracy of a rule's"
                + " COMPLETE runs with a 98% bootstrap interval (500 resamples; a single run shows its interval over"
                + " meta-test tasks). A term is effective when its share of the weight update is at least 5%;"
                + " complexity counts them. <span class=\"pareto\">P</span>: on the Pareto front of accuracy"
                + " against complexity; ≈: the interval overlaps the next rule's.</p>\n");
        html.append(failures(store, study, c));
        html.append("<h2>Plots</h2>\n").append(figures);
        html.append("<h2>Study config</h2>\n<pre>").append(esc(study.configYaml())).append("</pre>\n</body></html>\n");
        Path index = dir.resolve("index.html");
        Files.writeString(index, html);
        written.add(0, index);
        return written;
    }

    /** The failed trials with their reasons, most common reasons first (nothing when none failed). */
    static String failures(TrialStore store, Records.Study study, Records.StateCounts c) {
        if (c.failed() == 0) {
            return "";
        }
        var table = new org.plasticitysearch.orchestrator.store.TrialTable(store.dataSource());
        StringBuilder h = new StringBuilder("<h2>Failed trials</h2>\n<p>").append(c.failed())
                .append(" trial(s) failed. Most common reasons:</p>\n<table><tr><th>trials</th><th>reason</th></tr>\n");
        for (var r : table.failureReasons(study.id(), 5)) {
            h.append("<tr><td>").append(r.trials()).append("</td><td>").append(esc(r.error())).append("</td></tr>\n");
        }
        h.append("</table>\n<table><tr><th>trial</th><th>attempts</th><th>params</th><th>error</th></tr>\n");
        for (var t : table.rows(study.id())) {
            if (t.state() == org.plasticitysearch.orchestrator.store.TrialState.FAILED) {
                h.append("<tr><td>").append(t.number()).append("</td><td>").append(t.attempts()).append("</td><td><code>")
                        .append(esc(String.valueOf(t.params()))).append("</code></td><td>")
                        .append(esc(String.valueOf(t.error()))).append("</td></tr>\n");
            }
        }
        return h.append("</table>\n").toString();
    }

    static String rulesTable(List<RankedRule> ranked) {
        if (ranked.isEmpty()) {
            return "<p>No COMPLETE trial yet.</p>\n";
        }
        StringBuilder t = new StringBuilder("<table><tr><th>rank</th><th>accuracy [98% CI]</th><th>runs</th>"
                + "<th>complexity</th><th>effective terms (share)</th><th>learned rule (best run)</th>"
                + "<th>best trial</th><th></th></tr>\n");
        for (RankedRule r : ranked) {
            t.append("<tr><td>").append(r.rank()).append("</td><td>")
                    .append(String.format(Locale.ROOT, "%.3f [%.3f, %.3f]", r.accuracy(), r.ciLow(), r.ciHigh()))
                    .append("</td><td>").append(r.n()).append("</td><td>").append(r.complexity()).append("</td><td>")
                    .append(esc(RuleFormula.effectiveTerms(r.effective(), r.meanShares()))).append("</td><td><code title=\"")
                    .append(esc(RuleFormula.named(r.activeTerms(), r.theta()))).append("\">")
                    .append(esc(RuleFormula.formula(r.activeTerms(), r.theta()))).append("</code></td><td>")
                    .append(r.runs().get(0)).append("</td><td>")
                    .append(r.pareto() ? "<span class=\"pareto\">P</span>" : "").append(r.overlapsNext() ? " ≈" : "")
                    .append("</td></tr>\n");
        }
        return t.append("</table>\n").toString();
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

}
