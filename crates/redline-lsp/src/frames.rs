//! A guard in front of the protocol reader: a message whose body is not JSON would end
//! tower-lsp-server's input stream (its framed reader stops at the first decode error), so such
//! a body is replaced by a `$/redline/malformed` notification, which the server ignores, and
//! the session goes on. Headers without a `Content-Length` are skipped the same way.

use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncReadExt, AsyncWriteExt, BufReader, DuplexStream};

/// The notification that stands in for a malformed message.
const MALFORMED: &[u8] = br#"{"jsonrpc":"2.0","method":"$/redline/malformed"}"#;

/// Reads LSP frames from `input` and passes them on, each body checked to be JSON.
pub fn sanitized(input: impl AsyncRead + Unpin + Send + 'static) -> DuplexStream {
    let (mut writer, reader) = tokio::io::duplex(1 << 16);
    tokio::spawn(async move {
        let mut input = BufReader::new(input);
        let mut line = String::new();
        loop {
            let mut length: Option<usize> = None;
            loop {
                line.clear();
                match input.read_line(&mut line).await {
                    Ok(0) | Err(_) => return,
                    Ok(_) => {}
                }
                let header = line.trim_end();
                if header.is_empty() {
                    break;
                }
                if let Some((name, value)) = header.split_once(':')
                    && name.eq_ignore_ascii_case("content-length")
                {
                    length = value.trim().parse().ok();
                }
            }
            let Some(length) = length else { continue };
            let mut body = vec![0; length];
            if input.read_exact(&mut body).await.is_err() {
                return;
            }
            if serde_json::from_slice::<serde_json::Value>(&body).is_err() {
                body = MALFORMED.to_vec();
            }
            let header = format!("Content-Length: {}\r\n\r\n", body.len());
            if writer.write_all(header.as_bytes()).await.is_err()
                || writer.write_all(&body).await.is_err()
            {
                return;
            }
        }
    });
    reader
}
