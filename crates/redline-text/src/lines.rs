//! Byte offsets to human and editor positions.
//!
//! Findings carry byte offsets; people read 1-based lines and character columns, and LSP
//! clients want 0-based lines with UTF-16 (or UTF-8) columns. A line ends at `\n`, `\r\n` (one
//! break: the `\r` belongs to it, not to the line) or a lone `\r`, as the LSP spec and editors
//! count lines, so every output agrees with the editor.

/// The lines of `s`, each with its line break: what `split_inclusive('\n')` gives, found with
/// memchr (lines of mail are short, and the general searcher's set-up costs more than the
/// search).
#[inline]
pub fn lines_inclusive(s: &str) -> impl Iterator<Item = &str> {
    let mut rest = s;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let end = memchr::memchr(b'\n', rest.as_bytes()).map_or(rest.len(), |i| i + 1);
        let (line, after) = rest.split_at(end);
        rest = after;
        Some(line)
    })
}

/// A 1-based line and a 1-based column counted in characters (Unicode scalar values).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineCol {
    /// 1-based line number.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
}

/// The start offset of every line of a text, for position conversion in O(log lines).
#[derive(Debug, Clone)]
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    /// Indexes the line starts of `text`.
    pub fn new(text: &str) -> Self {
        LineIndex::of_bytes(text.as_bytes())
    }

    /// Indexes the line starts of raw input bytes, which need not be valid UTF-8 (a file as
    /// read, before decoding). A line ends at `\n`, `\r\n` or a lone `\r` (old Mac line ends),
    /// as editors and the LSP spec count lines, so every format's line and column are the
    /// ones an editor shows.
    pub fn of_bytes(bytes: &[u8]) -> Self {
        // Counted first, so a large file's index is allocated once at its size rather than
        // grown to up to twice that. Most text has no `\r` at all: it is searched for one byte.
        let starts = if memchr::memchr(b'\r', bytes).is_none() {
            let mut starts = Vec::with_capacity(1 + memchr::memchr_iter(b'\n', bytes).count());
            starts.push(0);
            starts.extend(memchr::memchr_iter(b'\n', bytes).map(|i| i + 1));
            starts
        } else {
            let ends = || {
                memchr::memchr2_iter(b'\n', b'\r', bytes)
                    .filter(|&i| bytes[i] == b'\n' || bytes.get(i + 1) != Some(&b'\n'))
            };
            let mut starts = Vec::with_capacity(1 + ends().count());
            starts.push(0);
            starts.extend(ends().map(|i| i + 1));
            starts
        };
        LineIndex { starts }
    }

    /// The number of lines (a text ending in `\n` has an empty last line).
    pub fn line_count(&self) -> usize {
        self.starts.len()
    }

    /// The 0-based line holding byte `offset`.
    pub fn line_of(&self, offset: usize) -> usize {
        self.starts.partition_point(|&s| s <= offset) - 1
    }

    /// The byte range of 0-based `line`, without its line break (`\n`, `\r\n` or a lone `\r`).
    pub fn line_span(&self, text: &str, line: usize) -> std::ops::Range<usize> {
        let start = self.starts[line];
        let Some(&next) = self.starts.get(line + 1) else {
            return start..text.len();
        };
        let bytes = text.as_bytes();
        let mut end = next;
        if bytes[end - 1] == b'\n' {
            end -= 1;
        }
        if end > start && bytes[end - 1] == b'\r' {
            end -= 1;
        }
        start..end
    }

    /// 1-based line and character column of byte `offset` (clamped to the text).
    pub fn line_col(&self, text: &str, offset: usize) -> LineCol {
        let at = self.resolve_one(text, offset, Unit::Chars);
        LineCol {
            line: at.line + 1,
            column: at.column + 1,
        }
    }

    /// 0-based line and UTF-16 column of byte `offset`, as LSP clients count by default.
    pub fn utf16_position(&self, text: &str, offset: usize) -> (u32, u32) {
        let at = self.resolve_one(text, offset, Unit::Utf16);
        (at.line as u32, at.column as u32)
    }

    /// 0-based line and UTF-8 (byte) column of byte `offset`, for clients that negotiate UTF-8.
    pub fn utf8_position(&self, text: &str, offset: usize) -> (u32, u32) {
        let at = self.resolve_one(text, offset, Unit::Utf8);
        (at.line as u32, at.column as u32)
    }

    fn resolve_one(&self, text: &str, offset: usize, unit: Unit) -> LinePos {
        let offset = floor_char_boundary(text, offset);
        self.resolve(text.as_bytes(), &[offset], unit)[0]
    }

    /// The positions of many byte offsets of one text, in the order given, found in one
    /// forward pass: the offsets are visited in sorted order and each line's columns are
    /// counted once, so resolving every finding of a document costs O(text + offsets ×
    /// log offsets) however many findings share a long line. This is the one place redline
    /// turns offsets into lines and columns (CLI output, the language server, pack errors).
    ///
    /// `text` is what the index was built from; it may be raw input bytes. Offsets are
    /// clamped to its length; a column counts the characters between the line start and the
    /// offset, a byte that is not UTF-8 as one (the Windows-1252 character it is read as).
    pub fn resolve(&self, text: &[u8], offsets: &[usize], unit: Unit) -> Vec<LinePos> {
        let mut order: Vec<usize> = (0..offsets.len()).collect();
        order.sort_unstable_by_key(|&i| offsets[i]);
        let mut out = vec![LinePos::default(); offsets.len()];
        // The cursor: a line, a byte offset in it, and the columns counted up to there.
        let (mut line, mut at, mut column) = (0, 0, 0);
        for i in order {
            let offset = offsets[i].min(text.len());
            if self
                .starts
                .get(line + 1)
                .is_some_and(|&next| next <= offset)
            {
                line = self.line_of(offset);
                at = self.starts[line];
                column = 0;
            }
            column += unit.count(&text[at..offset]);
            at = offset;
            out[i] = LinePos { line, column };
        }
        out
    }

    /// The byte offset of a 0-based line and UTF-8 column; `None` when the line does not
    /// exist. A column past the end of the line, or inside a character, is clamped.
    pub fn offset_of_utf8(&self, text: &str, line: u32, col: u32) -> Option<usize> {
        let line = line as usize;
        if line >= self.starts.len() {
            return None;
        }
        let span = self.line_span(text, line);
        Some(floor_char_boundary(
            text,
            (span.start + col as usize).min(span.end),
        ))
    }

    /// The byte offset of a 0-based line and UTF-16 column; `None` when the line does not
    /// exist. A column past the end of the line, or inside a surrogate pair, is clamped.
    pub fn offset_of_utf16(&self, text: &str, line: u32, col: u32) -> Option<usize> {
        let line = line as usize;
        if line >= self.starts.len() {
            return None;
        }
        let span = self.line_span(text, line);
        let mut units = 0usize;
        for (i, c) in text[span.clone()].char_indices() {
            if units >= col as usize {
                return Some(span.start + i);
            }
            units += c.len_utf16();
        }
        Some(span.end)
    }
}

/// How a column counts the text before it on its line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// Characters (Unicode scalar values), as people and SARIF count.
    Chars,
    /// UTF-16 code units, as LSP clients count by default.
    Utf16,
    /// Bytes, for LSP clients that negotiate UTF-8.
    Utf8,
}

impl Unit {
    /// How many of these units the UTF-8 `bytes` hold. A byte that is not part of a UTF-8
    /// character counts as the one Windows-1252 character it is read as (one unit), as the
    /// decoded text shows it.
    pub fn count(self, bytes: &[u8]) -> usize {
        let lead = |&&b: &&u8| (b as i8) >= -0x40;
        match self {
            Unit::Utf8 => bytes.len(),
            _ if bytes.is_ascii() => bytes.len(),
            Unit::Chars => bytes
                .utf8_chunks()
                .map(|c| c.valid().bytes().filter(|b| lead(&b)).count() + c.invalid().len())
                .sum(),
            // Four-byte sequences are surrogate pairs: two units.
            Unit::Utf16 => bytes
                .utf8_chunks()
                .map(|c| {
                    c.valid()
                        .bytes()
                        .filter(|b| lead(&b))
                        .map(|b| 1 + usize::from(b >= 0xF0))
                        .sum::<usize>()
                        + c.invalid().len()
                })
                .sum(),
        }
    }
}

/// A 0-based line and a 0-based column in some [`Unit`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LinePos {
    /// 0-based line.
    pub line: usize,
    /// 0-based column.
    pub column: usize,
}

/// The largest char boundary of `text` at or below `offset`.
fn floor_char_boundary(text: &str, offset: usize) -> usize {
    let mut o = offset.min(text.len());
    while !text.is_char_boundary(o) {
        o -= 1;
    }
    o
}

/// `s` on one line: every run of white space, line breaks included, as one space, and none at
/// the ends. For showing wrapped prose or a multi-line match where one line fits.
pub fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `s` safe to print on a terminal: control characters (ESC, BEL, a carriage return, …) are
/// shown escaped (`\u{1b}`), so a file name cannot move the cursor, recolour the screen or
/// hide the text before it.
pub fn printable(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.chars().any(char::is_control) {
        return s.into();
    }
    s.chars()
        .map(|c| {
            if c.is_control() {
                c.escape_unicode().to_string()
            } else {
                c.to_string()
            }
        })
        .collect::<String>()
        .into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_split_as_split_inclusive_splits_them() {
        for s in [
            "",
            "\n",
            "a",
            "a\n",
            "a\nb",
            "a\r\n\r\nb\n",
            "\n\nx\n\n",
            "é\n🙂\tz",
        ] {
            let ours: Vec<&str> = lines_inclusive(s).collect();
            let std: Vec<&str> = s.split_inclusive('\n').collect();
            assert_eq!(ours, std, "{s:?}");
        }
    }

    #[test]
    fn control_characters_are_shown_escaped() {
        assert_eq!(printable("drafts/a b.txt"), "drafts/a b.txt");
        assert_eq!(printable("x\u{1b}[31my\r.txt"), "x\\u{1b}[31my\\u{d}.txt");
    }

    #[test]
    fn bytes_that_are_not_utf8_count_as_the_windows_1252_character_they_show_as() {
        for (bytes, chars) in [
            (&b"In today\x92s"[..], 10),
            (b"\x92\x93x", 3),
            (b"a\xe2\x80b", 4),
            (b"\xf0\x9f\x98\x80 \xff", 3),
            (b"\xf0\x9f\x98 \xe9", 5),
        ] {
            let (shown, _) = crate::Charset::Utf8.decode(bytes, crate::Origin::At(0));
            assert_eq!(Unit::Chars.count(bytes), chars, "{bytes:?}");
            assert_eq!(Unit::Chars.count(bytes), shown.chars().count(), "{bytes:?}");
            assert_eq!(
                Unit::Utf16.count(bytes),
                shown.encode_utf16().count(),
                "{bytes:?}"
            );
        }
    }

    #[test]
    fn columns_count_characters_and_utf16_units() {
        let text = "a\r\n😀 é\tx";
        let idx = LineIndex::new(text);
        let x = text.find('x').unwrap();
        assert_eq!(idx.line_col(text, x), LineCol { line: 2, column: 5 });
        assert_eq!(idx.utf16_position(text, x), (1, 5));
        assert_eq!(idx.offset_of_utf16(text, 1, 5), Some(x));
        assert_eq!(idx.utf8_position(text, x), (1, 8));
        assert_eq!(idx.offset_of_utf8(text, 1, 8), Some(x));
        assert_eq!(
            idx.offset_of_utf8(text, 1, 2),
            Some(3),
            "inside 😀 clamps to its start"
        );
        assert_eq!(
            idx.offset_of_utf16(text, 1, 1),
            Some(text.find(" é").unwrap())
        );
    }

    #[test]
    fn resolving_many_offsets_in_one_pass_agrees_with_one_at_a_time() {
        let text = "ab 😀 cd\r\nsecond 😀 line\n\nlast é";
        let idx = LineIndex::new(text);
        let offsets: Vec<usize> = (0..=text.len())
            .rev()
            .filter(|&o| text.is_char_boundary(o))
            .collect();
        let chars = idx.resolve(text.as_bytes(), &offsets, Unit::Chars);
        let utf16 = idx.resolve(text.as_bytes(), &offsets, Unit::Utf16);
        for (i, &o) in offsets.iter().enumerate() {
            let one = idx.line_col(text, o);
            assert_eq!(
                (chars[i].line + 1, chars[i].column + 1),
                (one.line, one.column)
            );
            let (l, c) = idx.utf16_position(text, o);
            assert_eq!((utf16[i].line as u32, utf16[i].column as u32), (l, c));
        }
    }

    #[test]
    fn raw_bytes_count_a_stray_lead_byte_as_one_character() {
        let bytes = b"a\n\xe9x y";
        let idx = LineIndex::of_bytes(bytes);
        let at = idx.resolve(bytes, &[3, 5, 99], Unit::Chars);
        assert_eq!(at[0], LinePos { line: 1, column: 1 });
        assert_eq!(at[1], LinePos { line: 1, column: 3 });
        assert_eq!(at[2], LinePos { line: 1, column: 4 }, "clamped to the end");
    }

    #[test]
    fn lines_end_at_a_lone_cr_too() {
        // Lines as an editor shows them: LF, CRLF (one break), lone CR, and a CR before CRLF.
        let text = "a\tb\r😀 c\r\nd\ne\r\r\nf\r";
        let idx = LineIndex::new(text);
        let lines: Vec<&str> = (0..idx.line_count())
            .map(|l| &text[idx.line_span(text, l)])
            .collect();
        assert_eq!(lines, ["a\tb", "😀 c", "d", "e", "", "f", ""]);
        let c = text.find('c').unwrap();
        assert_eq!(
            idx.utf16_position(text, c),
            (1, 3),
            "the emoji is two units"
        );
        assert_eq!(idx.utf8_position(text, c), (1, 5));
        assert_eq!(idx.offset_of_utf16(text, 1, 3), Some(c));
        assert_eq!(
            idx.offset_of_utf16(text, 1, 99),
            Some(c + 1),
            "clamped before CRLF"
        );
        let f = text.find('f').unwrap();
        assert_eq!(idx.utf16_position(text, f), (5, 0));
        assert_eq!(idx.offset_of_utf8(text, 6, 0), Some(text.len()));
        // Every offset maps to a position and back to itself, but the LF of a CRLF (inside
        // the line break, where no editor position is).
        for (o, _) in text.char_indices() {
            if text.as_bytes()[..=o].ends_with(b"\r\n") {
                continue;
            }
            let (l, col) = idx.utf16_position(text, o);
            assert_eq!(idx.offset_of_utf16(text, l, col), Some(o), "offset {o}");
        }
        // Raw bytes (not UTF-8) are indexed alike.
        assert_eq!(LineIndex::of_bytes(b"a\rb\xff\r\nc").line_count(), 3);
    }

    #[test]
    fn line_span_excludes_crlf() {
        let text = "one\r\ntwo\n";
        let idx = LineIndex::new(text);
        assert_eq!(&text[idx.line_span(text, 0)], "one");
        assert_eq!(&text[idx.line_span(text, 1)], "two");
        assert_eq!(idx.line_count(), 3);
        assert_eq!(idx.offset_of_utf16(text, 9, 0), None);
        assert_eq!(idx.offset_of_utf16(text, 0, 99), Some(3));
    }
}
