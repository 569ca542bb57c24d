package org.plasticitysearch.trainer.rule.terms;

import org.plasticitysearch.trainer.rule.Factor;
import org.plasticitysearch.trainer.rule.OuterProductTerm;

/** F0 = -ep pre^T (pseudo-gradient; paper Eqs 14-23). */
public final class PseudoGradient extends OuterProductTerm {
    public PseudoGradient() {
        super(0, "pseudo-gradient", "-ep pre^T", -1, Factor.Gain.ONE, Factor.Left.POST_ERROR, Factor.Right.PRE);
    }
}
