//! Pattern rules: regular expressions over the normalised text, run only near their anchors.
//!
//! Normalising a whole draft costs a copy; most drafts contain no pattern's literal at all. So
//! each pattern's required literals (the prefixes or suffixes every match must have, extracted
//! from the regex) join the phrase automaton as *anchors*; the regex then runs over the
//! normalised text of a window around each anchor found. A match may extend at most
//! [`WINDOW`] bytes beyond its anchor. Patterns without a usable literal run over the whole
//! normalised text instead.
//!
//! When the windows of a check would cover the draft anyway (a short draft, several pattern
//! rules with overlapping windows), the draft is normalised once ([`Folded`]) and each window's
//! normalised text is a slice of that, except where a window's edge cuts a whitespace run,
//! whose folding depends on what lies outside the window: that window is normalised alone.
//! Either way a window's regex sees exactly the text it saw normalised on its own.

use std::cell::OnceCell;
use std::ops::Range;

use redline_rules::Pattern;
use redline_text::Normalized;

/// How far around an anchor a match may reach, in bytes of the original text.
pub const WINDOW: usize = 256;

/// One check's text as pattern rules see it: normalised once for the whole text when asked,
/// and for windows when they would cover most of it.
pub struct Folded<'t> {
    text: &'t str,
    whole: OnceCell<Normalized>,
    /// Whether windows are taken from the whole text's normalisation.
    share: bool,
}

impl<'t> Folded<'t> {
    /// `text`, about to be searched in windows around `anchors` anchors in all: the whole text
    /// is normalised once for them when their windows add up to at least its length.
    pub fn new(text: &'t str, anchors: usize) -> Self {
        Folded {
            text,
            whole: OnceCell::new(),
            share: anchors.saturating_mul(2 * WINDOW) >= text.len(),
        }
    }

    fn whole(&self) -> &Normalized {
        self.whole
            .get_or_init(|| redline_text::normalize(self.text))
    }

    /// Matches of `re` in windows around `anchors` (spans in the text), deduplicated, in order.
    pub fn find_near(&self, re: &Pattern, anchors: &[Range<usize>]) -> Vec<Range<usize>> {
        let text = self.text;
        let mut windows: Vec<Range<usize>> = anchors
            .iter()
            .map(|a| {
                floor_boundary(text, a.start.saturating_sub(WINDOW))
                    ..ceil_boundary(text, (a.end + WINDOW).min(text.len()))
            })
            .collect();
        windows.sort_by_key(|w| w.start);
        let mut merged: Vec<Range<usize>> = Vec::with_capacity(windows.len());
        for w in windows {
            match merged.last_mut() {
                Some(last) if w.start <= last.end => last.end = last.end.max(w.end),
                _ => merged.push(w),
            }
        }
        let mut spans: Vec<Range<usize>> = Vec::new();
        for w in merged {
            let sliced = if self.share {
                let whole = self.whole();
                whole
                    .slice_of(text, w.clone())
                    .map(|(at, folded)| (whole, at, folded))
            } else {
                None
            };
            match sliced {
                Some((whole, at, folded)) => spans.extend(matches(text, re, whole, at, folded)),
                None => {
                    let base = w.start;
                    let alone = redline_text::normalize(&text[w.clone()]);
                    spans.extend(
                        matches(&text[w], re, &alone, 0, &alone.text)
                            .map(|s| base + s.start..base + s.end),
                    );
                }
            }
        }
        spans.dedup();
        spans
    }

    /// Matches of `re` over the whole normalised text.
    pub fn find_all(&self, re: &Pattern) -> Vec<Range<usize>> {
        let whole = self.whole();
        matches(self.text, re, whole, 0, &whole.text).collect()
    }
}

/// Matches of `re` in `folded`, which starts at offset `at` of `normalized` (the normalisation
/// of `text`), as spans of `text`, trimmed so they start and end on characters rather than on
/// a folded whitespace run.
fn matches<'a>(
    text: &'a str,
    re: &'a Pattern,
    normalized: &'a Normalized,
    at: usize,
    folded: &'a str,
) -> impl Iterator<Item = Range<usize>> + 'a {
    re.find_iter(folded)
        .map(move |m| {
            let span = normalized.map.span_to_original(at + m.start..at + m.end);
            let s = &text[span.clone()];
            let start = span.start + (s.len() - s.trim_start().len());
            let end = span.end - (s.len() - s.trim_end().len());
            start..end.max(start)
        })
        .filter(|s| !s.is_empty())
}

fn floor_boundary(text: &str, mut i: usize) -> usize {
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn ceil_boundary(text: &str, mut i: usize) -> usize {
    while !text.is_char_boundary(i) {
        i += 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_matches_near_anchors_with_exact_spans() {
        let re = Pattern::new(r"quick \d+-minute call").unwrap();
        let text = "Intro.\r\n\r\nOpen to a Quick 15\u{2011}minute\r\ncall? Thanks";
        let anchor = text.find("call").unwrap();
        let anchors = [std::ops::Range {
            start: anchor,
            end: anchor + 4,
        }];
        for anchors_in_check in [1, 10_000] {
            let spans = Folded::new(text, anchors_in_check).find_near(&re, &anchors);
            assert_eq!(spans.len(), 1);
            assert_eq!(&text[spans[0].clone()], "Quick 15\u{2011}minute\r\ncall");
        }
    }
}
