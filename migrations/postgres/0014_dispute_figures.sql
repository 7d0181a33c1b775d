-- The dashboard's dispute figures, kept up to date by the change that moves them: triggers on
-- `disputes` add a case to its rows when it is written and take it out of its old rows when it
-- changes or goes, in the same transaction, whatever writes it (a page, the back office, the
-- deadline sweep, the seed). The dashboard then reads a few summary rows instead of counting
-- every case (on the benchmark database's 100,000 cases: open cases 9 ms, opened in the last 7
-- days 8 ms, closed 5 ms, each with the covering indexes of 0013). The triggers are in 0015.

-- Cases and their disputed amount by establishment, currency and status.
CREATE TABLE dispute_status_totals (
    establishment_id BIGINT NOT NULL,
    currency TEXT NOT NULL,
    status TEXT NOT NULL,
    cases BIGINT NOT NULL,
    amount BIGINT NOT NULL,
    PRIMARY KEY (establishment_id, currency, status)
);

-- Cases opened by establishment, Unix hour (`opened_at / 3600`: a Paris midnight always starts
-- one) and stage.
CREATE TABLE dispute_opened_hours (
    establishment_id BIGINT NOT NULL,
    hour BIGINT NOT NULL,
    stage TEXT NOT NULL,
    cases BIGINT NOT NULL,
    PRIMARY KEY (establishment_id, hour, stage)
);

-- Cases closed by establishment, Unix hour of `closed_at` and status.
CREATE TABLE dispute_closed_hours (
    establishment_id BIGINT NOT NULL,
    hour BIGINT NOT NULL,
    status TEXT NOT NULL,
    cases BIGINT NOT NULL,
    PRIMARY KEY (establishment_id, hour, status)
);

INSERT INTO dispute_status_totals (establishment_id, currency, status, cases, amount)
SELECT establishment_id, currency, status, COUNT(*), SUM(disputed_amount) FROM disputes
GROUP BY establishment_id, currency, status;
INSERT INTO dispute_opened_hours (establishment_id, hour, stage, cases)
SELECT establishment_id, opened_at / 3600, stage, COUNT(*) FROM disputes GROUP BY establishment_id, opened_at / 3600, stage;
INSERT INTO dispute_closed_hours (establishment_id, hour, status, cases)
SELECT establishment_id, closed_at / 3600, status, COUNT(*) FROM disputes WHERE closed_at IS NOT NULL
GROUP BY establishment_id, closed_at / 3600, status;

-- The cases due by a day (urgent, overdue) among the open ones, with their currency, read as one
-- range of this index: reply_by now comes before the currency (0013 had it after).
DROP INDEX disputes_open_figures;
CREATE INDEX disputes_open_figures ON disputes (establishment_id, status, reply_by, currency, disputed_amount);
