package org.plasticitysearch.trainer.rule;

/**
 * One term F_r of the plasticity pool (paper Eqs 14-23, restated in docs/PLASTICITY.md).
 *
 * <p>Every term of the pool is either a scaled outer product {@code sign * gain * left right^T} of per-layer
 * vectors ({@link OuterProductTerm}), or a multiple of the weights themselves ({@link WeightProportionalTerm}).
 * Declaring terms in this factored form lets the engine collapse any active subset into one rank-3 update
 * (left factors are only ep, post and 1) and differentiate all of them with one generic adjoint.
 * A new term is one subclass naming its factors, plus its test.
 */
public abstract class PlasticityTerm {
    private final int index;
    private final String name;
    private final String formula;

    protected PlasticityTerm(int index, String name, String formula) {
        this.index = index;
        this.name = name;
        this.formula = formula;
    }

    /** r in F_r, 0..9 for the paper's pool. */
    public int index() {
        return index;
    }

    /** Short name from the paper, e.g. "pseudo-gradient". */
    public String name() {
        return name;
    }

    /** The term as written in PLASTICITY.md, e.g. "-ep pre^T". */
    public String formula() {
        return formula;
    }

    /** "F0", "F1", ... */
    public String symbol() {
        return "F" + index;
    }

    @Override
    public String toString() {
        return symbol() + " " + formula;
    }
}
