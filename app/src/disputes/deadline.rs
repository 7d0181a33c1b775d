//! Reply-by dates, counted in Paris calendar days: days left, the urgent window (3 days or
//! less), overdue. Queues, case pages and the deadline worker all ask here.

use chrono::NaiveDate;

/// A case is urgent when this many days or fewer are left.
pub const URGENT_DAYS: i64 = 3;
/// An inquiry's reply-by date unless the case says otherwise.
pub const DEFAULT_REPLY_DAYS: i64 = 20;

/// How pressing an open case is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Urgency {
    OnTime,
    /// 3 days or less left (0 = due today).
    Urgent,
    /// The reply-by date has passed.
    Overdue,
}

/// Days from `today` to the reply-by date (0 on the day itself, negative once passed).
pub fn days_left(reply_by: NaiveDate, today: NaiveDate) -> i64 {
    (reply_by - today).num_days()
}

pub fn urgency(reply_by: NaiveDate, today: NaiveDate) -> Urgency {
    match days_left(reply_by, today) {
        days if days < 0 => Urgency::Overdue,
        days if days <= URGENT_DAYS => Urgency::Urgent,
        _ => Urgency::OnTime,
    }
}

/// The reply-by date of a case opened on `opened`.
pub fn default_reply_by(opened: NaiveDate) -> NaiveDate {
    opened + chrono::Duration::days(DEFAULT_REPLY_DAYS)
}

/// Reads a stored reply-by date (`YYYY-MM-DD`).
pub fn parse(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        parse(text).unwrap()
    }

    #[test]
    fn the_urgent_window_is_the_last_three_days_and_the_due_date_itself() {
        let today = day("2026-11-22");
        assert_eq!(urgency(day("2026-11-26"), today), Urgency::OnTime);
        for due in ["2026-11-25", "2026-11-23", "2026-11-22"] {
            assert_eq!(urgency(day(due), today), Urgency::Urgent, "{due}");
        }
        assert_eq!(urgency(day("2026-11-21"), today), Urgency::Overdue);
        assert_eq!(days_left(day("2026-11-25"), today), 3);
        assert_eq!(days_left(day("2026-11-21"), today), -1);
    }

    #[test]
    fn reply_by_defaults_to_twenty_days_and_crosses_months() {
        assert_eq!(default_reply_by(day("2026-11-22")), day("2026-12-12"));
        assert_eq!(default_reply_by(day("2026-12-20")), day("2027-01-09"));
        assert_eq!(parse("2026-02-30"), None);
    }
}
