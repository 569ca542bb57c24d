package org.plasticitysearch.orchestrator.store;

/** One launch by a schedule: the fire time Quartz planned, the orchestrator that ran it, the study it started. */
public record ScheduleFire(Long scheduleId, java.time.Instant scheduledAt, java.time.Instant firedAt,
                           String instance, String study) {
}
