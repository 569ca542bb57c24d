package org.plasticitysearch.orchestrator.store;

import java.util.Locale;

/** A search (its sampler proposes the trials) or the verification of another study's best rules. */
public enum StudyKind {
    SEARCH, VERIFICATION;

    /** As the database stores it: "search" or "verification". */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static StudyKind of(String label) {
        return valueOf(label.toUpperCase(Locale.ROOT));
    }
}
