package org.plasticitysearch.trainer.rule.terms;

import org.plasticitysearch.trainer.rule.Factor;
import org.plasticitysearch.trainer.rule.OuterProductTerm;

/** F7 = -(post^T W eq) ep pre^T (higher-order pseudo-gradient; paper Eqs 14-23). */
public final class GatedPseudoGradient extends OuterProductTerm {
    public GatedPseudoGradient() {
        super(7, "higher-order pseudo-gradient", "-(post^T W eq) ep pre^T", -1, Factor.Gain.POST_W_PRE_ERROR, Factor.Left.POST_ERROR, Factor.Right.PRE);
    }
}
