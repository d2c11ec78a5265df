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

impl Normalized {
    /// The normalised text of `input[range]` as [`normalize`] gives it, taken from this
    /// normalisation of all of `input`: its offset in [`Normalized::text`] and the slice, which
    /// [`Normalized::map`] maps back to offsets into `input`. `None` when `range` starts or ends
    /// where folding depends on what lies outside it (inside a whitespace run, next to a
    /// character folding drops): normalise the range on its own there.
    pub fn slice_of(&self, input: &str, range: std::ops::Range<usize>) -> Option<(usize, &str)> {
        let before = input[..range.start].chars().next_back().map(class);
        let at = |i: usize| input[i..].chars().next().map(class);
        // Folding the range alone starts out of any whitespace run, as folding all of the input
        // does here only after a plain character; each character or run from the start is then
        // folded alike.
        let start_ok = range.start == 0
            || before == Some(Class::Plain)
                && matches!(at(range.start), Some(Class::Plain | Class::Space));
        // The character or run before the end is folded alike when the end starts one of its
        // own (a plain character, or a run after a plain character).
        let last = input[..range.end].chars().next_back().map(class);
        let end_ok = range.end == input.len()
            || at(range.end) == Some(Class::Plain)
            || at(range.end) == Some(Class::Space) && last == Some(Class::Plain);
        if !(start_ok && end_ok) {
            return None;
        }
        let start = self.map.to_normalized(range.start);
        let end = self.map.to_normalized(range.end);
        Some((start, &self.text[start..end]))
    }
}

/// What folding makes of a character: something of its own, part of a whitespace run (one
/// space), or nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    Plain,
    Space,
    Dropped,
}

fn class(c: char) -> Class {
    if c.is_ascii() {
        return if ASCII_FOLD[c as usize] == 0 {
            Class::Space
        } else {
            Class::Plain
        };
    }
    if c.is_whitespace() {
        return Class::Space;
    }
    match fold(c) {
        Folded::Drop => Class::Dropped,
        Folded::Byte(_) | Folded::Lower => Class::Plain,
    }
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

    /// The offset in the normalised text of the character or whitespace run that starts at
    /// byte `pos` of the original (or of the end, at its length). Only such offsets have one.
    fn to_normalized(&self, pos: usize) -> usize {
        let i = self.anchors.partition_point(|&(_, o)| o <= pos) - 1;
        let (n, o) = self.anchors[i];
        n + (pos - o)
    }

    /// Maps a normalised span to the original: start and end each go through [`Self::to_original`].
    pub fn span_to_original(&self, span: std::ops::Range<usize>) -> std::ops::Range<usize> {
        self.to_original(span.start)..self.to_original(span.end)
    }
}

/// An [`OffsetMap`] as it is built: anchors in order, and the offset difference of the last.
struct Anchors {
    list: Vec<(usize, usize)>,
    /// `orig - norm` at the last anchor, wrapping: a character that lower-cases to more bytes
    /// can put the folded text ahead of the input, and equal differences still mean the
    /// texts agree byte for byte.
    shift: usize,
}

impl Anchors {
    fn new() -> Self {
        Anchors {
            list: vec![(0, 0)],
            shift: 0,
        }
    }

    /// Records that `norm` corresponds to `orig`, as an anchor only where the difference moves.
    fn record(&mut self, norm: usize, orig: usize) {
        let shift = orig.wrapping_sub(norm);
        if shift != self.shift {
            self.shift = shift;
            self.list.push((norm, orig));
        }
    }
}

/// A phrase as matching sees it: folded and trimmed. Phrases with the same key match the same
/// text, so this is how rules, the automaton, replacements and the audit compare phrases.
pub fn phrase_key(phrase: &str) -> String {
    let mut out: Vec<u8> = Vec::with_capacity(phrase.len());
    fold_each(phrase, |byte, _, _| out.push(byte));
    let folded = String::from_utf8(out).expect("folding keeps UTF-8 valid");
    match folded.trim() {
        trimmed if trimmed.len() == folded.len() => folded,
        trimmed => trimmed.to_string(),
    }
}

/// Folds `input` for matching; see the module documentation for what changes.
pub fn normalize(input: &str) -> Normalized {
    let mut out: Vec<u8> = Vec::with_capacity(input.len());
    let mut anchors = Anchors::new();
    let mut last_end = 0;
    fold_each(input, |byte, start, end| {
        // A character's first folded byte (a lower-cased letter can give several).
        if end != last_end {
            anchors.record(out.len(), start);
            last_end = end;
        }
        out.push(byte);
    });
    anchors.record(out.len(), input.len());
    let map = OffsetMap {
        anchors: anchors.list,
    };
    let text = String::from_utf8(out).expect("folding keeps UTF-8 valid");
    Normalized { text, map }
}

/// Calls `emit(byte, start, end)` for each byte of the folded text, in order, with the byte
/// range of the input character (or whitespace run) it comes from.
///
/// This is the one definition of folding: [`normalize`] builds a text from it, and the phrase
/// engine feeds it straight into its automaton (through [`fold_while`]) without building
/// anything.
#[inline]
pub fn fold_each(input: &str, mut emit: impl FnMut(u8, usize, usize)) {
    fold_while(input, 0, false, |byte, start, end| {
        emit(byte, start, end);
        true
    });
}

/// Folds `input` from byte `from` (a char boundary) like [`fold_each`], until `emit` returns
/// `false`. `in_space` says whether the folded text so far ends in a space from whitespace
/// (then whitespace at `from` continues that run and emits nothing); the return value says the
/// same at the point folding stopped, so a caller can fold in pieces.
#[inline]
pub fn fold_while(
    input: &str,
    from: usize,
    in_space: bool,
    mut emit: impl FnMut(u8, usize, usize) -> bool,
) -> bool {
    let bytes = input.as_bytes();
    let mut in_space = in_space;
    let mut i = from;
    while i < bytes.len() {
        let b = bytes[i];
        if b < 0x80 {
            let f = ASCII_FOLD[b as usize];
            if f != 0 {
                if !emit(f, i, i + 1) {
                    return in_space;
                }
                in_space = false;
                i += 1;
                continue;
            }
            let start = i;
            i += 1;
            if !in_space {
                while i < bytes.len() && bytes[i] < 0x80 && ASCII_FOLD[bytes[i] as usize] == 0 {
                    i += 1;
                }
                if !emit(b' ', start, i) {
                    return in_space;
                }
                in_space = true;
            }
            continue;
        }
        let c = input[i..].chars().next().expect("i is on a char boundary");
        let start = i;
        i += c.len_utf8();
        if c.is_whitespace() {
            if !in_space {
                if !emit(b' ', start, i) {
                    return in_space;
                }
                in_space = true;
            }
            continue;
        }
        match fold(c) {
            Folded::Drop => {}
            Folded::Byte(f) => {
                if !emit(f, start, i) {
                    return in_space;
                }
                in_space = false;
            }
            Folded::Lower => {
                let mut buf = [0u8; 4];
                for l in c.to_lowercase() {
                    for &byte in l.encode_utf8(&mut buf).as_bytes() {
                        if !emit(byte, start, i) {
                            return in_space;
                        }
                    }
                }
                in_space = false;
            }
        }
    }
    in_space
}

/// ASCII folded: lower-case, and 0 for whitespace (space, tab, line feed, vertical tab, form
/// feed, carriage return) and NUL. Public so hot loops can fold ASCII inline and hand anything
/// else to [`fold_while`].
pub const ASCII_FOLD: [u8; 128] = {
    let mut t = [0u8; 128];
    let mut b = 1;
    while b < 128 {
        t[b] = (b as u8).to_ascii_lowercase();
        b += 1;
    }
    t[b' ' as usize] = 0;
    t[b'\t' as usize] = 0;
    t[b'\n' as usize] = 0;
    t[0x0b] = 0;
    t[0x0c] = 0;
    t[b'\r' as usize] = 0;
    t
};

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
        c if is_invisible(c) => Folded::Drop,
        _ => look_alike(c).map_or(Folded::Lower, Folded::Byte),
    }
}

/// The ASCII letter or digit a character is read as for matching, when it is a Cyrillic or
/// Greek letter drawn like a Latin one (`о`, `р`, `ο`) or a full-width form (`ｈ`, `１`): put
/// in a phrase to slip past the gate, they make a different word to the matcher while a reader
/// sees the same one. Letters with accents are left as they are: `hópe` looks wrong to a
/// reader too, and folding `utilisé` to `utilise` would match French words to English ones.
fn look_alike(c: char) -> Option<u8> {
    let b = match c {
        // Cyrillic and Greek letters drawn like a Latin one, by the letter they pass for.
        'А' | 'а' | 'Α' | 'α' => b'a',
        'В' | 'Β' => b'b',
        'С' | 'с' => b'c',
        'ԁ' => b'd',
        'Е' | 'е' | 'Ε' => b'e',
        'Н' | 'һ' | 'Η' => b'h',
        'І' | 'і' | 'ӏ' | 'Ι' | 'ι' | 'ı' => b'i',
        'Ј' | 'ј' => b'j',
        'К' | 'Κ' | 'κ' => b'k',
        'М' | 'Μ' => b'm',
        'Ν' => b'n',
        'О' | 'о' | 'Ο' | 'ο' => b'o',
        'Р' | 'р' | 'Ρ' | 'ρ' => b'p',
        'ԛ' => b'q',
        'Ѕ' | 'ѕ' => b's',
        'Т' | 'Τ' => b't',
        'υ' => b'u',
        'ν' => b'v',
        'ԝ' => b'w',
        'Х' | 'х' | 'Χ' | 'χ' => b'x',
        'У' | 'у' | 'Υ' => b'y',
        'Ζ' => b'z',
        // Full-width forms.
        '\u{FF21}'..='\u{FF3A}' => b'a' + (c as u32 - 0xFF21) as u8,
        '\u{FF41}'..='\u{FF5A}' => b'a' + (c as u32 - 0xFF41) as u8,
        '\u{FF10}'..='\u{FF19}' => b'0' + (c as u32 - 0xFF10) as u8,
        _ => return None,
    };
    Some(b)
}

/// Whether `c` is an invisible character that matching passes over, so one inside a phrase
/// (pasted in, or put there to slip past the gate) does not hide it: the soft hyphen, zero-width
/// space, non-joiner and joiner, word joiner and BOM; the direction marks (LRM, RLM, ALM) and
/// bidi embedding, override and isolate controls that mixed-direction editing leaves in mail;
/// the combining grapheme joiner; variation selectors; and tag characters. All render as
/// nothing; their bytes stay in the text, and spans still map back to them.
pub fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{034F}'
            | '\u{061C}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'
            | '\u{2066}'..='\u{2069}'
            | '\u{FE00}'..='\u{FE0F}'
            | '\u{FEFF}'
            | '\u{E0000}'..='\u{E007F}'
            | '\u{E0100}'..='\u{E01EF}'
    )
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
    fn spans_map_back_after_a_letter_that_lower_cases_longer() {
        // 'İ' is two bytes and lower-cases to three, so the folded text runs ahead of the input.
        check_roundtrip("İİİ  Quick Call", "quick call", "Quick Call");
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
        check_roundtrip("a\u{00AD}b  c", "b", "b");
        check_roundtrip("ÉCOLE   Straße", "straße", "Straße");
    }

    #[test]
    fn look_alike_letters_and_full_width_forms_fold_to_ascii() {
        // Cyrillic о and с, Greek ο, full-width forms; an accented letter stays.
        let n = normalize(
            "I h\u{043E}pe this finds you well. Quick \u{0441}all? H\u{03BF}pe, ＨＯＰＥ １５, utilisé",
        );
        assert_eq!(
            n.text,
            "i hope this finds you well. quick call? hope, hope 15, utilisé"
        );
        check_roundtrip("I h\u{043E}pe this", "hope", "h\u{043E}pe");
        assert_eq!(
            normalize("yo\u{03C5} \u{03B1}nd th\u{0131}s").text,
            "you and this"
        );
        check_roundtrip("ＨＯＰＥ it", "hope", "ＨＯＰＥ");
        // Letters with no Latin look-alike keep their lower case.
        assert_eq!(normalize("Привет ДРУГ").text, "пpивeт дpyг");
    }

    #[test]
    fn invisible_characters_inside_a_phrase_are_passed_over_and_spans_keep_them() {
        for mark in [
            '\u{200E}',
            '\u{200F}',
            '\u{061C}',
            '\u{202A}',
            '\u{202E}',
            '\u{2066}',
            '\u{2069}',
            '\u{034F}',
            '\u{FE0F}',
            '\u{E0041}',
            '\u{E0100}',
            '\u{200B}',
            '\u{00AD}',
        ] {
            let input = format!("I hope this fi{mark}nds you well");
            let n = normalize(&input);
            assert_eq!(n.text, "i hope this finds you well", "{mark:?}");
            check_roundtrip(&input, "finds", &format!("fi{mark}nds"));
        }
        // An RLM before a phrase and one between its words.
        check_roundtrip(
            "\u{200F}hope this\u{200F} finds",
            "hope this finds",
            "hope this\u{200F} finds",
        );
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

    #[test]
    fn a_range_sliced_from_the_whole_folds_as_the_range_alone() {
        let input = "Open to a Quick 15\u{2011}minute\r\n call?  Yes\u{00AD}no \u{1F600}  É\tok.";
        let whole = normalize(input);
        let mut sliced = 0;
        let bounds: Vec<usize> = (0..=input.len())
            .filter(|&i| input.is_char_boundary(i))
            .collect();
        for (k, &a) in bounds.iter().enumerate() {
            for &b in &bounds[k..] {
                let alone = normalize(&input[a..b]);
                let Some((at, text)) = whole.slice_of(input, a..b) else {
                    continue;
                };
                sliced += 1;
                assert_eq!(text, alone.text, "{a}..{b}");
                for pos in 0..=text.len() {
                    if text.is_char_boundary(pos) {
                        assert_eq!(
                            whole.map.to_original(at + pos),
                            a + alone.map.to_original(pos),
                            "{a}..{b} at {pos}"
                        );
                    }
                }
            }
        }
        assert!(sliced > 500, "most ranges are sliced: {sliced}");
    }
}
