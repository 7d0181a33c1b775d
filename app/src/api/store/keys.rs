//! API keys: issuing (with the establishments a key names), finding the active key of a secret's
//! hash, recording its last use, listing an owner's keys and revoking one.

use super::flag;
use crate::db::{Db, Write};

/// An API key as authentication reads it.
#[derive(Debug, sqlx::FromRow)]
struct KeyRecord {
    id: i64,
    organisation_id: Option<i64>,
    all_establishments: i64,
    can_send: i64,
    can_read: i64,
    last_used_at: Option<i64>,
}

/// An active key.
#[derive(Debug, Clone)]
pub struct KeyRow {
    pub id: i64,
    pub organisation_id: Option<i64>,
    pub all_establishments: bool,
    pub can_send: bool,
    pub can_read: bool,
    pub last_used_at: Option<i64>,
}

/// The key whose secret has this hash, unless revoked.
pub async fn find_active_key(db: &Db, hash: &str) -> Result<Option<KeyRow>, sqlx::Error> {
    let record: Option<KeyRecord> = sqlx::query_as(concat!(
        "SELECT id, organisation_id, ",
        flag!("all_establishments", "all_establishments"),
        ", ",
        flag!("can_send", "can_send"),
        ", ",
        flag!("can_read", "can_read"),
        ", last_used_at FROM api_keys WHERE key_hash = $1 AND revoked_at IS NULL"
    ))
    .bind(hash)
    .fetch_optional(&db.pool)
    .await?;
    Ok(record.map(|r| KeyRow {
        id: r.id,
        organisation_id: r.organisation_id,
        all_establishments: r.all_establishments != 0,
        can_send: r.can_send != 0,
        can_read: r.can_read != 0,
        last_used_at: r.last_used_at,
    }))
}

/// The establishments a key names (when it does not reach all).
pub async fn key_establishments(db: &Db, key_id: i64) -> Result<Vec<i64>, sqlx::Error> {
    sqlx::query_scalar("SELECT establishment_id FROM api_key_establishments WHERE key_id = $1")
        .bind(key_id)
        .fetch_all(&db.pool)
        .await
}

/// Records the key's last use.
pub async fn touch_key(db: &Db, key_id: i64, now: i64) -> Result<(), sqlx::Error> {
    let mut write = db.write().await?;
    sqlx::query("UPDATE api_keys SET last_used_at = $2 WHERE id = $1")
        .bind(key_id)
        .bind(now)
        .execute(&mut **write)
        .await?;
    write.commit().await
}

/// A key to issue.
pub struct NewKey<'a> {
    pub organisation_id: Option<i64>,
    pub name: &'a str,
    pub prefix: &'a str,
    pub hash: &'a str,
    /// `None`: every establishment of its owner.
    pub establishments: Option<&'a [i64]>,
    pub can_send: bool,
    pub can_read: bool,
    pub created_by: i64,
    pub now: i64,
}

/// Issues a key and the establishments it names; its id.
pub async fn insert_key(write: &mut Write, key: &NewKey<'_>) -> Result<i64, sqlx::Error> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO api_keys (organisation_id, name, key_prefix, key_hash, all_establishments, can_send, can_read, \
         created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
    )
    .bind(key.organisation_id)
    .bind(key.name)
    .bind(key.prefix)
    .bind(key.hash)
    .bind(key.establishments.is_none())
    .bind(key.can_send)
    .bind(key.can_read)
    .bind(key.created_by)
    .bind(key.now)
    .fetch_one(&mut ***write)
    .await?;
    for establishment in key.establishments.unwrap_or_default() {
        sqlx::query("INSERT INTO api_key_establishments (key_id, establishment_id) VALUES ($1, $2)")
            .bind(id)
            .bind(*establishment)
            .execute(&mut ***write)
            .await?;
    }
    Ok(id)
}

/// A key as its list shows it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ListedKey {
    pub id: i64,
    pub name: String,
    pub key_prefix: String,
    pub all_establishments: i64,
    pub can_send: i64,
    pub can_read: i64,
    pub created_at: i64,
    pub last_used_at: Option<i64>,
    pub revoked_at: Option<i64>,
    /// The numbers of the establishments it names, comma-separated.
    pub establishments: Option<String>,
}

/// The keys of an owner (`None`: the platform's gateway keys), newest first.
pub async fn keys_of_owner(db: &Db, organisation_id: Option<i64>) -> Result<Vec<ListedKey>, sqlx::Error> {
    let aggregate = match db.engine {
        crate::db::Engine::Sqlite => "group_concat(e.number, ', ')",
        crate::db::Engine::Postgres => "string_agg(e.number, ', ' ORDER BY e.number)",
    };
    sqlx::query_as(&format!(
        "SELECT k.id, k.name, k.key_prefix, {}, {}, {}, k.created_at, k.last_used_at, k.revoked_at, \
         (SELECT {aggregate} FROM api_key_establishments ke JOIN establishments e ON e.id = ke.establishment_id \
          WHERE ke.key_id = k.id) AS establishments \
         FROM api_keys k WHERE (k.organisation_id = $1 OR ($1 IS NULL AND k.organisation_id IS NULL)) \
         ORDER BY k.created_at DESC, k.id DESC",
        flag!("k.all_establishments", "all_establishments"),
        flag!("k.can_send", "can_send"),
        flag!("k.can_read", "can_read"),
    ))
    .bind(organisation_id)
    .fetch_all(&db.pool)
    .await
}

/// Revokes the owner's key `id`; `false` when the owner has no such active key.
pub async fn revoke_key(db: &Db, organisation_id: Option<i64>, id: i64, now: i64) -> Result<bool, sqlx::Error> {
    let mut write = db.write().await?;
    let done = sqlx::query(
        "UPDATE api_keys SET revoked_at = $3 WHERE id = $1 AND revoked_at IS NULL \
         AND (organisation_id = $2 OR ($2 IS NULL AND organisation_id IS NULL))",
    )
    .bind(id)
    .bind(organisation_id)
    .bind(now)
    .execute(&mut **write)
    .await?
    .rows_affected();
    write.commit().await?;
    Ok(done == 1)
}
