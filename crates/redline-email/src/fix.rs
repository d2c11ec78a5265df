//! Turning a rule's mechanical fix into a text edit on the draft.

use std::ops::Range;

use redline_rules::{Edit, Fix};
use redline_text::{Document, SentenceEnd};

/// The edit for a finding at `span`: a per-phrase replacement wins over the rule's fix.
pub fn edit(
    doc: &Document,
    span: Range<usize>,
    fix: Option<&Fix>,
    phrase_replacement: Option<&String>,
) -> Option<Edit> {
    let text = doc.text();
    if let Some(r) = phrase_replacement {
        return Some(replace(text, span, r));
    }
    match fix? {
        Fix::Replace(r) => Some(replace(text, span, r)),
        Fix::Delete => Some(delete(text, span)),
        Fix::DeleteSentence => Some(delete_sentence(doc, span)),
    }
}

/// Replaces the match, following its capitalisation (`Leverage` → `Use`, `LEVERAGE` → `USE`).
fn replace(text: &str, span: Range<usize>, with: &str) -> Edit {
    let matched = &text[span.clone()];
    let letters: Vec<char> = matched.chars().filter(|c| c.is_alphabetic()).collect();
    let replacement = if letters.len() > 1 && letters.iter().all(|c| c.is_uppercase()) {
        with.to_uppercase()
    } else if letters.first().is_some_and(|c| c.is_uppercase()) {
        let mut chars = with.chars();
        chars.next().map_or_else(String::new, |first| {
            first.to_uppercase().chain(chars).collect()
        })
    } else {
        with.to_string()
    };
    Edit { span, replacement }
}

/// Removes the match and one side's spaces: those before it when it ends its line or is
/// followed by a stop (`just.` → `.` keeps no space before the stop), else those after it.
/// At the end of a line the spaces on both sides go, so no trailing space is left; line
/// breaks are never removed.
fn delete(text: &str, span: Range<usize>) -> Edit {
    let rest = &text[span.end..];
    let after = rest.len() - rest.trim_start_matches([' ', '\t']).len();
    let before = span.start - text[..span.start].trim_end_matches([' ', '\t']).len();
    let next = &rest[after..];
    let ends_line = next.is_empty() || next.starts_with(['\r', '\n']);
    let span = if ends_line {
        span.start - before..span.end + after
    } else if after > 0 && !next.starts_with(['.', '!', '?', ',', ';', ':']) {
        span.start..span.end + after
    } else {
        span.start - before..span.end
    };
    Edit {
        span,
        replacement: String::new(),
    }
}

/// Removes the sentence the match lies in (from the end of the previous sentence to the start
/// of the next, within the match's region); when that empties the region, its line breaks go
/// too. The sentence ends are the document's, found once, so a long region with many matches
/// is not read again for each.
fn delete_sentence(doc: &Document, span: Range<usize>) -> Edit {
    let text = doc.text();
    let Some(region) = doc.region_at(span.start).filter(|r| span.end <= r.span.end) else {
        return delete(text, span);
    };
    let region = region.span.clone();
    let Range { mut start, mut end } = sentence_around(doc.sentence_ends(), &region, &span);
    if start == region.start && end >= region.end {
        let rest = &text[end..];
        end += rest.len() - rest.trim_start_matches(['\r', '\n']).len();
    } else if start > line_start(text, start) {
        // A sentence after another on its line, and the last on it: the space between them
        // goes and the line break stays, so the line keeps no trailing space.
        let body_end = (start + text[start..end].trim_end().len()).max(span.end);
        let gap = &text[body_end..];
        let gap = &gap[..gap.len() - gap.trim_start_matches([' ', '\t']).len()];
        let next = &text[body_end + gap.len()..];
        if next.is_empty() || next.starts_with(['\r', '\n']) {
            start = text[..start].trim_end_matches([' ', '\t']).len();
            end = body_end + gap.len();
        }
    }
    Edit {
        span: start..end,
        replacement: String::new(),
    }
}

/// Where the line holding byte `at` starts.
fn line_start(text: &str, at: usize) -> usize {
    text[..at].rfind(['\r', '\n']).map_or(0, |n| n + 1)
}

/// The sentence that holds the match at `span`, without the whitespace around it: from the
/// end of the sentence before it in its paragraph (or region) to its own closing stop and
/// quotes, or to the paragraph's end when it has none. A rule's suggestions are rewrites of
/// this whole sentence, so this is the span a rewrite replaces. `None` when the match runs
/// past its region (a sentence never spans a paragraph break).
pub fn sentence_span(doc: &Document, span: Range<usize>) -> Option<Range<usize>> {
    let text = doc.text();
    let region = doc
        .region_at(span.start)
        .filter(|r| span.end <= r.span.end)?;
    let around = sentence_around(doc.sentence_ends(), &region.span, &span);
    let start = (around.end - text[around.start..around.end].trim_start().len()).min(span.start);
    let end = (start + text[start..around.end].trim_end().len()).max(span.end);
    Some(start..end)
}

/// From the end of the last sentence that ends in `region` before `span` to the end of the
/// first that ends after it, as the text within `region` reads: an end before `span` counts
/// when its stops and closing characters lie before it, and the whitespace after an end is cut
/// where `span` or `region` begins or ends. Both are binary searches: the ends are in order,
/// and so are their `closed` offsets.
fn sentence_around(
    ends: &[SentenceEnd],
    region: &Range<usize>,
    span: &Range<usize>,
) -> Range<usize> {
    let first = ends.partition_point(|e| e.stop < region.start);
    let before = ends.partition_point(|e| e.closed < span.start);
    let start = ends[first..before.max(first)]
        .last()
        .map_or(region.start, |e| e.next.min(span.start));
    // An end whose run reaches past the region leaves the sentence running to the region's end,
    // which is where its `next` is cut anyway.
    let end = ends[ends.partition_point(|e| e.stop < span.end)..]
        .first()
        .map_or(region.end, |e| e.next.min(region.end));
    start..end
}

#[cfg(test)]
mod tests {
    use super::*;

    fn apply(text: &str, e: &Edit) -> String {
        format!(
            "{}{}{}",
            &text[..e.span.start],
            e.replacement,
            &text[e.span.end..]
        )
    }

    #[test]
    fn replacement_follows_capitalisation() {
        let doc = Document::parse("Leverage it. LEVERAGE it.");
        let t = doc.text();
        let first = edit(&doc, 0..8, Some(&Fix::Replace("use".into())), None).unwrap();
        assert_eq!(apply(t, &first), "Use it. LEVERAGE it.");
        let second = edit(&doc, 13..21, Some(&Fix::Replace("use".into())), None).unwrap();
        assert_eq!(apply(t, &second), "Leverage it. USE it.");
    }

    /// [`sentence_around`] as first written: each end found by reading the region again.
    fn sentence_around_by_rereading(
        text: &str,
        region: &Range<usize>,
        span: &Range<usize>,
    ) -> Range<usize> {
        fn ends(s: &str) -> impl Iterator<Item = usize> + '_ {
            let bytes = s.as_bytes();
            s.match_indices(['.', '!', '?']).filter_map(move |(i, _)| {
                let mut j = i + 1;
                while j < bytes.len()
                    && matches!(bytes[j], b'.' | b'!' | b'?' | b'"' | b'\'' | b')')
                {
                    j += 1;
                }
                let ws = s[j..].len() - s[j..].trim_start().len();
                (ws > 0).then_some(j + ws)
            })
        }
        let start = ends(&text[region.start..span.start])
            .last()
            .map_or(region.start, |e| region.start + e);
        let end = ends(&text[span.end..region.end])
            .next()
            .map_or(region.end, |e| span.end + e);
        start..end
    }

    #[test]
    fn sentence_ends_found_once_are_those_found_by_rereading() {
        const PIECES: [&str; 12] = [
            "a", "bc ", ". ", "! ", "?", "\"", ")", " ", "\n", "\r\n", "\n\n", "é.",
        ];
        let mut rng = redline_synth::Rng::new(7);
        let mut next = |below: usize| rng.below(below);
        let mut compared = 0;
        for _ in 0..3_000 {
            let text: String = (0..next(40)).map(|_| PIECES[next(PIECES.len())]).collect();
            let doc = Document::parse(&text);
            let bounds: Vec<usize> = (0..=text.len())
                .filter(|&i| text.is_char_boundary(i))
                .collect();
            let ends = doc.sentence_ends();
            for _ in 0..10 {
                let (a, b) = (bounds[next(bounds.len())], bounds[next(bounds.len())]);
                let span = a.min(b)..a.max(b);
                for region in [0..text.len(), span.start..text.len(), 0..span.end] {
                    let got = sentence_around(ends, &region, &span);
                    let want = sentence_around_by_rereading(&text, &region, &span);
                    assert_eq!(got, want, "{text:?} at {span:?} in {region:?}");
                    compared += 1;
                }
            }
        }
        assert_eq!(compared, 90_000);
    }

    #[test]
    fn delete_sentence_removes_the_sentence_or_the_paragraph() {
        let text = "Hi Dana,\r\n\r\nI hope this finds you well. Saw the news.\r\n";
        let doc = Document::parse(text);
        let at = text.find("I hope").unwrap();
        let e = edit(&doc, at..at + 26, Some(&Fix::DeleteSentence), None).unwrap();
        assert_eq!(apply(text, &e), "Hi Dana,\r\n\r\nSaw the news.\r\n");

        let text = "Hi Dana,\n\nI hope this finds you well.\n\nSaw the news.\n";
        let doc = Document::parse(text);
        let at = text.find("I hope").unwrap();
        let e = edit(&doc, at..at + 26, Some(&Fix::DeleteSentence), None).unwrap();
        assert_eq!(apply(text, &e), "Hi Dana,\n\nSaw the news.\n");
    }

    #[test]
    fn sentence_span_is_the_sentence_with_its_stop_within_its_paragraph() {
        let text = "Hi Dana,\r\n\r\nGood to meet you 😀. Would you be open to a call? Thanks.\r\n\r\nNo stop here\r\n";
        let doc = Document::parse(text);
        let of = |phrase: &str| {
            let at = text.find(phrase).unwrap();
            sentence_span(&doc, at..at + phrase.len()).map(|s| &text[s])
        };
        assert_eq!(of("open to a call"), Some("Would you be open to a call?"));
        assert_eq!(of("meet you"), Some("Good to meet you 😀."));
        assert_eq!(of("stop"), Some("No stop here"));
    }

    #[test]
    fn deleting_the_last_sentence_of_a_line_takes_the_space_before_it() {
        let text = "Hi Sam,\r\n\r\nThanks for the call. I hope this finds you well 😀.\r\nSaw the news. I hope this finds you well.\nMore.\r\n";
        let doc = Document::parse(text);
        let mut out = text.to_string();
        let ats: Vec<usize> = text.match_indices("I hope").map(|(n, _)| n).collect();
        for &at in ats.iter().rev() {
            let e = edit(&doc, at..at + 26, Some(&Fix::DeleteSentence), None).unwrap();
            out = apply(&out, &e);
        }
        assert_eq!(
            out,
            "Hi Sam,\r\n\r\nThanks for the call.\r\nSaw the news.\nMore.\r\n"
        );
    }

    #[test]
    fn deleting_a_phrase_at_the_end_of_a_line_leaves_no_trailing_space() {
        let doc = Document::parse("I am here just \r\nand just.");
        let first = edit(&doc, 10..14, Some(&Fix::Delete), None).unwrap();
        assert_eq!(apply(doc.text(), &first), "I am here\r\nand just.");
        let second = edit(&doc, 21..25, Some(&Fix::Delete), None).unwrap();
        assert_eq!(apply(doc.text(), &second), "I am here just \r\nand.");
    }

    #[test]
    fn delete_takes_the_following_space() {
        let doc = Document::parse("I am just following up.");
        let e = edit(&doc, 5..9, Some(&Fix::Delete), None).unwrap();
        assert_eq!(apply(doc.text(), &e), "I am following up.");
    }
}
