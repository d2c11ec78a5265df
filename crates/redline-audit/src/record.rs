//! One sent message in, one [`Record`] out: its facts, its outcome, and what the engine found
//! in it, each rule and phrase once.

use std::collections::{HashMap, HashSet};
use std::sync::Mutex;

use redline_email::Linter;
use redline_rules::{RuleKind, Severity};
use redline_text::{InputKind, read_draft};

use crate::counts::{Example, Record};
use crate::facts;
use crate::outcomes::Outcomes;
use crate::redact::{self, Redactor};
use redline_calendar::Day;

/// What to count.
#[derive(Debug, Clone)]
pub struct Options {
    /// Leave out messages before this day.
    pub since: Option<Day>,
    /// Leave out messages after this day.
    pub until: Option<Day>,
    /// Findings below this severity are ignored (default: warning, so length and reading
    /// metrics do not drown the phrases).
    pub min_severity: Severity,
    /// Keep senders, for a rep auditing their own mailbox.
    pub by_sender: bool,
    /// Hide people in what the report keeps: snippets, pattern labels and message ids (see
    /// [`redact`]).
    pub redact: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            since: None,
            until: None,
            min_severity: Severity::Warning,
            by_sender: false,
            redact: false,
        }
    }
}

/// Maps a finding's matched text to the phrase it counts under: for phrase rules the variant
/// the pack wrote, for pattern rules the folded text (redacted under `--redact`). Structure and
/// metric rules have none.
#[derive(Default)]
pub struct Phrases {
    /// By rule id: the pack's variants by their folded text (empty for a pattern rule).
    rules: HashMap<String, HashMap<String, String>>,
    /// Under `--redact`, by rule id: a redactor keeping the rule's own words.
    redactors: HashMap<String, Redactor>,
}

impl Phrases {
    /// The phrase and pattern rules of `linter`; with redactors when `redact`.
    pub fn of(linter: &Linter, redact: bool) -> Phrases {
        let mut phrases = Phrases::default();
        for rule in linter.rules() {
            let (variants, words): (HashMap<String, String>, String) = match &rule.kind {
                RuleKind::Phrase(phrases) => (
                    phrases
                        .iter()
                        .map(|p| (redline_text::phrase_key(&p.text), p.text.to_string()))
                        .collect(),
                    phrases
                        .iter()
                        .map(|p| &*p.text)
                        .collect::<Vec<_>>()
                        .join(" "),
                ),
                RuleKind::Pattern(re) => (HashMap::new(), re.as_str().to_string()),
                _ => continue,
            };
            if redact {
                phrases
                    .redactors
                    .insert(rule.id.clone(), Redactor::keeping(&words));
            }
            phrases.rules.insert(rule.id.clone(), variants);
        }
        phrases
    }

    /// The phrase a finding of `rule` that matched `matched` counts under.
    fn phrase(&self, rule: &str, matched: &str) -> Option<String> {
        let variants = self.rules.get(rule)?;
        let folded = redline_text::phrase_key(matched);
        Some(match variants.get(&folded) {
            Some(variant) => variant.clone(),
            None => match self.redactors.get(rule) {
                Some(r) => r.redact(&folded),
                None => folded,
            },
        })
    }
}

/// The Message-IDs already counted, shared by the workers: a repeated id is one message sent
/// (or exported) twice, and is counted once.
#[derive(Debug, Default)]
pub struct SeenIds(Mutex<HashSet<u64>>);

impl SeenIds {
    /// Whether `id` is seen for the first time (and notes it).
    pub fn first(&self, id: &str) -> bool {
        self.0
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(redact::fnv(id))
    }
}

/// The record of a raw sent message, or why it is left out.
pub fn record(
    raw: &[u8],
    linter: &Linter,
    phrases: &Phrases,
    outcomes: &Outcomes,
    options: &Options,
    seen: &SeenIds,
) -> Result<Record, &'static str> {
    let facts = facts::of(raw).ok_or("not a message")?;
    let id = facts.id.ok_or("no Message-ID")?;
    if facts.impossible_date {
        return Err("impossible Date");
    }
    // Without a day a message belongs to no month and no rollout period, so it is left out
    // of the totals too (with or without --since/--until), and the months add up to them.
    let day = facts.day.ok_or("no Date")?;
    let early = options.since.is_some_and(|s| day < s);
    let late = options.until.is_some_and(|u| day > u);
    if early || late {
        return Err("outside --since/--until");
    }
    let replied = outcomes
        .replied(&id, facts.sender.as_deref())
        .ok_or("no outcome")?;
    if !seen.first(&id) {
        return Err("duplicate Message-ID");
    }
    let draft = read_draft(InputKind::Message, raw, 0);
    if draft.unread {
        return Err("no text to check");
    }
    let text = draft.doc.text();
    let mut rules: Vec<(String, Severity)> = Vec::new();
    let mut patterns: Vec<(String, String, Example)> = Vec::new();
    let checked = linter.check_scored(&draft.doc);
    for f in checked.findings {
        if f.severity < options.min_severity {
            continue;
        }
        if !rules.iter().any(|(r, _)| f.rule == *r) {
            rules.push((f.rule.to_string(), f.severity));
        }
        if let Some(phrase) = phrases.phrase(&f.rule, &f.matched)
            && !patterns
                .iter()
                .any(|(r, p, _)| f.rule == *r && *p == phrase)
        {
            let mut snippet = snippet(text, f.span.clone());
            let mut message = id.clone();
            if let Some(r) = phrases.redactors.get(f.rule.as_str()) {
                snippet = r.redact(&snippet);
                message = redact::message_id(&id);
            }
            let example = Example { message, snippet };
            patterns.push((f.rule.to_string(), phrase, example));
        }
    }
    Ok(Record {
        day,
        in_thread: facts.in_thread,
        replied,
        sender: facts.sender.filter(|_| options.by_sender).map(|s| {
            if options.redact {
                redact::sender(&s)
            } else {
                s
            }
        }),
        rules,
        patterns,
        scores: checked
            .scores
            .into_iter()
            .map(|s| (s.rule.to_string(), s.probability))
            .collect(),
    })
}

/// The sentence around a match, on one line, at most a few dozen words.
fn snippet(text: &str, span: std::ops::Range<usize>) -> String {
    const REACH: usize = 120;
    let mut start = span.start.saturating_sub(REACH);
    while !text.is_char_boundary(start) {
        start += 1;
    }
    let mut end = (span.end + REACH).min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let from = sentence_ends(&text[start..span.start])
        .last()
        .map(|i| start + i)
        .or_else(|| word_start(text, start, span.start));
    let to = sentence_ends(&text[span.end..end])
        .next()
        .map(|i| span.end + i);
    let body = text[from.unwrap_or(start)..to.unwrap_or(end)]
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let cut_before = if from.is_none_or(|f| f > start && !at_sentence_start(text, f)) {
        "…"
    } else {
        ""
    };
    let cut_after = if to.is_none() && end < text.len() {
        "…"
    } else {
        ""
    };
    format!("{cut_before}{body}{cut_after}")
}

/// The first word start at or after `from` (before `limit`), when `from` cuts a word.
fn word_start(text: &str, from: usize, limit: usize) -> Option<usize> {
    if from == 0 {
        return Some(0);
    }
    text[from..limit]
        .find(char::is_whitespace)
        .map(|i| from + i)
}

fn at_sentence_start(text: &str, at: usize) -> bool {
    let before = text[..at].trim_end();
    before.is_empty() || before.ends_with(['.', '!', '?', '\n'])
}

/// Offsets just past each sentence end in `s`: a newline, or `.`, `!` or `?` followed by
/// white space (so the dot in an address or a number does not end a sentence).
fn sentence_ends(s: &str) -> impl Iterator<Item = usize> + '_ {
    let bytes = s.as_bytes();
    (0..bytes.len()).filter_map(move |i| {
        let end = match bytes[i] {
            b'\n' => true,
            b'.' | b'!' | b'?' => bytes.get(i + 1).is_none_or(u8::is_ascii_whitespace),
            _ => false,
        };
        end.then_some(i + 1)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snippets_keep_the_sentence_and_redaction_hides_who() {
        let text = "Hi Dana,\n\nThanks for Tuesday. I wanted to reach out about Globex in Denver, call 555-0100 or dana@globex.com. Bye.";
        let at = text.find("I wanted").unwrap();
        let s = snippet(text, at..at + 21);
        assert_eq!(
            s,
            "I wanted to reach out about Globex in Denver, call 555-0100 or dana@globex.com."
        );
        let redactor = Redactor::keeping("I (just |)wanted to reach out");
        assert_eq!(
            redactor.redact(&s),
            "I wanted to reach out about [name] in [name], call [number] or [email]"
        );
        assert_eq!(
            redactor.redact("Ledgerline helps. We can"),
            "[name] helps. We can"
        );
        let long = "word ".repeat(60) + "I wanted to reach out";
        let at = long.find("I wanted").unwrap();
        let cut = snippet(&long, at..at + 21);
        assert!(cut.starts_with("…word "), "{cut}");
    }
}
