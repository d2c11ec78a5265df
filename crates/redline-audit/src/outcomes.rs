//! Which sent messages got a reply: from threading (a reply's `In-Reply-To` or `References`
//! names the sent `Message-ID`) or from an outcomes CSV exported from a CRM or sequencer.

use std::collections::HashMap;
use std::path::Path;

use redline_calendar::Day;

use crate::facts::{self, normalize_id};

/// What is known of replies.
#[derive(Debug, Default)]
pub struct Outcomes {
    /// Ids named by a reply, with each reply's sender (`None` when it has no From address).
    answered: HashMap<String, Vec<Option<String>>>,
    /// From a CSV: id → its row.
    table: Option<HashMap<String, Row>>,
}

/// One id's outcome in the CSV: replied or not, first seen on `line`; `None` when rows for
/// the id disagree (its outcome is then unknown).
#[derive(Debug, Clone, Copy)]
struct Row {
    replied: Option<bool>,
    line: u64,
}

impl Outcomes {
    /// Notes the ids a reply answers.
    pub fn add_reply(&mut self, raw: &[u8]) {
        if let Some(f) = facts::of(raw) {
            for id in f.answers {
                self.answered.entry(id).or_default().push(f.sender.clone());
            }
        }
    }

    /// Reads `message_id,replied[,replied_at]` rows (a header row is expected). `replied` is
    /// `1`/`0`, `true`/`false` or `yes`/`no`; `replied_at`, when filled in, a date
    /// (`YYYY-MM-DD`, a time after it allowed). Bad rows are returned as `file:line: problem`
    /// and skipped; an id listed again with the same outcome is reported and counted once, with
    /// a different outcome reported and left without one. A file ending inside an open quote
    /// (which swallows every row after it) is an error naming the line.
    pub fn add_csv(&mut self, path: &Path) -> Result<Vec<String>, String> {
        let mut reader = csv::ReaderBuilder::new()
            .flexible(true)
            .trim(csv::Trim::All)
            .from_path(path)
            .map_err(|e| format!("{}: {e}", path.display()))?;
        let headers = reader
            .headers()
            .map_err(|e| format!("{}: {e}", path.display()))?
            .clone();
        let column = |name: &str| headers.iter().position(|h| h.eq_ignore_ascii_case(name));
        let when_at = column("replied_at");
        let (Some(id_at), Some(replied_at)) = (column("message_id"), column("replied")) else {
            return Err(format!(
                "{}:1: expected columns message_id and replied, found {}",
                path.display(),
                headers.iter().collect::<Vec<_>>().join(",")
            ));
        };
        let table = self.table.get_or_insert_with(HashMap::new);
        let mut problems = Vec::new();
        let mut multi_line = None;
        let mut row = csv::StringRecord::new();
        loop {
            match reader.read_record(&mut row) {
                Ok(false) => break,
                Ok(true) => {}
                Err(e) => {
                    problems.push(format!("{}: {e}", path.display()));
                    continue;
                }
            }
            let line = row.position().map_or(0, |p| p.line());
            multi_line = (reader.position().line() > line + 1)
                .then(|| row.position().map(|p| (p.line(), p.byte())))
                .flatten();
            let id = normalize_id(row.get(id_at).unwrap_or(""));
            let cell = row.get(replied_at).unwrap_or("");
            let Some(replied) = redline_text::yes_no(cell) else {
                problems.push(format!(
                    "{}:{line}: replied is `{}`, not 1/0, true/false or yes/no",
                    path.display(),
                    cell.to_ascii_lowercase()
                ));
                continue;
            };
            if id.is_empty() {
                problems.push(format!("{}:{line}: no message_id", path.display()));
                continue;
            }
            let when = when_at.and_then(|i| row.get(i)).unwrap_or("");
            if !when.is_empty() && !is_date(when) {
                problems.push(format!(
                    "{}:{line}: replied_at is `{when}`, not a date (YYYY-MM-DD)",
                    path.display()
                ));
                continue;
            }
            match table.get_mut(&id) {
                None => {
                    table.insert(
                        id,
                        Row {
                            replied: Some(replied),
                            line,
                        },
                    );
                }
                Some(first) if first.replied == Some(replied) => problems.push(format!(
                    "{}:{line}: message_id `{id}` is listed again (first on line {}); counted once",
                    path.display(),
                    first.line
                )),
                Some(first) => {
                    problems.push(format!(
                        "{}:{line}: message_id `{id}` is listed again with a different outcome (first on line {}); its outcome is unknown",
                        path.display(),
                        first.line
                    ));
                    first.replied = None;
                }
            }
        }
        if let Some((line, byte)) = multi_line
            && let Some((opened, swallowed)) =
                redline_text::swallowed_by_open_quote(path, line, byte)
        {
            return Err(format!(
                "{}:{opened}: a quote opened on this line is never closed; it swallowed the {swallowed} rows after it, so the file is malformed",
                path.display()
            ));
        }
        Ok(problems)
    }

    /// Whether `id`, sent by `sender`, got a reply; `None` when a CSV is in use and does not
    /// list it, or lists it with conflicting outcomes (and no reply names it). The sender's
    /// own follow-ups in the thread (an "All Mail" export holds them) are not replies.
    pub fn replied(&self, id: &str, sender: Option<&str>) -> Option<bool> {
        let by_someone_else = |from: &Option<String>| sender.is_none() || from.as_deref() != sender;
        if self
            .answered
            .get(id)
            .is_some_and(|senders| senders.iter().any(by_someone_else))
        {
            return Some(true);
        }
        match &self.table {
            Some(table) => table.get(id).and_then(|r| r.replied),
            None => Some(false),
        }
    }
}

/// `YYYY-MM-DD`, optionally followed by a time (`T…` or ` …`).
fn is_date(s: &str) -> bool {
    let (Some(date), rest) = (s.get(..10), s.get(10..).unwrap_or("")) else {
        return false;
    };
    (rest.is_empty() || rest.starts_with(['T', ' '])) && date.parse::<Day>().is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(name: &str, csv: &str) -> (Outcomes, Result<Vec<String>, String>) {
        let path = std::env::temp_dir().join(format!(
            "redline-outcomes-{name}-{}.csv",
            std::process::id()
        ));
        std::fs::write(&path, csv).unwrap();
        let mut outcomes = Outcomes::default();
        let result = outcomes.add_csv(&path);
        std::fs::remove_file(&path).unwrap();
        (outcomes, result)
    }

    #[test]
    fn the_senders_own_follow_ups_are_not_replies() {
        let mut outcomes = Outcomes::default();
        let follow_up = "From: Rep <rep@acme.test>\r\nMessage-ID: <f@x>\r\nIn-Reply-To: <a@x>\r\n\r\nBumping this.\r\n";
        outcomes.add_reply(follow_up.as_bytes());
        assert_eq!(outcomes.replied("a@x", Some("rep@acme.test")), Some(false));
        let answer = "From: dana@northwind.test\r\nIn-Reply-To: <a@x>\r\n\r\nSure.\r\n";
        outcomes.add_reply(answer.as_bytes());
        assert_eq!(outcomes.replied("a@x", Some("rep@acme.test")), Some(true));
        // With no sender to tell them apart, any message in the thread counts.
        assert_eq!(outcomes.replied("a@x", None), Some(true));
    }

    #[test]
    fn duplicates_count_once_and_conflicts_are_unknown() {
        let (outcomes, problems) = read(
            "dupes",
            "message_id,replied\n<a@x>,yes\na@x,yes\nb@x,no\nb@x,yes\nc@x,no\n",
        );
        let problems = problems.unwrap();
        assert_eq!(outcomes.replied("a@x", None), Some(true));
        assert_eq!(outcomes.replied("b@x", None), None, "not silently replied");
        assert_eq!(outcomes.replied("c@x", None), Some(false));
        assert!(
            problems[0]
                .ends_with(":3: message_id `a@x` is listed again (first on line 2); counted once"),
            "{problems:?}"
        );
        assert!(problems[1].ends_with(":5: message_id `b@x` is listed again with a different outcome (first on line 4); its outcome is unknown"), "{problems:?}");
    }

    #[test]
    fn replied_at_must_be_a_date() {
        let (outcomes, problems) = read(
            "when",
            "message_id,replied,replied_at\na@x,yes,2026-03-04T10:00:00Z\nb@x,yes,soon\nc@x,no,\nd@x,yes,2026-02-31\n",
        );
        let problems = problems.unwrap();
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(problems[0].ends_with(":3: replied_at is `soon`, not a date (YYYY-MM-DD)"));
        assert!(problems[1].contains(":5: replied_at is `2026-02-31`"));
        assert_eq!(outcomes.replied("a@x", None), Some(true));
        assert_eq!(outcomes.replied("b@x", None), None);
        assert_eq!(outcomes.replied("c@x", None), Some(false));
    }

    #[test]
    fn an_open_quote_fails_the_file_naming_its_line() {
        let (_, result) = read(
            "quote",
            "message_id,replied\na@x,yes\n\"b@x,no\nc@x,yes\nd@x,no\n",
        );
        let why = result.unwrap_err();
        assert!(
            why.ends_with(":3: a quote opened on this line is never closed; it swallowed the 2 rows after it, so the file is malformed"),
            "{why}"
        );
    }
}
