//! What the audit keeps of a message's headers: its id, its place in a thread, its day and
//! sender. Bodies are checked and dropped; only these facts and the findings' rule ids and
//! phrases are kept, so memory does not grow with the archive's size.

use mail_parser::{HeaderValue, MessageParser};

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
    /// The sender's address, lower-cased.
    pub sender: Option<String>,
    /// A reply or follow-up in a thread, not a first touch: it answers another message or its
    /// subject starts with `Re:`/`Fwd:`.
    pub in_thread: bool,
}

/// The facts of a raw message; `None` when it has no header block at all.
pub fn of(raw: &[u8]) -> Option<Facts> {
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
    Some(Facts {
        id: message
            .message_id()
            .map(normalize_id)
            .filter(|id| !id.is_empty()),
        in_thread: threaded_subject || !answers.is_empty(),
        answers,
        day: message.date().map(|d| Day::from_unix(d.to_timestamp())),
        sender: message
            .from()
            .and_then(|a| a.first())
            .and_then(|a| a.address())
            .map(str::to_ascii_lowercase),
    })
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
    }
}
