//! The analytics page's reads. Cases are counted by the Paris month they were opened in: the
//! month is the index of the bound it falls under (the bounds are Paris midnights computed by
//! the caller), so both engines count the same months without time-zone support in SQL. Each
//! read is one pass over an index range of `(establishment_id, opened_at)` (cases) or
//! `(establishment_id, kind, occurred_at)` (charges).

use crate::db::Db;
use crate::disputes::state::Status;

fn id_list(establishments: &[i64]) -> String {
    establishments.iter().map(i64::to_string).collect::<Vec<_>>().join(", ")
}

/// `CASE WHEN column < b1 THEN 0 WHEN column < b2 THEN 1 … END`: the month index of an instant
/// between `bounds[0]` and the last bound (the bounds are ours, written as numbers).
fn month_index(column: &str, bounds: &[i64]) -> String {
    let arms: String =
        bounds[1..].iter().enumerate().map(|(index, bound)| format!(" WHEN {column} < {bound} THEN {index}")).collect();
    format!("CASE{arms} END")
}

/// The counts and amounts of a set of cases (amounts in minor units of one currency); the
/// domain's rules over them are in `analytics::figures`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, sqlx::FromRow)]
pub struct Counts {
    pub inquiries: i64,
    pub chargebacks: i64,
    /// Answered by the merchant: a response submitted, or the refund accepted.
    pub answered: i64,
    pub accepted: i64,
    pub won: i64,
    pub lost: i64,
    /// Inquiries left unanswered: each became an R13 chargeback (the avoidable losses).
    pub expired_inquiries: i64,
    pub expired_chargebacks: i64,
    pub chargebacks_won: i64,
    pub chargebacks_lost: i64,
    pub disputed: i64,
    pub refunded: i64,
    pub won_back: i64,
    pub lost_amount: i64,
}

/// Cases opened in one month, establishment, reason code and currency.
#[derive(Debug, Clone, Default, PartialEq, Eq, sqlx::FromRow)]
pub struct CaseRow {
    pub month: i64,
    pub establishment_id: i64,
    pub reason_code: String,
    pub currency: String,
    #[sqlx(flatten)]
    pub counts: Counts,
}

/// The instant of a case's first answer: its first submitted response, or its acceptance.
const ANSWERED_AT: &str = "COALESCE((SELECT MIN(r.submitted_at) FROM responses r WHERE r.dispute_id = d.id), \
                           CASE WHEN d.status = 'accepted' THEN d.closed_at END)";

/// Every case opened between the first and the last of `bounds` in `establishments`, summed by
/// month, establishment, reason code and currency.
pub async fn case_rows(db: &Db, establishments: &[i64], bounds: &[i64]) -> Result<Vec<CaseRow>, sqlx::Error> {
    let flag = |condition: &str| format!("SUM(CASE WHEN {condition} THEN 1 ELSE 0 END)");
    let amount =
        |condition: &str| format!("CAST(SUM(CASE WHEN {condition} THEN c.disputed_amount ELSE 0 END) AS BIGINT)");
    let (accepted, won, lost, expired) =
        (Status::Accepted.as_str(), Status::Won.as_str(), Status::Lost.as_str(), Status::Expired.as_str());
    let sql = format!(
        "SELECT c.month, c.establishment_id, c.reason_code, c.currency, \
             {inquiries} AS inquiries, {chargebacks} AS chargebacks, {answered} AS answered, {accepted_n} AS accepted, \
             {won_n} AS won, {lost_n} AS lost, {expired_inquiries} AS expired_inquiries, \
             {expired_chargebacks} AS expired_chargebacks, {chargebacks_won} AS chargebacks_won, \
             {chargebacks_lost} AS chargebacks_lost, CAST(SUM(c.disputed_amount) AS BIGINT) AS disputed, \
             {refunded} AS refunded, {won_back} AS won_back, {lost_amount} AS lost_amount \
         FROM (SELECT {month} AS month, d.establishment_id, d.reason_code, d.currency, d.stage, d.status, \
                      d.disputed_amount, {ANSWERED_AT} AS answered_at \
               FROM disputes d WHERE d.establishment_id IN ({ids}) AND d.opened_at >= $1 AND d.opened_at < $2) c \
         GROUP BY c.month, c.establishment_id, c.reason_code, c.currency",
        month = month_index("d.opened_at", bounds),
        ids = id_list(establishments),
        inquiries = flag("c.stage = 'inquiry'"),
        chargebacks = flag("c.stage = 'chargeback'"),
        answered = flag("c.answered_at IS NOT NULL"),
        accepted_n = flag(&format!("c.status = '{accepted}'")),
        won_n = flag(&format!("c.status = '{won}'")),
        lost_n = flag(&format!("c.status = '{lost}'")),
        expired_inquiries = flag(&format!("c.stage = 'inquiry' AND c.status = '{expired}'")),
        expired_chargebacks = flag(&format!("c.stage = 'chargeback' AND c.status = '{expired}'")),
        chargebacks_won = flag(&format!("c.stage = 'chargeback' AND c.status = '{won}'")),
        chargebacks_lost = flag(&format!("c.stage = 'chargeback' AND c.status = '{lost}'")),
        refunded = amount(&format!("c.status = '{accepted}'")),
        won_back = amount(&format!("c.stage = 'chargeback' AND c.status = '{won}'")),
        lost_amount = amount(&format!("c.stage = 'chargeback' AND c.status IN ('{lost}', '{expired}')")),
    );
    sqlx::query_as(&sql).bind(bounds[0]).bind(bounds[bounds.len() - 1]).fetch_all(&db.pool).await
}

/// How many answered cases took this many whole days from opening to their first answer.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct AnswerDays {
    pub establishment_id: i64,
    pub days: i64,
    pub cases: i64,
}

/// Whole days from opening to first answer of the answered cases opened in the period (of
/// `reason` when given), counted by establishment and number of days.
pub async fn answer_days(
    db: &Db,
    establishments: &[i64],
    (from, to): (i64, i64),
    reason: Option<&str>,
) -> Result<Vec<AnswerDays>, sqlx::Error> {
    let reason_condition = if reason.is_some() { " AND d.reason_code = $3" } else { "" };
    let sql = format!(
        "SELECT a.establishment_id, (a.answered_at - a.opened_at) / 86400 AS days, COUNT(*) AS cases \
         FROM (SELECT d.establishment_id, d.opened_at, {ANSWERED_AT} AS answered_at FROM disputes d \
               WHERE d.establishment_id IN ({ids}) AND d.opened_at >= $1 AND d.opened_at < $2{reason_condition}) a \
         WHERE a.answered_at IS NOT NULL GROUP BY a.establishment_id, (a.answered_at - a.opened_at) / 86400",
        ids = id_list(establishments),
    );
    in_period(db, &sql, (from, to), reason).await
}

/// Runs `sql`, whose `$1` and `$2` are the period's instants and `$3` the reason code when one
/// is given.
async fn in_period<R>(db: &Db, sql: &str, (from, to): (i64, i64), reason: Option<&str>) -> Result<Vec<R>, sqlx::Error>
where
    R: for<'r> sqlx::FromRow<'r, sqlx::any::AnyRow> + Send + Unpin,
{
    let mut query = sqlx::query_as(sql).bind(from).bind(to);
    if let Some(reason) = reason {
        query = query.bind(reason.to_owned());
    }
    query.fetch_all(&db.pool).await
}

/// Charges of one establishment in one month.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ChargeRow {
    pub establishment_id: i64,
    pub month: i64,
    pub charges: i64,
}

/// Charges made in each month between consecutive `bounds`, by establishment: one count of a
/// range of the covering index `(establishment_id, kind, occurred_at)` per establishment and
/// month. (One pass over the whole period grouped by a month expression costs some fifteen
/// times more on the benchmark's 1,000,000 transactions: the expression is evaluated per row.)
pub async fn charge_rows(db: &Db, establishments: &[i64], bounds: &[i64]) -> Result<Vec<ChargeRow>, sqlx::Error> {
    let arms: Vec<String> = establishments
        .iter()
        .flat_map(|id| {
            bounds.windows(2).enumerate().map(move |(month, pair)| {
                format!(
                    "SELECT CAST({id} AS BIGINT) AS establishment_id, CAST({month} AS BIGINT) AS month, \
                     (SELECT COUNT(*) FROM transactions t \
                     WHERE t.establishment_id = {id} AND t.kind = 'charge' AND t.occurred_at >= {} AND t.occurred_at < {}) AS charges",
                    pair[0], pair[1]
                )
            })
        })
        .collect();
    sqlx::query_as(&arms.join(" UNION ALL ")).fetch_all(&db.pool).await
}

#[derive(sqlx::FromRow)]
struct OpenInquiries {
    establishment_id: i64,
    n: i64,
}

/// Inquiries still open (not accepted, decided or expired) in each establishment that has some.
pub async fn open_inquiries(db: &Db, establishments: &[i64]) -> Result<Vec<(i64, i64)>, sqlx::Error> {
    let sql = format!(
        "SELECT establishment_id, COUNT(*) AS n FROM disputes WHERE establishment_id IN ({ids}) \
         AND status IN {open} AND stage = 'inquiry' GROUP BY establishment_id",
        ids = id_list(establishments),
        open = Status::sql_list(|status| !status.is_closed()),
    );
    let rows: Vec<OpenInquiries> = sqlx::query_as(&sql).fetch_all(&db.pool).await?;
    Ok(rows.into_iter().map(|row| (row.establishment_id, row.n)).collect())
}

/// A masked card with cases at several establishments of one organisation.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct RepeatCard {
    pub organisation_id: i64,
    pub card_masked: String,
    pub establishments: i64,
    pub disputes: i64,
}

/// Masked cards with cases opened in the period (of `reason` when given) at two or more of one
/// organisation's `establishments`, the most disputed first.
pub async fn repeat_cards(
    db: &Db,
    establishments: &[i64],
    (from, to): (i64, i64),
    reason: Option<&str>,
) -> Result<Vec<RepeatCard>, sqlx::Error> {
    let reason_condition = if reason.is_some() { " AND d.reason_code = $3" } else { "" };
    let sql = format!(
        "SELECT e.organisation_id, t.card_masked, COUNT(DISTINCT d.establishment_id) AS establishments, \
             COUNT(*) AS disputes \
         FROM disputes d JOIN transactions t ON t.id = d.transaction_id JOIN establishments e ON e.id = d.establishment_id \
         WHERE d.establishment_id IN ({ids}) AND d.opened_at >= $1 AND d.opened_at < $2{reason_condition} \
         GROUP BY e.organisation_id, t.card_masked HAVING COUNT(DISTINCT d.establishment_id) >= 2 \
         ORDER BY COUNT(*) DESC, t.card_masked LIMIT 500",
        ids = id_list(establishments),
    );
    in_period(db, &sql, (from, to), reason).await
}

/// An establishment as the analytics page names it.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct EstablishmentName {
    pub id: i64,
    pub number: String,
    pub trading_name: String,
    pub organisation_id: i64,
    pub organisation: String,
    pub currency: String,
}

/// `establishments` (every one when `None`: the dispute team's network), by organisation and
/// number.
pub async fn establishment_names(
    db: &Db,
    establishments: Option<&[i64]>,
) -> Result<Vec<EstablishmentName>, sqlx::Error> {
    let condition = match establishments {
        Some([]) => return Ok(Vec::new()),
        Some(ids) => format!("WHERE e.id IN ({})", id_list(ids)),
        None => String::new(),
    };
    sqlx::query_as(&format!(
        "SELECT e.id, e.number, e.trading_name, e.organisation_id, o.name AS organisation, e.currency \
         FROM establishments e JOIN organisations o ON o.id = e.organisation_id {condition} \
         ORDER BY o.name, o.id, e.number"
    ))
    .fetch_all(&db.pool)
    .await
}

/// The dispute-rate threshold set, in basis points of the month's charges (the migration
/// writes the default row; `None` only if it was removed).
pub async fn threshold(db: &Db) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar("SELECT dispute_rate_threshold_bp FROM analytics_settings WHERE id = 1")
        .fetch_optional(&db.pool)
        .await
}

/// Sets the threshold (a platform admin's change; `by` is the user).
pub async fn set_threshold(db: &Db, basis_points: i64, by: i64, now: i64) -> Result<(), sqlx::Error> {
    let mut transaction = db.write().await?;
    sqlx::query(
        "INSERT INTO analytics_settings (id, dispute_rate_threshold_bp, updated_by, updated_at) VALUES (1, $1, $2, $3) \
         ON CONFLICT (id) DO UPDATE SET dispute_rate_threshold_bp = $1, updated_by = $2, updated_at = $3",
    )
    .bind(basis_points)
    .bind(by)
    .bind(now)
    .execute(&mut **transaction)
    .await?;
    transaction.commit().await
}
