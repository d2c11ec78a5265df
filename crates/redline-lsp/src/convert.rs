//! Byte offsets to and from LSP positions, in the encoding negotiated with the client.

use redline_text::{LineIndex, LinePos, Unit};
use tower_lsp_server::ls_types::{Position, Range, TextDocumentContentChangeEvent};

/// How the client counts columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Encoding {
    /// UTF-16 code units (the LSP default).
    #[default]
    Utf16,
    /// UTF-8 bytes.
    Utf8,
}

/// The LSP position of byte `offset` in `text`.
pub fn position(text: &str, index: &LineIndex, offset: usize, enc: Encoding) -> Position {
    let (line, character) = match enc {
        Encoding::Utf16 => index.utf16_position(text, offset),
        Encoding::Utf8 => index.utf8_position(text, offset),
    };
    Position { line, character }
}

/// The LSP range of a byte span.
pub fn range(text: &str, index: &LineIndex, span: std::ops::Range<usize>, enc: Encoding) -> Range {
    Range {
        start: position(text, index, span.start, enc),
        end: position(text, index, span.end, enc),
    }
}

/// The LSP ranges of many byte spans of `text`, in the order given, resolved in one pass over
/// the text (a document's diagnostics cost its length, not its length × findings).
pub fn ranges(
    text: &str,
    index: &LineIndex,
    spans: &[std::ops::Range<usize>],
    enc: Encoding,
) -> Vec<Range> {
    let unit = match enc {
        Encoding::Utf16 => Unit::Utf16,
        Encoding::Utf8 => Unit::Utf8,
    };
    let offsets: Vec<usize> = spans.iter().flat_map(|s| [s.start, s.end]).collect();
    let at = index.resolve(text.as_bytes(), &offsets, unit);
    let position = |p: LinePos| Position {
        line: p.line as u32,
        character: p.column as u32,
    };
    at.chunks_exact(2)
        .map(|pair| Range {
            start: position(pair[0]),
            end: position(pair[1]),
        })
        .collect()
}

/// The byte offset of an LSP position; `None` when the line does not exist. Columns past the
/// end of a line clamp to it.
pub fn offset(text: &str, index: &LineIndex, pos: Position, enc: Encoding) -> Option<usize> {
    match enc {
        Encoding::Utf16 => index.offset_of_utf16(text, pos.line, pos.character),
        Encoding::Utf8 => index.offset_of_utf8(text, pos.line, pos.character),
    }
}

/// The byte offset of an LSP position, a line past the end of the text clamping to its end
/// (for ranges a client computed over a longer version, or over "everything").
pub fn offset_clamped(text: &str, index: &LineIndex, pos: Position, enc: Encoding) -> usize {
    offset(text, index, pos, enc).unwrap_or(text.len())
}

/// Applies content changes in order; a change whose range is out of the text is refused, with
/// why (the text is then partly changed: apply to a copy).
pub fn apply_changes(
    text: &mut String,
    changes: Vec<TextDocumentContentChangeEvent>,
    enc: Encoding,
) -> Result<(), String> {
    for (n, change) in changes.into_iter().enumerate() {
        match change.range {
            None => *text = change.text,
            Some(r) => {
                let index = LineIndex::new(text);
                let at = |p: Position| {
                    offset(text, &index, p, enc).ok_or_else(|| {
                        format!(
                            "change {}: line {} is past the end of the draft ({} lines)",
                            n + 1,
                            p.line,
                            index.line_count()
                        )
                    })
                };
                let (start, end) = (at(r.start)?, at(r.end)?);
                if start > end {
                    return Err(format!("change {}: its range ends before it starts", n + 1));
                }
                text.replace_range(start..end, &change.text);
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf16_and_utf8_columns_round_trip_through_emoji_and_crlf() {
        let text = "Hi 😀\r\nI wanted to reach out";
        let index = LineIndex::new(text);
        let at = text.find("I wanted").unwrap();
        for enc in [Encoding::Utf16, Encoding::Utf8] {
            let p = position(text, &index, at, enc);
            assert_eq!(p.line, 1);
            assert_eq!(offset(text, &index, p, enc), Some(at));
        }
        let end_of_emoji = text.find('\r').unwrap();
        assert_eq!(
            position(text, &index, end_of_emoji, Encoding::Utf16).character,
            5
        );
        assert_eq!(
            position(text, &index, end_of_emoji, Encoding::Utf8).character,
            7
        );
    }

    #[test]
    fn incremental_changes_apply_and_bad_ranges_are_refused() {
        let mut text = "Hi 😀 there".to_string();
        let change = |l1, c1, l2, c2, t: &str| TextDocumentContentChangeEvent {
            range: Some(Range {
                start: Position {
                    line: l1,
                    character: c1,
                },
                end: Position {
                    line: l2,
                    character: c2,
                },
            }),
            range_length: None,
            text: t.to_string(),
        };
        assert_eq!(
            apply_changes(
                &mut text,
                vec![change(0, 6, 0, 11, "Dana")],
                Encoding::Utf16
            ),
            Ok(())
        );
        assert_eq!(text, "Hi 😀 Dana");
        assert_eq!(
            apply_changes(&mut text, vec![change(7, 0, 7, 1, "x")], Encoding::Utf16),
            Err("change 1: line 7 is past the end of the draft (1 lines)".into())
        );
        assert_eq!(text, "Hi 😀 Dana");
    }

    #[test]
    fn a_lone_cr_ends_a_line_as_the_editor_counts_and_crlf_stays_one_break() {
        // The editor's lines: "Hi 😀", "\tI wanted to", "reach out.", "Thanks".
        let text = "Hi 😀\r\tI wanted to\r\nreach out.\rThanks";
        let index = LineIndex::new(text);
        let at = text.find("I wanted").unwrap();
        let p = position(text, &index, at, Encoding::Utf16);
        assert_eq!((p.line, p.character), (1, 1), "after the tab");
        let thanks = text.find("Thanks").unwrap();
        for enc in [Encoding::Utf16, Encoding::Utf8] {
            let p = position(text, &index, thanks, enc);
            assert_eq!((p.line, p.character), (3, 0));
            assert_eq!(offset(text, &index, p, enc), Some(thanks));
        }
        let end_of_emoji = position(text, &index, text.find('\r').unwrap(), Encoding::Utf16);
        assert_eq!((end_of_emoji.line, end_of_emoji.character), (0, 5));

        // An edit on a line after a lone CR lands where the editor made it, byte for byte.
        let change = |line, c1, c2, t: &str| TextDocumentContentChangeEvent {
            range: Some(Range {
                start: Position {
                    line,
                    character: c1,
                },
                end: Position {
                    line,
                    character: c2,
                },
            }),
            range_length: None,
            text: t.to_string(),
        };
        let mut edited = text.to_string();
        let changes = vec![
            change(3, 0, 6, "Best"),
            change(0, 3, 5, "🚀"),
            change(2, 0, 5, ""),
        ];
        assert_eq!(apply_changes(&mut edited, changes, Encoding::Utf16), Ok(()));
        assert_eq!(edited, "Hi 🚀\r\tI wanted to\r\n out.\rBest");
    }
}
