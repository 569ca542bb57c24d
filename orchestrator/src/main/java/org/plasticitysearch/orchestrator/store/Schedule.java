package org.plasticitysearch.orchestrator.store;

/** A cron schedule that launches the study of its config; times are UTC instants (null: never fired). */
public record Schedule(long id, String cron, String configYaml, boolean enabled, java.time.Instant createdAt,
                       java.time.Instant lastFiredAt) {
}
