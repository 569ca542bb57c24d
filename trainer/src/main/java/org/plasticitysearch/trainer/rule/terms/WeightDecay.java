package org.plasticitysearch.trainer.rule.terms;

import org.plasticitysearch.trainer.rule.WeightProportionalTerm;

/** F3 = -W (weight decay). */
public final class WeightDecay extends WeightProportionalTerm {
    public WeightDecay() {
        super(3, "weight decay", "-W", -1);
    }
}
