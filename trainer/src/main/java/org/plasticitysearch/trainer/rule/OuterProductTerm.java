package org.plasticitysearch.trainer.rule;

/** A term {@code F = sign * gain * left right^T}. */
public abstract class OuterProductTerm extends PlasticityTerm {
    private final double sign;
    private final Factor.Gain gain;
    private final Factor.Left left;
    private final Factor.Right right;

    protected OuterProductTerm(int index, String name, String formula,
                               double sign, Factor.Gain gain, Factor.Left left, Factor.Right right) {
        super(index, name, formula);
        this.sign = sign;
        this.gain = gain;
        this.left = left;
        this.right = right;
    }

    public double sign() {
        return sign;
    }

    public Factor.Gain gain() {
        return gain;
    }

    public Factor.Left left() {
        return left;
    }

    public Factor.Right right() {
        return right;
    }
}
