package org.plasticitysearch.orchestrator.ranking;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.plasticitysearch.trainer.rule.PlasticityTerm;
import org.plasticitysearch.trainer.rule.Rule;
import org.plasticitysearch.trainer.rule.TermPool;

/** A learned rule in words: the formula with F-symbols, and its effective terms with the paper's names. */
public final class RuleFormula {
    private RuleFormula() {
    }

    /** {@code ΔW = 0.0201·F0 − 0.0364·F2 + 0.0105·F9}. */
    public static String formula(int[] activeTerms, double[] theta) {
        return new Rule(activeTerms).formula(theta);
    }

    /** The formula with the paper's names: {@code ΔW = 0.0201·[pseudo-gradient] − 0.0364·[eHebb] + 0.0105·[Oja]}. */
    public static String named(int[] activeTerms, double[] theta) {
        String f = formula(activeTerms, theta);
        for (int r : activeTerms) {
            f = f.replace("·F" + r, "·[" + name(r) + "]");
        }
        return f;
    }

    /** The paper's name of term r, e.g. "eHebb". */
    public static String name(int r) {
        return term(r).name();
    }

    /** {@code pseudo-gradient 61%, eHebb 30%, Oja 9%} (effective terms, by share). */
    public static String effectiveTerms(int[] effective, double[] shares) {
        List<String> parts = new ArrayList<>();
        for (int r : effective) {
            parts.add(shares == null ? name(r) : String.format(Locale.ROOT, "%s %.0f%%", name(r), 100 * shares[r]));
        }
        return String.join(", ", parts);
    }

    private static PlasticityTerm term(int r) {
        if (r < 0 || r >= TermPool.SIZE) {
            throw new IllegalArgumentException("term: " + r + " is not allowed; use 0.." + (TermPool.SIZE - 1));
        }
        return TermPool.term(r);
    }
}
