-- plasticity-search schema, version 4: what a learned rule is made of, and verification studies.

-- Each term's share of the weight update of the learned rule: ||theta_r F_r||_F summed over the online steps and
-- layers of the first meta-test episode, divided by the same sum over all terms (null: not measured, e.g. a
-- pruned or failed trial). A term is "effective" when its share reaches a threshold (default 5%).
ALTER TABLE trial_term ADD COLUMN update_share DOUBLE PRECISION
    CHECK (update_share IS NULL OR update_share BETWEEN 0 AND 1);

-- A verification study re-meta-trains the best rules of its parent study with fresh seeds.
ALTER TABLE study ADD COLUMN parent_id BIGINT REFERENCES study (id) ON DELETE SET NULL;
ALTER TABLE study ADD COLUMN kind TEXT NOT NULL DEFAULT 'search' CHECK (kind IN ('search', 'verification'));

-- In a verification study: the number of the parent study's trial whose rule this trial re-trains.
ALTER TABLE trial ADD COLUMN source_trial INTEGER;

-- the learned rules, now with each term's update share (a new last column; the others are unchanged)
CREATE OR REPLACE VIEW learned_rule AS
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
       t.finished_at,
       array_agg(tt.update_share ORDER BY tt.term)              AS update_share
FROM trial t
JOIN study s ON s.id = t.study_id
JOIN trial_term tt ON tt.trial_id = t.id
LEFT JOIN trial_result r ON r.trial_id = t.id
WHERE t.state IN ('COMPLETE', 'PRUNED')
GROUP BY s.name, t.id, t.number, t.state, r.trial_id;
