//! JSON bodies for the errors hyper answers by itself.
//!
//! When a request is not HTTP/1.1 that hyper can parse (a bad request line or header, a
//! negative, non-numeric or doubled `Content-Length`, headers over hyper's size limit, a URI
//! too long), hyper writes a `400`, `431` or `414` with an empty body and closes the
//! connection, before any handler of ours runs; hyper 1 has no hook to give that answer a
//! body. Every other error this server sends is `{"error": "..."}`, so [`JsonErrors`] wraps
//! each connection's socket and rewrites that one bodiless answer, on its way out, into the
//! same shape. Nothing else is touched: every answer of ours has a body, so a `400`, `414` or
//! `431` head alone with `content-length: 0` can only be hyper's.

use std::fmt::Write as _;
use std::io;
use std::pin::Pin;
use std::task::{Context, Poll, ready};

use serde_json::json;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

/// A connection's socket, with hyper's bodiless protocol errors given a JSON body.
pub struct JsonErrors<T> {
    inner: T,
    /// A rewritten answer not yet all written, and how much of it has been.
    pending: Vec<u8>,
    sent: usize,
}

impl<T> JsonErrors<T> {
    /// Wraps a connection's socket.
    pub fn new(inner: T) -> Self {
        JsonErrors {
            inner,
            pending: Vec::new(),
            sent: 0,
        }
    }
}

impl<T: AsyncWrite + Unpin> JsonErrors<T> {
    /// Writes what is left of a rewritten answer.
    fn drain(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        while self.sent < self.pending.len() {
            let n = ready!(Pin::new(&mut self.inner).poll_write(cx, &self.pending[self.sent..]))?;
            if n == 0 {
                return Poll::Ready(Err(io::ErrorKind::WriteZero.into()));
            }
            self.sent += n;
        }
        self.pending.clear();
        self.sent = 0;
        Poll::Ready(Ok(()))
    }

    /// Takes `buf` whole when it is hyper's bodiless error answer, and starts writing the
    /// rewritten one instead.
    fn poll_rewrite(
        &mut self,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Option<Poll<io::Result<usize>>> {
        self.pending = with_json_body(buf)?;
        self.sent = 0;
        // The caller's bytes are taken: what `drain` cannot write now goes on the next write,
        // flush or shutdown (hyper flushes and shuts down after this answer).
        Some(match self.drain(cx) {
            Poll::Ready(Err(e)) => Poll::Ready(Err(e)),
            _ => Poll::Ready(Ok(buf.len())),
        })
    }
}

impl<T: AsyncRead + Unpin> AsyncRead for JsonErrors<T> {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_read(cx, buf)
    }
}

impl<T: AsyncWrite + Unpin> AsyncWrite for JsonErrors<T> {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        ready!(this.drain(cx))?;
        if let Some(written) = this.poll_rewrite(cx, buf) {
            return written;
        }
        Pin::new(&mut this.inner).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        ready!(this.drain(cx))?;
        // hyper queues a head and its body as separate slices; its error answer is a head
        // alone. Empty slices before it count for nothing written.
        let mut slices = bufs.iter().filter(|b| !b.is_empty());
        if let (Some(first), None) = (slices.next(), slices.next())
            && let Some(written) = this.poll_rewrite(cx, first)
        {
            return written;
        }
        Pin::new(&mut this.inner).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        ready!(this.drain(cx))?;
        Pin::new(&mut this.inner).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        ready!(this.drain(cx))?;
        Pin::new(&mut this.inner).poll_shutdown(cx)
    }
}

/// hyper's bodiless `400`, `414` or `431` answer with a JSON `{"error": ...}` body saying what
/// was wrong; `None` for anything else.
fn with_json_body(bytes: &[u8]) -> Option<Vec<u8>> {
    // A head alone is short; an answer's body (up to megabytes of findings) is not read.
    if bytes.len() > 1024 || !bytes.starts_with(b"HTTP/1.") {
        return None;
    }
    let head = std::str::from_utf8(bytes).ok()?.strip_suffix("\r\n\r\n")?;
    let mut lines = head.split("\r\n");
    let status_line = lines.next()?;
    let status = status_line.strip_prefix("HTTP/1.")?.get(2..6)?;
    let message = match status {
        "400 " => {
            "the request is not valid HTTP/1.1: a malformed request line or header, or a \
             Content-Length that is negative, not a number, or given twice"
        }
        "414 " => "the request's URI is too long",
        "431 " => "the request's headers are too large or too many",
        _ => return None,
    };
    let mut answer = format!("{status_line}\r\n");
    let mut bodiless = false;
    for line in lines {
        if line.eq_ignore_ascii_case("content-length: 0") {
            bodiless = true;
        } else if line.contains(['\r', '\n']) || line.is_empty() {
            return None;
        } else {
            answer.push_str(line);
            answer.push_str("\r\n");
        }
    }
    if !bodiless {
        return None;
    }
    let body = json!({ "error": message }).to_string();
    write!(
        answer,
        "content-type: application/json\r\ncontent-length: {}\r\n\r\n{body}",
        body.len()
    )
    .expect("writes to memory");
    Some(answer.into_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_bodiless_protocol_error_gets_a_body() {
        let hyper = b"HTTP/1.1 431 Request Header Fields Too Large\r\nconnection: close\r\n\
                      content-length: 0\r\ndate: Sun, 29 Nov 2026 21:51:12 GMT\r\n\r\n";
        let answer = String::from_utf8(with_json_body(hyper).unwrap()).unwrap();
        let (head, body) = answer.split_once("\r\n\r\n").unwrap();
        assert!(head.starts_with("HTTP/1.1 431 "), "{head}");
        assert!(head.contains("connection: close\r\n"), "{head}");
        assert!(head.contains("content-type: application/json"), "{head}");
        assert!(head.ends_with(&format!("content-length: {}", body.len())));
        let v: serde_json::Value = serde_json::from_str(body).unwrap();
        assert!(
            v["error"]
                .as_str()
                .unwrap()
                .contains("headers are too large")
        );

        // Our own answers have bodies; other statuses and partial heads pass as they are.
        let ours = b"HTTP/1.1 400 Bad Request\r\ncontent-length: 17\r\n\r\n{\"error\":\"bad\"}";
        assert_eq!(with_json_body(ours), None);
        let ok = b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n";
        assert_eq!(with_json_body(ok), None);
        assert_eq!(
            with_json_body(b"HTTP/1.1 400 Bad Request\r\ncontent-le"),
            None
        );
    }
}
