package org.plasticitysearch.trainer.episode;

import java.util.Locale;

/** Which matrix carries errors backwards (PLASTICITY.md, "Errors"). */
public enum Feedback {
    /** Feedback alignment: fixed random B, drawn fresh each episode. */
    FA,
    /** Backprop: the current forward weights W. */
    BP;

    public static Feedback parse(String s) {
        switch (s.toLowerCase(Locale.ROOT)) {
            case "fa": return FA;
            case "bp": return BP;
            default: throw new IllegalArgumentException("feedback: '" + s + "' is not allowed; use fa or bp");
        }
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
