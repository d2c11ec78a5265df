//! Calendar days in UTC: enough date arithmetic for `--since`, `--until`, `--rollout` and
//! monthly buckets, without a date library.

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

impl Day {
    /// The UTC day of a Unix timestamp (seconds).
    pub fn from_unix(seconds: i64) -> Day {
        // Howard Hinnant's days-to-civil algorithm.
        let z = seconds.div_euclid(86_400) + 719_468;
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

    /// The month as `YYYY-MM`.
    pub fn month_key(self) -> String {
        format!("{:04}-{:02}", self.year, self.month)
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
}
