//! What a money page or file asks for, read from its address and checked before any query
//! runs: the establishment, the date range (at most 35 days, within the last 35 days, none of it
//! in the future), the transaction type, an amount range and the card's last digits.

use crate::accounts::caller::{Caller, EstablishmentScope};
use crate::disputes::deadline;
use crate::disputes::queue::parse_amount;
use crate::AppError;
use chrono::{Duration, NaiveDate};

/// How many days of payments and transactions are shown online (today included).
pub const ONLINE_DAYS: i64 = 35;

/// A transaction's type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Charge,
    Refund,
    Cancellation,
}

impl Kind {
    pub const ALL: [Kind; 3] = [Kind::Charge, Kind::Refund, Kind::Cancellation];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Charge => "charge",
            Kind::Refund => "refund",
            Kind::Cancellation => "cancellation",
        }
    }

    pub fn parse(text: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|kind| kind.as_str() == text)
    }
}

/// Why a request was refused; each has its own message on the page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// A date that is not a date (`YYYY-MM-DD`).
    BadDate,
    /// The end is before the start.
    Reversed,
    /// Part of the range is after today.
    Future,
    /// Part of the range is more than 35 days ago.
    TooOld,
    /// The range covers more than 35 days.
    TooLong,
    /// An amount that is not an amount ("12", "12.50", "12,5").
    BadAmount,
    /// Card digits that are not four digits.
    BadCard,
    /// A type other than charge, refund or cancellation.
    BadKind,
    /// A malformed establishment or page position.
    BadParameter,
}

/// A checked range of days, both ends included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Range {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

impl Range {
    /// The whole online window: the last 35 days, today included.
    pub fn online(today: NaiveDate) -> Range {
        Range { from: today - Duration::days(ONLINE_DAYS - 1), to: today }
    }

    /// `from..=to` if it is a range the portal shows online on `today`.
    pub fn check(from: NaiveDate, to: NaiveDate, today: NaiveDate) -> Result<Range, Refusal> {
        if to < from {
            return Err(Refusal::Reversed);
        }
        if to > today {
            return Err(Refusal::Future);
        }
        if (to - from).num_days() + 1 > ONLINE_DAYS {
            return Err(Refusal::TooLong);
        }
        if from < Range::online(today).from {
            return Err(Refusal::TooOld);
        }
        Ok(Range { from, to })
    }

    /// The first instant of `from` and the first instant after `to`, Paris time.
    pub fn instants(self) -> (i64, i64) {
        (crate::clock::paris_instant(self.from, 0, 0), crate::clock::paris_instant(self.to + Duration::days(1), 0, 0))
    }

    pub fn contains(self, date: NaiveDate) -> bool {
        self.from <= date && date <= self.to
    }
}

/// A transaction search (or export): the page's query string, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TransactionFilter {
    /// The establishment asked for; none means the caller's first.
    pub establishment: Option<i64>,
    pub range: Range,
    pub kind: Option<Kind>,
    pub amount_min: Option<i64>,
    pub amount_max: Option<i64>,
    pub card_last4: Option<String>,
    /// The last row of the previous page: (occurred_at, id).
    pub after: Option<(i64, i64)>,
}

impl TransactionFilter {
    /// Reads a query string; missing dates default to the whole online window.
    pub fn parse(query: &str, today: NaiveDate) -> Result<TransactionFilter, Refusal> {
        let online = Range::online(today);
        let (mut from, mut to) = (online.from, online.to);
        let mut filter = TransactionFilter {
            establishment: None,
            range: online,
            kind: None,
            amount_min: None,
            amount_max: None,
            card_last4: None,
            after: None,
        };
        for (name, value) in url::form_urlencoded::parse(query.as_bytes()) {
            let value = value.trim();
            if value.is_empty() {
                continue;
            }
            match name.as_ref() {
                "establishment" => filter.establishment = Some(value.parse().map_err(|_| Refusal::BadParameter)?),
                "from" => from = deadline::parse(value).ok_or(Refusal::BadDate)?,
                "to" => to = deadline::parse(value).ok_or(Refusal::BadDate)?,
                "kind" => filter.kind = Some(Kind::parse(value).ok_or(Refusal::BadKind)?),
                "amount_min" => filter.amount_min = Some(parse_amount(value).ok_or(Refusal::BadAmount)?),
                "amount_max" => filter.amount_max = Some(parse_amount(value).ok_or(Refusal::BadAmount)?),
                "card" => {
                    if value.len() != 4 || !value.bytes().all(|b| b.is_ascii_digit()) {
                        return Err(Refusal::BadCard);
                    }
                    filter.card_last4 = Some(value.to_owned());
                }
                "after" => {
                    let (at, id) = value.split_once('_').ok_or(Refusal::BadParameter)?;
                    filter.after = Some((
                        at.parse().map_err(|_| Refusal::BadParameter)?,
                        id.parse().map_err(|_| Refusal::BadParameter)?,
                    ));
                }
                _ => {}
            }
        }
        filter.range = Range::check(from, to, today)?;
        Ok(filter)
    }

    /// The query string of this search without its page position (for the CSV link and the
    /// form), establishment included.
    pub fn query(&self, establishment: i64) -> String {
        let mut query = url::form_urlencoded::Serializer::new(String::new());
        query.append_pair("establishment", &establishment.to_string());
        query.append_pair("from", &self.range.from.to_string());
        query.append_pair("to", &self.range.to.to_string());
        if let Some(kind) = self.kind {
            query.append_pair("kind", kind.as_str());
        }
        if let Some(min) = self.amount_min {
            query.append_pair("amount_min", &decimal(min));
        }
        if let Some(max) = self.amount_max {
            query.append_pair("amount_max", &decimal(max));
        }
        if let Some(card) = &self.card_last4 {
            query.append_pair("card", card);
        }
        query.finish()
    }
}

/// Minor units as a plain decimal ("1234.50", "-0.05"): how amounts travel in addresses and files.
pub fn decimal(minor: i64) -> String {
    let sign = if minor < 0 { "-" } else { "" };
    format!("{sign}{}.{:02}", minor.abs() / 100, minor.abs() % 100)
}

/// The establishment asked for (or the caller's first), if the caller may see it.
pub fn establishment<'a>(caller: &'a Caller, requested: Option<i64>) -> Result<&'a EstablishmentScope, AppError> {
    match requested {
        Some(id) => caller.establishment(id),
        None => caller.establishments.first().ok_or(AppError::NotFound),
    }
}

/// The message explaining a refusal, in `language`.
pub fn refusal_message(refusal: Refusal, language: &str) -> &'static str {
    use leptos_i18n::td_string;
    let locale = crate::format::locale(language);
    match refusal {
        Refusal::BadDate => td_string!(locale, money_refused_bad_date),
        Refusal::Reversed => td_string!(locale, money_refused_reversed),
        Refusal::Future => td_string!(locale, money_refused_future),
        Refusal::TooOld => td_string!(locale, money_refused_too_old),
        Refusal::TooLong => td_string!(locale, money_refused_too_long),
        Refusal::BadAmount => td_string!(locale, money_refused_bad_amount),
        Refusal::BadCard => td_string!(locale, money_refused_bad_card),
        Refusal::BadKind => td_string!(locale, money_refused_bad_kind),
        Refusal::BadParameter => td_string!(locale, money_refused_bad_parameter),
    }
}

/// The `establishment` number in a query string (for the files that take nothing else).
pub fn requested_establishment(query: &str) -> Result<Option<i64>, Refusal> {
    match url::form_urlencoded::parse(query.as_bytes()).find(|(name, _)| name == "establishment") {
        Some((_, value)) if !value.trim().is_empty() => {
            value.trim().parse().map(Some).map_err(|_| Refusal::BadParameter)
        }
        _ => Ok(None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        deadline::parse(text).unwrap()
    }

    const TODAY: &str = "2026-11-22";

    #[test]
    fn a_range_is_at_most_35_days_within_the_last_35_days() {
        let today = day(TODAY);
        assert_eq!(Range::online(today), Range { from: day("2026-10-19"), to: today });
        assert!(Range::check(day("2026-10-19"), today, today).is_ok());
        assert_eq!(Range::check(day("2026-10-18"), day("2026-10-20"), today), Err(Refusal::TooOld));
        assert_eq!(Range::check(day("2026-10-18"), today, today), Err(Refusal::TooLong));
        assert_eq!(Range::check(day("2026-11-20"), day("2026-11-23"), today), Err(Refusal::Future));
        assert_eq!(Range::check(day("2026-11-20"), day("2026-11-19"), today), Err(Refusal::Reversed));
        assert!(Range::check(today, today, today).is_ok());
    }

    #[test]
    fn a_search_reads_its_address_and_refuses_what_it_cannot_use() {
        let today = day(TODAY);
        let filter = TransactionFilter::parse(
            "establishment=7&from=2026-11-01&to=2026-11-20&kind=refund&amount_min=12,5&amount_max=100&card=1001&after=1763700000_42",
            today,
        )
        .unwrap();
        assert_eq!(filter.establishment, Some(7));
        assert_eq!(filter.range, Range { from: day("2026-11-01"), to: day("2026-11-20") });
        assert_eq!(filter.kind, Some(Kind::Refund));
        assert_eq!((filter.amount_min, filter.amount_max), (Some(1250), Some(10000)));
        assert_eq!(filter.card_last4.as_deref(), Some("1001"));
        assert_eq!(filter.after, Some((1_763_700_000, 42)));
        assert_eq!(
            filter.query(7),
            "establishment=7&from=2026-11-01&to=2026-11-20&kind=refund&amount_min=12.50&amount_max=100.00&card=1001"
        );
        assert_eq!(TransactionFilter::parse("", today).unwrap().range, Range::online(today));
        assert_eq!(TransactionFilter::parse("amount_min=12abc", today), Err(Refusal::BadAmount));
        assert_eq!(TransactionFilter::parse("amount_min=-3", today), Err(Refusal::BadAmount));
        assert_eq!(TransactionFilter::parse("card=12345", today), Err(Refusal::BadCard));
        assert_eq!(TransactionFilter::parse("card=12a4", today), Err(Refusal::BadCard));
        assert_eq!(TransactionFilter::parse("kind=payment", today), Err(Refusal::BadKind));
        assert_eq!(TransactionFilter::parse("from=2026-02-30", today), Err(Refusal::BadDate));
        assert_eq!(TransactionFilter::parse("from=2026-09-01&to=2026-09-20", today), Err(Refusal::TooOld));
        assert_eq!(TransactionFilter::parse("to=2026-11-30", today), Err(Refusal::Future));
        assert_eq!(TransactionFilter::parse("establishment=x", today), Err(Refusal::BadParameter));
        assert_eq!(TransactionFilter::parse("after=12", today), Err(Refusal::BadParameter));
    }

    #[test]
    fn amounts_travel_as_plain_decimals() {
        assert_eq!(decimal(123_456), "1234.56");
        assert_eq!(decimal(-5), "-0.05");
        assert_eq!(decimal(0), "0.00");
    }
}
