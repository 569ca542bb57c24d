package org.plasticitysearch.trainer.rule.terms;

import org.plasticitysearch.trainer.rule.Factor;
import org.plasticitysearch.trainer.rule.OuterProductTerm;

/** F9 = +post (pre - W^T post)^T (Oja; paper Eqs 14-23). */
public final class Oja extends OuterProductTerm {
    public Oja() {
        super(9, "Oja", "+post (pre - W^T post)^T", 1, Factor.Gain.ONE, Factor.Left.POST, Factor.Right.OJA_RESIDUAL);
    }
}
