//! Folding text into the form matchers see, keeping the way back to the original bytes.
//!
//! The normalised text is lower-case; every run of whitespace (line breaks, tabs, non-breaking
//! spaces included) is one space; curly apostrophes and quotes are straight; Unicode hyphens and
//! dashes are `-`; soft hyphens and zero-width characters are gone. Phrase and pattern matchers
//! run over it, and [`OffsetMap::to_original`] turns their spans back into exact byte offsets.

/// Text folded for matching, with the map back to the input it came from.
#[derive(Debug, Clone)]
pub struct Normalized {
    /// The folded text.
    pub text: String,
    /// Offsets in `text` back to offsets in the original input.
    pub map: OffsetMap,
}

/// Maps byte offsets in a normalised text to byte offsets in its original.
///
/// Between two anchors the texts agree byte for byte, so the map stores only the points where
/// the offset difference changes: for ordinary prose that is a handful per paragraph.
#[derive(Debug, Clone, Default)]
pub struct OffsetMap {
    /// `(normalised, original)` offset pairs, sorted, starting with `(0, 0)`.
    anchors: Vec<(usize, usize)>,
}

impl OffsetMap {
    /// The byte offset in the original input that corresponds to `pos` in the normalised text.
    pub fn to_original(&self, pos: usize) -> usize {
        let i = self.anchors.partition_point(|&(n, _)| n <= pos) - 1;
        let (n, o) = self.anchors[i];
        o + (pos - n)
    }

    /// Maps a normalised span to the original: start and end each go through [`Self::to_original`].
    pub fn span_to_original(&self, span: std::ops::Range<usize>) -> std::ops::Range<usize> {
        self.to_original(span.start)..self.to_original(span.end)
    }

    fn record(&mut self, norm: usize, orig: usize) {
        let &(n, o) = self.anchors.last().expect("map starts with an anchor");
        if orig - o != norm - n {
            self.anchors.push((norm, orig));
        }
    }
}

/// Folds `input` for matching; see the module documentation for what changes.
pub fn normalize(input: &str) -> Normalized {
    let bytes = input.as_bytes();
    let mut out: Vec<u8> = Vec::with_capacity(input.len());
    let mut map = OffsetMap {
        anchors: vec![(0, 0)],
    };
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b < 0x80 && !ASCII_SPACE[b as usize] {
            out.push(b.to_ascii_lowercase());
            i += 1;
            continue;
        }
        let ws = whitespace_len(input, i);
        if ws > 0 {
            i += ws;
            loop {
                let more = whitespace_len(input, i);
                if more == 0 {
                    break;
                }
                i += more;
            }
            out.push(b' ');
            map.record(out.len(), i);
            continue;
        }
        let c = input[i..].chars().next().expect("i is on a char boundary");
        i += c.len_utf8();
        match fold(c) {
            Folded::Drop => {}
            Folded::Byte(f) => out.push(f),
            Folded::Lower => {
                let mut buf = [0u8; 4];
                for l in c.to_lowercase() {
                    out.extend_from_slice(l.encode_utf8(&mut buf).as_bytes());
                }
            }
        }
        map.record(out.len(), i);
    }
    let text = String::from_utf8(out).expect("folding keeps UTF-8 valid");
    Normalized { text, map }
}

/// ASCII whitespace collapsed by normalisation (space, tab, line feed, vertical tab, form feed,
/// carriage return).
const ASCII_SPACE: [bool; 128] = {
    let mut t = [false; 128];
    t[b' ' as usize] = true;
    t[b'\t' as usize] = true;
    t[b'\n' as usize] = true;
    t[0x0b] = true;
    t[0x0c] = true;
    t[b'\r' as usize] = true;
    t
};

/// The byte length of the whitespace character at `i`, or 0 when there is none.
fn whitespace_len(s: &str, i: usize) -> usize {
    match s.as_bytes().get(i) {
        None => 0,
        Some(&b) if b < 0x80 => usize::from(ASCII_SPACE[b as usize]),
        Some(_) => s[i..]
            .chars()
            .next()
            .filter(|c| c.is_whitespace())
            .map_or(0, char::len_utf8),
    }
}

enum Folded {
    Drop,
    Byte(u8),
    Lower,
}

fn fold(c: char) -> Folded {
    match c {
        '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{2032}' | '\u{02BC}'
        | '\u{FF07}' => Folded::Byte(b'\''),
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{2033}' | '\u{FF02}' => {
            Folded::Byte(b'"')
        }
        '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{FE58}' | '\u{FE63}' | '\u{FF0D}' => {
            Folded::Byte(b'-')
        }
        '\u{00AD}' | '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}' => Folded::Drop,
        _ => Folded::Lower,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check_roundtrip(input: &str, needle: &str, expected_original: &str) {
        let n = normalize(input);
        let start = n.text.find(needle).expect("needle in normalised text");
        let span = n.map.span_to_original(start..start + needle.len());
        assert_eq!(&input[span], expected_original);
    }

    #[test]
    fn folds_case_space_and_typography() {
        let n = normalize("In Today’s\r\n  Fast\u{2011}Paced\u{00A0}World");
        assert_eq!(n.text, "in today's fast-paced world");
    }

    #[test]
    fn spans_map_back_exactly_through_multibyte_and_crlf() {
        check_roundtrip(
            "😀 I hope this\r\n\tfinds you well",
            "hope this finds",
            "hope this\r\n\tfinds",
        );
        check_roundtrip("We’re “thrilled”", "\"thrilled\"", "“thrilled”");
        check_roundtrip("a\u{00AD}b  c", "ab c", "a\u{00AD}b  c");
        check_roundtrip("ÉCOLE   Straße", "straße", "Straße");
    }

    #[test]
    fn plain_ascii_needs_no_anchors_beyond_the_first() {
        let n = normalize("Hello there, this is plain.\nSecond line.");
        assert_eq!(n.map.anchors.len(), 1);
    }

    #[test]
    fn leading_and_trailing_whitespace_collapse_to_one_space() {
        let n = normalize("  \n hi \n\n");
        assert_eq!(n.text, " hi ");
        assert_eq!(n.map.to_original(1), 4);
        assert_eq!(n.map.to_original(4), 9);
    }
}
