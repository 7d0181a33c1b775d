-- The gateway API (issue 16): API keys, card operations, idempotency records, installment rate
-- tables, Level 3 line items, sub-merchants and multi-currency on transactions.

-- The api_keys table of 0001 was never written to; keys now belong to the platform (gateways,
-- organisation_id NULL) or to an organisation, carry scopes and a last-use time.
DROP TABLE api_keys;
CREATE TABLE api_keys (
    id INTEGER PRIMARY KEY,
    -- NULL: a gateway key issued by the platform; otherwise the organisation it serves.
    organisation_id BIGINT REFERENCES organisations (id),
    name TEXT NOT NULL,
    -- The secret's first characters, shown in lists to tell keys apart.
    key_prefix TEXT NOT NULL,
    -- SHA-256 of the whole secret (hex); the secret itself is shown once and never stored.
    key_hash TEXT NOT NULL UNIQUE,
    -- TRUE: every establishment of its organisation (of the platform for a gateway key);
    -- FALSE: only those in api_key_establishments.
    all_establishments BOOLEAN NOT NULL,
    can_send BOOLEAN NOT NULL,
    can_read BOOLEAN NOT NULL,
    created_by BIGINT NOT NULL REFERENCES users (id),
    created_at BIGINT NOT NULL,
    last_used_at BIGINT,
    revoked_at BIGINT,
    CHECK (can_send OR can_read)
);
CREATE INDEX api_keys_by_organisation ON api_keys (organisation_id, created_at);

CREATE TABLE api_key_establishments (
    key_id BIGINT NOT NULL REFERENCES api_keys (id) ON DELETE CASCADE,
    establishment_id BIGINT NOT NULL REFERENCES establishments (id),
    PRIMARY KEY (key_id, establishment_id)
);

-- A Payment Facilitator names the sub-merchant of every operation.
ALTER TABLE establishments ADD COLUMN payment_facilitator BOOLEAN NOT NULL DEFAULT FALSE;

-- Plan Amex rates per establishment and number of payments (basis points of the amount, for
-- the whole plan); a number of payments without a row is interest-free.
CREATE TABLE installment_rates (
    establishment_id BIGINT NOT NULL REFERENCES establishments (id),
    installments BIGINT NOT NULL CHECK (installments BETWEEN 2 AND 24),
    rate_basis_points BIGINT NOT NULL CHECK (rate_basis_points BETWEEN 0 AND 10000),
    PRIMARY KEY (establishment_id, installments)
);

-- What an operation adds to its transaction: sub-merchant, stored-card indicators, plan terms,
-- multi-currency (amount and currency stay the settlement's), Level 3 summary.
ALTER TABLE transactions ADD COLUMN sub_merchant_id TEXT;
ALTER TABLE transactions ADD COLUMN sub_merchant_name TEXT;
ALTER TABLE transactions ADD COLUMN sub_merchant_category TEXT;
ALTER TABLE transactions ADD COLUMN card_on_file BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE transactions ADD COLUMN recurring BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE transactions ADD COLUMN installment_amount BIGINT;
ALTER TABLE transactions ADD COLUMN installment_rate_basis_points BIGINT;
ALTER TABLE transactions ADD COLUMN installment_interest BIGINT;
ALTER TABLE transactions ADD COLUMN installment_total BIGINT;
ALTER TABLE transactions ADD COLUMN original_amount BIGINT;
ALTER TABLE transactions ADD COLUMN original_currency TEXT;
-- The rate the gateway used, as it sent it (a decimal in text: nothing is computed with it).
ALTER TABLE transactions ADD COLUMN exchange_rate TEXT;
ALTER TABLE transactions ADD COLUMN customer_reference TEXT;
ALTER TABLE transactions ADD COLUMN tax_amount BIGINT;
ALTER TABLE transactions ADD COLUMN ship_to_postcode TEXT;

-- Level 3 line items of a transaction (amounts in the transaction's original currency).
CREATE TABLE transaction_line_items (
    id INTEGER PRIMARY KEY,
    transaction_id BIGINT NOT NULL REFERENCES transactions (id),
    position BIGINT NOT NULL,
    description TEXT NOT NULL,
    quantity BIGINT NOT NULL CHECK (quantity > 0),
    unit_price BIGINT NOT NULL CHECK (unit_price >= 0),
    tax_amount BIGINT NOT NULL DEFAULT 0 CHECK (tax_amount >= 0),
    UNIQUE (transaction_id, position)
);

-- Operations sent by gateways and integrations, as answered. An authorisation and a capture
-- keep their running totals, which every later operation on them checks in the same UPDATE.
CREATE TABLE api_operations (
    id INTEGER PRIMARY KEY,
    key_id BIGINT NOT NULL REFERENCES api_keys (id),
    establishment_id BIGINT NOT NULL REFERENCES establishments (id),
    kind TEXT NOT NULL CHECK (kind IN ('authorization', 'authorization_with_capture', 'capture', 'cancellation', 'refund', 'information_request')),
    -- The operation this one acts on (the authorisation a capture takes, the capture a refund returns).
    parent_id BIGINT REFERENCES api_operations (id),
    status TEXT NOT NULL CHECK (status IN ('approved', 'declined')),
    decline_reason TEXT,
    authorization_code TEXT,
    amount BIGINT NOT NULL CHECK (amount >= 0),
    currency TEXT NOT NULL CHECK (length(currency) = 3),
    -- On an authorisation: the amount captured (once); on a capture: its own amount.
    captured BIGINT NOT NULL DEFAULT 0,
    refunded BIGINT NOT NULL DEFAULT 0 CHECK (refunded <= captured),
    cancelled BOOLEAN NOT NULL DEFAULT FALSE,
    -- At most the first six and last four digits, as on transactions.
    card_masked TEXT CHECK (card_masked IS NULL OR length(replace(card_masked, '*', '')) <= 10),
    card_last4 TEXT,
    card_expiry TEXT,
    card_token TEXT,
    merchant_reference TEXT NOT NULL DEFAULT '',
    -- The request's card-on-file, recurring, sub-merchant, plan, settlement and Level 3 data,
    -- as JSON, for the capture that turns the authorisation into a transaction.
    details TEXT NOT NULL DEFAULT '{}',
    transaction_id BIGINT REFERENCES transactions (id),
    created_at BIGINT NOT NULL
);
CREATE INDEX api_operations_by_establishment ON api_operations (establishment_id, created_at);
CREATE INDEX api_operations_by_parent ON api_operations (parent_id);
CREATE INDEX api_operations_by_transaction ON api_operations (transaction_id);

-- Every POST's Idempotency-Key: the body's hash and the first answer, replayed on a retry.
CREATE TABLE api_idempotency (
    key_id BIGINT NOT NULL REFERENCES api_keys (id),
    idempotency_key TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    status BIGINT NOT NULL,
    response TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (key_id, idempotency_key)
);
