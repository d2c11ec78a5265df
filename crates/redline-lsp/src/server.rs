//! The language server: open drafts, their findings, and the requests about them.
//!
//! State lives behind one `std::sync::Mutex` that is only ever held for plain computation,
//! never across an `.await`, so tower-lsp-server's concurrent handlers cannot interleave inside
//! an update. Edits only record the new text and wake the draft's checker; checking runs outside
//! the lock on a snapshot, and its result is published only if the draft is still at the
//! version it was computed for.
//!
//! Checking is debounced without adding latency to a lone keystroke: an edit to a draft at rest
//! is checked at once; an edit that follows another within the debounce window, or arrives
//! while a check runs, is coalesced with them, and the next check waits until the edits have
//! been quiet for the window.
//!
//! Every handler runs behind a panic guard: a bug in one request costs that request an error
//! answer (or a log line, for a notification), never the session.

use std::collections::HashMap;
use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use futures::FutureExt;
use redline_email::{Linter, LinterCache};
use redline_rules::{FailOn, Finding, Setting, Settings, Severity};
use redline_text::{Draft, InputKind, LineIndex, looks_like_message, read_draft};
use serde_json::{Value, json};
use tower_lsp_server::jsonrpc::{Error, ErrorCode, Result};
use tower_lsp_server::ls_types::*;
use tower_lsp_server::{Client, LanguageServer};

use crate::actions::{self, Target};
use crate::convert::{self, Encoding};
use crate::{explain, workspace};

/// The command that explains a rule: `arguments: [rule id]`, answered with `{"markdown"}`.
pub const EXPLAIN_COMMAND: &str = "redline.lsp.explain";
/// The command that checks every draft in the workspace folders (or in the folder URIs given
/// as arguments) and publishes their diagnostics; answered with counts.
pub const CHECK_WORKSPACE_COMMAND: &str = "redline.lsp.checkWorkspace";

/// How long edits must be quiet before a draft that is being edited is checked again.
const DEFAULT_DEBOUNCE: Duration = Duration::from_millis(5);

/// The server.
#[derive(Clone)]
pub struct Backend {
    client: Client,
    state: Arc<Mutex<State>>,
}

#[derive(Default)]
struct State {
    encoding: Encoding,
    docs: HashMap<Uri, Doc>,
    cache: Option<Arc<LinterCache>>,
    client: ClientSettings,
    roots: Vec<PathBuf>,
    /// Bumped whenever settings or config files change, so a check made before is not reused.
    generation: u64,
}

/// What the editor's settings ask for.
struct ClientSettings {
    settings: Settings,
    debounce: Duration,
}

impl Default for ClientSettings {
    fn default() -> Self {
        ClientSettings {
            settings: Settings::default(),
            debounce: DEFAULT_DEBOUNCE,
        }
    }
}

/// An open draft and the state of its checker.
struct Doc {
    text: String,
    version: i32,
    /// The editor's language id; what it means can change as the draft does.
    language: String,
    /// Changed since the last check started.
    dirty: bool,
    /// A checker task is running for this draft.
    checking: bool,
    /// When the editor last changed it (not set by opening it).
    last_edit: Option<Instant>,
    /// The checker's last result, with the version and settings generation it is for, so
    /// hovers and code actions reuse it instead of checking the draft again.
    last_checked: Option<(i32, u64, Arc<Checked>)>,
}

impl Doc {
    fn snapshot(&self, uri: &Uri, encoding: Encoding) -> Snapshot {
        Snapshot {
            text: self.text.clone(),
            version: self.version,
            kind: kind_of(uri, &self.language, &self.text),
            encoding,
        }
    }
}

/// A draft as it was at one version.
struct Snapshot {
    text: String,
    version: i32,
    kind: InputKind,
    encoding: Encoding,
}

/// A checked draft: the findings, where they sit in the editor's text, and what blocks.
struct Checked {
    draft: Draft,
    findings: Vec<Finding>,
    linter: Arc<Linter>,
    fail_on: FailOn,
}

impl Backend {
    /// A server talking to `client`.
    pub fn new(client: Client) -> Self {
        Backend {
            client,
            state: Arc::new(Mutex::new(State::default())),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn cache(&self) -> Arc<LinterCache> {
        let mut state = self.lock();
        let settings = state.client.settings.clone();
        Arc::clone(
            state
                .cache
                .get_or_insert_with(|| Arc::new(LinterCache::new(None, settings))),
        )
    }

    /// The linter for drafts in `dir` and the fail-on level that applies there: the editor's
    /// setting, else the config file's, else errors only. A broken config is shown once.
    async fn linter_for(&self, dir: &Path) -> Option<(Arc<Linter>, FailOn)> {
        let cache = self.cache();
        let mut errors = None;
        let configured = cache.for_dir(dir, |e| errors = Some(e.to_string()));
        if let Some(e) = errors {
            self.client
                .show_message(MessageType::ERROR, format!("redline: {e}"))
                .await;
        }
        let configured = configured.ok()?;
        let flag = self.lock().client.settings.fail_on;
        let fail_on = configured.fail_on_or(flag, FailOn::default());
        Some((configured.linter, fail_on))
    }

    /// Checks a snapshot of a draft; a panic in the engine becomes a log line, not a crash.
    async fn check(&self, uri: &Uri, snap: &Snapshot) -> Option<Checked> {
        let (linter, fail_on) = self.linter_for(&folder_of(uri)).await?;
        let result = std::panic::catch_unwind(AssertUnwindSafe(|| {
            let draft = read_draft(snap.kind, snap.text.as_bytes(), 0);
            let findings = linter.check_document(&draft.doc);
            (draft, findings)
        }));
        match result {
            Ok((draft, findings)) => Some(Checked {
                draft,
                findings,
                linter,
                fail_on,
            }),
            Err(_) => {
                self.log(MessageType::ERROR, "the engine failed on this draft")
                    .await;
                None
            }
        }
    }

    async fn log(&self, level: MessageType, message: impl std::fmt::Display) {
        self.client
            .log_message(level, format!("redline: {message}"))
            .await;
    }

    /// Marks a draft changed and makes sure a checker is on it. An edit that follows another
    /// within the debounce window waits for the edits to settle; any other is checked at once.
    fn schedule(&self, uri: &Uri, edited: bool) {
        let start = {
            let mut state = self.lock();
            let debounce = state.client.debounce;
            let Some(doc) = state.docs.get_mut(uri) else {
                return;
            };
            doc.dirty = true;
            let now = Instant::now();
            let settle = edited
                && doc
                    .last_edit
                    .is_some_and(|t| now.duration_since(t) < debounce);
            if edited {
                doc.last_edit = Some(now);
            }
            (!std::mem::replace(&mut doc.checking, true)).then_some(settle)
        };
        if let Some(settle) = start {
            let this = self.clone();
            let uri = uri.clone();
            tokio::spawn(async move { this.checker(uri, settle).await });
        }
    }

    /// Checks a draft until it stops changing, each check after the edits have settled.
    async fn checker(&self, uri: Uri, settle_first: bool) {
        if settle_first {
            self.quiet(&uri).await;
        }
        while let Some(snap) = self.take_dirty(&uri) {
            if AssertUnwindSafe(self.publish(&uri, snap))
                .catch_unwind()
                .await
                .is_err()
            {
                self.log(MessageType::ERROR, "checking failed on this draft")
                    .await;
            }
            self.quiet(&uri).await;
        }
    }

    /// The draft's text if it changed since its last check; otherwise ends the checker (under
    /// the same lock, so an edit arriving now starts a new one).
    fn take_dirty(&self, uri: &Uri) -> Option<Snapshot> {
        let mut state = self.lock();
        let encoding = state.encoding;
        let doc = state.docs.get_mut(uri)?;
        if !doc.dirty {
            doc.checking = false;
            return None;
        }
        doc.dirty = false;
        Some(doc.snapshot(uri, encoding))
    }

    /// Waits until the draft's edits have been quiet for the debounce window.
    async fn quiet(&self, uri: &Uri) {
        loop {
            let wait = {
                let state = self.lock();
                match state.docs.get(uri) {
                    Some(doc) if doc.dirty => doc.last_edit.map_or(Duration::ZERO, |t| {
                        (t + state.client.debounce).saturating_duration_since(Instant::now())
                    }),
                    _ => return,
                }
            };
            if wait.is_zero() {
                return;
            }
            tokio::time::sleep(wait).await;
        }
    }

    /// Checks the snapshot and publishes its diagnostics, unless the draft changed meanwhile.
    async fn publish(&self, uri: &Uri, snap: Snapshot) {
        let generation = self.lock().generation;
        let Some(checked) = self.check(uri, &snap).await else {
            return;
        };
        let diagnostics = diagnostics(&snap.text, &checked, snap.encoding);
        if self.remember(uri, &snap, generation, Arc::new(checked)) {
            self.client
                .publish_diagnostics(uri.clone(), diagnostics, Some(snap.version))
                .await;
        }
    }

    /// Keeps a check's result on its draft if the draft is still at the checked version;
    /// says whether it is.
    fn remember(&self, uri: &Uri, snap: &Snapshot, generation: u64, checked: Arc<Checked>) -> bool {
        let mut state = self.lock();
        let current = state.generation == generation;
        match state.docs.get_mut(uri) {
            Some(doc) if doc.version == snap.version => {
                if current {
                    doc.last_checked = Some((snap.version, generation, checked));
                }
                true
            }
            _ => false,
        }
    }

    /// The draft as the editor has it now and its findings: the checker's result when it is
    /// for this version and these settings, else a fresh check.
    async fn current(&self, uri: &Uri) -> Option<(Snapshot, Arc<Checked>)> {
        let (snap, generation, kept) = {
            let state = self.lock();
            let doc = state.docs.get(uri)?;
            let kept = doc
                .last_checked
                .as_ref()
                .filter(|(v, g, _)| *v == doc.version && *g == state.generation)
                .map(|(_, _, c)| Arc::clone(c));
            (doc.snapshot(uri, state.encoding), state.generation, kept)
        };
        if let Some(checked) = kept {
            return Some((snap, checked));
        }
        let checked = Arc::new(self.check(uri, &snap).await?);
        self.remember(uri, &snap, generation, Arc::clone(&checked));
        Some((snap, checked))
    }

    /// Re-reads configuration and re-checks every open draft.
    fn reload(&self) {
        let uris: Vec<Uri> = {
            let mut state = self.lock();
            state.cache = None;
            state.generation += 1;
            state.docs.keys().cloned().collect()
        };
        for uri in &uris {
            self.schedule(uri, false);
        }
    }

    /// The finding at an editor position, with the draft it is in.
    async fn finding_at(
        &self,
        uri: &Uri,
        pos: Position,
    ) -> Option<(Snapshot, Arc<Checked>, usize)> {
        let (snap, checked) = self.current(uri).await?;
        let index = LineIndex::new(&snap.text);
        let offset = convert::offset(&snap.text, &index, pos, snap.encoding)?;
        let i = checked.findings.iter().position(|f| {
            checked
                .draft
                .doc
                .input_span(f.span.clone())
                .is_some_and(|r| r.start <= offset && offset <= r.end)
        })?;
        Some((snap, checked, i))
    }

    async fn hover_at(&self, params: HoverParams) -> Option<Hover> {
        let p = params.text_document_position_params;
        let (snap, checked, i) = self.finding_at(&p.text_document.uri, p.position).await?;
        let f = &checked.findings[i];
        let rule = checked.linter.rule(&f.rule)?;
        let index = LineIndex::new(&snap.text);
        let range = checked
            .draft
            .doc
            .input_span(f.span.clone())
            .map(|s| convert::range(&snap.text, &index, s, snap.encoding));
        Some(Hover {
            contents: HoverContents::Markup(MarkupContent {
                kind: MarkupKind::Markdown,
                value: explain::finding_markdown(f, rule),
            }),
            range,
        })
    }

    async fn actions_for(&self, params: CodeActionParams) -> Result<Option<CodeActionResponse>> {
        let uri = params.text_document.uri;
        if !self.lock().docs.contains_key(&uri) {
            return Err(Error::invalid_params("document is not open"));
        }
        let Some((snap, checked)) = self.current(&uri).await else {
            return Ok(None);
        };
        let index = LineIndex::new(&snap.text);
        let at = |p| convert::offset(&snap.text, &index, p, snap.encoding);
        let (Some(from), Some(to)) = (at(params.range.start), at(params.range.end)) else {
            return Ok(None);
        };
        let target = Target {
            uri: &uri,
            text: &snap.text,
            index: &index,
            encoding: snap.encoding,
            doc: &checked.draft.doc,
        };
        let mut all = Vec::new();
        for f in &checked.findings {
            let Some(span) = checked.draft.doc.input_span(f.span.clone()) else {
                continue;
            };
            if span.end < from || span.start > to {
                continue;
            }
            let diagnostic = diagnostic(&snap.text, &index, &checked, f, snap.encoding);
            all.extend(actions::for_finding(&target, f, diagnostic));
        }
        Ok(Some(all))
    }

    async fn explain_rule(&self, arguments: &[Value]) -> Result<Option<Value>> {
        let Some(id) = arguments.first().and_then(Value::as_str) else {
            return Err(Error::invalid_params("expected a rule id"));
        };
        let dir = self.lock().roots.first().cloned().unwrap_or_default();
        let Some((linter, _)) = self.linter_for(&dir).await else {
            return Err(Error::invalid_params("the rule packs did not load"));
        };
        match linter.rule(id) {
            Some(rule) => Ok(Some(json!({"markdown": explain::page_markdown(rule)}))),
            None => Err(Error::invalid_params(format!("no rule named `{id}`"))),
        }
    }

    /// Checks every draft file under the folders (the workspace's, when none are given) that
    /// is not open, publishes their diagnostics, and answers with counts.
    async fn check_workspace(&self, arguments: &[Value]) -> Result<Option<Value>> {
        let mut folders: Vec<PathBuf> = arguments
            .iter()
            .filter_map(Value::as_str)
            .filter_map(|s| {
                s.parse::<Uri>()
                    .ok()?
                    .to_file_path()
                    .map(|p| p.into_owned())
            })
            .collect();
        if folders.is_empty() {
            folders = self.lock().roots.clone();
        }
        let (files, mut problems) =
            tokio::task::spawn_blocking(move || workspace::drafts(&folders))
                .await
                .map_err(|_| Error::internal_error())?;
        let (mut findings, mut blocking, mut checked_files) = (0, 0, 0);
        for path in files {
            let Some(uri) = Uri::from_file_path(&path) else {
                continue;
            };
            if self.lock().docs.contains_key(&uri) {
                continue;
            }
            let Some((linter, fail_on)) = self.linter_for(&folder_of(&uri)).await else {
                continue;
            };
            let encoding = self.lock().encoding;
            let shown = path.display().to_string();
            let checked = tokio::task::spawn_blocking(move || {
                std::panic::catch_unwind(AssertUnwindSafe(|| {
                    check_file(&path, &linter, fail_on, encoding)
                }))
            })
            .await;
            let (diagnostics, found, blocks) = match checked {
                Ok(Ok(Ok(done))) => done,
                Ok(Ok(Err(e))) => {
                    problems.push(format!("{shown}: {e}"));
                    continue;
                }
                _ => {
                    problems.push(format!("{shown}: the engine failed on this draft"));
                    continue;
                }
            };
            checked_files += 1;
            findings += found;
            blocking += blocks;
            self.client
                .publish_diagnostics(uri, diagnostics, None)
                .await;
        }
        Ok(Some(json!({
            "files": checked_files,
            "findings": findings,
            "blocking": blocking,
            "errors": problems,
        })))
    }
}

/// Reads and checks a draft file that is not open in the editor (off the async workers): its
/// diagnostics, how many findings, and how many of them block.
fn check_file(
    path: &Path,
    linter: &Arc<Linter>,
    fail_on: FailOn,
    encoding: Encoding,
) -> std::io::Result<(Vec<Diagnostic>, usize, usize)> {
    let input = redline_text::Input::open_path(path, workspace::MAX_DRAFT_BYTES as usize)
        .map_err(std::io::Error::other)?;
    let kind = input.kind();
    let bytes = input.into_bytes().map_err(std::io::Error::other)?;
    let text = String::from_utf8_lossy(&bytes).into_owned();
    let draft = read_draft(kind, text.as_bytes(), 0);
    let findings = linter.check_document(&draft.doc);
    let checked = Checked {
        draft,
        findings,
        linter: Arc::clone(linter),
        fail_on,
    };
    let blocking = checked
        .findings
        .iter()
        .filter(|f| fail_on.blocks(f.severity))
        .count();
    Ok((
        diagnostics(&text, &checked, encoding),
        checked.findings.len(),
        blocking,
    ))
}

/// Runs a request handler, turning a panic into an internal-error answer.
async fn guarded<T>(
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
async fn guarded_notification(backend: &Backend, what: &str, handler: impl Future<Output = ()>) {
    // A panic has been logged by `guarded`; a notification has no one to answer.
    let _ = guarded(backend, what, handler.map(Ok)).await;
}

fn folder_of(uri: &Uri) -> PathBuf {
    uri.to_file_path()
        .and_then(|p| p.parent().map(Path::to_path_buf))
        .unwrap_or_else(|| PathBuf::from("."))
}

/// How to read an open draft. Mail buffers (`email`, or Neovim's and Vim's `mail`) and
/// `.eml` files are read as messages when they start with headers; a mail client's compose
/// buffer that holds only the body is read as plain text.
fn kind_of(uri: &Uri, language: &str, text: &str) -> InputKind {
    let path = uri.path().as_str().to_ascii_lowercase();
    let mail = language == "email" || language == "mail" || path.ends_with(".eml");
    if mail && looks_like_message(text.as_bytes()) {
        InputKind::Message
    } else if language == "html" || path.ends_with(".html") || path.ends_with(".htm") {
        InputKind::Html
    } else {
        InputKind::Plain
    }
}

fn diagnostics(text: &str, checked: &Checked, encoding: Encoding) -> Vec<Diagnostic> {
    let index = LineIndex::new(text);
    checked
        .findings
        .iter()
        .filter_map(|f| diagnostic(text, &index, checked, f, encoding))
        .collect()
}

/// The diagnostic for a finding; its `data` says whether it blocks sending at the fail-on
/// level in force, so an editor can count what would stop the send gate.
fn diagnostic(
    text: &str,
    index: &LineIndex,
    checked: &Checked,
    f: &Finding,
    enc: Encoding,
) -> Option<Diagnostic> {
    let span = checked.draft.doc.input_span(f.span.clone())?;
    Some(Diagnostic {
        range: convert::range(text, index, span, enc),
        severity: Some(match f.severity {
            Severity::Error => DiagnosticSeverity::ERROR,
            Severity::Warning => DiagnosticSeverity::WARNING,
            Severity::Info => DiagnosticSeverity::INFORMATION,
        }),
        code: Some(NumberOrString::String(f.rule.clone())),
        source: Some("redline".into()),
        message: f.message.clone(),
        data: Some(json!({"blocking": checked.fail_on.blocks(f.severity)})),
        ..Diagnostic::default()
    })
}

/// Settings from `initializationOptions` or `workspace/didChangeConfiguration`:
/// `{"disabledRules": [...], "extraPacks": [...], "failOn": "warning", "debounceMs": 5}`,
/// possibly under a `redline` key. A `failOn` of `""` or null leaves it to the config file.
fn settings_from(value: &Value) -> ClientSettings {
    let v = value.get("redline").unwrap_or(value);
    let strings = |key: &str| -> Vec<String> {
        v.get(key)
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(|s| s.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default()
    };
    let settings = Settings {
        toggles: strings("disabledRules")
            .into_iter()
            .map(|id| (Setting::flag(id), false))
            .collect(),
        packs: strings("extraPacks")
            .into_iter()
            .map(PathBuf::from)
            .collect(),
        fail_on: v
            .get("failOn")
            .and_then(|f| serde_json::from_value(f.clone()).ok()),
        ..Settings::default()
    };
    let debounce = v
        .get("debounceMs")
        .and_then(Value::as_u64)
        .map_or(DEFAULT_DEBOUNCE, |ms| Duration::from_millis(ms.min(5_000)));
    ClientSettings { settings, debounce }
}

/// The workspace folders, or the root the client names when it has no folders.
fn roots_of(params: &InitializeParams) -> Vec<PathBuf> {
    let mut roots: Vec<PathBuf> = Vec::new();
    let folders = params.workspace_folders.iter().flatten().map(|f| &f.uri);
    #[allow(deprecated)]
    for uri in folders.chain(params.root_uri.iter()) {
        if let Some(path) = uri.to_file_path()
            && !roots.iter().any(|r| r.as_path() == path.as_ref())
        {
            roots.push(path.into_owned());
        }
    }
    roots
}

impl LanguageServer for Backend {
    async fn initialize(&self, params: InitializeParams) -> Result<InitializeResult> {
        let offers_utf8 = params
            .capabilities
            .general
            .as_ref()
            .and_then(|g| g.position_encodings.as_ref())
            .is_some_and(|e| e.contains(&PositionEncodingKind::UTF8));
        let encoding = if offers_utf8 {
            Encoding::Utf8
        } else {
            Encoding::Utf16
        };
        {
            let mut state = self.lock();
            state.encoding = encoding;
            state.roots = roots_of(&params);
            if let Some(options) = &params.initialization_options {
                state.client = settings_from(options);
            }
        }
        Ok(InitializeResult {
            server_info: Some(ServerInfo {
                name: "redline".into(),
                version: Some(env!("CARGO_PKG_VERSION").into()),
            }),
            capabilities: ServerCapabilities {
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
            },
            offset_encoding: None,
        })
    }

    async fn initialized(&self, _: InitializedParams) {
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
        let _ = self.client.register_capability(vec![registration]).await;
    }

    async fn shutdown(&self) -> Result<()> {
        Ok(())
    }

    async fn did_open(&self, params: DidOpenTextDocumentParams) {
        guarded_notification(self, "didOpen", async {
            let d = params.text_document;
            self.lock().docs.insert(
                d.uri.clone(),
                Doc {
                    text: d.text,
                    version: d.version,
                    language: d.language_id,
                    dirty: false,
                    checking: false,
                    last_edit: None,
                    last_checked: None,
                },
            );
            self.schedule(&d.uri, false);
        })
        .await;
    }

    async fn did_change(&self, params: DidChangeTextDocumentParams) {
        guarded_notification(self, "didChange", async {
            let uri = params.text_document.uri;
            let applied = {
                let mut state = self.lock();
                let encoding = state.encoding;
                match state.docs.get_mut(&uri) {
                    Some(doc) if params.text_document.version >= doc.version => {
                        let mut text = doc.text.clone();
                        let ok =
                            convert::apply_changes(&mut text, params.content_changes, encoding);
                        if ok {
                            doc.text = text;
                            doc.version = params.text_document.version;
                        }
                        ok
                    }
                    _ => false,
                }
            };
            if applied {
                self.schedule(&uri, true);
            } else {
                self.log(MessageType::WARNING, "ignored a change it could not apply")
                    .await;
            }
        })
        .await;
    }

    async fn did_close(&self, params: DidCloseTextDocumentParams) {
        let uri = params.text_document.uri;
        self.lock().docs.remove(&uri);
        self.client.publish_diagnostics(uri, Vec::new(), None).await;
    }

    async fn did_change_configuration(&self, params: DidChangeConfigurationParams) {
        guarded_notification(self, "didChangeConfiguration", async {
            self.lock().client = settings_from(&params.settings);
            self.reload();
        })
        .await;
    }

    async fn did_change_watched_files(&self, _: DidChangeWatchedFilesParams) {
        self.reload();
    }

    async fn hover(&self, params: HoverParams) -> Result<Option<Hover>> {
        guarded(self, "hover", async { Ok(self.hover_at(params).await) }).await
    }

    async fn code_action(&self, params: CodeActionParams) -> Result<Option<CodeActionResponse>> {
        guarded(self, "codeAction", self.actions_for(params)).await
    }

    async fn execute_command(&self, params: ExecuteCommandParams) -> Result<Option<Value>> {
        guarded(self, "executeCommand", async {
            match params.command.as_str() {
                EXPLAIN_COMMAND => self.explain_rule(&params.arguments).await,
                CHECK_WORKSPACE_COMMAND => self.check_workspace(&params.arguments).await,
                other => Err(Error::invalid_params(format!("unknown command `{other}`"))),
            }
        })
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures::StreamExt;

    #[test]
    fn settings_read_with_or_without_the_redline_key() {
        let s = settings_from(&json!({"redline": {
            "disabledRules": ["corporate-ai.long-draft"],
            "extraPacks": ["team-rules"],
            "failOn": "warning",
            "debounceMs": 40
        }}));
        assert_eq!(s.settings.toggles.len(), 1);
        assert_eq!(s.settings.packs, [PathBuf::from("team-rules")]);
        assert_eq!(s.settings.fail_on, Some(FailOn::Warning));
        assert_eq!(s.debounce, Duration::from_millis(40));
        let s = settings_from(&json!({"failOn": "", "debounceMs": -1}));
        assert_eq!(s.settings.fail_on, None);
        assert_eq!(s.debounce, DEFAULT_DEBOUNCE);
    }

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
