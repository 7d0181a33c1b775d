//! Monthly statements: one per establishment and completed month, the last 16 months online
//! (paperless: there is no other copy), each with its lines — payments, adjustments and, under
//! gross pricing, the "commission" line in the month the fees are charged. Older months are not
//! listed and their addresses answer "not found".

use super::store;
use crate::db::Db;
use crate::format::fill;
use crate::i18n::Locale;
use chrono::{Datelike, Months, NaiveDate};
use leptos_i18n::td_string;

/// How many completed months of statements are kept online.
pub const MONTHS: u32 = 16;

/// The first days of the months that have a statement on `today`: the 16 completed months
/// before the current one, oldest first.
pub fn months(today: NaiveDate) -> Vec<NaiveDate> {
    let current = today.with_day(1).expect("every month has a first day");
    let start = current - Months::new(MONTHS);
    (0..MONTHS).map(|offset| start + Months::new(offset)).collect()
}

/// `YYYY-MM` if it names a month with a statement online on `today`.
pub fn online_month(text: &str, today: NaiveDate) -> Option<String> {
    let first = NaiveDate::parse_from_str(&format!("{text}-01"), "%Y-%m-%d").ok()?;
    (text.len() == 7 && months(today).contains(&first)).then(|| text.to_owned())
}

/// A month's statement: its totals, in minor units of `currency`.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Statement {
    pub month: String,
    pub currency: String,
    pub total_submissions: i64,
    pub total_fees: i64,
    pub total_adjustments: i64,
    pub total_paid: i64,
}

/// A line of a statement.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct StatementLine {
    #[sqlx(rename = "line_date")]
    pub date: String,
    /// `payment`, `adjustment` or `commission`.
    pub kind: String,
    pub label: String,
    pub amount: i64,
    /// The payment's reference, for payment lines.
    pub payment: Option<String>,
}

/// A line's description in the reader's language, from its kind and payment: the stored label
/// is written once, in French, so it is shown only for a kind this does not know.
pub fn line_label(line: &StatementLine, locale: Locale) -> String {
    match (line.kind.as_str(), line.payment.as_deref()) {
        ("payment", Some(reference)) => fill(td_string!(locale, statement_line_payment), &[("reference", reference)]),
        ("adjustment", Some(reference)) => {
            fill(td_string!(locale, statement_line_adjustment), &[("reference", reference)])
        }
        ("payment", None) => td_string!(locale, line_payment).to_owned(),
        ("adjustment", None) => td_string!(locale, col_adjustments).to_owned(),
        ("commission", _) => td_string!(locale, statement_line_commission).to_owned(),
        _ => line.label.clone(),
    }
}

/// The establishment a statement is about, as printed on it.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Holder {
    pub number: String,
    pub trading_name: String,
    pub address_line: String,
    pub postcode: String,
    pub city: String,
    pub pricing: String,
}

/// The establishment's statements online on `today`, newest first.
pub async fn list(db: &Db, establishment: i64, today: NaiveDate) -> Result<Vec<Statement>, sqlx::Error> {
    let months = months(today);
    let (first, last) = (months[0].format("%Y-%m").to_string(), months[months.len() - 1].format("%Y-%m").to_string());
    store::statements_for_establishment(db, establishment, &first, &last).await
}

/// The statement of `month` (already checked with [`online_month`]) with its lines and holder.
pub async fn detail(
    db: &Db,
    establishment: i64,
    month: &str,
) -> Result<Option<(Holder, Statement, Vec<StatementLine>)>, sqlx::Error> {
    let Some((statement, lines)) = store::statement_for_establishment(db, establishment, month).await? else {
        return Ok(None);
    };
    let holder = store::holder_of_establishment(db, establishment).await?;
    Ok(Some((holder, statement, lines)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sixteen_completed_months_are_online() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 22).unwrap();
        let listed = months(today);
        assert_eq!(listed.len(), 16);
        assert_eq!(listed[0], NaiveDate::from_ymd_opt(2025, 7, 1).unwrap());
        assert_eq!(listed[15], NaiveDate::from_ymd_opt(2026, 10, 1).unwrap());
        assert_eq!(online_month("2026-10", today).as_deref(), Some("2026-10"));
        assert_eq!(online_month("2025-07", today).as_deref(), Some("2025-07"));
        assert_eq!(online_month("2025-06", today), None, "17 months ago");
        assert_eq!(online_month("2026-11", today), None, "the current month has no statement yet");
        assert_eq!(online_month("2026-1", today), None);
        assert_eq!(online_month("2026-13", today), None);
        assert_eq!(online_month("x", today), None);
    }
}
