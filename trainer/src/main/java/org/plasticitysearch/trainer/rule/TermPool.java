package org.plasticitysearch.trainer.rule;

import java.util.List;
import org.plasticitysearch.trainer.rule.terms.ActivityGatedPseudoGradient;
import org.plasticitysearch.trainer.rule.terms.DriveGatedPostPreError;
import org.plasticitysearch.trainer.rule.terms.ErrorHebbian;
import org.plasticitysearch.trainer.rule.terms.GatedPostPreError;
import org.plasticitysearch.trainer.rule.terms.GatedPseudoGradient;
import org.plasticitysearch.trainer.rule.terms.Oja;
import org.plasticitysearch.trainer.rule.terms.PostPreError;
import org.plasticitysearch.trainer.rule.terms.PreErrorBroadcast;
import org.plasticitysearch.trainer.rule.terms.PseudoGradient;
import org.plasticitysearch.trainer.rule.terms.WeightDecay;

/** The paper's pool F0..F9, indexed by r. */
public final class TermPool {
    public static final List<PlasticityTerm> TERMS = List.of(
            new PseudoGradient(), new PostPreError(), new ErrorHebbian(), new WeightDecay(), new PreErrorBroadcast(),
            new ActivityGatedPseudoGradient(), new GatedPostPreError(), new GatedPseudoGradient(),
            new DriveGatedPostPreError(), new Oja());

    /** Number of coefficients in theta (active or not). */
    public static final int SIZE = TERMS.size();

    static {
        for (int r = 0; r < SIZE; r++) {
            if (TERMS.get(r).index() != r) {
                throw new ExceptionInInitializerError("term pool out of order at " + r);
            }
        }
    }

    private TermPool() {
    }

    public static PlasticityTerm term(int r) {
        if (r < 0 || r >= SIZE) {
            throw new IllegalArgumentException("terms: index " + r + " is not allowed; use 0.." + (SIZE - 1));
        }
        return TERMS.get(r);
    }
}
