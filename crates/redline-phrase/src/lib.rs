//! The phrase engine: every phrase of every loaded rule, one Aho-Corasick automaton.
//!
//! Phrases and input are folded the same way ([`redline_text::normalize`]: case, whitespace
//! runs, curly quotes, dashes), so one literal automaton finds `Today’s  fast‑paced` for
//! `today's fast-paced`. The automaton is built once per rule set and reused for every
//! input. Candidates must sit on word boundaries of the original text (Unicode UAX #29), and
//! spans are reported in bytes of the original input, whatever the folding changed.

use std::collections::HashMap;
use std::ops::Range;

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use redline_text::Normalized;
use unicode_segmentation::UnicodeSegmentation;

/// A compiled set of phrases, each tagged with its owner's id.
#[derive(Debug, Clone)]
pub struct PhraseSet {
    automaton: AhoCorasick,
    owners: Vec<u32>,
}

/// One phrase found in the input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PhraseMatch {
    /// The id given with the phrase when the set was built.
    pub id: u32,
    /// Byte offsets into the original input.
    pub span: Range<usize>,
}

/// Why a phrase set could not be built.
#[derive(Debug)]
pub struct BuildError(String);

impl std::fmt::Display for BuildError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "cannot build the phrase automaton: {}", self.0)
    }
}

impl std::error::Error for BuildError {}

impl PhraseSet {
    /// Compiles `(id, phrase)` pairs. Phrases are folded as the input will be; ids need not be
    /// unique (a rule id for each of its phrases, say).
    pub fn new<'p>(phrases: impl IntoIterator<Item = (u32, &'p str)>) -> Result<Self, BuildError> {
        let mut owners = Vec::new();
        let mut patterns = Vec::new();
        for (id, phrase) in phrases {
            let folded = redline_text::normalize(phrase).text.trim().to_string();
            if !folded.is_empty() {
                owners.push(id);
                patterns.push(folded);
            }
        }
        let automaton = AhoCorasick::builder()
            .match_kind(MatchKind::Standard)
            .kind(Some(AhoCorasickKind::DFA))
            .build(&patterns)
            .map_err(|e| BuildError(e.to_string()))?;
        Ok(PhraseSet { automaton, owners })
    }

    /// The number of phrases in the set.
    pub fn len(&self) -> usize {
        self.owners.len()
    }

    /// Whether the set has no phrases.
    pub fn is_empty(&self) -> bool {
        self.owners.is_empty()
    }

    /// Finds the phrases in `original`, given its normalised form.
    ///
    /// Overlapping candidates are all considered; of the ones on word boundaries, a match
    /// inside a longer match of the same id is dropped, so `I just wanted to reach out` is one
    /// finding, not two. Results are in order of position.
    pub fn find(&self, original: &str, normalized: &Normalized) -> Vec<PhraseMatch> {
        let mut found: Vec<PhraseMatch> = Vec::new();
        if self.owners.is_empty() {
            return found;
        }
        for m in self.automaton.find_overlapping_iter(normalized.text.as_str()) {
            let span = normalized.map.span_to_original(m.start()..m.end());
            if !is_word_boundary(original, span.start) || !is_word_boundary(original, span.end) {
                continue;
            }
            found.push(PhraseMatch {
                id: self.owners[m.pattern().as_usize()],
                span,
            });
        }
        found.sort_by(|a, b| {
            (a.span.start, b.span.end, a.id).cmp(&(b.span.start, a.span.end, b.id))
        });
        // Sorted by start, a match lies inside an earlier one of its id exactly when that id
        // has already reached past its end.
        let mut reach: HashMap<u32, usize> = HashMap::new();
        found.retain(|m| {
            let end = reach.entry(m.id).or_insert(0);
            let inside = *end >= m.span.end;
            *end = (*end).max(m.span.end);
            !inside
        });
        found
    }
}

/// How far around a candidate to look when deciding a word boundary: enough for any word,
/// bounded so a 50 MB single-token line costs nothing extra.
const BOUNDARY_WINDOW: usize = 64;

/// Whether `pos` is a word boundary of `text` under Unicode UAX #29.
pub fn is_word_boundary(text: &str, pos: usize) -> bool {
    if pos == 0 || pos >= text.len() {
        return true;
    }
    let before = text[..pos].chars().next_back();
    let after = text[pos..].chars().next();
    match (before, after) {
        (Some(b), Some(a)) if b.is_whitespace() || a.is_whitespace() => return true,
        (Some(b), Some(a)) if b.is_ascii() && a.is_ascii() && !is_wordish(b) && !is_wordish(a) => {
            return true;
        }
        _ => {}
    }
    let start = window_start(text, pos);
    let end = window_end(text, pos);
    text[start..end]
        .split_word_bound_indices()
        .any(|(i, _)| start + i == pos)
}

/// ASCII characters that can join words under UAX #29 (letters, digits, `_`, and the
/// mid-word punctuation `'`, `.`, `:`, `,`, `;`).
fn is_wordish(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '_' | '\'' | '.' | ':' | ',' | ';')
}

fn window_start(text: &str, pos: usize) -> usize {
    let floor = pos.saturating_sub(BOUNDARY_WINDOW);
    let mut start = text[..pos]
        .rfind(char::is_whitespace)
        .map_or(0, |i| i + 1)
        .max(floor);
    while !text.is_char_boundary(start) {
        start += 1;
    }
    start
}

fn window_end(text: &str, pos: usize) -> usize {
    let ceil = (pos + BOUNDARY_WINDOW).min(text.len());
    let mut end = text[pos..]
        .find(char::is_whitespace)
        .map_or(text.len(), |i| pos + i)
        .min(ceil);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    end
}

#[cfg(test)]
mod tests {
    use super::*;

    fn find(phrases: &[(u32, &str)], text: &str) -> Vec<(u32, String)> {
        let set = PhraseSet::new(phrases.iter().copied()).unwrap();
        set.find(text, &redline_text::normalize(text))
            .into_iter()
            .map(|m| (m.id, text[m.span].to_string()))
            .collect()
    }

    #[test]
    fn matches_across_case_whitespace_and_typography() {
        let text = "IN TODAY’S\r\n\tfast\u{2011}paced environment, we…";
        assert_eq!(
            find(&[(1, "in today's fast-paced environment")], text),
            vec![(1, "IN TODAY’S\r\n\tfast\u{2011}paced environment".to_string())]
        );
    }

    #[test]
    fn respects_word_boundaries() {
        assert!(find(&[(1, "reach out")], "a breach outline").is_empty());
        assert!(find(&[(1, "leverage")], "leveraged buyouts").is_empty());
        assert_eq!(find(&[(1, "reach out")], "(reach out)").len(), 1);
        assert!(find(&[(1, "we can")], "we can't").is_empty());
    }

    #[test]
    fn keeps_the_longest_match_per_id_and_overlaps_across_ids() {
        let found = find(
            &[(1, "wanted to reach out"), (1, "I just wanted to reach out"), (2, "just")],
            "Hi, I just wanted to reach out.",
        );
        assert_eq!(
            found,
            vec![(1, "I just wanted to reach out".to_string()), (2, "just".to_string())]
        );
    }

    #[test]
    fn spans_are_exact_after_emoji_and_combining_marks() {
        let text = "🎉 Cafe\u{0301} news: I hope this finds you well";
        let found = find(&[(7, "i hope this finds you well")], text);
        assert_eq!(found, vec![(7, "I hope this finds you well".to_string())]);
    }

    #[test]
    fn a_match_at_a_combining_mark_is_not_on_a_boundary() {
        assert!(find(&[(1, "cafe")], "Cafe\u{0301} au lait").is_empty());
    }
}
