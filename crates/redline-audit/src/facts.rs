//! What the audit keeps of a message's headers: its id, its place in a thread, its day and
//! sender. Bodies are checked and dropped; only these facts and the findings' rule ids and
//! phrases are kept, so memory does not grow with the archive's size.

use mail_parser::{DateTime, HeaderValue, MessageParser};

use redline_calendar::Day;

/// A message's headers, as the audit needs them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Facts {
    /// The `Message-ID`, without angle brackets.
    pub id: Option<String>,
    /// The ids this message answers: `In-Reply-To` and `References`.
    pub answers: Vec<String>,
    /// The UTC day of its `Date`.
    pub day: Option<Day>,
    /// Its `Date` names a day that does not exist (31 February, year 0001, year -5) or cannot
    /// be read: the message is left out rather than moved to another day.
    pub impossible_date: bool,
    /// The sender's address, lower-cased.
    pub sender: Option<String>,
    /// A reply or follow-up in a thread, not a first touch: it answers another message or its
    /// subject starts with `Re:`/`Fwd:`.
    pub in_thread: bool,
}

/// The facts of a raw message (or of the message an Apple Mail `.emlx` file holds); `None`
/// when it has no header block at all.
pub fn of(raw: &[u8]) -> Option<Facts> {
    let raw = redline_text::emlx_message(raw).map_or(raw, |(_, message)| message);
    let message = MessageParser::new().parse_headers(raw)?;
    let mut answers = Vec::new();
    for value in [message.in_reply_to(), message.references()] {
        answers.extend(ids(value));
    }
    answers.sort();
    answers.dedup();
    let subject = message
        .subject()
        .unwrap_or("")
        .trim_start()
        .to_ascii_lowercase();
    let threaded_subject = ["re:", "fwd:", "fw:", "aw:"]
        .iter()
        .any(|p| subject.starts_with(p));
    let date = message.date().cloned().or_else(|| {
        message
            .header_raw("Date")
            .and_then(|raw| DateTime::parse_rfc822(&with_seconds(raw)))
    });
    Some(Facts {
        id: message
            .message_id()
            .map(normalize_id)
            .filter(|id| !id.is_empty()),
        in_thread: threaded_subject || !answers.is_empty(),
        answers,
        day: date.as_ref().map(|d| Day::from_unix(d.to_timestamp())),
        impossible_date: message.header_raw("Date").is_some_and(|raw| {
            date.as_ref()
                .is_none_or(|d| !date_exists(d.year, d.month, d.day, raw))
        }),
        sender: message
            .from()
            .and_then(|a| a.first())
            .and_then(|a| a.address())
            .map(str::to_ascii_lowercase),
    })
}

/// A date whose time has no seconds (`10:00`, which RFC 5322 allows and the parser refuses)
/// with `:00` added.
fn with_seconds(raw: &str) -> String {
    raw.split_whitespace()
        .map(|t| {
            let hh_mm = t.len() == 5
                && t.as_bytes()[2] == b':'
                && t.bytes().filter(u8::is_ascii_digit).count() == 4;
            if hh_mm {
                format!("{t}:00")
            } else {
                t.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Whether a parsed date names a real day: the day exists in its month, and the year written
/// in `raw` (the header as sent) is the one parsed, from 1970 on. Parsers read years like
/// `0001` or `-5` as 2001 or 2000, and roll 31 February into March; those are not real days.
fn date_exists(year: u16, month: u8, day: u8, raw: &str) -> bool {
    const MONTHS: [&str; 12] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    let tokens: Vec<String> = raw
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|t| !t.is_empty())
        .map(str::to_ascii_lowercase)
        .collect();
    let written_year = tokens
        .iter()
        .position(|t| MONTHS.contains(&t.as_str()))
        .and_then(|m| tokens.get(m + 1));
    let year_ok = match written_year {
        Some(y) if y.len() == 4 && y.bytes().all(|b| b.is_ascii_digit()) => {
            y.parse::<u16>().is_ok_and(|y| y == year && y >= 1970)
        }
        Some(y) if y.len() == 2 && y.bytes().all(|b| b.is_ascii_digit()) => true,
        Some(_) => false,
        None => year >= 1970,
    };
    year_ok
        && format!("{year:04}-{month:02}-{day:02}")
            .parse::<Day>()
            .is_ok()
}

fn ids<'a>(value: &'a HeaderValue<'a>) -> impl Iterator<Item = String> + 'a {
    value
        .as_text_list()
        .into_iter()
        .flatten()
        .flat_map(|s| s.split_whitespace())
        .map(normalize_id)
        .filter(|id| !id.is_empty())
}

/// A message id as compared: surrounding `<>` and whitespace removed.
pub fn normalize_id(id: &str) -> String {
    id.trim()
        .trim_start_matches('<')
        .trim_end_matches('>')
        .trim()
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_threads_days_and_senders() {
        let raw = b"Message-ID: <b@x.com>\r\nIn-Reply-To: <a@x.com>\r\nReferences: <root@x.com> <a@x.com>\r\nDate: Tue, 3 Mar 2026 23:30:00 -0500\r\nFrom: Sam Lee <Sam@Globex.com>\r\nSubject: Re: Denver\r\n\r\nThanks.\r\n";
        let f = of(raw).unwrap();
        assert_eq!(f.id.as_deref(), Some("b@x.com"));
        assert_eq!(f.answers, ["a@x.com", "root@x.com"]);
        assert_eq!(f.day.unwrap().to_string(), "2026-03-04", "in UTC");
        assert_eq!(f.sender.as_deref(), Some("sam@globex.com"));
        assert!(f.in_thread);
        let first = of(b"Message-ID: <c@x.com>\nSubject: Denver\n\nHi\n").unwrap();
        assert!(!first.in_thread);
        assert_eq!(first.day, None);
        assert!(!first.impossible_date);
    }

    #[test]
    fn impossible_dates_are_flagged_not_moved() {
        let with_date = |date: &str| {
            of(format!("Message-ID: <d@x.com>\nDate: {date}\n\nHi\n").as_bytes()).unwrap()
        };
        for date in [
            "Sat, 31 Feb 2026 10:00:00 +0000",
            "Mon, 1 Jan 0001 10:00:00 +0000",
            "Mon, 1 Jan -5 10:00:00 +0000",
            "Mon, 1 Jan 1950 10:00:00 +0000",
            "yesterday",
        ] {
            assert!(with_date(date).impossible_date, "{date}");
        }
        for date in [
            "Sat, 28 Feb 2026 10:00:00 +0000",
            "Sun, 29 Feb 2032 10:00:00 +0000",
            "1 Mar 26 10:00:00 GMT",
            "5 Jan 2026 10:00 GMT",
            "Mon, 5 Jan 2026 10:00 -0500",
        ] {
            let f = with_date(date);
            assert!(!f.impossible_date && f.day.is_some(), "{date}");
        }
        assert_eq!(
            with_date("5 Jan 2026 23:30 -0500").day,
            Some("2026-01-06".parse().unwrap()),
            "no seconds, and the zone moves it to the next UTC day"
        );
    }
}
