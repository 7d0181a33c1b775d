//! An establishment's transactions over a checked range: one page at a time, newest first, in
//! keyset pages (`(occurred_at, id)` of the last row shown), or the whole result as a streamed
//! CSV file. Each row carries the case number of a dispute opened on it, if any.

use super::export::{self, Sink, WriteError};
use super::filter::TransactionFilter;
use super::store;
use crate::db::Db;

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
    /// The plan's terms when an API authorisation named them: amount of each payment, rate
    /// (basis points), total interest, total payable.
    pub terms: Option<(i64, i64, i64, i64)>,
    /// The case number of the (first) dispute on it.
    pub case_number: Option<String>,
}

/// One page and where the next one starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TransactionPage {
    pub rows: Vec<TransactionRow>,
    pub next: Option<(i64, i64)>,
}

/// The page of `establishment`'s transactions the filter names (the caller's scope is checked
/// before).
pub async fn search(db: &Db, establishment: i64, filter: &TransactionFilter) -> Result<TransactionPage, sqlx::Error> {
    let mut rows = store::transaction_page_for_establishment(db, establishment, filter, PAGE_SIZE + 1).await?;
    let next = if rows.len() as i64 > PAGE_SIZE {
        rows.truncate(PAGE_SIZE as usize);
        rows.last().map(|row| (row.occurred_at, row.id))
    } else {
        None
    };
    Ok(TransactionPage { rows, next })
}

/// The installment plan's id (escaped) and number of installments, or two empty cells.
pub(super) fn plan_cells(row: &TransactionRow) -> (String, String) {
    match &row.plan {
        Some((plan, count)) => (export::text(plan).into_owned(), count.to_string()),
        None => (String::new(), String::new()),
    }
}

/// The plan terms' four cells (amount of each payment, rate in percent, interest, total payable),
/// or four empty ones.
pub(super) fn terms_cells(row: &TransactionRow) -> [String; 4] {
    match row.terms {
        Some((each, rate, interest, total)) => {
            let money = |minor| crate::format::plain(minor, &row.currency);
            [money(each), format!("{}.{:02}", rate / 100, rate % 100), money(interest), money(total)]
        }
        None => Default::default(),
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
    let [each, rate, interest, total] = terms_cells(row);
    sink.row([
        date.as_str(),
        time.as_str(),
        &export::text(&row.card_masked),
        &crate::format::plain(row.amount, &row.currency),
        &export::text(&row.currency),
        &row.kind,
        &export::text(&row.reference),
        &plan,
        &count,
        &export::text(row.case_number.as_deref().unwrap_or("")),
        &each,
        &rate,
        &interest,
        &total,
    ])
    .await?;
    Ok(())
}

/// Writes every transaction the filter names, newest first, a chunk of [`store::FILE_CHUNK`] at a
/// time.
pub async fn write_all(
    db: &Db,
    establishment: i64,
    filter: &TransactionFilter,
    sink: &mut Sink,
) -> Result<(), WriteError> {
    let mut after = None;
    loop {
        let rows = store::transaction_chunk_for_establishment(db, establishment, filter, after).await?;
        let (full, last) = (rows.len() == store::FILE_CHUNK, rows.last().map(|row| (row.occurred_at, row.id)));
        for row in &rows {
            write_row(sink, row).await?;
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
            terms: plan.map(|_| (4_115, 350, 432, 12_777)),
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
        let response = export::stream(
            "t.csv",
            &crate::money::columns::transactions(crate::i18n::Locale::en),
            move |mut sink| async move {
                for row in &rows {
                    write_row(&mut sink, row).await?;
                }
                Ok(sink)
            },
        );
        let bytes = axum::body::to_bytes(response.into_body(), usize::MAX).await.unwrap();
        insta::assert_snapshot!(String::from_utf8(bytes.to_vec()).unwrap());
    }
}
