//! A CSV quote left open. A CSV reader treats everything after an unmatched `"` as one field
//! up to the end of the file, so a single stray quote silently swallows every row after it.
//! Readers of CSV exports (the audit's outcomes, the pipeline's CRM exports) call this from
//! the last record's start to tell that apart from a legitimate multi-line field. Both also read
//! yes/no cells the same way ([`yes_no`]).

use std::io::{Read, Seek, SeekFrom};
use std::path::Path;

/// Where the quote that is still open at the end of `text` was opened, as a byte offset, when
/// `text` (a CSV record and everything after it) ends inside a quoted field. Quotes follow
/// RFC 4180: a field is quoted when it starts with `"`, and `""` inside it is a literal quote.
pub fn unclosed_quote(text: &[u8]) -> Option<usize> {
    let mut open = None;
    let mut field_start = true;
    let mut i = 0;
    while i < text.len() {
        let b = text[i];
        if open.is_some() {
            if b == b'"' {
                if text.get(i + 1) == Some(&b'"') {
                    i += 1;
                } else {
                    open = None;
                    field_start = false;
                }
            }
        } else {
            match b {
                b'"' if field_start => open = Some(i),
                b',' | b'\n' => field_start = true,
                b'\r' => {}
                _ => field_start = false,
            }
        }
        i += 1;
    }
    open
}

/// What a quote still open at the end of the CSV file at `path` did, given where its last
/// multi-line record starts (byte offset and line): the line where the quote opened and the
/// number of non-empty lines after it that it swallowed. `None` when the file cannot be read
/// again or no quote is open.
pub fn swallowed_by_open_quote(path: &Path, line: u64, byte: u64) -> Option<(u64, u64)> {
    let mut file = std::fs::File::open(path).ok()?;
    file.seek(SeekFrom::Start(byte)).ok()?;
    let mut tail = Vec::new();
    file.read_to_end(&mut tail).ok()?;
    swallowed_by_quote(&tail, line)
}

/// What an open quote did, given the bytes from the last record's start to the end of the
/// file and the line that record starts on.
fn swallowed_by_quote(tail: &[u8], first_line: u64) -> Option<(u64, u64)> {
    let at = unclosed_quote(tail)?;
    let line = first_line + tail[..at].iter().filter(|&&b| b == b'\n').count() as u64;
    let swallowed = tail[at..]
        .split(|&b| b == b'\n')
        .skip(1)
        .filter(|l| !l.iter().all(u8::is_ascii_whitespace))
        .count() as u64;
    Some((line, swallowed))
}

/// A yes/no cell of a CSV export, as CRMs and sequencers write it: `yes`/`no`, `y`/`n`,
/// `true`/`false` or `1`/`0`, in any case; `None` for anything else.
pub fn yes_no(cell: &str) -> Option<bool> {
    match cell.trim().to_ascii_lowercase().as_str() {
        "yes" | "y" | "true" | "1" => Some(true),
        "no" | "n" | "false" | "0" => Some(false),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn open_and_closed_quotes() {
        assert_eq!(unclosed_quote(b"a,b\nc,d\n"), None);
        assert_eq!(
            unclosed_quote(b"a,\"b\nstill b\",c\n"),
            None,
            "a closed multi-line field"
        );
        assert_eq!(
            unclosed_quote(b"a,\"say \"\"hi\"\"\",c\n"),
            None,
            "doubled quotes"
        );
        assert_eq!(
            unclosed_quote(b"a,b\"c,d\n"),
            None,
            "a quote inside a field is literal"
        );
        assert_eq!(unclosed_quote(b"a,\"b,c\nd,e\n"), Some(2));
        assert_eq!(
            unclosed_quote(b"\"a\"\"\n"),
            Some(0),
            "an escaped quote does not close"
        );
    }

    #[test]
    fn names_the_line_and_counts_the_rows_swallowed() {
        let tail = b"m3,1\nm4,\"1\nm5,0\nm6,1\n\n";
        assert_eq!(swallowed_by_quote(tail, 4), Some((5, 2)));
        assert_eq!(swallowed_by_quote(b"m3,1\nm4,0\n", 4), None);
    }

    #[test]
    fn yes_no_cells_read_the_way_exports_write_them() {
        for yes in ["yes", "Y", "TRUE", " 1 "] {
            assert_eq!(super::yes_no(yes), Some(true), "{yes}");
        }
        for no in ["no", "N", "False", "0"] {
            assert_eq!(super::yes_no(no), Some(false), "{no}");
        }
        assert_eq!(super::yes_no("maybe"), None);
        assert_eq!(super::yes_no(""), None);
    }
}
