package org.plasticitysearch.trainer.rule.terms;

import org.plasticitysearch.trainer.rule.Factor;
import org.plasticitysearch.trainer.rule.OuterProductTerm;

/** F5 = -(1^T post) ep pre^T (activity-gated pseudo-gradient; paper Eqs 14-23). */
public final class ActivityGatedPseudoGradient extends OuterProductTerm {
    public ActivityGatedPseudoGradient() {
        super(5, "activity-gated pseudo-gradient", "-(1^T post) ep pre^T", -1, Factor.Gain.POST_SUM, Factor.Left.POST_ERROR, Factor.Right.PRE);
    }
}
