package org.plasticitysearch.trainer.meta;

import java.util.Locale;

/**
 * Per-term preconditioning of Adam's step (docs/DESIGN-stability.md). Adam moves every coordinate by about the learning
 * rate whatever its gradient's scale, so a term whose unweighted update ||F_r|| is 20x that of the
 * pseudo-gradient F0 changes the weight update 20x as fast when its theta moves by the same amount.
 */
public enum TermScaling {
    /** Adam's step as in the paper: the same learning rate for every coefficient. */
    NONE,
    /** Term r's step is multiplied by min(1, ||F_ref|| / ||F_r||) ({@link TermNorms#stepScale()}). */
    NORM;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static TermScaling parse(String s) {
        for (TermScaling t : values()) {
            if (t.label().equals(s)) {
                return t;
            }
        }
        throw new IllegalArgumentException("term_scaling: '" + s + "' is not allowed; use none or norm");
    }
}
