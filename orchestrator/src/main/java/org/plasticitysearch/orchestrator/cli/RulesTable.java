package org.plasticitysearch.orchestrator.cli;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.plasticitysearch.orchestrator.store.Records;
import org.plasticitysearch.orchestrator.store.TrialStore;
import org.plasticitysearch.trainer.rule.Rule;

/** The learned rules of a study, ranked, as formulas. */
final class RulesTable {
    private RulesTable() {
    }

    static void print(TrialStore store, Records.Study study, int limit, PrintStream out) {
        List<Records.RuleRow> rows = store.leaderboard(study.id(), !study.direction().equals("minimize"), limit);
        if (rows.isEmpty()) {
            out.println("no finished trials yet");
            return;
        }
        out.printf("%-4s %-6s %-9s %-24s %-22s %s%n", "rank", "trial", "state", "meta-test accuracy [CI]", "terms",
                "learned rule");
        int rank = 1;
        for (Records.RuleRow r : rows) {
            String acc = r.testAccuracy() == null ? "-" : String.format(Locale.ROOT, "%.3f [%.3f, %.3f]",
                    r.testAccuracy(), nz(r.ciLow()), nz(r.ciHigh()));
            String formula = r.theta() == null ? "-" : new Rule(r.activeTerms()).formula(r.theta());
            out.printf(Locale.ROOT, "%-4d %-6d %-9s %-24s %-22s %s%n", rank++, r.trial(), r.state(), acc,
                    Arrays.toString(r.activeTerms()), formula);
        }
    }

    private static double nz(Double d) {
        return d == null ? Double.NaN : d;
    }
}
