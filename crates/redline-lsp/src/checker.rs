//! Open drafts and their checker: edits record text and wake the draft's checker task, which
//! checks a snapshot outside the lock and publishes the result only if the draft is still at
//! the version it was computed for. The last result is kept on the draft, so hovers and code
//! actions reuse it instead of checking again.
//!
//! Checking is debounced without adding latency to a lone keystroke: an edit to a draft at rest
//! is checked at once; an edit that follows another within the debounce window, or arrives
//! while a check runs, is coalesced with them, and the next check waits until the edits have
//! been quiet for the window.

use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use futures::FutureExt;
use redline_email::{Linter, LinterCache};
use redline_rules::{FailOn, Finding};
use redline_text::{Draft, InputKind, read_draft};
use tower_lsp_server::ls_types::{MessageType, TextDocumentContentChangeEvent, Uri};

use crate::convert::{self, Encoding};
use crate::diagnostics::diagnostics;
use crate::files;
use crate::server::Backend;

/// An open draft and the state of its checker.
pub(crate) struct Doc {
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
    /// The checker's last result, with the version and settings generation it is for.
    last_checked: Option<(i32, u64, Arc<Checked>)>,
}

impl Doc {
    /// A draft the editor just opened.
    pub fn new(text: String, version: i32, language: String) -> Self {
        Doc {
            text,
            version,
            language,
            dirty: false,
            checking: false,
            last_edit: None,
            last_checked: None,
        }
    }

    fn snapshot(&self, uri: &Uri, encoding: Encoding) -> Snapshot {
        Snapshot {
            text: self.text.clone(),
            version: self.version,
            kind: files::kind_of(uri, &self.language, &self.text),
            encoding,
        }
    }
}

/// A draft as it was at one version.
pub(crate) struct Snapshot {
    pub text: String,
    pub version: i32,
    pub kind: InputKind,
    pub encoding: Encoding,
}

/// A checked draft: the findings, where they sit in the editor's text, and what blocks.
pub(crate) struct Checked {
    pub draft: Draft<'static>,
    pub findings: Vec<Finding>,
    pub linter: Arc<Linter>,
    pub fail_on: FailOn,
}

impl Backend {
    /// Applies an edit for `version`; refused, with why, when the draft is not open, the
    /// version is older than the draft's, or a change does not fit the text (the draft is left
    /// as it was).
    pub(crate) fn edit(
        &self,
        uri: &Uri,
        version: i32,
        changes: Vec<TextDocumentContentChangeEvent>,
    ) -> Result<(), String> {
        let mut state = self.lock();
        let encoding = state.encoding;
        let doc = state.docs.get_mut(uri).ok_or("the draft is not open")?;
        if version < doc.version {
            return Err(format!(
                "version {version} is older than the draft's {}",
                doc.version
            ));
        }
        let mut text = doc.text.clone();
        convert::apply_changes(&mut text, changes, encoding)?;
        doc.text = text;
        doc.version = version;
        Ok(())
    }

    /// Marks a draft changed and makes sure a checker is on it. An edit that follows another
    /// within the debounce window waits for the edits to settle; any other is checked at once.
    pub(crate) fn schedule(&self, uri: &Uri, edited: bool) {
        let start = {
            let mut state = self.lock();
            let debounce = state.editor.debounce();
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

    /// Re-reads configuration and re-checks every open draft.
    pub(crate) fn reload(&self) {
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
                let debounce = state.editor.debounce();
                match state.docs.get(uri) {
                    Some(doc) if doc.dirty => doc.last_edit.map_or(Duration::ZERO, |t| {
                        (t + debounce).saturating_duration_since(Instant::now())
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
    /// When it cannot be checked (the rules or the voice profile do not load, shown as an
    /// error; or the engine failed, logged), the draft's diagnostics are cleared: those from
    /// before were for other settings or another text.
    async fn publish(&self, uri: &Uri, snap: Snapshot) {
        let generation = self.lock().generation;
        let Some(checked) = self.check(uri, &snap).await else {
            if self.is_at(uri, snap.version) {
                self.client
                    .publish_diagnostics(uri.clone(), Vec::new(), Some(snap.version))
                    .await;
            }
            return;
        };
        let diagnostics = diagnostics(&snap.text, &checked, snap.encoding);
        if self.remember(uri, &snap, generation, Arc::new(checked)) {
            self.client
                .publish_diagnostics(uri.clone(), diagnostics, Some(snap.version))
                .await;
        }
    }

    /// Whether the draft is open and still at `version`.
    fn is_at(&self, uri: &Uri, version: i32) -> bool {
        self.lock()
            .docs
            .get(uri)
            .is_some_and(|doc| doc.version == version)
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
    pub(crate) async fn current(&self, uri: &Uri) -> Option<(Snapshot, Arc<Checked>)> {
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

    /// Checks a snapshot of a draft; a panic in the engine becomes a log line, not a crash.
    async fn check(&self, uri: &Uri, snap: &Snapshot) -> Option<Checked> {
        let (linter, fail_on) = self.linter_for(&folder_of(uri)).await?;
        let result = std::panic::catch_unwind(AssertUnwindSafe(|| {
            let draft = read_draft(snap.kind, snap.text.as_bytes(), 0);
            let findings = linter.check_document(&draft.doc);
            (draft.into_owned(), findings)
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

    /// The linter for drafts in `dir` and the fail-on level that applies there: the editor's
    /// setting, else the config file's, else errors only. A broken config is shown once.
    pub(crate) async fn linter_for(&self, dir: &Path) -> Option<(Arc<Linter>, FailOn)> {
        let cache = self.cache();
        let mut errors = None;
        let configured = cache.for_dir(dir, |e| errors = Some(e.to_string()));
        if let Some(e) = errors {
            self.client
                .show_message(MessageType::ERROR, format!("redline: {e}"))
                .await;
        }
        let configured = configured.ok()?;
        let editor = self.lock().editor.fail_on();
        let fail_on = configured.fail_on_or(editor, FailOn::default());
        Some((configured.linter, fail_on))
    }

    /// The linters per config file, built for the current settings.
    fn cache(&self) -> Arc<LinterCache> {
        let mut state = self.lock();
        let base = state.roots.first().cloned().unwrap_or_default();
        let settings = state.editor.config(&base);
        Arc::clone(
            state
                .cache
                .get_or_insert_with(|| Arc::new(LinterCache::new(None, settings))),
        )
    }
}

/// The folder a draft is in, where its config is looked for.
pub(crate) fn folder_of(uri: &Uri) -> PathBuf {
    uri.to_file_path()
        .and_then(|p| p.parent().map(Path::to_path_buf))
        .unwrap_or_else(|| PathBuf::from("."))
}
