package org.plasticitysearch.orchestrator.cli;

import org.plasticitysearch.search.Direction;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import org.plasticitysearch.orchestrator.ranking.RankedRule;
import org.plasticitysearch.orchestrator.ranking.RuleFormula;
import org.plasticitysearch.orchestrator.ranking.RuleRanking;
import org.plasticitysearch.orchestrator.store.RuleRow;
import org.plasticitysearch.orchestrator.store.StateCounts;
import org.plasticitysearch.orchestrator.store.Study;
import org.plasticitysearch.orchestrator.store.TrialStore;

/** The learned rules of a study, grouped by rule and ranked (see {@link RuleRanking}), as formulas. */
final class RulesTable {
    private RulesTable() {
    }

    static void print(TrialStore store, Study study, int limit, PrintStream out) {
        print(store, study, limit, RuleRanking.DEFAULT_THRESHOLD, out);
    }

    static List<RankedRule> ranked(TrialStore store, Study study, double threshold) {
        return RuleRanking.rank(store.leaderboard(study.id(), study.direction() == Direction.MAXIMIZE,
                Integer.MAX_VALUE), threshold);
    }

    /** Every rule with every number, for programs (--format csv|json). */
    static TableOutput tidy(List<RankedRule> ranked) {
        List<String> columns = new java.util.ArrayList<>(List.of("rank", "accuracy", "ci_low", "ci_high", "runs",
                "complexity", "pareto", "overlaps_next", "best_trial", "active_terms", "effective_terms"));
        for (String prefix : List.of("theta_F", "share_F")) {
            for (int r = 0; r < org.plasticitysearch.trainer.rule.TermPool.SIZE; r++) {
                columns.add(prefix + r);
            }
        }
        columns.add("formula");
        TableOutput t = new TableOutput(columns);
        for (RankedRule r : ranked) {
            List<Object> v = new java.util.ArrayList<>(List.of(r.rank(), r.accuracy(), r.ciLow(), r.ciHigh(), r.n(),
                    r.complexity(), r.pareto(), r.overlapsNext(), r.runs().get(0), terms(r.activeTerms()),
                    terms(r.effective())));
            for (double[] a : new double[][]{r.theta(), r.meanShares()}) {
                for (int i = 0; i < org.plasticitysearch.trainer.rule.TermPool.SIZE; i++) {
                    v.add(a == null ? null : a[i]);
                }
            }
            v.add(RuleFormula.formula(r.activeTerms(), r.theta()));
            t.row(v);
        }
        return t;
    }

    private static String terms(int[] terms) {
        return java.util.Arrays.stream(terms).mapToObj(i -> "F" + i).collect(java.util.stream.Collectors.joining(" "));
    }

    static void print(TrialStore store, Study study, int limit, double threshold, PrintStream out) {
        List<RuleRow> rows = store.leaderboard(study.id(), study.direction() == Direction.MAXIMIZE,
                Integer.MAX_VALUE);
        List<RankedRule> ranked = RuleRanking.rank(rows, threshold);
        if (ranked.isEmpty()) {
            StateCounts c = store.counts(study.id());
            out.println(c.finished() == 0 ? "no finished trials yet"
                    : "no COMPLETE trial: " + c.pruned() + " pruned, " + c.failed() + " failed" + (c.failed() > 0
                    ? " (why: plasticity results trials " + study.name() + " --state FAILED)" : ""));
            return;
        }
        TableOutput t = new TableOutput(List.of("rank", "meta-test accuracy [98% CI]", "n", "cplx", "best",
                "effective terms (update share)", "learned rule (best run)"));
        for (RankedRule r : ranked.subList(0, Math.min(limit, ranked.size()))) {
            t.row(List.of(r.rank(), String.format(Locale.ROOT, "%.3f [%.3f, %.3f]%s%s", r.accuracy(), r.ciLow(),
                    r.ciHigh(), r.pareto() ? " *" : "", r.overlapsNext() ? " ≈" : ""), r.n(), r.complexity(),
                    r.runs().get(0), RuleFormula.effectiveTerms(r.effective(), r.meanShares()),
                    RuleFormula.formula(r.activeTerms(), r.theta())));
        }
        t.write(TableOutput.Format.table, out);
        out.printf(Locale.ROOT, "%n* on the Pareto front of accuracy against complexity (effective terms: update"
                + " share >= %.0f%%); ≈ interval overlaps the next rule's. %d rule(s) from %d finished trial(s).%n",
                100 * threshold, ranked.size(), rows.size());
    }
}
