-- Live chat (Support issue, the chat half): the conversation's organisation (its scope), the case
-- it may be about, when it joined the queue (its place), each side's last keystroke ("is
-- typing"), who ended it; each support agent's availability; and the conversations' audit trail.
ALTER TABLE chat_conversations ADD COLUMN organisation_id BIGINT REFERENCES organisations (id);
ALTER TABLE chat_conversations ADD COLUMN dispute_id BIGINT REFERENCES disputes (id);
-- When it last joined the queue (started, or handed back by an agent): the queue's order.
ALTER TABLE chat_conversations ADD COLUMN queued_at BIGINT NOT NULL DEFAULT 0;
-- Instants in milliseconds: typing marks last a few seconds.
ALTER TABLE chat_conversations ADD COLUMN merchant_typing_ms BIGINT NOT NULL DEFAULT 0;
ALTER TABLE chat_conversations ADD COLUMN agent_typing_ms BIGINT NOT NULL DEFAULT 0;
ALTER TABLE chat_conversations ADD COLUMN ended_by BIGINT REFERENCES users (id);
CREATE INDEX chat_conversations_by_user ON chat_conversations (user_id, created_at);
CREATE INDEX chat_conversations_by_agent ON chat_conversations (agent_user_id, status);
CREATE INDEX chat_conversations_queue ON chat_conversations (status, queued_at);

-- Whether a support agent takes chats ('available') or not ('away'), and when they were last
-- seen at work (the console or a chat open): an agent not seen for a while counts as away.
CREATE TABLE chat_agents (
    user_id BIGINT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    availability TEXT NOT NULL CHECK (availability IN ('available', 'away')),
    changed_at BIGINT NOT NULL,
    seen_at BIGINT NOT NULL
);

-- Every change to a conversation: who, from where, when (the application only appends).
CREATE TABLE chat_events (
    id INTEGER PRIMARY KEY,
    conversation_id BIGINT NOT NULL REFERENCES chat_conversations (id),
    at BIGINT NOT NULL,
    actor_user_id BIGINT NOT NULL REFERENCES users (id),
    actor_role TEXT NOT NULL,
    -- 'HQ', an establishment number, or 'network'.
    actor_scope TEXT NOT NULL,
    action TEXT NOT NULL CHECK (action IN ('started', 'taken', 'transferred', 'requeued', 'ended', 'transcript_emailed')),
    detail TEXT NOT NULL DEFAULT ''
);
CREATE INDEX chat_events_by_conversation ON chat_events (conversation_id, at, id);
