//! Transactions: a page of the search, a chunk of the search's file, a submission's.

use crate::db::{Db, Engine, Sql};
use crate::money::filter::TransactionFilter;
use crate::money::transactions::TransactionRow;
use futures::{Stream, TryStreamExt};

/// A transaction's columns as shown, with the case number of the (first) dispute on it. A
/// macro, not a `const`, so that `concat!` can make whole statements of it.
macro_rules! columns {
    () => {
        "t.id, t.occurred_at, t.card_masked, t.amount, t.currency, t.kind, t.reference, \
         t.installment_plan_id, t.installment_count, t.installment_amount, t.installment_rate_basis_points, \
         t.installment_interest, t.installment_total, \
         (SELECT MIN(d.case_number) FROM disputes d WHERE d.transaction_id = t.id) AS case_number"
    };
}

#[derive(sqlx::FromRow)]
struct TransactionRecord {
    id: i64,
    occurred_at: i64,
    card_masked: String,
    amount: i64,
    currency: String,
    kind: String,
    reference: String,
    installment_plan_id: Option<String>,
    installment_count: Option<i64>,
    installment_amount: Option<i64>,
    installment_rate_basis_points: Option<i64>,
    installment_interest: Option<i64>,
    installment_total: Option<i64>,
    case_number: Option<String>,
}

impl From<TransactionRecord> for TransactionRow {
    fn from(row: TransactionRecord) -> Self {
        TransactionRow {
            id: row.id,
            occurred_at: row.occurred_at,
            card_masked: row.card_masked,
            amount: row.amount,
            currency: row.currency,
            kind: row.kind,
            reference: row.reference,
            plan: row.installment_plan_id.zip(row.installment_count),
            terms: terms(
                row.installment_amount,
                row.installment_rate_basis_points,
                row.installment_interest,
                row.installment_total,
            ),
            case_number: row.case_number,
        }
    }
}

/// The plan terms when all four were written.
fn terms(
    each: Option<i64>,
    rate: Option<i64>,
    interest: Option<i64>,
    total: Option<i64>,
) -> Option<(i64, i64, i64, i64)> {
    Some((each?, rate?, interest?, total?))
}

/// A transaction as a JSON array from the database, in the order of [`columns!`].
type JsonRow = (
    i64,
    i64,
    String,
    i64,
    String,
    String,
    String,
    Option<String>,
    Option<i64>,
    Option<i64>,
    Option<i64>,
    Option<i64>,
    Option<i64>,
    Option<String>,
);

/// The WHERE clause of a search: the establishment and range first, so that both engines read
/// `transactions_by_establishment_time` (or `transactions_by_card`), then the keyset.
fn push_conditions(sql: &mut Sql<'_>, establishment: i64, filter: &TransactionFilter, after: Option<(i64, i64)>) {
    let (start, end) = filter.range.instants();
    sql.push("t.establishment_id = ").push_bind(establishment);
    sql.push(" AND t.occurred_at >= ").push_bind(start);
    sql.push(" AND t.occurred_at < ").push_bind(end);
    if let Some(kind) = filter.kind {
        sql.push(" AND t.kind = ").push_bind(kind.as_str());
    }
    if let Some(min) = filter.amount_min {
        sql.push(" AND t.amount >= ").push_bind(min);
    }
    if let Some(max) = filter.amount_max {
        sql.push(" AND t.amount <= ").push_bind(max);
    }
    if let Some(card) = &filter.card_last4 {
        sql.push(" AND t.card_last4 = ").push_bind(card.clone());
    }
    // Rows after `(occurred_at, id)` in the newest-first order; the instant is bound once and
    // named twice, as the benchmarked statement has it.
    if let Some((at, id)) = after {
        sql.push(" AND (t.occurred_at < ").push_bind(at);
        sql.push(" OR (t.occurred_at = ").push_previous(0);
        sql.push(" AND t.id < ").push_bind(id).push("))");
    }
}

/// Up to `limit` of the establishment's transactions the filter names, newest first, from the
/// filter's keyset on: read as one JSON array, like a file's chunk (row by row, each row's
/// hand-over from the SQLite driver's thread was most of the page's database time).
pub async fn transaction_page_for_establishment(
    db: &Db,
    establishment: i64,
    filter: &TransactionFilter,
    limit: i64,
) -> Result<Vec<TransactionRow>, sqlx::Error> {
    json_rows(db, establishment, filter, filter.after, limit).await
}

/// Rows read per statement when writing a file. Each chunk comes back as one JSON array: read
/// row by row, the SQLite driver hands every row from its thread to the server's with a
/// wake-up, which made that hand-over, not the query, the cost of a file (120,000 rows/s).
pub const FILE_CHUNK: usize = 2000;

/// The next [`FILE_CHUNK`] of the establishment's transactions the filter names (its own keyset
/// ignored), newest first, after `after`: read as one JSON array.
pub async fn transaction_chunk_for_establishment(
    db: &Db,
    establishment: i64,
    filter: &TransactionFilter,
    after: Option<(i64, i64)>,
) -> Result<Vec<TransactionRow>, sqlx::Error> {
    json_rows(db, establishment, filter, after, FILE_CHUNK as i64).await
}

/// Up to `limit` of the transactions the filter names after `after` (the filter's own keyset
/// ignored), newest first, read as one JSON array.
async fn json_rows(
    db: &Db,
    establishment: i64,
    filter: &TransactionFilter,
    after: Option<(i64, i64)>,
    limit: i64,
) -> Result<Vec<TransactionRow>, sqlx::Error> {
    let aggregate = match db.engine {
        Engine::Sqlite => "json_group_array(json_array",
        Engine::Postgres => "json_agg(json_build_array",
    };
    let mut sql = Sql::new(format!(
        "SELECT CAST({aggregate}(id, occurred_at, card_masked, amount, currency, kind, reference, \
         installment_plan_id, installment_count, installment_amount, installment_rate_basis_points, installment_interest, \
         installment_total, case_number) ORDER BY occurred_at DESC, id DESC) AS TEXT) \
         FROM (SELECT {} FROM transactions t WHERE ",
        columns!()
    ));
    push_conditions(&mut sql, establishment, filter, after);
    // A number of ours, written in the text rather than bound.
    sql.push(format_args!(" ORDER BY t.occurred_at DESC, t.id DESC LIMIT {limit}) chunk"));
    let (sql, arguments) = sql.into_parts()?;
    let json: Option<String> = sqlx::query_scalar_with(&sql, arguments).fetch_one(&db.pool).await?;
    let rows: Vec<JsonRow> = match json {
        Some(json) => serde_json::from_str(&json).map_err(|error| sqlx::Error::Decode(Box::new(error)))?,
        None => Vec::new(),
    };
    Ok(rows
        .into_iter()
        .map(
            |(
                id,
                occurred_at,
                card_masked,
                amount,
                currency,
                kind,
                reference,
                plan,
                count,
                each,
                rate,
                interest,
                total,
                case_number,
            )| {
                let plan = plan.zip(count);
                let terms = terms(each, rate, interest, total);
                TransactionRow {
                    id,
                    occurred_at,
                    card_masked,
                    amount,
                    currency,
                    kind,
                    reference,
                    plan,
                    terms,
                    case_number,
                }
            },
        )
        .collect())
}

/// The transactions of a submission that a scoped read returned, oldest first, as they are read.
pub fn transactions_of_submission(
    db: &Db,
    submission: i64,
) -> impl Stream<Item = Result<TransactionRow, sqlx::Error>> + Send + '_ {
    sqlx::query_as::<_, TransactionRecord>(concat!(
        "SELECT ",
        columns!(),
        " FROM transactions t WHERE t.submission_id = $1 ORDER BY t.occurred_at, t.id"
    ))
    .bind(submission)
    .fetch(&db.pool)
    .map_ok(TransactionRow::from)
}
