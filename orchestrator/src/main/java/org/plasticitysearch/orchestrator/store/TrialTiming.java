package org.plasticitysearch.orchestrator.store;

/** A finished trial's claim-to-stored span and its trainer's wall time, in seconds. */
public record TrialTiming(int trial, double claimToStoredSeconds, double trainerSeconds) {
    public double overheadSeconds() {
        return claimToStoredSeconds - trainerSeconds;
    }
}
