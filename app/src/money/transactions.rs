//! An establishment's transactions over a checked range: one page at a time, newest first, in
//! keyset pages (`(occurred_at, id)` of the last row shown), or the whole result as a streamed
//! CSV file. Each row carries the case number of a dispute opened on it, if any.

use super::export::{self, Sink, WriteError};
use super::filter::{decimal, TransactionFilter};
use crate::db::{Db, Engine};
use sqlx::any::AnyRow;
use sqlx::Row;

/// Rows on a page.
pub const PAGE_SIZE: i64 = 50;

/// One transaction as shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TransactionRow {
    pub id: i64,
    pub occurred_at: i64,
    pub card_masked: String,
    pub amount: i64,
    pub currency: String,
    pub kind: String,
    pub reference: String,
    /// Installment plan id and number of installments.
    pub plan: Option<(String, i64)>,
    /// The case number of the (first) dispute on it.
    pub case_number: Option<String>,
}

/// One page and where the next one starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TransactionPage {
    pub rows: Vec<TransactionRow>,
    pub next: Option<(i64, i64)>,
}

pub(super) const COLUMNS: &str = "t.id, t.occurred_at, t.card_masked, t.amount, t.currency, t.kind, t.reference, \
     t.installment_plan_id, t.installment_count, \
     (SELECT MIN(d.case_number) FROM disputes d WHERE d.transaction_id = t.id) AS case_number";

/// The WHERE clause and its values (values start at `$1`; all are numbers or checked text).
fn conditions(establishment: i64, filter: &TransactionFilter) -> (String, Vec<Value>) {
    let (start, end) = filter.range.instants();
    let mut values = vec![Value::Int(establishment), Value::Int(start), Value::Int(end)];
    let mut sql = String::from("t.establishment_id = $1 AND t.occurred_at >= $2 AND t.occurred_at < $3");
    let mut add = |sql_part: &str, value: Value, values: &mut Vec<Value>| {
        values.push(value);
        sql.push_str(&sql_part.replace('?', &format!("${}", values.len())));
    };
    if let Some(kind) = filter.kind {
        add(" AND t.kind = ?", Value::Text(kind.as_str().to_owned()), &mut values);
    }
    if let Some(min) = filter.amount_min {
        add(" AND t.amount >= ?", Value::Int(min), &mut values);
    }
    if let Some(max) = filter.amount_max {
        add(" AND t.amount <= ?", Value::Int(max), &mut values);
    }
    if let Some(card) = &filter.card_last4 {
        add(" AND t.card_last4 = ?", Value::Text(card.clone()), &mut values);
    }
    (sql, values)
}

/// Rows after `(occurred_at, id)` in the newest-first order.
fn keyset(sql: &mut String, values: &mut Vec<Value>, (at, id): (i64, i64)) {
    values.push(Value::Int(at));
    values.push(Value::Int(id));
    let n = values.len();
    sql.push_str(&format!(" AND (t.occurred_at < ${} OR (t.occurred_at = ${} AND t.id < ${n}))", n - 1, n - 1));
}

enum Value {
    Int(i64),
    Text(String),
}

fn bind_all<'q>(
    mut query: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>,
    values: Vec<Value>,
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>> {
    for value in values {
        query = match value {
            Value::Int(number) => query.bind(number),
            Value::Text(text) => query.bind(text),
        };
    }
    query
}

pub(super) fn read(row: &AnyRow) -> Result<TransactionRow, sqlx::Error> {
    let plan: Option<String> = row.try_get(7)?;
    let count: Option<i64> = row.try_get(8)?;
    Ok(TransactionRow {
        id: row.try_get(0)?,
        occurred_at: row.try_get(1)?,
        card_masked: row.try_get(2)?,
        amount: row.try_get(3)?,
        currency: row.try_get(4)?,
        kind: row.try_get(5)?,
        reference: row.try_get(6)?,
        plan: plan.zip(count),
        case_number: row.try_get(9)?,
    })
}

/// The page of `establishment`'s transactions the filter names (the caller's scope is checked
/// before).
pub async fn search(db: &Db, establishment: i64, filter: &TransactionFilter) -> Result<TransactionPage, sqlx::Error> {
    let (mut sql, mut values) = conditions(establishment, filter);
    if let Some(after) = filter.after {
        keyset(&mut sql, &mut values, after);
    }
    let sql = format!(
        "SELECT {COLUMNS} FROM transactions t WHERE {sql} ORDER BY t.occurred_at DESC, t.id DESC LIMIT {}",
        PAGE_SIZE + 1
    );
    let rows = bind_all(sqlx::query(&sql), values).fetch_all(&db.pool).await?;
    let mut rows = rows.iter().map(read).collect::<Result<Vec<_>, _>>()?;
    let next = if rows.len() as i64 > PAGE_SIZE {
        rows.truncate(PAGE_SIZE as usize);
        rows.last().map(|row| (row.occurred_at, row.id))
    } else {
        None
    };
    Ok(TransactionPage { rows, next })
}

/// The columns of a transactions file.
pub const CSV_HEADER: [&str; 10] =
    ["date", "time", "card", "amount", "currency", "type", "reference", "installment_plan", "installments", "case"];

/// The installment plan's id (escaped) and number of installments, or two empty cells.
pub(super) fn plan_cells(row: &TransactionRow) -> (String, String) {
    match &row.plan {
        Some((plan, count)) => (export::text(plan).into_owned(), count.to_string()),
        None => (String::new(), String::new()),
    }
}

/// Writes one transaction as a file row.
pub async fn write_row(sink: &mut Sink, row: &TransactionRow) -> Result<(), WriteError> {
    use chrono::{Datelike, Timelike};
    let local = chrono::DateTime::from_timestamp(row.occurred_at, 0)
        .unwrap_or_default()
        .with_timezone(&chrono_tz::Europe::Paris);
    // Written by hand: a strftime pattern is parsed again for every call.
    let date = format!("{:04}-{:02}-{:02}", local.year(), local.month(), local.day());
    let time = format!("{:02}:{:02}:{:02}", local.hour(), local.minute(), local.second());
    let (plan, count) = plan_cells(row);
    sink.row([
        date.as_str(),
        time.as_str(),
        &export::text(&row.card_masked),
        &decimal(row.amount),
        &export::text(&row.currency),
        &row.kind,
        &export::text(&row.reference),
        &plan,
        &count,
        &export::text(row.case_number.as_deref().unwrap_or("")),
    ])
    .await?;
    Ok(())
}

/// Rows read per statement when writing a file. Each chunk comes back as one JSON array: read
/// row by row, the SQLite driver hands every row from its thread to the server's with a
/// wake-up, which made that hand-over, not the query, the cost of a file (120,000 rows/s).
const FILE_CHUNK: usize = 2000;

/// A transaction as a JSON array from the database.
type JsonRow = (i64, i64, String, i64, String, String, String, Option<String>, Option<i64>, Option<String>);

/// Writes every transaction the filter names, newest first, a chunk at a time.
pub async fn write_all(
    db: &Db,
    establishment: i64,
    filter: &TransactionFilter,
    sink: &mut Sink,
) -> Result<(), WriteError> {
    let aggregate = match db.engine {
        Engine::Sqlite => "json_group_array(json_array",
        Engine::Postgres => "json_agg(json_build_array",
    };
    let mut after = None;
    loop {
        let (mut sql, mut values) = conditions(establishment, filter);
        if let Some(after) = after {
            keyset(&mut sql, &mut values, after);
        }
        let sql = format!(
            "SELECT CAST({aggregate}(id, occurred_at, card_masked, amount, currency, kind, reference, \
                     installment_plan_id, installment_count, case_number) ORDER BY occurred_at DESC, id DESC) AS TEXT) \
             FROM (SELECT {COLUMNS} FROM transactions t WHERE {sql} ORDER BY t.occurred_at DESC, t.id DESC LIMIT {FILE_CHUNK}) chunk"
        );
        let json: Option<String> = bind_all(sqlx::query(&sql), values).fetch_one(&db.pool).await?.try_get(0)?;
        let rows: Vec<JsonRow> = match json {
            Some(json) => serde_json::from_str(&json).map_err(|error| sqlx::Error::Decode(Box::new(error)))?,
            None => Vec::new(),
        };
        let (full, last) = (rows.len() == FILE_CHUNK, rows.last().map(|row| (row.1, row.0)));
        for (id, occurred_at, card_masked, amount, currency, kind, reference, plan, count, case_number) in rows {
            let plan = plan.zip(count);
            let row =
                TransactionRow { id, occurred_at, card_masked, amount, currency, kind, reference, plan, case_number };
            write_row(sink, &row).await?;
        }
        match last {
            Some(last) if full => after = Some(last),
            _ => return Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(id: i64, kind: &str, reference: &str, plan: Option<(&str, i64)>, case: Option<&str>) -> TransactionRow {
        TransactionRow {
            id,
            // 2025-11-20 14:05:09 in Paris.
            occurred_at: 1_763_643_909,
            card_masked: "374245*****1001".into(),
            amount: 12_345,
            currency: "EUR".into(),
            kind: kind.into(),
            reference: reference.into(),
            plan: plan.map(|(plan, count)| (plan.to_owned(), count)),
            case_number: case.map(str::to_owned),
        }
    }

    #[tokio::test]
    async fn a_transactions_file_reads_the_same_every_time() {
        let rows = vec![
            row(1, "charge", "TX-0001", Some(("PLAN-77", 3)), None),
            row(2, "refund", "TX-0002", None, Some("2026-000123")),
            row(3, "cancellation", "=cmd|' /C calc'!A0", None, None),
            row(4, "charge", "+33 1 23 45", Some(("@plan", 10)), None),
        ];
        let response = export::stream("t.csv", &CSV_HEADER, move |mut sink| async move {
            for row in &rows {
                write_row(&mut sink, row).await?;
            }
            Ok(sink)
        });
        let bytes = axum::body::to_bytes(response.into_body(), usize::MAX).await.unwrap();
        insta::assert_snapshot!(String::from_utf8(bytes.to_vec()).unwrap());
    }
}
