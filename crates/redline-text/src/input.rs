//! Opening an input: the one place that decides what a file or stream holds and reads it,
//! for `redline check`, `redline audit` and the language server alike.
//!
//! [`Input::open`] sniffs only what the decision needs: the first 8 KiB (a NUL byte there
//! means a binary file, skipped, unless the input opens as an mbox: one damaged message must
//! not throw away a whole mailbox), and, when the name does not settle the kind, a leading
//! header block up to its first blank line (at most 16 KiB). The rest is read afterwards, as
//! one draft ([`Input::into_bytes`]) or a message at a time ([`Input::messages`]), never more
//! than the draft limit, so a runaway stream (`yes | redline check -`) ends with an error
//! instead of filling memory.

use std::fmt;
use std::io::{self, BufReader, Cursor, Read};
use std::path::Path;

use crate::read::{InputKind, MboxReader, is_from_line, kind_by_name};

/// The most bytes one draft (a file, stdin, or one message of a mailbox) may hold by default.
pub const DEFAULT_MAX_DRAFT_BYTES: usize = 64 << 20;

/// How many leading bytes are checked for NUL bytes.
const BINARY_SNIFF: usize = 8 * 1024;

/// How far a leading header block is read to decide whether the input is a message.
const HEADER_SNIFF: usize = 16 * 1024;

/// Why an input, or one message of it, could not be read.
#[derive(Debug)]
pub enum ReadError {
    /// The operating system refused or failed.
    Io(io::Error),
    /// NUL bytes near the start: not text.
    Binary,
    /// One draft is larger than the limit (in bytes).
    TooLarge(usize),
}

impl ReadError {
    /// Whether the input was at least readable text that was deliberately passed over (a
    /// binary file), rather than something that could not be read.
    pub fn is_skip(&self) -> bool {
        matches!(self, ReadError::Binary)
    }
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReadError::Io(e) => write!(f, "cannot read: {e}"),
            ReadError::Binary => f.write_str("looks binary (NUL bytes); skipped"),
            ReadError::TooLarge(limit) => write!(
                f,
                "a draft larger than {} is not read; skipped",
                human_size(*limit)
            ),
        }
    }
}

impl std::error::Error for ReadError {}

impl From<io::Error> for ReadError {
    fn from(e: io::Error) -> Self {
        ReadError::Io(e)
    }
}

/// `n` bytes as people write sizes (`64 MiB`, `512 KiB`, `100 bytes`).
pub fn human_size(n: usize) -> String {
    if n >= 1 << 20 && n % (1 << 20) == 0 {
        format!("{} MiB", n >> 20)
    } else if n >= 1 << 10 && n % (1 << 10) == 0 {
        format!("{} KiB", n >> 10)
    } else {
        format!("{n} bytes")
    }
}

/// An opened input whose kind is known and whose first bytes are already read.
pub struct Input<R> {
    kind: InputKind,
    head: Vec<u8>,
    rest: R,
    limit: usize,
    /// How long the whole input says it is (a file's length), so reading it allocates once.
    expected: Option<u64>,
    /// Whether the sniff already read to the end.
    ended: bool,
}

impl Input<std::fs::File> {
    /// Opens the file at `path` (named by its path for the kind decision).
    pub fn open_path(path: &Path, limit: usize) -> Result<Self, ReadError> {
        let file = std::fs::File::open(path)?;
        let mut input = Input::open(&path.to_string_lossy(), file, limit)?;
        // Only a file longer than its sniff has more to read, which its length sizes.
        if !input.ended {
            let expected = input.rest.metadata().ok().map(|m| m.len());
            input.expect_len(expected);
        }
        Ok(input)
    }
}

impl<R: Read> Input<R> {
    /// Sniffs `reader`, named `name`: binary inputs are refused, and the kind is decided
    /// from the name or the first bytes. `limit` bounds each draft read from it.
    ///
    /// A NUL byte in the first 8 KiB makes the input binary, except in a mailbox (an mbox by
    /// kind whose first line is a `From ` separator): there it is a damaged message among
    /// many, and every message is read, that one with its NUL bytes as text. Images, archives
    /// and other binary files never open with a `From ` line.
    pub fn open(name: &str, mut reader: R, limit: usize) -> Result<Self, ReadError> {
        let mut head = Vec::new();
        let mut ended = fill(&mut reader, &mut head, BINARY_SNIFF)?;
        // memchr's vector search: `contains` reads the sniff a byte at a time.
        let nul = memchr::memchr(0, &head).is_some();
        if nul && !opens_as_mbox(&head) {
            return Err(ReadError::Binary);
        }
        if kind_by_name(name).is_none() {
            while !ended && head.len() < HEADER_SNIFF && !has_blank_line(&head) {
                let upto = (head.len() + 4096).min(HEADER_SNIFF);
                ended = fill(&mut reader, &mut head, upto)?;
            }
        }
        let kind = crate::input_kind(name, &head);
        if nul && kind != InputKind::Mbox {
            return Err(ReadError::Binary);
        }
        Ok(Input {
            kind,
            head,
            rest: reader,
            limit,
            expected: None,
            ended,
        })
    }

    /// Tells the input how long it is in all (for a file, its length), so that
    /// [`Input::into_bytes`] holds a large input in one allocation of its size instead of
    /// doubling its buffer up to twice that. A wrong figure costs only that saving.
    pub fn expect_len(&mut self, len: Option<u64>) {
        self.expected = len;
    }

    /// The same input read through a boxed reader, so inputs of different sources (a file,
    /// standard input) have one type.
    pub fn boxed<'r>(self) -> Input<Box<dyn Read + 'r>>
    where
        R: 'r,
    {
        Input {
            kind: self.kind,
            head: self.head,
            rest: Box::new(self.rest),
            limit: self.limit,
            expected: self.expected,
            ended: self.ended,
        }
    }

    /// What the input holds.
    pub fn kind(&self) -> InputKind {
        self.kind
    }

    /// The whole input, as one draft's bytes.
    pub fn into_bytes(self) -> Result<Vec<u8>, ReadError> {
        let mut bytes = self.head;
        if !self.ended {
            let room = (self.limit + 1).saturating_sub(bytes.len()) as u64;
            if let Some(len) = self.expected {
                let whole = len.min(self.limit as u64 + 1);
                let more = whole.saturating_sub(bytes.len() as u64);
                bytes.reserve_exact(usize::try_from(more).unwrap_or(0));
            }
            self.rest.take(room).read_to_end(&mut bytes)?;
        }
        if bytes.len() > self.limit {
            return Err(ReadError::TooLarge(self.limit));
        }
        Ok(bytes)
    }

    /// The input's messages, for a mailbox: `(offset in the input, bytes)`, one at a time; a
    /// message over the limit is an error and reading goes on with the next one.
    pub fn messages(self) -> MboxReader<BufReader<io::Chain<Cursor<Vec<u8>>, R>>> {
        MboxReader::with_limit(
            BufReader::new(Cursor::new(self.head).chain(self.rest)),
            self.limit,
        )
    }
}

/// Reads from `reader` into `buf` until it holds `upto` bytes or the input ends; returns
/// whether it ended. The room is made first, so a short file is read in one call (and one
/// more that finds its end), not in reads that start at 32 bytes and double.
fn fill(reader: &mut impl Read, buf: &mut Vec<u8>, upto: usize) -> io::Result<bool> {
    let room = upto.saturating_sub(buf.len());
    buf.reserve(room);
    reader.take(room as u64).read_to_end(buf)?;
    Ok(buf.len() < upto)
}

/// Whether `head` opens with an mbox `From ` separator line, after blank lines (which the
/// mbox reader passes over too).
fn opens_as_mbox(head: &[u8]) -> bool {
    let start = head
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(head.len());
    let line = &head[start..];
    let line = &line[..memchr::memchr(b'\n', line).map_or(line.len(), |i| i + 1)];
    is_from_line(line)
}

fn has_blank_line(bytes: &[u8]) -> bool {
    bytes.windows(2).any(|w| w == b"\n\n") || bytes.windows(4).any(|w| w == b"\r\n\r\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A reader that counts how many bytes were taken from it.
    struct Counting<'a>(&'a [u8], usize);

    impl Read for Counting<'_> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            let n = self.0.read(buf)?;
            self.1 += n;
            Ok(n)
        }
    }

    #[test]
    fn the_sniff_reads_only_the_header_block_it_needs() {
        let mut message = b"Message-ID: <1@x>\nSubject: hi\n\n".to_vec();
        message.extend(std::iter::repeat_n(b'a', 100_000));
        let mut counting = Counting(&message, 0);
        let input = Input::open("00001", &mut counting, DEFAULT_MAX_DRAFT_BYTES).unwrap();
        assert_eq!(input.kind(), InputKind::Message);
        assert_eq!(counting.1, BINARY_SNIFF, "one chunk holds the header block");

        let mut text = b"Hi Dana,\n".repeat(10_000);
        text.insert(20_000, 0);
        let input = Input::open("draft.txt", &text[..], DEFAULT_MAX_DRAFT_BYTES);
        assert!(input.is_ok(), "a NUL past the first 8 KiB is text");
        text.insert(100, 0);
        let input = Input::open("draft.txt", &text[..], DEFAULT_MAX_DRAFT_BYTES);
        assert!(matches!(input, Err(ReadError::Binary)));
    }

    /// A reader that counts the calls made to it.
    struct Calls<'a>(&'a [u8], usize);

    impl Read for Calls<'_> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            self.1 += 1;
            self.0.read(buf)
        }
    }

    #[test]
    fn a_short_file_is_read_in_one_call_and_one_that_finds_its_end() {
        let message = b"Subject: hi\n\nHi Dana,\n".repeat(200);
        let mut calls = Calls(&message, 0);
        let mut input = Input::open("00001", &mut calls, DEFAULT_MAX_DRAFT_BYTES).unwrap();
        input.expect_len(Some(message.len() as u64));
        assert_eq!(input.into_bytes().unwrap(), message);
        assert_eq!(calls.1, 2, "the text and its end");
        let small = Input::open("00001", &message[..], 100).unwrap();
        assert!(
            matches!(small.into_bytes(), Err(ReadError::TooLarge(100))),
            "the limit holds for what the sniff read whole"
        );
    }

    #[test]
    fn an_expected_length_sizes_the_buffer_once_and_a_wrong_one_changes_nothing_read() {
        let text = b"Hi Dana, the numbers are in.\n".repeat(20_000);
        for (expected, exact) in [(text.len(), true), (10, false), (text.len() * 3, false)] {
            let mut input = Input::open("draft.txt", &text[..], DEFAULT_MAX_DRAFT_BYTES).unwrap();
            input.expect_len(Some(expected as u64));
            let bytes = input.into_bytes().unwrap();
            assert_eq!(bytes, text, "expected {expected}");
            if exact {
                assert_eq!(
                    bytes.capacity(),
                    text.len(),
                    "one allocation of the file's size"
                );
            }
        }
        let mut input = Input::open("-", io::repeat(b'y'), 50_000).unwrap();
        input.expect_len(Some(u64::MAX));
        let e = input.into_bytes().unwrap_err();
        assert!(
            matches!(e, ReadError::TooLarge(50_000)),
            "the limit bounds the buffer"
        );
    }

    #[test]
    fn a_draft_over_the_limit_is_an_error_after_reading_one_byte_past_it() {
        let mut endless = io::repeat(b'y');
        let input = Input::open("-", &mut endless, 100_000).unwrap();
        assert_eq!(input.kind(), InputKind::Plain);
        let e = input.into_bytes().unwrap_err();
        assert!(matches!(e, ReadError::TooLarge(100_000)));
        assert!(e.to_string().contains("larger than 100000 bytes"), "{e}");
        let exact = vec![b'a'; 100_000];
        let input = Input::open("-", &exact[..], 100_000).unwrap();
        assert_eq!(input.into_bytes().unwrap().len(), 100_000);
        assert_eq!(human_size(DEFAULT_MAX_DRAFT_BYTES), "64 MiB");
    }

    #[test]
    fn a_nul_byte_in_a_mailbox_damages_no_other_message_and_binary_files_stay_refused() {
        let mut mbox = Vec::new();
        for i in 1..=3 {
            let body = if i == 2 { "Hi\0 Dana\n" } else { "Hi Dana\n" };
            mbox.extend(
                format!("From a@x Mon Jan  1 09:00:00 2024\nMessage-ID: <{i}@x>\n\n{body}\n")
                    .as_bytes(),
            );
        }
        for name in ["sent.mbox", "Sent", "-"] {
            let input = Input::open(name, &mbox[..], DEFAULT_MAX_DRAFT_BYTES).unwrap();
            assert_eq!(input.kind(), InputKind::Mbox, "{name}");
            let messages: Vec<_> = input.messages().map(Result::unwrap).collect();
            assert_eq!(messages.len(), 3, "{name}");
            assert!(
                messages[1].1.ends_with(b"Hi\0 Dana\n\n"),
                "read whole, NUL and all"
            );
        }
        let mut blank_first = b"\n".to_vec();
        blank_first.extend(&mbox);
        assert!(Input::open("sent.mbox", &blank_first[..], DEFAULT_MAX_DRAFT_BYTES).is_ok());
        for (name, bytes) in [
            ("logo.mbox", &b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"[..]),
            (
                "archive.mbox",
                b"PK\x03\x04\0\0From a@x Mon Jan  1 09:00:00 2024\n",
            ),
            ("one.eml", &mbox[..]),
            ("notes.txt", b"From here on\0 it is binary\n"),
        ] {
            let input = Input::open(name, bytes, DEFAULT_MAX_DRAFT_BYTES);
            assert!(matches!(input, Err(ReadError::Binary)), "{name}");
        }
    }

    #[test]
    fn an_oversized_message_is_skipped_and_the_mailbox_goes_on() {
        let mut mbox = b"From a@x Mon Jan  1 09:00:00 2024\nSubject: one\n\n".to_vec();
        mbox.extend(b"long line ".repeat(50));
        mbox.extend(b"\n\nFrom b@y Tue Jan  2 10:00:00 2024\nSubject: two\n\nbody\n");
        let input = Input::open("x.mbox", &mbox[..], 200).unwrap();
        let mut messages = input.messages();
        assert!(matches!(
            messages.next(),
            Some(Err(ReadError::TooLarge(200)))
        ));
        let second = mbox.windows(6).position(|w| w == b"From b").unwrap();
        let lines_before = mbox[..second].iter().filter(|&&b| b == b'\n').count();
        let (base, bytes) = messages.next().unwrap().unwrap();
        assert_eq!(messages.lines_before_last(), lines_before);
        assert_eq!(&mbox[base..], &bytes[..]);
        assert!(messages.next().is_none());
    }
}
