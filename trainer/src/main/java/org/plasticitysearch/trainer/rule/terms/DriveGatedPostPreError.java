package org.plasticitysearch.trainer.rule.terms;

import org.plasticitysearch.trainer.rule.Factor;
import org.plasticitysearch.trainer.rule.OuterProductTerm;

/** F8 = -(pre^T W^T ep) post eq^T (drive-gated post-by-pre-error; paper Eqs 14-23). */
public final class DriveGatedPostPreError extends OuterProductTerm {
    public DriveGatedPostPreError() {
        super(8, "drive-gated post-by-pre-error", "-(pre^T W^T ep) post eq^T", -1, Factor.Gain.Z_DOT_POST_ERROR, Factor.Left.POST, Factor.Right.PRE_ERROR);
    }
}
