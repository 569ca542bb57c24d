package org.plasticitysearch.trainer.rule;

/** A term {@code F = sign * W}. */
public abstract class WeightProportionalTerm extends PlasticityTerm {
    private final double sign;

    protected WeightProportionalTerm(int index, String name, String formula, double sign) {
        super(index, name, formula);
        this.sign = sign;
    }

    public double sign() {
        return sign;
    }
}
