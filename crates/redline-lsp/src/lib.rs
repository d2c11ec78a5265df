//! `redline lsp`: the corporate-AI voice flagged while a rep drafts.
//!
//! A language server over stdio on tower-lsp-server, linking the engine as a library. It keeps
//! each open draft's text, checks it on every change (a draft checks in well under a
//! millisecond), and publishes diagnostics tagged with the version they were computed for; a
//! result for an older version is dropped. Hovers explain a finding; code actions apply its fix,
//! silence its rule for the draft, or add the phrase to the workspace's `.redline.toml`.
//!
//! Positions are UTF-16 unless the client offers UTF-8. `.eml` drafts are read as messages, and
//! findings in decoded parts map back to the raw text the editor shows.
//!
//! The modules, in the order a message meets them: `frames` (the guard in front of the
//! protocol reader), `server` (state and one guarded handler per message), `settings` (the
//! editor's settings), `checker` (open drafts and their debounced checks), `diagnostics`,
//! `hover`, `actions` and `allow` (code actions), `commands`, `workspace` (folders and paths
//! inside them), `files` (reading drafts from disk), `convert` (positions), `explain` (rule
//! text).

mod actions;
mod allow;
mod checker;
mod commands;
mod convert;
mod diagnostics;
mod explain;
mod files;
mod frames;
mod hover;
mod server;
mod settings;
mod workspace;

pub use frames::{Decoder, Event, MAX_FRAME, screen};
use tower_lsp_server::{LspService, Server};

/// Serves the language server on stdin/stdout until the client says `exit` or closes stdin;
/// the exit code the LSP spec asks for: 1 when the client sent `exit` without `shutdown`
/// first, else 0.
pub fn serve_stdio() -> std::io::Result<u8> {
    let ending = std::sync::Arc::new(frames::Ending::default());
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    runtime.block_on(async {
        let (service, socket) = LspService::build(server::Backend::new)
            .custom_method(frames::INVALID_REQUEST, server::Backend::invalid_request)
            .finish();
        let input = frames::sanitized(tokio::io::stdin(), ending.clone());
        Server::new(input, tokio::io::stdout(), socket)
            .serve(service)
            .await;
    });
    // The stdin reader may still be blocked in a read the client never completes, and a
    // request to the client may still wait for an answer; the session is over, so do not
    // wait for them.
    runtime.shutdown_background();
    Ok(ending.exit_code())
}
