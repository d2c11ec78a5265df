//! The language server's state and its protocol surface: what it negotiates at `initialize`,
//! and one thin, guarded handler per message, each handing the work to the module that does it
//! (`checker`, `hover`, `actions`, `commands`).
//!
//! State lives behind one `std::sync::Mutex` that is only ever held for plain computation,
//! never across an `.await`, so tower-lsp-server's concurrent handlers cannot interleave inside
//! an update.
//!
//! Every handler runs behind a panic guard: a bug in one request costs that request an error
//! answer (or a log line, for a notification), never the session. No handler waits on the
//! client: the one request the server sends (registering file watchers) is sent from its own
//! task, so a client that never answers cannot keep the server from exiting.

use std::collections::HashMap;
use std::panic::AssertUnwindSafe;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard};

use futures::FutureExt;
use redline_email::LinterCache;
use serde::Deserialize;
use serde_json::Value;
use tower_lsp_server::jsonrpc::{Error, ErrorCode, Result};
use tower_lsp_server::ls_types::*;
use tower_lsp_server::{Client, LanguageServer};

use crate::checker::Doc;
use crate::commands::{CHECK_WORKSPACE_COMMAND, EXPLAIN_COMMAND};
use crate::convert::Encoding;
use crate::settings::EditorSettings;
use crate::workspace;

/// The server.
#[derive(Clone)]
pub struct Backend {
    pub(crate) client: Client,
    state: Arc<Mutex<State>>,
}

/// Everything the server knows, behind [`Backend::lock`].
#[derive(Default)]
pub(crate) struct State {
    /// How the client counts columns.
    pub encoding: Encoding,
    /// The open drafts.
    pub docs: HashMap<Uri, Doc>,
    /// Linters per config file, built from `editor` on first use; dropped when settings or
    /// config files change.
    pub cache: Option<Arc<LinterCache>>,
    /// The editor's settings.
    pub editor: EditorSettings,
    /// The workspace folders.
    pub roots: Vec<PathBuf>,
    /// Bumped whenever settings or config files change, so a check made before is not reused.
    pub generation: u64,
    /// The client can register file watchers dynamically.
    watch_registration: bool,
    /// A problem with the settings sent at `initialize`, shown once the client is ready.
    pending_warning: Option<String>,
}

/// The parameters of an [`INVALID_REQUEST`](crate::frames::INVALID_REQUEST).
#[derive(Deserialize)]
pub(crate) struct InvalidRequest {
    reason: String,
}

impl Backend {
    /// A server talking to `client`.
    pub fn new(client: Client) -> Self {
        Backend {
            client,
            state: Arc::new(Mutex::new(State::default())),
        }
    }

    pub(crate) fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub(crate) async fn log(&self, level: MessageType, message: impl std::fmt::Display) {
        self.client
            .log_message(level, format!("redline: {message}"))
            .await;
    }

    /// Answers a frame the frame guard screened out with an invalid-request error.
    pub(crate) async fn invalid_request(&self, params: InvalidRequest) -> Result<()> {
        Err(Error {
            code: ErrorCode::InvalidRequest,
            message: format!("redline: invalid request: {}", params.reason).into(),
            data: None,
        })
    }

    /// Applies settings from the client; a value of the wrong type keeps the previous ones.
    async fn apply_settings(&self, value: &Value) {
        match EditorSettings::from_json(value) {
            Ok(settings) => {
                let ignored = settings.ignored();
                self.lock().editor = settings;
                if let Some(warning) = ignored {
                    self.show(MessageType::WARNING, warning).await;
                }
                self.reload();
            }
            Err(e) => {
                let message = format!("{e}; the previous settings stay");
                self.show(MessageType::ERROR, message).await;
            }
        }
    }

    async fn show(&self, level: MessageType, message: impl std::fmt::Display) {
        self.client
            .show_message(level, format!("redline: {message}"))
            .await;
    }

    /// Asks the client to report changes to config files and rule packs, from a task of its
    /// own: the answer is not needed, and waiting for it must not hold up anything else.
    fn register_watchers(&self) {
        let watch = DidChangeWatchedFilesRegistrationOptions {
            watchers: ["**/.redline.toml", "**/rules/**/*.toml"]
                .into_iter()
                .map(|g| FileSystemWatcher {
                    glob_pattern: GlobPattern::String(g.into()),
                    kind: None,
                })
                .collect(),
        };
        let registration = Registration {
            id: "redline-config".into(),
            method: "workspace/didChangeWatchedFiles".into(),
            register_options: serde_json::to_value(watch).ok(),
        };
        let client = self.client.clone();
        tokio::spawn(async move {
            let _ = client.register_capability(vec![registration]).await;
        });
    }
}

/// The position encoding to use: UTF-8 when the client offers it, else UTF-16.
fn encoding_for(params: &InitializeParams) -> Encoding {
    let offers_utf8 = params
        .capabilities
        .general
        .as_ref()
        .and_then(|g| g.position_encodings.as_ref())
        .is_some_and(|e| e.contains(&PositionEncodingKind::UTF8));
    if offers_utf8 {
        Encoding::Utf8
    } else {
        Encoding::Utf16
    }
}

/// Whether the client declared that it registers file watchers on request.
fn watches_dynamically(params: &InitializeParams) -> bool {
    params
        .capabilities
        .workspace
        .as_ref()
        .and_then(|w| w.did_change_watched_files.as_ref())
        .and_then(|w| w.dynamic_registration)
        .unwrap_or(false)
}

fn capabilities(encoding: Encoding) -> ServerCapabilities {
    ServerCapabilities {
        position_encoding: Some(match encoding {
            Encoding::Utf8 => PositionEncodingKind::UTF8,
            Encoding::Utf16 => PositionEncodingKind::UTF16,
        }),
        text_document_sync: Some(TextDocumentSyncCapability::Kind(
            TextDocumentSyncKind::INCREMENTAL,
        )),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        code_action_provider: Some(CodeActionProviderCapability::Simple(true)),
        execute_command_provider: Some(ExecuteCommandOptions {
            commands: vec![EXPLAIN_COMMAND.into(), CHECK_WORKSPACE_COMMAND.into()],
            ..ExecuteCommandOptions::default()
        }),
        ..ServerCapabilities::default()
    }
}

impl LanguageServer for Backend {
    async fn initialize(&self, params: InitializeParams) -> Result<InitializeResult> {
        guarded(self, "initialize", async {
            let encoding = encoding_for(&params);
            {
                let mut state = self.lock();
                state.encoding = encoding;
                state.roots = workspace::roots_of(&params);
                state.watch_registration = watches_dynamically(&params);
                if let Some(options) = &params.initialization_options {
                    match EditorSettings::from_json(options) {
                        Ok(settings) => {
                            state.pending_warning = settings.ignored();
                            state.editor = settings;
                        }
                        Err(e) => state.pending_warning = Some(e),
                    }
                }
            }
            Ok(InitializeResult {
                server_info: Some(ServerInfo {
                    name: "redline".into(),
                    version: Some(env!("CARGO_PKG_VERSION").into()),
                }),
                capabilities: capabilities(encoding),
                offset_encoding: None,
            })
        })
        .await
    }

    async fn initialized(&self, _: InitializedParams) {
        guarded_notification(self, "initialized", async {
            let (register, warning) = {
                let mut state = self.lock();
                (state.watch_registration, state.pending_warning.take())
            };
            if register {
                self.register_watchers();
            }
            if let Some(warning) = warning {
                self.show(MessageType::WARNING, warning).await;
            }
        })
        .await;
    }

    async fn shutdown(&self) -> Result<()> {
        guarded(self, "shutdown", async { Ok(()) }).await
    }

    async fn did_open(&self, params: DidOpenTextDocumentParams) {
        guarded_notification(self, "didOpen", async {
            let d = params.text_document;
            let doc = Doc::new(d.text, d.version, d.language_id);
            self.lock().docs.insert(d.uri.clone(), doc);
            self.schedule(&d.uri, false);
        })
        .await;
    }

    async fn did_change(&self, params: DidChangeTextDocumentParams) {
        guarded_notification(self, "didChange", async {
            let uri = params.text_document.uri;
            let version = params.text_document.version;
            match self.edit(&uri, version, params.content_changes) {
                Ok(()) => self.schedule(&uri, true),
                Err(why) => {
                    // On stderr like every other dropped input, and in the client's log.
                    let message = format!(
                        "refused an edit to {} (version {version}): {why}; the draft stays as \
                         it was",
                        uri.as_str()
                    );
                    eprintln!("redline lsp: {message}");
                    self.log(MessageType::WARNING, message).await;
                }
            }
        })
        .await;
    }

    async fn did_close(&self, params: DidCloseTextDocumentParams) {
        guarded_notification(self, "didClose", async {
            let uri = params.text_document.uri;
            self.lock().docs.remove(&uri);
            self.client.publish_diagnostics(uri, Vec::new(), None).await;
        })
        .await;
    }

    async fn did_change_configuration(&self, params: DidChangeConfigurationParams) {
        guarded_notification(self, "didChangeConfiguration", async {
            self.apply_settings(&params.settings).await;
        })
        .await;
    }

    async fn did_change_watched_files(&self, _: DidChangeWatchedFilesParams) {
        guarded_notification(self, "didChangeWatchedFiles", async { self.reload() }).await;
    }

    async fn hover(&self, params: HoverParams) -> Result<Option<Hover>> {
        guarded(self, "hover", async { Ok(self.hover_at(params).await) }).await
    }

    async fn code_action(&self, params: CodeActionParams) -> Result<Option<CodeActionResponse>> {
        guarded(self, "codeAction", self.actions_for(params)).await
    }

    async fn execute_command(&self, params: ExecuteCommandParams) -> Result<Option<Value>> {
        guarded(self, "executeCommand", self.execute(params)).await
    }
}

/// Runs a request handler, turning a panic into an internal-error answer.
pub(crate) async fn guarded<T>(
    backend: &Backend,
    what: &str,
    handler: impl Future<Output = Result<T>>,
) -> Result<T> {
    match AssertUnwindSafe(handler).catch_unwind().await {
        Ok(answer) => answer,
        Err(_) => {
            backend
                .log(
                    MessageType::ERROR,
                    format!("{what} failed; the server goes on"),
                )
                .await;
            Err(Error {
                code: ErrorCode::InternalError,
                message: format!("redline: {what} failed").into(),
                data: None,
            })
        }
    }
}

/// Runs a notification handler, turning a panic into a log line.
pub(crate) async fn guarded_notification(
    backend: &Backend,
    what: &str,
    handler: impl Future<Output = ()>,
) {
    // A panic has been logged by `guarded`; a notification has no one to answer.
    let _ = guarded(backend, what, handler.map(Ok)).await;
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures::StreamExt;

    #[tokio::test]
    async fn a_panicking_handler_answers_an_internal_error_and_the_server_goes_on() {
        let (service, socket) = tower_lsp_server::LspService::new(Backend::new);
        let drain = tokio::spawn(socket.for_each(|_| async {}));
        let backend = service.inner();
        let answer: Result<()> = guarded(backend, "hover", async { panic!("a bug") }).await;
        assert_eq!(answer.unwrap_err().code, ErrorCode::InternalError);
        guarded_notification(backend, "didChange", async { panic!("another bug") }).await;
        let still: Result<u8> = guarded(backend, "hover", async { Ok(7) }).await;
        assert_eq!(still.unwrap(), 7);
        drop(service);
        drain.abort();
    }
}
