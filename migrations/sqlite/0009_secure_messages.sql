-- Secure messages (Support issue): a thread's topic and the case it may be about, the newest
-- message customer service wrote in it (unread marks compare against it), each user's read
-- mark, the attachments' digest, and the threads' audit trail.
ALTER TABLE message_threads ADD COLUMN topic TEXT NOT NULL DEFAULT 'website'
    CHECK (topic IN ('website', 'account', 'case', 'payments'));
ALTER TABLE message_threads ADD COLUMN dispute_id BIGINT REFERENCES disputes (id);
-- NULL until customer service writes; a thread is unread for a user whose read mark is below it.
ALTER TABLE message_threads ADD COLUMN last_agent_message_id BIGINT;
CREATE INDEX message_threads_by_status ON message_threads (status, updated_at);
CREATE INDEX message_threads_by_establishment ON message_threads (establishment_id, updated_at);
CREATE INDEX message_threads_by_author ON message_threads (created_by, updated_at);

ALTER TABLE message_attachments ADD COLUMN sha256 TEXT NOT NULL DEFAULT '';
CREATE INDEX message_attachments_by_message ON message_attachments (message_id);

-- The newest message of a thread each user has seen (their read mark).
CREATE TABLE message_reads (
    thread_id BIGINT NOT NULL REFERENCES message_threads (id),
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    message_id BIGINT NOT NULL,
    read_at BIGINT NOT NULL,
    PRIMARY KEY (thread_id, user_id)
);
CREATE INDEX message_reads_by_user ON message_reads (user_id);

-- Every change to a thread: who, from where, when (the application only appends).
CREATE TABLE message_events (
    id INTEGER PRIMARY KEY,
    thread_id BIGINT NOT NULL REFERENCES message_threads (id),
    at BIGINT NOT NULL,
    actor_user_id BIGINT NOT NULL REFERENCES users (id),
    actor_role TEXT NOT NULL,
    -- 'HQ', an establishment number, or 'network'.
    actor_scope TEXT NOT NULL,
    action TEXT NOT NULL CHECK (action IN ('opened', 'replied', 'answered', 'closed', 'attachment_added')),
    detail TEXT NOT NULL DEFAULT ''
);
CREATE INDEX message_events_by_thread ON message_events (thread_id, at, id);
