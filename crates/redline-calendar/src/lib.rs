//! Calendar days in UTC: enough date arithmetic for date filters, monthly buckets, rollout
//! splits and generated archives, without a date library. One definition, so the audit, the
//! pipeline checks and the generators agree on every day and month.

use std::fmt;

/// A day of the proleptic Gregorian calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Day {
    /// The year.
    pub year: i32,
    /// The month, 1–12.
    pub month: u32,
    /// The day of the month, 1–31.
    pub day: u32,
}

const MONTH_NAMES: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

impl Day {
    /// The day `days` after 1970-01-01 (Howard Hinnant's days-to-civil algorithm).
    pub fn from_days(days: i64) -> Day {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
        Day { year, month, day }
    }

    /// The UTC day of a Unix timestamp (seconds).
    pub fn from_unix(seconds: i64) -> Day {
        Day::from_days(seconds.div_euclid(86_400))
    }

    /// Days since 1970-01-01.
    pub fn days(self) -> i64 {
        let y = i64::from(self.year) - i64::from(self.month <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let doy = (153 * ((i64::from(self.month) + 9) % 12) + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The first day of the month `n` months after this day's month.
    pub fn month_start_after(self, n: u32) -> Day {
        let months = i64::from(self.year) * 12 + i64::from(self.month - 1) + i64::from(n);
        Day {
            year: months.div_euclid(12) as i32,
            month: months.rem_euclid(12) as u32 + 1,
            day: 1,
        }
    }

    /// The month as `YYYY-MM`.
    pub fn month_key(self) -> String {
        format!("{:04}-{:02}", self.year, self.month)
    }

    /// The month's English abbreviation, as mail dates write it: `Jan`.
    pub fn month_name(self) -> &'static str {
        MONTH_NAMES[(self.month - 1) as usize]
    }

    /// The weekday's abbreviation, as mail dates write it: `Mon`.
    pub fn weekday_name(self) -> &'static str {
        ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"][self.days().rem_euclid(7) as usize]
    }

    /// Whether it falls Monday to Friday.
    pub fn is_weekday(self) -> bool {
        !matches!(self.weekday_name(), "Sat" | "Sun")
    }
}

impl std::str::FromStr for Day {
    type Err = String;

    /// Parses `YYYY-MM-DD`.
    fn from_str(s: &str) -> Result<Day, String> {
        let bad = || format!("`{s}` is not a date (expected YYYY-MM-DD)");
        let mut parts = s.trim().splitn(3, '-');
        let mut next = || parts.next().and_then(|p| p.parse::<u32>().ok());
        let (year, month, day) = (
            next().ok_or_else(bad)?,
            next().ok_or_else(bad)?,
            next().ok_or_else(bad)?,
        );
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
        let days_in_month = match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if leap => 29,
            2 => 28,
            _ => return Err(bad()),
        };
        if day == 0 || day > days_in_month || year > 9999 {
            return Err(bad());
        }
        Ok(Day {
            year: year as i32,
            month,
            day,
        })
    }
}

impl fmt::Display for Day {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unix_days_and_parsing_agree() {
        assert_eq!(Day::from_unix(0).to_string(), "1970-01-01");
        assert_eq!(Day::from_unix(951_782_400).to_string(), "2000-02-29");
        assert_eq!(Day::from_unix(1_798_761_600 - 1).to_string(), "2026-12-31");
        assert_eq!(Day::from_unix(-86_400).to_string(), "1969-12-31");
        assert_eq!("2026-03-01".parse::<Day>().unwrap().month_key(), "2026-03");
        assert!("2026-02-29".parse::<Day>().is_err());
        assert!("2024-02-29".parse::<Day>().is_ok());
        assert!("March 1".parse::<Day>().is_err());
    }

    #[test]
    fn days_round_trip_and_name_their_weekday_and_month() {
        for days in [-1, 0, 11_016, 20_454, 20_500] {
            assert_eq!(Day::from_days(days).days(), days);
        }
        let sunday: Day = "2026-11-22".parse().unwrap();
        assert_eq!((sunday.weekday_name(), sunday.month_name()), ("Sun", "Nov"));
        assert!(!sunday.is_weekday());
        assert_eq!(
            "2025-10-15".parse::<Day>().unwrap().month_start_after(9),
            "2026-07-01".parse().unwrap()
        );
    }
}
