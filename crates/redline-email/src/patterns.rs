//! Pattern rules: regular expressions over the normalised text, run only near their anchors.
//!
//! Normalising a whole draft costs a copy; most drafts contain no pattern's literal at all. So
//! each pattern's required literals (the prefixes or suffixes every match must have, extracted
//! from the regex) join the phrase automaton as *anchors*; the regex then runs over the
//! normalised text of a window around each anchor found. A match may extend at most
//! [`WINDOW`] bytes beyond its anchor. Patterns without a usable literal run over the whole
//! normalised text instead.

use std::ops::Range;

use regex::Regex;

/// How far around an anchor a match may reach, in bytes of the original text.
pub const WINDOW: usize = 256;

/// Matches of `re` in windows around `anchors` (spans in `text`), deduplicated, in order.
pub fn find_near(text: &str, re: &Regex, anchors: &[Range<usize>]) -> Vec<Range<usize>> {
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
    let mut spans: Vec<Range<usize>> = merged
        .into_iter()
        .flat_map(|w| {
            let base = w.start;
            find_all(&text[w], re)
                .into_iter()
                .map(move |s| base + s.start..base + s.end)
        })
        .collect();
    spans.dedup();
    spans
}

/// Matches of `re` over the whole normalised `text`, as spans of `text`, trimmed so they start
/// and end on characters rather than on a folded whitespace run.
pub fn find_all(text: &str, re: &Regex) -> Vec<Range<usize>> {
    let normalized = redline_text::normalize(text);
    re.find_iter(&normalized.text)
        .map(|m| {
            let span = normalized.map.span_to_original(m.range());
            let s = &text[span.clone()];
            let start = span.start + (s.len() - s.trim_start().len());
            let end = span.end - (s.len() - s.trim_end().len());
            start..end.max(start)
        })
        .filter(|s| !s.is_empty())
        .collect()
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
        let re = Regex::new(r"quick \d+-minute call").unwrap();
        let text = "Intro.\r\n\r\nOpen to a Quick 15\u{2011}minute\r\ncall? Thanks";
        let anchor = text.find("call").unwrap();
        let anchors = [std::ops::Range {
            start: anchor,
            end: anchor + 4,
        }];
        let spans = find_near(text, &re, &anchors);
        assert_eq!(spans.len(), 1);
        assert_eq!(&text[spans[0].clone()], "Quick 15\u{2011}minute\r\ncall");
    }
}
