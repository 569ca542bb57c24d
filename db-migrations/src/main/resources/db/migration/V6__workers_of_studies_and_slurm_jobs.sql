-- Version 6: which study a worker serves (plasticity worker --study), the Slurm job it runs in, when it stopped;
-- and the Slurm jobs submitted for a study (plasticity slurm submit), for `study show`.
ALTER TABLE worker ADD COLUMN study_id   BIGINT REFERENCES study (id) ON DELETE SET NULL;
ALTER TABLE worker ADD COLUMN slurm_job  TEXT;
ALTER TABLE worker ADD COLUMN stopped_at TIMESTAMPTZ;

CREATE TABLE slurm_job (
    study_id     BIGINT      NOT NULL REFERENCES study (id) ON DELETE CASCADE,
    job_id       TEXT        NOT NULL,
    workers      INT         NOT NULL CHECK (workers >= 1),
    slots        INT         NOT NULL CHECK (slots >= 1),
    submitted_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (study_id, job_id)
);
