package org.plasticitysearch.trainer.rule.terms;

import org.plasticitysearch.trainer.rule.Factor;
import org.plasticitysearch.trainer.rule.OuterProductTerm;

/** F2 = -ep eq^T (eHebb; paper Eqs 14-23). */
public final class ErrorHebbian extends OuterProductTerm {
    public ErrorHebbian() {
        super(2, "eHebb", "-ep eq^T", -1, Factor.Gain.ONE, Factor.Left.POST_ERROR, Factor.Right.PRE_ERROR);
    }
}
