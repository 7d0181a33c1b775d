//! Time as the business sees it: instants in UTC, calendar dates in Europe/Paris.

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Europe::Paris;

/// Now, as Unix seconds in UTC (how instants are stored).
pub fn now() -> i64 {
    Utc::now().timestamp()
}

/// The Paris calendar date of an instant (how reply-by dates and statements count days).
pub fn paris_date(unix_seconds: i64) -> NaiveDate {
    DateTime::from_timestamp(unix_seconds, 0).unwrap_or_default().with_timezone(&Paris).date_naive()
}

/// The instant of a Paris wall-clock time on `date` (the earlier one when clocks go back, the
/// first valid minute after when they go forward).
pub fn paris_instant(date: NaiveDate, hour: u32, minute: u32) -> i64 {
    use chrono::TimeZone;
    let mut local = date.and_hms_opt(hour.min(23), minute.min(59), 0).unwrap_or_default();
    for _ in 0..120 {
        if let Some(instant) = Paris.from_local_datetime(&local).earliest() {
            return instant.timestamp();
        }
        local += chrono::Duration::minutes(1);
    }
    local.and_utc().timestamp()
}

/// Today in Paris.
pub fn paris_today() -> NaiveDate {
    paris_date(now())
}

/// The hour it is now in Paris (0 to 23).
pub fn paris_hour() -> u32 {
    use chrono::Timelike;
    chrono::Utc::now().with_timezone(&chrono_tz::Europe::Paris).hour()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn late_evening_utc_is_already_tomorrow_in_paris() {
        // 2026-07-01 22:30 UTC is 2026-07-02 00:30 in Paris (summer time, UTC+2).
        let instant = DateTime::parse_from_rfc3339("2026-07-01T22:30:00Z").unwrap().timestamp();
        assert_eq!(paris_date(instant), NaiveDate::from_ymd_opt(2026, 7, 2).unwrap());
        // In winter Paris is UTC+1: 22:30 UTC is still 23:30 the same day.
        let instant = DateTime::parse_from_rfc3339("2026-01-15T22:30:00Z").unwrap().timestamp();
        assert_eq!(paris_date(instant), NaiveDate::from_ymd_opt(2026, 1, 15).unwrap());
    }

    #[test]
    fn paris_wall_clock_times_survive_daylight_saving_changes() {
        let spring = NaiveDate::from_ymd_opt(2026, 3, 29).unwrap();
        // 02:30 does not exist that night: the next valid minute is 03:00 (01:00 UTC).
        assert_eq!(
            paris_instant(spring, 2, 30),
            DateTime::parse_from_rfc3339("2026-03-29T01:00:00Z").unwrap().timestamp()
        );
        let summer = NaiveDate::from_ymd_opt(2026, 7, 2).unwrap();
        assert_eq!(paris_date(paris_instant(summer, 0, 10)), summer);
    }
}
