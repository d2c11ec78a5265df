//! The language server: open drafts, their findings, and the requests about them.
//!
//! State lives behind one `std::sync::Mutex` that is only ever held for plain computation,
//! never across an `.await`, so tower-lsp-server's concurrent handlers cannot interleave inside
//! an update. Checking runs outside the lock on a snapshot; the result is published only if the
//! draft is still at the version it was computed for.

use std::collections::HashMap;
use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use redline_email::{Linter, LinterCache};
use redline_rules::{Finding, Setting, Settings, Severity};
use redline_text::{Draft, InputKind, LineIndex, read_draft};
use serde_json::Value;
use tower_lsp_server::jsonrpc::{Error, Result};
use tower_lsp_server::ls_types::*;
use tower_lsp_server::{Client, LanguageServer};

use crate::convert::{self, Encoding};

/// The server.
pub struct Backend {
    client: Client,
    state: Arc<Mutex<State>>,
}

#[derive(Default)]
struct State {
    encoding: Encoding,
    docs: HashMap<Uri, Doc>,
    cache: Option<Arc<LinterCache>>,
    settings: Settings,
}

#[derive(Clone)]
struct Doc {
    text: String,
    version: i32,
    kind: InputKind,
}

/// A checked draft: the findings and where they sit in the editor's text.
struct Checked {
    draft: Draft,
    findings: Vec<Finding>,
    linter: Arc<Linter>,
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
        let settings = state.settings.clone();
        Arc::clone(
            state
                .cache
                .get_or_insert_with(|| Arc::new(LinterCache::new(None, settings))),
        )
    }

    /// Checks a snapshot of a draft; a panic in the engine becomes a log line, not a crash.
    async fn check(&self, uri: &Uri, doc: &Doc) -> Option<Checked> {
        let cache = self.cache();
        let dir = folder_of(uri);
        let mut errors = None;
        let configured = cache.for_dir(&dir, |e| errors = Some(e.to_string()));
        if let Some(e) = errors {
            self.client
                .show_message(MessageType::ERROR, format!("redline: {e}"))
                .await;
        }
        let linter = configured.ok()?.linter;
        let text = doc.text.clone();
        let kind = doc.kind;
        let result = std::panic::catch_unwind(AssertUnwindSafe(|| {
            let draft = read_draft(kind, text.as_bytes(), 0);
            let findings = linter.check_document(&draft.doc);
            (draft, findings)
        }));
        match result {
            Ok((draft, findings)) => Some(Checked {
                draft,
                findings,
                linter,
            }),
            Err(_) => {
                self.client
                    .log_message(
                        MessageType::ERROR,
                        "redline: the engine failed on this draft",
                    )
                    .await;
                None
            }
        }
    }

    /// Checks the draft and publishes its diagnostics, unless it changed meanwhile.
    async fn publish(&self, uri: Uri) {
        let Some((doc, encoding)) = self.snapshot(&uri) else {
            return;
        };
        let Some(checked) = self.check(&uri, &doc).await else {
            return;
        };
        let index = LineIndex::new(&doc.text);
        let diagnostics = checked
            .findings
            .iter()
            .filter_map(|f| diagnostic(&doc.text, &index, &checked, f, encoding))
            .collect();
        let current = self.lock().docs.get(&uri).map(|d| d.version);
        if current == Some(doc.version) {
            self.client
                .publish_diagnostics(uri, diagnostics, Some(doc.version))
                .await;
        }
    }

    fn snapshot(&self, uri: &Uri) -> Option<(Doc, Encoding)> {
        let state = self.lock();
        Some((state.docs.get(uri)?.clone(), state.encoding))
    }

    /// Re-reads configuration and re-checks every open draft.
    async fn reload(&self) {
        let uris: Vec<Uri> = {
            let mut state = self.lock();
            state.cache = None;
            state.docs.keys().cloned().collect()
        };
        for uri in uris {
            self.publish(uri).await;
        }
    }

    /// The finding at an editor position, with the draft it is in.
    async fn finding_at(
        &self,
        uri: &Uri,
        pos: Position,
    ) -> Option<(Doc, Encoding, Checked, usize)> {
        let (doc, encoding) = self.snapshot(uri)?;
        let index = LineIndex::new(&doc.text);
        let offset = convert::offset(&doc.text, &index, pos, encoding)?;
        let checked = self.check(uri, &doc).await?;
        let i = checked.findings.iter().position(|f| {
            checked
                .draft
                .doc
                .input_span(f.span.clone())
                .is_some_and(|r| r.start <= offset && offset <= r.end)
        })?;
        Some((doc, encoding, checked, i))
    }
}

fn folder_of(uri: &Uri) -> PathBuf {
    uri.to_file_path()
        .and_then(|p| p.parent().map(Path::to_path_buf))
        .unwrap_or_else(|| PathBuf::from("."))
}

fn kind_of(uri: &Uri, language: &str) -> InputKind {
    let path = uri.path().as_str().to_ascii_lowercase();
    if language == "email" || language == "mail" || path.ends_with(".eml") {
        InputKind::Message
    } else if language == "html" || path.ends_with(".html") || path.ends_with(".htm") {
        InputKind::Html
    } else {
        InputKind::Plain
    }
}

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
        ..Diagnostic::default()
    })
}

/// Settings from `initializationOptions` or `workspace/didChangeConfiguration`:
/// `{"disabledRules": [...], "extraPacks": [...], "failOn": "warning"}`, possibly under a
/// `redline` key.
fn settings_from(value: &Value) -> Settings {
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
    Settings {
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
    }
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
            if let Some(options) = &params.initialization_options {
                state.settings = settings_from(options);
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
        let d = params.text_document;
        let kind = kind_of(&d.uri, &d.language_id);
        self.lock().docs.insert(
            d.uri.clone(),
            Doc {
                text: d.text,
                version: d.version,
                kind,
            },
        );
        self.publish(d.uri).await;
    }

    async fn did_change(&self, params: DidChangeTextDocumentParams) {
        let uri = params.text_document.uri;
        let applied = {
            let mut state = self.lock();
            let encoding = state.encoding;
            match state.docs.get_mut(&uri) {
                Some(doc) if params.text_document.version >= doc.version => {
                    let mut text = doc.text.clone();
                    let ok = convert::apply_changes(&mut text, params.content_changes, encoding);
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
            self.publish(uri).await;
        } else {
            self.client
                .log_message(
                    MessageType::WARNING,
                    "redline: ignored a change it could not apply",
                )
                .await;
        }
    }

    async fn did_close(&self, params: DidCloseTextDocumentParams) {
        let uri = params.text_document.uri;
        self.lock().docs.remove(&uri);
        self.client.publish_diagnostics(uri, Vec::new(), None).await;
    }

    async fn did_change_configuration(&self, params: DidChangeConfigurationParams) {
        self.lock().settings = settings_from(&params.settings);
        self.reload().await;
    }

    async fn did_change_watched_files(&self, _: DidChangeWatchedFilesParams) {
        self.reload().await;
    }

    async fn hover(&self, params: HoverParams) -> Result<Option<Hover>> {
        let p = params.text_document_position_params;
        let Some((doc, encoding, checked, i)) =
            self.finding_at(&p.text_document.uri, p.position).await
        else {
            return Ok(None);
        };
        let f = &checked.findings[i];
        let Some(rule) = checked.linter.rule(&f.rule) else {
            return Ok(None);
        };
        let mut md = format!(
            "**{}** · `{}` · {}\n\n**Why it hurts.** {}\n\n**Write instead.** {}\n",
            f.message,
            f.rule,
            f.severity,
            one_line(&rule.why),
            one_line(&rule.instead)
        );
        if let (Some(before), Some(after)) = (rule.examples.bad.first(), rule.examples.good.first())
        {
            md.push_str(&format!(
                "\n**Before:** {}\n\n**After:** {}\n",
                one_line(before),
                one_line(after)
            ));
        }
        let index = LineIndex::new(&doc.text);
        let range = checked
            .draft
            .doc
            .input_span(f.span.clone())
            .map(|s| convert::range(&doc.text, &index, s, encoding));
        Ok(Some(Hover {
            contents: HoverContents::Markup(MarkupContent {
                kind: MarkupKind::Markdown,
                value: md,
            }),
            range,
        }))
    }

    async fn code_action(&self, params: CodeActionParams) -> Result<Option<CodeActionResponse>> {
        let uri = params.text_document.uri;
        let Some((doc, encoding)) = self.snapshot(&uri) else {
            return Err(Error::invalid_params("document is not open"));
        };
        let Some(checked) = self.check(&uri, &doc).await else {
            return Ok(None);
        };
        let index = LineIndex::new(&doc.text);
        let (Some(from), Some(to)) = (
            convert::offset(&doc.text, &index, params.range.start, encoding),
            convert::offset(&doc.text, &index, params.range.end, encoding),
        ) else {
            return Ok(None);
        };
        let mut actions = Vec::new();
        for f in &checked.findings {
            let Some(span) = checked.draft.doc.input_span(f.span.clone()) else {
                continue;
            };
            if span.end < from || span.start > to {
                continue;
            }
            let diag = diagnostic(&doc.text, &index, &checked, f, encoding);
            let edit = |range: Range, new_text: String| WorkspaceEdit {
                changes: Some(HashMap::from([(
                    uri.clone(),
                    vec![TextEdit { range, new_text }],
                )])),
                ..WorkspaceEdit::default()
            };
            if let (Some(fix), None) = (&f.fix, checked.draft.doc.source()) {
                let title = if fix.replacement.is_empty() {
                    "Delete it".to_string()
                } else {
                    format!("Replace with “{}”", fix.replacement)
                };
                actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                    title,
                    kind: Some(CodeActionKind::QUICKFIX),
                    diagnostics: diag.clone().map(|d| vec![d]),
                    edit: Some(edit(
                        convert::range(&doc.text, &index, fix.span.clone(), encoding),
                        fix.replacement.clone(),
                    )),
                    is_preferred: Some(true),
                    ..CodeAction::default()
                }));
            }
            let top = Range::default();
            actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                title: format!("Disable {} for this draft", f.rule),
                kind: Some(CodeActionKind::QUICKFIX),
                diagnostics: diag.clone().map(|d| vec![d]),
                edit: Some(edit(top, format!("<!-- redline-disable {} -->\n", f.rule))),
                ..CodeAction::default()
            }));
            if let Some(allow) = allow_edit(&uri, &f.matched) {
                actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                    title: format!("Allow “{}” in .redline.toml", one_line(&f.matched)),
                    kind: Some(CodeActionKind::QUICKFIX),
                    diagnostics: diag.map(|d| vec![d]),
                    edit: Some(allow),
                    ..CodeAction::default()
                }));
            }
        }
        Ok(Some(actions))
    }
}

/// The edit that adds `phrase` to the `allow` list of the `.redline.toml` that applies to the
/// draft (creating one beside the draft when there is none).
fn allow_edit(uri: &Uri, phrase: &str) -> Option<WorkspaceEdit> {
    let dir = uri.to_file_path()?.parent()?.to_path_buf();
    let path = redline_rules::discover_config(&dir).unwrap_or_else(|| dir.join(".redline.toml"));
    let target = Uri::from_file_path(&path)?;
    let quoted = serde_json::to_string(&one_line(phrase)).ok()?;
    let existing = std::fs::read_to_string(&path).ok();
    let insert_at = |line: u32, character: u32, text: String| TextEdit {
        range: Range {
            start: Position { line, character },
            end: Position { line, character },
        },
        new_text: text,
    };
    let mut operations = Vec::new();
    let text_edit = match &existing {
        None => {
            operations.push(DocumentChangeOperation::Op(ResourceOp::Create(
                CreateFile {
                    uri: target.clone(),
                    options: Some(CreateFileOptions {
                        overwrite: Some(false),
                        ignore_if_exists: Some(true),
                    }),
                    annotation_id: None,
                },
            )));
            insert_at(0, 0, format!("allow = [{quoted}]\n"))
        }
        Some(content) => match content
            .lines()
            .enumerate()
            .find(|(_, l)| l.trim_start().starts_with("allow") && l.contains('['))
        {
            Some((n, line)) => {
                let col = line.find('[').map_or(0, |c| c + 1);
                let col16: usize = line[..col].chars().map(char::len_utf16).sum();
                let sep = if line[col..].trim_start().starts_with(']') {
                    ""
                } else {
                    ", "
                };
                insert_at(n as u32, col16 as u32, format!("{quoted}{sep}"))
            }
            None => {
                let lines = content.lines().count() as u32;
                let lead = if content.is_empty() || content.ends_with('\n') {
                    ""
                } else {
                    "\n"
                };
                insert_at(lines, 0, format!("{lead}allow = [{quoted}]\n"))
            }
        },
    };
    operations.push(DocumentChangeOperation::Edit(TextDocumentEdit {
        text_document: OptionalVersionedTextDocumentIdentifier {
            uri: target,
            version: None,
        },
        edits: vec![OneOf::Left(text_edit)],
    }));
    Some(WorkspaceEdit {
        document_changes: Some(DocumentChanges::Operations(operations)),
        ..WorkspaceEdit::default()
    })
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}
