//! Pattern rules: regular expressions over the normalised text, run only near their anchors.
//!
//! Normalising a whole draft costs a copy; most drafts contain no pattern's literal at all. So
//! each pattern's required literals (the prefixes or suffixes every match must have, extracted
//! from the regex) join the phrase automaton as *anchors*; the regex then runs over the
//! normalised text of a window around each anchor found. A match may extend at most
//! [`WINDOW`] bytes beyond its anchor. A pattern without a usable literal whose every match
//! starts with a punctuation byte folding never makes (`[`) is searched the same way from each
//! occurrence of those bytes (the linter finds them); the rest run over the whole normalised
//! text.
//!
//! When the windows of a check would cover the stretch of the draft they lie in anyway (a
//! short draft, several pattern rules with overlapping windows), that stretch is normalised
//! once ([`Folded`]) and each window's normalised text is a slice of it, except where a
//! window's edge cuts a whitespace run, whose folding depends on what lies outside the window:
//! that window is normalised alone. Either way a window's regex sees exactly the text it saw
//! normalised on its own. The stretch runs from the first window's start to the last one's
//! end, so the headers and quoted text before and after the anchors are never folded.

use std::cell::OnceCell;
use std::ops::Range;

use redline_rules::Pattern;
use redline_text::Normalized;

/// How far around an anchor a match may reach, in bytes of the original text.
pub const WINDOW: usize = 256;

/// One check's text as pattern rules see it: normalised once for the whole text when asked,
/// and once for the stretch the windows lie in when they would cover most of it.
pub struct Folded<'t> {
    text: &'t str,
    whole: OnceCell<Normalized>,
    /// The stretch every window lies in, when windows are taken from its normalisation.
    stretch: Option<Range<usize>>,
    stretched: OnceCell<Normalized>,
}

impl<'t> Folded<'t> {
    /// `text`, about to be searched in windows around `anchors` (every pattern's anchors in
    /// the check, one list per pattern), which are turned into that pattern's windows in place
    /// for [`Folded::find_near`]: the stretch from the first window to the last is normalised
    /// once for them when their windows, pattern by pattern, add up to at least its length.
    pub fn new<'a>(
        text: &'t str,
        anchors: impl IntoIterator<Item = &'a mut Vec<Range<usize>>>,
    ) -> Self {
        let (mut covered, mut first, mut last) = (0usize, usize::MAX, 0);
        for list in anchors {
            *list = windows(text, list);
            covered += list.iter().map(Range::len).sum::<usize>();
            if let (Some(a), Some(b)) = (list.first(), list.last()) {
                first = first.min(a.start);
                last = last.max(b.end);
            }
        }
        Folded {
            text,
            whole: OnceCell::new(),
            stretch: (first < last && covered >= last - first).then_some(first..last),
            stretched: OnceCell::new(),
        }
    }

    fn whole(&self) -> &Normalized {
        self.whole
            .get_or_init(|| redline_text::normalize(self.text))
    }

    /// Matches of `re` in `windows` (a pattern's windows, as [`Folded::new`] made them from its
    /// anchors), deduplicated, in order.
    pub fn find_near(&self, re: &Pattern, windows: &[Range<usize>]) -> Vec<Range<usize>> {
        let text = self.text;
        let mut spans: Vec<Range<usize>> = Vec::new();
        for w in windows.iter().cloned() {
            let sliced = self.stretch.as_ref().and_then(|stretch| {
                let part = &text[stretch.clone()];
                let normalized = self.stretched.get_or_init(|| redline_text::normalize(part));
                normalized
                    .slice_of(part, w.start - stretch.start..w.end - stretch.start)
                    .map(|(at, folded)| (stretch.start, part, normalized, at, folded))
            });
            match sliced {
                Some((base, part, normalized, at, folded)) => spans.extend(
                    matches(part, re, normalized, at, folded).map(|s| base + s.start..base + s.end),
                ),
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

/// The windows around `anchors`, [`WINDOW`] bytes either side of each (widened to character
/// boundaries), overlapping ones merged, in order.
fn windows(text: &str, anchors: &[Range<usize>]) -> Vec<Range<usize>> {
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
    merged
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
        // The window normalised alone (no stretch was planned), and as a slice of the stretch
        // that Folded::new planned from the anchors.
        let alone = Folded::new(text, std::iter::empty());
        let mut planned = anchors.to_vec();
        let shared = Folded::new(text, std::iter::once(&mut planned));
        assert!(alone.stretch.is_none() && shared.stretch.is_some());
        for spans in [
            alone.find_near(&re, &windows(text, &anchors)),
            shared.find_near(&re, &planned),
        ] {
            assert_eq!(spans.len(), 1);
            assert_eq!(&text[spans[0].clone()], "Quick 15\u{2011}minute\r\ncall");
        }
    }
}
