package org.plasticitysearch.search;

import java.util.Locale;

/** Whether the objective is to be minimised or maximised. */
public enum Direction {
    MINIMIZE, MAXIMIZE;

    /** +1 for minimise, -1 for maximise: multiplying by it turns every objective into a loss. */
    public double sign() {
        return this == MINIMIZE ? 1.0 : -1.0;
    }

    /** As configs, the database and Optuna spell it: "minimize" or "maximize". */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The direction a label names; IllegalArgumentException for any other text. */
    public static Direction of(String label) {
        for (Direction d : values()) {
            if (d.label().equals(label)) {
                return d;
            }
        }
        throw new IllegalArgumentException("direction: '" + label + "' is not allowed; use maximize or minimize");
    }
}
