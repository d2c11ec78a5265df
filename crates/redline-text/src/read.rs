//! Inputs to drafts: deciding what a file is, and reading it into [`Document`]s.
//!
//! | kind | recognised by | drafts |
//! |---|---|---|
//! | plain text, Markdown | anything else | one; offsets are the file's bytes |
//! | message | `.eml`, Apple Mail's `.emlx`, or a leading header block with MIME or transport headers | one, decoded ([`crate::decode_message`]) |
//! | HTML | `.html`, `.htm` | one, converted ([`crate::html_to_text`]) |
//! | mbox | `.mbox`, `.mbx`, or a first line `From ` followed by headers | one per message, numbered from 1 |
//!
//! Bytes that are not UTF-8 are read as Windows-1252, one character each, and noted; offsets
//! still lead back to the file.

use std::io::{BufRead, Read};

use crate::decode::decode_noted;
use crate::input::ReadError;

use crate::{
    Charset, Document, MediaType, Origin, Part, Source, SpanMap, TransferEncoding, decode_message,
    emlx_message, html_to_text, looks_like_message,
};

/// What kind of input a file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputKind {
    /// A plain-text or Markdown draft.
    Plain,
    /// One RFC 5322 / MIME message.
    Message,
    /// An HTML body.
    Html,
    /// An mbox mailbox of many messages.
    Mbox,
}

/// Decides what a file is from its name and its first bytes.
pub fn input_kind(name: &str, head: &[u8]) -> InputKind {
    match kind_by_name(name) {
        Some(kind) => kind,
        None if head.starts_with(b"From ") && looks_like_message(skip_line(head)) => {
            InputKind::Mbox
        }
        None if looks_like_message(head)
            || emlx_message(head).is_some_and(|(_, m)| looks_like_message(m)) =>
        {
            InputKind::Message
        }
        None => InputKind::Plain,
    }
}

/// The kind a file's extension settles, if it does.
pub(crate) fn kind_by_name(name: &str) -> Option<InputKind> {
    let ext = name.rsplit_once('.')?.1;
    let is = |known: &str| ext.eq_ignore_ascii_case(known);
    if is("eml") || is("emlx") {
        Some(InputKind::Message)
    } else if is("mbox") || is("mbx") {
        Some(InputKind::Mbox)
    } else if is("html") || is("htm") {
        Some(InputKind::Html)
    } else {
        None
    }
}

fn skip_line(b: &[u8]) -> &[u8] {
    b.iter()
        .position(|&c| c == b'\n')
        .map_or(&[], |i| &b[i + 1..])
}

/// A draft read from an input. A plain UTF-8 draft borrows the input's bytes as its text
/// (a large file is held once, not twice); a decoded one owns its text.
#[derive(Debug, Clone)]
pub struct Draft<'a> {
    /// The message number within an mbox (1-based); `None` for single-draft inputs.
    pub number: Option<usize>,
    /// The draft.
    pub doc: Document<'a>,
    /// Things the user should know about how it was read.
    pub notes: Vec<String>,
    /// Whether the input holds text that could not be read (a message with only an
    /// attachment, a charset that could not be decoded): checking what is left cannot pass it.
    pub unread: bool,
}

impl Draft<'_> {
    /// The same draft, owning its text, to keep after the input's bytes are gone.
    pub fn into_owned(self) -> Draft<'static> {
        Draft {
            number: self.number,
            doc: self.doc.into_owned(),
            notes: self.notes,
            unread: self.unread,
        }
    }
}

/// Reads one draft of `kind` (not mbox) from `bytes`, whose offsets in the input start at
/// `base` (non-zero for a message inside a mailbox).
pub fn read_draft(kind: InputKind, bytes: &[u8], base: usize) -> Draft<'_> {
    let mut notes = Vec::new();
    let mut unread = false;
    let doc = match kind {
        InputKind::Message | InputKind::Mbox => {
            let d = decode_message(bytes, base);
            notes.extend(d.notes);
            unread = d.unread;
            Document::decoded(
                d.text,
                Source {
                    map: d.map,
                    parts: d.parts,
                },
            )
        }
        InputKind::Html => {
            let (text, map) = decode_noted(Charset::Utf8, bytes, Origin::At(base), "", &mut notes);
            let (converted, to_html) = html_to_text(&text);
            single_part(converted, to_html.through(&map), MediaType::Html)
        }
        InputKind::Plain => match std::str::from_utf8(bytes) {
            Ok(text) if base == 0 => Document::parse(text),
            _ => {
                let (text, map) =
                    decode_noted(Charset::Utf8, bytes, Origin::At(base), "", &mut notes);
                single_part(text.into_owned(), map, MediaType::PlainText)
            }
        },
    };
    Draft {
        number: None,
        doc,
        notes,
        unread,
    }
}

/// A document decoded from a whole file: one part, mapped byte for byte where it can be.
fn single_part(text: String, map: SpanMap, content_type: MediaType) -> Document<'static> {
    let part = Part {
        id: 0,
        content_type,
        encoding: TransferEncoding::EightBit,
        text: 0..text.len(),
        exact: true,
    };
    Document::decoded(
        text,
        Source {
            map,
            parts: vec![part],
        },
    )
}

/// An mbox separator: `From <sender> <date>`, told from a body line starting with "From " by
/// having a time (`hh:mm`) or a year in it.
pub fn is_from_line(line: &[u8]) -> bool {
    let Some(rest) = line.strip_prefix(b"From ") else {
        return false;
    };
    let text = String::from_utf8_lossy(rest);
    let mut tokens = text.split_whitespace();
    tokens.next().is_some()
        && tokens.any(|t| {
            let digits = t.bytes().filter(u8::is_ascii_digit).count();
            (t.contains(':') && digits >= 3) || (t.len() == 4 && digits == 4)
        })
}

/// Reads an mbox mailbox one message at a time, never holding more than one message.
pub struct MboxReader<R> {
    reader: R,
    offset: usize,
    pending: Option<Vec<u8>>,
    line: Vec<u8>,
    limit: usize,
    lines: usize,
    first_line: usize,
}

impl<R: BufRead> MboxReader<R> {
    /// Reads messages from `reader`.
    pub fn new(reader: R) -> Self {
        Self::with_limit(reader, usize::MAX)
    }

    /// Reads messages from `reader`; a message longer than `limit` bytes is not kept but
    /// reported as [`ReadError::TooLarge`], and reading goes on with the next one.
    pub fn with_limit(reader: R, limit: usize) -> Self {
        MboxReader {
            reader,
            offset: 0,
            pending: None,
            line: Vec::new(),
            limit,
            lines: 0,
            first_line: 0,
        }
    }

    /// How many lines of the mailbox come before the message (or skipped oversized message)
    /// `next` returned last: the line count for turning its offsets into line numbers.
    pub fn lines_before_last(&self) -> usize {
        self.first_line
    }
}

fn count_lines(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| b == b'\n').count()
}

/// How much of an oversized message is read at a time while skipping it.
const SKIP_CHUNK: u64 = 64 * 1024;

impl<R: BufRead> Iterator for MboxReader<R> {
    /// `(offset of the message in the mailbox, its bytes)`.
    type Item = Result<(usize, Vec<u8>), ReadError>;

    fn next(&mut self) -> Option<Self::Item> {
        let mut message = self.pending.take().unwrap_or_default();
        let mut start = self.offset - message.len();
        self.first_line = self.lines - count_lines(&message);
        let mut at_line_start = true;
        let mut too_large = false;
        loop {
            self.line.clear();
            let room = if too_large {
                SKIP_CHUNK
            } else {
                (self.limit.saturating_add(1).saturating_sub(message.len())).max(1) as u64
            };
            match (&mut self.reader)
                .take(room)
                .read_until(b'\n', &mut self.line)
            {
                Err(e) => return Some(Err(e.into())),
                Ok(0) if too_large => return Some(Err(ReadError::TooLarge(self.limit))),
                Ok(0) => {
                    return (!message.is_empty()).then_some(Ok((start, message)));
                }
                Ok(n) => {
                    self.lines += count_lines(&self.line);
                    // mboxo and mboxrd writers quote a body line starting `From ` as `>From `,
                    // so every `From ` line that looks like a separator starts a message, blank
                    // line before it or not (as Python's `mailbox` reads it). A chunk cut
                    // mid-line is never followed by a line start.
                    let is_from = at_line_start && is_from_line(&self.line);
                    at_line_start = self.line.ends_with(b"\n");
                    if is_from && (too_large || message.iter().any(|b| !b.is_ascii_whitespace())) {
                        self.pending = Some(std::mem::take(&mut self.line));
                        self.offset += n;
                        return Some(if too_large {
                            Err(ReadError::TooLarge(self.limit))
                        } else {
                            Ok((start, message))
                        });
                    }
                    if is_from && !too_large {
                        // Blank lines before the first separator belong to no message.
                        message.clear();
                    }
                    if message.is_empty() && !too_large {
                        start = self.offset;
                        self.first_line = self.lines - count_lines(&self.line);
                    }
                    self.offset += n;
                    if !too_large {
                        message.extend_from_slice(&self.line);
                        if message.len() > self.limit {
                            too_large = true;
                            message = Vec::new();
                        }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_by_name_and_content() {
        assert_eq!(input_kind("a.EML", b""), InputKind::Message);
        assert_eq!(input_kind("sent.mbox", b""), InputKind::Mbox);
        assert_eq!(input_kind("a.html", b""), InputKind::Html);
        assert_eq!(
            input_kind("draft.txt", b"Subject: hi\n\nHi Dana"),
            InputKind::Plain
        );
        assert_eq!(
            input_kind("00001", b"Return-Path: <a@b>\nSubject: x\n\nbody"),
            InputKind::Message
        );
        assert_eq!(
            input_kind(
                "mail",
                b"From a@b Mon Jan 1 09:00:00 2024\nMessage-ID: <1@b>\n\nbody"
            ),
            InputKind::Mbox
        );
    }

    #[test]
    fn blank_lines_before_the_first_separator_belong_to_no_message() {
        for blank in [&b"\n"[..], b"\r\n", b"\n \n"] {
            let mut mbox = blank.to_vec();
            mbox.extend_from_slice(b"From a@x Mon Jan  1 09:00:00 2024\nSubject: one\n\nbody\n");
            let mut reader = MboxReader::new(&mbox[..]);
            let (base, bytes) = reader.next().unwrap().unwrap();
            assert_eq!(base, blank.len());
            assert!(bytes.starts_with(b"From a@x"), "{blank:?}");
            assert_eq!(reader.lines_before_last(), count_lines(blank));
            assert!(reader.next().is_none());
        }
    }

    #[test]
    fn mbox_reader_streams_messages_with_offsets() {
        let mbox = b"From a@x Mon Jan  1 09:00:00 2024\nSubject: one\n\nFrom here on, text.\n\nFrom b@y Tue Jan  2 10:00:00 2024\nSubject: two\n\nbody\n";
        let msgs: Vec<_> = MboxReader::new(&mbox[..]).map(Result::unwrap).collect();
        assert_eq!(msgs.len(), 2);
        assert_eq!(msgs[0].0, 0);
        assert!(msgs[0].1.ends_with(b"From here on, text.\n\n"));
        assert!(mbox[msgs[1].0..].starts_with(b"From b@y"));
        assert_eq!(&mbox[msgs[1].0..], &msgs[1].1[..]);
    }

    #[test]
    fn a_from_line_without_a_blank_line_before_it_starts_a_message() {
        let mut mbox = Vec::new();
        for i in 0..60 {
            mbox.extend_from_slice(
                format!(
                    "From a@x Mon Jan  1 09:00:{:02} 2024\nMessage-ID: <{i}@x>\n\nbody {i}\n",
                    i % 60
                )
                .as_bytes(),
            );
        }
        let msgs: Vec<_> = MboxReader::new(&mbox[..]).map(Result::unwrap).collect();
        assert_eq!(msgs.len(), 60, "as Python's mailbox.mbox reads it");
        assert!(msgs[59].1.ends_with(b"body 59\n"));
        let quoted = b"From a@x Mon Jan  1 09:00:00 2024\nSubject: one\n\n>From a@x Mon Jan  1 09:00:00 2024\nFrom here on.\n";
        assert_eq!(
            MboxReader::new(&quoted[..]).count(),
            1,
            ">From and prose stay in the body"
        );
    }

    #[test]
    fn a_draft_that_is_not_utf8_is_read_as_windows_1252_and_maps_back_to_the_file() {
        let bytes = b"Caf\xe9 news: in today\x92s market I wanted to reach out.";
        let d = read_draft(InputKind::Plain, bytes, 0);
        assert_eq!(d.notes, ["invalid UTF-8 at byte 3; read as Windows-1252"]);
        let text = d.doc.text();
        assert!(text.starts_with("Café news: in today’s market"), "{text:?}");
        let at = text.find("I wanted").unwrap();
        let span = d.doc.input_span(at..at + 8).unwrap();
        assert_eq!(&bytes[span], b"I wanted");
    }
}
