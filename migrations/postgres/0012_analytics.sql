-- Dashboard and analytics (issue 17): the platform's analytics settings, and the indexes the
-- dashboard's and the analytics page's figures read through.

-- One row: the dispute-rate threshold above which an establishment is flagged, in basis points
-- of its month's charges (100 = 1 %), set by a platform admin.
CREATE TABLE analytics_settings (
    id BIGINT PRIMARY KEY CHECK (id = 1),
    dispute_rate_threshold_bp BIGINT NOT NULL DEFAULT 100 CHECK (dispute_rate_threshold_bp BETWEEN 1 AND 10000),
    updated_by BIGINT REFERENCES users (id),
    updated_at BIGINT
);
INSERT INTO analytics_settings (id, dispute_rate_threshold_bp) VALUES (1, 100);

-- Cases opened, and cases closed, since a day (the dashboard's last 7 days; analytics periods).
CREATE INDEX disputes_by_establishment_opened ON disputes (establishment_id, opened_at);
CREATE INDEX disputes_by_establishment_closed ON disputes (establishment_id, closed_at);
-- The dispute team's waiting responses, across every establishment.
CREATE INDEX disputes_by_status ON disputes (status, updated_at);
-- Decisions of a day.
CREATE INDEX decisions_by_time ON decisions (decided_at);
-- Charges of a month (the dispute rate), counted from the index alone.
CREATE INDEX transactions_by_establishment_kind_time ON transactions (establishment_id, kind, occurred_at);
