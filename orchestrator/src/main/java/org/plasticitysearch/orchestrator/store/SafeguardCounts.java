package org.plasticitysearch.orchestrator.store;

/**
 * What the meta-training safeguards did in a whole run: episodes clipped, rejected and trust-limited, and the
 * settings they ran with (the trainer's JSON object, null when not reported).
 */
public record SafeguardCounts(int clipped, int rejected, int limited, String settingsJson) {
}
