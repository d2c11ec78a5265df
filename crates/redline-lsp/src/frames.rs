//! A guard in front of the protocol reader. tower-lsp-server's framed reader stops at the first
//! frame it cannot decode, which would end the session, so every frame is decoded and screened
//! here first and only well-formed JSON-RPC 2.0 messages are passed on:
//!
//! - a frame that is JSON but not a JSON-RPC message (`{}`, `null`, a number, a batch, another
//!   `jsonrpc` version, an id that is neither a number nor a string) becomes a request for
//!   [`INVALID_REQUEST`], which the server answers with a -32600 error under the frame's id
//!   (null when the id is unusable, one answer per request in a batch); one without an id is
//!   dropped;
//! - a frame that is not JSON, a header block without a usable `Content-Length`, and bytes
//!   between frames are dropped (bytes run into the next header line, `xxxxContent-Length:`,
//!   up to that header);
//! - a frame longer than [`MAX_FRAME`] is skipped as it streams past, never buffered, and the
//!   reader picks up again at the next `Content-Length` header (so a length that lies does not
//!   swallow the session).
//!
//! Each drop is a line on stderr, which editors show in the server's log. [`Decoder`] does the
//! framing on bytes alone, so it can be fuzzed without a runtime. On the way, [`Ending`] notes
//! whether the client asked for `shutdown` before `exit`, which sets the exit code.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use serde::Deserialize;
use serde_json::{Value, json};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWriteExt, DuplexStream};
use tower_lsp_server::jsonrpc::{Request, Response};

/// The largest message the server reads: 64 MiB, far above any draft an editor sends.
pub const MAX_FRAME: u64 = 64 << 20;

/// The longest header block, in bytes.
const MAX_HEADERS: usize = 8 << 10;

/// The header every frame starts with, matched without regard to case.
const LENGTH_HEADER: &[u8] = b"content-length";

/// The request a screened-out frame with an id is turned into; the server answers it with an
/// invalid-request error carrying `params.reason`.
pub const INVALID_REQUEST: &str = "redline/invalidRequest";

/// What the decoder found in the bytes so far.
#[derive(Debug, PartialEq, Eq)]
pub enum Event {
    /// A frame's body.
    Frame(Vec<u8>),
    /// Bytes that were dropped, and why.
    Skipped(String),
}

/// Splits a byte stream into LSP frames, never holding more than one frame (at most
/// [`MAX_FRAME`]) plus one read.
#[derive(Debug, Default)]
pub struct Decoder {
    buf: Vec<u8>,
    state: State,
}

#[derive(Debug, Default, Clone, Copy)]
enum State {
    /// Waiting for a header block.
    #[default]
    Headers,
    /// Waiting for a body of this many bytes.
    Body(usize),
    /// Dropping an oversized body, this many bytes still to come.
    Discard(u64),
}

impl Decoder {
    /// Adds bytes read from the client.
    pub fn feed(&mut self, bytes: &[u8]) {
        self.buf.extend_from_slice(bytes);
    }

    /// How many bytes it holds: at most one frame, one header block and one read.
    pub fn buffered(&self) -> usize {
        self.buf.len()
    }

    /// The next complete event, or `None` until more bytes arrive.
    pub fn next_event(&mut self) -> Option<Event> {
        loop {
            match self.state {
                State::Headers => match self.headers()? {
                    Ok(Some(length)) => self.state = State::Body(length),
                    Ok(None) => {}
                    Err(skipped) => return Some(Event::Skipped(skipped)),
                },
                State::Body(length) => {
                    if self.buf.len() < length {
                        return None;
                    }
                    let rest = self.buf.split_off(length);
                    self.state = State::Headers;
                    return Some(Event::Frame(std::mem::replace(&mut self.buf, rest)));
                }
                State::Discard(remaining) => self.discard(remaining)?,
            }
        }
    }

    /// Reads one header block: `Some(Ok(Some(length)))` when a body follows, `Some(Ok(None))`
    /// for a stray blank line, `Some(Err(why))` when bytes were dropped, `None` for more bytes.
    #[allow(clippy::type_complexity)]
    fn headers(&mut self) -> Option<Result<Option<usize>, String>> {
        let mut length = None;
        let mut at = 0;
        loop {
            let newline = self.buf[at..].iter().position(|&b| b == b'\n');
            if newline.map_or(self.buf.len(), |n| at + n) > MAX_HEADERS {
                let dropped = self.resync(1);
                return Some(Err(format!(
                    "dropped {dropped} bytes of headers over 8 KiB"
                )));
            }
            let newline = newline?;
            let line = &self.buf[at..at + newline];
            let line = line.strip_suffix(b"\r").unwrap_or(line);
            let end = at + newline + 1;
            if line.is_empty() {
                self.buf.drain(..end);
                if at == 0 {
                    return Some(Ok(None));
                }
                return Some(match length {
                    Some(Ok(n)) if n > MAX_FRAME => {
                        self.state = State::Discard(n);
                        Err(format!(
                            "skipped a message of {n} bytes, over the {} MiB limit",
                            MAX_FRAME >> 20
                        ))
                    }
                    Some(Ok(n)) => Ok(Some(n as usize)),
                    Some(Err(value)) => {
                        Err(format!("dropped a header with Content-Length `{value}`"))
                    }
                    None => Err("dropped a header without Content-Length".into()),
                });
            }
            if let Some(i) = joined_header(line) {
                // Bytes joined to the front of a header line, as when a body was longer than
                // its length said: the next frame starts at that header.
                let dropped = self.resync(at + i);
                return Some(Err(format!(
                    "dropped {dropped} bytes that were not a message"
                )));
            }
            let Some((name, value)) = header(line) else {
                // Not a header: bytes between frames, or a body whose length was wrong.
                let dropped = self.resync(at + 1);
                return Some(Err(format!(
                    "dropped {dropped} bytes that were not a message"
                )));
            };
            if name.eq_ignore_ascii_case(LENGTH_HEADER) {
                let value = String::from_utf8_lossy(value).trim().to_string();
                length = Some(value.parse::<u64>().map_err(|_| value));
            }
            at = end;
        }
    }

    /// Drops bytes up to the next `Content-Length` header at or after `from` (or all but a
    /// possible start of one); says how many.
    fn resync(&mut self, from: usize) -> usize {
        let cut = match find_header(&self.buf, from) {
            Some(i) => i,
            None => (self.buf.len() - partial_header(&self.buf)).max(from.min(self.buf.len())),
        };
        self.buf.drain(..cut);
        cut
    }

    /// Drops an oversized body as it arrives, stopping early at a `Content-Length` header in
    /// it (a body cannot hold one unescaped).
    fn discard(&mut self, remaining: u64) -> Option<()> {
        if let Some(i) = find_header(&self.buf, 0) {
            self.buf.drain(..i);
            self.state = State::Headers;
            return Some(());
        }
        if remaining <= self.buf.len() as u64 {
            self.buf.drain(..remaining as usize);
            self.state = State::Headers;
            return Some(());
        }
        let drop = self.buf.len() - partial_header(&self.buf);
        self.buf.drain(..drop);
        self.state = State::Discard(remaining - drop as u64);
        None
    }
}

/// A header line's name and value, when the line is one.
fn header(line: &[u8]) -> Option<(&[u8], &[u8])> {
    let colon = line.iter().position(|&b| b == b':')?;
    let name = &line[..colon];
    let token = !name.is_empty() && name.iter().all(|b| b.is_ascii_alphanumeric() || *b == b'-');
    token.then(|| (name, &line[colon + 1..]))
}

/// Where a `Content-Length:` header starts inside a header line, after bytes that are not
/// part of it (`xxxxContent-Length: 52`).
fn joined_header(line: &[u8]) -> Option<usize> {
    let mut from = 1;
    while let Some(i) = find_header(line, from) {
        let rest = &line[i + LENGTH_HEADER.len()..];
        if rest.trim_ascii_start().starts_with(b":") {
            return Some(i);
        }
        from = i + 1;
    }
    None
}

/// How many bytes at the end of `bytes` could be the start of a `Content-Length` header still
/// arriving: what dropping junk keeps.
fn partial_header(bytes: &[u8]) -> usize {
    (1..LENGTH_HEADER.len().min(bytes.len() + 1))
        .rev()
        .find(|&n| bytes[bytes.len() - n..].eq_ignore_ascii_case(&LENGTH_HEADER[..n]))
        .unwrap_or(0)
}

/// Where the next `Content-Length` header starts at or after `from`.
fn find_header(bytes: &[u8], from: usize) -> Option<usize> {
    let from = from.min(bytes.len());
    bytes[from..]
        .windows(LENGTH_HEADER.len())
        .position(|w| w.eq_ignore_ascii_case(LENGTH_HEADER))
        .map(|i| from + i)
}

/// What to pass on for a frame's body: the body itself when it is a JSON-RPC message the
/// protocol reader accepts, else an [`INVALID_REQUEST`] per id it carries; and a note on
/// anything dropped or replaced.
pub fn screen(body: Vec<u8>) -> (Vec<Vec<u8>>, Option<String>) {
    if serde_json::from_slice::<Response>(&body).is_ok()
        || serde_json::from_slice::<Request>(&body).is_ok()
    {
        return (vec![body], None);
    }
    let Ok(value) = serde_json::from_slice::<Value>(&body) else {
        return (
            Vec::new(),
            Some("ignored a message that is not JSON".into()),
        );
    };
    let (ids, what): (Vec<Value>, _) = match &value {
        Value::Array(items) => (
            items.iter().filter_map(id_of).collect(),
            "a batch (LSP has none)",
        ),
        Value::Object(_) => (
            id_of(&value).into_iter().collect(),
            "not a JSON-RPC 2.0 message",
        ),
        _ => (Vec::new(), "not a JSON-RPC 2.0 message"),
    };
    let note = format!(
        "{} a message that is {what}",
        if ids.is_empty() { "ignored" } else { "refused" }
    );
    let replies = ids
        .into_iter()
        .map(|id| {
            json!({"jsonrpc": "2.0", "id": id, "method": INVALID_REQUEST, "params": {"reason": what}})
                .to_string()
                .into_bytes()
        })
        .collect();
    (replies, Some(note))
}

/// The id to answer a message under: its own when it is a number or a string, null when it has
/// one of another kind; `None` when it has none (a notification is never answered).
fn id_of(message: &Value) -> Option<Value> {
    let id = message.as_object()?.get("id")?;
    Some(match id {
        Value::Number(n) if n.is_i64() => id.clone(),
        Value::String(_) => id.clone(),
        _ => Value::Null,
    })
}

/// How the client ended the session, noted as its messages pass the guard in the order it sent
/// them (a handler may not have run yet when `exit` stops the server).
#[derive(Debug, Default)]
pub struct Ending {
    shutdown: AtomicBool,
    exit: AtomicBool,
}

/// The one field of a message [`Ending`] looks at.
#[derive(Deserialize)]
struct Method<'a> {
    #[serde(borrow)]
    method: Option<std::borrow::Cow<'a, str>>,
}

/// `shutdown` and `exit` messages are this short; longer ones are not parsed again.
const MAX_ENDING_MESSAGE: usize = 4096;

impl Ending {
    /// Notes a message passed on to the server.
    fn note(&self, body: &[u8]) {
        // Most messages (every keystroke's edit) name neither method: not parsed a second time.
        let names = |m: &[u8]| body.windows(m.len()).any(|w| w == m);
        if body.len() > MAX_ENDING_MESSAGE || !(names(b"\"shutdown\"") || names(b"\"exit\"")) {
            return;
        }
        let Ok(Method {
            method: Some(method),
        }) = serde_json::from_slice(body)
        else {
            return;
        };
        match &*method {
            "shutdown" => self.shutdown.store(true, Ordering::SeqCst),
            "exit" => self.exit.store(true, Ordering::SeqCst),
            _ => {}
        }
    }

    /// The exit code the LSP spec asks for: 1 when the client sent `exit` without a
    /// `shutdown` request before it, else 0 (also when it just closed its end).
    pub fn exit_code(&self) -> u8 {
        let early = self.exit.load(Ordering::SeqCst) && !self.shutdown.load(Ordering::SeqCst);
        u8::from(early)
    }
}

/// Reads frames from `input` and passes on what [`screen`] lets through, noting in `ending`
/// how the session ends.
pub fn sanitized(
    input: impl AsyncRead + Unpin + Send + 'static,
    ending: Arc<Ending>,
) -> DuplexStream {
    let (mut writer, reader) = tokio::io::duplex(1 << 16);
    tokio::spawn(async move {
        let mut input = input;
        let mut decoder = Decoder::default();
        let mut chunk = vec![0; 1 << 16];
        loop {
            match input.read(&mut chunk).await {
                Ok(0) | Err(_) => return,
                Ok(n) => decoder.feed(&chunk[..n]),
            }
            while let Some(event) = decoder.next_event() {
                let body = match event {
                    Event::Frame(body) => body,
                    Event::Skipped(why) => {
                        eprintln!("redline lsp: {why}");
                        continue;
                    }
                };
                let (pass, note) = screen(body);
                if let Some(note) = note {
                    eprintln!("redline lsp: {note}");
                }
                for body in pass {
                    ending.note(&body);
                    let header = format!("Content-Length: {}\r\n\r\n", body.len());
                    if writer.write_all(header.as_bytes()).await.is_err()
                        || writer.write_all(&body).await.is_err()
                    {
                        return;
                    }
                }
            }
        }
    });
    reader
}

#[cfg(test)]
mod tests {
    use super::*;

    fn events(input: &[u8], chunk: usize) -> Vec<Event> {
        let mut d = Decoder::default();
        let mut out = Vec::new();
        for piece in input.chunks(chunk.max(1)) {
            d.feed(piece);
            while let Some(e) = d.next_event() {
                out.push(e);
            }
        }
        out
    }

    fn frames(input: &[u8], chunk: usize) -> Vec<String> {
        events(input, chunk)
            .into_iter()
            .filter_map(|e| match e {
                Event::Frame(b) => Some(String::from_utf8(b).unwrap()),
                Event::Skipped(_) => None,
            })
            .collect()
    }

    #[test]
    fn frames_split_anywhere_decode_the_same() {
        let input = b"Content-Length: 2\r\n\r\n{}content-length:3\nContent-Type: x\n\n[1]";
        for chunk in [1, 2, 5, 100] {
            assert_eq!(frames(input, chunk), ["{}", "[1]"], "chunks of {chunk}");
        }
    }

    #[test]
    fn huge_or_bad_lengths_are_skipped_and_the_next_frame_still_reads() {
        for length in [
            "18446744073709551615",
            "99999999999999",
            "67108865",
            "-1",
            "1e9",
            "",
        ] {
            let input = format!("Content-Length: {length}\r\n\r\n{{}}Content-Length: 2\r\n\r\n[]");
            for chunk in [1, 7, 4096] {
                let events = events(input.as_bytes(), chunk);
                assert!(
                    matches!(&events[0], Event::Skipped(_)),
                    "{length}: {events:?}"
                );
                assert_eq!(
                    frames(input.as_bytes(), chunk),
                    ["[]"],
                    "{length} in chunks of {chunk}"
                );
            }
        }
    }

    #[test]
    fn junk_after_a_bad_length_does_not_swallow_the_next_frame() {
        for length in ["-5", "abc"] {
            for junk in ["x".repeat(40), format!("{}\r\n", "x".repeat(100))] {
                let input =
                    format!("Content-Length: {length}\r\n\r\n{junk}Content-Length: 2\r\n\r\n[]");
                for chunk in [1, 7, 4096] {
                    let events = events(input.as_bytes(), chunk);
                    assert_eq!(
                        frames(input.as_bytes(), chunk),
                        ["[]"],
                        "{length} then {junk:?} in chunks of {chunk}: {events:?}"
                    );
                    // One line for the bad header, one for the junk: not one per byte.
                    assert!(events.len() <= 3, "{events:?}");
                }
            }
        }
        assert_eq!(joined_header(b"Content-Length: 2"), None);
        assert_eq!(joined_header(b"xxContent-Length : 2"), Some(2));
        assert_eq!(joined_header(b"Content-Type: x-content-length"), None);
        assert_eq!(partial_header(b"xxxcontent-le"), 10);
        assert_eq!(partial_header(b"xx\r\n"), 0);
    }

    #[test]
    fn an_oversized_honest_frame_is_dropped_as_it_streams() {
        let big = MAX_FRAME as usize + 10;
        let mut d = Decoder::default();
        d.feed(format!("Content-Length: {big}\r\n\r\n").as_bytes());
        assert!(matches!(d.next_event(), Some(Event::Skipped(_))));
        let block = vec![b'x'; 1 << 20];
        let mut fed = 0;
        while fed < big {
            let n = block.len().min(big - fed);
            d.feed(&block[..n]);
            fed += n;
            assert_eq!(d.next_event(), None);
            assert!(d.buf.len() < 64, "held {} bytes", d.buf.len());
        }
        d.feed(b"Content-Length: 2\r\n\r\n{}");
        assert_eq!(d.next_event(), Some(Event::Frame(b"{}".to_vec())));
    }

    #[test]
    fn endless_headers_and_garbage_stay_bounded() {
        let mut d = Decoder::default();
        for _ in 0..100 {
            d.feed(&[b'a'; 4096]);
            while d.next_event().is_some() {}
            assert!(d.buf.len() <= MAX_HEADERS + 4096);
        }
        d.feed(b"\nContent-Length: 2\r\n\r\n{}");
        let mut last = None;
        while let Some(e) = d.next_event() {
            last = Some(e);
        }
        assert_eq!(last, Some(Event::Frame(b"{}".to_vec())));
    }

    #[test]
    fn exit_without_shutdown_is_exit_code_1() {
        let ending = Ending::default();
        ending.note(br#"{"jsonrpc":"2.0","id":1,"method":"textDocument/hover","params":{}}"#);
        assert_eq!(ending.exit_code(), 0, "the client closed its end");
        ending.note(br#"{"jsonrpc":"2.0","method":"exit"}"#);
        assert_eq!(ending.exit_code(), 1);

        let ending = Ending::default();
        ending.note(br#"{"jsonrpc":"2.0","id":"s","method":"shutdown","params":null}"#);
        ending.note(br#"{"jsonrpc":"2.0","method":"exit"}"#);
        assert_eq!(ending.exit_code(), 0);
    }

    fn screened(body: &str) -> (Vec<Value>, bool) {
        let (pass, note) = screen(body.as_bytes().to_vec());
        let pass = pass
            .iter()
            .map(|b| serde_json::from_slice(b).unwrap())
            .collect();
        (pass, note.is_some())
    }

    #[test]
    fn only_json_rpc_passes_and_ids_get_an_invalid_request() {
        let ok = r#"{"jsonrpc":"2.0","id":1,"method":"shutdown"}"#;
        assert_eq!(
            screened(ok),
            (vec![serde_json::from_str(ok).unwrap()], false)
        );
        let reply = r#"{"jsonrpc":"2.0","id":"a","result":null}"#;
        assert_eq!(screened(reply).0.len(), 1);
        for ignored in [
            "{}",
            "null",
            "42",
            "\"x\"",
            "[]",
            "{not json",
            r#"{"jsonrpc":"1.0","method":"x"}"#,
        ] {
            assert_eq!(screened(ignored), (vec![], true), "{ignored}");
        }
        let (pass, _) = screened(r#"{"jsonrpc":"1.0","id":7,"method":"x"}"#);
        assert_eq!(pass[0]["id"], 7);
        assert_eq!(pass[0]["method"], INVALID_REQUEST);
        let (pass, _) = screened(r#"{"jsonrpc":"2.0","id":[1],"method":"x"}"#);
        assert_eq!(pass[0]["id"], Value::Null);
        let (pass, _) =
            screened(r#"[{"jsonrpc":"2.0","id":3,"method":"x"},{"jsonrpc":"2.0","method":"y"},5]"#);
        assert_eq!(pass.len(), 1);
        assert_eq!(pass[0]["id"], 3);
        for p in &pass {
            let body = p.to_string();
            assert!(serde_json::from_str::<Request>(&body).is_ok(), "{body}");
        }
    }
}
