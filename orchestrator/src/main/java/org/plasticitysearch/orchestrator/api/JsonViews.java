package org.plasticitysearch.orchestrator.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.List;
import org.plasticitysearch.orchestrator.store.EpisodeMetric;
import org.plasticitysearch.orchestrator.store.RuleRow;
import org.plasticitysearch.orchestrator.store.StateCounts;
import org.plasticitysearch.orchestrator.store.Study;
import org.plasticitysearch.orchestrator.store.Trial;
import org.plasticitysearch.orchestrator.store.TrialStore;
import org.plasticitysearch.trainer.rule.Rule;

/** The JSON shapes of studies, trials, metrics and ranked rules: one definition for the REST API and exports. */
public final class JsonViews {
    public static final ObjectMapper JSON = new ObjectMapper();

    private JsonViews() {
    }

    public static ObjectNode study(TrialStore store, Study s) {
        StateCounts c = store.counts(s.id());
        ObjectNode n = JSON.createObjectNode().put("name", s.name()).put("status", s.status().name())
                .put("objective", s.objective()).put("direction", s.direction().label()).put("budget", s.budget())
                .put("parallelism", s.parallelism()).put("kind", s.kind().label());
        if (s.parentId() != null) {
            store.studies().stream().filter(p -> p.id() == s.parentId()).findFirst()
                    .ifPresent(p -> n.put("verifies", p.name()));
        }
        n.putObject("trials").put("queued", c.queued()).put("running", c.running()).put("complete", c.complete())
                .put("pruned", c.pruned()).put("failed", c.failed()).put("finished", c.finished());
        return n;
    }

    public static ObjectNode trial(Trial t) {
        ObjectNode n = JSON.createObjectNode().put("number", t.number()).put("state", t.state().name())
                .put("attempt", t.attempt()).put("seed", t.seed());
        n.put("value", t.value());
        n.set("params", parse(t.paramsJson()));
        n.put("worker", t.workerId());
        n.put("error", t.error());
        return n;
    }

    public static ArrayNode metrics(List<EpisodeMetric> metrics) {
        ArrayNode a = JSON.createArrayNode();
        for (EpisodeMetric m : metrics) {
            ObjectNode n = a.addObject().put("episode", m.episode());
            n.put("meta_loss", m.metaLoss());
            n.put("accuracy", m.accuracy());
            n.set("theta", doubles(m.theta()));
            n.set("alignment_deg", doubles(m.alignmentDeg()));
            n.set("ortho_error", doubles(m.orthoError()));
        }
        return a;
    }

    public static ArrayNode leaderboard(List<RuleRow> rows) {
        ArrayNode a = JSON.createArrayNode();
        int rank = 1;
        for (RuleRow r : rows) {
            ObjectNode n = a.addObject().put("rank", rank++).put("trial", r.trial()).put("state", r.state().name());
            ArrayNode terms = n.putArray("active_terms");
            for (int t : r.activeTerms()) {
                terms.add(t);
            }
            n.put("formula", r.theta() == null ? null : new Rule(r.activeTerms()).formula(r.theta()));
            n.set("theta", doubles(r.theta()));
            n.put("test_accuracy", r.testAccuracy());
            n.put("ci_low", r.ciLow());
            n.put("ci_high", r.ciHigh());
            n.put("value", r.value());
        }
        return a;
    }

    /** Rules grouped and ranked ({@link org.plasticitysearch.orchestrator.ranking.RuleRanking}). */
    public static ArrayNode rules(List<org.plasticitysearch.orchestrator.ranking.RankedRule> ranked) {
        ArrayNode a = JSON.createArrayNode();
        for (var r : ranked) {
            ObjectNode n = a.addObject().put("rank", r.rank());
            ArrayNode terms = n.putArray("active_terms");
            for (int t : r.activeTerms()) {
                terms.add(t);
            }
            n.put("formula", new Rule(r.activeTerms()).formula(r.theta()));
            n.put("effective_terms", org.plasticitysearch.orchestrator.ranking.RuleFormula.effectiveTerms(
                    r.effective(), r.meanShares()));
            n.put("complexity", r.complexity());
            n.put("accuracy", r.accuracy());
            n.put("ci_low", r.ciLow());
            n.put("ci_high", r.ciHigh());
            n.put("runs", r.n());
            n.put("best_trial", r.runs().get(0));
            n.put("pareto", r.pareto());
            n.put("overlaps_next", r.overlapsNext());
        }
        return a;
    }

    public static ObjectNode error(String message) {
        return JSON.createObjectNode().put("error", message);
    }

    private static JsonNode doubles(double[] v) {
        if (v == null) {
            return JSON.nullNode();
        }
        ArrayNode a = JSON.createArrayNode();
        for (double d : v) {
            if (Double.isFinite(d)) {
                a.add(d);
            } else {
                a.addNull();
            }
        }
        return a;
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            return JSON.getNodeFactory().textNode(json);
        }
    }
}
