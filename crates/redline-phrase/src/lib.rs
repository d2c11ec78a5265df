//! The phrase engine: every phrase of every loaded rule, one Aho-Corasick automaton.
//!
//! Phrases and input are folded the same way ([`redline_text::fold_each`]: case, whitespace
//! runs, curly quotes, dashes), so one literal automaton finds `Today’s  fast‑paced` for
//! `today's fast-paced`. The input is folded byte by byte as it is fed to the automaton, never
//! copied. The automaton is built once per rule set and reused for every
//! input. Candidates must sit on word boundaries of the original text (Unicode UAX #29), and
//! spans are reported in bytes of the original input, whatever the folding changed.

use std::ops::Range;

use aho_corasick::automaton::{Automaton, StateID};
use aho_corasick::dfa::DFA;
use aho_corasick::nfa::contiguous::NFA;
use aho_corasick::{Anchored, MatchKind};
use redline_text::ASCII_FOLD;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};
use unicode_segmentation::UnicodeSegmentation;

mod prebuilt;

pub use prebuilt::{Compiled, Literal, Literals, Prebuilt};

/// A compiled set of phrases, each tagged with its owner's id.
#[derive(Debug, Clone)]
pub struct PhraseSet {
    matcher: Matcher,
    /// The same phrases as a DFA: slower to build, faster to run, built once the set has
    /// scanned enough text to pay for it (one long input, or a server's many drafts).
    dfa: OnceLock<DFA>,
    /// Bytes scanned so far without the DFA.
    scanned: Scanned,
    /// Per pattern of the matcher: its owner, and how to check it.
    entries: Vec<Entry>,
    /// How many of the entries have an owner: the set's phrases and anchors.
    owned: usize,
}

/// What finds the folded patterns.
#[derive(Debug, Clone)]
enum Matcher {
    /// A compact automaton built for these phrases: quick to build, for short inputs.
    Built {
        nfa: Box<NFA>,
        /// The folded phrases, for building the DFA.
        patterns: Vec<String>,
    },
    /// An automaton made at build time for a list the phrases are drawn from (the shipped
    /// packs'): nothing to build at all. Patterns of it that no phrase of the set uses have no
    /// owner, and their matches are dropped.
    Prebuilt(Prebuilt<'static>),
}

#[derive(Debug, Clone, Copy)]
struct Entry {
    /// The owner's id; `None` for a prebuilt pattern the set does not use.
    id: Option<u32>,
    whole_words: bool,
    /// The pattern's length in folded bytes.
    len: usize,
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
pub struct PhraseSetBuilder<'a> {
    literals: Vec<(u32, &'a str, bool)>,
    prebuilt: Option<Prebuilt<'static>>,
}

impl<'a> PhraseSetBuilder<'a> {
    /// Adds a phrase that must sit on word boundaries. It is folded as the input will be.
    pub fn phrase(&mut self, id: u32, phrase: &'a str) -> &mut Self {
        self.literals.push((id, phrase, true));
        self
    }

    /// Adds a literal found anywhere, word boundaries or not: used to find where a regular
    /// expression can match without folding the whole input.
    pub fn anchor(&mut self, id: u32, literal: &'a str) -> &mut Self {
        self.literals.push((id, literal, false));
        self
    }

    /// Offers an automaton built ahead of time ([`Prebuilt`]): when every phrase and anchor
    /// added is one of its literals, in its order (some may be left out), the set uses it and
    /// builds nothing. Otherwise it is ignored.
    pub fn prebuilt(&mut self, prebuilt: Prebuilt<'static>) -> &mut Self {
        self.prebuilt = Some(prebuilt);
        self
    }

    /// Compiles the automaton, unless the prebuilt one covers every literal. Bytes are fed to
    /// it one at a time, so it has no use for a prefilter, which would cost building one.
    pub fn build(self) -> Result<PhraseSet, BuildError> {
        if let Some(set) = self.prebuilt.and_then(|p| self.covered_by(p)) {
            return Ok(set);
        }
        let mut patterns = Vec::with_capacity(self.literals.len());
        let mut entries = Vec::with_capacity(self.literals.len());
        for &(id, text, whole_words) in &self.literals {
            let folded = redline_text::phrase_key(text);
            if !folded.is_empty() {
                entries.push(Entry {
                    id: Some(id),
                    whole_words,
                    len: folded.len(),
                });
                patterns.push(folded);
            }
        }
        let nfa = NFA::builder()
            .match_kind(MatchKind::Standard)
            .prefilter(false)
            .build(&patterns)
            .map_err(|e| BuildError(e.to_string()))?;
        Ok(PhraseSet {
            matcher: Matcher::Built {
                nfa: Box::new(nfa),
                patterns,
            },
            dfa: OnceLock::new(),
            scanned: Scanned::default(),
            owned: entries.len(),
            entries,
        })
    }

    /// The set on `prebuilt`, when the literals are a subsequence of its literals (the same
    /// text and kind, so the same folded pattern): each gets its id, the others none.
    fn covered_by(&self, prebuilt: Prebuilt<'static>) -> Option<PhraseSet> {
        let mut entries: Vec<Entry> = Vec::with_capacity(prebuilt.literals().len());
        let mut wanted = self.literals.iter().peekable();
        for literal in prebuilt.literals().iter() {
            let id = match wanted.peek() {
                Some(&&(id, text, whole_words))
                    if text == literal.text && whole_words == literal.whole_words =>
                {
                    wanted.next();
                    Some(id)
                }
                _ => None,
            };
            entries.push(Entry {
                id,
                whole_words: literal.whole_words,
                len: literal.folded.len(),
            });
        }
        wanted.peek().is_none().then(|| PhraseSet {
            matcher: Matcher::Prebuilt(prebuilt),
            dfa: OnceLock::new(),
            scanned: Scanned::default(),
            entries,
            owned: self.literals.len(),
        })
    }
}

impl PhraseSet {
    /// Every (pattern, end of match) in `text`: with the compact or prebuilt automaton until
    /// the set has scanned enough text to pay for the DFA (a gate checking one draft never
    /// does), then with the DFA. The scan that crosses the mark builds it; scans running
    /// meanwhile on other threads go on without it rather than wait.
    fn scan(&self, text: &str, stretches: &[Range<usize>]) -> Vec<(usize, usize)> {
        let dfa = match self.dfa.get() {
            Some(dfa) => dfa,
            None => {
                let mark = match self.matcher {
                    Matcher::Built { .. } => DFA_AFTER,
                    Matcher::Prebuilt(_) => PREBUILT_DFA_AFTER,
                };
                let len: usize = stretches.iter().map(Range::len).sum();
                let before = self.scanned.0.fetch_add(len, Ordering::Relaxed);
                if before >= mark || before + len < mark {
                    return match &self.matcher {
                        Matcher::Built { nfa, .. } => scan_with(&Ac(&**nfa), text, stretches),
                        Matcher::Prebuilt(p) => scan_with(p, text, stretches),
                    };
                }
                self.build_dfa()
            }
        };
        scan_with(&Ac(dfa), text, stretches)
    }

    /// The DFA, built now if it is not yet.
    fn build_dfa(&self) -> &DFA {
        self.dfa.get_or_init(|| {
            let builder = {
                let mut b = DFA::builder();
                b.match_kind(MatchKind::Standard).prefilter(false);
                b
            };
            match &self.matcher {
                Matcher::Built { patterns, .. } => builder.build(patterns),
                Matcher::Prebuilt(p) => builder.build(p.literals().iter().map(|l| l.folded)),
            }
            .expect("the same patterns built an automaton")
        })
    }

    /// Whether the set runs on a prebuilt automaton ([`PhraseSetBuilder::prebuilt`]).
    pub fn is_prebuilt(&self) -> bool {
        matches!(self.matcher, Matcher::Prebuilt(_))
    }

    /// Collects phrases to compile.
    pub fn builder<'a>() -> PhraseSetBuilder<'a> {
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
        self.owned
    }

    /// Whether the set is empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Finds the phrases in `text`.
    ///
    /// The text is folded on the fly as it is fed to the automaton, so nothing is copied.
    /// Overlapping candidates are all considered; of the phrases on word boundaries, a match
    /// overlapping an earlier (or, at the same start, longer) match of the same id is dropped,
    /// so `I just wanted to reach out` is one finding, not two. Anchors are reported wherever they occur. Results are in order of
    /// position.
    pub fn find(&self, text: &str) -> Vec<PhraseMatch> {
        self.find_in(text, std::slice::from_ref(&(0..text.len())))
    }

    /// Finds the phrases within `stretches` of `text` (in order, not overlapping, on character
    /// boundaries), as [`PhraseSet::find`] finds them in each: no match runs from one stretch
    /// into the next, and what lies between them is never read. A check leaves out the quoted
    /// text no rule looks at.
    pub fn find_in(&self, text: &str, stretches: &[Range<usize>]) -> Vec<PhraseMatch> {
        if self.is_empty() {
            return Vec::new();
        }
        let mut found: Vec<PhraseMatch> = Vec::new();
        let mut starts = Vec::new();
        for (pattern, end) in self.scan(text, stretches) {
            let entry = self.entries[pattern];
            let Some(id) = entry.id else { continue };
            let start = start_of(text, end, entry.len, &mut starts);
            let whole =
                is_word_boundary(text, start) && is_word_boundary(text, after_invisible(text, end));
            if !entry.whole_words || whole {
                found.push(PhraseMatch {
                    id,
                    span: start..end,
                });
            }
        }
        // In place (equal keys are equal matches): a stable sort takes scratch room for half
        // the matches, megabytes on a large draft.
        found.sort_unstable_by(|a, b| {
            (a.span.start, b.span.end, a.id).cmp(&(b.span.start, a.span.end, b.id))
        });
        // Sorted by start (longest first), a match overlaps an earlier kept one of its id
        // exactly when that id has already reached past its start: one finding per stretch.
        let mut reach: foldhash::HashMap<u32, usize> =
            foldhash::HashMap::with_capacity_and_hasher(found.len(), Default::default());
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

/// Bytes scanned with the compact NFA, in one input or many, after which the DFA is built.
const DFA_AFTER: usize = 64 * 1024;

/// Bytes scanned with the prebuilt automaton, in one input or many, after which the DFA is
/// built: the shipped packs' DFA costs about 100 M instructions (25–30 ms) to build and saves
/// about 18 instructions a byte of finding phrases, so it is built once the bytes scanned
/// without it would have paid for it (whatever comes next, never more than twice the best
/// choice's cost). A server gets there within its first few thousand drafts; a gate checking
/// one draft never does.
const PREBUILT_DFA_AFTER: usize = 6 * 1024 * 1024;

/// A count of bytes that threads scanning one set add to; a clone starts from the same count.
#[derive(Debug, Default)]
struct Scanned(AtomicUsize);

impl Clone for Scanned {
    fn clone(&self) -> Self {
        Scanned(AtomicUsize::new(self.0.load(Ordering::Relaxed)))
    }
}

/// An automaton fed one folded byte at a time.
trait Step {
    /// A state of it.
    type State: Copy;
    /// The unanchored start state.
    fn start(&self) -> Self::State;
    /// The state after `state` reads `byte`.
    fn next(&self, state: Self::State, byte: u8) -> Self::State;
    /// Calls `each` with every pattern that ends at `state`.
    fn each_match(&self, state: Self::State, each: impl FnMut(usize));
}

/// An aho-corasick automaton as a [`Step`].
struct Ac<'a, A>(&'a A);

impl<A: Automaton> Step for Ac<'_, A> {
    type State = StateID;

    #[inline(always)]
    fn start(&self) -> StateID {
        self.0
            .start_state(Anchored::No)
            .expect("the automaton is built unanchored")
    }

    #[inline(always)]
    fn next(&self, state: StateID, byte: u8) -> StateID {
        self.0.next_state(Anchored::No, state, byte)
    }

    #[inline(always)]
    fn each_match(&self, state: StateID, mut each: impl FnMut(usize)) {
        if self.0.is_special(state) && self.0.is_match(state) {
            for k in 0..self.0.match_len(state) {
                each(self.0.match_pattern(state, k).as_usize());
            }
        }
    }
}

impl Step for Prebuilt<'_> {
    type State = u32;

    #[inline(always)]
    fn start(&self) -> u32 {
        prebuilt::ROOT
    }

    #[inline(always)]
    fn next(&self, state: u32, byte: u8) -> u32 {
        Prebuilt::next(self, state, byte)
    }

    #[inline(always)]
    fn each_match(&self, state: u32, mut each: impl FnMut(usize)) {
        for &p in self.matches(state) {
            each(p as usize);
        }
    }
}

/// Feeds the folded text to `automaton`; ASCII is folded inline, a non-ASCII character is
/// handed to [`redline_text::fold_while`] (so folding has one definition) up to the next ASCII
/// byte. Only match ends are noted here; starts are recovered afterwards for the few
/// candidates.
fn scan_with<A: Step>(
    automaton: &A,
    text: &str,
    stretches: &[Range<usize>],
) -> Vec<(usize, usize)> {
    let mut hits = Vec::new();
    for stretch in stretches {
        scan_stretch(automaton, &text[..stretch.end], stretch.start, &mut hits);
    }
    hits
}

/// [`scan_with`] over `text` from `from`, starting afresh.
fn scan_stretch<A: Step>(automaton: &A, text: &str, from: usize, hits: &mut Vec<(usize, usize)>) {
    let bytes = text.as_bytes();
    let mut sid = automaton.start();
    let mut in_space = false;
    let mut i = from;
    while let Some(&b) = bytes.get(i) {
        if b >= 0x80 {
            let stop = bytes[i..]
                .iter()
                .position(|b| b.is_ascii())
                .map_or(bytes.len(), |n| i + n);
            in_space = redline_text::fold_while(&text[..stop], i, in_space, |byte, _, end| {
                step(automaton, hits, &mut sid, byte, end);
                true
            });
            i = stop;
            continue;
        }
        i += 1;
        // A run of white space is fed as one space. Testing for the space after a space only
        // (rather than branching on every space) spares a mispredicted branch per word.
        let byte = FEED[b as usize];
        let space = byte == b' ';
        if !(space && in_space) {
            step(automaton, hits, &mut sid, byte, i);
        }
        in_space = space;
    }
}

/// What the automaton is fed for an ASCII byte: [`ASCII_FOLD`], with white space as a space.
const FEED: [u8; 128] = {
    let mut feed = ASCII_FOLD;
    let mut b = 0;
    while b < 128 {
        if feed[b] == 0 {
            feed[b] = b' ';
        }
        b += 1;
    }
    feed
};

/// Feeds one folded byte to the automaton, noting the matches that end with it.
#[inline(always)]
fn step<A: Step>(
    automaton: &A,
    hits: &mut Vec<(usize, usize)>,
    sid: &mut A::State,
    byte: u8,
    end: usize,
) {
    *sid = automaton.next(*sid, byte);
    automaton.each_match(*sid, |p| hits.push((p, end)));
}

/// Where the match ending at `end` starts, given its length in folded bytes: the input is
/// folded again over a window before `end`, widened until it holds the whole match. `starts`
/// is scratch room, reused from one candidate to the next.
fn start_of(text: &str, end: usize, folded_len: usize, starts: &mut Vec<usize>) -> usize {
    let mut width = folded_len * 2 + 16;
    loop {
        let mut from = end.saturating_sub(width);
        while !text.is_char_boundary(from) {
            from -= 1;
        }
        starts.clear();
        // A window folds to at most its own length: room for all of it at once.
        starts.reserve(end - from);
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
        // Letters and digits run on (WB5, WB8 to WB10).
        (Some(b), Some(a)) if b.is_ascii_alphanumeric() && a.is_ascii_alphanumeric() => {
            return false;
        }
        // A word then mid-word punctuation (`well.`, `you,`): it joins the word only when a
        // letter or digit follows it (WB6, WB12), and a space, other ASCII punctuation or the
        // end of the text is neither.
        (Some(b), Some(a))
            if b.is_ascii_alphanumeric()
                && is_mid_word(a)
                && joins_nothing(text[pos + 1..].chars().next()) =>
        {
            return true;
        }
        // The same, mirrored (`,so`): the punctuation joins only when a letter or digit is
        // before it (WB7, WB11).
        (Some(b), Some(a))
            if is_mid_word(b)
                && a.is_ascii_alphanumeric()
                && joins_nothing(text[..pos - 1].chars().next_back()) =>
        {
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

/// `pos` moved past the invisible characters right after it
/// ([`redline_text::is_invisible`]), which matching passes over: UAX #29 joins such a
/// character to the letter before it, so `well` then a right-to-left mark then `.` would end
/// no word at `well`.
fn after_invisible(text: &str, pos: usize) -> usize {
    text[pos..]
        .char_indices()
        .find(|&(_, c)| !redline_text::is_invisible(c))
        .map_or(text.len(), |(i, _)| pos + i)
}

/// ASCII characters that can join words under UAX #29 (letters, digits, `_`, and the
/// mid-word punctuation `'`, `.`, `:`, `,`, `;`).
fn is_wordish(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '_' | '\'' | '.' | ':' | ',' | ';')
}

/// Whether mid-word punctuation next to `c` (`None`: the end of the text) joins nothing on
/// that side: `c` is ASCII and neither a letter, a digit, `_` nor more such punctuation.
fn joins_nothing(c: Option<char>) -> bool {
    c.is_none_or(|c| c.is_ascii() && !is_wordish(c))
}

/// The ASCII punctuation UAX #29 lets join two letters or two digits: `'`, `.`, `:`, `,`, `;`.
fn is_mid_word(c: char) -> bool {
    matches!(c, '\'' | '.' | ':' | ',' | ';')
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

    /// `is_word_boundary`'s shortcuts give what the word segmentation gives, at every position
    /// not next to a space of every string of up to five characters over letters, digits,
    /// spaces, the mid-word punctuation, `_`, `-` and a curly apostrophe.
    #[test]
    fn word_boundary_shortcuts_agree_with_segmentation() {
        let alphabet = ['a', 'Z', '7', ' ', '.', ',', ':', ';', '\'', '_', '-', '’'];
        let mut checked = 0;
        for len in 1..=5u32 {
            for mut n in 0..alphabet.len().pow(len) {
                let mut text = String::new();
                for _ in 0..len {
                    text.push(alphabet[n % alphabet.len()]);
                    n /= alphabet.len();
                }
                let bounds: Vec<usize> = text
                    .split_word_bound_indices()
                    .map(|(i, _)| i)
                    .chain([text.len()])
                    .collect();
                for (pos, c) in text.char_indices().skip(1) {
                    // Next to white space is always a boundary here, by design: a phrase never
                    // starts or ends inside a run of spaces.
                    if c == ' ' || text[..pos].ends_with(' ') {
                        continue;
                    }
                    assert_eq!(
                        is_word_boundary(&text, pos),
                        bounds.contains(&pos),
                        "{text:?} at {pos}"
                    );
                    checked += 1;
                }
            }
        }
        assert!(checked > 100_000, "{checked}");
    }

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
    fn stretches_are_searched_apart_and_nothing_between_them_is_read() {
        let set = PhraseSet::new([(1, "reach out"), (2, "hope this finds you well")]).unwrap();
        let text = "I hope this finds\n> you well, reach out\nReach   out! I hope this\n\n> finds you well";
        let quoted = text.find("> you").unwrap()..text.find("Reach").unwrap();
        let last = text.rfind("> finds").unwrap();
        let stretches = [0..quoted.start, quoted.end..last];
        let found: Vec<(u32, &str)> = set
            .find_in(text, &stretches)
            .into_iter()
            .map(|m| (m.id, &text[m.span]))
            .collect();
        // Neither phrase that runs into a left-out stretch is found, nor the one inside it.
        assert_eq!(found, [(1, "Reach   out")]);
        let whole: Vec<(u32, &str)> = set
            .find_in(text, std::slice::from_ref(&(0..text.len())))
            .into_iter()
            .map(|m| (m.id, &text[m.span]))
            .collect();
        assert_eq!(whole.len(), 2, "{whole:?}");
        assert!(set.find_in(text, &[]).is_empty());
    }

    #[test]
    fn short_inputs_build_the_dfa_once_their_bytes_add_up() {
        let set = PhraseSet::new([(1, "reach out"), (2, "hope this finds you well")]).unwrap();
        let text = "I hope this finds you well. Reach out, or don't: a breach outline. ".repeat(15);
        let first = set.find(&text);
        assert_eq!(first.len(), 30);
        let mut scans = 1;
        while set.dfa.get().is_none() {
            assert!(scans < 1_000, "no DFA after {scans} scans");
            assert_eq!(set.find(&text), first);
            scans += 1;
        }
        assert_eq!(scans, DFA_AFTER.div_ceil(text.len()));
        assert_eq!(set.find(&text), first);
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

    #[test]
    fn invisible_characters_in_or_right_after_a_phrase_do_not_hide_it() {
        for text in [
            "I hope this fi\u{200F}nds you well.",
            "I hope\u{202B} this finds you\u{202C} well.",
            "I hope this finds you well\u{200F}.",
            "I hope this finds you well\u{FE0F}\u{E0041}!",
            "\u{200E}I hope this finds you well",
        ] {
            let found = find(&[(1, "i hope this finds you well")], text);
            assert_eq!(found.len(), 1, "{text:?}");
            assert!(found[0].1.starts_with('I'), "{text:?}");
            assert!(found[0].1.ends_with("well"), "{text:?}");
        }
        assert!(
            find(&[(1, "you well")], "you well\u{200F}ness").is_empty(),
            "a word that runs on past the mark is still not a match"
        );
    }

    /// Finds `text` with the phrases built at run time and with the same phrases prebuilt
    /// (the ones `keep` selects given ids, the rest left out), and asserts the two agree.
    fn same_both_ways(literals: &[(&str, bool)], keep: impl Fn(usize) -> bool, text: &str) {
        // The test needs a 'static prebuilt, as a build script's statics are.
        let compiled: &'static Compiled =
            Box::leak(Box::new(Compiled::new(literals.iter().copied()).unwrap()));
        let mut built = PhraseSet::builder();
        let mut prebuilt = PhraseSet::builder();
        prebuilt.prebuilt(compiled.as_prebuilt());
        for (i, &(text, whole)) in literals.iter().enumerate() {
            if !keep(i) {
                continue;
            }
            let id = (i % 7) as u32;
            for b in [&mut built, &mut prebuilt] {
                if whole {
                    b.phrase(id, text);
                } else {
                    b.anchor(id, text);
                }
            }
        }
        let (built, prebuilt) = (built.build().unwrap(), prebuilt.build().unwrap());
        assert!(prebuilt.is_prebuilt() && !built.is_prebuilt());
        assert_eq!(built.find(text), prebuilt.find(text), "on {text:?}");
    }

    const LITERALS: &[(&str, bool)] = &[
        ("I hope this finds you well", true),
        ("hope this finds", true),
        ("this finds", true),
        ("wanted to reach out", true),
        ("I just wanted to reach out", true),
        ("just", true),
        ("reach", false),
        ("each", false),
        ("ach out", false),
        ("fast-paced", true),
        ("in today's fast-paced environment", true),
        ("caf\u{e9}", true),
        ("[", false),
        ("a", true),
        ("aa", true),
        ("aaa", false),
        ("just", true),
    ];

    #[test]
    fn the_prebuilt_automaton_finds_what_the_built_one_does() {
        let texts = [
            "Hi, I just wanted to reach out. I hope this finds you well!",
            "IN TODAY\u{2019}S\r\n\tfast\u{2011}paced environment, we reach out to each caf\u{e9}",
            "aaaaaa a aa aaa [x] breach outreach preach out",
            "\u{1f389} Cafe\u{301} news: I hope this finds you well, just just just",
            "",
            "hope this finds you well hope this finds you wel",
        ];
        for text in texts {
            same_both_ways(LITERALS, |_| true, text);
            same_both_ways(LITERALS, |i| i % 3 != 1, text);
            same_both_ways(LITERALS, |i| i > 8, text);
        }
        // Long enough for the DFA.
        let long = texts.join(" ").repeat(2_000);
        same_both_ways(LITERALS, |i| i % 2 == 0, &long);
    }

    #[test]
    fn literals_the_prebuilt_automaton_lacks_or_reorders_build_it() {
        let compiled: &'static Compiled =
            Box::leak(Box::new(Compiled::new(LITERALS.iter().copied()).unwrap()));
        for extra in [
            &[("not in it", true)][..],
            &[("fast-paced", true), ("I hope this finds you well", true)],
        ] {
            let mut b = PhraseSet::builder();
            b.prebuilt(compiled.as_prebuilt());
            for &(text, _) in extra {
                b.phrase(1, text);
            }
            let set = b.build().unwrap();
            assert!(!set.is_prebuilt());
            assert_eq!(set.len(), extra.len());
        }
        // An anchor where the prebuilt list has a phrase is not the same literal.
        let mut b = PhraseSet::builder();
        b.prebuilt(compiled.as_prebuilt());
        b.anchor(1, "just");
        assert!(!b.build().unwrap().is_prebuilt());
        assert!(Compiled::new([(" \t", true)]).is_err());
    }
}
