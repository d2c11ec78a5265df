//! Zed extension for redline: starts `redline lsp` for Markdown and plain-text drafts.
//!
//! The binary is `lsp.redline.binary.path` from Zed's settings, else `redline` on the
//! worktree's PATH. `lsp.redline.settings` (`failOn`, `disabledRules`, `extraPacks`,
//! `debounceMs`) reaches the server under the `redline` key it reads, both at start-up and
//! whenever the settings change.

use zed_extension_api::{self as zed, LanguageServerId, Result, serde_json, settings::LspSettings};

struct Redline;

/// The language server's name in `extension.toml` and under `lsp` in Zed's settings.
const SERVER: &str = "redline";

impl Redline {
    /// `lsp.redline.settings`, wrapped as the server expects: `{"redline": {...}}`.
    fn settings(worktree: &zed::Worktree) -> Option<serde_json::Value> {
        let settings = LspSettings::for_worktree(SERVER, worktree).ok()?.settings?;
        Some(serde_json::json!({ "redline": settings }))
    }
}

impl zed::Extension for Redline {
    fn new() -> Self {
        Redline
    }

    fn language_server_command(
        &mut self,
        _id: &LanguageServerId,
        worktree: &zed::Worktree,
    ) -> Result<zed::Command> {
        let binary = LspSettings::for_worktree(SERVER, worktree)
            .ok()
            .and_then(|s| s.binary);
        let configured = binary.as_ref().and_then(|b| b.path.clone());
        let command = configured.or_else(|| worktree.which("redline")).ok_or(
            "redline is not on PATH: install it (`cargo install --path crates/redline-cli` \
             from a redline clone) or set lsp.redline.binary.path in Zed's settings",
        )?;
        let args = binary
            .as_ref()
            .and_then(|b| b.arguments.clone())
            .unwrap_or_else(|| vec!["lsp".into()]);
        let mut env = worktree.shell_env();
        env.extend(binary.and_then(|b| b.env).unwrap_or_default());
        Ok(zed::Command { command, args, env })
    }

    fn language_server_initialization_options(
        &mut self,
        _id: &LanguageServerId,
        worktree: &zed::Worktree,
    ) -> Result<Option<serde_json::Value>> {
        Ok(Self::settings(worktree))
    }

    fn language_server_workspace_configuration(
        &mut self,
        _id: &LanguageServerId,
        worktree: &zed::Worktree,
    ) -> Result<Option<serde_json::Value>> {
        Ok(Self::settings(worktree))
    }
}

zed::register_extension!(Redline);
