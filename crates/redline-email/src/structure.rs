//! Structure rules: a list introduced by a line such as "With our platform, you can:".

use std::ops::Range;

use redline_rules::Structure;

/// A run of list items (blank lines may separate them), with the line that may introduce it.
pub struct List {
    /// The nearer non-blank of the two lines before the first item.
    intro: Option<Range<usize>>,
    /// The last item's line.
    last: Range<usize>,
    /// How many items.
    items: usize,
}

/// Every list in `text`: found once per check, in one pass over its lines, and shared by
/// every structure rule. Only the lists are kept, not the lines (a line table of a large
/// draft takes megabytes).
pub fn lists(text: &str) -> Vec<List> {
    let mut out = Vec::new();
    // The two lines before the current one, the nearer first.
    let mut before: [Option<Range<usize>>; 2] = [None, None];
    let mut open: Option<List> = None;
    let mut at = 0;
    for piece in redline_text::lines_inclusive(text) {
        let line = match piece.strip_suffix('\n') {
            Some(line) => line.strip_suffix('\r').unwrap_or(line),
            None => piece,
        };
        let span = at..at + line.len();
        at += piece.len();
        if is_item(line) {
            match &mut open {
                Some(list) => {
                    list.items += 1;
                    list.last = span.clone();
                }
                None => {
                    let intro = before
                        .iter()
                        .flatten()
                        .find(|r| !is_blank(&text[(*r).clone()]));
                    open = Some(List {
                        intro: intro.cloned(),
                        last: span.clone(),
                        items: 1,
                    });
                }
            }
        } else if !is_blank(line) {
            out.extend(open.take());
        }
        before = [Some(span), before[0].take()];
    }
    out.extend(open);
    out
}

/// The spans (intro line through last item) where `rule`'s intro is followed by a list of at
/// least `min_items` items; `lists` are the [`lists`] of `text`.
pub fn find(text: &str, lists: &[List], rule: &Structure) -> Vec<Range<usize>> {
    lists
        .iter()
        .filter(|list| list.items >= rule.min_items)
        .filter_map(|list| {
            let intro = list.intro.clone()?;
            let line = &text[intro.clone()];
            let matches = rule
                .intro
                .is_match(redline_text::normalize(line.trim()).text.trim());
            let start = intro.start + (line.len() - line.trim_start().len());
            let end = list.last.start + text[list.last.clone()].trim_end().len();
            matches.then_some(start..end)
        })
        .collect()
}

/// Whether a line holds nothing but whitespace; decided by its first byte that is not ASCII
/// whitespace, nearly always a plain character.
fn is_blank(line: &str) -> bool {
    match line.bytes().find(|b| !b.is_ascii_whitespace()) {
        None => true,
        // U+000B is whitespace to `trim` but not to `is_ascii_whitespace`.
        Some(b) if b.is_ascii() && b != 0x0B => false,
        Some(_) => line.trim().is_empty(),
    }
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
        find(text, &lists(text), &rule())
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
    fn blank_lines_keep_a_list_and_its_intro_but_a_sentence_ends_it() {
        let text =
            "With our platform, you can:\n\n- track deals\n\n- forecast\nThanks!\n- one more\n";
        let found = spans(text);
        assert_eq!(found.len(), 1);
        assert_eq!(
            &text[found[0].clone()],
            "With our platform, you can:\n\n- track deals\n\n- forecast"
        );
        let three_above = "With our platform, you can:\n\n\n- track deals\n- forecast\n";
        assert!(
            spans(three_above).is_empty(),
            "the intro is at most two lines up"
        );
        let bare_dashes = "With our platform, you can:\r\n-\r\n-\r\n";
        assert!(spans(bare_dashes).is_empty(), "a dash alone is not an item");
    }

    #[test]
    fn lines_of_unicode_whitespace_are_blank_like_empty_ones() {
        for gap in ["\u{a0}", "\u{b}", " \t", "\u{2003}\u{3000}"] {
            let text =
                format!("With our platform, you can:\n{gap}\n- track deals\n{gap}\n- forecast\n");
            let found = spans(&text);
            assert_eq!(found.len(), 1, "{gap:?}");
            assert!(text[found[0].clone()].ends_with("- forecast"), "{gap:?}");
        }
        assert!(
            is_blank("") && is_blank(" \u{85}\u{a0}") && !is_blank(" x") && !is_blank("\u{e9}")
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
