package org.plasticitysearch.trainer.rule.terms;

import org.plasticitysearch.trainer.rule.Factor;
import org.plasticitysearch.trainer.rule.OuterProductTerm;

/** F6 = -(post^T W eq) post eq^T (higher-order post-by-pre-error; paper Eqs 14-23). */
public final class GatedPostPreError extends OuterProductTerm {
    public GatedPostPreError() {
        super(6, "higher-order post-by-pre-error", "-(post^T W eq) post eq^T", -1, Factor.Gain.POST_W_PRE_ERROR, Factor.Left.POST, Factor.Right.PRE_ERROR);
    }
}
