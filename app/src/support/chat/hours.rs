//! When the live chat is open: weekly hours in Paris time (Monday to Friday, 9:00 to 18:00 by
//! default), closed on French public holidays unless configured otherwise, and on any extra
//! closed dates. Pure rules on an instant: the caller passes "now" (the chat's clock, which tests
//! pin: see `settings`). Public holidays are computed, the Easter-based ones from the Gregorian
//! computus, so no yearly list needs updating.

use chrono::{Datelike, Duration, NaiveDate};

/// The chat's opening hours.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpeningHours {
    /// Opening and closing time, minutes after midnight (Paris); closing is exclusive.
    pub opens: u32,
    pub closes: u32,
    /// Open weekdays, Monday first.
    pub days: [bool; 7],
    /// Closed on French public holidays.
    pub holidays_closed: bool,
    /// Further closed dates.
    pub closed_dates: Vec<NaiveDate>,
}

impl Default for OpeningHours {
    fn default() -> OpeningHours {
        OpeningHours {
            opens: 9 * 60,
            closes: 18 * 60,
            days: [true, true, true, true, true, false, false],
            holidays_closed: true,
            closed_dates: Vec::new(),
        }
    }
}

/// Whether the chat is open at an instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Opening {
    /// Open until `closes_at` (Unix seconds).
    Open { closes_at: i64 },
    /// Closed; it opens next at `next` (none within a year: never, as configured).
    Closed { next: Option<i64> },
}

impl Opening {
    pub fn is_open(self) -> bool {
        matches!(self, Opening::Open { .. })
    }
}

/// Easter Sunday of `year` (Gregorian calendar; the anonymous algorithm, "Meeus/Jones/Butcher").
pub fn easter(year: i32) -> NaiveDate {
    let a = year % 19;
    let b = year / 100;
    let c = year % 100;
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    NaiveDate::from_ymd_opt(year, month as u32, day as u32).unwrap_or_default()
}

/// The eleven French public holidays of `year` (metropolitan France): New Year's Day, Easter
/// Monday, Labour Day, Victory in Europe Day, Ascension, Whit Monday, Bastille Day, Assumption,
/// All Saints' Day, Armistice Day, Christmas.
pub fn french_public_holidays(year: i32) -> [NaiveDate; 11] {
    let day = |month, day| NaiveDate::from_ymd_opt(year, month, day).unwrap_or_default();
    let easter = easter(year);
    [
        day(1, 1),
        easter + Duration::days(1),
        day(5, 1),
        day(5, 8),
        easter + Duration::days(39),
        easter + Duration::days(50),
        day(7, 14),
        day(8, 15),
        day(11, 1),
        day(11, 11),
        day(12, 25),
    ]
}

pub fn is_public_holiday(date: NaiveDate) -> bool {
    french_public_holidays(date.year()).contains(&date)
}

/// `HH:MM` as minutes after midnight.
fn minutes(text: &str) -> Option<u32> {
    let (hours, minutes) = text.trim().split_once(':')?;
    let (hours, minutes): (u32, u32) = (hours.parse().ok()?, minutes.parse().ok()?);
    (hours <= 24 && minutes < 60 && hours * 60 + minutes <= 24 * 60).then_some(hours * 60 + minutes)
}

const DAY_NAMES: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

impl OpeningHours {
    /// Reads the configuration: `hours` as `09:00-18:00`, `days` as `mon-fri` or
    /// `mon,tue,thu`, `closed_dates` as `2026-12-24,2026-12-31`, `holidays` as `closed` or
    /// `open`. The error says what is wrong.
    pub fn parse(hours: &str, days: &str, closed_dates: &str, holidays: &str) -> Result<OpeningHours, String> {
        let (opens, closes) = hours
            .split_once('-')
            .and_then(|(opens, closes)| Some((minutes(opens)?, minutes(closes)?)))
            .filter(|(opens, closes)| opens < closes)
            .ok_or_else(|| format!("{hours:?} is not a range of times such as 09:00-18:00"))?;
        let day = |name: &str| {
            DAY_NAMES
                .iter()
                .position(|day| day.eq_ignore_ascii_case(name.trim()))
                .ok_or_else(|| format!("{name:?} is not a day (mon, tue, wed, thu, fri, sat, sun)"))
        };
        let mut open_days = [false; 7];
        for part in days.split(',').filter(|part| !part.trim().is_empty()) {
            match part.split_once('-') {
                Some((first, last)) => {
                    let (first, last) = (day(first)?, day(last)?);
                    if first > last {
                        return Err(format!("{part:?}: the first day must come before the last"));
                    }
                    open_days[first..=last].iter_mut().for_each(|open| *open = true);
                }
                None => open_days[day(part)?] = true,
            }
        }
        let closed_dates = closed_dates
            .split(',')
            .map(str::trim)
            .filter(|date| !date.is_empty())
            .map(|date| {
                NaiveDate::parse_from_str(date, "%Y-%m-%d").map_err(|_| format!("{date:?} is not a date YYYY-MM-DD"))
            })
            .collect::<Result<Vec<_>, _>>()?;
        let holidays_closed = match holidays.trim() {
            "" | "closed" => true,
            "open" => false,
            other => return Err(format!("{other:?} is neither closed nor open")),
        };
        Ok(OpeningHours { opens, closes, days: open_days, holidays_closed, closed_dates })
    }

    /// Whether the chat opens at all on `date`.
    pub fn is_open_day(&self, date: NaiveDate) -> bool {
        self.days[date.weekday().num_days_from_monday() as usize]
            && !(self.holidays_closed && is_public_holiday(date))
            && !self.closed_dates.contains(&date)
    }

    /// Whether the chat is open at `now` (Unix seconds), and if not when it opens next.
    pub fn at(&self, now: i64) -> Opening {
        let today = crate::clock::paris_date(now);
        let at = |date, minutes: u32| crate::clock::paris_instant(date, minutes / 60, minutes % 60);
        for offset in 0..=366 {
            let date = today + Duration::days(offset);
            if !self.is_open_day(date) {
                continue;
            }
            let (opens, closes) = (at(date, self.opens), at(date, self.closes.min(24 * 60 - 1)));
            if now < opens {
                return Opening::Closed { next: Some(opens) };
            }
            if now < closes {
                return Opening::Open { closes_at: closes };
            }
        }
        Opening::Closed { next: None }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    fn paris(text: &str, hour: u32, minute: u32) -> i64 {
        crate::clock::paris_instant(date(text), hour, minute)
    }

    #[test]
    fn easter_falls_on_the_known_sundays() {
        for (year, sunday) in [
            (2024, "2024-03-31"),
            (2025, "2025-04-20"),
            (2026, "2026-04-05"),
            (2027, "2027-03-28"),
            (2038, "2038-04-25"),
            (2000, "2000-04-23"),
        ] {
            assert_eq!(easter(year), date(sunday), "{year}");
        }
    }

    #[test]
    fn the_french_public_holidays_of_2026() {
        let expected = [
            "2026-01-01",
            "2026-04-06",
            "2026-05-01",
            "2026-05-08",
            "2026-05-14",
            "2026-05-25",
            "2026-07-14",
            "2026-08-15",
            "2026-11-01",
            "2026-11-11",
            "2026-12-25",
        ];
        assert_eq!(french_public_holidays(2026).to_vec(), expected.map(date).to_vec());
        assert!(is_public_holiday(date("2027-03-29")), "Easter Monday 2027");
        assert!(!is_public_holiday(date("2026-12-02")));
    }

    #[test]
    fn open_on_weekdays_from_nine_to_six_paris_time() {
        let hours = OpeningHours::default();
        // Wednesday 2 December 2026.
        assert_eq!(hours.at(paris("2026-12-02", 10, 0)), Opening::Open { closes_at: paris("2026-12-02", 18, 0) });
        assert!(hours.at(paris("2026-12-02", 9, 0)).is_open());
        assert_eq!(hours.at(paris("2026-12-02", 8, 59)), Opening::Closed { next: Some(paris("2026-12-02", 9, 0)) });
        assert_eq!(hours.at(paris("2026-12-02", 18, 0)), Opening::Closed { next: Some(paris("2026-12-03", 9, 0)) });
        // Friday evening and the weekend: Monday morning.
        let monday = Some(paris("2026-12-07", 9, 0));
        assert_eq!(hours.at(paris("2026-12-04", 18, 30)), Opening::Closed { next: monday });
        assert_eq!(hours.at(paris("2026-12-05", 11, 0)), Opening::Closed { next: monday });
        assert_eq!(hours.at(paris("2026-12-06", 23, 59)), Opening::Closed { next: monday });
    }

    #[test]
    fn closed_on_public_holidays_unless_configured_open() {
        let hours = OpeningHours::default();
        // Christmas 2026 is a Friday: next is Monday the 28th.
        assert_eq!(hours.at(paris("2026-12-25", 10, 0)), Opening::Closed { next: Some(paris("2026-12-28", 9, 0)) });
        // Easter Monday 2027: Tuesday.
        assert_eq!(hours.at(paris("2027-03-29", 10, 0)), Opening::Closed { next: Some(paris("2027-03-30", 9, 0)) });
        // The day before Ascension 2026 (Wednesday 13 May), after hours: Friday.
        assert_eq!(hours.at(paris("2026-05-13", 19, 0)), Opening::Closed { next: Some(paris("2026-05-15", 9, 0)) });
        let open_on_holidays = OpeningHours { holidays_closed: false, ..OpeningHours::default() };
        assert!(open_on_holidays.at(paris("2026-12-25", 10, 0)).is_open());
    }

    #[test]
    fn configured_hours_days_and_closed_dates() {
        let hours = OpeningHours::parse("08:30-12:00", "mon-wed,sat", "2026-12-05", "open").unwrap();
        assert_eq!((hours.opens, hours.closes), (510, 720));
        assert_eq!(hours.days, [true, true, true, false, false, true, false]);
        assert!(!hours.holidays_closed);
        // Thursday 3 December: Saturday the 5th is closed, so Monday the 7th.
        assert_eq!(hours.at(paris("2026-12-03", 9, 0)), Opening::Closed { next: Some(paris("2026-12-07", 8, 30)) });
        assert!(hours.at(paris("2026-12-12", 11, 59)).is_open(), "another Saturday");
        let never = OpeningHours::parse("09:00-18:00", "", "", "").unwrap();
        assert_eq!(never.at(paris("2026-12-03", 9, 0)), Opening::Closed { next: None });
        for (hours, days, dates, holidays) in [
            ("9-18", "mon", "", ""),
            ("18:00-09:00", "mon", "", ""),
            ("09:00-18:00", "lundi", "", ""),
            ("09:00-18:00", "fri-mon", "", ""),
            ("09:00-18:00", "mon", "24/12/2026", ""),
            ("09:00-18:00", "mon", "", "sometimes"),
        ] {
            assert!(OpeningHours::parse(hours, days, dates, holidays).is_err(), "{hours} {days} {dates} {holidays}");
        }
    }
}
