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

mod actions;
mod convert;
mod explain;
mod frames;
mod server;
mod workspace;

use tower_lsp_server::{LspService, Server};

/// Serves the language server on stdin/stdout until the client says `exit`.
pub fn serve_stdio() -> std::io::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    runtime.block_on(async {
        let (service, socket) = LspService::new(server::Backend::new);
        let input = frames::sanitized(tokio::io::stdin());
        Server::new(input, tokio::io::stdout(), socket)
            .serve(service)
            .await;
    });
    // The stdin reader may still be blocked in a read the client never completes; the session
    // is over, so do not wait for it.
    runtime.shutdown_background();
    Ok(())
}
