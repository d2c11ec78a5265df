//! The phrase engine: every phrase of every loaded rule, one Aho-Corasick automaton.
//!
//! Phrases and input are folded the same way ([`redline_text::fold_each`]: case, whitespace
//! runs, curly quotes, dashes), so one literal automaton finds `Today’s  fast‑paced` for
//! `today's fast-paced`. The input is folded byte by byte as it is fed to the automaton, never
//! copied. The automaton is built once per rule set and reused for every
//! input. Candidates must sit on word boundaries of the original text (Unicode UAX #29), and
//! spans are reported in bytes of the original input, whatever the folding changed.

use std::collections::HashMap;
use std::ops::Range;

use aho_corasick::automaton::{Automaton, StateID};
use aho_corasick::dfa::DFA;
use aho_corasick::nfa::contiguous::NFA;
use aho_corasick::{Anchored, MatchKind, PatternID};
use redline_text::ASCII_FOLD;
use std::sync::OnceLock;
use unicode_segmentation::UnicodeSegmentation;

/// A compiled set of phrases, each tagged with its owner's id.
#[derive(Debug, Clone)]
pub struct PhraseSet {
    /// The folded phrases as a compact automaton: quick to build, for short inputs.
    nfa: NFA,
    /// The same as a DFA: slower to build, faster to run, built on the first long input.
    dfa: OnceLock<DFA>,
    /// The folded phrases, for building the DFA.
    patterns: Vec<String>,
    entries: Vec<Entry>,
}

#[derive(Debug, Clone, Copy)]
struct Entry {
    id: u32,
    whole_words: bool,
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

/// Collects phrases and anchors for a [`PhraseSet`].
#[derive(Debug, Default)]
pub struct PhraseSetBuilder {
    patterns: Vec<String>,
    entries: Vec<Entry>,
}

impl PhraseSetBuilder {
    /// Adds a phrase that must sit on word boundaries. It is folded as the input will be.
    pub fn phrase(&mut self, id: u32, phrase: &str) -> &mut Self {
        self.add(id, phrase, true)
    }

    /// Adds a literal found anywhere, word boundaries or not: used to find where a regular
    /// expression can match without folding the whole input.
    pub fn anchor(&mut self, id: u32, literal: &str) -> &mut Self {
        self.add(id, literal, false)
    }

    fn add(&mut self, id: u32, text: &str, whole_words: bool) -> &mut Self {
        let folded = redline_text::phrase_key(text);
        if !folded.is_empty() {
            self.patterns.push(folded);
            self.entries.push(Entry { id, whole_words });
        }
        self
    }

    /// Compiles the automaton.
    pub fn build(&self) -> Result<PhraseSet, BuildError> {
        let nfa = NFA::builder()
            .match_kind(MatchKind::Standard)
            .build(&self.patterns)
            .map_err(|e| BuildError(e.to_string()))?;
        Ok(PhraseSet {
            nfa,
            dfa: OnceLock::new(),
            patterns: self.patterns.clone(),
            entries: self.entries.clone(),
        })
    }
}

impl PhraseSet {
    /// Every (pattern, end of match) in `text`: with the compact NFA for short inputs (a gate
    /// checking one draft never pays for the DFA), with the DFA, built once, for long ones.
    fn scan(&self, text: &str) -> Vec<(PatternID, usize)> {
        if text.len() < DFA_FROM {
            return scan_with(&self.nfa, text);
        }
        let dfa = self.dfa.get_or_init(|| {
            DFA::builder()
                .match_kind(MatchKind::Standard)
                .build(&self.patterns)
                .expect("the same patterns built an NFA")
        });
        scan_with(dfa, text)
    }

    /// Collects phrases to compile.
    pub fn builder() -> PhraseSetBuilder {
        PhraseSetBuilder::default()
    }

    /// Compiles `(id, phrase)` pairs, all on word boundaries; ids need not be unique (a rule
    /// id for each of its phrases, say).
    pub fn new<'p>(phrases: impl IntoIterator<Item = (u32, &'p str)>) -> Result<Self, BuildError> {
        let mut b = PhraseSet::builder();
        for (id, p) in phrases {
            b.phrase(id, p);
        }
        b.build()
    }

    /// The number of phrases and anchors in the set.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the set is empty.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Finds the phrases in `text`.
    ///
    /// The text is folded on the fly as it is fed to the automaton, so nothing is copied.
    /// Overlapping candidates are all considered; of the phrases on word boundaries, a match
    /// overlapping an earlier (or, at the same start, longer) match of the same id is dropped,
    /// so `I just wanted to reach out` is one finding, not two. Anchors are reported wherever they occur. Results are in order of
    /// position.
    pub fn find(&self, text: &str) -> Vec<PhraseMatch> {
        if self.entries.is_empty() {
            return Vec::new();
        }
        let mut found: Vec<PhraseMatch> = Vec::new();
        for (pid, end) in self.scan(text) {
            let entry = self.entries[pid.as_usize()];
            let start = start_of(text, end, self.nfa.pattern_len(pid));
            if !entry.whole_words || (is_word_boundary(text, start) && is_word_boundary(text, end))
            {
                found.push(PhraseMatch {
                    id: entry.id,
                    span: start..end,
                });
            }
        }
        found.sort_by(|a, b| {
            (a.span.start, b.span.end, a.id).cmp(&(b.span.start, a.span.end, b.id))
        });
        // Sorted by start (longest first), a match overlaps an earlier kept one of its id
        // exactly when that id has already reached past its start: one finding per stretch.
        let mut reach: HashMap<u32, usize> = HashMap::new();
        found.retain(|m| {
            let end = reach.entry(m.id).or_insert(0);
            let overlaps = *end > m.span.start;
            if !overlaps {
                *end = m.span.end;
            }
            !overlaps
        });
        found
    }
}

/// Inputs at least this long are worth building the DFA for.
const DFA_FROM: usize = 64 * 1024;

/// Feeds the folded text to `automaton`; ASCII is folded inline, a non-ASCII character is
/// handed to [`redline_text::fold_while`] (so folding has one definition) up to the next ASCII
/// byte. Only match ends are noted here; starts are recovered afterwards for the few
/// candidates.
fn scan_with<A: Automaton>(dfa: &A, text: &str) -> Vec<(PatternID, usize)> {
    let bytes = text.as_bytes();
    let mut hits = Vec::new();
    let mut sid = dfa
        .start_state(Anchored::No)
        .expect("the automaton is built unanchored");
    let mut in_space = false;
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b >= 0x80 {
            let stop = bytes[i..]
                .iter()
                .position(|b| b.is_ascii())
                .map_or(bytes.len(), |n| i + n);
            in_space = redline_text::fold_while(&text[..stop], i, in_space, |byte, _, end| {
                step(dfa, &mut hits, &mut sid, byte, end);
                true
            });
            i = stop;
            continue;
        }
        i += 1;
        let folded = ASCII_FOLD[b as usize];
        if folded != 0 {
            in_space = false;
            step(dfa, &mut hits, &mut sid, folded, i);
        } else if !in_space {
            in_space = true;
            step(dfa, &mut hits, &mut sid, b' ', i);
        }
    }
    hits
}

/// Feeds one folded byte to the automaton, noting the matches that end with it.
#[inline(always)]
fn step<A: Automaton>(
    dfa: &A,
    hits: &mut Vec<(PatternID, usize)>,
    sid: &mut StateID,
    byte: u8,
    end: usize,
) {
    *sid = dfa.next_state(Anchored::No, *sid, byte);
    if dfa.is_special(*sid) && dfa.is_match(*sid) {
        for k in 0..dfa.match_len(*sid) {
            hits.push((dfa.match_pattern(*sid, k), end));
        }
    }
}

/// Where the match ending at `end` starts, given its length in folded bytes: the input is
/// folded again over a window before `end`, widened until it holds the whole match.
fn start_of(text: &str, end: usize, folded_len: usize) -> usize {
    let mut width = folded_len * 2 + 16;
    loop {
        let mut from = end.saturating_sub(width);
        while !text.is_char_boundary(from) {
            from -= 1;
        }
        let mut starts = Vec::with_capacity(width);
        redline_text::fold_each(&text[from..end], |_, start, _| starts.push(from + start));
        // A window that begins inside a whitespace run adds one space at its front, so keep
        // one folded byte to spare.
        if starts.len() > folded_len || from == 0 {
            return starts[starts.len().saturating_sub(folded_len)];
        }
        width *= 2;
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

/// The start of the word-boundary window before `pos`: after the last white space within
/// [`BOUNDARY_WINDOW`] bytes (looking no further, so a long run without spaces costs nothing).
fn window_start(text: &str, pos: usize) -> usize {
    let mut floor = pos.saturating_sub(BOUNDARY_WINDOW);
    while !text.is_char_boundary(floor) {
        floor += 1;
    }
    let mut start = text[floor..pos]
        .rfind(char::is_whitespace)
        .map_or(floor, |i| floor + i + 1);
    while !text.is_char_boundary(start) {
        start += 1;
    }
    start
}

/// The end of the word-boundary window after `pos`: the first white space within
/// [`BOUNDARY_WINDOW`] bytes.
fn window_end(text: &str, pos: usize) -> usize {
    let mut ceil = (pos + BOUNDARY_WINDOW).min(text.len());
    while !text.is_char_boundary(ceil) {
        ceil -= 1;
    }
    text[pos..ceil]
        .find(char::is_whitespace)
        .map_or(ceil, |i| pos + i)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn find(phrases: &[(u32, &str)], text: &str) -> Vec<(u32, String)> {
        let set = PhraseSet::new(phrases.iter().copied()).unwrap();
        set.find(text)
            .into_iter()
            .map(|m| (m.id, text[m.span].to_string()))
            .collect()
    }

    #[test]
    fn matches_across_case_whitespace_and_typography() {
        let text = "IN TODAY’S\r\n\tfast\u{2011}paced environment, we…";
        assert_eq!(
            find(&[(1, "in today's fast-paced environment")], text),
            vec![(
                1,
                "IN TODAY’S\r\n\tfast\u{2011}paced environment".to_string()
            )]
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
    fn one_match_per_stretch_per_id() {
        let found = find(
            &[
                (1, "navigating the ever-evolving landscape"),
                (1, "the ever-evolving landscape of"),
            ],
            "teams navigating the ever-evolving landscape of sales",
        );
        assert_eq!(
            found,
            vec![(1, "navigating the ever-evolving landscape".to_string())]
        );
    }

    #[test]
    fn keeps_the_longest_match_per_id_and_overlaps_across_ids() {
        let found = find(
            &[
                (1, "wanted to reach out"),
                (1, "I just wanted to reach out"),
                (2, "just"),
            ],
            "Hi, I just wanted to reach out.",
        );
        assert_eq!(
            found,
            vec![
                (1, "I just wanted to reach out".to_string()),
                (2, "just".to_string())
            ]
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
