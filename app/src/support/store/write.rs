//! Writing secure messages, each inside the caller's transaction: a new thread, a message and
//! its attachments, a guarded status change, a read mark, the audit trail, and the outbox rows
//! that tell merchants a reply is waiting.

use crate::support::model::{Actor, Topic};
use crate::support::state::Status;
use sqlx::{Any, Transaction};

/// A thread as its first message's form brought it, already checked.
pub struct NewThread<'a> {
    pub organisation: i64,
    pub establishment: Option<i64>,
    pub created_by: i64,
    pub subject: &'a str,
    pub topic: Topic,
    pub dispute: Option<i64>,
}

/// Records a new thread, waiting for customer service; its id.
pub async fn insert_thread(
    transaction: &mut Transaction<'_, Any>,
    thread: &NewThread<'_>,
    now: i64,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO message_threads (organisation_id, establishment_id, created_by, subject, status, topic, \
             dispute_id, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING id",
    )
    .bind(thread.organisation)
    .bind(thread.establishment)
    .bind(thread.created_by)
    .bind(thread.subject)
    .bind(Status::Open.as_str())
    .bind(thread.topic.as_str())
    .bind(thread.dispute)
    .bind(now)
    .fetch_one(&mut **transaction)
    .await
}

/// Records a message of the thread; its id.
pub async fn insert_message(
    transaction: &mut Transaction<'_, Any>,
    thread: i64,
    sender: i64,
    body: &str,
    now: i64,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO secure_messages (thread_id, sender_user_id, body, sent_at) VALUES ($1, $2, $3, $4) RETURNING id",
    )
    .bind(thread)
    .bind(sender)
    .bind(body)
    .bind(now)
    .fetch_one(&mut **transaction)
    .await
}

/// An attachment already checked and stored under `storage_key`.
pub struct NewAttachment<'a> {
    pub message: i64,
    pub original_name: &'a str,
    pub storage_key: &'a str,
    pub content_type: &'a str,
    pub size_bytes: i64,
    /// Hex SHA-256 of the content.
    pub sha256: &'a str,
}

pub async fn insert_attachment(
    transaction: &mut Transaction<'_, Any>,
    attachment: &NewAttachment<'_>,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO message_attachments (message_id, original_name, storage_key, content_type, size_bytes, sha256, \
             created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(attachment.message)
    .bind(attachment.original_name)
    .bind(attachment.storage_key)
    .bind(attachment.content_type)
    .bind(attachment.size_bytes)
    .bind(attachment.sha256)
    .bind(now)
    .execute(&mut **transaction)
    .await?;
    Ok(())
}

/// Moves the thread from `from` to `to` at `now` (its last activity); `agent_message`: the
/// message of customer service that caused it, which becomes the thread's newest reply. False
/// when the thread was no longer `from` (someone else changed it first).
pub async fn set_status(
    transaction: &mut Transaction<'_, Any>,
    thread: i64,
    from: Status,
    to: Status,
    agent_message: Option<i64>,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE message_threads SET status = $1, updated_at = $2, \
                last_agent_message_id = COALESCE($3, last_agent_message_id) \
         WHERE id = $4 AND status = $5",
    )
    .bind(to.as_str())
    .bind(now)
    .bind(agent_message)
    .bind(thread)
    .bind(from.as_str())
    .execute(&mut **transaction)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Moves the user's read mark on the thread up to `message` (never down).
pub async fn mark_read(
    transaction: &mut Transaction<'_, Any>,
    thread: i64,
    user: i64,
    message: i64,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO message_reads (thread_id, user_id, message_id, read_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (thread_id, user_id) DO UPDATE SET \
             message_id = CASE WHEN excluded.message_id > message_reads.message_id \
                               THEN excluded.message_id ELSE message_reads.message_id END, \
             read_at = excluded.read_at",
    )
    .bind(thread)
    .bind(user)
    .bind(message)
    .bind(now)
    .execute(&mut **transaction)
    .await?;
    Ok(())
}

/// Appends to the thread's audit trail: who (`actor`) did `action` at `now`.
pub async fn insert_event(
    transaction: &mut Transaction<'_, Any>,
    thread: i64,
    actor: &Actor,
    now: i64,
    action: &str,
    detail: &str,
) -> Result<(), sqlx::Error> {
    audit(transaction, AuditTrail::Thread(thread), actor, now, action, detail).await
}

/// Whose audit trail an entry goes to: a thread's (`message_events`) or a chat conversation's
/// (`chat_events`); both tables have the same columns.
#[derive(Debug, Clone, Copy)]
pub enum AuditTrail {
    Thread(i64),
    Conversation(i64),
}

/// Appends to `trail`: who (`actor`) did `action` at `now`.
pub async fn audit(
    transaction: &mut Transaction<'_, Any>,
    trail: AuditTrail,
    actor: &Actor,
    now: i64,
    action: &str,
    detail: &str,
) -> Result<(), sqlx::Error> {
    let (table, key, id) = match trail {
        AuditTrail::Thread(id) => ("message_events", "thread_id", id),
        AuditTrail::Conversation(id) => ("chat_events", "conversation_id", id),
    };
    let sql = format!(
        "INSERT INTO {table} ({key}, at, actor_user_id, actor_role, actor_scope, action, detail) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)"
    );
    sqlx::query(&sql)
        .bind(id)
        .bind(now)
        .bind(actor.user_id)
        .bind(&actor.role)
        .bind(&actor.scope)
        .bind(action)
        .bind(detail)
        .execute(&mut **transaction)
        .await?;
    Ok(())
}

/// Writes one outbox row (an `account` notice, to one user) per merchant who sees the thread,
/// is not disabled and has an email address: the notification worker tells each that a reply
/// is waiting. The payload names the thread only, never the message. How many were written.
pub async fn insert_reply_notices(
    transaction: &mut Transaction<'_, Any>,
    thread: i64,
    now: i64,
) -> Result<u64, sqlx::Error> {
    let payload = serde_json::json!({ "thread_id": thread }).to_string();
    let sql = format!(
        "INSERT INTO notification_outbox (category, event, organisation_id, user_id, payload, created_at) \
         SELECT 'account', 'message_reply', t.organisation_id, u.id, $1, $2 \
         FROM message_threads t JOIN users u ON ({visible}) \
         WHERE t.id = $3 AND u.kind = 'merchant' AND u.disabled_at IS NULL AND u.email <> ''",
        visible = super::visible_sql("t", "u.id")
    );
    let done = sqlx::query(&sql).bind(payload).bind(now).bind(thread).execute(&mut **transaction).await?;
    Ok(done.rows_affected())
}
