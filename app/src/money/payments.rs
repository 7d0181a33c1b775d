//! Payments ("règlements"): the paid ones of the last 35 days and the pending ones, with their
//! submission amount, fees and incentives, adjustments and net amount; a payment's detail
//! lists the submissions and the adjustments (chargebacks, reversals) it settles, each
//! adjustment with its case. Under gross pricing the fees are charged on the statement instead,
//! so the fee column shows 0.

use super::filter::Range;
use super::store::{self, PaymentTab};
use crate::db::Db;
use chrono::NaiveDate;

/// Which tab.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tab {
    Paid,
    Pending,
}

impl Tab {
    pub fn parse(text: &str) -> Option<Tab> {
        match text {
            "" | "paid" => Some(Tab::Paid),
            "pending" => Some(Tab::Pending),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Tab::Paid => "paid",
            Tab::Pending => "pending",
        }
    }
}

/// A payment as listed: its amounts in minor units of `currency`.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Payment {
    pub id: i64,
    pub reference: String,
    pub status: String,
    #[sqlx(rename = "payment_date")]
    pub date: String,
    pub submission_amount: i64,
    pub fees_and_incentives: i64,
    pub adjustments: i64,
    pub net_amount: i64,
    pub currency: String,
}

/// A line of a payment's detail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaymentLine {
    /// `submission`, `fee` or `adjustment`.
    pub kind: String,
    pub label: String,
    pub amount: i64,
    /// A submission's reference, date and number of transactions.
    pub submission: Option<(String, String, i64)>,
    /// An adjustment's kind (chargeback, chargeback_reversal, …) and its case number.
    pub adjustment: Option<(String, Option<String>)>,
}

/// A tab's payments, newest first: paid within `range` (at most the last 35 days), or every
/// pending one.
pub async fn list(db: &Db, establishment: i64, tab: Tab, range: Range) -> Result<Vec<Payment>, sqlx::Error> {
    let (from, to) = (range.from.to_string(), range.to.to_string());
    let tab = match tab {
        Tab::Paid => PaymentTab::Paid { from: &from, to: &to },
        Tab::Pending => PaymentTab::Pending,
    };
    store::payments_of_tab(db, establishment, tab).await
}

/// The payment `reference` of one of `establishments`, if it is still shown online (pending, or
/// paid within the last 35 days): with its lines.
pub async fn detail(
    db: &Db,
    establishments: &[i64],
    reference: &str,
    today: NaiveDate,
) -> Result<Option<(i64, Payment, Vec<PaymentLine>)>, sqlx::Error> {
    let Some((establishment, payment)) = store::payment_for_establishments(db, establishments, reference).await? else {
        return Ok(None);
    };
    let online = Range::online(today);
    let shown = payment.status == "pending" || payment.date.as_str() >= online.from.to_string().as_str();
    if !shown {
        return Ok(None);
    }
    let lines = store::lines_of_payment(db, payment.id).await?;
    Ok(Some((establishment, payment, lines)))
}
