//! Metric rules: figures about a draft (length, questions, reading grade, paragraph density,
//! and how much it talks about "I/we" rather than "you").
//!
//! All figures come from one pass over the text of a scope ([`Stats`]), computed at most once
//! per scope per check, however many metric rules ask. When a score rule measures the same
//! scope, its walk over the paragraphs counts them too ([`Follower`]), so they are read once.

use std::ops::Range;

use redline_rules::{Measure, Metric, Rule};
use redline_text::{Document, Region, RegionKind, ScopeSet};

use crate::short_words::{self, ShortWord};

/// A metric rule that fired: the figure, the bound it crossed, and where to point.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    /// The measured figure.
    pub value: f64,
    /// The bound it crossed.
    pub limit: f64,
    /// Where the finding points: the first line of the measured text.
    pub span: Range<usize>,
}

/// Counts over the text of one scope.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Stats {
    /// Words: runs of letters and digits, with inner apostrophes (`don't` is one word) and
    /// decimal points (`3.5`).
    pub words: usize,
    /// Syllables over all words (vowel groups, the usual readability heuristic).
    pub syllables: usize,
    /// Sentences with at least one word; a paragraph's end ends a sentence.
    pub sentences: usize,
    /// Sentences ending in `?`.
    pub questions: usize,
    /// Sentences with more I/we/our words than you/your words.
    pub about_us: usize,
    /// Sentences with more you/your words than I/we/our words.
    pub about_you: usize,
    /// The paragraph with the most sentences: its count and span.
    pub densest: Option<(usize, Range<usize>)>,
    /// The first line of the scope's text: where whole-scope findings point.
    pub first_line: Option<Range<usize>>,
}

impl Stats {
    /// Counts the regions of `doc` in `scopes`.
    pub fn of(doc: &Document, scopes: ScopeSet) -> Stats {
        let text = doc.text();
        let mut stats = Stats::default();
        for region in doc.regions_in(scopes) {
            stats.add(text, region, &Counts::of(&text[region.span.clone()]));
        }
        stats
    }

    /// Adds the counts of `region`, the next region of the scope in document order.
    pub(crate) fn add(&mut self, text: &str, region: &Region, counts: &Counts) {
        if self.first_line.is_none() {
            self.first_line = Some(first_line(text, region.span.clone()));
        }
        self.words += counts.words;
        self.syllables += counts.syllables;
        self.sentences += counts.sentences;
        self.questions += counts.questions;
        self.about_us += counts.about_us;
        self.about_you += counts.about_you;
        if region.kind == RegionKind::Paragraph
            && self
                .densest
                .as_ref()
                .is_none_or(|(n, _)| counts.sentences > *n)
        {
            self.densest = Some((counts.sentences, region.span.clone()));
        }
    }

    /// The figure a measure reports, and the span it is about; `None` when there is nothing
    /// to measure.
    pub fn measure(&self, measure: Measure) -> Option<(f64, Range<usize>)> {
        let whole = self.first_line.clone()?;
        let value = match measure {
            Measure::WordCount => self.words as f64,
            Measure::QuestionCount => self.questions as f64,
            Measure::ReadingGrade => {
                if self.words == 0 {
                    return None;
                }
                let words = self.words as f64;
                0.39 * (words / self.sentences.max(1) as f64)
                    + 11.8 * (self.syllables as f64 / words)
                    - 15.59
            }
            Measure::SentencesPerParagraph => {
                let (n, span) = self.densest.clone()?;
                return Some((n as f64, span));
            }
            Measure::SelfFocus => {
                // One sentence about "I" and none about "you" is not a draft that faces
                // inward; the share means something only over a few sentences.
                let total = self.about_us + self.about_you;
                if total < MIN_FACING_SENTENCES {
                    return None;
                }
                (100.0 * self.about_us as f64 / total as f64).round()
            }
        };
        Some((value, whole))
    }
}

/// What [`Stats`] sums over the regions of a scope: the counts of one region's text.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Counts {
    words: usize,
    syllables: usize,
    sentences: usize,
    questions: usize,
    about_us: usize,
    about_you: usize,
}

impl Counts {
    /// Counts the words and sentences of one region's text.
    pub(crate) fn of(s: &str) -> Counts {
        let bytes = s.as_bytes();
        let mut counts = Counts::default();
        let mut sentence = Sentence::default();
        let mut i = 0;
        while i < bytes.len() {
            let b = bytes[i];
            let (is_word, len) = if b < 0x80 {
                (ASCII_ALNUM[b as usize], 1)
            } else {
                let (c, len) = char_at(s, i);
                (c.is_alphanumeric(), len)
            };
            if is_word {
                let start = i;
                i = word_end(s, i + len);
                let word = &s[start..i];
                counts.word(&mut sentence, syllables(word), Person::of(word));
                continue;
            }
            i += len;
            if matches!(b, b'.' | b'!' | b'?') {
                let mut question = b == b'?';
                while i < bytes.len() && matches!(bytes[i], b'.' | b'!' | b'?') {
                    question |= bytes[i] == b'?';
                    i += 1;
                }
                counts.stops(&mut sentence, ends_sentence(s, i), question);
            }
        }
        counts.finish(&sentence);
        counts
    }

    fn word(&mut self, sentence: &mut Sentence, syllables: usize, person: Person) {
        self.words += 1;
        self.syllables += syllables;
        sentence.words += 1;
        sentence.us += usize::from(person == Person::Us);
        sentence.you += usize::from(person == Person::You);
    }

    /// A run of `.`, `!` and `?` (`question` when it holds a `?`) that ends the sentence
    /// when `ends`, if the sentence has a word.
    fn stops(&mut self, sentence: &mut Sentence, ends: bool, question: bool) {
        if ends && sentence.words > 0 {
            self.end_sentence(sentence, question);
            *sentence = Sentence::default();
        }
    }

    /// The region's end: it ends the sentence still open.
    fn finish(&mut self, sentence: &Sentence) {
        if sentence.words > 0 {
            self.end_sentence(sentence, false);
        }
    }

    fn end_sentence(&mut self, s: &Sentence, question: bool) {
        self.sentences += 1;
        self.questions += usize::from(question);
        if s.us > s.you {
            self.about_us += 1;
        } else if s.you > s.us {
            self.about_you += 1;
        }
    }
}

/// Whether a run of sentence punctuation in `s` that ends at byte `i` ends a sentence: at the
/// end of `s`, or before white space, a quote or a closing parenthesis.
fn ends_sentence(s: &str, i: usize) -> bool {
    let next = char_at(s, i).0;
    i >= s.len() || next.is_whitespace() || matches!(next, '"' | '\'' | ')' | '”' | '’')
}

/// Whom a word is about: `I`, `we` and their forms, or `you` and `your`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Person {
    /// I, me, my, we, us, our and their contractions.
    Us,
    /// You, your, yours and their contractions.
    You,
    /// Any other word.
    Other,
}

impl Person {
    /// Whom `word` is about, ignoring ASCII case and curly apostrophes.
    fn of(word: &str) -> Person {
        // Every pronoun is ASCII and at most six bytes (`you've`), eight with a curly apostrophe:
        // most words are ruled out by their length alone.
        if word.len() > 8 {
            return Person::Other;
        }
        let mut buf = [0u8; 8];
        let mut n = 0;
        let mut rest = word.as_bytes();
        while let Some((&b, after)) = rest.split_first() {
            rest = match after.strip_prefix(&[0x80, 0x99]) {
                Some(after) if b == 0xE2 => {
                    buf[n] = b'\'';
                    after
                }
                _ if b.is_ascii() => {
                    buf[n] = b.to_ascii_lowercase();
                    after
                }
                _ => return Person::Other,
            };
            n += 1;
        }
        short_words::of_key(u64::from_le_bytes(buf)).map_or(Person::Other, ShortWord::person)
    }
}

/// A first- or second-person pronoun, in any of its forms: one list for the metric rules'
/// self-focus and the voice score's person measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Pronoun {
    /// I, me, my, mine, and I'm, I've, I'll, I'd.
    I,
    /// We, us, our, ours, and we're, we've, we'll, we'd.
    We,
    /// You, your, yours, and you're, you've, you'll, you'd.
    You,
}

impl Pronoun {
    /// Whom the pronoun is about.
    pub(crate) fn person(self) -> Person {
        match self {
            Pronoun::I | Pronoun::We => Person::Us,
            Pronoun::You => Person::You,
        }
    }
}

/// Counts one region from the words another walk reads in it: the walk that takes a score
/// rule's voice measures over paragraphs gives the metric rules their counts of the same
/// paragraphs, so the text is read once. That walk splits words more finely than
/// [`Counts::of`] (never across a decimal point or comma between digits, `3.5`, `1,000`, nor
/// across an apostrophe before a digit); such words are joined back here, so the counts are
/// exactly those of [`Counts::of`].
pub(crate) struct Follower<'t> {
    /// The region's text.
    region: &'t str,
    /// Where the region starts in the document's text.
    base: usize,
    counts: Counts,
    sentence: Sentence,
    /// While a word is joined across a decimal point or apostrophe: where it starts, and
    /// where the joining character is (offsets into the region).
    joined: Option<(usize, usize)>,
}

impl<'t> Follower<'t> {
    /// Follows the region at `span` of the document's `text`.
    pub(crate) fn new(text: &'t str, span: Range<usize>) -> Self {
        Follower {
            base: span.start,
            region: &text[span],
            counts: Counts::default(),
            sentence: Sentence::default(),
            joined: None,
        }
    }

    /// The next word the other walk read, at `span` (offsets into the document's text): whom
    /// it is about and its [`syllables`], as that walk counted them on its way through.
    pub(crate) fn word(&mut self, span: Range<usize>, person: Person, word_syllables: usize) {
        let end = span.end - self.base;
        let (start, person, word_syllables) = match self.joined.take() {
            // A word joined across a decimal point or an apostrophe is counted anew.
            Some((start, _)) => (start, Person::Other, syllables(&self.region[start..end])),
            None => (span.start - self.base, person, word_syllables),
        };
        if self.joins_at(end) {
            self.joined = Some((start, end));
            return;
        }
        self.counts.word(&mut self.sentence, word_syllables, person);
    }

    /// A run of `.`, `!` and `?` the other walk read, at `span`; `question` when it holds a `?`.
    pub(crate) fn stops(&mut self, span: Range<usize>, question: bool) {
        let (start, end) = (span.start - self.base, span.end - self.base);
        if self.joined.is_some_and(|(_, at)| at == start) {
            // A decimal point inside a word.
            return;
        }
        let ends = ends_sentence(self.region, end);
        self.counts.stops(&mut self.sentence, ends, question);
    }

    /// The region's counts, once the other walk has read all of it.
    pub(crate) fn finish(mut self) -> Counts {
        let sentence = std::mem::take(&mut self.sentence);
        self.counts.finish(&sentence);
        self.counts
    }

    /// Whether a word that the other walk ended at byte `i` of the region goes on across the
    /// character there, as [`word_end`] reads it.
    fn joins_at(&self, i: usize) -> bool {
        let bytes = self.region.as_bytes();
        // Only `'`, `’` (0xE2 0x80 0x99), `.` and `,` can join: most words stop at a space.
        if !matches!(bytes.get(i), Some(b'\'' | b'.' | b',' | 0xE2)) {
            return false;
        }
        let (c, len) = char_at(self.region, i);
        let next = char_at(self.region, i + len).0;
        matches!(c, '\'' | '’') && next.is_alphanumeric()
            || matches!(c, '.' | ',')
                && i > 0
                && bytes[i - 1].is_ascii_digit()
                && next.is_ascii_digit()
    }
}

/// Sentences that must be about us or about the reader before self-focus is measured.
const MIN_FACING_SENTENCES: usize = 3;

#[derive(Debug, Clone, Default, PartialEq)]
struct Sentence {
    words: usize,
    us: usize,
    you: usize,
}

/// Where the word continuing at byte `i` ends: letters and digits, with inner apostrophes
/// (`don't`) and decimal points (`3.5`).
fn word_end(s: &str, mut i: usize) -> usize {
    let bytes = s.as_bytes();
    while i < bytes.len() {
        let b = bytes[i];
        if b < 0x80 && ASCII_ALNUM[b as usize] {
            i += 1;
            continue;
        }
        let (c, len) = char_at(s, i);
        let next = char_at(s, i + len).0;
        let joins = c.is_alphanumeric()
            || matches!(c, '\'' | '’') && next.is_alphanumeric()
            || matches!(c, '.' | ',')
                && i > 0
                && bytes[i - 1].is_ascii_digit()
                && next.is_ascii_digit();
        if !joins {
            break;
        }
        i += len;
    }
    i
}

/// ASCII letters and digits.
const ASCII_ALNUM: [bool; 128] = {
    let mut t = [false; 128];
    let mut b = 0;
    while b < 128 {
        t[b] = (b as u8).is_ascii_alphanumeric();
        b += 1;
    }
    t
};

/// The character at byte `i` and its length; a space past the end.
fn char_at(s: &str, i: usize) -> (char, usize) {
    match s.as_bytes().get(i) {
        None => (' ', 1),
        Some(&b) if b < 0x80 => (b as char, 1),
        Some(_) => {
            let c = s[i..].chars().next().expect("i is on a char boundary");
            (c, c.len_utf8())
        }
    }
}

/// Evaluates a metric rule on precomputed stats; `Some` when its figure crosses a bound.
pub(crate) fn evaluate(stats: &Stats, metric: &Metric) -> Option<Hit> {
    if stats.words < metric.min_words {
        return None;
    }
    let (value, span) = stats.measure(metric.measure)?;
    let limit = match (metric.above, metric.below) {
        (Some(a), _) if value > a => a,
        (_, Some(b)) if value < b => b,
        _ => return None,
    };
    Some(Hit { value, limit, span })
}

/// A metric rule's message with its figure and limit filled in, each shown as the measure
/// reads.
pub(crate) fn message(rule: &Rule, measure: Measure, hit: &Hit) -> String {
    match measure {
        Measure::ReadingGrade => rule.message_with(
            format_args!("{:.1}", hit.value),
            format_args!("{:.1}", hit.limit),
        ),
        Measure::SelfFocus => rule.message_with(
            format_args!("{:.0}%", hit.value),
            format_args!("{:.0}%", hit.limit),
        ),
        _ => rule.message_with(
            format_args!("{:.0}", hit.value),
            format_args!("{:.0}", hit.limit),
        ),
    }
}

/// Where a whole-scope finding points: the first line of `span`, trimmed, and cut at a word
/// end after at most [`POINTER_LEN`] bytes so a one-line novel does not become the match.
pub(crate) fn first_line(text: &str, span: Range<usize>) -> Range<usize> {
    let s = &text[span.clone()];
    let line = s.split('\n').next().unwrap_or(s);
    let start = span.start + (line.len() - line.trim_start().len());
    let mut line = line.trim();
    if line.len() > POINTER_LEN {
        let mut cut = POINTER_LEN;
        while !line.is_char_boundary(cut) {
            cut -= 1;
        }
        line = &line[..cut];
        if let Some(space) = line.rfind(char::is_whitespace) {
            line = line[..space].trim_end();
        }
    }
    start..start + line.len()
}

/// The longest span a whole-scope finding points at.
const POINTER_LEN: usize = 80;

/// The bytes [`Syllables`] counts as vowels: `a e i o u y` in either case.
static VOWELS: [bool; 256] = {
    let mut table = [false; 256];
    let vowels = b"aeiouyAEIOUY";
    let mut i = 0;
    while i < vowels.len() {
        table[vowels[i] as usize] = true;
        i += 1;
    }
    table
};

/// Syllables in an English word by vowel groups (a standard readability heuristic), counted a
/// byte at a time, so that a walk reading a word's bytes for other counts counts them too.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Syllables {
    groups: usize,
    in_vowel: bool,
}

impl Syllables {
    /// Counts the next byte of the word: a table lookup, no branches.
    pub(crate) fn push(&mut self, b: u8) {
        let vowel = VOWELS[usize::from(b)];
        self.groups += usize::from(vowel & !self.in_vowel);
        self.in_vowel = vowel;
    }

    /// The syllables of `word`, whose bytes were pushed: a silent final `e` (but not `-le`)
    /// takes one away, and every word has one.
    pub(crate) fn of(self, word: &[u8]) -> usize {
        let ends = |suffix: &[u8]| {
            word.len() >= suffix.len()
                && word[word.len() - suffix.len()..].eq_ignore_ascii_case(suffix)
        };
        let silent_e = ends(b"e") && !ends(b"le") && self.groups > 1;
        (self.groups - usize::from(silent_e)).max(1)
    }
}

/// Syllables in an English word (see [`Syllables`]).
pub(crate) fn syllables(word: &str) -> usize {
    let mut count = Syllables::default();
    for &b in word.as_bytes() {
        count.push(b);
    }
    count.of(word.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pronouns_are_read_in_any_case_and_with_curly_apostrophes() {
        for (word, person) in [
            ("I", Person::Us),
            ("We’re", Person::Us),
            ("OURS", Person::Us),
            ("you’ve", Person::You),
            ("Your", Person::You),
            ("mines", Person::Other),
            ("yourselves", Person::Other),
            ("", Person::Other),
            ("ü", Person::Other),
        ] {
            assert_eq!(Person::of(word), person, "{word:?}");
        }
    }

    /// `measure` over the regions of `doc` in `scopes`.
    fn measure(doc: &Document, measure: Measure, scopes: ScopeSet) -> Option<(f64, Range<usize>)> {
        Stats::of(doc, scopes).measure(measure)
    }

    fn value(text: &str, m: Measure) -> f64 {
        measure(&Document::parse(text), m, ScopeSet::BODY)
            .unwrap()
            .0
    }

    #[test]
    fn counts_words_and_questions() {
        let t =
            "Hi Dana,\n\nCan we talk? I think so. Would Tuesday work? Or Friday?\n\nBest,\nAlex";
        assert_eq!(value(t, Measure::QuestionCount), 3.0);
        assert_eq!(
            value(t, Measure::WordCount),
            14.0,
            "greeting, paragraph and sign-off"
        );
    }

    #[test]
    fn contractions_decimals_and_curly_apostrophes() {
        let t = "We’re at 3.5x growth. Don't you think so?";
        let stats = Stats::of(&Document::parse(t), ScopeSet::BODY);
        assert_eq!((stats.words, stats.sentences, stats.questions), (8, 2, 1));
        assert_eq!((stats.about_us, stats.about_you), (1, 1));
    }

    #[test]
    fn self_focus_is_the_share_of_sentences_about_us() {
        let t = "We built a tool. Our team loves it. We think you will too. Your team is great.";
        assert_eq!(
            value(t, Measure::SelfFocus),
            67.0,
            "two about us, one about you, one tie"
        );
        let one = "I left the report on the shared drive. The numbers are in. Thursday works.";
        assert_eq!(
            Stats::of(&Document::parse(one), ScopeSet::BODY).measure(Measure::SelfFocus),
            None,
            "one sentence about me is too few to call the draft self-focused"
        );
    }

    #[test]
    fn reading_grade_rises_with_long_words_and_sentences() {
        let simple = value("The cat sat. The dog ran.", Measure::ReadingGrade);
        let dense = value(
            "Our comprehensive organizational transformation methodology facilitates unprecedented operational efficiencies.",
            Measure::ReadingGrade,
        );
        assert!(simple < 2.0 && dense > 16.0, "{simple} {dense}");
    }

    #[test]
    fn densest_paragraph_is_reported() {
        let t = "One. Two.\n\nA. B. C. D.\n";
        let doc = Document::parse(t);
        let (n, span) = measure(&doc, Measure::SentencesPerParagraph, ScopeSet::BODY).unwrap();
        assert_eq!(n, 4.0);
        assert_eq!(&t[span], "A. B. C. D.");
    }

    #[test]
    fn findings_point_at_a_short_non_empty_span() {
        let t = format!("   {}  and more", "x".repeat(200));
        let doc = Document::parse(&t);
        let (_, span) = measure(&doc, Measure::WordCount, ScopeSet::BODY).unwrap();
        assert!(!span.is_empty() && span.len() <= POINTER_LEN, "{span:?}");
        assert!(t[span].starts_with('x'));
    }

    #[test]
    fn syllable_heuristic() {
        assert_eq!(syllables("make"), 1);
        assert_eq!(syllables("table"), 2);
        assert_eq!(syllables("organization"), 5);
    }
}
