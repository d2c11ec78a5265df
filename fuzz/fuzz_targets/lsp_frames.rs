//! Any bytes from a client, split into reads at any points, pass the language server's frame
//! guard without a panic, with bounded memory, and what it passes on is always a message the
//! protocol reader accepts (so no frame can end the session).
#![no_main]

use libfuzzer_sys::fuzz_target;
use redline_lsp::{Decoder, Event, MAX_FRAME, screen};
use tower_lsp_server::jsonrpc::{Request, Response};

fuzz_target!(|data: &[u8]| {
    let Some((&split, input)) = data.split_first() else {
        return;
    };
    let read = usize::from(split).max(1);
    let mut decoder = Decoder::default();
    for piece in input.chunks(read) {
        decoder.feed(piece);
        while let Some(event) = decoder.next_event() {
            let Event::Frame(body) = event else { continue };
            assert!(body.len() as u64 <= MAX_FRAME);
            for passed in screen(body).0 {
                assert!(
                    serde_json::from_slice::<Response>(&passed).is_ok()
                        || serde_json::from_slice::<Request>(&passed).is_ok(),
                    "passed on a frame the reader rejects: {}",
                    String::from_utf8_lossy(&passed)
                );
            }
        }
        assert!(decoder.buffered() as u64 <= MAX_FRAME + read as u64 + 8192);
    }
});
