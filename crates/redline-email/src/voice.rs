//! Score rules: how much a whole draft reads as AI-drafted, from many weak signals.
//!
//! A score rule weighs three kinds of feature: words and phrases (found by the linter's one
//! automaton, handed in here as counts), regular expressions over the normalised text, and
//! [`VoiceMeasure`]s of the draft's shape measured here in one pass over the paragraphs the
//! writer wrote. The weighted sum is a log-odds; the probability decides the finding's
//! severity, and every feature's contribution is kept as evidence.

use std::ops::Range;

use redline_rules::{Contribution, Pattern, Score, ScoreEvidence, VoiceMeasure};
use redline_text::{Document, RegionKind, ScopeSet};

use crate::metrics::{Counts, Follower, Person, Pronoun, Stats, Syllables, syllables};
use crate::short_words::{self, ShortWord};

/// How far a standardised measure may move the score, in standard deviations.
const CLAMP: f64 = 4.0;
/// How many contributions a finding lists; the rest are summed.
const SHOWN: usize = 10;

/// How often a phrase or pattern occurs in a draft, and where it occurs first.
pub type Occurrences = (usize, Option<Range<usize>>);

/// What one draft offers a score rule: feature values before weighting.
#[derive(Debug, Clone, PartialEq)]
pub struct ScoreInputs {
    /// Words in the scored paragraphs.
    pub words: usize,
    /// Per phrase of the rule (in the rule's order): occurrences and the first one's span.
    pub phrases: Vec<Occurrences>,
    /// Per pattern of the rule: occurrences and the first one's span.
    pub patterns: Vec<Occurrences>,
    /// The figure of each of the rule's measures, in the rule's order (`None` when the draft
    /// is too short to have it), and where it shows most.
    pub measures: Vec<(VoiceMeasure, Option<f64>, Option<Range<usize>>)>,
}

impl ScoreInputs {
    /// The values of the phrase and pattern features as the model weighs them,
    /// `ln(1 + count)`, phrases first (measures are standardised by the rule's scales).
    pub fn counts(&self) -> impl Iterator<Item = f64> + '_ {
        self.phrases
            .iter()
            .chain(&self.patterns)
            .map(|(n, _)| (*n as f64).ln_1p())
    }
}

/// A scored draft: the probability, whether other findings account for it, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct Scored {
    /// The evidence the finding carries.
    pub evidence: ScoreEvidence,
    /// Where a finding would point: the strongest contribution with a place in the text
    /// (`None` when nothing that contributes has one).
    pub span: Option<Range<usize>>,
}

/// A score rule's inputs: its measures read from the `shape` of the paragraphs in its scopes
/// ([`walk`]); `phrases` and `patterns` are its occurrences as the linter found them (phrases
/// by the automaton, patterns near their anchors).
pub(crate) fn inputs(
    shape: &Shape,
    score: &Score,
    phrases: Vec<Occurrences>,
    patterns: Vec<Occurrences>,
) -> ScoreInputs {
    ScoreInputs {
        words: shape.words,
        phrases,
        patterns,
        measures: score
            .measures
            .iter()
            .map(|&(m, _)| (m, shape.figure(m), shape.place(m)))
            .collect(),
    }
}

/// Reads the paragraphs of `doc` in `scopes` once, for their [`Shape`]. With `stats`, the
/// same walk also counts every region in `scopes` for the metric rules (the greeting and
/// sign-off, which the shape leaves out, on their own), so a draft whose metric and score
/// rules share scopes is read once for both.
pub(crate) fn walk(doc: &Document, scopes: ScopeSet, mut stats: Option<&mut Stats>) -> Shape {
    let text = doc.text();
    // Sized for a typical draft's sentences and paragraphs, so that most drafts grow neither.
    let mut shape = Shape {
        sentence_lengths: Vec::with_capacity(64),
        spelling: Vec::with_capacity(SPELLED_AT_ONCE),
        paragraph_sentences: Vec::with_capacity(16),
        ..Shape::default()
    };
    for region in doc.regions_in(scopes) {
        let span = region.span.clone();
        let paragraph = region.kind == RegionKind::Paragraph;
        match stats.as_deref_mut() {
            Some(stats) if paragraph => {
                let mut follower = Follower::new(text, span.clone());
                shape.paragraph(text, span, Some(&mut follower));
                stats.add(text, region, &follower.finish());
            }
            Some(stats) => stats.add(text, region, &Counts::of(&text[span])),
            None if paragraph => shape.paragraph(text, span, None),
            None => {}
        }
    }
    shape.spell(text);
    shape
}

/// Weighs the inputs: `None` only for a draft too short to score (under the rule's
/// `min_words`). `reported` says whether a span is already a finding of another rule: those
/// contributions count toward a warning but not toward an error. The evidence lists the
/// largest contributions only when a probability reaches the rule's warning or error
/// threshold, that is when the draft gets a finding.
pub fn evaluate(
    score: &Score,
    inputs: &ScoreInputs,
    text: &str,
    reported: impl Fn(&Range<usize>) -> bool,
) -> Option<Scored> {
    if inputs.words < score.min_words {
        return None;
    }
    // Summed as they come: most drafts are scored without a finding, and only a finding
    // keeps the contributions (to sort and name the largest).
    let (mut total, mut reported_total) = (0.0, 0.0);
    let mut strongest: Option<(f64, Range<usize>)> = None;
    for c in parts(score, inputs, &reported) {
        total += c.contribution;
        if c.reported {
            reported_total += c.contribution.max(0.0);
        }
        // Of equal contributions, the last (as `max_by` would pick).
        if let Some(span) = c.span.filter(|_| c.contribution > 0.0)
            && strongest
                .as_ref()
                .is_none_or(|(best, _)| c.contribution >= *best)
        {
            strongest = Some((c.contribution, span));
        }
    }
    let probability = sigmoid(score.intercept + total);
    let unreported = sigmoid(score.intercept + total - reported_total);
    let span = strongest
        .map(|(_, span)| span)
        .or_else(|| inputs.measures.first().and_then(|(_, _, s)| s.clone()));
    let (contributions, others) = if probability >= score.warning || unreported >= score.error {
        listed(parts(score, inputs, &reported).collect(), text)
    } else {
        (Vec::new(), 0.0)
    };
    Some(Scored {
        evidence: ScoreEvidence {
            probability,
            unreported_probability: unreported,
            intercept: score.intercept,
            contributions,
            others,
        },
        span,
    })
}

/// Every feature of the rule that contributes to this draft's score. Names and texts are
/// not built here, only for the contributions a finding lists: a trained rule may weigh
/// thousands of features.
fn parts<'a>(
    score: &'a Score,
    inputs: &'a ScoreInputs,
    reported: &'a impl Fn(&Range<usize>) -> bool,
) -> impl Iterator<Item = Part<'a>> {
    let phrases = score.phrases.iter().map(|(p, w)| (Feature::Phrase(p), *w));
    let patterns = score
        .patterns
        .iter()
        .map(|(re, w)| (Feature::Pattern(re), *w));
    let counted = phrases
        .chain(patterns)
        .zip(inputs.phrases.iter().chain(&inputs.patterns))
        .filter(|((_, weight), (count, _))| *count > 0 && *weight != 0.0)
        .map(move |((feature, weight), (count, span))| {
            let value = *count as f64;
            Part {
                reported: span.as_ref().is_some_and(reported),
                feature,
                value,
                weight,
                contribution: weight * value.ln_1p(),
                span: span.clone(),
            }
        });
    // The inputs hold the rule's measures in the rule's order ([`inputs`]).
    let measured = score.measures.iter().zip(&inputs.measures).filter_map(
        |((measure, w), (m, figure, span))| {
            debug_assert_eq!(measure, m, "inputs follow the rule's measures");
            let Some(figure) = figure else {
                return None;
            };
            let z = ((figure - w.mean) / w.sd).clamp(-CLAMP, CLAMP);
            (z != 0.0 && w.weight != 0.0).then(|| Part {
                feature: Feature::Measure(*measure),
                value: *figure,
                weight: w.weight,
                contribution: w.weight * z,
                span: span.clone(),
                reported: false,
            })
        },
    );
    counted.chain(measured)
}

/// The [`SHOWN`] largest contributions, named, and the sum of the others.
fn listed(mut all: Vec<Part>, text: &str) -> (Vec<Contribution>, f64) {
    all.sort_by(|a, b| {
        b.contribution
            .abs()
            .total_cmp(&a.contribution.abs())
            .then_with(|| a.feature.cmp_name(&b.feature))
    });
    let others: f64 = all.iter().skip(SHOWN).map(|c| c.contribution).sum();
    all.truncate(SHOWN);
    let text_of = |c: &Part| match c.feature {
        Feature::Measure(_) => None,
        _ => c.span.as_ref().map(|s| text[s.clone()].to_string()),
    };
    let contributions = all
        .iter()
        .map(|c| Contribution {
            feature: c.feature.name(),
            value: c.value,
            weight: c.weight,
            contribution: c.contribution,
            text: text_of(c),
            span: c.span.clone(),
            reported: c.reported,
        })
        .collect();
    (contributions, others)
}

/// A feature's contribution before it is named: [`Contribution`] without the strings.
struct Part<'a> {
    feature: Feature<'a>,
    value: f64,
    weight: f64,
    contribution: f64,
    span: Option<Range<usize>>,
    reported: bool,
}

/// A feature of a score rule, named only when a finding lists it.
enum Feature<'a> {
    Phrase(&'a str),
    Pattern(&'a Pattern),
    Measure(VoiceMeasure),
}

impl Feature<'_> {
    /// The name a finding shows: `“phrase”`, `pattern /…/`, `measure (what it is)`.
    fn name(&self) -> String {
        self.name_parts().concat()
    }

    /// How `self`'s name sorts against `other`'s, without building either: ties between equal
    /// contributions are broken by name, and most drafts name no feature at all.
    fn cmp_name(&self, other: &Feature) -> std::cmp::Ordering {
        let (a, b) = (self.name_parts(), other.name_parts());
        a.iter()
            .flat_map(|s| s.bytes())
            .cmp(b.iter().flat_map(|s| s.bytes()))
    }

    /// The name, in the pieces it is written from.
    fn name_parts(&self) -> [&str; 4] {
        match self {
            Feature::Phrase(p) => ["“", p, "”", ""],
            Feature::Pattern(re) => ["pattern /", re.as_str(), "/", ""],
            Feature::Measure(m) => [m.as_str(), " (", m.describe(), ")"],
        }
    }
}

fn sigmoid(z: f64) -> f64 {
    1.0 / (1.0 + (-z).exp())
}

/// Counts over the paragraphs of a draft, from which every [`VoiceMeasure`] is read.
#[derive(Debug, Default)]
pub(crate) struct Shape {
    words: usize,
    letters: usize,
    sentence_lengths: Vec<usize>,
    paragraph_sentences: Vec<usize>,
    contractions: usize,
    we: usize,
    i: usize,
    you: usize,
    questions: usize,
    exclamations: usize,
    dashes: usize,
    lines: usize,
    list_lines: usize,
    labelled_lines: usize,
    tricolons: usize,
    lowercase_starts: usize,
    ellipses: usize,
    parentheses: usize,
    repeated_punctuation: usize,
    emoticons: usize,
    shouted: usize,
    dropped_apostrophes: usize,
    conjunction_starts: usize,
    semicolons: usize,
    commas: usize,
    introductory_commas: usize,
    conjunction_commas: usize,
    participles: usize,
    /// Misspelt words, up to [`MISSPELLINGS_COUNTED`].
    misspellings: usize,
    first_line: Option<Range<usize>>,
    first_list: Option<Range<usize>>,
    first_label: Option<Range<usize>>,
    first_dash: Option<Range<usize>>,
    first_tricolon: Option<Range<usize>>,
    first_misspelling: Option<Range<usize>>,
    /// Lower-case words whose spelling is still to be checked ([`Shape::spell`]), in order:
    /// up to [`SPELLED_AT_ONCE`], and only while fewer than [`MISSPELLINGS_COUNTED`] are
    /// found.
    spelling: Vec<Range<usize>>,
    /// Words of the sentence still open at the end of the last line read.
    open_words: usize,
    /// Whether the next word starts a sentence.
    at_start: bool,
    /// Commas in the sentence still open.
    open_commas: usize,
    /// Whether the last thing read was a comma, so the next word may be a joining word.
    after_comma: bool,
    /// A word too long for the stack, or not ASCII, lower-cased: reused so that counting words
    /// allocates nothing.
    lower: String,
}

/// The series of three in `line`, in order: `fast, simple, and secure`, `your team, your
/// data or your budget`. Written out rather than as a regular expression, whose compiling
/// cost every process as much as scoring the draft; it finds exactly what
/// `W(?: W){0,2}, W(?: W){0,2},? (?:and|or) W` finds (a test holds it to that regex), where
/// `W` is a word of ASCII letters and digits, `'`, `’` and `-`.
fn tricolons(line: &str) -> impl Iterator<Item = Range<usize>> + '_ {
    let mut from = 0;
    std::iter::from_fn(move || {
        let found = series_from(line, from)?;
        from = found.end;
        Some(found)
    })
}

/// The first series starting at or after `from` (where no word goes on). Every series' first
/// item is one to three words followed by `, `, so only each `, ` is tried: what follows it
/// must be the rest of a series, and only then are the words before it read for the first
/// item, whose earliest start wins. A match can only start where a word does: one starting
/// inside a word reads the same rest of it, so it matches only where the word's own start
/// does, and later.
fn series_from(line: &str, from: usize) -> Option<Range<usize>> {
    let bytes = line.as_bytes();
    let mut search = from;
    while let Some(k) = memchr::memchr(b',', &bytes[search..]) {
        let comma = search + k;
        search = comma + 1;
        if bytes.get(search) != Some(&b' ') {
            continue;
        }
        let Some(end) = rest_of_series(line, comma + 2) else {
            continue;
        };
        if let Some(start) = first_item_start(line, from, comma) {
            return Some(start..end);
        }
    }
    None
}

/// The earliest start of one, two or three words that end at `end`, each followed by one
/// space before the next; none before `from`.
fn first_item_start(line: &str, from: usize, end: usize) -> Option<usize> {
    let mut first = None;
    let mut at = end;
    for _ in 0..3 {
        let head = &line[from..at];
        let len = head.len() - head.trim_end_matches(is_series_char).len();
        if len == 0 {
            break;
        }
        let start = at - len;
        first = Some(start);
        if start == from || line.as_bytes()[start - 1] != b' ' {
            break;
        }
        at = start - 1;
    }
    first
}

/// Where a series ends whose second item starts at `start`: the second item is up to three
/// words joined by single spaces, tried longest first as the greedy regex does, then the
/// last item.
fn rest_of_series(line: &str, start: usize) -> Option<usize> {
    let mut ends = [0; 3];
    ends[0] = word_end(line, start)?;
    let mut second = 1;
    while second < 3 && line[ends[second - 1]..].starts_with(' ') {
        let Some(next) = word_end(line, ends[second - 1] + 1) else {
            break;
        };
        ends[second] = next;
        second += 1;
    }
    ends[..second]
        .iter()
        .rev()
        .find_map(|&end| last_item(line, end))
}

/// After the second item: an optional comma, a space, `and` or `or`, a space and a word;
/// where that word ends.
fn last_item(line: &str, at: usize) -> Option<usize> {
    let rest = line[at..].strip_prefix(',').unwrap_or(&line[at..]);
    let rest = rest.strip_prefix(' ')?;
    let rest = rest
        .strip_prefix("and ")
        .or_else(|| rest.strip_prefix("or "))?;
    word_end(line, line.len() - rest.len())
}

/// The end of the word starting at `at`, if one does: a run of [`is_series_char`].
fn word_end(line: &str, at: usize) -> Option<usize> {
    let rest = &line[at..];
    let len = rest.find(|c| !is_series_char(c)).unwrap_or(rest.len());
    (len > 0).then_some(at + len)
}

/// A character of a word in a series: ASCII letters and digits, `'`, `’` and `-`.
fn is_series_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '\'' | '’' | '-')
}

/// Whether a line opens with a label: `**Speed:** …`, `- **Speed** — …`, `Speed: …`, after
/// an optional bullet or number. Written out rather than as a regular expression, whose
/// bounded Unicode classes cost milliseconds to compile in every process; it accepts exactly
/// what `^(?:[-*•·] +|[0-9]{1,2}[.)] +)?(?:\*\*[^*\n]{1,60}\*\*|[A-Z][[:alnum:]'’ /&-]{0,40}: +[^ ])`
/// matches.
fn opens_with_label(line: &str) -> bool {
    let bullet = line
        .strip_prefix(['-', '*', '•', '·'])
        .and_then(after_spaces);
    let digits = line.bytes().take_while(u8::is_ascii_digit).count();
    let number = (1..=2)
        .contains(&digits)
        .then(|| line[digits..].strip_prefix(['.', ')']))
        .flatten()
        .and_then(after_spaces);
    [Some(line), bullet, number]
        .into_iter()
        .flatten()
        .any(|rest| bold_label(rest) || colon_label(rest))
}

/// `**` and 1 to 60 characters other than `*` and a line break, then `**`.
fn bold_label(s: &str) -> bool {
    let Some(rest) = s.strip_prefix("**") else {
        return false;
    };
    let Some(end) = rest.find(['*', '\n']) else {
        return false;
    };
    (1..=60).contains(&rest[..end].chars().count()) && rest[end..].starts_with("**")
}

/// An ASCII capital, up to 40 letters, digits, spaces or `'’/&-`, a colon, one or more
/// spaces, and something else.
fn colon_label(s: &str) -> bool {
    let Some(rest) = s.strip_prefix(|c: char| c.is_ascii_uppercase()) else {
        return false;
    };
    let in_label =
        |c: char| c.is_ascii_alphanumeric() || matches!(c, '\'' | '’' | ' ' | '/' | '&' | '-');
    let label = rest.chars().take_while(|&c| in_label(c)).take(41).count();
    if label > 40 {
        return false;
    }
    let after: usize = rest.chars().take(label).map(char::len_utf8).sum();
    rest[after..]
        .strip_prefix(':')
        .and_then(after_spaces)
        .is_some_and(|r| !r.is_empty())
}

/// What follows the spaces opening `s`, if it opens with at least one.
fn after_spaces(s: &str) -> Option<&str> {
    let rest = s.trim_start_matches(' ');
    (rest.len() < s.len()).then_some(rest)
}

impl Shape {
    #[cfg(test)]
    fn of(text: &str, paragraphs: &[Range<usize>]) -> Shape {
        let mut shape = Shape::default();
        for p in paragraphs {
            shape.paragraph(text, p.clone(), None);
        }
        shape.spell(text);
        shape
    }

    /// Counts the misspellings among the words kept for it, up to [`MISSPELLINGS_COUNTED`]
    /// in the draft: many words together, so that their dictionary lookups overlap.
    fn spell(&mut self, text: &str) {
        let words = &self.spelling;
        let (count, first) = (&mut self.misspellings, &mut self.first_misspelling);
        let bytes = words.iter().map(|w| text[w.clone()].as_bytes());
        redline_spell::misspellings(bytes, MISSPELLINGS_COUNTED - *count, |i| {
            *count += 1;
            first.get_or_insert(words[i].clone());
        });
        self.spelling.clear();
    }

    /// Reads one paragraph; `follower`, when given, counts it for the metric rules from the
    /// same words.
    fn paragraph(&mut self, text: &str, span: Range<usize>, mut follower: Option<&mut Follower>) {
        let mut sentences = 0;
        self.open_words = 0;
        self.open_commas = 0;
        self.after_comma = false;
        self.at_start = true;
        let mut offset = span.start;
        for line in redline_text::lines_inclusive(&text[span]) {
            let line_span = offset..offset + line.trim_end().len();
            offset += line.len();
            let trimmed = line.trim();
            if trimmed.is_empty() {
                continue;
            }
            self.lines += 1;
            let is_item = is_list_item(trimmed);
            if is_item {
                self.list_lines += 1;
                self.first_list.get_or_insert(line_span.clone());
            }
            if opens_with_label(trimmed) {
                self.labelled_lines += 1;
                self.first_label.get_or_insert(line_span.clone());
            }
            for m in tricolons(line) {
                self.tricolons += 1;
                self.first_tricolon
                    .get_or_insert(line_span.start + m.start..line_span.start + m.end);
            }
            self.first_line.get_or_insert(line_span.clone());
            sentences += self.line(
                text,
                line_span.start..offset,
                is_item,
                follower.as_deref_mut(),
            );
        }
        if self.open_words > 0 {
            let words = std::mem::take(&mut self.open_words);
            self.end_sentence(words, false);
            sentences += 1;
        }
        if sentences > 0 {
            self.paragraph_sentences.push(sentences);
        }
    }

    /// Counts one line's words and the sentences it ends. A sentence ends on `.`, `!` or `?`
    /// before a space, so text wrapped over lines reads as one sentence; a list item ends its
    /// sentence at the end of its line. `span` is the line in `text`, its line break included.
    fn line(
        &mut self,
        text: &str,
        span: Range<usize>,
        is_item: bool,
        mut follower: Option<&mut Follower>,
    ) -> usize {
        let base = span.start;
        let line = &text[span];
        let mut sentences = 0;
        let mut words = self.open_words;
        let mut at_start = self.at_start;
        let mut commas = self.open_commas;
        // Read by byte offset, decoding only non-ASCII characters: this loop sees every
        // character the writer wrote.
        let bytes = line.as_bytes();
        let mut i = 0;
        while let Some((c, len)) = char_at(line, i) {
            if c.is_alphanumeric() {
                let mut end = i + len;
                while let Some((d, d_len)) = char_at(line, end) {
                    if d.is_ascii_alphanumeric() {
                        end += 1;
                        continue;
                    }
                    let inner_apostrophe = matches!(d, '\'' | '’')
                        && char_at(line, end + d_len).is_some_and(|(e, _)| e.is_alphabetic());
                    if d.is_alphanumeric() || inner_apostrophe {
                        end += d_len;
                    } else {
                        break;
                    }
                }
                let word = &line[i..end];
                if std::mem::take(&mut self.after_comma) && is_joining_word(word) {
                    self.conjunction_commas += 1;
                }
                if at_start {
                    at_start = false;
                    if c.is_lowercase() {
                        self.lowercase_starts += 1;
                    }
                    if matches!(word, "And" | "But" | "So" | "Or") {
                        self.conjunction_starts += 1;
                    }
                } else if word == "i" {
                    self.lowercase_starts += 1;
                }
                let (person, syllables) = self.word(word);
                if self.misspellings < MISSPELLINGS_COUNTED
                    && c.is_ascii_lowercase()
                    && redline_spell::may_be_misspelling(word.as_bytes())
                {
                    self.spelling.push(base + i..base + end);
                    if self.spelling.len() == SPELLED_AT_ONCE {
                        self.spell(text);
                    }
                }
                if let Some(f) = follower.as_deref_mut() {
                    f.word(base + i..base + end, person, syllables);
                }
                words += 1;
                i = end;
                continue;
            }
            let at = i;
            i += len;
            match c {
                '.' | '!' | '?' => {
                    // The run of sentence punctuation this opens: `.`, `?!`, `...`.
                    let mut run = 1;
                    let mut exclamations = usize::from(c == '!');
                    let mut question = c == '?';
                    let mut second = None;
                    while let Some(&b @ (b'.' | b'!' | b'?')) = bytes.get(i) {
                        let d = char::from(b);
                        run += 1;
                        exclamations += usize::from(d == '!');
                        question |= d == '?';
                        second.get_or_insert(d);
                        i += 1;
                    }
                    if let Some(f) = follower.as_deref_mut() {
                        f.stops(base + at..base + i, question);
                    }
                    let ellipsis = c == '.' && second == Some('.');
                    if ellipsis {
                        self.ellipses += 1;
                    }
                    if run >= 4 || (run >= 2 && c != '.') {
                        self.repeated_punctuation += 1;
                    }
                    self.exclamations += exclamations;
                    let ends = char_at(line, i)
                        .is_none_or(|(d, _)| d.is_whitespace() || matches!(d, '"' | ')' | '”'));
                    if ends && words > 0 && !ellipsis {
                        self.end_sentence(words, question);
                        sentences += 1;
                        words = 0;
                        commas = 0;
                        at_start = true;
                    }
                }
                // `1,000` is a number, not a pause.
                ',' if !bytes.get(i).is_some_and(u8::is_ascii_digit) => {
                    self.commas += 1;
                    self.after_comma = true;
                    if commas == 0 && (1..=3).contains(&words) {
                        self.introductory_commas += 1;
                    }
                    commas += 1;
                }
                '…' => self.ellipses += 1,
                '(' => self.parentheses += 1,
                ':' | ';' if is_emoticon(&line[at..]) => self.emoticons += 1,
                ';' => self.semicolons += 1,
                '—' | '–' => {
                    self.dashes += 1;
                    self.first_dash.get_or_insert(base + at..base + at + len);
                }
                _ => {}
            }
        }
        if is_item && words > 0 {
            self.end_sentence(words, false);
            sentences += 1;
            words = 0;
            commas = 0;
            at_start = true;
        }
        self.open_words = words;
        self.open_commas = commas;
        self.at_start = at_start;
        sentences
    }

    /// Counts one word's habits; returns whom it is about and its syllables (for the metric
    /// rules).
    fn word(&mut self, word: &str) -> (Person, usize) {
        self.words += 1;
        // A short ASCII word, nearly every word, is counted and lower-cased on the stack in one
        // pass over its bytes, which also counts its vowel groups and sees any apostrophe: a
        // loop over a word's letters costs a mispredicted branch where it ends, so there is
        // one. A longer word, or one with other characters, goes through `lower`.
        let bytes = word.as_bytes();
        if bytes.len() <= 32 && bytes.is_ascii() {
            let mut buf = [0u8; 32];
            let (mut capitals, mut letters) = (0, 0);
            let (mut syllables, mut apostrophe) = (Syllables::default(), false);
            for (slot, &b) in buf.iter_mut().zip(bytes) {
                let upper = b.is_ascii_uppercase();
                capitals += usize::from(upper);
                letters += usize::from(upper || b.is_ascii_lowercase());
                syllables.push(b);
                apostrophe |= b == b'\'';
                *slot = b | (u8::from(upper) << 5);
            }
            if capitals >= 3 && capitals == bytes.len() {
                self.shouted += 1;
            }
            self.letters += letters;
            let lower = &buf[..bytes.len()];
            // The bytes after the word are still zero: its first eight are its lookup key.
            let short = (bytes.len() <= 8)
                .then(|| short_words::of_key(u64::from_le_bytes(buf[..8].try_into().unwrap())))
                .flatten();
            return (self.habits(lower, apostrophe, short), syllables.of(lower));
        }
        if word.chars().count() >= 3 && word.chars().all(char::is_uppercase) {
            self.shouted += 1;
        }
        self.letters += word.chars().filter(|c| c.is_alphabetic()).count();
        let mut lower = std::mem::take(&mut self.lower);
        lower.clear();
        for c in word.chars() {
            match c {
                '’' => lower.push('\''),
                c => lower.extend(c.to_lowercase()),
            }
        }
        let short = short_words::of_lower(lower.as_bytes());
        let person = self.habits(lower.as_bytes(), lower.contains('\''), short);
        self.lower = lower;
        (person, syllables(word))
    }

    /// Counts the habits a word shows, from its lower-cased form (curly apostrophes
    /// straight), whether that holds an apostrophe, and which short word it is, if any;
    /// returns whom it is about.
    fn habits(&mut self, lower: &[u8], apostrophe: bool, short: Option<ShortWord>) -> Person {
        match short {
            Some(ShortWord::Pronoun(Pronoun::I)) => self.i += 1,
            Some(ShortWord::Pronoun(Pronoun::We)) => self.we += 1,
            Some(ShortWord::Pronoun(Pronoun::You)) => self.you += 1,
            Some(ShortWord::DroppedApostrophe) => self.dropped_apostrophes += 1,
            None => {}
        }
        if apostrophe && is_contraction(lower) {
            self.contractions += 1;
        }
        if lower.len() >= 6
            && lower.ends_with(b"ing")
            && !ING_NOUNS.iter().any(|n| n.as_bytes() == lower)
        {
            self.participles += 1;
        }
        short.map_or(Person::Other, ShortWord::person)
    }

    fn end_sentence(&mut self, words: usize, question: bool) {
        self.sentence_lengths.push(words);
        self.questions += usize::from(question);
    }

    fn figure(&self, m: VoiceMeasure) -> Option<f64> {
        let sentences = self.sentence_lengths.len() as f64;
        let words = self.words as f64;
        let per_sentence = |n: usize| (sentences > 0.0).then(|| n as f64 / sentences);
        let per_100_words = |n: usize| (words > 0.0).then(|| 100.0 * n as f64 / words);
        match m {
            VoiceMeasure::SentenceLength => mean(&self.sentence_lengths),
            VoiceMeasure::SentenceLengthSpread => spread(&self.sentence_lengths),
            VoiceMeasure::ParagraphLength => mean(&self.paragraph_sentences),
            VoiceMeasure::ParagraphLengthSpread => spread(&self.paragraph_sentences),
            VoiceMeasure::ContractionRate => per_sentence(self.contractions),
            VoiceMeasure::FirstPersonPlural => per_100_words(self.we),
            VoiceMeasure::FirstPersonSingular => per_100_words(self.i),
            VoiceMeasure::SecondPerson => per_100_words(self.you),
            VoiceMeasure::QuestionShare => per_sentence(self.questions),
            VoiceMeasure::ExclamationRate => per_sentence(self.exclamations),
            VoiceMeasure::DashRate => per_100_words(self.dashes),
            VoiceMeasure::ListLines => {
                (self.lines > 0).then(|| self.list_lines as f64 / self.lines as f64)
            }
            VoiceMeasure::LabelledLines => (self.lines > 0).then_some(self.labelled_lines as f64),
            VoiceMeasure::Tricolons => per_sentence(self.tricolons),
            VoiceMeasure::LowercaseStarts => per_sentence(self.lowercase_starts),
            VoiceMeasure::EllipsisRate => per_sentence(self.ellipses),
            VoiceMeasure::ParenthesisRate => per_sentence(self.parentheses),
            VoiceMeasure::WordLength => (words > 0.0).then(|| self.letters as f64 / words),
            VoiceMeasure::RepeatedPunctuation => per_sentence(self.repeated_punctuation),
            VoiceMeasure::Emoticons => per_sentence(self.emoticons),
            VoiceMeasure::ShoutedWords => per_100_words(self.shouted),
            VoiceMeasure::DroppedApostrophes => per_100_words(self.dropped_apostrophes),
            VoiceMeasure::ConjunctionStarts => per_sentence(self.conjunction_starts),
            VoiceMeasure::SemicolonRate => per_sentence(self.semicolons),
            VoiceMeasure::CommaRate => per_100_words(self.commas),
            VoiceMeasure::IntroductoryCommas => per_sentence(self.introductory_commas),
            VoiceMeasure::ConjunctionCommas => per_sentence(self.conjunction_commas),
            VoiceMeasure::ParticipleRate => per_100_words(self.participles),
            VoiceMeasure::Misspellings => (words > 0.0).then_some(self.misspellings as f64),
        }
    }

    fn place(&self, m: VoiceMeasure) -> Option<Range<usize>> {
        let specific = match m {
            VoiceMeasure::ListLines => self.first_list.clone(),
            VoiceMeasure::LabelledLines => self.first_label.clone(),
            VoiceMeasure::DashRate => self.first_dash.clone(),
            VoiceMeasure::Tricolons => self.first_tricolon.clone(),
            VoiceMeasure::Misspellings => self.first_misspelling.clone(),
            _ => None,
        };
        specific.or_else(|| self.first_line.clone())
    }
}

/// The most misspelt words a draft's score counts: a few slips mark a person's typing, and
/// more say no more (a list of names the dictionary lacks). The search stops there, sparing
/// the rest of the draft its lookups.
const MISSPELLINGS_COUNTED: usize = 3;

/// How many words' spelling is checked together: enough for the lookups of a typical
/// draft's new words to overlap, few enough that a draft of any size keeps a small list.
const SPELLED_AT_ONCE: usize = 256;

/// The character starting at byte `i` of `s` and its length in bytes; `None` at the end.
/// ASCII, nearly all of a draft, is read without decoding.
fn char_at(s: &str, i: usize) -> Option<(char, usize)> {
    match *s.as_bytes().get(i)? {
        b if b < 0x80 => Some((char::from(b), 1)),
        _ => s[i..].chars().next().map(|c| (c, c.len_utf8())),
    }
}

/// The words that join a clause after a comma: `, but`, `, so`, `, which`, `, and`.
fn is_joining_word(word: &str) -> bool {
    matches!(
        word,
        "but" | "so" | "which" | "and" | "or" | "yet" | "while" | "although" | "though" | "because"
    )
}

fn is_list_item(line: &str) -> bool {
    let mut chars = line.chars();
    match chars.next() {
        Some('-' | '*' | '•' | '·' | '–') => chars.next().is_some_and(char::is_whitespace),
        Some(c) if c.is_ascii_digit() => {
            let rest = line.trim_start_matches(|c: char| c.is_ascii_digit());
            rest.len() < line.len() && line.len() - rest.len() <= 2 && {
                let mut r = rest.chars();
                matches!(r.next(), Some('.' | ')')) && r.next().is_some_and(char::is_whitespace)
            }
        }
        _ => false,
    }
}

/// Common words ending in `-ing` that are not participles, or are the nouns of everyday
/// business mail (a human pitch about pricing and training is not an AI tell).
const ING_NOUNS: [&str; 24] = [
    "something",
    "nothing",
    "anything",
    "everything",
    "morning",
    "evening",
    "during",
    "string",
    "strings",
    "spring",
    "meeting",
    "meetings",
    "building",
    "pricing",
    "marketing",
    "training",
    "funding",
    "hiring",
    "shipping",
    "booking",
    "mailing",
    "listing",
    "setting",
    "settings",
];

/// Whether `s` opens with an emoticon: `:)`, `:-)`, `;)`, `:(`, `:P`, `:D`.
fn is_emoticon(s: &str) -> bool {
    let b = s.as_bytes();
    let eyes = matches!(b.first(), Some(b':' | b';'));
    let nose = usize::from(b.get(1) == Some(&b'-'));
    eyes && matches!(b.get(1 + nose), Some(b')' | b'(' | b'P' | b'p' | b'D'))
        && b.get(2 + nose).is_none_or(|c| !c.is_ascii_alphanumeric())
}

fn is_contraction(lower: &[u8]) -> bool {
    const SUFFIXES: [&[u8]; 6] = [b"n't", b"'re", b"'ve", b"'ll", b"'d", b"'m"];
    const S_BASES: [&[u8]; 11] = [
        b"it", b"that", b"what", b"there", b"here", b"let", b"he", b"she", b"who", b"where", b"how",
    ];
    SUFFIXES
        .iter()
        .any(|s| lower.ends_with(s) && lower.len() > s.len())
        || lower
            .strip_suffix(b"'s")
            .is_some_and(|base| S_BASES.contains(&base))
}

fn mean(v: &[usize]) -> Option<f64> {
    (!v.is_empty()).then(|| v.iter().sum::<usize>() as f64 / v.len() as f64)
}

/// Standard deviation over mean; needs two values.
fn spread(v: &[usize]) -> Option<f64> {
    if v.len() < 2 {
        return None;
    }
    let m = mean(v)?;
    let var = v.iter().map(|&x| (x as f64 - m).powi(2)).sum::<f64>() / v.len() as f64;
    (m > 0.0).then(|| var.sqrt() / m)
}

#[cfg(test)]
mod tests {
    use redline_rules::{PackSource, Severity};

    use crate::Linter;

    /// Every line of `dir`'s files, recursively (read as UTF-8, lossily).
    fn lines_under(dir: &std::path::Path, out: &mut Vec<String>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for path in entries.filter_map(Result::ok).map(|e| e.path()) {
            if path.is_dir() {
                lines_under(&path, out);
            } else if let Ok(bytes) = std::fs::read(&path) {
                let text = String::from_utf8_lossy(&bytes);
                out.extend(text.split_inclusive('\n').map(str::to_string));
            }
        }
    }

    #[test]
    fn series_are_what_the_series_regex_finds() {
        let word = "[[:alnum:]'’-]+";
        let regex = regex::Regex::new(&format!(
            "{word}(?: {word}){{0,2}}, {word}(?: {word}){{0,2}},? (?:and|or) {word}"
        ))
        .unwrap();
        let mut lines: Vec<String> = [
            "fast, simple, and secure",
            "fast, simple and secure\n",
            "your team, your data or your budget",
            "a b c d, e, and f",
            "one two three four, five six seven eight, and nine",
            "a, b and c or d",
            "a, b and c",
            "a, b, and c, d, or e, f and g",
            "x,y, and z",
            "a, b,, and c",
            "a,  b, and c",
            "a, b,  and c",
            "a, b, andc",
            "a, b, and ",
            "a, b, and",
            "a, b, or-else c",
            "a, b, nor c",
            "a, b, AND c",
            "it’s fast, it’s simple, and it’s yours’",
            "-, --, and ---",
            "'a', 'b', or 'c'",
            "é, b, and c",
            "aé, bé, and cé",
            "café, b, and c",
            "a, b and c, d and e, f or g",
            "a b, c d e f, and g",
            "a, b c d, and e",
            "a, b c d e, and f",
            "a, b, and c.\n",
            "",
            ", , and",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        lines.extend(
            redline_synth::corpus(3, 400, 0.5)
                .iter()
                .flat_map(|d| d.text().lines().map(str::to_string).collect::<Vec<_>>()),
        );
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        lines_under(&root.join("data"), &mut lines);
        let corpora = root.join("../shared/corpora");
        if corpora.is_dir() {
            lines_under(&corpora, &mut lines);
        } else {
            eprintln!("skipped {}: not here", corpora.display());
        }
        let mut series = 0;
        for line in &lines {
            let expected: Vec<_> = if line.contains(", ") {
                regex.find_iter(line).map(|m| m.range()).collect()
            } else {
                Vec::new()
            };
            assert_eq!(
                super::tricolons(line).collect::<Vec<_>>(),
                expected,
                "{line:?}"
            );
            series += expected.len();
        }
        assert!(series > 1000, "{series} series in {} lines", lines.len());
    }

    #[test]
    fn label_lines_are_what_the_label_regex_matches() {
        let regex = regex::Regex::new(r"^(?:[-*•·] +|[0-9]{1,2}[.)] +)?(?:\*\*[^*\n]{1,60}\*\*|[A-Z][[:alnum:]'’ /&-]{0,40}: +[^ ])").unwrap();
        let long = "x".repeat(60);
        let lines = [
            "**Speed:** fast".to_string(),
            "- **Speed** — fast".into(),
            "Speed: fast".into(),
            "1. Speed: fast".into(),
            "12) **Cost**".into(),
            "123. Speed: fast".into(),
            "1.Speed: fast".into(),
            "-Speed: fast".into(),
            "•  Team’s pick & mix/ok-2: yes".into(),
            "speed: fast".into(),
            "Speed:fast".into(),
            "Speed: ".into(),
            "Speed:  x".into(),
            "Speed, then: x".into(),
            "**".into(),
            "****".into(),
            "** **".into(),
            "**a*b**".into(),
            format!("**{long}**"),
            format!("**{long}x**"),
            format!("A{}: x", "b".repeat(40)),
            format!("A{}: x", "b".repeat(41)),
            "**é** and more".into(),
            "* **Note:** x".into(),
            "·Note: x".into(),
            "Re: your note".into(),
        ];
        for line in &lines {
            assert_eq!(
                super::opens_with_label(line),
                regex.is_match(line),
                "{line:?}"
            );
        }
    }

    const RULE: &str = r#"
[[rule]]
id = "demo.voice"
kind = "score"
severity = "error"
message = "Reads as AI-drafted ({value})"
why = "w"
instead = "i"

[rule.score]
intercept = -2.0
warning = 0.5
error = 0.9
min_words = 10

[rule.score.measures]
dash_rate = { weight = 0.5, mean = 1.0, sd = 2.0 }
lowercase_starts = { weight = -1.0, mean = 0.1, sd = 0.1 }

[rule.score.phrases]
"seamless" = 1.0
"i wanted to reach out" = 2.0

[rule.score.patterns]
'\[your name\]' = 0.75

[rule.examples]
bad = ["x"]
"#;

    const PHRASE: &str = r#"
[[rule]]
id = "demo.reach-out"
kind = "phrase"
severity = "warning"
message = "m"
why = "w"
instead = "i"
phrases = ["I wanted to reach out"]
[rule.examples]
bad = ["I wanted to reach out"]
"#;

    fn linter(files: &[&str]) -> Linter {
        let mut pack = vec![(
            "demo/pack.toml".to_string(),
            "name = \"demo\"\nversion = \"1\"\ndescription = \"d\"\n".to_string(),
        )];
        for (i, f) in files.iter().enumerate() {
            pack.push((format!("demo/r{i}.toml"), f.to_string()));
        }
        Linter::builder()
            .without_builtin()
            .pack(PackSource {
                folder: "demo".into(),
                files: pack,
            })
            .build()
            .expect("the demo pack loads")
    }

    const DRAFT: &str = "Hi Dana,\n\nI wanted to reach out because onboarding is seamless \
        now — truly seamless. Setup takes a day.\n\nWould Tuesday work for a call?\n\nBest,\n[Your Name]\n";

    #[test]
    fn a_draft_scores_with_exact_contributions() {
        let findings = linter(&[RULE]).check(DRAFT);
        assert_eq!(findings.len(), 1);
        let f = &findings[0];
        let e = f
            .evidence
            .as_ref()
            .and_then(|e| e.score())
            .expect("score evidence");
        let got: Vec<(String, f64, f64)> = e
            .contributions
            .iter()
            .map(|c| {
                (
                    c.feature.clone(),
                    c.value,
                    (c.contribution * 1e6).round() / 1e6,
                )
            })
            .collect();
        // 22 words in the two paragraphs and one em dash: 100/22 per 100 words, so
        // z = (4.545 - 1) / 2 = 1.773 and the dash adds 0.5 × 1.773; no lower-case start,
        // z = (0 - 0.1) / 0.1 = -1, adding -1 × -1. The placeholder sits in the signature,
        // outside the body, so the pattern adds nothing.
        let r = |x: f64| (x * 1e6).round() / 1e6;
        let dash = 0.5 * (100.0 / 22.0 - 1.0) / 2.0;
        assert_eq!(
            got,
            vec![
                ("“i wanted to reach out”".into(), 1.0, r(2.0 * 2f64.ln())),
                ("“seamless”".into(), 2.0, r(3f64.ln())),
                (
                    "lowercase_starts (lower-case sentence starts)".into(),
                    0.0,
                    1.0
                ),
                (
                    "dash_rate (em/en dashes per 100 words)".into(),
                    100.0 / 22.0,
                    r(dash)
                ),
            ]
        );
        let z = -2.0 + 2.0 * 2f64.ln() + 3f64.ln() + 1.0 + dash;
        assert!((e.probability - 1.0 / (1.0 + (-z).exp())).abs() < 1e-12);
        assert_eq!(f.rule, "demo.voice");
        assert_eq!(f.severity, Severity::Error);
        assert_eq!(
            f.message,
            format!("Reads as AI-drafted ({:.2})", e.probability)
        );
        // The finding points at the strongest contribution with a place: the opener.
        assert_eq!(&DRAFT[f.span.clone()], "I wanted to reach out");
    }

    #[test]
    fn phrases_reported_on_their_own_count_toward_a_warning_not_an_error() {
        let findings = linter(&[RULE, PHRASE]).check(DRAFT);
        let score = findings.iter().find(|f| f.rule == "demo.voice").unwrap();
        let e = score.evidence.as_ref().and_then(|e| e.score()).unwrap();
        assert!(e.probability >= 0.9, "{}", e.probability);
        assert!(
            e.unreported_probability < 0.9,
            "{}",
            e.unreported_probability
        );
        assert_eq!(score.severity, Severity::Warning);
        let reported: Vec<_> = e.contributions.iter().filter(|c| c.reported).collect();
        assert_eq!(reported.len(), 1);
        assert_eq!(reported[0].text.as_deref(), Some("I wanted to reach out"));
    }

    #[test]
    fn commas_and_participles_are_counted_as_a_drafting_tool_punctuates() {
        use redline_rules::VoiceMeasure as M;
        let text = "Unfortunately, the build failed, but the fix is simple. We shipped 1,000 \
            units, which sold out. Ensuring quality and streamlining setup matters, and pricing \
            is fixed.";
        let shape = super::Shape::of(text, std::slice::from_ref(&(0..text.len())));
        // 27 words in 3 sentences; 4 commas (`1,000` is a number); one opens its sentence
        // (`Unfortunately,`), three come before a joining word (`but`, `which`, `and`); two
        // participles (`Ensuring`, `streamlining`; `pricing` is a noun).
        assert_eq!(shape.figure(M::CommaRate), Some(400.0 / 27.0));
        assert_eq!(shape.figure(M::IntroductoryCommas), Some(1.0 / 3.0));
        assert_eq!(shape.figure(M::ConjunctionCommas), Some(1.0));
        assert_eq!(shape.figure(M::ParticipleRate), Some(200.0 / 27.0));
        // A comma late in a sentence, or a second one, is no introduction; a paragraph of
        // its own starts the count again.
        let text = "We met on Tuesday, and again, briefly, on Friday.\n\nYes, fine.";
        let shape = super::Shape::of(text, &[0..49, 51..text.len()]);
        assert_eq!(shape.figure(M::IntroductoryCommas), Some(0.5));
        assert_eq!(shape.figure(M::ConjunctionCommas), Some(0.5));
    }

    #[test]
    fn misspellings_are_counted_up_to_three_where_they_are() {
        use redline_rules::VoiceMeasure as M;
        let text = "I definately think the seperate build is fine.\r\n\tOk 🙂 recieve it;             Definately, the spamd milter and gvim are names, not slips.";
        let shape = super::Shape::of(text, std::slice::from_ref(&(0..text.len())));
        // `definately`, `seperate`, `recieve`; a capitalised word is left alone, as are
        // commands that differ from a word at their ends.
        assert_eq!(shape.figure(M::Misspellings), Some(3.0));
        let place = shape.place(M::Misspellings).unwrap();
        assert_eq!(&text[place], "definately");
        let many = "teh definately seperate recieve accomodate writting wierd tommorrow";
        let shape = super::Shape::of(many, std::slice::from_ref(&(0..many.len())));
        assert_eq!(shape.figure(M::Misspellings), Some(3.0));
        assert_eq!(&many[shape.place(M::Misspellings).unwrap()], "definately");
        // Slips on both sides of a batch of checked words, in a long paragraph.
        let long = format!(
            "{}definately {}seperate and recieve",
            "meeting ".repeat(super::SPELLED_AT_ONCE - 1),
            "another ".repeat(super::SPELLED_AT_ONCE),
        );
        let shape = super::Shape::of(&long, std::slice::from_ref(&(0..long.len())));
        assert_eq!(shape.figure(M::Misspellings), Some(3.0));
        let place = shape.place(M::Misspellings).unwrap();
        assert_eq!((&long[place.clone()], place.start), ("definately", 8 * 255));
    }

    #[test]
    fn short_drafts_and_plain_notes_are_not_scored() {
        let l = linter(&[RULE]);
        assert!(l.check("Hi Dana,\n\nSeamless — truly.\n").is_empty());
        let note = "hey dana - tuesday works. i'll bring the contract and we can go over \
            the numbers then... if the site visit runs long i'll text you. thanks!\n";
        assert!(l.check(note).is_empty(), "{:?}", l.check(note));
    }

    #[test]
    fn every_draft_long_enough_gets_a_probability_even_below_the_warning() {
        let l = linter(&[RULE]);
        use redline_text::Document as Doc;
        let flagged = l.check_scored(&Doc::parse(DRAFT));
        let finding = flagged.findings[0]
            .evidence
            .as_ref()
            .unwrap()
            .score()
            .unwrap();
        assert_eq!(
            flagged.scores,
            vec![crate::DraftScore {
                rule: "demo.voice",
                probability: Some(finding.probability)
            }]
        );

        let note = "hey dana - tuesday works. i'll bring the contract and we can go over \
            the numbers then... if the site visit runs long i'll text you. thanks!\n";
        let quiet = l.check_scored(&Doc::parse(note));
        assert!(quiet.findings.is_empty());
        let p = quiet.scores[0].probability.expect("scored: 27 words");
        // No phrase, no em dash (a spaced hyphen is not one): 0.5 × (0 - 1) / 2; every
        // sentence starts lower-case: z = (1 - 0.1) / 0.1, clamped to 4 standard deviations,
        // adding -1 × 4. The log-odds are -2 - 0.25 - 4.
        assert!((p - 1.0 / (1.0 + 6.25f64.exp())).abs() < 1e-12, "{p}");

        let short = l.check_scored(&Doc::parse("Hi Dana,\n\nSeamless — truly.\n"));
        assert_eq!(short.scores[0].probability, None, "under min_words");

        let silenced = format!("{DRAFT}<!-- redline-disable demo.voice -->\n");
        let marked = l.check_scored(&Doc::parse(&silenced));
        assert!(
            marked.findings.is_empty(),
            "the marker silences the finding"
        );
        assert_eq!(
            marked.scores[0].probability,
            Some(finding.probability),
            "but not the measurement"
        );
    }

    #[test]
    fn one_walk_gives_the_metric_counts_and_every_measure() {
        use crate::metrics::Stats;
        use redline_rules::{Measure, VoiceMeasure as M};
        use redline_text::{Document, ScopeSet};
        // CRLF, a tab, an emoji, a decimal, thousands and an apostrophe before a digit (one
        // metric word, two voice words each), curly and straight contractions.
        let draft = "Hi Dana,\r\n\r\nWe\u{2019}re at 3.5x growth\tand 1,000 seats \u{2014} our team's \
            numbers. Don't you think so?\r\nI'm sure we'd agree \u{1F600} it was a \u{2019}90s \
            idea, and prices fell 7.2% in Q2'24.\r\n\r\n- Fast, simple, and secure\r\n- You'll \
            love it!!\r\n\r\nBest,\r\nAlex\r\n";
        let doc = Document::parse(draft);
        let mut stats = Stats::default();
        let shape = super::walk(&doc, ScopeSet::BODY, Some(&mut stats));
        assert_eq!(
            stats,
            Stats::of(&doc, ScopeSet::BODY),
            "the same counts as a walk of their own"
        );
        let alone = super::walk(&doc, ScopeSet::BODY, None);
        assert_eq!(
            format!("{shape:?}"),
            format!("{alone:?}"),
            "and the same shape"
        );

        // `3.5x`, `1,000`, `7.2` and `Q2'24` are one word each for the metrics: 36 in the
        // paragraphs, 39 with the greeting and sign-off, in 6 sentences (the list is one: only
        // the voice measures end a sentence at a list item's end), 2 about us and 2 about you.
        let figure = |m: Measure| stats.measure(m).map(|(v, _)| v);
        assert_eq!(figure(Measure::WordCount), Some(39.0));
        assert_eq!(figure(Measure::QuestionCount), Some(1.0));
        assert_eq!(figure(Measure::SentencesPerParagraph), Some(3.0));
        assert_eq!(figure(Measure::SelfFocus), Some(50.0));
        let grade = figure(Measure::ReadingGrade).unwrap();
        let want = 0.39 * (39.0 / 6.0) + 11.8 * (45.0 / 39.0) - 15.59;
        assert!((grade - want).abs() < 1e-12, "{grade}: 45 syllables");

        // The voice measures read the paragraphs only, and split those four: 40 words in 5
        // sentences (3, then 2 list items); 4 lines, 2 of them list items.
        assert_eq!(shape.words, 40);
        let expected = [
            (M::SentenceLength, Some(8.0)),
            (M::SentenceLengthSpread, Some(0.6937218462755804)),
            (M::ParagraphLength, Some(2.5)),
            (M::ParagraphLengthSpread, Some(0.2)),
            (M::ContractionRate, Some(1.0)),
            (M::FirstPersonPlural, Some(7.5)),
            (M::FirstPersonSingular, Some(2.5)),
            (M::SecondPerson, Some(5.0)),
            (M::QuestionShare, Some(0.2)),
            (M::ExclamationRate, Some(0.4)),
            (M::DashRate, Some(2.5)),
            (M::ListLines, Some(0.5)),
            (M::LabelledLines, Some(0.0)),
            (M::Tricolons, Some(0.2)),
            (M::LowercaseStarts, Some(0.0)),
            (M::EllipsisRate, Some(0.0)),
            (M::ParenthesisRate, Some(0.0)),
            (M::WordLength, Some(121.0 / 40.0)),
            (M::RepeatedPunctuation, Some(0.2)),
            (M::Emoticons, Some(0.0)),
            (M::ShoutedWords, Some(0.0)),
            (M::DroppedApostrophes, Some(0.0)),
            (M::ConjunctionStarts, Some(0.0)),
            (M::SemicolonRate, Some(0.0)),
            (M::CommaRate, Some(7.5)),
            (M::IntroductoryCommas, Some(0.2)),
            (M::ConjunctionCommas, Some(0.4)),
            (M::ParticipleRate, Some(0.0)),
            (M::Misspellings, Some(0.0)),
        ];
        for (m, want) in expected {
            let got = shape.figure(m);
            assert!(
                match (got, want) {
                    (Some(g), Some(w)) => (g - w).abs() < 1e-9,
                    (g, w) => g == w,
                },
                "{m:?}: {got:?}, expected {want:?}"
            );
        }
    }
}
