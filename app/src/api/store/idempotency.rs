//! Idempotency records: claimed first in an operation's write transaction, so that concurrent
//! retries wait for the first to commit (PostgreSQL's unique index, SQLite's single writer),
//! then answered from the record.

use crate::db::Write;

/// What the claim of an `Idempotency-Key` found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Claim {
    /// The key is new: the caller goes on and records its answer.
    New,
    /// The key was used with this body: its first answer (status, JSON).
    Replay(u16, String),
    /// The key was used with another body.
    Conflict,
}

/// Claims `idempotency_key` of `key_id` for a body of hash `request_hash`.
pub async fn claim(
    write: &mut Write,
    key_id: i64,
    idempotency_key: &str,
    request_hash: &str,
    now: i64,
) -> Result<Claim, sqlx::Error> {
    let inserted = sqlx::query(
        "INSERT INTO api_idempotency (key_id, idempotency_key, request_hash, status, response, created_at) \
         VALUES ($1, $2, $3, 0, '', $4) ON CONFLICT (key_id, idempotency_key) DO NOTHING",
    )
    .bind(key_id)
    .bind(idempotency_key)
    .bind(request_hash)
    .bind(now)
    .execute(&mut ***write)
    .await?
    .rows_affected();
    if inserted == 1 {
        return Ok(Claim::New);
    }
    let (hash, status, response): (String, i64, String) = sqlx::query_as(
        "SELECT request_hash, status, response FROM api_idempotency WHERE key_id = $1 AND idempotency_key = $2",
    )
    .bind(key_id)
    .bind(idempotency_key)
    .fetch_one(&mut ***write)
    .await?;
    Ok(if hash != request_hash { Claim::Conflict } else { Claim::Replay(status as u16, response) })
}

/// Records the answer of a claimed key.
pub async fn record(
    write: &mut Write,
    key_id: i64,
    idempotency_key: &str,
    status: u16,
    response: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE api_idempotency SET status = $3, response = $4 WHERE key_id = $1 AND idempotency_key = $2")
        .bind(key_id)
        .bind(idempotency_key)
        .bind(i64::from(status))
        .bind(response)
        .execute(&mut ***write)
        .await
        .map(|_| ())
}
