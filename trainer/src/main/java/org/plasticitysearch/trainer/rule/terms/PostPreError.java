package org.plasticitysearch.trainer.rule.terms;

import org.plasticitysearch.trainer.rule.Factor;
import org.plasticitysearch.trainer.rule.OuterProductTerm;

/** F1 = -post eq^T (post-by-pre-error; paper Eqs 14-23). */
public final class PostPreError extends OuterProductTerm {
    public PostPreError() {
        super(1, "post-by-pre-error", "-post eq^T", -1, Factor.Gain.ONE, Factor.Left.POST, Factor.Right.PRE_ERROR);
    }
}
