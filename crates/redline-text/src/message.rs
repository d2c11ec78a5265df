//! RFC 5322 / MIME messages, HTML files and mbox mailboxes, read into drafts.
//!
//! A message becomes one text: `Subject: <decoded subject>`, a blank line, then the body the
//! rep wrote: the text/plain parts, or the text/html parts converted when there is no plain
//! alternative or the plain one is a stub for them (never both, so nothing is reported twice). Attachments and forwarded
//! message/rfc822 parts are left out. A [`SpanMap`] leads from the text back to the message
//! bytes: byte for byte through 7bit, 8bit and quoted-printable bodies in UTF-8 or
//! Windows-1252 (as text labelled ISO-8859-1 or Latin-1 is read, and bytes of a UTF-8 body
//! that are not UTF-8); to the whole encoded run for base64, encoded-word subjects and other
//! charsets.

use std::borrow::Cow;
use std::fmt;
use std::ops::Range;

use mail_parser::{Encoding, HeaderName, MessageParser, MimeHeaders, PartType};

use crate::decode::{as_read, decode_noted};
use crate::{Charset, Origin, SpanMap, html_to_text, quoted_printable};

/// Where a stretch of a message's text came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    /// The MIME part number (0 is the message itself).
    pub id: usize,
    /// Its media type.
    pub content_type: MediaType,
    /// Its transfer encoding.
    pub encoding: TransferEncoding,
    /// The part's stretch of the decoded text.
    pub text: Range<usize>,
    /// Whether offsets map back to the message byte for byte.
    pub exact: bool,
}

/// What a part of a draft holds, by its media type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MediaType {
    /// The decoded `Subject:` header.
    Subject,
    /// `text/plain`.
    PlainText,
    /// `text/html`.
    Html,
    /// Any other media type, as `type/subtype` in lower case.
    Other(String),
}

impl MediaType {
    /// The media type of that type and subtype (any case).
    pub fn of(ctype: &str, subtype: &str) -> Self {
        let text = ctype.eq_ignore_ascii_case("text");
        if text && subtype.eq_ignore_ascii_case("plain") {
            MediaType::PlainText
        } else if text && subtype.eq_ignore_ascii_case("html") {
            MediaType::Html
        } else {
            let mut name = format!("{ctype}/{subtype}");
            name.make_ascii_lowercase();
            MediaType::Other(name)
        }
    }

    /// Its name: `type/subtype`, or `subject`.
    pub fn name(&self) -> &str {
        match self {
            MediaType::Subject => "subject",
            MediaType::PlainText => "text/plain",
            MediaType::Html => "text/html",
            MediaType::Other(name) => name,
        }
    }
}

impl fmt::Display for MediaType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// How a part's text is stored in the message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TransferEncoding {
    /// As is, 7-bit.
    SevenBit,
    /// As is, 8-bit: a part declared `8bit` or `binary`, or a whole file read as one part.
    EightBit,
    /// Quoted-printable.
    QuotedPrintable,
    /// Base64.
    Base64,
    /// An RFC 2047 encoded-word (a subject).
    EncodedWord,
}

impl TransferEncoding {
    /// Its name as a `Content-Transfer-Encoding` header would give it.
    pub fn name(self) -> &'static str {
        match self {
            TransferEncoding::SevenBit => "7bit",
            TransferEncoding::EightBit => "8bit",
            TransferEncoding::QuotedPrintable => "quoted-printable",
            TransferEncoding::Base64 => "base64",
            TransferEncoding::EncodedWord => "encoded-word",
        }
    }

    /// Whether the stored bytes are the text itself, so an edit to the text is an edit to
    /// the message.
    pub fn is_identity(self) -> bool {
        matches!(
            self,
            TransferEncoding::SevenBit | TransferEncoding::EightBit
        )
    }
}

impl fmt::Display for TransferEncoding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A message decoded for linting.
#[derive(Debug, Clone, Default)]
pub struct Decoded {
    /// `Subject: …`, a blank line, and the body text.
    pub text: String,
    /// From the text back to the raw bytes.
    pub map: SpanMap,
    /// The parts the text came from (the subject is part 0 with type `subject`).
    pub parts: Vec<Part>,
    /// Things worth telling the user (an undecodable charset, a body with no text part).
    pub notes: Vec<String>,
    /// Whether the message holds text that could not be read (only an attachment such as
    /// Outlook's `winmail.dat`, a forwarded message, or a part in a charset that could not be
    /// decoded): a gate must not pass it unchecked.
    pub unread: bool,
}

impl Decoded {
    fn append(&mut self, text: &str, map: SpanMap, part: Option<Part>) {
        let base = self.text.len();
        self.text.push_str(text);
        self.map.extend(map.shifted(base));
        if let Some(mut p) = part {
            p.text = base..self.text.len();
            self.parts.push(p);
        }
    }
}

/// Whether bytes look like a raw message (a header block with MIME or transport headers)
/// rather than a plain draft that merely starts with `Subject:`.
///
/// Reads line by line from the start and stops at the first line that is not a header (the
/// answer is then no) or at the blank line ending the header block, looking no further than
/// 16 KiB: a draft is told from a message by its first line or two, without copying or
/// scanning the rest.
pub fn looks_like_message(bytes: &[u8]) -> bool {
    const TRANSPORT: [&[u8]; 7] = [
        b"mime-version:",
        b"content-type:",
        b"content-transfer-encoding:",
        b"received:",
        b"message-id:",
        b"return-path:",
        b"delivered-to:",
    ];
    let head = &bytes[..bytes.len().min(16 * 1024)];
    let mut transport = false;
    for line in head.split(|&b| b == b'\n') {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if line.is_empty() {
            break;
        }
        if line.starts_with(b" ") || line.starts_with(b"\t") {
            continue;
        }
        let name = line
            .split(|&b| b == b':')
            .next()
            .filter(|n| n.len() < line.len());
        let header = starts_with_ignore_case(line, b"from ")
            || name.is_some_and(|n| {
                !n.is_empty() && n.iter().all(|&b| b.is_ascii_alphanumeric() || b == b'-')
            });
        if !header {
            return false;
        }
        transport |= TRANSPORT.iter().any(|h| starts_with_ignore_case(line, h));
    }
    transport
}

/// The message inside an Apple Mail `.emlx` file, and its offset in the file: the first line is
/// the message's length in bytes (space-padded), the message follows, and an XML property
/// list of Mail's flags comes after it. `None` when the bytes do not open with such a line (no
/// message does: a header line has a colon). A length past the end takes the rest.
pub fn emlx_message(raw: &[u8]) -> Option<(usize, &[u8])> {
    let end = memchr::memchr(b'\n', &raw[..raw.len().min(32)])?;
    let count = std::str::from_utf8(&raw[..end]).ok()?.trim();
    if count.is_empty() || !count.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let len: usize = count.parse().ok()?;
    let message = &raw[end + 1..];
    Some((end + 1, &message[..len.min(message.len())]))
}

fn starts_with_ignore_case(line: &[u8], prefix: &[u8]) -> bool {
    line.get(..prefix.len())
        .is_some_and(|start| start.eq_ignore_ascii_case(prefix))
}

/// Decodes a raw message; offsets in the map are `base` plus offsets into `raw`. An Apple Mail
/// `.emlx` file is read as the message it holds ([`emlx_message`]).
pub fn decode_message(raw: &[u8], base: usize) -> Decoded {
    if let Some((at, message)) = emlx_message(raw) {
        return decode_message(message, base + at);
    }
    let head = Head::scan(raw);
    decode_parsed(raw, base, parse(parser(), raw, head.as_ref()))
}

/// A parser that reads only the subject and the MIME structure: every other header (Received
/// lines above all, a tenth of reading a mailing-list message) is skipped, not parsed.
/// Built once: setting it up costs as much as reading a short message's headers.
fn parser() -> &'static MessageParser {
    static PARSER: std::sync::LazyLock<MessageParser> = std::sync::LazyLock::new(|| {
        MessageParser::new()
            .with_mime_headers()
            .header_text(HeaderName::Subject)
            .default_header_ignore()
    });
    &PARSER
}

/// [`decode_message`], given what the parser made of `raw`.
fn decode_parsed(raw: &[u8], base: usize, message: Option<mail_parser::Message>) -> Decoded {
    // The text is at most about as long as the message (shorter by its headers, markup and
    // attachments): one allocation for most messages, not one per doubling; a large message
    // (attachments, most often) reserves no more than 256 KiB up front.
    let mut out = Decoded {
        text: String::with_capacity(raw.len().min(256 * 1024) + 16),
        ..Decoded::default()
    };
    let Some(message) = message else {
        out.notes
            .push("not a parsable message; checked as plain text".into());
        let (text, map) = decode_noted(Charset::Utf8, raw, Origin::At(base), "", &mut out.notes);
        out.append(&text, map, None);
        return out;
    };

    out.append("Subject: ", SpanMap::default(), None);
    if let Some(h) = message.parts[0]
        .headers
        .iter()
        .find(|h| h.name == HeaderName::Subject)
    {
        let span = h.offset_start as usize..(h.offset_end as usize).min(raw.len());
        let value = &raw[span.clone()];
        let lead = value.len() - value.trim_ascii_start().len();
        let trimmed = value.trim_ascii();
        let at = base + span.start + lead;
        let exact = !trimmed.windows(2).any(|w| w == b"=?");
        let (text, map) = if exact {
            // Raw 8-bit header bytes: UTF-8 when valid, else the common Windows-1252.
            match std::str::from_utf8(trimmed) {
                Ok(text) => as_read(text, at),
                Err(_) => Charset::Windows1252.decode(trimmed, Origin::At(at)),
            }
        } else {
            let text = message.subject().unwrap_or("");
            let mut map = SpanMap::default();
            map.push_whole(0..text.len(), at..at + trimmed.len());
            (Cow::Borrowed(text), map)
        };
        let part = Part {
            id: 0,
            content_type: MediaType::Subject,
            encoding: if exact {
                TransferEncoding::SevenBit
            } else {
                TransferEncoding::EncodedWord
            },
            text: 0..0,
            exact,
        };
        out.append(&text, map, Some(part));
    }
    out.append("\n\n", SpanMap::default(), None);

    // An empty plain alternative beside an HTML one (common) leaves the HTML as what is read.
    let plain: Vec<usize> = message
        .text_body
        .iter()
        .map(|&id| id as usize)
        .filter(|&id| {
            let part = &message.parts[id];
            matches!(part.body, PartType::Text(_)) && !blank_body(raw, part)
        })
        .collect();
    let html: Vec<usize> = message
        .html_body
        .iter()
        .map(|&id| id as usize)
        .filter(|&id| matches!(message.parts[id].body, PartType::Html(_)))
        .collect();
    let (ids, html) = if plain.is_empty() {
        (html, true)
    } else if let Some(note) = stub_beside(raw, &message, &plain, &html) {
        out.notes.push(note);
        (html, true)
    } else {
        (plain, false)
    };
    // Malformed structure can leave the body lists empty: then any text part will do.
    let ids = if ids.is_empty() {
        let any: Vec<usize> = (0..message.parts.len())
            .filter(|&id| matches!(message.parts[id].body, PartType::Text(_)))
            .collect();
        if any.is_empty() {
            unparted_body(raw, base, &message, &mut out);
        }
        any
    } else {
        ids
    };
    for id in ids {
        let part = &message.parts[id];
        let (text, map, exact) = part_text(raw, base, part, id, &mut out);
        let (text, map) = if html {
            let (t, m) = html_to_text(&text);
            (Cow::Owned(t), m.through(&map))
        } else {
            (text, map)
        };
        let content_type = part.content_type().map_or(MediaType::PlainText, |c| {
            MediaType::of(c.ctype(), c.subtype().unwrap_or(""))
        });
        let info = Part {
            id,
            content_type,
            encoding: match part.encoding {
                _ if declares_base64(part) => TransferEncoding::Base64,
                Encoding::QuotedPrintable => TransferEncoding::QuotedPrintable,
                Encoding::Base64 => TransferEncoding::Base64,
                Encoding::None if declares(part, "8bit") || declares(part, "binary") => {
                    TransferEncoding::EightBit
                }
                Encoding::None => TransferEncoding::SevenBit,
            },
            text: 0..0,
            exact,
        };
        out.append(&text, map, Some(info));
        out.append("\n\n", SpanMap::default(), None);
    }
    out
}

/// A message with no text part and no attachment either (a multipart without its boundary,
/// say) is checked as the plain text of its body, so the gate never passes text it did not
/// read; one with only attachments (or a forwarded message) has text redline cannot read, and
/// is marked unread so the gate fails on it.
fn unparted_body(raw: &[u8], base: usize, message: &mail_parser::Message, out: &mut Decoded) {
    let root = &message.parts[0];
    // A multipart without its boundary is read as one binary part: the text is in there.
    let broken = root
        .content_type()
        .is_some_and(|c| c.ctype().eq_ignore_ascii_case("multipart"));
    let attached = message.parts.iter().enumerate().any(|(i, p)| {
        matches!(
            p.body,
            PartType::Binary(_) | PartType::InlineBinary(_) | PartType::Message(_)
        ) && !(i == 0 && broken)
    });
    let span =
        (root.offset_body as usize).min(raw.len())..(root.offset_end as usize).min(raw.len());
    let body = &raw[span.clone()];
    if attached {
        out.notes.push(
            "no text or HTML body to check, only attachments or a forwarded message; not checked"
                .into(),
        );
        out.unread = true;
        return;
    }
    if body.iter().all(u8::is_ascii_whitespace) {
        out.notes.push("no text or HTML body to check".into());
        return;
    }
    out.notes
        .push("no text or HTML part found; its body checked as plain text".into());
    let (text, map) = decode_noted(
        Charset::Utf8,
        body,
        Origin::At(base + span.start),
        "",
        &mut out.notes,
    );
    out.append(&text, map, None);
}

/// The message's structure. A message of one text or HTML part with no transfer encoding, in
/// a charset decoded here (nearly every message of a mailing list), is read from the few header
/// fields that decide its structure and subject, copied out of its header block: mail-parser
/// walked every other field (Received lines above all) a byte at a time, and decoded the body,
/// which [`part_text`] decodes again from the raw bytes to keep positions; the two were most of
/// the cost of reading such mail. Anything else, or a field mail-parser reads differently from
/// [`Head::scan`], is parsed whole. `head` is what [`Head::scan`] read of `raw`: the structure
/// read from it borrows its copied fields rather than copying them again.
fn parse<'x>(
    parser: &MessageParser,
    raw: &'x [u8],
    head: Option<&'x Head>,
) -> Option<mail_parser::Message<'x>> {
    head.and_then(|head| head.structure(parser, raw))
        .or_else(|| parser.parse(raw))
}

/// The header fields of a message that mail-parser reads its structure and subject from,
/// copied one after the other and ended by an empty line, and where the body starts.
struct Head {
    /// The copied fields, then `\n`.
    fields: Vec<u8>,
    /// Each copied field's place in `fields` and its start in the message.
    places: Vec<(Range<usize>, usize)>,
    /// Where the body starts in the message.
    body: usize,
}

impl Head {
    /// The fields that decide the structure and the subject.
    const KEPT: [&[u8]; 4] = [
        b"subject",
        b"content-type",
        b"content-transfer-encoding",
        b"content-disposition",
    ];

    /// Whether a field whose line starts with `first` (not whitespace) can be one of
    /// [`Head::KEPT`]: most fields of a mailing-list message (`Received`, `From`, `X-…`)
    /// are turned away on their first byte.
    fn may_keep(first: u8) -> bool {
        matches!(first.to_ascii_lowercase(), b's' | b'c' | b':')
    }

    /// Whether the field named `name` (up to its colon) is one of [`Head::KEPT`], as
    /// mail-parser reads names: whitespace and colons left out, any case.
    fn keeps(name: &[u8]) -> bool {
        let name = name
            .iter()
            .filter(|&&b| !b.is_ascii_whitespace() && b != b':')
            .map(u8::to_ascii_lowercase);
        Head::KEPT
            .iter()
            .any(|kept| kept.iter().copied().eq(name.clone()))
    }

    /// Reads the header block as mail-parser does: a field starts past any whitespace, and an
    /// empty line ends the block; a line with no colon after its name is skipped; a value runs
    /// on over lines that start with a space or a tab. `None` when the message ends inside it.
    fn scan(raw: &[u8]) -> Option<Head> {
        let mut head = Head {
            fields: Vec::new(),
            places: Vec::new(),
            body: 0,
        };
        let mut at = 0;
        loop {
            let start = at
                + raw[at..]
                    .iter()
                    .position(|&b| b == b'\n' || !b.is_ascii_whitespace())?;
            if raw[start] == b'\n' {
                head.body = start + 1;
                head.fields.push(b'\n');
                return Some(head);
            }
            let line_end = start + memchr::memchr(b'\n', &raw[start..])?;
            let Some(colon) = name_end(&raw[start..line_end]) else {
                at = line_end + 1;
                continue;
            };
            let mut end = line_end + 1;
            while matches!(raw.get(end), Some(b' ' | b'\t')) {
                end += memchr::memchr(b'\n', &raw[end..])? + 1;
            }
            if Head::may_keep(raw[start]) && Head::keeps(&raw[start..start + colon]) {
                let copied = head.fields.len();
                head.fields.extend_from_slice(&raw[start..end]);
                head.places.push((copied..head.fields.len(), start));
            }
            at = end;
        }
    }

    /// The structure mail-parser reads from the copied fields, with offsets into `raw`, if it
    /// is a single text part decoded here and mail-parser read each field as [`Head::scan`]
    /// did.
    fn structure(&self, parser: &MessageParser, raw: &[u8]) -> Option<mail_parser::Message<'_>> {
        let mut message = parser.parse(&self.fields)?;
        let len = u32::try_from(raw.len()).ok()?;
        let part = &message.parts[0];
        let plain_or_html = part.content_type().is_none_or(|c| {
            c.ctype().eq_ignore_ascii_case("text")
                && c.subtype().is_some_and(|s| {
                    s.eq_ignore_ascii_case("plain") || s.eq_ignore_ascii_case("html")
                })
        });
        let same_fields = part.headers.len() == self.places.len()
            && part
                .headers
                .iter()
                .zip(&self.places)
                .all(|(h, (place, _))| {
                    h.offset_field as usize == place.start && h.offset_end as usize == place.end
                });
        let single_text = message.parts.len() == 1
            && plain_or_html
            && same_fields
            && matches!(part.body, PartType::Text(_) | PartType::Html(_))
            && part.encoding == Encoding::None
            && !part.is_encoding_problem
            && part.offset_body as usize == self.fields.len()
            && decoded_here(part).is_some();
        if !single_text {
            return None;
        }
        let part = &mut message.parts[0];
        for (h, (place, start)) in part.headers.iter_mut().zip(&self.places) {
            let shift = |offset: u32| u32::try_from(offset as usize - place.start + start).ok();
            h.offset_field = shift(h.offset_field)?;
            h.offset_start = shift(h.offset_start)?;
            h.offset_end = shift(h.offset_end)?;
        }
        part.offset_header = 0;
        part.offset_body = u32::try_from(self.body).ok()?;
        part.offset_end = len;
        Some(message)
    }
}

/// Where a field's name ends: the first colon after a byte that is neither whitespace nor a
/// colon. Two searches with one condition each (the second is `memchr`): a single loop that
/// also carries a "named yet" flag compiles, inlined into the header scan, to a dozen memory
/// updates per byte of every header line.
fn name_end(line: &[u8]) -> Option<usize> {
    let first = line
        .iter()
        .position(|&b| !b.is_ascii_whitespace() && b != b':')?;
    memchr::memchr(b':', &line[first + 1..]).map(|colon| first + 1 + colon)
}

/// The charset `part_text` decodes a part's body in itself, if it can.
fn decoded_here(part: &mail_parser::MessagePart) -> Option<Charset> {
    part.content_type()
        .and_then(|c| c.attribute("charset"))
        .map_or(Some(Charset::Utf8), Charset::from_label)
}

/// Whether a part says its body is base64, whether or not the parser could decode it (a
/// damaged body is left undecoded by the parser, and would be checked as its encoded text).
fn declares_base64(part: &mail_parser::MessagePart) -> bool {
    part.encoding == Encoding::Base64 || declares(part, "base64")
}

/// Whether a part's `Content-Transfer-Encoding` header names `encoding`.
fn declares(part: &mail_parser::MessagePart, encoding: &str) -> bool {
    part.content_transfer_encoding()
        .is_some_and(|e| e.trim().eq_ignore_ascii_case(encoding))
}

/// A part's decoded text and its map to the raw message; decoded here, byte by byte, when the
/// encoding and charset allow it, else taken from the parser and mapped to the whole body.
/// A base64 body is decoded here too, leniently, with a note in `notes` when it was damaged.
fn part_text<'a>(
    raw: &'a [u8],
    base: usize,
    part: &'a mail_parser::MessagePart,
    id: usize,
    out: &mut Decoded,
) -> (Cow<'a, str>, SpanMap, bool) {
    let (text, map, exact) = decode_part(raw, base, part, id, &mut out.notes);
    if decoded_here(part).is_none() {
        let label = part
            .content_type()
            .and_then(|c| c.attribute("charset"))
            .unwrap_or_default();
        if lost(&text) && !blank_body(raw, part) {
            out.notes.push(format!(
                "part {id}: charset {label:?} could not be decoded; not checked"
            ));
            out.unread = true;
            let empty = Cow::Borrowed("");
            return (empty, SpanMap::default(), false);
        }
        let garbled = if text.contains('\u{FFFD}') {
            ", and some of it could not be decoded (shown as \u{FFFD})"
        } else {
            ""
        };
        out.notes.push(format!(
            "part {id}: charset {label:?} is not one redline reads itself: read by the mail parser{garbled}; positions point at the whole part"
        ));
    }
    (text, map, exact)
}

/// Plain-text bodies of at most this many raw bytes may be a stub for the HTML beside them.
const STUB_BYTES: usize = 2048;

/// When the plain-text alternative is a stub ("View this email in your browser") beside an
/// HTML one that holds the message, what to say about reading the HTML instead. Sending tools
/// that build the plain part themselves do this, and checking only the stub would pass
/// whatever the HTML says. The HTML is read when it holds at least twice the stub's words and
/// 20 more; it is decoded only when the plain parts are small and the HTML is larger.
fn stub_beside(
    raw: &[u8],
    message: &mail_parser::Message,
    plain: &[usize],
    html: &[usize],
) -> Option<String> {
    let size = |ids: &[usize]| -> usize {
        ids.iter()
            .map(|&id| {
                let part = &message.parts[id];
                (part.offset_end as usize).saturating_sub(part.offset_body as usize)
            })
            .sum()
    };
    let plain_size = size(plain);
    if html.is_empty()
        || plain_size > STUB_BYTES
        || size(html) <= plain_size
        || !alternatives(message, plain, html)
    {
        return None;
    }
    let mut scratch = Vec::new();
    let mut words = |ids: &[usize], as_html: bool| -> usize {
        ids.iter()
            .map(|&id| {
                let (text, _, _) = decode_part(raw, 0, &message.parts[id], id, &mut scratch);
                if as_html {
                    html_to_text(&text).0.split_whitespace().count()
                } else {
                    text.split_whitespace().count()
                }
            })
            .sum()
    };
    let (stub, full) = (words(plain, false), words(html, true));
    (full >= 2 * stub + 20).then(|| {
        format!(
            "the plain-text alternative holds {stub} words beside {full} in the HTML one; the \
             HTML was checked"
        )
    })
}

/// Whether every plain part sits in a `multipart/alternative` beside an HTML part: two
/// renderings of one message. In a `multipart/mixed` one, a plain note and an HTML part are
/// two things (the rep's note and a forwarded newsletter), and the note is what to check.
fn alternatives(message: &mail_parser::Message, plain: &[usize], html: &[usize]) -> bool {
    plain.iter().all(|&p| {
        message.parts.iter().any(|part| {
            let alternative = part.content_type().is_some_and(|c| {
                c.subtype()
                    .is_some_and(|s| s.eq_ignore_ascii_case("alternative"))
            });
            match &part.body {
                PartType::Multipart(children) if alternative => {
                    let has = |id: usize| children.iter().any(|&c| c as usize == id);
                    has(p) && html.iter().any(|&h| has(h))
                }
                _ => false,
            }
        })
    })
}

/// Whether a part's raw body holds nothing but whitespace.
fn blank_body(raw: &[u8], part: &mail_parser::MessagePart) -> bool {
    raw.get(part.offset_body as usize..(part.offset_end as usize).min(raw.len()))
        .unwrap_or_default()
        .iter()
        .all(u8::is_ascii_whitespace)
}

/// Whether text decoded from a charset redline does not read itself came out as no text:
/// empty, or mostly replacement characters, NULs or other controls (UTF-32 read as bytes), or
/// characters whose low byte is zero (text read as UTF-16 in the wrong byte order: `I` as
/// U+4900).
fn lost(text: &str) -> bool {
    let (mut shown, mut junk) = (0usize, 0usize);
    for c in text.chars().filter(|c| !c.is_whitespace()) {
        shown += 1;
        let swapped = u32::from(c) > 0xFF && u32::from(c) & 0xFF == 0;
        junk += usize::from(c == '\u{FFFD}' || c.is_control() || swapped);
    }
    shown == 0 || junk * 2 > shown
}

/// [`part_text`]'s decoding, before what it makes of a charset decoded elsewhere.
fn decode_part<'a>(
    raw: &'a [u8],
    base: usize,
    part: &'a mail_parser::MessagePart,
    id: usize,
    notes: &mut Vec<String>,
) -> (Cow<'a, str>, SpanMap, bool) {
    let body = part.offset_body as usize..(part.offset_end as usize).min(raw.len());
    let whole = |text: Cow<'a, str>| {
        let mut map = SpanMap::default();
        map.push_whole(0..text.len(), base + body.start..base + body.end);
        (text, map, false)
    };
    if declares_base64(part) && body.start <= body.end {
        let decoded = crate::decode::base64(&raw[body.clone()]);
        if decoded.skipped > 0 {
            notes.push(format!(
                "part {id}: {} characters that are not base64 skipped",
                decoded.skipped
            ));
        }
        let text = match decoded_here(part) {
            Some(charset) => {
                let (text, _, fallback) = charset.decode_noting(&decoded.bytes, Origin::At(0));
                if fallback.is_some() {
                    notes.push(format!("part {id}: invalid UTF-8; read as Windows-1252"));
                }
                Cow::Owned(text.into_owned())
            }
            None if part.encoding == Encoding::Base64 => {
                Cow::Borrowed(part.text_contents().unwrap_or(""))
            }
            None => Cow::Owned(String::from_utf8_lossy(&decoded.bytes).into_owned()),
        };
        return whole(text);
    }
    match (part.encoding, decoded_here(part)) {
        (Encoding::None | Encoding::QuotedPrintable, Some(charset)) if body.start <= body.end => {
            let bytes = &raw[body.clone()];
            let prefix = format!("part {id}: ");
            let (text, map) = if part.encoding == Encoding::QuotedPrintable {
                let (decoded, origin) = quoted_printable(bytes, base + body.start);
                let (text, map) =
                    decode_noted(charset, &decoded, Origin::Each(&origin), &prefix, notes);
                (Cow::Owned(text.into_owned()), map)
            } else {
                decode_noted(
                    charset,
                    bytes,
                    Origin::At(base + body.start),
                    &prefix,
                    notes,
                )
            };
            (text, map, true)
        }
        _ => whole(Cow::Borrowed(part.text_contents().unwrap_or(""))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const QP: &str = "From: a@b.c\r\nTo: d@e.f\r\nSubject: =?UTF-8?Q?Quick_question_=E2=80=94_Denver?=\r\nMIME-Version: 1.0\r\nContent-Type: multipart/alternative; boundary=\"b1\"\r\n\r\n--b1\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\nHi Dana,\r\n\r\nI wanted to re=\r\nach out about Denver.\r\n--b1\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<p>I wanted to reach out about Denver.</p>\r\n--b1--\r\n";

    #[test]
    fn a_field_name_ends_at_the_first_colon_after_a_name_byte() {
        for (line, end) in [
            ("Subject: hi: there", Some(7)),
            (":Subject: x", Some(8)),
            ("  X-Tag:", Some(7)),
            ("a:", Some(1)),
            ("  : :", None),
            (":", None),
            ("no colon here", None),
            ("", None),
        ] {
            assert_eq!(name_end(line.as_bytes()), end, "{line:?}");
        }
    }

    /// What decoding gives when the whole message is parsed, never its header block alone.
    fn parsed_whole(raw: &[u8]) -> String {
        format!("{:?}", decode_parsed(raw, 7, parser().parse(raw)))
    }

    /// Whether `raw` is parsed from its header block alone.
    fn head_only(raw: &[u8]) -> bool {
        let head = Head::scan(raw);
        parse(parser(), raw, head.as_ref()).is_some_and(|m| m.raw_message.len() < raw.len())
    }

    #[test]
    fn kept_fields_are_known_by_name_in_any_case_and_spacing() {
        for name in [
            "Subject",
            "CONTENT-TYPE",
            "content-transfer-encoding",
            "Content-Disposition",
            " Content -Type",
            ":subject",
        ] {
            let trimmed = name.trim_start().as_bytes();
            assert!(Head::may_keep(trimmed[0]) && Head::keeps(trimmed), "{name}");
        }
        for name in ["Received", "Sender", "Cc", "Content-Length", "X-Subject"] {
            let bytes = name.as_bytes();
            assert!(!(Head::may_keep(bytes[0]) && Head::keeps(bytes)), "{name}");
        }
        // The first-byte check turns away no kept field.
        assert!(Head::KEPT.iter().all(|k| Head::may_keep(k[0])));
    }

    #[test]
    fn parsing_the_header_block_alone_decodes_as_parsing_it_whole() {
        let cases: &[&str] = &[
            "Subject: hi\n\nbody\n",
            "Subject: hi\r\nX: y\r\n\r\nbody\r\nmore\r\n",
            "From a@b Mon Sep  2\nSubject: folded\n  over two lines\n\nbody\n",
            "Subject: =?UTF-8?Q?caf=C3=A9?=\nContent-Type: text/plain; charset=\"ISO-8859-1\"\n\nna\u{ef}ve\n",
            "Subject: x\nContent-Type: TEXT/PLAIN; charset=koi8-r\n\n\u{c1}\u{c2}\n",
            "Subject: x\nContent-Type: text/enriched\n\n<bold>hi</bold>\n",
            "Subject: x\nContent-Type: text/html; charset=windows-1252\n\n<p>it\u{92}s</p>\n",
            "Subject: x\nContent-Transfer-Encoding: quoted-printable\n\nre=\nach =E2=80=94\n",
            "Subject: x\nContent-Transfer-Encoding: base64\n\naGVsbG8=\n",
            "Subject: x\nContent-Transfer-Encoding: 8bit\nContent-Disposition: attachment; filename=a.txt\n\nbody\n",
            "Subject: x\nContent-Type: message/rfc822\n\nSubject: inner\n\ninner body\n",
            "Subject: x\nContent-Type: multipart/mixed; boundary=b\n\n--b\n\nfirst\n--b--\n",
            "Subject: x\nContent-Type: text/plain;\n charset=\"us-\n\nascii\"\n\nbody\n",
            "Subject: x\n \n\nbody after a blank-looking line\n",
            "Subject: x\nX: y\n\n",
            "Subject: no blank line at all\n",
            "Subject: x\n\n\n\nbody after blank lines\n",
            "::x: y\nno colon here\n\tSubject: after a line with none\nSUBJECT : twice\n\nbody\n",
            "Received: from a\n\tby b\nsubject:x\nContent-Type: text/plain; charset=\"utf-8\n\nbody\n",
        ];
        let mut heads = 0;
        for case in cases {
            let raw: Vec<u8> = case.chars().map(|c| c as u32 as u8).collect();
            let decoded = format!("{:?}", decode_message(&raw, 7));
            assert_eq!(decoded, parsed_whole(&raw), "{case:?}");
            heads += usize::from(head_only(&raw));
        }
        assert_eq!(heads, 11, "cases parsed from the header block alone");
        let corpus = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../../shared/corpora/spamassassin");
        let Ok(folders) = std::fs::read_dir(&corpus) else {
            eprintln!("skipped the corpus: {} is not here", corpus.display());
            return;
        };
        let (mut messages, mut heads) = (0, 0);
        for folder in folders.map(|f| f.unwrap().path()).filter(|f| f.is_dir()) {
            for file in std::fs::read_dir(folder).unwrap() {
                let path = file.unwrap().path();
                let raw = std::fs::read(&path).unwrap();
                let decoded = format!("{:?}", decode_message(&raw, 7));
                assert_eq!(decoded, parsed_whole(&raw), "{}", path.display());
                messages += 1;
                heads += usize::from(head_only(&raw));
            }
        }
        assert!(messages >= 2_500, "{messages} messages");
        assert!(
            heads * 10 >= messages * 8,
            "{heads} of {messages} parsed from the head"
        );
    }

    #[test]
    fn header_blocks_with_bytes_inserted_or_deleted_decode_as_parsed_whole() {
        const SEED: &str = "Received: from a (b [1.2.3.4])\r\n\tby c; Mon, 26 Aug 2002\r\n\
            Subject: Re: a quick question\r\nContent-Type: text/plain; charset=\"iso-8859-1\"\r\n\
            Content-Transfer-Encoding: 8bit\r\nX-Mailer: m\r\n\r\nHi Dana,\r\n\r\nbody text\r\n";
        const OTHER: &str = "From x@y Mon\nsubject : folded\n\tsubject line\n\
            Content-Disposition: inline\ncontent-type:text/html;charset=us-ascii\nX: (a)\n\n\
            <p>hi</p>\n";
        const BYTES: [&[u8]; 14] = [
            b"\n",
            b" ",
            b"\t",
            b":",
            b"\r\n",
            b"\"",
            b"\n\n",
            b";",
            b"=?",
            b"\n ",
            b"(",
            b"Subject: z\n",
            b"\nContent-Type: text/plain; charset=koi8-r\n",
            b"\nContent-Transfer-Encoding: base64\n",
        ];
        let mut rng = redline_synth::Rng::new(11);
        let mut next = |below: usize| rng.below(below);
        let (mut tried, mut heads) = (0, 0);
        for _ in 0..20_000 {
            let mut raw = [SEED, OTHER][next(2)].as_bytes().to_vec();
            for _ in 0..1 + next(3) {
                let at = next(raw.len().min(190));
                if next(4) == 0 {
                    raw.remove(at);
                } else {
                    let bytes = BYTES[next(BYTES.len())];
                    raw.splice(at..at, bytes.iter().copied());
                }
            }
            let decoded = format!("{:?}", decode_message(&raw, 7));
            assert_eq!(
                decoded,
                parsed_whole(&raw),
                "{:?}",
                String::from_utf8_lossy(&raw)
            );
            tried += 1;
            heads += usize::from(head_only(&raw));
        }
        assert!(heads * 2 > tried, "{heads} of {tried} parsed from the head");
    }

    #[test]
    fn the_sniff_decides_on_the_header_block_alone() {
        assert!(!looks_like_message(
            b"Subject: Quick question\n\nHi Dana,\n"
        ));
        assert!(!looks_like_message(b"Hi Dana,\nMIME-Version: 1.0\n\n"));
        assert!(looks_like_message(
            b"FROM sender Mon Sep  2\nmime-version: 1.0\nSubject: x\n  folded\n\nbody"
        ));
        // The blank line that ends a CRLF header block ends it, whatever the body holds.
        assert!(looks_like_message(
            b"Message-ID: <a@b>\r\nSubject: x\r\n\r\nHi,\r\nnot: a header\n\nmore"
        ));
        let long_plain = format!("Hi Dana,\n{}", "word ".repeat(100_000));
        assert!(!looks_like_message(long_plain.as_bytes()));
        assert!(!looks_like_message(b""));
    }

    #[test]
    fn an_8bit_part_is_named_as_such() {
        let message = "Subject: Café\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\nSee you at the café.\r\n";
        let d = decode_message(message.as_bytes(), 0);
        let body = d
            .parts
            .iter()
            .find(|p| p.content_type == MediaType::PlainText)
            .unwrap();
        assert_eq!(body.encoding.name(), "8bit");
        let seven = decode_message(message.replace("8bit", "7bit").as_bytes(), 0);
        let body = seven
            .parts
            .iter()
            .find(|p| p.content_type == MediaType::PlainText)
            .unwrap();
        assert_eq!(body.encoding.name(), "7bit");
    }

    #[test]
    fn a_stub_plain_alternative_leaves_the_html_to_be_checked() {
        let paragraph = "I hope this email finds you well. Our platform helps revenue teams \
            streamline their workflows and unlock growth with seamless integrations, so that \
            every rep can focus on what matters most and close more deals this quarter.";
        let message = format!(
            "Subject: Q3\r\nMIME-Version: 1.0\r\nContent-Type: multipart/alternative; boundary=\"b\"\r\n\r\n\
             --b\r\nContent-Type: text/plain\r\n\r\nView this email in your browser: https://x.example/v\r\n\
             --b\r\nContent-Type: text/html\r\n\r\n<p>Hi Dana,</p><p>{paragraph}</p>\r\n--b--\r\n"
        );
        let d = decode_message(message.as_bytes(), 0);
        assert!(
            d.text.contains("I hope this email finds you well."),
            "{:?}",
            d.text
        );
        assert!(!d.text.contains("View this email"), "{:?}", d.text);
        assert_eq!(
            d.notes,
            [
                "the plain-text alternative holds 7 words beside 39 in the HTML one; the HTML was checked"
            ]
        );
        let at = d.text.find("I hope").unwrap();
        let raw = d.map.to_raw(at..at + "I hope".len()).unwrap();
        assert_eq!(&message[raw], "I hope");

        // In multipart/mixed, a short plain note beside an HTML part is the rep's own note.
        let mixed = message
            .replace("multipart/alternative", "multipart/mixed")
            .replace(
                "View this email in your browser: https://x.example/v",
                "I wanted to reach out, see below",
            );
        let d = decode_message(mixed.as_bytes(), 0);
        assert!(d.text.contains("I wanted to reach out"), "{:?}", d.text);
        assert!(d.notes.is_empty(), "{:?}", d.notes);

        // A plain alternative that holds the message is read as before, the HTML left alone.
        let full = message.replace(
            "View this email in your browser: https://x.example/v",
            paragraph,
        );
        let d = decode_message(full.as_bytes(), 0);
        assert_eq!(
            d.text.matches("I hope this email").count(),
            1,
            "{:?}",
            d.text
        );
        assert!(d.notes.is_empty(), "{:?}", d.notes);
        assert!(
            !d.text.contains("Hi Dana"),
            "the plain part was read: {:?}",
            d.text
        );
    }

    #[test]
    fn plain_alternative_wins_and_maps_through_soft_breaks() {
        assert!(looks_like_message(QP.as_bytes()));
        let d = decode_message(QP.as_bytes(), 0);
        assert!(
            d.text.starts_with("Subject: Quick question — Denver\n\n"),
            "{:?}",
            d.text
        );
        assert_eq!(
            d.text.matches("I wanted to").count(),
            1,
            "HTML alternative not added"
        );
        let at = d.text.find("reach out").unwrap();
        let raw = d.map.to_raw(at..at + "reach out".len()).unwrap();
        assert_eq!(&QP[raw], "re=\r\nach out");
        let body = d
            .parts
            .iter()
            .find(|p| p.content_type == MediaType::PlainText)
            .unwrap();
        assert_eq!(
            (body.encoding, body.exact),
            (TransferEncoding::QuotedPrintable, true)
        );
        assert!(
            !d.parts[0].exact,
            "an encoded-word subject maps only as a whole"
        );
    }

    #[test]
    fn the_body_starts_after_the_blank_line_whatever_the_headers_hold() {
        // A date with an unusual zone once made the date parser read on into the body.
        let raw = "Received: from a (b [1.2.3.4])\n\tby c; Mon, 26 Aug 2002 15:32:28 +0100\n\
            Subject: Re: digression\nDate: Sun, 25 Aug 2002 16:50:54 UT\n\n\
            On Sat, 24 Aug 2002, John wrote:\n> quoted\n\nBy that do you mean the words?\n";
        let d = decode_message(raw.as_bytes(), 0);
        assert!(
            d.text.starts_with(
                "Subject: Re: digression\n\nOn Sat, 24 Aug 2002, John wrote:\n> quoted\n\n\
                By that do you mean the words?\n"
            ),
            "{:?}",
            d.text
        );
        let at = d.text.find("On Sat").unwrap();
        assert_eq!(
            d.map.to_raw(at..at + 6),
            raw.find("On Sat").map(|r| r..r + 6)
        );
    }

    #[test]
    fn html_only_bodies_are_converted() {
        let raw = "Subject: hi\r\nMIME-Version: 1.0\r\nContent-Type: text/html; charset=windows-1252\r\n\r\n<p>In today\u{92}s fast-paced world</p>";
        let bytes: Vec<u8> = raw.chars().map(|c| c as u8).collect();
        let d = decode_message(&bytes, 0);
        assert!(
            d.text.contains("In today’s fast-paced world"),
            "{:?}",
            d.text
        );
        let at = d.text.find("today").unwrap();
        let span = d.map.to_raw(at..at + "today’s".len()).unwrap();
        assert_eq!(&bytes[span], b"today\x92s");
    }

    #[test]
    fn base64_bodies_are_decoded_without_exact_offsets() {
        let raw = "Subject: b\r\nMIME-Version: 1.0\r\nContent-Transfer-Encoding: base64\r\n\r\nSSB3YW50ZWQgdG8gcmVhY2ggb3V0Lg==\r\n";
        let d = decode_message(raw.as_bytes(), 0);
        assert!(d.text.contains("I wanted to reach out."), "{:?}", d.text);
        assert!(!d.parts.last().unwrap().exact);
    }

    #[test]
    fn damaged_base64_bodies_lose_no_text_and_junk_is_noted() {
        let message = |body: &str| {
            format!(
                "Subject: b\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n{body}\r\n"
            )
        };
        // "Hi Priya,\n\nI wanted to reach out" without its final `=`.
        let d = decode_message(
            message("SGkgUHJpeWEsCgpJIHdhbnRlZCB0byByZWFjaCBvdXQ").as_bytes(),
            0,
        );
        assert!(
            d.text.ends_with("I wanted to reach out\n\n"),
            "{:?}",
            d.text
        );
        assert!(d.notes.is_empty(), "{:?}", d.notes);
        // Junk inside the run is skipped, named, and the text around it still decoded.
        let d = decode_message(
            message("SGkgUHJpeWEsCgpJIH!!dhbnRlZCB0b#yByZWFjaCBvdXQu").as_bytes(),
            0,
        );
        assert!(d.text.contains("I wanted to reach out."), "{:?}", d.text);
        assert_eq!(
            d.notes,
            ["part 0: 3 characters that are not base64 skipped"]
        );
        assert_eq!(d.parts.last().unwrap().encoding, TransferEncoding::Base64);
    }

    #[test]
    fn a_charset_read_elsewhere_is_named_and_one_that_loses_the_text_leaves_it_unread() {
        let koi8 = b"Subject: x\r\nContent-Type: text/plain; charset=koi8-r\r\n\r\nI wanted to reach out \xc1\xc2\r\n";
        let d = decode_message(koi8, 0);
        assert!(d.text.contains("I wanted to reach out"), "{:?}", d.text);
        assert!(!d.unread);
        assert_eq!(
            d.notes,
            [
                "part 0: charset \"koi8-r\" is not one redline reads itself: read by the mail parser; positions point at the whole part"
            ]
        );
        // "I wanted to reach out" as UTF-32 (big-endian, no BOM), base64.
        let utf32: Vec<u8> = "I wanted to reach out"
            .chars()
            .flat_map(|c| u32::from(c).to_be_bytes())
            .collect();
        let b64 = {
            const A: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
            let mut out = String::new();
            for chunk in utf32.chunks(3) {
                let n = chunk.iter().fold(0u32, |n, &b| n << 8 | u32::from(b))
                    << (8 * (3 - chunk.len()));
                for k in 0..=chunk.len() {
                    out.push(A[(n >> (18 - 6 * k) & 63) as usize] as char);
                }
            }
            out
        };
        let raw = format!(
            "Subject: x\r\nContent-Type: text/plain; charset=utf-32\r\nContent-Transfer-Encoding: base64\r\n\r\n{b64}\r\n"
        );
        let d = decode_message(raw.as_bytes(), 0);
        assert!(d.unread, "{:?}", d.text);
        assert_eq!(
            d.notes,
            ["part 0: charset \"utf-32\" could not be decoded; not checked"]
        );
    }

    #[test]
    fn garbage_never_panics() {
        for raw in [
            &b""[..],
            b"\xff\xfe\x00",
            b"Content-Type: multipart/mixed; boundary=x\r\n\r\n--x\r\n--x--",
            b"Subject: =?bogus?Q?x?=\r\nMIME-Version: 1.0\r\n\r\n=E",
        ] {
            let _ = decode_message(raw, 0);
        }
    }
}
