-- plasticity-search schema, version 3: the audit trail of scheduled launches.
-- One row per fire of a schedule (Quartz fires a clustered trigger on one orchestrator only; this table is how a
-- person, or a test, checks that): which schedule, the fire time Quartz planned, when and where it ran, and the
-- study it launched. Removing a schedule keeps its fires.

CREATE TABLE schedule_fire (
    id            BIGSERIAL PRIMARY KEY,
    schedule_id   BIGINT      REFERENCES schedule (id) ON DELETE SET NULL,
    scheduled_at  TIMESTAMPTZ NOT NULL,
    fired_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    instance      TEXT        NOT NULL,
    study         TEXT        NOT NULL
);

CREATE INDEX schedule_fire_by_schedule ON schedule_fire (schedule_id, scheduled_at);
