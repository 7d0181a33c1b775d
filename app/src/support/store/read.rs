//! Reading secure messages: one thread with its establishment, organisation and case; a
//! merchant's list (within their scope, with their unread marks); the agents' console; a
//! thread's messages with their senders and attachments; one attachment's file; the case a new
//! thread names and a case's summary.

use crate::db::Db;
use crate::support::model::{
    Attachment, CaseRef, CaseSummary, ConsoleThread, ListedThread, Message, Sender, StoredAttachment, Thread, Topic,
};
use crate::support::state::Status;

/// Most threads a list shows.
const LIST_LIMIT: i64 = 200;

fn topic(stored: &str) -> Topic {
    // The schema allows no other value.
    Topic::parse(stored).unwrap_or(Topic::Website)
}

fn status(stored: &str) -> Status {
    Status::parse(stored).unwrap_or(Status::Closed)
}

#[derive(sqlx::FromRow)]
struct ThreadRow {
    id: i64,
    organisation_id: i64,
    organisation: String,
    establishment_id: Option<i64>,
    establishment_number: Option<String>,
    establishment_name: Option<String>,
    created_by: i64,
    subject: String,
    topic: String,
    status: String,
    dispute_id: Option<i64>,
    case_number: Option<String>,
    created_at: i64,
    updated_at: i64,
    last_agent_message_id: Option<i64>,
}

impl From<ThreadRow> for Thread {
    fn from(row: ThreadRow) -> Thread {
        Thread {
            id: row.id,
            organisation_id: row.organisation_id,
            organisation: row.organisation,
            establishment_id: row.establishment_id,
            establishment: row.establishment_number.zip(row.establishment_name),
            created_by: row.created_by,
            subject: row.subject,
            topic: topic(&row.topic),
            status: status(&row.status),
            dispute_id: row.dispute_id,
            case_number: row.case_number,
            created_at: row.created_at,
            updated_at: row.updated_at,
            last_agent_message_id: row.last_agent_message_id,
        }
    }
}

/// The thread `id`, whoever may see it (the caller's rules decide).
pub async fn thread_by_id(db: &Db, id: i64) -> Result<Option<Thread>, sqlx::Error> {
    let row: Option<ThreadRow> = sqlx::query_as(
        "SELECT t.id, t.organisation_id, o.name AS organisation, t.establishment_id, \
                e.number AS establishment_number, e.trading_name AS establishment_name, t.created_by, t.subject, \
                t.topic, t.status, t.dispute_id, d.case_number, t.created_at, t.updated_at, t.last_agent_message_id \
         FROM message_threads t \
         JOIN organisations o ON o.id = t.organisation_id \
         LEFT JOIN establishments e ON e.id = t.establishment_id \
         LEFT JOIN disputes d ON d.id = t.dispute_id \
         WHERE t.id = $1",
    )
    .bind(id)
    .fetch_optional(&db.pool)
    .await?;
    Ok(row.map(Thread::from))
}

/// `1,2,3` for an `IN (…)` list; `NULL` for none (which matches nothing).
fn id_list(ids: &[i64]) -> String {
    if ids.is_empty() {
        return "NULL".to_owned();
    }
    ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",")
}

#[derive(sqlx::FromRow)]
struct ListedRow {
    id: i64,
    subject: String,
    topic: String,
    status: String,
    establishment: Option<String>,
    updated_at: i64,
    unread: i64,
}

/// The threads of the scope — written by `user`, of the organisations `headquarters`, or of
/// the establishments `establishments` — newest activity first, each with whether customer
/// service wrote after `user`'s read mark.
pub async fn threads_for_scope(
    db: &Db,
    user: i64,
    headquarters: &[i64],
    establishments: &[i64],
) -> Result<Vec<ListedThread>, sqlx::Error> {
    let sql = format!(
        "SELECT t.id, t.subject, t.topic, t.status, e.trading_name AS establishment, t.updated_at, \
                CASE WHEN t.last_agent_message_id > COALESCE(r.message_id, 0) THEN 1 ELSE 0 END AS unread \
         FROM message_threads t \
         LEFT JOIN establishments e ON e.id = t.establishment_id \
         LEFT JOIN message_reads r ON r.thread_id = t.id AND r.user_id = $1 \
         WHERE t.created_by = $1 OR t.organisation_id IN ({}) OR t.establishment_id IN ({}) \
         ORDER BY t.updated_at DESC, t.id DESC LIMIT $2",
        id_list(headquarters),
        id_list(establishments)
    );
    let rows: Vec<ListedRow> = sqlx::query_as(&sql).bind(user).bind(LIST_LIMIT).fetch_all(&db.pool).await?;
    Ok(rows
        .into_iter()
        .map(|row| ListedThread {
            id: row.id,
            subject: row.subject,
            topic: topic(&row.topic),
            status: status(&row.status),
            establishment: row.establishment,
            updated_at: row.updated_at,
            unread: row.unread == 1,
        })
        .collect())
}

#[derive(sqlx::FromRow)]
struct ConsoleRow {
    id: i64,
    subject: String,
    topic: String,
    status: String,
    organisation: String,
    establishment_number: Option<String>,
    case_number: Option<String>,
    created_at: i64,
    updated_at: i64,
}

/// The agents' console: threads waiting for customer service first, then answered ones, each
/// group oldest activity first; closed threads only when searched for. `search`: an
/// establishment number or a case number, exactly.
pub async fn console_threads(db: &Db, search: Option<&str>) -> Result<Vec<ConsoleThread>, sqlx::Error> {
    let filter =
        if search.is_some() { "(e.number = $2 OR d.case_number = $2)" } else { "t.status <> 'closed' AND $2 = ''" };
    let sql = format!(
        "SELECT t.id, t.subject, t.topic, t.status, o.name AS organisation, e.number AS establishment_number, \
                d.case_number, t.created_at, t.updated_at \
         FROM message_threads t \
         JOIN organisations o ON o.id = t.organisation_id \
         LEFT JOIN establishments e ON e.id = t.establishment_id \
         LEFT JOIN disputes d ON d.id = t.dispute_id \
         WHERE {filter} \
         ORDER BY CASE t.status WHEN 'open' THEN 0 WHEN 'answered' THEN 1 ELSE 2 END, t.updated_at, t.id LIMIT $1"
    );
    let rows: Vec<ConsoleRow> =
        sqlx::query_as(&sql).bind(LIST_LIMIT).bind(search.unwrap_or_default()).fetch_all(&db.pool).await?;
    Ok(rows
        .into_iter()
        .map(|row| ConsoleThread {
            id: row.id,
            subject: row.subject,
            topic: topic(&row.topic),
            status: status(&row.status),
            organisation: row.organisation,
            establishment_number: row.establishment_number,
            case_number: row.case_number,
            created_at: row.created_at,
            updated_at: row.updated_at,
        })
        .collect())
}

/// A message's row with its sender, as both the threads' and the chat's messages are read.
#[derive(sqlx::FromRow)]
pub struct MessageRow {
    pub id: i64,
    pub sender_user_id: i64,
    pub username: String,
    pub full_name: String,
    pub kind: String,
    pub body: String,
    pub sent_at: i64,
}

impl MessageRow {
    pub fn sender(&self) -> Sender {
        Sender {
            user_id: self.sender_user_id,
            username: self.username.clone(),
            full_name: self.full_name.clone(),
            kind: self.kind.clone(),
        }
    }
}

#[derive(sqlx::FromRow)]
struct AttachmentRow {
    id: i64,
    message_id: i64,
    original_name: String,
    content_type: String,
    size_bytes: i64,
}

/// The thread's messages, oldest first, each with its sender and attachments.
pub async fn messages_of(db: &Db, thread: i64) -> Result<Vec<Message>, sqlx::Error> {
    let messages = sqlx::query_as::<_, MessageRow>(
        "SELECT m.id, m.sender_user_id, u.username, u.full_name, u.kind, m.body, m.sent_at \
         FROM secure_messages m JOIN users u ON u.id = m.sender_user_id \
         WHERE m.thread_id = $1 ORDER BY m.id",
    )
    .bind(thread)
    .fetch_all(&db.pool);
    let attachments = sqlx::query_as::<_, AttachmentRow>(
        "SELECT a.id, a.message_id, a.original_name, a.content_type, a.size_bytes \
         FROM message_attachments a JOIN secure_messages m ON m.id = a.message_id \
         WHERE m.thread_id = $1 ORDER BY a.id",
    )
    .bind(thread)
    .fetch_all(&db.pool);
    let (messages, attachments) = tokio::try_join!(messages, attachments)?;
    Ok(messages
        .into_iter()
        .map(|row| Message {
            id: row.id,
            sender: row.sender(),
            body: row.body,
            sent_at: row.sent_at,
            attachments: attachments
                .iter()
                .filter(|attachment| attachment.message_id == row.id)
                .map(|attachment| Attachment {
                    id: attachment.id,
                    message_id: attachment.message_id,
                    name: attachment.original_name.clone(),
                    content_type: attachment.content_type.clone(),
                    size_bytes: attachment.size_bytes,
                })
                .collect(),
        })
        .collect())
}

/// The attachment `id` if it belongs to a message of `thread`.
pub async fn attachment_of_thread(db: &Db, thread: i64, id: i64) -> Result<Option<StoredAttachment>, sqlx::Error> {
    sqlx::query_as(
        "SELECT a.original_name, a.content_type, a.storage_key \
         FROM message_attachments a JOIN secure_messages m ON m.id = a.message_id \
         WHERE a.id = $1 AND m.thread_id = $2",
    )
    .bind(id)
    .bind(thread)
    .fetch_optional(&db.pool)
    .await
}

/// The newest message of the thread (0 without any).
pub async fn latest_message_id(db: &Db, thread: i64) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT CAST(COALESCE(MAX(id), 0) AS BIGINT) FROM secure_messages WHERE thread_id = $1")
        .bind(thread)
        .fetch_one(&db.pool)
        .await
}

/// The user's read mark on the thread: the newest message they saw (0: never opened).
pub async fn read_mark(db: &Db, thread: i64, user: i64) -> Result<i64, sqlx::Error> {
    let mark: Option<i64> =
        sqlx::query_scalar("SELECT message_id FROM message_reads WHERE thread_id = $1 AND user_id = $2")
            .bind(thread)
            .bind(user)
            .fetch_optional(&db.pool)
            .await?;
    Ok(mark.unwrap_or(0))
}

/// The case with this number, whoever's it is (the caller's rules decide).
pub async fn case_by_number(db: &Db, case_number: &str) -> Result<Option<CaseRef>, sqlx::Error> {
    let row: Option<(i64, i64)> = sqlx::query_as("SELECT id, establishment_id FROM disputes WHERE case_number = $1")
        .bind(case_number)
        .fetch_optional(&db.pool)
        .await?;
    Ok(row.map(|(id, establishment_id)| CaseRef { id, establishment_id }))
}

/// A case's summary, for customer service.
pub async fn case_summary(db: &Db, dispute: i64) -> Result<Option<CaseSummary>, sqlx::Error> {
    sqlx::query_as(
        "SELECT case_number, stage, status, reason_code, disputed_amount, currency, reply_by FROM disputes WHERE id = $1",
    )
    .bind(dispute)
    .fetch_optional(&db.pool)
    .await
}

/// An establishment's number.
pub async fn establishment_number(db: &Db, id: i64) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT number FROM establishments WHERE id = $1").bind(id).fetch_optional(&db.pool).await
}
