-- Onboarding by the platform (Access issue).
-- Activation codes expire (30 days after they are issued) and serve once: a code issued before
-- this migration has no expiry and is refused, so every establishment needs a new one.
ALTER TABLE establishments ADD COLUMN activation_code_expires_at BIGINT;
-- The most installments a payment plan may have at this establishment (1: no plans).
ALTER TABLE establishments ADD COLUMN max_installments BIGINT NOT NULL DEFAULT 1
    CHECK (max_installments BETWEEN 1 AND 24);

-- Every change of an organisation's dispute configuration: who, when, from, to.
CREATE TABLE dispute_config_changes (
    id INTEGER PRIMARY KEY,
    organisation_id BIGINT NOT NULL REFERENCES organisations (id),
    changed_by BIGINT NOT NULL REFERENCES users (id),
    changed_at BIGINT NOT NULL,
    from_config TEXT NOT NULL CHECK (from_config IN ('central', 'local')),
    to_config TEXT NOT NULL CHECK (to_config IN ('central', 'local'))
);
CREATE INDEX dispute_config_changes_by_organisation ON dispute_config_changes (organisation_id, changed_at);
