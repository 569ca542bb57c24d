-- plasticity-search schema, version 1: studies, trials, learned rules, metrics, workers, schedules.
-- Released migrations are never edited; a change is a new V<n>__ file.

CREATE TABLE study (
    id            BIGSERIAL PRIMARY KEY,
    name          TEXT        NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 200),
    config_yaml   TEXT        NOT NULL,
    config        JSONB       NOT NULL,
    objective     TEXT        NOT NULL DEFAULT 'test_accuracy',
    direction     TEXT        NOT NULL DEFAULT 'maximize' CHECK (direction IN ('maximize', 'minimize')),
    budget        INTEGER     NOT NULL CHECK (budget >= 0),
    parallelism   INTEGER     NOT NULL CHECK (parallelism >= 1),
    status        TEXT        NOT NULL DEFAULT 'RUNNING' CHECK (status IN ('RUNNING', 'STOPPED', 'DONE')),
    -- the next dense trial number; taken with UPDATE ... RETURNING in the enqueuing transaction
    next_number   INTEGER     NOT NULL DEFAULT 0,
    created_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at    TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE worker (
    id          TEXT        PRIMARY KEY,
    host        TEXT        NOT NULL,
    pid         BIGINT      NOT NULL,
    started_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    last_seen   TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE trial (
    id            BIGSERIAL PRIMARY KEY,
    study_id      BIGINT      NOT NULL REFERENCES study (id) ON DELETE CASCADE,
    number        INTEGER     NOT NULL,
    state         TEXT        NOT NULL DEFAULT 'QUEUED'
                              CHECK (state IN ('QUEUED', 'RUNNING', 'COMPLETE', 'PRUNED', 'FAILED')),
    params        JSONB       NOT NULL,
    seed          BIGINT      NOT NULL,
    -- attempts started so far; a claim adds one, the reaper fails a trial whose attempts reached the limit
    attempt       INTEGER     NOT NULL DEFAULT 0,
    worker_id     TEXT,
    heartbeat_at  TIMESTAMPTZ,
    queued_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
    started_at    TIMESTAMPTZ,
    finished_at   TIMESTAMPTZ,
    value         DOUBLE PRECISION,
    error         TEXT,
    UNIQUE (study_id, number),
    CHECK (state <> 'RUNNING' OR (worker_id IS NOT NULL AND heartbeat_at IS NOT NULL))
);

-- hot paths: claim the oldest QUEUED trial (of one study, or of any), trials of a study by state, stale RUNNING
CREATE INDEX trial_queued_by_study ON trial (study_id, number) WHERE state = 'QUEUED';
CREATE INDEX trial_queued_any ON trial (id) WHERE state = 'QUEUED';
CREATE INDEX trial_by_study_state ON trial (study_id, state);
CREATE INDEX trial_running_heartbeat ON trial (heartbeat_at) WHERE state = 'RUNNING';

-- the learned rule, term by term, so that rules can be queried with plain SQL
CREATE TABLE trial_term (
    trial_id     BIGINT           NOT NULL REFERENCES trial (id) ON DELETE CASCADE,
    term         SMALLINT         NOT NULL CHECK (term BETWEEN 0 AND 9),
    active       BOOLEAN          NOT NULL,
    theta_init   DOUBLE PRECISION NOT NULL,
    theta_final  DOUBLE PRECISION,
    PRIMARY KEY (trial_id, term)
);

-- intermediate metrics per reported episode
CREATE TABLE trial_metric (
    trial_id       BIGINT             NOT NULL REFERENCES trial (id) ON DELETE CASCADE,
    episode        INTEGER            NOT NULL CHECK (episode >= 1),
    meta_loss      DOUBLE PRECISION,
    accuracy       DOUBLE PRECISION,
    theta          DOUBLE PRECISION[] NOT NULL,
    alignment_deg  DOUBLE PRECISION[],
    ortho_error    DOUBLE PRECISION[],
    recorded_at    TIMESTAMPTZ        NOT NULL DEFAULT now(),
    PRIMARY KEY (trial_id, episode)
);

-- final metrics of a finished trial
CREATE TABLE trial_result (
    trial_id            BIGINT           PRIMARY KEY REFERENCES trial (id) ON DELETE CASCADE,
    test_accuracy       DOUBLE PRECISION,
    test_ci_low         DOUBLE PRECISION,
    test_ci_high        DOUBLE PRECISION,
    ci_level            DOUBLE PRECISION,
    eval_tasks          INTEGER,
    episodes_completed  INTEGER,
    partial             BOOLEAN          NOT NULL DEFAULT false,
    wall_s              DOUBLE PRECISION
);

CREATE TABLE schedule (
    id            BIGSERIAL PRIMARY KEY,
    cron          TEXT        NOT NULL,
    config_yaml   TEXT        NOT NULL,
    enabled       BOOLEAN     NOT NULL DEFAULT true,
    created_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    last_fired_at TIMESTAMPTZ
);

-- For users: every finished trial's learned rule with its score. Read it, rank it, join it:
--   SELECT * FROM learned_rule WHERE study = 'quickstart' ORDER BY test_accuracy DESC;
-- (grant SELECT on this view to a read-only role to let people query without write access)
CREATE VIEW learned_rule AS
SELECT s.name                                                   AS study,
       t.number                                                 AS trial,
       t.state,
       array_agg(tt.term ORDER BY tt.term) FILTER (WHERE tt.active) AS active_terms,
       array_agg(tt.theta_final ORDER BY tt.term)               AS theta,
       r.test_accuracy,
       r.test_ci_low,
       r.test_ci_high,
       r.eval_tasks,
       r.episodes_completed,
       t.value,
       t.params,
       t.finished_at
FROM trial t
JOIN study s ON s.id = t.study_id
JOIN trial_term tt ON tt.trial_id = t.id
LEFT JOIN trial_result r ON r.trial_id = t.id
WHERE t.state IN ('COMPLETE', 'PRUNED')
GROUP BY s.name, t.id, t.number, t.state, r.trial_id;
