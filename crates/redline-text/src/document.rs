//! A draft split into the regions rules choose between.
//!
//! A rep writes a greeting, an opening paragraph, a few more, a closing ask and a sign-off; a
//! message may also carry headers, a signature and a quoted reply. Rules name *scopes*
//! (subject, opening, body, closing, whole); each region says which scopes it belongs to.
//! Headers, signatures and quoted replies belong to none: a rep is not responsible for what
//! they quote.

use std::borrow::Cow;
use std::ops::Range;
use std::sync::OnceLock;

use crate::{Part, SpanMap};

/// A set of rule scopes, as bit flags.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ScopeSet(u8);

impl ScopeSet {
    /// No scope: text no rule looks at.
    pub const NONE: ScopeSet = ScopeSet(0);
    /// The subject line.
    pub const SUBJECT: ScopeSet = ScopeSet(1);
    /// The greeting and the first paragraph.
    pub const OPENING: ScopeSet = ScopeSet(2);
    /// Everything the rep wrote between greeting and sign-off, both included.
    pub const BODY: ScopeSet = ScopeSet(4);
    /// The last paragraph and the sign-off.
    pub const CLOSING: ScopeSet = ScopeSet(8);
    /// Subject and body together.
    pub const WHOLE: ScopeSet = ScopeSet(16);
    /// The rep's signature block (the name, title and phone lines after the sign-off, or
    /// after `-- `): only rules that ask for it look there.
    pub const SIGNATURE: ScopeSet = ScopeSet(32);

    /// Both sets together.
    pub const fn union(self, other: ScopeSet) -> ScopeSet {
        ScopeSet(self.0 | other.0)
    }

    /// Scopes in both sets.
    pub const fn intersection(self, other: ScopeSet) -> ScopeSet {
        ScopeSet(self.0 & other.0)
    }

    /// Whether the sets share a scope.
    pub const fn intersects(self, other: ScopeSet) -> bool {
        self.0 & other.0 != 0
    }

    /// Whether the set is empty.
    pub const fn is_empty(self) -> bool {
        self.0 == 0
    }
}

/// What a region of a draft is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RegionKind {
    /// Message headers other than the subject (`From:`, `To:` ...).
    Header,
    /// The value of the `Subject:` header.
    Subject,
    /// A greeting line such as `Hi Dana,`.
    Greeting,
    /// A paragraph of the rep's own text.
    Paragraph,
    /// The sign-off line such as `Best,`.
    SignOff,
    /// A signature: after `-- `, the name and title lines after the sign-off, or the footer
    /// a mailing list adds.
    Signature,
    /// Quoted or forwarded text, with its attribution line.
    Quoted,
}

/// A span of the draft and the scopes it belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Region {
    /// What this region is.
    pub kind: RegionKind,
    /// Byte range in the text.
    pub span: Range<usize>,
    /// The scopes whose rules look at it.
    pub scopes: ScopeSet,
}

/// A draft: its text, its regions (in order and without overlap), and, when the text was
/// decoded from the input (MIME, HTML, invalid UTF-8), the way back to the input's bytes.
#[derive(Debug, Clone)]
pub struct Document<'a> {
    text: Cow<'a, str>,
    regions: Vec<Region>,
    source: Option<Source>,
    sentence_ends: OnceLock<Vec<SentenceEnd>>,
}

/// A sentence's end: a `.`, `!` or `?`, the further stops and closing quotes or brackets
/// right after it, and the whitespace after those, of which there is some. Each stop of a run
/// (`?!`, `...`) is an end of its own, with the run's `closed` and `next`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SentenceEnd {
    /// The stop.
    pub stop: usize,
    /// Just past the run of stops and closing characters.
    pub closed: usize,
    /// Just past the whitespace after it: where the next sentence starts.
    pub next: usize,
}

impl SentenceEnd {
    /// Every sentence end of `text`. A run of stops or closing characters, and the whitespace
    /// after it, are read once for the whole run, so no text is read twice.
    fn all(text: &str) -> Vec<SentenceEnd> {
        let bytes = text.as_bytes();
        let mut ends = Vec::new();
        let (mut closed, mut next) = (0, 0);
        for stop in memchr::memchr3_iter(b'.', b'!', b'?', bytes) {
            if stop >= closed {
                closed = stop
                    + 1
                    + bytes[stop + 1..]
                        .iter()
                        .take_while(|&&b| matches!(b, b'.' | b'!' | b'?' | b'"' | b'\'' | b')'))
                        .count();
                next = text.len() - text[closed..].trim_start().len();
            }
            if next > closed {
                ends.push(SentenceEnd { stop, closed, next });
            }
        }
        ends
    }
}

/// How a decoded document's text maps back to the input it was read from.
#[derive(Debug, Clone, Default)]
pub struct Source {
    /// From offsets in the text to offsets in the input.
    pub map: SpanMap,
    /// The message parts the text came from.
    pub parts: Vec<Part>,
}

impl<'a> Document<'a> {
    /// Reads a plain-text draft or raw message: an optional header block (with `Subject:`),
    /// then the body, split into greeting, paragraphs, sign-off, signature and quoted text.
    /// Offsets into the document are offsets into `text`.
    pub fn parse(text: &'a str) -> Self {
        Document {
            regions: regions_of(text),
            text: Cow::Borrowed(text),
            source: None,
            sentence_ends: OnceLock::new(),
        }
    }

    /// A document over text decoded from some input; `source` leads back to that input.
    pub fn decoded(text: String, source: Source) -> Document<'static> {
        Document {
            regions: regions_of(&text),
            text: Cow::Owned(text),
            source: Some(source),
            sentence_ends: OnceLock::new(),
        }
    }

    /// The same document, owning its text.
    pub fn into_owned(self) -> Document<'static> {
        Document {
            text: Cow::Owned(self.text.into_owned()),
            regions: self.regions,
            source: self.source,
            sentence_ends: self.sentence_ends,
        }
    }

    /// Where sentences end in the text, in order: found once, so that finding the sentence
    /// around each of many matches reads neither the text nor its other stops again.
    pub fn sentence_ends(&self) -> &[SentenceEnd] {
        self.sentence_ends
            .get_or_init(|| SentenceEnd::all(&self.text))
    }

    /// The text of the draft.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// How the text maps back to the input, when it was decoded.
    pub fn source(&self) -> Option<&Source> {
        self.source.as_ref()
    }

    /// The input bytes a span of the text came from (the span itself for undecoded text).
    pub fn input_span(&self, span: Range<usize>) -> Option<Range<usize>> {
        match &self.source {
            None => Some(span),
            Some(s) => s.map.to_raw(span),
        }
    }

    /// The message part a span of the text lies in, for decoded messages.
    pub fn part_at(&self, offset: usize) -> Option<&Part> {
        self.source
            .as_ref()?
            .parts
            .iter()
            .find(|p| p.text.start <= offset && offset <= p.text.end)
    }

    /// The regions, sorted by position.
    pub fn regions(&self) -> &[Region] {
        &self.regions
    }

    /// The scopes a span belongs to: those shared by the regions holding its first and last
    /// byte. A span in a header, signature or quoted reply belongs to none.
    pub fn scopes_of(&self, span: Range<usize>) -> ScopeSet {
        let first = self.region_at(span.start);
        let last = self.region_at(span.end.saturating_sub(1).max(span.start));
        match (first, last) {
            (Some(a), Some(b)) => a.scopes.intersection(b.scopes),
            _ => ScopeSet::NONE,
        }
    }

    /// The stretches of the text outside quoted replies and forwards, in order: all that any
    /// rule reads (a quoted region belongs to no scope).
    pub fn outside_quotes(&self) -> Vec<Range<usize>> {
        let mut out = Vec::new();
        let mut from = 0;
        for r in self.regions.iter().filter(|r| r.kind == RegionKind::Quoted) {
            if r.span.start > from {
                out.push(from..r.span.start);
            }
            from = r.span.end;
        }
        if self.text.len() > from {
            out.push(from..self.text.len());
        }
        out
    }

    /// The regions in any of `scopes`.
    pub fn regions_in(&self, scopes: ScopeSet) -> impl Iterator<Item = &Region> {
        self.regions
            .iter()
            .filter(move |r| r.scopes.intersects(scopes))
    }

    /// The region holding byte `offset`, if any.
    pub fn region_at(&self, offset: usize) -> Option<&Region> {
        let i = self.regions.partition_point(|r| r.span.start <= offset);
        let r = self.regions.get(i.checked_sub(1)?)?;
        (offset < r.span.end).then_some(r)
    }
}

fn regions_of(text: &str) -> Vec<Region> {
    let lines = split_lines(text);
    // Most drafts have fewer regions than this: one allocation, not one per doubling.
    let mut regions = Vec::with_capacity(16);
    let body_start = parse_headers(text, &lines, &mut regions);
    parse_body(text, &lines[body_start..], &mut regions);
    regions.sort_by_key(|r| r.span.start);
    regions
}

/// A line: its content (without the line break) and where the next line starts.
#[derive(Debug, Clone, Copy)]
struct Line {
    start: usize,
    end: usize,
}

/// The lines of `text`, ending at `\n`, `\r\n` or a lone `\r` (old Mac mail), as editors and
/// [`crate::LineIndex`] count them.
fn split_lines(text: &str) -> Vec<Line> {
    let bytes = text.as_bytes();
    // Counting first (memchr, a fraction of the rest) sizes the vector once.
    let mut lines = Vec::with_capacity(memchr::memchr_iter(b'\n', bytes).count() + 1);
    let mut start = 0;
    for i in memchr::memchr2_iter(b'\n', b'\r', bytes) {
        if i < start {
            // The `\n` of a `\r\n` already taken.
            continue;
        }
        lines.push(Line { start, end: i });
        start = if bytes[i] == b'\r' && bytes.get(i + 1) == Some(&b'\n') {
            i + 2
        } else {
            i + 1
        };
    }
    if start < text.len() {
        lines.push(Line {
            start,
            end: text.len(),
        });
    }
    lines
}

fn line_text<'t>(text: &'t str, line: &Line) -> &'t str {
    &text[line.start..line.end]
}

const SUBJECT_SCOPES: ScopeSet = ScopeSet::SUBJECT.union(ScopeSet::WHOLE);
const BODY_SCOPES: ScopeSet = ScopeSet::BODY.union(ScopeSet::WHOLE);

/// Header names that mark a leading block of `Name: value` lines as message headers.
const KNOWN_HEADERS: &[&str] = &[
    "subject",
    "from",
    "to",
    "cc",
    "bcc",
    "date",
    "reply-to",
    "sender",
    "message-id",
    "in-reply-to",
    "references",
    "received",
    "return-path",
    "delivered-to",
    "mime-version",
    "content-type",
    "content-transfer-encoding",
];

/// Recognises a leading header block, records the subject and headers as regions, and returns
/// the index of the first body line.
fn parse_headers(text: &str, lines: &[Line], regions: &mut Vec<Region>) -> usize {
    let mut known = false;
    let mut subject: Option<Range<usize>> = None;
    let mut in_subject = false;
    let mut end = 0;
    for (i, line) in lines.iter().enumerate() {
        let s = line_text(text, line);
        // A byte-order mark (Notepad writes one) is not part of the first header's name.
        let bom = if i == 0 && s.starts_with('\u{feff}') {
            3
        } else {
            0
        };
        let s = &s[bom..];
        if i == 0 && s.starts_with("From ") {
            end = 1;
            continue;
        }
        if s.trim().is_empty() {
            break;
        }
        if s.starts_with([' ', '\t']) && end > 0 {
            if in_subject {
                subject = subject.map(|r| r.start..line.end);
            }
            end = i + 1;
            continue;
        }
        let Some((name, _)) = s.split_once(':') else {
            break;
        };
        if name.is_empty() || !name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') {
            break;
        }
        known |= KNOWN_HEADERS.iter().any(|h| h.eq_ignore_ascii_case(name))
            || name.get(..2).is_some_and(|x| x.eq_ignore_ascii_case("x-"));
        in_subject = name.eq_ignore_ascii_case("subject");
        if in_subject {
            let value = &s[name.len() + 1..];
            let lead = value.len() - value.trim_start().len();
            subject = Some(line.start + bom + name.len() + 1 + lead..line.end);
        }
        end = i + 1;
    }
    if !known || end == 0 {
        return 0;
    }
    let block = lines[0].start..lines[end - 1].end;
    match subject {
        Some(s) => {
            let s = trim_span(text, s);
            if block.start < s.start {
                regions.push(header(block.start..s.start));
            }
            if s.end < block.end {
                regions.push(header(s.end..block.end));
            }
            if !s.is_empty() {
                regions.push(Region {
                    kind: RegionKind::Subject,
                    span: s,
                    scopes: SUBJECT_SCOPES,
                });
            }
        }
        None => regions.push(header(block)),
    }
    end
}

fn header(span: Range<usize>) -> Region {
    Region {
        kind: RegionKind::Header,
        span,
        scopes: ScopeSet::NONE,
    }
}

fn trim_span(text: &str, span: Range<usize>) -> Range<usize> {
    let s = &text[span.clone()];
    let start = span.start + (s.len() - s.trim_start().len());
    let end = span.end - (s.len() - s.trim_end().len());
    start..end.max(start)
}

/// What a body line is, before paragraphs are formed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum LineKind {
    Blank,
    Own,
    Quoted,
    Signature,
}

fn parse_body(text: &str, lines: &[Line], regions: &mut Vec<Region>) {
    let mut kinds = classify(text, lines);
    let own_end = kinds
        .iter()
        .rposition(|&k| k == LineKind::Own)
        .map_or(0, |i| i + 1);
    let first_own = kinds.iter().position(|&k| k == LineKind::Own);

    let greeting = first_own.filter(|&i| is_greeting(line_text(text, &lines[i])));
    let sign_off = find_sign_off(text, lines, &kinds[..own_end], greeting);

    let mut paragraphs: Vec<Range<usize>> = Vec::new();
    let para_end = sign_off.unwrap_or(own_end);
    let para_start = greeting.map_or(0, |g| g + 1);
    let mut current: Option<Range<usize>> = None;
    for (i, &kind) in kinds.iter().enumerate().take(para_end).skip(para_start) {
        if kind == LineKind::Own {
            current = Some(current.map_or(i..i + 1, |c| c.start..i + 1));
        } else if let Some(c) = current.take() {
            paragraphs.push(c);
        }
    }
    paragraphs.extend(current);

    let span_of = |r: &Range<usize>| lines[r.start].start..lines[r.end - 1].end;
    if let Some(g) = greeting {
        regions.push(Region {
            kind: RegionKind::Greeting,
            span: trim_span(text, span_of(&(g..g + 1))),
            scopes: BODY_SCOPES.union(ScopeSet::OPENING),
        });
    }
    let count = paragraphs.len();
    for (n, p) in paragraphs.iter().enumerate() {
        let mut scopes = BODY_SCOPES;
        if n == 0 {
            scopes = scopes.union(ScopeSet::OPENING);
        }
        if n + 1 == count {
            scopes = scopes.union(ScopeSet::CLOSING);
        }
        regions.push(Region {
            kind: RegionKind::Paragraph,
            span: span_of(p),
            scopes,
        });
    }
    if let Some(s) = sign_off {
        regions.push(Region {
            kind: RegionKind::SignOff,
            span: trim_span(text, span_of(&(s..s + 1))),
            scopes: BODY_SCOPES.union(ScopeSet::CLOSING),
        });
        // The name, title and phone lines after a sign-off are the signature; a postscript
        // after it is the rep's own writing, to the end of its paragraph.
        let mut postscript: Option<Range<usize>> = None;
        for i in s + 1..own_end {
            let own = kinds[i] == LineKind::Own;
            if own && (postscript.is_some() || is_postscript(line_text(text, &lines[i]))) {
                postscript = Some(postscript.map_or(i..i + 1, |p| p.start..i + 1));
                continue;
            }
            if own {
                kinds[i] = LineKind::Signature;
            }
            if let Some(p) = postscript.take() {
                regions.push(postscript_region(span_of(&p)));
            }
        }
        if let Some(p) = postscript {
            regions.push(postscript_region(span_of(&p)));
        }
    }
    push_runs(
        lines,
        &kinds,
        (LineKind::Quoted, RegionKind::Quoted, ScopeSet::NONE),
        regions,
    );
    push_runs(
        lines,
        &kinds,
        (
            LineKind::Signature,
            RegionKind::Signature,
            ScopeSet::SIGNATURE,
        ),
        regions,
    );
}

/// A postscript after the sign-off: a paragraph of the rep's own, part of the close.
fn postscript_region(span: Range<usize>) -> Region {
    Region {
        kind: RegionKind::Paragraph,
        span,
        scopes: BODY_SCOPES.union(ScopeSet::CLOSING),
    }
}

/// Whether a line opens a postscript: `P.S.`, `P.P.S.`, `PS:` or `PS -`.
fn is_postscript(line: &str) -> bool {
    let t = line.trim_start();
    if !t.starts_with(['P', 'p']) {
        return false;
    }
    let upper: String = t.chars().take(6).flat_map(char::to_uppercase).collect();
    upper.starts_with("P.S") || upper.starts_with("P.P.S") || {
        let rest = t.strip_prefix("PS").or_else(|| t.strip_prefix("PPS"));
        rest.is_some_and(|r| r.trim_start().starts_with([':', '-', ',']))
    }
}

/// Records each run of consecutive lines of `kind` (blank lines inside a run included) as one
/// region of `region` kind, covered by `scopes` only.
fn push_runs(
    lines: &[Line],
    kinds: &[LineKind],
    (kind, region, scopes): (LineKind, RegionKind, ScopeSet),
    regions: &mut Vec<Region>,
) {
    let mut i = 0;
    while i < kinds.len() {
        if kinds[i] != kind {
            i += 1;
            continue;
        }
        let start = i;
        let mut last = i;
        while i < kinds.len() && (kinds[i] == kind || kinds[i] == LineKind::Blank) {
            if kinds[i] == kind {
                last = i;
            }
            i += 1;
        }
        regions.push(Region {
            kind: region,
            span: lines[start].start..lines[last].end,
            scopes,
        });
        i = last + 1;
    }
}

fn classify(text: &str, lines: &[Line]) -> Vec<LineKind> {
    let mut kinds = Vec::with_capacity(lines.len());
    let mut rest: Option<LineKind> = None;
    for (i, line) in lines.iter().enumerate() {
        let s = line_text(text, line);
        // A postscript below a signature is the rep's own again (and so is the rest of its
        // paragraph, classified as any other line).
        if rest == Some(LineKind::Signature) && is_postscript(s) {
            rest = None;
        }
        if let Some(k) = rest {
            kinds.push(if s.trim().is_empty() {
                LineKind::Blank
            } else {
                k
            });
            continue;
        }
        let t = s.trim();
        let kind = if t.is_empty() || is_marker(t) {
            LineKind::Blank
        } else if s == "--" && is_divider(text, &lines[i + 1..]) {
            // `--` without its space (clients strip it) ends the text only when no sign-off
            // follows: text that goes on to "Best," was divided, not signed.
            LineKind::Blank
        } else if s == "-- " || s == "--" || starts_list_footer(text, &lines[i..], t) {
            rest = Some(LineKind::Signature);
            LineKind::Signature
        } else if starts_quoted_rest(text, &lines[..=i], &lines[i..], t) {
            rest = Some(LineKind::Quoted);
            LineKind::Quoted
        } else if (t.starts_with('>') && !is_escaped_from(t)) || is_attribution(text, &lines[i..]) {
            LineKind::Quoted
        } else {
            LineKind::Own
        };
        kinds.push(kind);
    }
    kinds
}

/// Whether a bare `--` line, followed by `after`, divides the rep's text rather than opening
/// a signature: a line of prose (eight words or more), then a sign-off, come after it within
/// 40 lines. A signature's own "Best regards," after its `--` has no prose before it.
fn is_divider(text: &str, after: &[Line]) -> bool {
    let mut prose = false;
    for line in after.iter().take(40).map(|l| line_text(text, l)) {
        if prose && is_sign_off(line) {
            return true;
        }
        prose |= line.split_whitespace().count() >= 8;
    }
    false
}

/// The word that opens an inline marker, `<!-- redline-disable RULE[, RULE ...] -->`, with
/// which a draft silences rules for itself.
pub const DISABLE_MARKER: &str = "redline-disable";

/// Whether an HTML comment's inside (what follows `<!--`) is an inline marker.
pub fn opens_marker(comment: &str) -> bool {
    comment.trim_start().starts_with(DISABLE_MARKER)
}

/// A line that is only an inline marker: it is no part of the draft's shape (a marker above
/// "Hi Sam," leaves that the greeting).
fn is_marker(t: &str) -> bool {
    t.strip_prefix("<!--")
        .and_then(|r| r.strip_suffix("-->"))
        .is_some_and(opens_marker)
}

/// An mbox writer's escape of the writer's own line starting "From " (`>From `, `>>From `
/// in mboxrd): not a quotation.
fn is_escaped_from(t: &str) -> bool {
    t.trim_start_matches('>').starts_with("From ")
}

/// Lines that begin the footer a mailing list adds to every message it sends on: Mailman's
/// rule of underscores over `<List> mailing list` (or its bare `…/mailman/listinfo/…` link as
/// the last line), SourceForge's sponsor notice over it, and Yahoo! Groups' sponsor banner or
/// unsubscribe notice. The writer never typed them, so they are no part of their text. `t` is
/// the first line, trimmed.
fn starts_list_footer(text: &str, lines: &[Line], t: &str) -> bool {
    if t.len() >= 20 && t.bytes().all(|b| b == b'_') {
        return lines[1..].iter().take(3).any(|l| {
            let n = line_text(text, l).trim().to_ascii_lowercase();
            n.ends_with("mailing list") || n.contains("/listinfo")
        });
    }
    let sponsor = |l: &str| {
        l.starts_with(['T', 't'])
            && l.get(..33)
                .is_some_and(|h| h.eq_ignore_ascii_case("this sf.net email is sponsored by"))
    };
    if sponsor(t) {
        return true;
    }
    if t.len() >= 20 && t.bytes().all(|b| b == b'-') {
        return lines
            .get(1)
            .is_some_and(|l| sponsor(line_text(text, l).trim()));
    }
    let last_line_link = || {
        t.starts_with("http")
            && t.contains("/mailman/listinfo/")
            && !t.contains(' ')
            && lines[1..]
                .iter()
                .all(|l| line_text(text, l).trim().is_empty())
    };
    (t.starts_with("----") && t.contains("Yahoo! Groups Sponsor"))
        || t.starts_with("To unsubscribe from this group, send an email to:")
        || last_line_link()
}

/// Lines that begin a quoted or forwarded message that runs to the end of the draft: Outlook's
/// `-----Original Message-----` and `From:`/`Sent:` blocks, and forwarded-message banners. `t`
/// is the first line, trimmed; `upto` the body's lines up to it. A `From:` block starts one
/// only below a rule (`____`) or past the body's first paragraph, as Outlook sets it under the
/// reply: in the first paragraph (`Step 2` over `From:` and `Date:` lines, an Apple Mail file
/// read as text) it is a header block the writer pasted, and taking it for a quote hid the
/// whole draft from the gate.
fn starts_quoted_rest(text: &str, upto: &[Line], lines: &[Line], t: &str) -> bool {
    if !t.starts_with(['-', 'b', 'B', 'f', 'F']) {
        return false;
    }
    let lower = t.to_ascii_lowercase();
    if (lower.starts_with("-----") && lower.contains("original message"))
        || (lower.starts_with("-----") && lower.contains("forwarded message"))
        || lower.starts_with("begin forwarded message")
    {
        return true;
    }
    let below_a_break = || {
        let above = &upto[..upto.len() - 1];
        let rule = above.last().is_some_and(|l| {
            let t = line_text(text, l).trim();
            t.len() >= 3 && t.bytes().all(|b| b == b'_' || b == b'-')
        });
        let first_text = above
            .iter()
            .position(|l| !line_text(text, l).trim().is_empty());
        rule || first_text.is_some_and(|f| {
            above[f..]
                .iter()
                .any(|l| line_text(text, l).trim().is_empty())
        })
    };
    lower.starts_with("from:")
        && lines[1..].iter().take(4).any(|l| {
            let n = line_text(text, l).trim_start().to_ascii_lowercase();
            n.starts_with("sent:") || n.starts_with("date:")
        })
        && below_a_break()
}

/// `On Tue, 3 Sep 2002, Dana Lee wrote:`, possibly wrapped over two lines, or `... said:`
/// when it opens with `On` or quoted lines follow (a line of one's own may end in "said:").
fn is_attribution(text: &str, lines: &[Line]) -> bool {
    let t = line_text(text, &lines[0]).trim_end();
    if t.ends_with("wrote:") || t.ends_with("writes:") {
        return t.starts_with("On ") || t.len() < 120;
    }
    let quote_follows = || {
        lines
            .get(1)
            .is_some_and(|l| line_text(text, l).trim_start().starts_with('>'))
    };
    if t.ends_with("said:") {
        return t.starts_with("On ") || (t.len() < 120 && quote_follows());
    }
    t.starts_with("On ")
        && lines.get(1).is_some_and(|l| {
            let n = line_text(text, l).trim_end();
            (n.ends_with("wrote:") || n.ends_with("said:")) && n.len() < 80
        })
}

/// Greeting words in English, then the common ones of French, German, Spanish, Italian,
/// Portuguese and Dutch mail, so a rep writing in those is read with the same shape.
const GREETINGS: &[&str] = &[
    "hi",
    "hello",
    "hey",
    "dear",
    "greetings",
    "good morning",
    "good afternoon",
    "good evening",
    "morning",
    "hiya",
    "howdy",
    "yo",
    "bonjour",
    "bonsoir",
    "salut",
    "coucou",
    "cher",
    "chère",
    "chers",
    "chères",
    "hallo",
    "liebe",
    "lieber",
    "sehr geehrte",
    "sehr geehrter",
    "guten tag",
    "guten morgen",
    "moin",
    "servus",
    "hola",
    "estimado",
    "estimada",
    "estimados",
    "querido",
    "querida",
    "buenos días",
    "buenas tardes",
    "ciao",
    "buongiorno",
    "gentile",
    "gentili",
    "salve",
    "olá",
    "prezado",
    "prezada",
    "bom dia",
    "boa tarde",
    "hoi",
    "beste",
    "geachte",
];

fn starts_with_word(s: &str, word: &str) -> bool {
    s.get(..word.len())
        .is_some_and(|head| head.chars().flat_map(char::to_lowercase).eq(word.chars()))
        && !s[word.len()..]
            .chars()
            .next()
            .is_some_and(char::is_alphanumeric)
}

fn is_greeting(line: &str) -> bool {
    let t = line.trim();
    t.len() <= 60
        && t.split_whitespace().count() <= 6
        && !t.contains('?')
        && t.split_whitespace()
            .all(|w| !w.contains('.') || is_title(w))
        && GREETINGS.iter().any(|g| starts_with_word(t, g))
}

/// Whether a word is a title whose full stop belongs to it ("Dear Dr. Lee,", "Estimada Sra.
/// López,", "Sehr geehrter Herr Prof. Roth,"), not the end of a sentence.
fn is_title(word: &str) -> bool {
    const TITLES: &[&str] = &[
        "mr.", "mrs.", "ms.", "dr.", "prof.", "sr.", "sra.", "srta.", "st.", "mme.", "mlle.",
        "hr.", "fr.", "dott.", "sig.", "ing.",
    ];
    TITLES.iter().any(|t| word.eq_ignore_ascii_case(t))
}

/// Sign-offs in English, then the common ones of French, German, Spanish, Italian, Portuguese
/// and Dutch mail.
const SIGN_OFFS: &[&str] = &[
    "best",
    "best regards",
    "kind regards",
    "warm regards",
    "regards",
    "thanks",
    "thank you",
    "many thanks",
    "thanks again",
    "cheers",
    "warmly",
    "sincerely",
    "yours",
    "all the best",
    "talk soon",
    "speak soon",
    "take care",
    "best wishes",
    "respectfully",
    "cordialement",
    "bien cordialement",
    "bien à vous",
    "amicalement",
    "bonne journée",
    "à bientôt",
    "merci",
    "bises",
    "mit freundlichen grüßen",
    "mit freundlichen grüssen",
    "freundliche grüße",
    "viele grüße",
    "viele grüsse",
    "beste grüße",
    "liebe grüße",
    "herzliche grüße",
    "schöne grüße",
    "grüße",
    "gruß",
    "danke",
    "vielen dank",
    "bis bald",
    "saludos",
    "un saludo",
    "atentamente",
    "gracias",
    "muchas gracias",
    "un abrazo",
    "abrazos",
    "cordiali saluti",
    "distinti saluti",
    "un saluto",
    "saluti",
    "grazie",
    "a presto",
    "atenciosamente",
    "abraços",
    "obrigado",
    "obrigada",
    "cumprimentos",
    "met vriendelijke groet",
    "vriendelijke groet",
    "hartelijke groet",
    "groeten",
    "groetjes",
    "met vriendelijke groeten",
    "beste groeten",
    "liebe grüsse",
    "un cordial saludo",
    "ciao",
    "bedankt",
];

fn is_sign_off(line: &str) -> bool {
    let t = line.trim().trim_end_matches([',', '.', '!', '-', ' ']);
    t.len() <= 30
        && !t.contains('?')
        && SIGN_OFFS
            .iter()
            .any(|s| starts_with_word(t, s) && t[s.len()..].split_whitespace().count() <= 2)
}

/// The last sign-off line among the final lines of the rep's own text.
fn find_sign_off(
    text: &str,
    lines: &[Line],
    kinds: &[LineKind],
    greeting: Option<usize>,
) -> Option<usize> {
    (0..kinds.len())
        .rev()
        .filter(|&i| kinds[i] == LineKind::Own && Some(i) != greeting)
        .take(6)
        .find(|&i| is_sign_off(line_text(text, &lines[i])))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(doc: &Document) -> Vec<(RegionKind, String)> {
        doc.regions()
            .iter()
            .map(|r| (r.kind, doc.text()[r.span.clone()].to_string()))
            .collect()
    }

    #[test]
    fn a_plain_draft_splits_into_its_parts() {
        let text = "Subject: Denver office\r\n\r\nHi Dana,\r\n\r\nSaw the news.\r\nCongrats.\r\n\r\nMiddle bit.\r\n\r\nWorth a call Thursday?\r\n\r\nBest,\r\nAlex\r\nAcme Corp\r\n";
        let doc = Document::parse(text);
        assert_eq!(
            kinds(&doc),
            vec![
                (RegionKind::Header, "Subject: ".to_string()),
                (RegionKind::Subject, "Denver office".to_string()),
                (RegionKind::Greeting, "Hi Dana,".to_string()),
                (
                    RegionKind::Paragraph,
                    "Saw the news.\r\nCongrats.".to_string()
                ),
                (RegionKind::Paragraph, "Middle bit.".to_string()),
                (RegionKind::Paragraph, "Worth a call Thursday?".to_string()),
                (RegionKind::SignOff, "Best,".to_string()),
                (RegionKind::Signature, "Alex\r\nAcme Corp".to_string()),
            ]
        );
        let news = text.find("news").unwrap();
        assert_eq!(
            doc.scopes_of(news..news + 4),
            BODY_SCOPES.union(ScopeSet::OPENING)
        );
        let call = text.find("call").unwrap();
        assert!(doc.scopes_of(call..call + 4).intersects(ScopeSet::CLOSING));
        let acme = text.find("Acme").unwrap();
        assert_eq!(doc.scopes_of(acme..acme + 4), ScopeSet::SIGNATURE);

        // Old Mac line ends (a lone CR) give the same shape.
        let mac = text.replace("\r\n", "\r");
        let mac_kinds: Vec<_> = kinds(&Document::parse(&mac))
            .into_iter()
            .map(|(k, t)| (k, t.replace('\r', "\r\n")))
            .collect();
        assert_eq!(mac_kinds, kinds(&doc));
    }

    #[test]
    fn a_marker_line_is_no_part_of_the_drafts_shape() {
        let text = "Subject: Hi\n\n<!-- redline-disable a.b -->\nHi Sam,\n\nBody.\n";
        let doc = Document::parse(text);
        let greeting = doc
            .regions()
            .iter()
            .find(|r| r.kind == RegionKind::Greeting)
            .expect("the greeting is still found");
        assert_eq!(&text[greeting.span.clone()], "Hi Sam,");
    }

    #[test]
    fn an_escaped_from_line_is_the_writers_own() {
        let doc = Document::parse("Hi,\n\n>From what I saw, it works.\n\n> quoted\n");
        assert_eq!(
            kinds(&doc),
            vec![
                (RegionKind::Greeting, "Hi,".to_string()),
                (
                    RegionKind::Paragraph,
                    ">From what I saw, it works.".to_string()
                ),
                (RegionKind::Quoted, "> quoted".to_string()),
            ]
        );
    }

    #[test]
    fn a_byte_order_mark_does_not_hide_the_subject() {
        let text = "\u{feff}Subject: Quick question\n\nHi Sam,\n\nBody.\n";
        let doc = Document::parse(text);
        let subject = doc
            .regions()
            .iter()
            .find(|r| r.kind == RegionKind::Subject)
            .expect("a subject");
        assert_eq!(&text[subject.span.clone()], "Quick question");
    }

    #[test]
    fn a_postscript_below_a_dash_dash_signature_is_the_reps_own() {
        let text = "Hi Sam,\n\nSaw the post.\n\n-- \nJordan\nAcme\n\nP.S. I wanted to reach out.\n";
        let doc = Document::parse(text);
        assert_eq!(
            kinds(&doc),
            vec![
                (RegionKind::Greeting, "Hi Sam,".to_string()),
                (RegionKind::Paragraph, "Saw the post.".to_string()),
                (RegionKind::Signature, "-- \nJordan\nAcme".to_string()),
                (
                    RegionKind::Paragraph,
                    "P.S. I wanted to reach out.".to_string()
                ),
            ]
        );
        assert!(
            doc.regions()[3].scopes.intersects(ScopeSet::CLOSING),
            "the postscript closes the draft"
        );
    }

    #[test]
    fn a_bare_dash_dash_divides_when_prose_and_a_sign_off_follow() {
        let divided = "Hi Sam,\n\nContext first.\n\n--\n\nI wanted to reach out because we help teams like yours do this.\n\nBest,\nJordan\n";
        let doc = Document::parse(divided);
        let own: Vec<String> = kinds(&doc)
            .into_iter()
            .filter(|(k, _)| *k == RegionKind::Paragraph)
            .map(|(_, t)| t)
            .collect();
        assert_eq!(
            own,
            [
                "Context first.",
                "I wanted to reach out because we help teams like yours do this."
            ]
        );
        // A signature that holds its own sign-off, or no prose, stays a signature.
        for signed in [
            "Hi Sam,\n\nSee you Thursday.\n\n--\nBest regards,\nJordan Lee\nAcme\n",
            "Hi Sam,\n\nSee you Thursday.\n\n--\nJordan Lee\n",
        ] {
            let doc = Document::parse(signed);
            let last = doc.regions().last().unwrap();
            assert_eq!(last.kind, RegionKind::Signature, "{signed:?}");
            assert!(signed[last.span.clone()].starts_with("--\n"), "{signed:?}");
        }
    }

    #[test]
    fn a_postscript_after_the_sign_off_is_the_reps_own_paragraph() {
        let text = "Hi Sam,\n\nSaw the post.\n\nBest,\nJordan\nAcme\n\nP.S. I wanted to reach out.\nTwo lines.\n\nPS: one more.\n";
        let doc = Document::parse(text);
        assert_eq!(
            kinds(&doc),
            vec![
                (RegionKind::Greeting, "Hi Sam,".to_string()),
                (RegionKind::Paragraph, "Saw the post.".to_string()),
                (RegionKind::SignOff, "Best,".to_string()),
                (RegionKind::Signature, "Jordan\nAcme".to_string()),
                (
                    RegionKind::Paragraph,
                    "P.S. I wanted to reach out.\nTwo lines.".to_string()
                ),
                (RegionKind::Paragraph, "PS: one more.".to_string()),
            ]
        );
        let ps = text.find("reach").unwrap();
        assert!(doc.scopes_of(ps..ps + 5).intersects(ScopeSet::CLOSING));
        for not in ["PSA tomorrow", "ps aux | grep", "Pssst"] {
            assert!(!is_postscript(not), "{not}");
        }
    }

    #[test]
    fn quoted_replies_are_in_no_scope_and_signatures_only_in_their_own() {
        let text = "Sounds good, see you then.\n\nOn Tue, 3 Sep 2002, Dana wrote:\n> I wanted to reach out\n>\n> again\n\n-- \nAlex | I wanted to reach out\n";
        let doc = Document::parse(text);
        let [quoted, signed] = [
            text.find("I wanted").unwrap(),
            text.rfind("I wanted").unwrap(),
        ];
        assert!(doc.scopes_of(quoted..quoted + 8).is_empty());
        assert_eq!(doc.scopes_of(signed..signed + 8), ScopeSet::SIGNATURE);
        assert!(!doc.scopes_of(0..6).is_empty());
    }

    #[test]
    fn said_attributions_wrapped_or_not_are_quoted_but_own_lines_ending_in_said_are_not() {
        let text = "On Sat, 24 Aug 2002 11:07:00 -0700, \"John Hall\" <john@evergo.net>\r\nsaid:\r\n\
            > Ran across a site\r\n\r\nBy that do you mean the words?\r\n\r\n\
            Here is what the manager said:\r\nwe ship on Friday.\r\n";
        let doc = Document::parse(text);
        for quoted in ["On Sat", "said:\r\n>", "Ran across"] {
            let at = text.find(quoted).unwrap();
            assert!(doc.scopes_of(at..at + 4).is_empty(), "{quoted:?}");
        }
        for own in ["By that", "Here is what the manager said:", "we ship"] {
            let at = text.find(own).unwrap();
            assert!(!doc.scopes_of(at..at + 4).is_empty(), "{own:?}");
        }
    }

    #[test]
    fn an_outlook_from_block_is_a_quote_only_below_a_rule_or_past_the_first_paragraph() {
        let own = |text: &str| {
            let doc = Document::parse(text);
            let at = text.find("I wanted").unwrap();
            doc.outside_quotes().iter().any(|r| r.contains(&at))
        };
        for quoted in [
            "Thanks, will do.\n\nFrom: Dana <d@x.test>\nSent: Monday\n\nI wanted to reach out\n",
            "Thanks.\n________________________________\nFrom: Dana\nSent: Monday\nI wanted to reach out\n",
            "Thanks.\n\nFrom: Dana\nDate: Mon, 1 Jan 2024\nTo: Sam\n\nI wanted to reach out\n",
            "FYI\n\n--- begin forwarded text\n\nSubject: Launch\nFrom: Dana\nDate: Mon\n\nI wanted to reach out\n",
        ] {
            assert!(!own(quoted), "{quoted:?}");
        }
        for draft in [
            "Step 2\nFrom: Jordan <j@acme.com>\nDate: Mon, 1 Jan 2024\n\nHi Sam,\n\nI wanted to reach out.\n",
            "From: Jordan <j@acme.com>\nDate: Mon, 1 Jan 2024\n\nHi Sam,\n\nI wanted to reach out.\n",
            "Subject: Step 2\n\nNote\nFrom: Jordan <j@acme.com>\nDate: Mon\n\nI wanted to reach out.\n",
        ] {
            assert!(own(draft), "{draft:?}");
        }
    }

    #[test]
    fn outlook_original_message_runs_to_the_end() {
        let text = "Thanks, will do.\n\n-----Original Message-----\nFrom: Dana\nSent: Monday\n\nI wanted to reach out\n";
        let doc = Document::parse(text);
        let i = text.find("I wanted").unwrap();
        assert!(doc.scopes_of(i..i + 8).is_empty());
    }

    #[test]
    fn the_stretches_outside_quotes_are_all_the_rest() {
        let text = "Sure, Friday works.\n\nOn Tue, Dana wrote:\n> Can we meet?\n> Friday?\n\nSee you then.\n> late quote";
        let doc = Document::parse(text);
        let outside: Vec<&str> = doc.outside_quotes().into_iter().map(|r| &text[r]).collect();
        assert_eq!(outside, ["Sure, Friday works.\n\n", "\n\nSee you then.\n"]);
        // CRLF lines and emoji: the stretches still end and start on the quote's own bytes.
        let text = "Sure 🎉 Friday.\r\n\r\n> Can we meet? 🙂\r\n> Friday?\r\n\r\nSee you 🚀.\r\n";
        let outside: Vec<&str> = Document::parse(text)
            .outside_quotes()
            .into_iter()
            .map(|r| &text[r])
            .collect();
        assert_eq!(
            outside,
            ["Sure 🎉 Friday.\r\n\r\n", "\r\n\r\nSee you 🚀.\r\n"]
        );
        assert!(Document::parse("").outside_quotes().is_empty());
        let plain = "No quotes here.\n";
        assert_eq!(
            Document::parse(plain).outside_quotes(),
            vec![0..plain.len()]
        );
    }

    #[test]
    fn greetings_and_sign_offs_are_read_in_other_languages_too() {
        for (text, greeting, sign_off) in [
            (
                "Bonjour Marie,\n\nLe devis est prêt pour jeudi.\n\nCordialement,\nLéa\n",
                "Bonjour Marie,",
                "Cordialement,",
            ),
            (
                "Sehr geehrte Frau Roth,\n\ndas Angebot liegt bei.\n\nMit freundlichen Grüßen\nJonas\n",
                "Sehr geehrte Frau Roth,",
                "Mit freundlichen Grüßen",
            ),
            (
                "Hola Ana,\n\nte envío el presupuesto.\n\nUn saludo,\nPablo\n",
                "Hola Ana,",
                "Un saludo,",
            ),
            (
                "Beste Anna,\n\nHierbij de offerte.\n\nMet vriendelijke groet,\nDaan\n",
                "Beste Anna,",
                "Met vriendelijke groet,",
            ),
            (
                "Estimada Sra. López,\n\nle envío el presupuesto.\n\nÀ bientôt,\nPablo\n",
                "Estimada Sra. López,",
                "À bientôt,",
            ),
            (
                "Dear Dr. Lee,\n\nThe quote is attached.\n\nBest regards,\nSam\n",
                "Dear Dr. Lee,",
                "Best regards,",
            ),
        ] {
            let doc = Document::parse(text);
            let regions = kinds(&doc);
            assert_eq!(
                regions.first(),
                Some(&(RegionKind::Greeting, greeting.to_string())),
                "{text}"
            );
            assert!(
                regions.contains(&(RegionKind::SignOff, sign_off.to_string())),
                "{text}: {regions:?}"
            );
        }
    }

    #[test]
    fn a_mailing_lists_footer_is_not_the_writers_text() {
        let mailman = "Works here too.\n\nkre\n\n_______________________________________________\n\
                       Exmh-workers mailing list\nExmh-workers@redhat.com\n\
                       https://listman.redhat.com/mailman/listinfo/exmh-workers\n";
        let yahoo = "Fair gave me the willies.\n\n------------------------ Yahoo! Groups Sponsor \
                     ---------------------~-->\nPlan to Sell a Home?\n\nTo unsubscribe from this \
                     group, send an email to:\nforteana-unsubscribe@egroups.com\n";
        let crlf = mailman.replace('\n', "\r\n");
        for (text, last) in [
            (mailman, "kre"),
            (crlf.as_str(), "kre"),
            (yahoo, "Fair gave me the willies."),
        ] {
            let doc = Document::parse(text);
            let own: Vec<_> = kinds(&doc)
                .into_iter()
                .filter(|(k, _)| *k != RegionKind::Signature)
                .collect();
            assert_eq!(own.last().map(|(_, t)| t.as_str()), Some(last), "{text}");
            let footer = doc.regions().last().unwrap();
            assert_eq!(footer.kind, RegionKind::Signature);
            assert!(text[footer.span.clone()].starts_with(['_', '-']), "{text}");
            assert_eq!(footer.span.end, text.trim_end().len(), "{text}");
        }
        let sf = "Fixed in CVS.\n\n-------------------------------------------------------\n\
                  This sf.net email is sponsored by: OSDN - Get a new phone for FREE!\n\
                  _______________________________________________\nSpamassassin-talk mailing list\n";
        let doc = Document::parse(sf);
        assert_eq!(
            kinds(&doc)[0],
            (RegionKind::Paragraph, "Fixed in CVS.".to_string())
        );
        assert_eq!(doc.regions()[1].kind, RegionKind::Signature);
        assert!(sf[doc.regions()[1].span.clone()].starts_with("-----"));
        let fork = "Oh, hell.\n\nOwen\n\nhttp://xent.com/mailman/listinfo/fork\n\n";
        let doc = Document::parse(fork);
        let footer = doc.regions().last().unwrap();
        assert_eq!(footer.kind, RegionKind::Signature);
        assert_eq!(
            &fork[footer.span.clone()],
            "http://xent.com/mailman/listinfo/fork"
        );
        // A rule of underscores, or a list's link, in the writer's own text stays theirs.
        for own in [
            "Sign here:\n______________________\nand date it.\n",
            "Join at\nhttp://xent.com/mailman/listinfo/fork\nand say hello.\n",
        ] {
            let doc = Document::parse(own);
            assert!(
                kinds(&doc).iter().all(|(k, _)| *k == RegionKind::Paragraph),
                "{own}"
            );
        }
    }

    #[test]
    fn greetings_and_sign_offs_with_multibyte_text_do_not_panic() {
        let doc =
            Document::parse("Ananova:\u{FFFD}\n\nsinema, sa\u{FFFD}l\u{FFFD}k\n\nBest\u{FFFD}\n");
        assert!(!doc.regions().is_empty());
    }

    #[test]
    fn regions_never_overlap_when_quotes_follow_a_sign_off() {
        let doc = Document::parse("Sincerely\nwrote:\n(");
        let mut end = 0;
        for r in doc.regions() {
            assert!(r.span.start >= end, "{:?}", doc.regions());
            end = r.span.end;
        }
    }

    #[test]
    fn a_body_line_with_a_colon_is_not_a_header() {
        let doc = Document::parse("Note: the call moved.\n\nSee you.\n");
        assert_eq!(doc.regions()[0].kind, RegionKind::Paragraph);
    }

    #[test]
    fn greeting_with_text_on_the_same_line_is_the_opening_paragraph() {
        let doc = Document::parse("Hi Sam, I wanted to ask about Denver.\n");
        assert_eq!(doc.regions()[0].kind, RegionKind::Paragraph);
        assert!(doc.regions()[0].scopes.intersects(ScopeSet::OPENING));
    }
}
