//! Statements, their lines and the holder printed on them.

use crate::db::Db;
use crate::money::statements::{Holder, Statement, StatementLine};

#[derive(sqlx::FromRow)]
struct StatementRow {
    id: i64,
    #[sqlx(flatten)]
    statement: Statement,
}

/// The establishment's statements of the months `first..=last` (`YYYY-MM`), newest first.
pub async fn statements_for_establishment(
    db: &Db,
    establishment: i64,
    first: &str,
    last: &str,
) -> Result<Vec<Statement>, sqlx::Error> {
    sqlx::query_as(
        "SELECT month, currency, total_submissions, total_fees, total_adjustments, total_paid FROM statements \
         WHERE establishment_id = $1 AND month >= $2 AND month <= $3 ORDER BY month DESC",
    )
    .bind(establishment)
    .bind(first)
    .bind(last)
    .fetch_all(&db.pool)
    .await
}

/// The establishment's statement of `month` (`YYYY-MM`) with its lines, oldest first.
pub async fn statement_for_establishment(
    db: &Db,
    establishment: i64,
    month: &str,
) -> Result<Option<(Statement, Vec<StatementLine>)>, sqlx::Error> {
    let Some(row) = sqlx::query_as::<_, StatementRow>(
        "SELECT month, currency, total_submissions, total_fees, total_adjustments, total_paid, id FROM statements \
         WHERE establishment_id = $1 AND month = $2",
    )
    .bind(establishment)
    .bind(month)
    .fetch_optional(&db.pool)
    .await?
    else {
        return Ok(None);
    };
    // Scoped by the statement, which was read for the establishment just above.
    let lines = sqlx::query_as(
        "SELECT l.line_date, l.kind, l.label, l.amount, p.reference AS payment FROM statement_lines l \
         LEFT JOIN payments p ON p.id = l.payment_id WHERE l.statement_id = $1 ORDER BY l.line_date, l.id",
    )
    .bind(row.id)
    .fetch_all(&db.pool)
    .await?;
    Ok(Some((row.statement, lines)))
}

/// The establishment as printed on its statements.
pub async fn holder_of_establishment(db: &Db, establishment: i64) -> Result<Holder, sqlx::Error> {
    sqlx::query_as(
        "SELECT number, trading_name, address_line, postcode, city, pricing FROM establishments WHERE id = $1",
    )
    .bind(establishment)
    .fetch_one(&db.pool)
    .await
}
