//! The ledger rows operations write, the same the money pages, files and statements read: a
//! transaction (charge, refund, cancellation) with its Level 3 line items, the establishment's
//! submission of the day (created with its pending payment, paid two days later, when the day has
//! none yet) and the totals of that submission and payment, fees and payment lines included.

use crate::db::Write;
use chrono::NaiveDate;

/// Days between a submission and its payment (as in the demo data).
pub const PAYMENT_DELAY_DAYS: i64 = 2;

/// A transaction to write.
pub struct NewTransaction<'a> {
    pub establishment_id: i64,
    pub occurred_at: i64,
    pub card_masked: &'a str,
    pub card_last4: &'a str,
    /// In the settlement currency.
    pub amount: i64,
    pub currency: &'a str,
    pub kind: &'a str,
    pub reference: &'a str,
    pub sub_merchant: Option<&'a crate::api::rules::SubMerchant>,
    pub card_on_file: bool,
    pub recurring: bool,
    /// The Plan Amex terms accepted.
    pub terms: Option<crate::api::terms::Terms>,
    /// The amount and currency the cardholder paid, and the rate, when not the settlement's.
    pub original: Option<(i64, &'a str, &'a str)>,
    pub level3: Option<&'a crate::api::rules::Level3>,
    pub submission_id: Option<i64>,
}

/// Writes the transaction and its line items; its id.
pub async fn insert_transaction(write: &mut Write, tx: &NewTransaction<'_>) -> Result<i64, sqlx::Error> {
    let plan = tx.terms.map(|_| crate::api::terms::PLAN_ID);
    let level3 = tx.level3;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO transactions (establishment_id, occurred_at, card_masked, card_last4, amount, currency, kind, \
         reference, installment_plan_id, installment_count, submission_id, sub_merchant_id, sub_merchant_name, \
         sub_merchant_category, card_on_file, recurring, installment_amount, installment_rate_basis_points, \
         installment_interest, installment_total, original_amount, original_currency, exchange_rate, \
         customer_reference, tax_amount, ship_to_postcode) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, \
         $23, $24, $25, $26) RETURNING id",
    )
    .bind(tx.establishment_id)
    .bind(tx.occurred_at)
    .bind(tx.card_masked)
    .bind(tx.card_last4)
    .bind(tx.amount)
    .bind(tx.currency)
    .bind(tx.kind)
    .bind(tx.reference)
    .bind(plan)
    .bind(tx.terms.map(|t| t.payments))
    .bind(tx.submission_id)
    .bind(tx.sub_merchant.map(|s| s.id.as_str()))
    .bind(tx.sub_merchant.map(|s| s.name.as_str()))
    .bind(tx.sub_merchant.map(|s| s.category_code.as_str()))
    .bind(tx.card_on_file)
    .bind(tx.recurring)
    .bind(tx.terms.map(|t| t.payment_amount))
    .bind(tx.terms.map(|t| t.rate_basis_points))
    .bind(tx.terms.map(|t| t.total_interest))
    .bind(tx.terms.map(|t| t.total_payable))
    .bind(tx.original.map(|o| o.0))
    .bind(tx.original.map(|o| o.1))
    .bind(tx.original.map(|o| o.2))
    .bind(level3.and_then(|l| l.customer_reference.as_deref()))
    .bind(level3.and_then(|l| l.tax_amount))
    .bind(level3.and_then(|l| l.ship_to_postcode.as_deref()))
    .fetch_one(&mut ***write)
    .await?;
    for (position, item) in level3.map(|l| l.line_items.as_slice()).unwrap_or_default().iter().enumerate() {
        sqlx::query(
            "INSERT INTO transaction_line_items (transaction_id, position, description, quantity, unit_price, tax_amount) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(id)
        .bind(position as i64 + 1)
        .bind(&item.description)
        .bind(item.quantity)
        .bind(item.unit_price)
        .bind(item.tax_amount)
        .execute(&mut ***write)
        .await?;
    }
    Ok(id)
}

/// The establishment a day's submission belongs to.
pub struct DayOf<'a> {
    pub establishment_id: i64,
    pub number: &'a str,
    /// The settlement currency.
    pub currency: &'a str,
    pub today: NaiveDate,
    pub now: i64,
}

/// Adds a signed amount and a number of transactions to the establishment's submission of the
/// day whose payment is still pending (created first, with that payment, when the day has
/// none), then brings the payment up to date; the submission's id. The common case, the day's
/// submission already there, is found and updated by one statement.
pub async fn add_to_day_submission(
    write: &mut Write,
    day: &DayOf<'_>,
    amount: i64,
    count: i64,
    fees: impl Fn(i64) -> i64,
) -> Result<i64, sqlx::Error> {
    let updated: Option<(i64, Option<i64>, i64)> = sqlx::query_as(
        "UPDATE submissions SET amount = amount + $3, transaction_count = transaction_count + $4 WHERE id = \
         (SELECT s.id FROM submissions s JOIN payments p ON p.id = s.payment_id \
          WHERE s.establishment_id = $1 AND s.submitted_on = $2 AND p.status = 'pending' ORDER BY s.id LIMIT 1) \
         RETURNING id, payment_id, amount",
    )
    .bind(day.establishment_id)
    .bind(day.today.to_string())
    .bind(amount)
    .bind(count)
    .fetch_optional(&mut ***write)
    .await?;
    if let Some((submission_id, payment_id, submitted)) = updated {
        if let Some(payment_id) = payment_id {
            bring_payment_up_to_date(write, payment_id, submission_id, submitted, fees).await?;
        }
        return Ok(submission_id);
    }
    let submission_id = open_day_submission(write, day).await?;
    add_to_submission(write, submission_id, amount, count, fees).await?;
    Ok(submission_id)
}

/// Creates the establishment's submission of the day, its pending payment and the payment's
/// submission line (each only if missing); the submission's id.
async fn open_day_submission(write: &mut Write, day: &DayOf<'_>) -> Result<i64, sqlx::Error> {
    // References of the day, so that concurrent first operations meet on one row.
    let (number, today) = (day.number, day.today);
    let stamp = today.format("%Y%m%d");
    let (payment_reference, submission_reference) = (format!("PAY-{number}-{stamp}"), format!("REM-{number}-{stamp}"));
    sqlx::query(
        "INSERT INTO payments (establishment_id, reference, status, payment_date, submission_amount, \
         fees_and_incentives, adjustments, net_amount, currency, created_at) \
         VALUES ($1, $2, 'pending', $3, 0, 0, 0, 0, $4, $5) ON CONFLICT (reference) DO NOTHING",
    )
    .bind(day.establishment_id)
    .bind(&payment_reference)
    .bind((today + chrono::Duration::days(PAYMENT_DELAY_DAYS)).to_string())
    .bind(day.currency)
    .bind(day.now)
    .execute(&mut ***write)
    .await?;
    let payment_id: i64 = sqlx::query_scalar("SELECT id FROM payments WHERE reference = $1")
        .bind(&payment_reference)
        .fetch_one(&mut ***write)
        .await?;
    let created = sqlx::query(
        "INSERT INTO submissions (establishment_id, reference, submitted_on, amount, currency, transaction_count, payment_id) \
         VALUES ($1, $2, $3, 0, $4, 0, $5) ON CONFLICT (reference) DO NOTHING",
    )
    .bind(day.establishment_id)
    .bind(&submission_reference)
    .bind(today.to_string())
    .bind(day.currency)
    .bind(payment_id)
    .execute(&mut ***write)
    .await?
    .rows_affected();
    let submission_id: i64 = sqlx::query_scalar("SELECT id FROM submissions WHERE reference = $1")
        .bind(&submission_reference)
        .fetch_one(&mut ***write)
        .await?;
    if created == 1 {
        sqlx::query(
            "INSERT INTO payment_lines (payment_id, kind, submission_id, label, amount) VALUES ($1, 'submission', $2, $3, 0)",
        )
        .bind(payment_id)
        .bind(submission_id)
        .bind(&submission_reference)
        .execute(&mut ***write)
        .await?;
    }
    Ok(submission_id)
}

/// Adds a signed amount and a number of transactions to a submission, then brings its payment's
/// totals, fee line and submission line up to date (`fees` gives the fees of a total submitted).
pub async fn add_to_submission(
    write: &mut Write,
    submission_id: i64,
    amount: i64,
    count: i64,
    fees: impl Fn(i64) -> i64,
) -> Result<(), sqlx::Error> {
    let (payment_id, submitted): (Option<i64>, i64) = sqlx::query_as(
        "UPDATE submissions SET amount = amount + $2, transaction_count = transaction_count + $3 WHERE id = $1 \
         RETURNING payment_id, amount",
    )
    .bind(submission_id)
    .bind(amount)
    .bind(count)
    .fetch_one(&mut ***write)
    .await?;
    match payment_id {
        Some(payment_id) => bring_payment_up_to_date(write, payment_id, submission_id, submitted, fees).await,
        None => Ok(()),
    }
}

/// A payment after one of its submissions changed (`submitted`, its new amount): the
/// submission's line, the payment's total submitted and net amount, and, when the total moves
/// the fees, the fees and their line (one line, absent when there are no fees).
async fn bring_payment_up_to_date(
    write: &mut Write,
    payment_id: i64,
    submission_id: i64,
    submitted: i64,
    fees: impl Fn(i64) -> i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE payment_lines SET amount = $3 WHERE payment_id = $1 AND submission_id = $2 AND kind = 'submission'",
    )
    .bind(payment_id)
    .bind(submission_id)
    .bind(submitted)
    .execute(&mut ***write)
    .await?;
    // Column names on the right of SET are the row's values before the update: the old fees.
    let (total, old_fee): (i64, i64) = sqlx::query_as(
        "UPDATE payments SET \
         submission_amount = (SELECT CAST(COALESCE(SUM(amount), 0) AS BIGINT) FROM submissions WHERE payment_id = $1), \
         net_amount = (SELECT CAST(COALESCE(SUM(amount), 0) AS BIGINT) FROM submissions WHERE payment_id = $1) \
           - fees_and_incentives + adjustments \
         WHERE id = $1 RETURNING submission_amount, fees_and_incentives",
    )
    .bind(payment_id)
    .fetch_one(&mut ***write)
    .await?;
    let fee = fees(total);
    if fee == old_fee {
        return Ok(());
    }
    sqlx::query("UPDATE payments SET fees_and_incentives = $2, net_amount = net_amount + $3 - $2 WHERE id = $1")
        .bind(payment_id)
        .bind(fee)
        .bind(old_fee)
        .execute(&mut ***write)
        .await?;
    if fee == 0 {
        sqlx::query("DELETE FROM payment_lines WHERE payment_id = $1 AND kind = 'fee'")
            .bind(payment_id)
            .execute(&mut ***write)
            .await?;
        return Ok(());
    }
    let updated = sqlx::query("UPDATE payment_lines SET amount = $2 WHERE payment_id = $1 AND kind = 'fee'")
        .bind(payment_id)
        .bind(-fee)
        .execute(&mut ***write)
        .await?
        .rows_affected();
    if updated == 0 {
        sqlx::query(
            "INSERT INTO payment_lines (payment_id, kind, label, amount) VALUES ($1, 'fee', 'Frais et incitations', $2)",
        )
        .bind(payment_id)
        .bind(-fee)
        .execute(&mut ***write)
        .await?;
    }
    Ok(())
}

/// A charge's submission: its id, its day, and whether its payment is still pending.
pub async fn submission_of(write: &mut Write, transaction_id: i64) -> Result<Option<(i64, String, bool)>, sqlx::Error> {
    let row: Option<(i64, String, String)> = sqlx::query_as(
        "SELECT s.id, s.submitted_on, COALESCE(p.status, 'pending') FROM transactions t \
         JOIN submissions s ON s.id = t.submission_id LEFT JOIN payments p ON p.id = s.payment_id WHERE t.id = $1",
    )
    .bind(transaction_id)
    .fetch_optional(&mut ***write)
    .await?;
    Ok(row.map(|(id, day, status)| (id, day, status == "pending")))
}

/// Takes a charge out of its submission (a cancelled capture); the amount it carried.
pub async fn leave_submission(write: &mut Write, transaction_id: i64) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("UPDATE transactions SET submission_id = NULL WHERE id = $1 RETURNING amount")
        .bind(transaction_id)
        .fetch_one(&mut ***write)
        .await
}
