//! `workspace/executeCommand`: explain a rule, and check every draft in the workspace.

use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use redline_email::Linter;
use redline_rules::FailOn;
use redline_text::read_draft;
use serde_json::{Value, json};
use tower_lsp_server::jsonrpc::{Error, Result};
use tower_lsp_server::ls_types::{Diagnostic, ExecuteCommandParams, Uri};

use crate::checker::{Checked, folder_of};
use crate::convert::Encoding;
use crate::diagnostics::diagnostics;
use crate::server::Backend;
use crate::workspace::local_path;
use crate::{explain, files};

/// The command that explains a rule: `arguments: [rule id]`, answered with `{"markdown"}`.
pub const EXPLAIN_COMMAND: &str = "redline.lsp.explain";
/// The command that checks every draft in the workspace folders (or in the folder URIs given
/// as arguments) and publishes their diagnostics; answered with counts.
pub const CHECK_WORKSPACE_COMMAND: &str = "redline.lsp.checkWorkspace";

impl Backend {
    /// Runs a command.
    pub(crate) async fn execute(&self, params: ExecuteCommandParams) -> Result<Option<Value>> {
        match params.command.as_str() {
            EXPLAIN_COMMAND => self.explain_rule(&params.arguments).await,
            CHECK_WORKSPACE_COMMAND => self.check_workspace(&params.arguments).await,
            other => Err(Error::invalid_params(format!("unknown command `{other}`"))),
        }
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
        let mut folders = arguments
            .iter()
            .enumerate()
            .map(|(i, v)| folder_argument(i, v))
            .collect::<Result<Vec<PathBuf>>>()?;
        if folders.is_empty() {
            folders = self.lock().roots.clone();
        }
        let (files, mut problems) = tokio::task::spawn_blocking(move || files::drafts(&folders))
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

/// The folder a `checkWorkspace` argument names (the `i`th, from 0), or an invalid-params
/// error naming the argument: one that is not a `file:` URI must not quietly widen the check
/// to the whole workspace.
fn folder_argument(i: usize, argument: &Value) -> Result<PathBuf> {
    let bad = |what: &str| {
        Error::invalid_params(format!(
            "{CHECK_WORKSPACE_COMMAND}: argument {} ({argument}) is {what}; give folder URIs \
             such as file:///home/me/drafts, or no arguments for the workspace folders",
            i + 1
        ))
    };
    let text = argument.as_str().ok_or_else(|| bad("not a string"))?;
    let uri = text.parse::<Uri>().map_err(|_| bad("not a URI"))?;
    local_path(&uri).ok_or_else(|| bad("not a local file: URI"))
}

/// Reads and checks a draft file that is not open in the editor (off the async workers): its
/// diagnostics, how many findings, and how many of them block (a message left unread counts
/// as one that blocks, as its diagnostic says).
fn check_file(
    path: &Path,
    linter: &Arc<Linter>,
    fail_on: FailOn,
    encoding: Encoding,
) -> std::io::Result<(Vec<Diagnostic>, usize, usize)> {
    let (text, kind) = files::read(path)?;
    let draft = read_draft(kind, text.as_bytes(), 0).into_owned();
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
        .count()
        + usize::from(checked.draft.unread);
    Ok((
        diagnostics(&text, &checked, encoding),
        checked.findings.len(),
        blocking,
    ))
}
