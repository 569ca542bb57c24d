package org.plasticitysearch.trainer.rule.terms;

import org.plasticitysearch.trainer.rule.Factor;
import org.plasticitysearch.trainer.rule.OuterProductTerm;

/** F4 = -1 eq^T (pre-error broadcast; paper Eqs 14-23). */
public final class PreErrorBroadcast extends OuterProductTerm {
    public PreErrorBroadcast() {
        super(4, "pre-error broadcast", "-1 eq^T", -1, Factor.Gain.ONE, Factor.Left.ONES, Factor.Right.PRE_ERROR);
    }
}
