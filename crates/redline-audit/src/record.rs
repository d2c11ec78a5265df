//! One sent message in, one [`Record`] out: its facts, its outcome, and what the engine found
//! in it, each rule and phrase once.

use std::collections::HashMap;

use redline_email::Linter;
use redline_rules::{RuleKind, Severity};
use redline_text::{InputKind, read_draft};

use crate::counts::{Example, Record};
use crate::facts;
use crate::outcomes::Outcomes;
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
    /// Hide names, addresses and numbers in example snippets.
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
/// the pack wrote, for pattern rules the folded text. Structure and metric rules have none.
#[derive(Debug, Default)]
pub struct Phrases {
    /// By rule id: the pack's variants by their folded text (empty for a pattern rule).
    rules: HashMap<String, HashMap<String, String>>,
}

impl Phrases {
    /// The phrase and pattern rules of `linter`.
    pub fn of(linter: &Linter) -> Phrases {
        let rules = linter
            .rules()
            .iter()
            .filter_map(|rule| {
                let variants = match &rule.kind {
                    RuleKind::Phrase(phrases) => phrases
                        .iter()
                        .map(|p| (redline_text::phrase_key(&p.text), p.text.clone()))
                        .collect(),
                    RuleKind::Pattern(_) => HashMap::new(),
                    _ => return None,
                };
                Some((rule.id.clone(), variants))
            })
            .collect();
        Phrases { rules }
    }

    /// The phrase a finding of `rule` that matched `matched` counts under.
    fn phrase(&self, rule: &str, matched: &str) -> Option<String> {
        let variants = self.rules.get(rule)?;
        let folded = redline_text::phrase_key(matched);
        Some(variants.get(&folded).cloned().unwrap_or(folded))
    }
}

/// The record of a raw sent message, or why it is left out.
pub fn record(
    raw: &[u8],
    linter: &Linter,
    phrases: &Phrases,
    outcomes: &Outcomes,
    options: &Options,
) -> Result<Record, &'static str> {
    let facts = facts::of(raw).ok_or("not a message")?;
    let id = facts.id.ok_or("no Message-ID")?;
    if let Some(day) = facts.day {
        let early = options.since.is_some_and(|s| day < s);
        let late = options.until.is_some_and(|u| day > u);
        if early || late {
            return Err("outside --since/--until");
        }
    } else if options.since.is_some() || options.until.is_some() {
        return Err("no Date");
    }
    let replied = outcomes.replied(&id).ok_or("no outcome")?;
    let draft = read_draft(InputKind::Message, raw, 0);
    let text = draft.doc.text();
    let mut rules: Vec<(String, Severity)> = Vec::new();
    let mut patterns: Vec<(String, String, Example)> = Vec::new();
    for f in linter.check_document(&draft.doc) {
        if f.severity < options.min_severity {
            continue;
        }
        if !rules.iter().any(|(r, _)| *r == f.rule) {
            rules.push((f.rule.clone(), f.severity));
        }
        if let Some(phrase) = phrases.phrase(&f.rule, &f.matched)
            && !patterns
                .iter()
                .any(|(r, p, _)| *r == f.rule && *p == phrase)
        {
            let snippet = snippet(text, f.span.clone(), options.redact);
            let example = Example {
                message: id.clone(),
                snippet,
            };
            patterns.push((f.rule, phrase, example));
        }
    }
    Ok(Record {
        day: facts.day,
        in_thread: facts.in_thread,
        replied,
        sender: facts.sender.filter(|_| options.by_sender),
        rules,
        patterns,
    })
}

/// The sentence around a match, on one line, at most a few dozen words.
fn snippet(text: &str, span: std::ops::Range<usize>, redact: bool) -> String {
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
    let line = format!("{cut_before}{body}{cut_after}");
    if redact { redacted(&line) } else { line }
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

/// Capitalised words that start ordinary sentences; any other capitalised word is taken for
/// a name, a company or a place.
const COMMON: &[&str] = &[
    "A", "About", "After", "All", "Also", "An", "And", "Any", "Are", "As", "At", "Best", "But",
    "Can", "Could", "Dear", "Do", "Does", "Feel", "For", "From", "Glad", "Happy", "Have", "Hello",
    "Here", "Hey", "Hi", "Hope", "How", "I", "I'd", "I'll", "I'm", "I've", "If", "In", "Is", "It",
    "It's", "Just", "Let", "Let's", "Looking", "Many", "Most", "My", "No", "Not", "Of", "On",
    "One", "Or", "Our", "Please", "Quick", "Regards", "Saw", "So", "That", "The", "Then", "There",
    "These", "They", "This", "Thanks", "To", "We", "We're", "What", "When", "Which", "Who", "Why",
    "With", "Would", "Yes", "You", "You're", "Your",
];

/// `line` with email addresses, links, numbers and capitalised words that are not common
/// sentence openers (names, companies, places) replaced by placeholders.
fn redacted(line: &str) -> String {
    line.split(' ')
        .map(|word| {
            let core = word.trim_matches(|c: char| !c.is_alphanumeric() && c != '\'');
            let core = core.trim_matches('\'');
            let capitalised = core.chars().next().is_some_and(char::is_uppercase)
                && core.chars().skip(1).any(char::is_lowercase);
            if word.contains('@') {
                "[email]".to_string()
            } else if word.contains("://") || word.starts_with("www.") {
                "[link]".to_string()
            } else if core.chars().filter(char::is_ascii_digit).count() >= 2 {
                word.replace(core, "[number]")
            } else if capitalised && !COMMON.contains(&core) {
                word.replace(core, "[name]")
            } else {
                word.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snippets_keep_the_sentence_and_redaction_hides_who() {
        let text = "Hi Dana,\n\nThanks for Tuesday. I wanted to reach out about Globex in Denver, call 555-0100 or dana@globex.com. Bye.";
        let at = text.find("I wanted").unwrap();
        let s = snippet(text, at..at + 21, false);
        assert_eq!(
            s,
            "I wanted to reach out about Globex in Denver, call 555-0100 or dana@globex.com."
        );
        assert_eq!(
            redacted(&s),
            "I wanted to reach out about [name] in [name], call [number] or [email]"
        );
        assert_eq!(redacted("Ledgerline helps. We can"), "[name] helps. We can");
        let long = "word ".repeat(60) + "I wanted to reach out";
        let at = long.find("I wanted").unwrap();
        let cut = snippet(&long, at..at + 21, false);
        assert!(cut.starts_with("…word "), "{cut}");
    }
}
