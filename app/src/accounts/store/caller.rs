//! The read behind every signed-in request: the user, their unread count, and their
//! memberships with the establishments each opens (`accounts::caller` turns the rows into a
//! `Caller`).

use crate::db::Db;

/// A row of [`caller_rows`]: the user, and one membership with one establishment it opens.
#[derive(sqlx::FromRow)]
pub struct CallerRow {
    pub username: String,
    pub email: String,
    pub language: String,
    pub kind: String,
    pub unread: i64,
    pub membership_organisation: Option<i64>,
    pub role: Option<String>,
    pub establishment_id: Option<i64>,
    pub id: Option<i64>,
    pub organisation_id: Option<i64>,
    pub trading_name: Option<String>,
    pub dispute_config: Option<String>,
}

/// User `user_id` if not disabled, in one query (it runs on every request): one row per
/// membership and establishment it opens, by establishment number (an organisation without
/// establishments still gives its membership row; a user without memberships gives one row of
/// NULLs). No row: the user is gone or disabled.
pub async fn caller_rows(db: &Db, user_id: i64) -> Result<Vec<CallerRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT u.username, u.email, u.language, u.kind, n.unread, \
             m.organisation_id AS membership_organisation, m.role, m.establishment_id, e.id, \
             e.organisation_id, e.trading_name, o.dispute_config \
         FROM users u \
         CROSS JOIN (SELECT COUNT(*) AS unread FROM notifications WHERE user_id = $1 AND read_at IS NULL) n \
         LEFT JOIN memberships m ON m.user_id = u.id \
         LEFT JOIN organisations o ON o.id = m.organisation_id \
         LEFT JOIN establishments e ON e.organisation_id = m.organisation_id \
             AND (m.establishment_id IS NULL OR m.establishment_id = e.id) \
         WHERE u.id = $1 AND u.disabled_at IS NULL ORDER BY e.number",
    )
    .bind(user_id)
    .fetch_all(&db.pool)
    .await
}
