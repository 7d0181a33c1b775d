//! The analytics page's filter: a period of whole Paris months within the last 16 (the current
//! one and the 15 before it), an establishment, a reason code and, for the dispute team, an
//! organisation; read from the address and checked before any query runs.

use chrono::{Datelike, NaiveDate};

/// How many months back the analytics go, the current one included.
pub const MONTHS: i32 = 16;

/// A calendar month (Paris).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Month {
    pub year: i32,
    /// 1 to 12.
    pub month: u32,
}

impl Month {
    pub fn of(day: NaiveDate) -> Month {
        Month { year: day.year(), month: day.month() }
    }

    /// `YYYY-MM`, as in addresses and files.
    pub fn parse(text: &str) -> Option<Month> {
        let (year, month) = text.split_once('-')?;
        if year.len() != 4 || month.len() != 2 {
            return None;
        }
        let month = Month { year: year.parse().ok()?, month: month.parse().ok()? };
        (1..=12).contains(&month.month).then_some(month)
    }

    pub fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, self.month, 1).unwrap_or_default()
    }

    pub fn next(self) -> Month {
        self.plus(1)
    }

    /// `count` months later (earlier when negative).
    pub fn plus(self, count: i32) -> Month {
        let index = self.year * 12 + self.month as i32 - 1 + count;
        Month { year: index.div_euclid(12), month: index.rem_euclid(12) as u32 + 1 }
    }

    /// The instant the month starts in Paris.
    pub fn start(self) -> i64 {
        crate::clock::paris_instant(self.first_day(), 0, 0)
    }
}

impl std::fmt::Display for Month {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(formatter, "{:04}-{:02}", self.year, self.month)
    }
}

/// From one month to another, both included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub from: Month,
    pub to: Month,
}

impl Period {
    /// The last 16 months on `today`.
    pub fn longest(today: NaiveDate) -> Period {
        let to = Month::of(today);
        Period { from: to.plus(1 - MONTHS), to }
    }

    /// Every month of the period, in order.
    pub fn months(self) -> Vec<Month> {
        let mut months = vec![self.from];
        while let Some(&last) = months.last().filter(|last| **last < self.to) {
            months.push(last.next());
        }
        months
    }

    /// The instants each month starts, and the one the period ends: `months().len() + 1` of them.
    pub fn bounds(self) -> Vec<i64> {
        let mut bounds: Vec<i64> = self.months().into_iter().map(Month::start).collect();
        bounds.push(self.to.next().start());
        bounds
    }
}

/// Why a filter was refused; each has its message on the page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// A month that is not `YYYY-MM`.
    BadMonth,
    /// The period ends before it starts.
    Reversed,
    /// Part of the period is before the last 16 months or after this month.
    OutOfRange,
    /// An unknown reason code.
    BadReason,
    /// A malformed establishment or organisation id.
    BadParameter,
}

/// What the page asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Filter {
    pub period: Period,
    pub establishment: Option<i64>,
    /// The dispute team only.
    pub organisation: Option<i64>,
    pub reason: Option<String>,
}

impl Filter {
    /// Reads the query string on `today`; empty values mean "any" (the period: the last 16
    /// months), unknown names are ignored.
    pub fn parse(query: &str, today: NaiveDate) -> Result<Filter, Refusal> {
        let longest = Period::longest(today);
        let mut filter = Filter { period: longest, establishment: None, organisation: None, reason: None };
        for (name, value) in url::form_urlencoded::parse(query.as_bytes()) {
            let value = value.trim();
            if value.is_empty() {
                continue;
            }
            let id = || value.parse::<i64>().map_err(|_| Refusal::BadParameter);
            match name.as_ref() {
                "from" => filter.period.from = Month::parse(value).ok_or(Refusal::BadMonth)?,
                "to" => filter.period.to = Month::parse(value).ok_or(Refusal::BadMonth)?,
                "establishment" => filter.establishment = Some(id()?),
                "organisation" => filter.organisation = Some(id()?),
                "reason" => {
                    let code = value.to_uppercase();
                    crate::disputes::reason_codes::find(&code).ok_or(Refusal::BadReason)?;
                    filter.reason = Some(code);
                }
                _ => {}
            }
        }
        if filter.period.to < filter.period.from {
            return Err(Refusal::Reversed);
        }
        if filter.period.from < longest.from || filter.period.to > longest.to {
            return Err(Refusal::OutOfRange);
        }
        Ok(filter)
    }

    /// The query string that asks for this filter again (the CSV links).
    pub fn query(&self) -> String {
        let mut query = url::form_urlencoded::Serializer::new(String::new());
        query.append_pair("from", &self.period.from.to_string()).append_pair("to", &self.period.to.to_string());
        if let Some(id) = self.organisation {
            query.append_pair("organisation", &id.to_string());
        }
        if let Some(id) = self.establishment {
            query.append_pair("establishment", &id.to_string());
        }
        if let Some(reason) = &self.reason {
            query.append_pair("reason", reason);
        }
        query.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn the_longest_period_is_this_month_and_the_fifteen_before() {
        let period = Period::longest(day("2026-12-02"));
        assert_eq!((period.from.to_string(), period.to.to_string()), ("2025-09".into(), "2026-12".into()));
        assert_eq!(period.months().len(), 16);
        assert_eq!(period.bounds().len(), 17);
        assert_eq!(Month::parse("2026-01").unwrap().plus(-1).to_string(), "2025-12");
    }

    #[test]
    fn months_start_at_midnight_in_paris() {
        // Winter (UTC+1) and summer (UTC+2).
        assert_eq!(Month::parse("2026-01").unwrap().start(), 1_767_222_000);
        assert_eq!(Month::parse("2026-07").unwrap().start(), 1_782_856_800);
    }

    #[test]
    fn filters_are_read_and_bad_ones_named() {
        let today = day("2026-12-02");
        let filter = Filter::parse("from=2026-01&to=2026-03&establishment=4&reason=c08", today).unwrap();
        assert_eq!(filter.period.months().len(), 3);
        assert_eq!((filter.establishment, filter.reason.as_deref()), (Some(4), Some("C08")));
        assert_eq!(Filter::parse(&filter.query(), today), Ok(filter));
        assert_eq!(Filter::parse("from=&reason=", today).unwrap().period, Period::longest(today));
        assert_eq!(Filter::parse("from=2026-13", today), Err(Refusal::BadMonth));
        assert_eq!(Filter::parse("from=2026-05&to=2026-04", today), Err(Refusal::Reversed));
        assert_eq!(Filter::parse("from=2025-08", today), Err(Refusal::OutOfRange));
        assert_eq!(Filter::parse("to=2027-01", today), Err(Refusal::OutOfRange));
        assert_eq!(Filter::parse("reason=Z99", today), Err(Refusal::BadReason));
        assert_eq!(Filter::parse("establishment=x", today), Err(Refusal::BadParameter));
    }
}
