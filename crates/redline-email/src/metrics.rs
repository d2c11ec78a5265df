//! Metric rules: figures about a draft (length, questions, reading grade, paragraph density,
//! and how much it talks about "I/we" rather than "you").

use std::ops::Range;

use redline_rules::{Measure, Metric};
use redline_text::{Document, RegionKind, ScopeSet};
use unicode_segmentation::UnicodeSegmentation;

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

/// Measures `measure` over the regions of `doc` in `scopes`: the figure, and the span it is
/// about. `None` when the scopes hold no text.
pub fn measure(doc: &Document, measure: Measure, scopes: ScopeSet) -> Option<(f64, Range<usize>)> {
    let text = doc.text();
    let regions: Vec<_> = doc.regions_in(scopes).collect();
    let first = regions.first()?;
    let whole_span = first_line(text, first.span.clone());
    let sentences = || {
        regions.iter().flat_map(|r| {
            text[r.span.clone()]
                .split_sentence_bounds()
                .filter(|s| s.unicode_words().next().is_some())
        })
    };
    let words = || {
        regions
            .iter()
            .flat_map(|r| text[r.span.clone()].unicode_words())
    };
    let value = match measure {
        Measure::WordCount => words().count() as f64,
        Measure::QuestionCount => sentences()
            .filter(|s| {
                s.trim_end()
                    .trim_end_matches(['"', '\'', ')'])
                    .ends_with('?')
            })
            .count() as f64,
        Measure::ReadingGrade => {
            let n_sentences = sentences().count().max(1) as f64;
            let (n_words, syllables) = words().fold((0usize, 0usize), |(w, s), word| {
                (w + 1, s + syllables(word))
            });
            if n_words == 0 {
                return None;
            }
            let n_words = n_words as f64;
            0.39 * (n_words / n_sentences) + 11.8 * (syllables as f64 / n_words) - 15.59
        }
        Measure::SentencesPerParagraph => {
            let densest = regions
                .iter()
                .filter(|r| r.kind == RegionKind::Paragraph)
                .map(|r| {
                    let n = text[r.span.clone()]
                        .split_sentence_bounds()
                        .filter(|s| s.unicode_words().next().is_some())
                        .count();
                    (n, r.span.clone())
                })
                .max_by_key(|(n, span)| (*n, std::cmp::Reverse(span.start)))?;
            return Some((densest.0 as f64, first_line(text, densest.1)));
        }
        Measure::SelfFocus => {
            let (mut me, mut you) = (0usize, 0usize);
            for s in sentences() {
                let (m, y) = s.unicode_words().fold((0, 0), |(m, y), w| {
                    let w = w.to_lowercase();
                    (
                        m + usize::from(FIRST_PERSON.contains(&w.as_str())),
                        y + usize::from(SECOND_PERSON.contains(&w.as_str())),
                    )
                });
                if m > y {
                    me += 1;
                } else if y > m {
                    you += 1;
                }
            }
            if me + you == 0 {
                return None;
            }
            (100.0 * me as f64 / (me + you) as f64).round()
        }
    };
    Some((value, whole_span))
}

/// Evaluates a metric rule; `Some` when its figure crosses a bound.
pub(crate) fn evaluate(doc: &Document, metric: &Metric, scopes: ScopeSet) -> Option<Hit> {
    if metric.min_words > 0 {
        let text = doc.text();
        let words: usize = doc
            .regions_in(scopes)
            .map(|r| text[r.span.clone()].unicode_words().count())
            .sum();
        if words < metric.min_words {
            return None;
        }
    }
    let (value, span) = measure(doc, metric.measure, scopes)?;
    let limit = match (metric.above, metric.below) {
        (Some(a), _) if value > a => a,
        (_, Some(b)) if value < b => b,
        _ => return None,
    };
    Some(Hit { value, limit, span })
}

/// Fills `{value}` and `{limit}` in a metric rule's message.
pub(crate) fn interpolate(message: &str, measure: Measure, hit: &Hit) -> String {
    let show = |v: f64| match measure {
        Measure::ReadingGrade => format!("{v:.1}"),
        Measure::SelfFocus => format!("{v:.0}%"),
        _ => format!("{v:.0}"),
    };
    message
        .replace("{value}", &show(hit.value))
        .replace("{limit}", &show(hit.limit))
}

const FIRST_PERSON: &[&str] = &[
    "i", "i'm", "i've", "i'd", "i'll", "me", "my", "mine", "we", "we're", "we've", "we'd", "we'll",
    "us", "our", "ours",
];

const SECOND_PERSON: &[&str] = &[
    "you", "you're", "you've", "you'd", "you'll", "your", "yours",
];

/// The first line of `span`, trimmed: where a whole-draft finding points.
fn first_line(text: &str, span: Range<usize>) -> Range<usize> {
    let s = &text[span.clone()];
    let line = s.split('\n').next().unwrap_or(s).trim_end();
    span.start..span.start + line.len()
}

/// Syllables in an English word, by vowel groups (a standard readability heuristic).
fn syllables(word: &str) -> usize {
    let w = word.to_lowercase();
    let vowel = |c: char| matches!(c, 'a' | 'e' | 'i' | 'o' | 'u' | 'y');
    let mut count = 0;
    let mut prev = false;
    for c in w.chars() {
        let v = vowel(c);
        if v && !prev {
            count += 1;
        }
        prev = v;
    }
    if w.ends_with('e') && !w.ends_with("le") && count > 1 {
        count -= 1;
    }
    count.max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn self_focus_is_the_share_of_sentences_about_us() {
        let t = "We built a tool. Our team loves it. We think you will too. Your team is great.";
        assert_eq!(
            value(t, Measure::SelfFocus),
            67.0,
            "two about us, one about you, one tie"
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
    fn syllable_heuristic() {
        assert_eq!(syllables("make"), 1);
        assert_eq!(syllables("table"), 2);
        assert_eq!(syllables("organization"), 5);
    }
}
