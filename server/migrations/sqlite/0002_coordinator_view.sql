-- What the coordinator's view needs.
--
-- Per programme: the language its pages and reports are written in, the
-- widgets' own configurations (their wording and questions, so answers read
-- here as they read in the widget), the pages' own wording overrides, and the
-- thresholds of the programme's alerts.
ALTER TABLE programmes ADD COLUMN language TEXT NOT NULL DEFAULT 'en';
ALTER TABLE programmes ADD COLUMN agreement_config TEXT;
ALTER TABLE programmes ADD COLUMN feedback_config TEXT;
ALTER TABLE programmes ADD COLUMN labels TEXT;
ALTER TABLE programmes ADD COLUMN agreement_days BIGINT NOT NULL DEFAULT 14;
ALTER TABLE programmes ADD COLUMN silence_weeks BIGINT NOT NULL DEFAULT 6;
ALTER TABLE programmes ADD COLUMN rating_gap BIGINT NOT NULL DEFAULT 2;

-- Per record: the few answers the pairs list and the reports are worked out
-- from (dates, what happened, ratings, action points, outcomes; never free
-- text), taken from the body when it is stored. It lives in the record's own
-- row, so erasure and retention remove it with the record.
ALTER TABLE records ADD COLUMN facts TEXT;
