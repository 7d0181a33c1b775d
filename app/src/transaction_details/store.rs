//! The details of a set of transactions: two statements whatever their number (the columns
//! the gateway API wrote on `transactions`, then their `transaction_line_items`).

use super::{LineItem, Original, PlanTerms, TransactionDetails};
use crate::db::{Db, Sql};
use std::collections::HashMap;

#[derive(sqlx::FromRow)]
struct DetailsRecord {
    id: i64,
    currency: String,
    installment_plan_id: Option<String>,
    installment_count: Option<i64>,
    installment_amount: Option<i64>,
    installment_rate_basis_points: Option<i64>,
    installment_interest: Option<i64>,
    installment_total: Option<i64>,
    original_amount: Option<i64>,
    original_currency: Option<String>,
    exchange_rate: Option<String>,
    card_on_file: i64,
    recurring: i64,
    sub_merchant_id: Option<String>,
    sub_merchant_name: Option<String>,
    sub_merchant_category: Option<String>,
    customer_reference: Option<String>,
    tax_amount: Option<i64>,
    ship_to_postcode: Option<String>,
}

impl From<DetailsRecord> for TransactionDetails {
    fn from(row: DetailsRecord) -> TransactionDetails {
        let terms = match (row.installment_plan_id, row.installment_count, row.installment_amount) {
            (Some(plan_id), Some(payments), Some(payment_amount)) => Some(PlanTerms {
                plan_id,
                payments,
                payment_amount,
                rate_basis_points: row.installment_rate_basis_points.unwrap_or(0),
                total_interest: row.installment_interest.unwrap_or(0),
                total_payable: row.installment_total.unwrap_or(0),
            }),
            _ => None,
        };
        let original = match (row.original_amount, row.original_currency, row.exchange_rate) {
            (Some(amount), Some(currency), Some(rate)) => Some(Original { amount, currency, rate }),
            _ => None,
        };
        let sub_merchant = match (row.sub_merchant_id, row.sub_merchant_name, row.sub_merchant_category) {
            (Some(id), Some(name), category) => Some((id, name, category.unwrap_or_default())),
            _ => None,
        };
        TransactionDetails {
            currency: row.currency,
            terms,
            original,
            card_on_file: row.card_on_file != 0,
            recurring: row.recurring != 0,
            sub_merchant,
            customer_reference: row.customer_reference,
            tax_amount: row.tax_amount,
            ship_to_postcode: row.ship_to_postcode,
            line_items: Vec::new(),
        }
    }
}

/// Pushes `(id, id, …)` for `ids`.
fn push_ids(sql: &mut Sql<'_>, ids: &[i64]) {
    sql.push("(");
    for (index, id) in ids.iter().enumerate() {
        if index > 0 {
            sql.push(", ");
        }
        sql.push_bind(*id);
    }
    sql.push(")");
}

/// The details of those of `ids` that have any (a plain charge of the seed is left out).
pub async fn details_of(db: &Db, ids: &[i64]) -> Result<HashMap<i64, TransactionDetails>, sqlx::Error> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let mut sql = Sql::new(
        "SELECT id, currency, installment_plan_id, installment_count, installment_amount, \
         installment_rate_basis_points, installment_interest, installment_total, original_amount, original_currency, \
         exchange_rate, CASE WHEN card_on_file THEN 1 ELSE 0 END AS card_on_file, \
         CASE WHEN recurring THEN 1 ELSE 0 END AS recurring, sub_merchant_id, sub_merchant_name, \
         sub_merchant_category, customer_reference, tax_amount, ship_to_postcode FROM transactions WHERE id IN ",
    );
    push_ids(&mut sql, ids);
    let (text, arguments) = sql.into_parts()?;
    let records: Vec<DetailsRecord> = sqlx::query_as_with(&text, arguments).fetch_all(&db.pool).await?;
    let mut details: HashMap<i64, TransactionDetails> =
        records.into_iter().map(|record| (record.id, TransactionDetails::from(record))).collect();
    let mut sql = Sql::new(
        "SELECT transaction_id, description, quantity, unit_price, tax_amount FROM transaction_line_items \
         WHERE transaction_id IN ",
    );
    push_ids(&mut sql, ids);
    sql.push(" ORDER BY transaction_id, position");
    let (text, arguments) = sql.into_parts()?;
    let lines: Vec<(i64, String, i64, i64, i64)> = sqlx::query_as_with(&text, arguments).fetch_all(&db.pool).await?;
    for (transaction, description, quantity, unit_price, tax_amount) in lines {
        if let Some(found) = details.get_mut(&transaction) {
            found.line_items.push(LineItem { description, quantity, unit_price, tax_amount });
        }
    }
    details.retain(|_, found| !found.is_empty());
    Ok(details)
}
