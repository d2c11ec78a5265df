//! Structure rules: a list introduced by a line such as "With our platform, you can:".

use std::ops::Range;

use redline_rules::Structure;
use redline_text::LineIndex;

/// The byte range of each line of `text`, without its line break: split once per check and
/// shared by every structure rule.
pub fn lines(text: &str) -> Vec<Range<usize>> {
    let index = LineIndex::new(text);
    (0..index.line_count())
        .map(|l| index.line_span(text, l))
        .collect()
}

/// The spans (intro line through last item) where `rule`'s intro is followed by a list of at
/// least `min_items` items; `lines` are the [`lines`] of `text`.
pub fn find(text: &str, lines: &[Range<usize>], rule: &Structure) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        if !is_item(&text[lines[i].clone()]) {
            i += 1;
            continue;
        }
        let first = i;
        let mut last = i;
        let mut items = 0;
        while i < lines.len() {
            let line = &text[lines[i].clone()];
            if is_item(line) {
                items += 1;
                last = i;
            } else if !line.trim().is_empty() {
                break;
            }
            i += 1;
        }
        if items < rule.min_items {
            continue;
        }
        let intro = (0..first)
            .rev()
            .take(2)
            .find(|&j| !text[lines[j].clone()].trim().is_empty());
        if let Some(j) = intro {
            let line = text[lines[j].clone()].trim();
            if rule
                .intro
                .regex()
                .is_match(redline_text::normalize(line).text.trim())
            {
                let start = lines[j].start
                    + (text[lines[j].clone()].len() - text[lines[j].clone()].trim_start().len());
                out.push(start..lines[last].start + text[lines[last].clone()].trim_end().len());
            }
        }
    }
    out
}

/// A bulleted (`-`, `*`, `+`, `•`, `·`, `–`, `—`) or numbered (`1.`, `1)`, `a)`) list item.
fn is_item(line: &str) -> bool {
    let t = line.trim_start();
    let mut chars = t.chars();
    match chars.next() {
        Some('-' | '*' | '+' | '•' | '·' | '–' | '—' | '▪' | '◦') => {
            chars.next().is_some_and(char::is_whitespace)
        }
        Some(c) if c.is_ascii_digit() => {
            let digits = t.bytes().take_while(u8::is_ascii_digit).count();
            let rest = &t[digits..];
            digits <= 2 && (rest.starts_with(". ") || rest.starts_with(") "))
        }
        Some(c) if c.is_ascii_lowercase() => t[1..].starts_with(") "),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `rule()`'s spans in `text`.
    fn spans(text: &str) -> Vec<Range<usize>> {
        find(text, &lines(text), &rule())
    }

    fn rule() -> Structure {
        Structure {
            intro: redline_rules::Pattern::new("with our platform,? you can:?$").unwrap(),
            min_items: 2,
        }
    }

    #[test]
    fn finds_an_intro_followed_by_bullets() {
        let text = "Hi,\r\n\r\nWith our platform, you can:\r\n\r\n- track deals\r\n- forecast\r\n\r\nThanks";
        let spans = spans(text);
        assert_eq!(spans.len(), 1);
        let s = &text[spans[0].clone()];
        assert!(
            s.starts_with("With our platform") && s.ends_with("- forecast"),
            "{s:?}"
        );
    }

    #[test]
    fn a_list_without_the_intro_or_too_short_is_fine() {
        assert!(spans("Agenda:\n- one\n- two\n").is_empty());
        assert!(spans("With our platform, you can:\n1. one\n").is_empty());
        assert_eq!(
            spans("With our platform you can\n1. one\n2) two\n").len(),
            1
        );
    }
}
