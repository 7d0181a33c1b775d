//! The dashboard's reads: open cases per establishment and currency, the last days' openings and
//! outcomes, payments, and the staff's platform-wide counts (the nearest reply-by dates are the
//! queue's first page: `disputes::store::queue_page`).

use crate::db::Db;
use crate::disputes::state::Status;
use chrono::NaiveDate;

/// The ids as an SQL list (never empty: callers return early without establishments).
fn id_list(establishments: &[i64]) -> String {
    establishments.iter().map(i64::to_string).collect::<Vec<_>>().join(", ")
}

/// Cases waiting for the merchant in one establishment and currency.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct OpenRow {
    pub establishment_id: i64,
    pub currency: String,
    pub open: i64,
    pub urgent: i64,
    pub overdue: i64,
    pub drafts: i64,
    pub at_stake: i64,
}

/// Cases waiting for the merchant (the "response needed" statuses) in `establishments`, by
/// establishment and currency: how many, due between `today` and `last_urgent_day`, due before
/// `today`, saved as drafts, and their disputed amount. The counts and amounts come from the
/// totals the database keeps (migration 0014); the cases due by `last_urgent_day`, few, are
/// counted from the queue's index.
pub async fn open_rows(
    db: &Db,
    establishments: &[i64],
    today: NaiveDate,
    last_urgent_day: NaiveDate,
) -> Result<Vec<OpenRow>, sqlx::Error> {
    let ids = id_list(establishments);
    let open = Status::sql_list(Status::awaits_merchant);
    let totals = format!(
        "SELECT establishment_id, currency, CAST(SUM(cases) AS BIGINT) AS open, 0 AS urgent, 0 AS overdue, \
             CAST(SUM(CASE WHEN status = '{draft}' THEN cases ELSE 0 END) AS BIGINT) AS drafts, \
             CAST(SUM(amount) AS BIGINT) AS at_stake \
         FROM dispute_status_totals WHERE establishment_id IN ({ids}) AND status IN {open} \
         GROUP BY establishment_id, currency HAVING SUM(cases) > 0 ORDER BY establishment_id, currency",
        draft = Status::DraftSaved.as_str(),
    );
    let mut rows: Vec<OpenRow> = sqlx::query_as(&totals).fetch_all(&db.pool).await?;
    let due = format!(
        "SELECT establishment_id, currency, CAST(SUM(CASE WHEN reply_by >= $1 THEN 1 ELSE 0 END) AS BIGINT) AS urgent, \
             CAST(SUM(CASE WHEN reply_by < $1 THEN 1 ELSE 0 END) AS BIGINT) AS overdue \
         FROM disputes WHERE establishment_id IN ({ids}) AND status IN {open} AND reply_by <= $2 \
         GROUP BY establishment_id, currency",
    );
    let due: Vec<DueRow> =
        sqlx::query_as(&due).bind(today.to_string()).bind(last_urgent_day.to_string()).fetch_all(&db.pool).await?;
    for due in due {
        if let Some(row) =
            rows.iter_mut().find(|row| row.establishment_id == due.establishment_id && row.currency == due.currency)
        {
            (row.urgent, row.overdue) = (due.urgent, due.overdue);
        }
    }
    Ok(rows)
}

#[derive(sqlx::FromRow)]
struct DueRow {
    establishment_id: i64,
    currency: String,
    urgent: i64,
    overdue: i64,
}

/// Cases opened, and cases closed, since an instant.
#[derive(Debug, Clone, Default, PartialEq, Eq, sqlx::FromRow)]
pub struct WeekRow {
    pub new_inquiries: Option<i64>,
    pub new_chargebacks: Option<i64>,
    pub won: Option<i64>,
    pub lost: Option<i64>,
    pub accepted: Option<i64>,
}

/// Inquiries and chargebacks opened at `since` or later in `establishments`, and the cases
/// won, lost and accepted since then (closed at `since` or later), from the hourly counts the
/// database keeps (migration 0014). `since` starts an hour (a Paris midnight does).
pub async fn week_row(db: &Db, establishments: &[i64], since: i64) -> Result<WeekRow, sqlx::Error> {
    debug_assert_eq!(since % 3600, 0, "the counts are by the hour");
    let ids = id_list(establishments);
    let count = |table: &str, column: &str, value: &str| {
        format!(
            "(SELECT CAST(COALESCE(SUM(cases), 0) AS BIGINT) FROM {table} \
              WHERE establishment_id IN ({ids}) AND hour >= $1 AND {column} = '{value}')"
        )
    };
    let sql = format!(
        "SELECT {} AS new_inquiries, {} AS new_chargebacks, {} AS won, {} AS lost, {} AS accepted",
        count("dispute_opened_hours", "stage", "inquiry"),
        count("dispute_opened_hours", "stage", "chargeback"),
        count("dispute_closed_hours", "status", Status::Won.as_str()),
        count("dispute_closed_hours", "status", Status::Lost.as_str()),
        count("dispute_closed_hours", "status", Status::Accepted.as_str()),
    );
    sqlx::query_as(&sql).bind(since / 3600).fetch_one(&db.pool).await
}

/// A payment as the dashboard lists it.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct PaymentRow {
    pub establishment_id: i64,
    pub trading_name: String,
    pub reference: String,
    pub payment_date: String,
    pub net_amount: i64,
    pub currency: String,
}

/// The latest `limit` payments paid between `from` and `to` (inclusive) in `establishments`,
/// newest first.
pub async fn latest_paid(
    db: &Db,
    establishments: &[i64],
    (from, to): (NaiveDate, NaiveDate),
    limit: i64,
) -> Result<Vec<PaymentRow>, sqlx::Error> {
    let sql = format!(
        "SELECT p.establishment_id, e.trading_name, p.reference, p.payment_date, p.net_amount, p.currency \
         FROM payments p JOIN establishments e ON e.id = p.establishment_id \
         WHERE p.establishment_id IN ({ids}) AND p.status = 'paid' AND p.payment_date >= $1 \
         AND p.payment_date <= $2 ORDER BY p.payment_date DESC, p.id DESC LIMIT $3",
        ids = id_list(establishments),
    );
    sqlx::query_as(&sql).bind(from.to_string()).bind(to.to_string()).bind(limit).fetch_all(&db.pool).await
}

#[derive(sqlx::FromRow)]
struct CountRow {
    establishment_id: i64,
    n: i64,
}

/// How many payments are pending in each of `establishments` that has some.
pub async fn pending_counts(db: &Db, establishments: &[i64]) -> Result<Vec<(i64, i64)>, sqlx::Error> {
    let sql = format!(
        "SELECT establishment_id, COUNT(*) AS n FROM payments WHERE establishment_id IN ({ids}) AND status = 'pending' \
         GROUP BY establishment_id ORDER BY establishment_id",
        ids = id_list(establishments),
    );
    let rows: Vec<CountRow> = sqlx::query_as(&sql).fetch_all(&db.pool).await?;
    Ok(rows.into_iter().map(|row| (row.establishment_id, row.n)).collect())
}

/// The dispute team's waiting responses: how many, and when the oldest was submitted.
#[derive(Debug, Clone, Default, PartialEq, Eq, sqlx::FromRow)]
pub struct ReviewRow {
    pub waiting: i64,
    pub oldest_submitted_at: Option<i64>,
}

/// Cases under review across the network, with their oldest latest submission.
pub async fn review_row(db: &Db) -> Result<ReviewRow, sqlx::Error> {
    sqlx::query_as(
        "SELECT COUNT(*) AS waiting, MIN(w.submitted_at) AS oldest_submitted_at FROM \
         (SELECT (SELECT MAX(r.submitted_at) FROM responses r WHERE r.dispute_id = d.id) AS submitted_at \
          FROM disputes d WHERE d.status = $1) w",
    )
    .bind(Status::UnderReview.as_str())
    .fetch_one(&db.pool)
    .await
}

/// Decisions (for the merchant or the cardholder) recorded at `since` or later.
pub async fn decisions_since(db: &Db, since: i64) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT COUNT(*) FROM decisions WHERE decided_at >= $1 AND outcome IN ('merchant', 'cardholder')",
    )
    .bind(since)
    .fetch_one(&db.pool)
    .await
}

/// The platform's counts a platform admin sees.
#[derive(Debug, Clone, Default, PartialEq, Eq, sqlx::FromRow)]
pub struct PlatformRow {
    pub failed_emails: i64,
    pub organisations: i64,
    pub establishments: i64,
    pub subscribed: i64,
}

/// Failed emails, organisations, establishments and those subscribed to online disputes.
pub async fn platform_row(db: &Db) -> Result<PlatformRow, sqlx::Error> {
    sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM notifications WHERE email_state = 'failed') AS failed_emails, \
                (SELECT COUNT(*) FROM organisations) AS organisations, \
                (SELECT COUNT(*) FROM establishments) AS establishments, \
                (SELECT COUNT(*) FROM establishments WHERE dispute_subscribed) AS subscribed",
    )
    .fetch_one(&db.pool)
    .await
}
