//! Idempotency records: an operation's answer is recorded in the write transaction that applied
//! it, by an `INSERT` that a concurrent request with the same key cannot also make (the unique
//! index on key and `Idempotency-Key`: PostgreSQL makes the second wait for the first to commit,
//! SQLite's single writer orders them). The request that loses rolls its work back and answers
//! from the winner's record.

use crate::db::{Db, Write};

/// What an `Idempotency-Key` already used found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Used {
    /// Used with this body: its first answer (status, JSON).
    Replay(u16, String),
    /// Used with another body.
    Conflict,
}

/// The record of `idempotency_key` of `key_id`, compared with a body of hash `request_hash`;
/// `None` when the key is new.
pub async fn find(
    db: &Db,
    key_id: i64,
    idempotency_key: &str,
    request_hash: &str,
) -> Result<Option<Used>, sqlx::Error> {
    let found: Option<(String, i64, String)> = sqlx::query_as(
        "SELECT request_hash, status, response FROM api_idempotency WHERE key_id = $1 AND idempotency_key = $2",
    )
    .bind(key_id)
    .bind(idempotency_key)
    .fetch_optional(&db.pool)
    .await?;
    Ok(found.map(
        |(hash, status, response)| {
            if hash != request_hash {
                Used::Conflict
            } else {
                Used::Replay(status as u16, response)
            }
        },
    ))
}

/// An answer to record under an `Idempotency-Key`.
pub struct Record<'a> {
    pub key_id: i64,
    pub idempotency_key: &'a str,
    pub request_hash: &'a str,
    pub status: u16,
    pub response: &'a str,
    pub now: i64,
}

/// Records the answer; `false` when a request with the same key recorded one first (the
/// caller then rolls back and answers with [`find`]).
pub async fn record(write: &mut Write, record: &Record<'_>) -> Result<bool, sqlx::Error> {
    let inserted = sqlx::query(
        "INSERT INTO api_idempotency (key_id, idempotency_key, request_hash, status, response, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (key_id, idempotency_key) DO NOTHING",
    )
    .bind(record.key_id)
    .bind(record.idempotency_key)
    .bind(record.request_hash)
    .bind(i64::from(record.status))
    .bind(record.response)
    .bind(record.now)
    .execute(&mut ***write)
    .await?
    .rows_affected();
    Ok(inserted == 1)
}
