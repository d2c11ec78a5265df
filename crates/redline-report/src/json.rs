//! Writing a finding's JSON object by hand. Every check writes one object per finding, and a
//! scored draft's evidence holds a few dozen small objects more; through serde, every key was
//! escaped byte by byte again for every object, about a tenth of a short draft's whole check.
//! Here keys are written as they are, strings are escaped exactly as serde_json escapes them,
//! and numbers go through serde_json, so the bytes are the ones serde_json would write.

use serde::Serialize;

/// A key's JSON text with its colon, made when compiling: `key!("end")` is `"end":`. Keys
/// are plain ASCII names that need no escaping.
macro_rules! key {
    ($name:literal) => {
        concat!("\"", $name, "\":").as_bytes()
    };
}
pub(crate) use key;

/// An object being written: its opening brace is out, keys are written with their commas.
pub(crate) struct Object<'o> {
    out: &'o mut Vec<u8>,
    first: bool,
}

impl<'o> Object<'o> {
    pub(crate) fn new(out: &'o mut Vec<u8>) -> Self {
        out.push(b'{');
        Object { out, first: true }
    }

    /// Writes a key, given as its JSON text with the colon (`"end":`; see [`key!`]), and
    /// returns the buffer for the value.
    pub(crate) fn key(&mut self, key: &[u8]) -> &mut Vec<u8> {
        if !std::mem::take(&mut self.first) {
            self.out.push(b',');
        }
        self.out.extend_from_slice(key);
        self.out
    }

    pub(crate) fn end(self) {
        self.out.push(b'}');
    }
}

/// A JSON string, escaped as serde_json escapes it: `"` and `\`, the short forms of
/// backspace, form feed, newline, carriage return and tab, `\u00XX` for other control
/// characters; everything else as it is.
pub(crate) fn string(out: &mut Vec<u8>, s: &str) {
    out.push(b'"');
    let bytes = s.as_bytes();
    let mut from = 0;
    let mut i = 0;
    while i < bytes.len() {
        // Eight bytes at a time while none of them needs escaping.
        if let Some(block) = bytes.get(i..i + 8) {
            let mut b = [0u8; 8];
            b.copy_from_slice(block);
            if !needs_escape(u64::from_le_bytes(b)) {
                i += 8;
                continue;
            }
        }
        let b = bytes[i];
        i += 1;
        let short = match b {
            b'"' => b'"',
            b'\\' => b'\\',
            0x08 => b'b',
            0x0c => b'f',
            b'\n' => b'n',
            b'\r' => b'r',
            b'\t' => b't',
            0x00..=0x1f => b'u',
            _ => continue,
        };
        out.extend_from_slice(&bytes[from..i - 1]);
        if short == b'u' {
            const HEX: &[u8; 16] = b"0123456789abcdef";
            out.extend_from_slice(b"\\u00");
            out.push(HEX[usize::from(b >> 4)]);
            out.push(HEX[usize::from(b & 0xf)]);
        } else {
            out.extend_from_slice(&[b'\\', short]);
        }
        from = i;
    }
    out.extend_from_slice(&bytes[from..]);
    out.push(b'"');
}

/// Whether any of eight bytes is a control character, `"` or `\`: the usual tests for a
/// zero byte, on the bytes themselves (below 0x20) and on them xor each character.
fn needs_escape(x: u64) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    let below = |v: u64, n: u64| v.wrapping_sub(ONES * n) & !v & HIGHS;
    below(x, 0x20)
        | below(x ^ (ONES * u64::from(b'"')), 1)
        | below(x ^ (ONES * u64::from(b'\\')), 1)
        != 0
}

/// A JSON array of `items`, each written by `write`.
pub(crate) fn array<T>(out: &mut Vec<u8>, items: &[T], mut write: impl FnMut(&mut Vec<u8>, &T)) {
    out.push(b'[');
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        write(out, item);
    }
    out.push(b']');
}

/// Text that is already JSON (escaped once, ahead of time), or `null`.
pub(crate) fn opt_raw(out: &mut Vec<u8>, value: Option<&str>) {
    out.extend_from_slice(value.unwrap_or("null").as_bytes());
}

/// A string, or `null`.
pub(crate) fn opt_string(out: &mut Vec<u8>, s: Option<&str>) {
    match s {
        Some(s) => string(out, s),
        None => out.extend_from_slice(b"null"),
    }
}

/// A whole number in decimal.
pub(crate) fn number(out: &mut Vec<u8>, n: usize) {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    let mut n = n;
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.extend_from_slice(&digits[at..]);
}

/// A whole number, or `null`.
pub(crate) fn opt_number(out: &mut Vec<u8>, n: Option<usize>) {
    match n {
        Some(n) => number(out, n),
        None => out.extend_from_slice(b"null"),
    }
}

pub(crate) fn boolean(out: &mut Vec<u8>, b: bool) {
    out.extend_from_slice(if b { b"true" } else { b"false" });
}

/// Anything else (floats, a voice comparison's evidence) through serde_json itself.
pub(crate) fn serde(out: &mut Vec<u8>, value: &impl Serialize) {
    serde_json::to_writer(out, value).expect("serde_json writes numbers and trees to a Vec");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_and_numbers_are_the_bytes_serde_json_writes() {
        let mut strings: Vec<String> = ["", "plain", "a \"quote\" and \\ back", "é — 🙂 ✓"]
            .map(String::from)
            .to_vec();
        strings.push((0u8..0x80).map(char::from).collect());
        strings.push("an escape \\ at every place: \"12345678\t9\n\u{1}x".repeat(3));
        for s in &strings {
            let mut out = Vec::new();
            string(&mut out, s);
            assert_eq!(out, serde_json::to_vec(s).unwrap(), "{s:?}");
        }
        for n in [0, 7, 10, 99, 100, 12_345, usize::MAX] {
            let mut out = Vec::new();
            number(&mut out, n);
            assert_eq!(out, serde_json::to_vec(&n).unwrap());
        }
    }

    #[test]
    fn objects_separate_their_keys() {
        let mut out = Vec::new();
        let mut o = Object::new(&mut out);
        number(o.key(key!("a")), 1);
        opt_string(o.key(key!("b")), None);
        boolean(o.key(key!("c")), true);
        array(o.key(key!("d")), &[1, 2], |out, n| number(out, *n));
        array(o.key(key!("e")), &[0; 0], |out, n| number(out, *n));
        opt_raw(o.key(key!("f")), None);
        o.end();
        assert_eq!(
            out,
            br#"{"a":1,"b":null,"c":true,"d":[1,2],"e":[],"f":null}"#
        );
    }
}
