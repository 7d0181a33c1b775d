//! The in-app centre's reads and writes: unread counts and marking notifications read.

use crate::db::Db;

#[derive(sqlx::FromRow)]
struct UnreadRow {
    unread: i64,
    newest: i64,
}

/// The user's unread count and newest notification id (0 without any), in one query.
pub async fn unread_and_newest(db: &Db, user: i64) -> Result<(i64, i64), sqlx::Error> {
    let row: UnreadRow = sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM notifications WHERE user_id = $1 AND read_at IS NULL) AS unread, \
                (SELECT COALESCE(MAX(id), 0) FROM notifications WHERE user_id = $1) AS newest",
    )
    .bind(user)
    .fetch_one(&db.pool)
    .await?;
    Ok((row.unread, row.newest))
}

/// Marks the user's notification `id` read (another user's changes nothing); how many changed.
pub async fn mark_one_read(db: &Db, user: i64, id: i64, now: i64) -> Result<u64, sqlx::Error> {
    let done = sqlx::query("UPDATE notifications SET read_at = $1 WHERE user_id = $2 AND id = $3 AND read_at IS NULL")
        .bind(now)
        .bind(user)
        .bind(id)
        .execute(&db.pool)
        .await?;
    Ok(done.rows_affected())
}

/// Marks all of the user's notifications read; how many changed.
pub async fn mark_all_read(db: &Db, user: i64, now: i64) -> Result<u64, sqlx::Error> {
    let done = sqlx::query("UPDATE notifications SET read_at = $1 WHERE user_id = $2 AND read_at IS NULL")
        .bind(now)
        .bind(user)
        .execute(&db.pool)
        .await?;
    Ok(done.rows_affected())
}
