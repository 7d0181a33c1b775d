-- The portal's whole schema (PRODUCT.md). One body of SQL for SQLite and PostgreSQL: the
-- PostgreSQL twin differs only in identity columns (`INTEGER PRIMARY KEY` here) and binary
-- columns (`BLOB` here); app/src/db/schema_twins.rs checks that nothing else drifts.
-- Conventions: money is BIGINT minor units plus an ISO 4217 `currency`; instants are BIGINT Unix
-- seconds in UTC (`*_at`); calendar dates of Paris business days are TEXT 'YYYY-MM-DD'; months
-- are TEXT 'YYYY-MM'.

-- Accounts ---------------------------------------------------------------------------------

CREATE TABLE organisations (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    dispute_config TEXT NOT NULL DEFAULT 'local' CHECK (dispute_config IN ('central', 'local')),
    created_at BIGINT NOT NULL
);

CREATE TABLE establishments (
    id INTEGER PRIMARY KEY,
    organisation_id BIGINT NOT NULL REFERENCES organisations (id),
    number TEXT NOT NULL UNIQUE CHECK (length(number) = 10),
    trading_name TEXT NOT NULL,
    address_line TEXT NOT NULL DEFAULT '',
    postcode TEXT NOT NULL DEFAULT '',
    city TEXT NOT NULL DEFAULT '',
    country TEXT NOT NULL DEFAULT 'FR',
    phone TEXT NOT NULL DEFAULT '',
    language TEXT NOT NULL DEFAULT 'fr' CHECK (language IN ('fr', 'en')),
    currency TEXT NOT NULL DEFAULT 'EUR' CHECK (length(currency) = 3),
    pricing TEXT NOT NULL CHECK (pricing IN ('net', 'gross')),
    -- Gross pricing charges the fees on the contract anniversary ('MM-DD').
    contract_anniversary TEXT NOT NULL DEFAULT '01-01',
    paperless BOOLEAN NOT NULL DEFAULT TRUE,
    dispute_subscribed BOOLEAN NOT NULL DEFAULT FALSE,
    dispute_subscribed_at BIGINT,
    -- Proof of identity for registration: an activation code issued at onboarding (SHA-256).
    activation_code_hash TEXT,
    activation_code_used_at BIGINT,
    bank_account_last4 TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL
);
CREATE INDEX establishments_by_organisation ON establishments (organisation_id);

CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    username TEXT NOT NULL UNIQUE,
    email TEXT NOT NULL,
    -- An address waiting for confirmation through the link sent to it.
    pending_email TEXT,
    full_name TEXT NOT NULL DEFAULT '',
    password_hash TEXT NOT NULL,
    language TEXT NOT NULL DEFAULT 'fr' CHECK (language IN ('fr', 'en')),
    -- Merchants get their scope from memberships; the network's staff from their kind.
    kind TEXT NOT NULL CHECK (kind IN ('merchant', 'dispute_analyst', 'support_agent', 'platform_admin')),
    comm_email BOOLEAN NOT NULL DEFAULT TRUE,
    comm_post BOOLEAN NOT NULL DEFAULT FALSE,
    comm_phone BOOLEAN NOT NULL DEFAULT FALSE,
    failed_login_count BIGINT NOT NULL DEFAULT 0,
    locked_until BIGINT,
    password_changed_at BIGINT NOT NULL,
    disabled_at BIGINT,
    created_at BIGINT NOT NULL
);
CREATE INDEX users_by_email ON users (email);

CREATE TABLE memberships (
    id INTEGER PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    organisation_id BIGINT NOT NULL REFERENCES organisations (id),
    -- NULL: the whole organisation (headquarters); otherwise one establishment.
    establishment_id BIGINT REFERENCES establishments (id),
    role TEXT NOT NULL CHECK (role IN ('establishment_user', 'hq_user', 'org_admin')),
    created_at BIGINT NOT NULL,
    CHECK ((role = 'establishment_user') = (establishment_id IS NOT NULL))
);
CREATE UNIQUE INDEX memberships_one_per_scope ON memberships (user_id, organisation_id, COALESCE(establishment_id, 0));
CREATE INDEX memberships_by_establishment ON memberships (establishment_id);
CREATE INDEX memberships_by_organisation ON memberships (organisation_id);

-- Single-use links and codes: password reset, email change, invitation (token stored hashed).
CREATE TABLE account_tokens (
    id INTEGER PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    purpose TEXT NOT NULL CHECK (purpose IN ('password_reset', 'email_change', 'invitation')),
    token_hash TEXT NOT NULL UNIQUE,
    new_email TEXT,
    expires_at BIGINT NOT NULL,
    used_at BIGINT,
    created_at BIGINT NOT NULL
);
CREATE INDEX account_tokens_by_user ON account_tokens (user_id, purpose);

-- tower-sessions' store: one row per session, its data serialised.
CREATE TABLE sessions (
    id TEXT PRIMARY KEY,
    user_id BIGINT REFERENCES users (id) ON DELETE CASCADE,
    data BLOB NOT NULL,
    expiry_date BIGINT NOT NULL
);
CREATE INDEX sessions_by_expiry ON sessions (expiry_date);
CREATE INDEX sessions_by_user ON sessions (user_id);

CREATE TABLE api_keys (
    id INTEGER PRIMARY KEY,
    organisation_id BIGINT NOT NULL REFERENCES organisations (id),
    name TEXT NOT NULL,
    key_prefix TEXT NOT NULL UNIQUE,
    key_hash TEXT NOT NULL,
    created_by BIGINT NOT NULL REFERENCES users (id),
    created_at BIGINT NOT NULL,
    revoked_at BIGINT
);

-- Money ------------------------------------------------------------------------------------

-- Net pricing deducts the fees from each payment; gross pricing leaves them at 0 here.
CREATE TABLE payments (
    id INTEGER PRIMARY KEY,
    establishment_id BIGINT NOT NULL REFERENCES establishments (id),
    reference TEXT NOT NULL UNIQUE,
    status TEXT NOT NULL CHECK (status IN ('paid', 'pending')),
    payment_date TEXT NOT NULL,
    submission_amount BIGINT NOT NULL,
    fees_and_incentives BIGINT NOT NULL,
    adjustments BIGINT NOT NULL,
    net_amount BIGINT NOT NULL,
    currency TEXT NOT NULL DEFAULT 'EUR',
    created_at BIGINT NOT NULL,
    CHECK (net_amount = submission_amount - fees_and_incentives + adjustments)
);
CREATE INDEX payments_by_establishment ON payments (establishment_id, status, payment_date);

-- A batch of charges sent for payment.
CREATE TABLE submissions (
    id INTEGER PRIMARY KEY,
    establishment_id BIGINT NOT NULL REFERENCES establishments (id),
    reference TEXT NOT NULL UNIQUE,
    submitted_on TEXT NOT NULL,
    amount BIGINT NOT NULL,
    currency TEXT NOT NULL DEFAULT 'EUR',
    transaction_count BIGINT NOT NULL DEFAULT 0,
    payment_id BIGINT REFERENCES payments (id)
);
CREATE INDEX submissions_by_establishment ON submissions (establishment_id, submitted_on);
CREATE INDEX submissions_by_payment ON submissions (payment_id);

CREATE TABLE transactions (
    id INTEGER PRIMARY KEY,
    establishment_id BIGINT NOT NULL REFERENCES establishments (id),
    occurred_at BIGINT NOT NULL,
    -- At most the first six and last four digits: '374245******1001'. Never the full number.
    card_masked TEXT NOT NULL CHECK (length(card_masked) BETWEEN 13 AND 19 AND length(replace(card_masked, '*', '')) <= 10),
    card_last4 TEXT NOT NULL CHECK (length(card_last4) = 4),
    amount BIGINT NOT NULL CHECK (amount >= 0),
    currency TEXT NOT NULL DEFAULT 'EUR',
    kind TEXT NOT NULL CHECK (kind IN ('charge', 'refund', 'cancellation')),
    reference TEXT NOT NULL,
    installment_plan_id TEXT,
    installment_count BIGINT,
    submission_id BIGINT REFERENCES submissions (id),
    CHECK ((installment_plan_id IS NULL) = (installment_count IS NULL))
);
CREATE INDEX transactions_by_establishment_time ON transactions (establishment_id, occurred_at, id);
CREATE INDEX transactions_by_card ON transactions (establishment_id, card_last4);
CREATE INDEX transactions_by_submission ON transactions (submission_id);

CREATE TABLE statements (
    id INTEGER PRIMARY KEY,
    establishment_id BIGINT NOT NULL REFERENCES establishments (id),
    month TEXT NOT NULL CHECK (length(month) = 7),
    currency TEXT NOT NULL DEFAULT 'EUR',
    total_submissions BIGINT NOT NULL,
    total_fees BIGINT NOT NULL,
    total_adjustments BIGINT NOT NULL,
    total_paid BIGINT NOT NULL,
    issued_at BIGINT NOT NULL,
    UNIQUE (establishment_id, month)
);

CREATE TABLE statement_lines (
    id INTEGER PRIMARY KEY,
    statement_id BIGINT NOT NULL REFERENCES statements (id) ON DELETE CASCADE,
    line_date TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('payment', 'adjustment', 'commission')),
    label TEXT NOT NULL,
    payment_id BIGINT REFERENCES payments (id),
    amount BIGINT NOT NULL
);
CREATE INDEX statement_lines_by_statement ON statement_lines (statement_id, line_date);

-- Disputes ---------------------------------------------------------------------------------

CREATE TABLE reason_codes (
    code TEXT PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('chargeback', 'inquiry')),
    grouping TEXT NOT NULL,
    label_en TEXT NOT NULL,
    label_fr TEXT NOT NULL,
    explanation_en TEXT NOT NULL,
    explanation_fr TEXT NOT NULL,
    documents_en TEXT NOT NULL,
    documents_fr TEXT NOT NULL
);

-- Statuses (the state machine lives in app/src/disputes): needs_response, draft_saved,
-- under_review, info_requested, accepted, won (merchant's favour), lost (cardholder's favour),
-- expired.
CREATE TABLE disputes (
    id INTEGER PRIMARY KEY,
    case_number TEXT NOT NULL UNIQUE,
    establishment_id BIGINT NOT NULL REFERENCES establishments (id),
    transaction_id BIGINT NOT NULL REFERENCES transactions (id),
    -- The inquiry an R13 chargeback came from.
    parent_dispute_id BIGINT REFERENCES disputes (id),
    stage TEXT NOT NULL CHECK (stage IN ('inquiry', 'chargeback')),
    status TEXT NOT NULL CHECK (status IN ('needs_response', 'draft_saved', 'under_review', 'info_requested', 'accepted', 'won', 'lost', 'expired')),
    reason_code TEXT NOT NULL REFERENCES reason_codes (code),
    disputed_amount BIGINT NOT NULL CHECK (disputed_amount > 0),
    currency TEXT NOT NULL DEFAULT 'EUR',
    opened_at BIGINT NOT NULL,
    reply_by TEXT NOT NULL,
    urgent_marked_at BIGINT,
    closed_at BIGINT,
    -- Optimistic concurrency: every change increments it; a stale form is refused.
    version BIGINT NOT NULL DEFAULT 0,
    updated_at BIGINT NOT NULL
);
CREATE INDEX disputes_queue ON disputes (establishment_id, status, reply_by, id);
CREATE INDEX disputes_by_reply_by ON disputes (reply_by, status);
CREATE INDEX disputes_by_transaction ON disputes (transaction_id);
CREATE UNIQUE INDEX disputes_one_r13_per_inquiry ON disputes (parent_dispute_id) WHERE parent_dispute_id IS NOT NULL;

-- The checklist of documents a case asks for; ticked off as the merchant attaches them.
CREATE TABLE requested_documents (
    id INTEGER PRIMARY KEY,
    dispute_id BIGINT NOT NULL REFERENCES disputes (id) ON DELETE CASCADE,
    position BIGINT NOT NULL,
    description TEXT NOT NULL,
    ticked BOOLEAN NOT NULL DEFAULT FALSE,
    UNIQUE (dispute_id, position)
);

-- A merchant's answer to one round of a case (a request for more information opens a new round).
CREATE TABLE responses (
    id INTEGER PRIMARY KEY,
    dispute_id BIGINT NOT NULL REFERENCES disputes (id),
    round BIGINT NOT NULL DEFAULT 1,
    state TEXT NOT NULL CHECK (state IN ('draft', 'submitted')),
    comments TEXT NOT NULL DEFAULT '',
    author_user_id BIGINT NOT NULL REFERENCES users (id),
    -- A retried or double-clicked submission carries the same key and is applied once.
    idempotency_key TEXT UNIQUE,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    submitted_at BIGINT,
    UNIQUE (dispute_id, round)
);

CREATE TABLE documents (
    id INTEGER PRIMARY KEY,
    dispute_id BIGINT REFERENCES disputes (id),
    response_id BIGINT REFERENCES responses (id),
    uploaded_by BIGINT NOT NULL REFERENCES users (id),
    original_name TEXT NOT NULL,
    storage_key TEXT NOT NULL UNIQUE,
    content_type TEXT NOT NULL CHECK (content_type IN ('application/pdf', 'image/jpeg', 'image/png')),
    size_bytes BIGINT NOT NULL CHECK (size_bytes > 0),
    sha256 TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    removed_at BIGINT
);
CREATE INDEX documents_by_dispute ON documents (dispute_id);

CREATE TABLE decisions (
    id INTEGER PRIMARY KEY,
    dispute_id BIGINT NOT NULL REFERENCES disputes (id),
    analyst_user_id BIGINT NOT NULL REFERENCES users (id),
    outcome TEXT NOT NULL CHECK (outcome IN ('merchant', 'cardholder', 'info_requested')),
    note TEXT NOT NULL DEFAULT '',
    new_reply_by TEXT,
    decided_at BIGINT NOT NULL
);
CREATE INDEX decisions_by_dispute ON decisions (dispute_id);

-- The case audit trail: append-only (the app never updates or deletes it; triggers refuse).
CREATE TABLE case_events (
    id INTEGER PRIMARY KEY,
    dispute_id BIGINT NOT NULL REFERENCES disputes (id),
    at BIGINT NOT NULL,
    -- NULL: the portal itself (deadline worker).
    actor_user_id BIGINT REFERENCES users (id),
    actor_role TEXT NOT NULL,
    -- 'HQ', an establishment number, 'network' or 'system'.
    actor_scope TEXT NOT NULL,
    action TEXT NOT NULL CHECK (action IN ('opened', 'viewed', 'document_added', 'document_removed', 'draft_saved', 'submitted', 'accepted', 'decided', 'info_requested', 'expired', 'escalated', 'urgent')),
    detail TEXT NOT NULL DEFAULT ''
);
CREATE INDEX case_events_by_dispute ON case_events (dispute_id, at, id);

-- Money tied to disputes: adjustments and the lines of payments that settle them ---------

-- Chargeback debits, their reversals, accepted refunds: signed amounts settled in a payment.
CREATE TABLE adjustments (
    id INTEGER PRIMARY KEY,
    establishment_id BIGINT NOT NULL REFERENCES establishments (id),
    dispute_id BIGINT REFERENCES disputes (id),
    payment_id BIGINT REFERENCES payments (id),
    kind TEXT NOT NULL CHECK (kind IN ('chargeback', 'chargeback_reversal', 'refund_accepted', 'other')),
    amount BIGINT NOT NULL,
    currency TEXT NOT NULL DEFAULT 'EUR',
    label TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL
);
CREATE INDEX adjustments_by_establishment ON adjustments (establishment_id, created_at);
CREATE INDEX adjustments_by_payment ON adjustments (payment_id);
CREATE INDEX adjustments_by_dispute ON adjustments (dispute_id);

CREATE TABLE payment_lines (
    id INTEGER PRIMARY KEY,
    payment_id BIGINT NOT NULL REFERENCES payments (id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('submission', 'fee', 'adjustment')),
    submission_id BIGINT REFERENCES submissions (id),
    adjustment_id BIGINT REFERENCES adjustments (id),
    label TEXT NOT NULL,
    amount BIGINT NOT NULL
);
CREATE INDEX payment_lines_by_payment ON payment_lines (payment_id);

-- Notifications ----------------------------------------------------------------------------

CREATE TABLE notification_preferences (
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    category TEXT NOT NULL CHECK (category IN ('new_inquiry', 'new_chargeback', 'case_update', 'urgent_case', 'payments')),
    enabled BOOLEAN NOT NULL DEFAULT TRUE,
    -- TRUE: gathered into one daily email instead of one email each.
    daily_digest BOOLEAN NOT NULL DEFAULT FALSE,
    PRIMARY KEY (user_id, category)
);

-- The transactional outbox: written in the same transaction as the change that causes it.
CREATE TABLE notification_outbox (
    id INTEGER PRIMARY KEY,
    category TEXT NOT NULL CHECK (category IN ('new_inquiry', 'new_chargeback', 'case_update', 'urgent_case', 'payments', 'account')),
    event TEXT NOT NULL,
    organisation_id BIGINT REFERENCES organisations (id),
    establishment_id BIGINT REFERENCES establishments (id),
    dispute_id BIGINT REFERENCES disputes (id),
    payment_id BIGINT REFERENCES payments (id),
    -- Account emails go to one user, whatever their preferences.
    user_id BIGINT REFERENCES users (id),
    payload TEXT NOT NULL DEFAULT '{}',
    created_at BIGINT NOT NULL,
    fanned_out_at BIGINT
);
CREATE INDEX notification_outbox_pending ON notification_outbox (fanned_out_at, id);

-- One row per recipient: the in-app notification and the state of its email.
CREATE TABLE notifications (
    id INTEGER PRIMARY KEY,
    outbox_id BIGINT NOT NULL REFERENCES notification_outbox (id),
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    category TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    read_at BIGINT,
    email_state TEXT NOT NULL CHECK (email_state IN ('pending', 'sending', 'sent', 'failed', 'digest', 'off')),
    attempts BIGINT NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    claimed_until BIGINT,
    last_error TEXT,
    message_id TEXT,
    sent_at BIGINT,
    UNIQUE (outbox_id, user_id)
);
CREATE INDEX notifications_by_user ON notifications (user_id, read_at, id);
CREATE INDEX notifications_due ON notifications (email_state, next_attempt_at);

CREATE TABLE notification_attempts (
    id INTEGER PRIMARY KEY,
    notification_id BIGINT NOT NULL REFERENCES notifications (id) ON DELETE CASCADE,
    attempted_at BIGINT NOT NULL,
    succeeded BOOLEAN NOT NULL,
    error TEXT
);
CREATE INDEX notification_attempts_by_notification ON notification_attempts (notification_id);

-- Support ----------------------------------------------------------------------------------

CREATE TABLE chat_conversations (
    id INTEGER PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id),
    establishment_id BIGINT REFERENCES establishments (id),
    agent_user_id BIGINT REFERENCES users (id),
    status TEXT NOT NULL CHECK (status IN ('waiting', 'open', 'closed')),
    created_at BIGINT NOT NULL,
    closed_at BIGINT
);
CREATE INDEX chat_conversations_by_status ON chat_conversations (status, created_at);

CREATE TABLE chat_messages (
    id INTEGER PRIMARY KEY,
    conversation_id BIGINT NOT NULL REFERENCES chat_conversations (id),
    sender_user_id BIGINT NOT NULL REFERENCES users (id),
    body TEXT NOT NULL,
    sent_at BIGINT NOT NULL
);
CREATE INDEX chat_messages_by_conversation ON chat_messages (conversation_id, id);

CREATE TABLE message_threads (
    id INTEGER PRIMARY KEY,
    organisation_id BIGINT NOT NULL REFERENCES organisations (id),
    establishment_id BIGINT REFERENCES establishments (id),
    created_by BIGINT NOT NULL REFERENCES users (id),
    subject TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('open', 'answered', 'closed')),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX message_threads_by_organisation ON message_threads (organisation_id, updated_at);

CREATE TABLE secure_messages (
    id INTEGER PRIMARY KEY,
    thread_id BIGINT NOT NULL REFERENCES message_threads (id),
    sender_user_id BIGINT NOT NULL REFERENCES users (id),
    body TEXT NOT NULL,
    sent_at BIGINT NOT NULL
);
CREATE INDEX secure_messages_by_thread ON secure_messages (thread_id, id);

CREATE TABLE message_attachments (
    id INTEGER PRIMARY KEY,
    message_id BIGINT NOT NULL REFERENCES secure_messages (id),
    original_name TEXT NOT NULL,
    storage_key TEXT NOT NULL UNIQUE,
    content_type TEXT NOT NULL CHECK (content_type IN ('application/pdf', 'image/jpeg', 'image/png')),
    size_bytes BIGINT NOT NULL CHECK (size_bytes > 0),
    created_at BIGINT NOT NULL
);
