//! Decoding message bodies while keeping the way back to the raw bytes.
//!
//! Quoted-printable and 8-bit bodies map back to the message byte for byte (a soft line break
//! inside a phrase is simply skipped); HTML maps each text run back to where it was written.
//! A [`SpanMap`] records, for runs of the decoded text, the raw offsets they came from.

use std::borrow::Cow;
use std::ops::Range;

/// Maps offsets in a decoded text back to offsets in the raw input.
///
/// Stored as runs: decoded bytes `[d, d + len)` came from raw bytes `[r, r + len)` byte for
/// byte when the run is exact, or from a raw range as a whole when not (an entity, an encoded
/// character, a base64 body).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SpanMap {
    runs: Vec<Run>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Run {
    decoded: Range<usize>,
    raw: Range<usize>,
    exact: bool,
}

impl SpanMap {
    /// Notes that decoded bytes `decoded` came from raw bytes `raw`: byte for byte when the
    /// lengths agree, else as a whole. Consecutive byte-for-byte runs merge.
    pub fn push(&mut self, decoded: Range<usize>, raw: Range<usize>) {
        let exact = decoded.len() == raw.len();
        self.push_run(decoded, raw, exact);
    }

    /// Notes that decoded bytes `decoded` came from raw bytes `raw` as a whole.
    pub fn push_whole(&mut self, decoded: Range<usize>, raw: Range<usize>) {
        self.push_run(decoded, raw, false);
    }

    fn push_run(&mut self, decoded: Range<usize>, raw: Range<usize>, exact: bool) {
        if decoded.is_empty() {
            return;
        }
        if let Some(last) = self.runs.last_mut()
            && exact
            && last.exact
            && last.decoded.end == decoded.start
            && last.raw.end == raw.start
        {
            last.decoded.end = decoded.end;
            last.raw.end = raw.end;
            return;
        }
        self.runs.push(Run {
            decoded,
            raw,
            exact,
        });
    }

    /// Shifts every decoded offset by `by` (when the decoded text is placed after others).
    pub fn shifted(mut self, by: usize) -> SpanMap {
        for r in &mut self.runs {
            r.decoded = r.decoded.start + by..r.decoded.end + by;
        }
        self
    }

    /// Appends another map's runs (which must come after this map's).
    pub fn extend(&mut self, other: SpanMap) {
        self.runs.extend(other.runs);
    }

    /// Chains two maps: `self` leads into an intermediate text that `inner` leads back to the
    /// raw input (HTML converted from a quoted-printable body, say).
    pub fn through(&self, inner: &SpanMap) -> SpanMap {
        let mut out = SpanMap::default();
        for run in &self.runs {
            if !run.exact {
                if let Some(raw) = inner.to_raw(run.raw.clone()) {
                    out.push_whole(run.decoded.clone(), raw);
                }
                continue;
            }
            let first = inner
                .runs
                .partition_point(|r| r.decoded.end <= run.raw.start);
            for r in inner.runs[first..]
                .iter()
                .take_while(|r| r.decoded.start < run.raw.end)
            {
                let a = r.decoded.start.max(run.raw.start);
                let b = r.decoded.end.min(run.raw.end);
                let decoded = run.decoded.start + (a - run.raw.start)
                    ..run.decoded.start + (b - run.raw.start);
                if r.exact {
                    let raw =
                        r.raw.start + (a - r.decoded.start)..r.raw.start + (b - r.decoded.start);
                    out.push_run(decoded, raw, true);
                } else {
                    out.push_whole(decoded, r.raw.clone());
                }
            }
        }
        out
    }

    /// The raw range a decoded range came from: exact inside byte-for-byte runs, widened to
    /// the whole run otherwise. Text redline inserted at either end (the `- ` of an HTML list
    /// item, a line break) has no origin and is left out; `None` when none of the range has
    /// one.
    pub fn to_raw(&self, decoded: Range<usize>) -> Option<Range<usize>> {
        let last = decoded.end.max(decoded.start + 1) - 1;
        let first = self
            .runs
            .partition_point(|r| r.decoded.end <= decoded.start);
        let from = match self.runs.get(first) {
            Some(r) if r.decoded.start <= last => decoded.start.max(r.decoded.start),
            _ => return None,
        };
        let after = self.runs.partition_point(|r| r.decoded.start <= last);
        let to = last.min(self.runs[after.checked_sub(1)?].decoded.end - 1);
        if to < from {
            return None;
        }
        let start = self.raw_at(from, false)?;
        let end = self.raw_at(to, true)?;
        Some(start..end.max(start))
    }

    /// Whether every byte of `decoded` maps back byte for byte.
    pub fn is_exact(&self, decoded: Range<usize>) -> bool {
        let first = self
            .runs
            .partition_point(|r| r.decoded.end <= decoded.start);
        let mut at = decoded.start;
        for r in &self.runs[first..] {
            if at >= decoded.end {
                break;
            }
            if r.decoded.start > at || !r.exact {
                return false;
            }
            at = r.decoded.end;
        }
        at >= decoded.end
    }

    fn raw_at(&self, pos: usize, end: bool) -> Option<usize> {
        let i = self.runs.partition_point(|r| r.decoded.end <= pos);
        let r = self.runs.get(i).filter(|r| r.decoded.start <= pos)?;
        if r.exact {
            let o = r.raw.start + (pos - r.decoded.start);
            Some(if end { o + 1 } else { o })
        } else {
            Some(if end { r.raw.end } else { r.raw.start })
        }
    }
}

/// Decodes a quoted-printable body (bytes of a single-byte or UTF-8 charset), with the map back
/// to `raw` offsets (shifted by `base`, the body's offset in the message).
pub fn quoted_printable(raw: &[u8], base: usize) -> (Vec<u8>, Vec<Range<usize>>) {
    let mut out = Vec::with_capacity(raw.len());
    let mut origin = Vec::with_capacity(raw.len());
    let mut i = 0;
    while i < raw.len() {
        let b = raw[i];
        if b == b'=' {
            // Soft line break: `=` then optional whitespace then CRLF or LF.
            let mut j = i + 1;
            while j < raw.len() && matches!(raw[j], b' ' | b'\t') {
                j += 1;
            }
            if raw[j..].starts_with(b"\r\n") {
                i = j + 2;
                continue;
            }
            if raw[j..].starts_with(b"\n") {
                i = j + 1;
                continue;
            }
            if let (Some(h), Some(l)) = (
                raw.get(i + 1).and_then(|&c| hex(c)),
                raw.get(i + 2).and_then(|&c| hex(c)),
            ) {
                out.push(h << 4 | l);
                origin.push(base + i..base + i + 3);
                i += 3;
                continue;
            }
        }
        out.push(b);
        origin.push(base + i..base + i + 1);
        i += 1;
    }
    (out, origin)
}

/// What a base64 body decoded to, and what was wrong with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Base64 {
    /// The decoded bytes.
    pub bytes: Vec<u8>,
    /// Characters that are neither base64 nor whitespace, skipped.
    pub skipped: usize,
}

/// Decodes a base64 body as RFC 2045 asks: characters outside the alphabet are skipped, and
/// a group cut short (a body missing its `=` padding) still gives the bytes it holds. A strict
/// decoder gave up on either damage, and the text it lost went unchecked.
pub fn base64(raw: &[u8]) -> Base64 {
    let mut out = Base64 {
        bytes: Vec::with_capacity(raw.len() / 4 * 3 + 2),
        skipped: 0,
    };
    let (mut group, mut held) = (0u32, 0u8);
    let flush = |group: u32, held: u8, bytes: &mut Vec<u8>| {
        let whole = group << (6 * (4 - u32::from(held)));
        let n = usize::from(held.saturating_sub(1));
        bytes.extend_from_slice(&whole.to_be_bytes()[1..1 + n]);
    };
    for &c in raw {
        let value = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            b'=' => {
                flush(group, held, &mut out.bytes);
                (group, held) = (0, 0);
                continue;
            }
            c if c.is_ascii_whitespace() => continue,
            _ => {
                out.skipped += 1;
                continue;
            }
        };
        group = group << 6 | u32::from(value);
        held += 1;
        if held == 4 {
            flush(group, held, &mut out.bytes);
            (group, held) = (0, 0);
        }
    }
    flush(group, held, &mut out.bytes);
    out
}

fn hex(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    }
}

/// The character sets redline decodes byte by byte (so positions map back).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Charset {
    /// UTF-8 (and text labelled US-ASCII). A byte that is not part of a UTF-8 character is
    /// read as the Windows-1252 character it is: text that is not UTF-8 is nearly always
    /// Windows-1252 (an Outlook body, a Notepad draft), and a U+FFFD there turned `today’s`
    /// into `today�s`, so the phrase went unseen. One character per byte, as before.
    Utf8,
    /// Windows-1252, which the WHATWG Encoding Standard (and every mail client) also reads
    /// text labelled ISO-8859-1 or Latin-1 as: the same letters, with printable characters
    /// (`’`, `“`, `–`, `€`) in 0x80–0x9F where ISO-8859-1 has invisible controls.
    Windows1252,
}

impl Charset {
    /// The charset a MIME `charset=` label names, if redline decodes it byte by byte. The
    /// labels are the WHATWG Encoding Standard's for UTF-8 and Windows-1252, except that
    /// US-ASCII is read as UTF-8: text labelled ASCII that is not is UTF-8 as often as it is
    /// Windows-1252, and the UTF-8 decoder reads both.
    pub fn from_label(label: &str) -> Option<Charset> {
        match label.trim().trim_matches('"').to_ascii_lowercase().as_str() {
            "utf-8" | "utf8" | "unicode-1-1-utf-8" | "us-ascii" | "ascii" | "ansi_x3.4-1968"
            | "" => Some(Charset::Utf8),
            "windows-1252" | "cp1252" | "x-cp1252" | "iso-8859-1" | "iso8859-1" | "iso88591"
            | "iso_8859-1" | "iso_8859-1:1987" | "latin1" | "latin-1" | "l1" | "cp819"
            | "ibm819" | "csisolatin1" | "iso-ir-100" => Some(Charset::Windows1252),
            _ => None,
        }
    }

    /// Decodes `bytes` into text and a map back to where each byte came from. Bytes that are
    /// already that text are borrowed, not copied.
    pub fn decode<'a>(self, bytes: &'a [u8], origin: Origin<'_>) -> (Cow<'a, str>, SpanMap) {
        let (text, map, _) = self.decode_noting(bytes, origin);
        (text, map)
    }

    /// [`Charset::decode`], also giving the raw offset of the first byte that was not UTF-8
    /// and was read as Windows-1252 (only ever for [`Charset::Utf8`]), for a note.
    pub fn decode_noting<'a>(
        self,
        bytes: &'a [u8],
        origin: Origin<'_>,
    ) -> (Cow<'a, str>, SpanMap, Option<usize>) {
        // Bytes read as they are (no transfer encoding) that are already text in this charset,
        // as nearly every body is, map back as one run: no need to go character by character.
        if let Origin::At(at) = origin {
            let as_is = match self {
                Charset::Utf8 => std::str::from_utf8(bytes).ok(),
                Charset::Windows1252 => bytes
                    .is_ascii()
                    .then(|| std::str::from_utf8(bytes).ok())
                    .flatten(),
            };
            if let Some(text) = as_is {
                let (text, map) = as_read(text, at);
                return (text, map, None);
            }
        }
        let mut text = String::with_capacity(bytes.len());
        let mut map = SpanMap::default();
        let mut fallback = None;
        let mut i = 0;
        while i < bytes.len() {
            let start = text.len();
            // A run of ASCII is the same text in every charset here: copied at once.
            let ascii = bytes[i..]
                .iter()
                .position(|b| !b.is_ascii())
                .unwrap_or(bytes.len() - i);
            if ascii > 0 {
                let run = &bytes[i..i + ascii];
                text.push_str(std::str::from_utf8(run).expect("ASCII is UTF-8"));
                match origin {
                    Origin::At(at) => map.push(start..text.len(), at + i..at + i + ascii),
                    Origin::Each(each) => {
                        for (k, raw) in each[i..i + ascii].iter().enumerate() {
                            map.push(start + k..start + k + 1, raw.clone());
                        }
                    }
                }
                i += ascii;
                continue;
            }
            let (c, used) = match self {
                Charset::Utf8 => utf8_char(&bytes[i..]).unwrap_or_else(|| {
                    fallback.get_or_insert(i);
                    (windows_1252(bytes[i]), 1)
                }),
                Charset::Windows1252 => (windows_1252(bytes[i]), 1),
            };
            text.push(c);
            let raw = match origin {
                Origin::At(at) => at + i..at + i + used,
                Origin::Each(each) => each[i].start..each[i + used - 1].end,
            };
            map.push(start..text.len(), raw);
            i += used;
        }
        let fallback = fallback.map(|i| match origin {
            Origin::At(at) => at + i,
            Origin::Each(each) => each[i].start,
        });
        (Cow::Owned(text), map, fallback)
    }
}

/// Text read as it is from raw offset `at`, and its map: one byte-for-byte run.
pub(crate) fn as_read(text: &str, at: usize) -> (Cow<'_, str>, SpanMap) {
    let mut map = SpanMap::default();
    map.push(0..text.len(), at..at + text.len());
    (Cow::Borrowed(text), map)
}

/// `bytes` decoded in `charset`, with a note in `notes` (after `prefix`, which names the part)
/// when bytes that were not UTF-8 were read as Windows-1252: a draft saved by Notepad, or a
/// body with no charset or labelled UTF-8 that an older client wrote in Windows-1252.
pub(crate) fn decode_noted<'a>(
    charset: Charset,
    bytes: &'a [u8],
    origin: Origin<'_>,
    prefix: &str,
    notes: &mut Vec<String>,
) -> (Cow<'a, str>, SpanMap) {
    let (text, map, fallback) = charset.decode_noting(bytes, origin);
    if let Some(at) = fallback {
        notes.push(format!(
            "{prefix}invalid UTF-8 at byte {at}; read as Windows-1252"
        ));
    }
    (text, map)
}

/// Where the bytes being decoded came from in the raw input.
#[derive(Debug, Clone, Copy)]
pub enum Origin<'a> {
    /// As they are, starting at this raw offset.
    At(usize),
    /// One raw range per byte (a quoted-printable body: `=E2` is three raw bytes for one).
    Each(&'a [Range<usize>]),
}

/// The first UTF-8 character of `b` and its length; `None` when its first byte does not start
/// one (a byte of another charset, or a sequence cut short).
fn utf8_char(b: &[u8]) -> Option<(char, usize)> {
    let len = match b[0] {
        0x00..=0x7F => 1,
        0xC2..=0xDF => 2,
        0xE0..=0xEF => 3,
        0xF0..=0xF4 => 4,
        _ => return None,
    };
    let s = std::str::from_utf8(b.get(..len)?).ok()?;
    Some((s.chars().next().expect("non-empty"), len))
}

/// The Windows-1252 character of byte `b`, as the WHATWG Encoding Standard maps it (the five
/// bytes it leaves undefined are the C1 controls of the same value).
fn windows_1252(b: u8) -> char {
    const HIGH: [char; 32] = [
        '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8D}', 'Ž',
        '\u{8F}', '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9D}',
        'ž', 'Ÿ',
    ];
    match b {
        0x80..=0x9F => HIGH[usize::from(b - 0x80)],
        _ => char::from(b),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_decodes_short_final_groups_and_skips_what_is_not_base64() {
        for (raw, text, skipped) in [
            (&b"aGVsbG8="[..], &b"hello"[..], 0),
            (b"aGVsbG8", b"hello", 0),
            (b"aGVsbA", b"hell", 0),
            (b"aGVs\r\nbG8=\r\n", b"hello", 0),
            (b"aG*VsbG8=", b"hello", 1),
            (b"aGk=aGk=", b"hihi", 0),
            (b"", b"", 0),
        ] {
            let d = base64(raw);
            assert_eq!((d.bytes.as_slice(), d.skipped), (text, skipped), "{raw:?}");
        }
    }

    #[test]
    fn soft_line_breaks_inside_a_phrase_map_back() {
        let raw = b"I wanted to re=\r\nach out =E2=80=94 today";
        let (bytes, origin) = quoted_printable(raw, 100);
        let (text, map) = Charset::Utf8.decode(&bytes, Origin::Each(&origin));
        assert_eq!(text, "I wanted to reach out — today");
        let at = text.find("reach out").unwrap();
        let span = map.to_raw(at..at + "reach out".len()).unwrap();
        assert_eq!(&raw[span.start - 100..span.end - 100], b"re=\r\nach out");
        let dash = text.find('—').unwrap();
        let span = map.to_raw(dash..dash + '—'.len_utf8()).unwrap();
        assert_eq!(&raw[span.start - 100..span.end - 100], b"=E2=80=94");
    }

    #[test]
    fn single_byte_charsets() {
        assert_eq!(
            Charset::Windows1252.decode(b"caf\xe9", Origin::At(0)).0,
            "café"
        );
        assert_eq!(
            Charset::Windows1252.decode(b"\x93hi\x94", Origin::At(0)).0,
            "“hi”"
        );
        for label in [
            "\"ISO-8859-1\"",
            "latin1",
            "iso_8859-1",
            "Windows-1252",
            "cp1252",
        ] {
            assert_eq!(
                Charset::from_label(label),
                Some(Charset::Windows1252),
                "{label}"
            );
        }
        for label in ["us-ascii", "ASCII", "utf-8", "UTF8", ""] {
            assert_eq!(Charset::from_label(label), Some(Charset::Utf8), "{label}");
        }
        assert_eq!(Charset::from_label("koi8-r"), None);
    }

    #[test]
    fn bytes_that_are_not_utf8_are_read_as_windows_1252_one_character_each() {
        let bytes = b"In today\x92s caf\xe9 \xe2\x80 \xe2\x80\x94 ok";
        for origin in [
            Origin::At(5),
            Origin::Each(&(0..bytes.len()).map(|i| 5 + i..6 + i).collect::<Vec<_>>()),
        ] {
            let (text, map, first) = Charset::Utf8.decode_noting(bytes, origin);
            assert_eq!(text, "In today’s café â€ — ok");
            assert_eq!(first, Some(5 + 8), "the raw offset of the first such byte");
            let at = text.find("today’s").unwrap();
            let span = map.to_raw(at..at + "today’s".len()).unwrap();
            assert_eq!(&bytes[span.start - 5..span.end - 5], b"today\x92s");
            for (at, c) in text.char_indices().filter(|(_, c)| "’éâ€".contains(*c)) {
                let span = map.to_raw(at..at + c.len_utf8()).unwrap();
                assert_eq!(span.len(), 1, "{c} is one byte of the input");
            }
        }
        assert_eq!(
            Charset::Utf8
                .decode_noting("café".as_bytes(), Origin::At(0))
                .2,
            None
        );
        assert_eq!(
            Charset::Windows1252
                .decode_noting(b"caf\xe9", Origin::At(0))
                .2,
            None,
            "read as labelled, nothing to note"
        );
    }

    #[test]
    fn text_read_as_it_is_maps_back_as_going_byte_by_byte_would() {
        let cases: [(&[u8], Charset); 5] = [
            (b"plain ASCII\r\n\ttabbed", Charset::Utf8),
            ("café — 🙂".as_bytes(), Charset::Utf8),
            (b"caf\xe9 and \xff invalid", Charset::Utf8),
            (b"plain ASCII", Charset::Windows1252),
            (b"\x93quoted\x94 caf\xe9", Charset::Windows1252),
        ];
        for (bytes, charset) in cases {
            let each: Vec<_> = (0..bytes.len()).map(|i| 7 + i..7 + i + 1).collect();
            assert_eq!(
                charset.decode(bytes, Origin::At(7)),
                charset.decode(bytes, Origin::Each(&each)),
                "{bytes:?} as {charset:?}"
            );
        }
    }

    #[test]
    fn malformed_quoted_printable_is_kept_literally() {
        let (bytes, _) = quoted_printable(b"100% =ZZ done=", 0);
        assert_eq!(bytes, b"100% =ZZ done=");
    }
}
