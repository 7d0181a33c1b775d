//! tower-sessions' store over the `sessions` table, on SQLite or PostgreSQL. Each row keeps the
//! signed-in user's id beside the serialised data, so that a password change or reset can end
//! that user's other sessions with one statement. Loading a signed-in session also reads its
//! user's caller rows in the same query (handed over under [`store::CALLER_ROWS`], never
//! stored), so a signed-in request costs one query before its page's own.

use super::caller::USER_ID;
use super::store;
use crate::db::Db;
use std::sync::Arc;
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{self, ExpiredDeletion, SessionStore};

#[derive(Debug, Clone)]
pub struct DbSessionStore {
    db: Db,
    /// The session's data and its user's caller rows, by session id and now.
    load_sql: Arc<str>,
}

fn backend(error: impl std::fmt::Display) -> session_store::Error {
    session_store::Error::Backend(error.to_string())
}

fn user_id(record: &Record) -> Option<i64> {
    record.data.get(USER_ID).and_then(serde_json::Value::as_i64)
}

/// The record as stored: without the caller rows handed over at load.
fn stored_bytes(record: &Record) -> Result<Vec<u8>, session_store::Error> {
    if record.data.contains_key(store::CALLER_ROWS) {
        let mut stored = record.clone();
        stored.data.remove(store::CALLER_ROWS);
        serde_json::to_vec(&stored).map_err(backend)
    } else {
        serde_json::to_vec(record).map_err(backend)
    }
}

impl DbSessionStore {
    pub fn new(db: Db) -> DbSessionStore {
        let caller = store::caller_json_sql(db.engine, "s.user_id");
        let load_sql =
            format!("SELECT s.data, {caller} AS caller FROM sessions s WHERE s.id = $1 AND s.expiry_date > $2");
        DbSessionStore { db, load_sql: load_sql.into() }
    }

    /// Whether the session `id` is still stored and unexpired: a long-lived answer (the
    /// notification stream) ends when its session does.
    pub async fn is_live(db: &Db, id: &str) -> Result<bool, sqlx::Error> {
        let found: Option<i64> = sqlx::query_scalar("SELECT 1 FROM sessions WHERE id = $1 AND expiry_date > $2")
            .bind(id)
            .bind(crate::clock::now())
            .fetch_optional(&db.pool)
            .await?;
        Ok(found.is_some())
    }

    /// Ends every session of `user_id` except `keep` (the one making the change, if any).
    pub async fn end_sessions_of(db: &Db, user_id: i64, keep: Option<&str>) -> Result<u64, sqlx::Error> {
        let done = sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND id <> $2")
            .bind(user_id)
            .bind(keep.unwrap_or(""))
            .execute(&db.pool)
            .await?;
        Ok(done.rows_affected())
    }
}

#[async_trait::async_trait]
impl SessionStore for DbSessionStore {
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        let data = stored_bytes(record)?;
        // A new id that happens to exist already gets another draw.
        loop {
            let inserted = sqlx::query(
                "INSERT INTO sessions (id, user_id, data, expiry_date) VALUES ($1, $2, $3, $4) ON CONFLICT (id) DO NOTHING",
            )
            .bind(record.id.to_string())
            .bind(user_id(record))
            .bind(data.clone())
            .bind(record.expiry_date.unix_timestamp())
            .execute(&self.db.pool)
            .await
            .map_err(backend)?;
            if inserted.rows_affected() == 1 {
                return Ok(());
            }
            record.id = Id::default();
        }
    }

    /// Updates a stored session; one that was ended meanwhile (signed out, password changed or
    /// reset, user removed or disabled) stays ended: a request still in flight when it ended
    /// must not write it back with a fresh expiry. New sessions go through `create`.
    async fn save(&self, record: &Record) -> session_store::Result<()> {
        let data = stored_bytes(record)?;
        sqlx::query("UPDATE sessions SET user_id = $2, data = $3, expiry_date = $4 WHERE id = $1 AND expiry_date > $5")
            .bind(record.id.to_string())
            .bind(user_id(record))
            .bind(data)
            .bind(record.expiry_date.unix_timestamp())
            .bind(crate::clock::now())
            .execute(&self.db.pool)
            .await
            .map_err(backend)?;
        Ok(())
    }

    async fn load(&self, id: &Id) -> session_store::Result<Option<Record>> {
        let row: Option<(Vec<u8>, Option<String>)> = sqlx::query_as(&self.load_sql)
            .bind(id.to_string())
            .bind(crate::clock::now())
            .fetch_optional(&self.db.pool)
            .await
            .map_err(backend)?;
        let Some((data, caller)) = row else { return Ok(None) };
        let mut record: Record = serde_json::from_slice(&data).map_err(backend)?;
        // The caller rows of a signed-in session (`[]` or NULL: the user is gone or disabled).
        if record.data.contains_key(USER_ID) {
            let rows = match caller {
                Some(json) => serde_json::from_str(&json).map_err(backend)?,
                None => serde_json::Value::Array(Vec::new()),
            };
            record.data.insert(store::CALLER_ROWS.to_owned(), rows);
        }
        Ok(Some(record))
    }

    async fn delete(&self, id: &Id) -> session_store::Result<()> {
        sqlx::query("DELETE FROM sessions WHERE id = $1")
            .bind(id.to_string())
            .execute(&self.db.pool)
            .await
            .map_err(backend)?;
        Ok(())
    }
}

#[async_trait::async_trait]
impl ExpiredDeletion for DbSessionStore {
    async fn delete_expired(&self) -> session_store::Result<()> {
        sqlx::query("DELETE FROM sessions WHERE expiry_date <= $1")
            .bind(crate::clock::now())
            .execute(&self.db.pool)
            .await
            .map_err(backend)?;
        Ok(())
    }
}
