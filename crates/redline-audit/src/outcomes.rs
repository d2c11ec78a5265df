//! Which sent messages got a reply: from threading (a reply's `In-Reply-To` or `References`
//! names the sent `Message-ID`) or from an outcomes CSV exported from a CRM or sequencer.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use crate::facts::{self, normalize_id};

/// What is known of replies.
#[derive(Debug, Default)]
pub struct Outcomes {
    /// Ids named by a reply.
    answered: HashSet<String>,
    /// From a CSV: id → replied.
    table: Option<HashMap<String, bool>>,
}

impl Outcomes {
    /// Notes the ids a reply answers.
    pub fn add_reply(&mut self, raw: &[u8]) {
        if let Some(f) = facts::of(raw) {
            self.answered.extend(f.answers);
        }
    }

    /// Reads `message_id,replied[,replied_at]` rows (a header row is expected). `replied` is
    /// `1`/`0`, `true`/`false` or `yes`/`no`. Bad rows are returned as `file:line: problem`
    /// and skipped.
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
        let (Some(id_at), Some(replied_at)) = (column("message_id"), column("replied")) else {
            return Err(format!(
                "{}:1: expected columns message_id and replied, found {}",
                path.display(),
                headers.iter().collect::<Vec<_>>().join(",")
            ));
        };
        let table = self.table.get_or_insert_with(HashMap::new);
        let mut problems = Vec::new();
        for row in reader.records() {
            let row = match row {
                Ok(r) => r,
                Err(e) => {
                    problems.push(format!("{}: {e}", path.display()));
                    continue;
                }
            };
            let line = row.position().map_or(0, |p| p.line());
            let id = normalize_id(row.get(id_at).unwrap_or(""));
            let replied = match row.get(replied_at).map(str::to_ascii_lowercase).as_deref() {
                Some("1" | "true" | "yes" | "y") => true,
                Some("0" | "false" | "no" | "n") => false,
                other => {
                    problems.push(format!(
                        "{}:{line}: replied is `{}`, not 1/0, true/false or yes/no",
                        path.display(),
                        other.unwrap_or("")
                    ));
                    continue;
                }
            };
            if id.is_empty() {
                problems.push(format!("{}:{line}: no message_id", path.display()));
                continue;
            }
            let entry = table.entry(id).or_insert(false);
            *entry |= replied;
        }
        Ok(problems)
    }

    /// Whether `id` got a reply; `None` when a CSV is in use and does not list it (and no
    /// reply names it).
    pub fn replied(&self, id: &str) -> Option<bool> {
        if self.answered.contains(id) {
            return Some(true);
        }
        match &self.table {
            Some(table) => table.get(id).copied(),
            None => Some(false),
        }
    }
}
