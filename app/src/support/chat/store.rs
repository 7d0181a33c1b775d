//! All of the live chat's SQL: conversations (written guarded by the status they were read in,
//! so that of two concurrent moves exactly one applies), their messages, the live state a stream
//! polls (one indexed query), the agents' queue and chats, the merchant's past chats, the agents'
//! availability and the audit trail. Reads take the [`Db`], writes the caller's transaction of
//! [`Db::write`](crate::db::Db::write). Nothing here decides who may do what (`conversations`
//! and `state` do). This module imports only `chat::model`, `chat::state`, `support::model` and, from the
//! secure messages' store, the audit writer (both trails have the same columns) and the row of a
//! message with its sender.

use super::model::{Agent, ChatMessage, ConsoleChat, Conversation, LiveState, PastChat};
use super::state::Status;
use crate::db::Db;
use crate::support::model::{Actor, Sender};
use crate::support::store::{AuditTrail, MessageRow};
use sqlx::{Any, Transaction};

/// Most rows a list shows, and most messages a stream sends at once.
const LIST_LIMIT: i64 = 200;

fn status(stored: &str) -> Status {
    // The schema allows no other value.
    Status::parse(stored).unwrap_or(Status::Ended)
}

/// A user's name as pages show it: the full name, else the username.
const NAME: &str = "CASE WHEN TRIM(u.full_name) = '' THEN u.username ELSE u.full_name END";

/// A conversation as its first message's form brought it, already checked.
pub struct NewConversation {
    pub user: i64,
    pub organisation: Option<i64>,
    pub establishment: Option<i64>,
    pub dispute: Option<i64>,
}

/// Records a new conversation, waiting in the queue; its id.
pub async fn insert_conversation(
    transaction: &mut Transaction<'_, Any>,
    conversation: &NewConversation,
    now: i64,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO chat_conversations (user_id, organisation_id, establishment_id, dispute_id, status, created_at, \
             queued_at) VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id",
    )
    .bind(conversation.user)
    .bind(conversation.organisation)
    .bind(conversation.establishment)
    .bind(conversation.dispute)
    .bind(Status::Waiting.as_str())
    .bind(now)
    .fetch_one(&mut **transaction)
    .await
}

/// The user's conversation still waiting or connected, if any (the newest).
pub async fn active_for_user(db: &Db, user: i64) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT id FROM chat_conversations WHERE user_id = $1 AND status IN ('waiting', 'open') \
         ORDER BY id DESC LIMIT 1",
    )
    .bind(user)
    .fetch_optional(&db.pool)
    .await
}

#[derive(sqlx::FromRow)]
struct ConversationRow {
    id: i64,
    user_id: i64,
    merchant: String,
    organisation: Option<String>,
    establishment_id: Option<i64>,
    establishment_number: Option<String>,
    establishment_name: Option<String>,
    agent_user_id: Option<i64>,
    agent_username: Option<String>,
    agent_full_name: Option<String>,
    status: String,
    dispute_id: Option<i64>,
    case_number: Option<String>,
    created_at: i64,
    closed_at: Option<i64>,
}

/// The conversation `id`, whoever's it is (the caller's rules decide).
pub async fn conversation_by_id(db: &Db, id: i64) -> Result<Option<Conversation>, sqlx::Error> {
    let sql = format!(
        "SELECT c.id, c.user_id, {NAME} AS merchant, o.name AS organisation, c.establishment_id, \
                e.number AS establishment_number, e.trading_name AS establishment_name, c.agent_user_id, a.username AS agent_username, \
                a.full_name AS agent_full_name, c.status, c.dispute_id, d.case_number, c.created_at, c.closed_at \
         FROM chat_conversations c \
         JOIN users u ON u.id = c.user_id \
         LEFT JOIN organisations o ON o.id = c.organisation_id \
         LEFT JOIN establishments e ON e.id = c.establishment_id \
         LEFT JOIN users a ON a.id = c.agent_user_id \
         LEFT JOIN disputes d ON d.id = c.dispute_id \
         WHERE c.id = $1"
    );
    let row: Option<ConversationRow> = sqlx::query_as(&sql).bind(id).fetch_optional(&db.pool).await?;
    Ok(row.map(|row| Conversation {
        id: row.id,
        user_id: row.user_id,
        merchant: row.merchant,
        organisation: row.organisation,
        establishment_id: row.establishment_id,
        establishment: row.establishment_number.zip(row.establishment_name),
        agent: row.agent_user_id.zip(row.agent_username).map(|(user_id, username)| Sender {
            user_id,
            username,
            full_name: row.agent_full_name.unwrap_or_default(),
            kind: "support_agent".into(),
        }),
        agent_user_id: row.agent_user_id,
        status: status(&row.status),
        dispute_id: row.dispute_id,
        case_number: row.case_number,
        created_at: row.created_at,
        closed_at: row.closed_at,
    }))
}

/// Moves the conversation from `from` to `to`, giving it to `agent` (`None`: no agent). Only
/// when it is still `from` and, with `owner`, still that agent's: false otherwise (someone else
/// moved it first). Back in the queue (`Waiting`) it queues from `now`; ended, it records when and
/// by whom.
#[expect(clippy::too_many_arguments, reason = "one guarded update, each argument a column or a guard")]
pub async fn move_conversation(
    transaction: &mut Transaction<'_, Any>,
    id: i64,
    from: Status,
    owner: Option<i64>,
    to: Status,
    agent: Option<i64>,
    by: i64,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE chat_conversations SET status = $1, agent_user_id = $2, \
                queued_at = CASE WHEN $1 = 'waiting' THEN $3 ELSE queued_at END, \
                closed_at = CASE WHEN $1 = 'closed' THEN $3 ELSE closed_at END, \
                ended_by = CASE WHEN $1 = 'closed' THEN $4 ELSE ended_by END \
         WHERE id = $5 AND status = $6 AND ($7 = 0 OR agent_user_id = $7)",
    )
    .bind(to.as_str())
    .bind(agent)
    .bind(now)
    .bind(by)
    .bind(id)
    .bind(from.as_str())
    .bind(owner.unwrap_or(0))
    .execute(&mut **transaction)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Records a message; its id.
pub async fn insert_message(
    transaction: &mut Transaction<'_, Any>,
    conversation: i64,
    sender: i64,
    body: &str,
    now: i64,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO chat_messages (conversation_id, sender_user_id, body, sent_at) VALUES ($1, $2, $3, $4) \
         RETURNING id",
    )
    .bind(conversation)
    .bind(sender)
    .bind(body)
    .bind(now)
    .fetch_one(&mut **transaction)
    .await
}

/// The conversation's messages after the message `after` (0: all), oldest first, at most
/// [`LIST_LIMIT`] (a stream reads on from the last).
pub async fn messages_after(db: &Db, conversation: i64, after: i64) -> Result<Vec<ChatMessage>, sqlx::Error> {
    let rows: Vec<MessageRow> = sqlx::query_as(
        "SELECT m.id, m.sender_user_id, u.username, u.full_name, u.kind, m.body, m.sent_at \
         FROM chat_messages m JOIN users u ON u.id = m.sender_user_id \
         WHERE m.conversation_id = $1 AND m.id > $2 ORDER BY m.id LIMIT $3",
    )
    .bind(conversation)
    .bind(after)
    .bind(LIST_LIMIT)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|row| ChatMessage { id: row.id, sender: row.sender(), body: row.body, sent_at: row.sent_at })
        .collect())
}

#[derive(sqlx::FromRow)]
struct LiveRow {
    user_id: i64,
    status: String,
    agent_user_id: Option<i64>,
    agent_name: Option<String>,
    merchant_typing_ms: i64,
    agent_typing_ms: i64,
    queued_at: i64,
    last_message: i64,
}

/// What a stream polls: one row by primary key and one index lookup for the newest message.
pub async fn live_state(db: &Db, conversation: i64) -> Result<Option<LiveState>, sqlx::Error> {
    let row: Option<LiveRow> = sqlx::query_as(
        "SELECT c.user_id, c.status, c.agent_user_id, a.full_name AS agent_name, c.merchant_typing_ms, \
                c.agent_typing_ms, c.queued_at, \
                CAST(COALESCE((SELECT MAX(m.id) FROM chat_messages m WHERE m.conversation_id = c.id), 0) AS BIGINT) \
                    AS last_message \
         FROM chat_conversations c LEFT JOIN users a ON a.id = c.agent_user_id WHERE c.id = $1",
    )
    .bind(conversation)
    .fetch_optional(&db.pool)
    .await?;
    Ok(row.map(|row| LiveState {
        user_id: row.user_id,
        status: status(&row.status),
        agent_user_id: row.agent_user_id,
        agent_name: row.agent_name,
        merchant_typing_ms: row.merchant_typing_ms,
        agent_typing_ms: row.agent_typing_ms,
        queued_at: row.queued_at,
        last_message: row.last_message,
    }))
}

/// The place in the queue of a waiting conversation that joined it at `queued_at` (1: next).
pub async fn queue_place(db: &Db, conversation: i64, queued_at: i64) -> Result<i64, sqlx::Error> {
    let ahead: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM chat_conversations WHERE status = 'waiting' \
         AND (queued_at < $1 OR (queued_at = $1 AND id < $2))",
    )
    .bind(queued_at)
    .bind(conversation)
    .fetch_one(&db.pool)
    .await?;
    Ok(ahead + 1)
}

/// Marks that `merchant` (else the agent) is typing, at `now_ms`.
pub async fn set_typing(
    transaction: &mut Transaction<'_, Any>,
    conversation: i64,
    merchant: bool,
    now_ms: i64,
) -> Result<(), sqlx::Error> {
    let column = if merchant { "merchant_typing_ms" } else { "agent_typing_ms" };
    sqlx::query(&format!("UPDATE chat_conversations SET {column} = $1 WHERE id = $2"))
        .bind(now_ms)
        .bind(conversation)
        .execute(&mut **transaction)
        .await?;
    Ok(())
}

#[derive(sqlx::FromRow)]
struct ConsoleRow {
    id: i64,
    status: String,
    queued_at: i64,
    merchant: String,
    organisation: Option<String>,
    establishment_number: Option<String>,
    case_number: Option<String>,
}

/// The queue (oldest first) when `agent` is `None`, else the agent's connected chats (oldest
/// first).
pub async fn console_chats(db: &Db, agent: Option<i64>) -> Result<Vec<ConsoleChat>, sqlx::Error> {
    let filter = if agent.is_some() { "c.status = 'open' AND c.agent_user_id = $2" } else { "c.status = 'waiting'" };
    let sql = format!(
        "SELECT c.id, c.status, c.queued_at, {NAME} AS merchant, o.name AS organisation, \
                e.number AS establishment_number, d.case_number \
         FROM chat_conversations c \
         JOIN users u ON u.id = c.user_id \
         LEFT JOIN organisations o ON o.id = c.organisation_id \
         LEFT JOIN establishments e ON e.id = c.establishment_id \
         LEFT JOIN disputes d ON d.id = c.dispute_id \
         WHERE {filter} ORDER BY c.queued_at, c.id LIMIT $1"
    );
    let mut query = sqlx::query_as::<_, ConsoleRow>(&sql).bind(LIST_LIMIT);
    if let Some(agent) = agent {
        query = query.bind(agent);
    }
    let rows = query.fetch_all(&db.pool).await?;
    Ok(rows
        .into_iter()
        .map(|row| ConsoleChat {
            id: row.id,
            status: status(&row.status),
            queued_at: row.queued_at,
            merchant: row.merchant,
            organisation: row.organisation,
            establishment_number: row.establishment_number,
            case_number: row.case_number,
        })
        .collect())
}

/// How many conversations wait in the queue.
pub async fn waiting_count(db: &Db) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM chat_conversations WHERE status = 'waiting'").fetch_one(&db.pool).await
}

#[derive(sqlx::FromRow)]
struct PastRow {
    id: i64,
    created_at: i64,
    case_number: Option<String>,
    agent_name: Option<String>,
    messages: i64,
}

/// The user's ended conversations, newest first.
pub async fn past_for_user(db: &Db, user: i64) -> Result<Vec<PastChat>, sqlx::Error> {
    let rows: Vec<PastRow> = sqlx::query_as(
        "SELECT c.id, c.created_at, d.case_number, a.full_name AS agent_name, \
                CAST((SELECT COUNT(*) FROM chat_messages m WHERE m.conversation_id = c.id) AS BIGINT) AS messages \
         FROM chat_conversations c \
         LEFT JOIN users a ON a.id = c.agent_user_id \
         LEFT JOIN disputes d ON d.id = c.dispute_id \
         WHERE c.user_id = $1 AND c.status = 'closed' ORDER BY c.id DESC LIMIT $2",
    )
    .bind(user)
    .bind(LIST_LIMIT)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|row| PastChat {
            id: row.id,
            created_at: row.created_at,
            case_number: row.case_number,
            agent_name: row.agent_name,
            messages: row.messages,
        })
        .collect())
}

/// Sets the agent's availability (`available` or `away`) and marks them seen.
pub async fn set_availability(
    transaction: &mut Transaction<'_, Any>,
    agent: i64,
    availability: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO chat_agents (user_id, availability, changed_at, seen_at) VALUES ($1, $2, $3, $3) \
         ON CONFLICT (user_id) DO UPDATE SET availability = excluded.availability, changed_at = excluded.changed_at, \
             seen_at = excluded.seen_at",
    )
    .bind(agent)
    .bind(availability)
    .bind(now)
    .execute(&mut **transaction)
    .await?;
    Ok(())
}

/// Marks the agent seen at work now (nothing for an agent who never chose an availability).
pub async fn touch_agent(transaction: &mut Transaction<'_, Any>, agent: i64, now: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE chat_agents SET seen_at = $1 WHERE user_id = $2 AND seen_at < $1")
        .bind(now)
        .bind(agent)
        .execute(&mut **transaction)
        .await?;
    Ok(())
}

/// The agent's availability and when they were last seen, if they ever chose one.
pub async fn availability_of(db: &Db, agent: i64) -> Result<Option<(String, i64)>, sqlx::Error> {
    sqlx::query_as("SELECT availability, seen_at FROM chat_agents WHERE user_id = $1")
        .bind(agent)
        .fetch_optional(&db.pool)
        .await
}

/// The enabled support agents available and seen since `since`, by name.
pub async fn available_agents(db: &Db, since: i64) -> Result<Vec<Agent>, sqlx::Error> {
    let rows: Vec<(i64, String, String)> = sqlx::query_as(
        "SELECT u.id, u.full_name, u.username FROM chat_agents g JOIN users u ON u.id = g.user_id \
         WHERE g.availability = 'available' AND g.seen_at >= $1 AND u.kind = 'support_agent' \
               AND u.disabled_at IS NULL \
         ORDER BY u.full_name, u.id",
    )
    .bind(since)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows.into_iter().map(|(user_id, full_name, username)| Agent { user_id, full_name, username }).collect())
}

/// Appends to the conversation's audit trail: who (`actor`) did `action` at `now`.
pub async fn insert_event(
    transaction: &mut Transaction<'_, Any>,
    conversation: i64,
    actor: &Actor,
    now: i64,
    action: &str,
    detail: &str,
) -> Result<(), sqlx::Error> {
    crate::support::store::audit(transaction, AuditTrail::Conversation(conversation), actor, now, action, detail).await
}
