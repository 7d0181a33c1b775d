//! The read behind every signed-in request: the user, their unread count, and their
//! memberships with the establishments each opens (`accounts::caller` turns the rows into a
//! `Caller`), and their unread secure-message threads (the rule is the support capability's:
//! `support::store::unread_threads_sql`). The session store reads the same rows, as JSON, in the query that loads the
//! session ([`caller_json_sql`]): a signed-in request then costs one query for both.

use crate::db::{Db, Engine};
use crate::support::store::unread_threads_sql;

/// The session data key under which the session store hands over the caller's rows, read with
/// the session ([`CallerJson`]). Never stored: the store removes it before writing.
pub const CALLER_ROWS: &str = "caller_rows";

/// A row of [`caller_rows`]: the user, and one membership with one establishment it opens.
#[derive(sqlx::FromRow)]
pub struct CallerRow {
    pub username: String,
    pub email: String,
    pub language: String,
    pub kind: String,
    pub unread: i64,
    pub unread_threads: i64,
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
    let sql = format!(
        "SELECT u.username, u.email, u.language, u.kind, n.unread, {threads} AS unread_threads, \
             m.organisation_id AS membership_organisation, m.role, m.establishment_id, e.id, \
             e.organisation_id, e.trading_name, o.dispute_config \
         FROM users u \
         CROSS JOIN (SELECT COUNT(*) AS unread FROM notifications WHERE user_id = $1 AND read_at IS NULL) n \
         LEFT JOIN memberships m ON m.user_id = u.id \
         LEFT JOIN organisations o ON o.id = m.organisation_id \
         LEFT JOIN establishments e ON e.organisation_id = m.organisation_id \
             AND (m.establishment_id IS NULL OR m.establishment_id = e.id) \
         WHERE u.id = $1 AND u.disabled_at IS NULL ORDER BY e.number",
        threads = unread_threads_sql("u.id")
    );
    sqlx::query_as(&sql).bind(user_id).fetch_all(&db.pool).await
}

/// A [`CallerRow`] as the JSON array of its columns [`caller_json_sql`] writes, in the order of
/// the fields.
pub type CallerJson = (
    String,
    String,
    String,
    String,
    i64,
    i64,
    Option<i64>,
    Option<String>,
    Option<i64>,
    Option<i64>,
    Option<i64>,
    Option<String>,
    Option<String>,
);

impl From<CallerJson> for CallerRow {
    fn from(json: CallerJson) -> CallerRow {
        let (username, email, language, kind, unread, unread_threads, membership_organisation, role) =
            (json.0, json.1, json.2, json.3, json.4, json.5, json.6, json.7);
        CallerRow {
            username,
            email,
            language,
            kind,
            unread,
            unread_threads,
            membership_organisation,
            role,
            establishment_id: json.8,
            id: json.9,
            organisation_id: json.10,
            trading_name: json.11,
            dispute_config: json.12,
        }
    }
}

/// A scalar subquery giving [`caller_rows`] of the user whose id the SQL expression `user`
/// names, as one JSON array of [`CallerJson`] (as text; `[]` or NULL for no row).
pub fn caller_json_sql(engine: Engine, user: &str) -> String {
    let aggregate = match engine {
        Engine::Sqlite => "json_group_array(json_array",
        Engine::Postgres => "json_agg(json_build_array",
    };
    format!(
        "(SELECT CAST({aggregate}(u.username, u.email, u.language, u.kind, \
             (SELECT COUNT(*) FROM notifications WHERE user_id = u.id AND read_at IS NULL), {threads}, \
             m.organisation_id, m.role, m.establishment_id, e.id, e.organisation_id, e.trading_name, \
             o.dispute_config) ORDER BY e.number) AS TEXT) \
         FROM users u \
         LEFT JOIN memberships m ON m.user_id = u.id \
         LEFT JOIN organisations o ON o.id = m.organisation_id \
         LEFT JOIN establishments e ON e.organisation_id = m.organisation_id \
             AND (m.establishment_id IS NULL OR m.establishment_id = e.id) \
         WHERE u.id = {user} AND u.disabled_at IS NULL)",
        threads = unread_threads_sql("u.id")
    )
}
