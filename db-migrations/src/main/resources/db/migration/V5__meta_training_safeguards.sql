-- plasticity-search schema, version 5: what the meta-training safeguards did (issue 10, docs/DESIGN-stability.md).

-- Per reported episode: the L2 norm of the raw meta-gradient (null when the episode was rejected as non-finite)
-- and how many episodes of the run so far had a coefficient's meta-gradient clipped, were rejected (no
-- meta-update; theta and Adam's moments restored to the last healthy point), or had their step scaled down by the
-- trust region.
ALTER TABLE trial_metric ADD COLUMN grad_norm DOUBLE PRECISION;
ALTER TABLE trial_metric ADD COLUMN clipped_episodes INTEGER CHECK (clipped_episodes IS NULL OR clipped_episodes >= 0);
ALTER TABLE trial_metric ADD COLUMN rejected_episodes INTEGER CHECK (rejected_episodes IS NULL OR rejected_episodes >= 0);
ALTER TABLE trial_metric ADD COLUMN limited_episodes INTEGER CHECK (limited_episodes IS NULL OR limited_episodes >= 0);
-- whether this reported episode was itself rejected: its accuracy comes from an inner loop that blew up, so pruners
-- and accuracy curves leave it out
ALTER TABLE trial_metric ADD COLUMN rejected BOOLEAN;

-- Per finished trial: the run's totals (null: the trainer reported none, e.g. before version 5 or a failed trial).
ALTER TABLE trial_result ADD COLUMN clipped_episodes INTEGER CHECK (clipped_episodes IS NULL OR clipped_episodes >= 0);
ALTER TABLE trial_result ADD COLUMN rejected_episodes INTEGER CHECK (rejected_episodes IS NULL OR rejected_episodes >= 0);
ALTER TABLE trial_result ADD COLUMN limited_episodes INTEGER CHECK (limited_episodes IS NULL OR limited_episodes >= 0);
-- the safeguard settings the trainer ran with (its spec fields), so runs before and after a change of defaults
-- stay distinguishable
ALTER TABLE trial_result ADD COLUMN safeguards JSONB;
