package org.plasticitysearch.orchestrator.store;

import org.plasticitysearch.search.Direction;
import org.plasticitysearch.search.TrialState;
import java.util.List;

/** The value types of the store API. */
public final class Records {
    private Records() {
    }

    /** What defines a study when it is created (a study of the same name is loaded instead). */
    public record StudyDefinition(String name, String configYaml, String configJson, String objective,
                                  Direction direction, int budget, int parallelism) {
    }

    /** A study; parentId is, for a verification study, the study whose rules it verifies. */
    public record Study(long id, String name, String objective, Direction direction, int budget, int parallelism,
                        StudyStatus status, String configYaml, String configJson, StudyKind kind, Long parentId) {
    }

    /** A trial row; value is the objective of a finished trial (null otherwise). */
    public record Trial(long id, long studyId, int number, TrialState state, String paramsJson, long seed,
                        int attempt, String workerId, String error, Double value) {
    }

    /**
     * One reported episode of a running trial; gradNorm is the raw meta-gradient's norm, clipped and rejected the
     * run's safeguard counts so far (limited: steps the trust region scaled down), wasRejected whether this episode
     * itself was rejected (its accuracy is then not the rule's) (null when the trainer did not report them).
     */
    public record EpisodeMetric(int episode, Double metaLoss, Double accuracy, double[] theta, double[] alignmentDeg,
                                double[] orthoError, Double gradNorm, Integer clipped, Integer rejected,
                                Integer limited, Boolean wasRejected) {
        public EpisodeMetric(int episode, Double metaLoss, Double accuracy, double[] theta, double[] alignmentDeg,
                             double[] orthoError) {
            this(episode, metaLoss, accuracy, theta, alignmentDeg, orthoError, null, null, null, null, null);
        }
    }

    /**
     * What the meta-training safeguards did in a whole run: episodes clipped, rejected and trust-limited, and the
     * settings they ran with (the trainer's JSON object, null when not reported).
     */
    public record SafeguardCounts(int clipped, int rejected, int limited, String settingsJson) {
    }

    /**
     * How a trial ended. thetaFinal has 10 entries (or is null when the trial produced no rule); termShares, when
     * measured, has each term's share of the learned rule's weight update (10 entries summing to 1); safeguards, when
     * reported, what the meta-training safeguards did. Built from {@link #scored} or {@link #failed} and the
     * {@code with...} steps, so no caller counts fourteen positional arguments.
     */
    public record TrialOutcome(TrialState state, Double value, double[] thetaFinal, Double testAccuracy,
                               Double ciLow, Double ciHigh, Double ciLevel, Integer evalTasks,
                               Integer episodesCompleted, boolean partial, Double wallSeconds, String error,
                               double[] termShares, SafeguardCounts safeguards) {
        /** A COMPLETE or PRUNED trial with its objective value; the rest is added by the with... steps. */
        public static TrialOutcome scored(TrialState state, Double value) {
            return new TrialOutcome(state, value, null, null, null, null, null, null, null, false, null, null, null,
                    null);
        }

        public static TrialOutcome failed(String error) {
            return new TrialOutcome(TrialState.FAILED, null, null, null, null, null, null, null, null, false, null,
                    error, null, null);
        }

        /** The learned coefficients and each term's share of the weight update (either may be null). */
        public TrialOutcome withRule(double[] theta, double[] shares) {
            return new TrialOutcome(state, value, theta, testAccuracy, ciLow, ciHigh, ciLevel, evalTasks,
                    episodesCompleted, partial, wallSeconds, error, shares, safeguards);
        }

        /** The meta-test: mean accuracy over {@code tasks} tasks and its bootstrap interval at {@code level}. */
        public TrialOutcome withTest(Double accuracy, Double low, Double high, Double level, Integer tasks) {
            return new TrialOutcome(state, value, thetaFinal, accuracy, low, high, level, tasks, episodesCompleted,
                    partial, wallSeconds, error, termShares, safeguards);
        }

        /** How far the run went: episodes completed, whether it stopped early, the trainer's wall time. */
        public TrialOutcome withRun(Integer episodes, boolean stoppedEarly, Double wall) {
            return new TrialOutcome(state, value, thetaFinal, testAccuracy, ciLow, ciHigh, ciLevel, evalTasks,
                    episodes, stoppedEarly, wall, error, termShares, safeguards);
        }

        public TrialOutcome withSafeguards(SafeguardCounts counts) {
            return new TrialOutcome(state, value, thetaFinal, testAccuracy, ciLow, ciHigh, ciLevel, evalTasks,
                    episodesCompleted, partial, wallSeconds, error, termShares, counts);
        }
    }

    /** Trials of a study by state. */
    public record StateCounts(int queued, int running, int complete, int pruned, int failed) {
        /** What the global budget counts: every finished trial. */
        public int finished() {
            return complete + pruned + failed;
        }
    }

    /** What the reaper did. */
    public record ReapResult(List<Long> requeued, List<Long> failed) {
    }

    /**
     * A finished trial's learned rule and its score, as ranked; updateShare[r] is term r's share of the rule's weight
     * update (NaN entries, or null, when not measured).
     */
    public record RuleRow(int trial, TrialState state, int[] activeTerms, double[] theta, Double testAccuracy,
                          Double ciLow, Double ciHigh, Double value, double[] updateShare) {
    }

    /** A cron schedule that launches the study of its config; times are UTC instants (null: never fired). */
    public record Schedule(long id, String cron, String configYaml, boolean enabled, java.time.Instant createdAt,
                           java.time.Instant lastFiredAt) {
    }

    /** One launch by a schedule: the fire time Quartz planned, the orchestrator that ran it, the study it started. */
    public record ScheduleFire(Long scheduleId, java.time.Instant scheduledAt, java.time.Instant firedAt,
                               String instance, String study) {
    }

    /** A finished trial's claim-to-stored span and its trainer's wall time, in seconds. */
    public record TrialTiming(int trial, double claimToStoredSeconds, double trainerSeconds) {
        public double overheadSeconds() {
            return claimToStoredSeconds - trainerSeconds;
        }
    }
}
