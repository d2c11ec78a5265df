//! Code actions on a finding: apply its fix or one of its suggested rewrites, silence its rule
//! for this draft with the inline marker, or allow the phrase in the workspace's
//! `.redline.toml`. Every action is a plain workspace edit, so the editor's undo takes it back.

use std::collections::HashMap;
use std::ops::Range as Span;
use std::path::PathBuf;

use redline_rules::Finding;
use redline_text::{DISABLE_MARKER, Document, LineIndex, MediaType, RegionKind, one_line};
use tower_lsp_server::jsonrpc::{Error, Result};
use tower_lsp_server::ls_types::*;

use crate::allow::allow_edit;
use crate::convert::{self, Encoding};
use crate::diagnostics::diagnostic;
use crate::server::Backend;
use crate::workspace;

impl Backend {
    /// The actions for every finding that overlaps the requested range; a range reaching past
    /// the end of the draft is clamped to it.
    pub(crate) async fn actions_for(
        &self,
        params: CodeActionParams,
    ) -> Result<Option<CodeActionResponse>> {
        let uri = params.text_document.uri;
        let roots = {
            let state = self.lock();
            if !state.docs.contains_key(&uri) {
                return Err(Error::invalid_params("document is not open"));
            }
            state.roots.clone()
        };
        let Some((snap, checked)) = self.current(&uri).await else {
            return Ok(None);
        };
        let index = LineIndex::new(&snap.text);
        let at = |p| convert::offset_clamped(&snap.text, &index, p, snap.encoding);
        let (from, to) = (at(params.range.start), at(params.range.end));
        let allow_config = workspace::local_path(&uri)
            .and_then(|draft| workspace::allow_config_for(&roots, &draft));
        let target = Target {
            uri: &uri,
            text: &snap.text,
            index: &index,
            encoding: snap.encoding,
            doc: &checked.draft.doc,
            allow_config,
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
            all.extend(for_finding(&target, f, diagnostic));
        }
        Ok(Some(all))
    }
}

/// The draft the actions edit, as the editor holds it.
pub struct Target<'a> {
    /// The document's URI.
    pub uri: &'a Uri,
    /// The editor's text.
    pub text: &'a str,
    /// Its line index.
    pub index: &'a LineIndex,
    /// How the client counts columns.
    pub encoding: Encoding,
    /// The document as redline read it (decoded, for messages).
    pub doc: &'a Document<'static>,
    /// The config file an allow-list edit goes to; `None` outside the workspace folders.
    pub allow_config: Option<PathBuf>,
}

impl Target<'_> {
    fn range(&self, span: Span<usize>) -> Range {
        convert::range(self.text, self.index, span, self.encoding)
    }

    /// The editor span to rewrite for a span of the checked text, when rewriting there is
    /// safe: always for plain drafts; for messages only inside a plain-text part stored
    /// byte for byte (not quoted-printable, base64 or HTML, where the bytes differ).
    fn editable(&self, span: Span<usize>) -> Option<Span<usize>> {
        if self.doc.source().is_none() {
            return Some(span);
        }
        let part = self.doc.part_at(span.start)?;
        let plain_bytes =
            part.content_type == MediaType::PlainText && part.exact && part.encoding.is_identity();
        plain_bytes.then(|| self.doc.input_span(span)).flatten()
    }

    /// The editor span of a non-empty span of the checked text that is the same bytes there,
    /// for an edit that replaces it whole.
    fn same_bytes(&self, span: Span<usize>) -> Option<Span<usize>> {
        let input = self.editable(span.clone())?;
        (self.text.get(input.clone()) == self.doc.text().get(span)).then_some(input)
    }

    /// Where the inline marker for the finding at `span` goes: the top of a plain draft's
    /// body (below a `Subject:` line and its blank line, which must stay first to be read as
    /// the subject), or the top of the message part the finding is in.
    fn marker_at(&self, span: Span<usize>) -> Option<usize> {
        let start = match self.doc.part_at(span.start) {
            Some(part) => part.text.start,
            None => self.body_start(),
        };
        self.editable(start..start).map(|s| s.start)
    }

    /// Where a plain draft's body begins: after its header lines and the blank line below.
    fn body_start(&self) -> usize {
        let text = self.doc.text();
        let headers = self
            .doc
            .regions()
            .iter()
            .filter(|r| matches!(r.kind, RegionKind::Header | RegionKind::Subject))
            .map(|r| r.span.end)
            .max();
        let Some(end) = headers else {
            return 0;
        };
        let mut at = text[end..].find('\n').map_or(text.len(), |n| end + n + 1);
        if text[at..].starts_with("\r\n") {
            at += 2;
        } else if text[at..].starts_with('\n') {
            at += 1;
        }
        at
    }

    /// The draft's own line break: CRLF when its first line ends in one.
    fn line_break(&self) -> &'static str {
        match self.text.find('\n') {
            Some(n) if self.text[..n].ends_with('\r') => "\r\n",
            _ => "\n",
        }
    }

    fn edit(&self, span: Span<usize>, new_text: String) -> WorkspaceEdit {
        WorkspaceEdit {
            changes: Some(HashMap::from([(
                self.uri.clone(),
                vec![TextEdit {
                    range: self.range(span),
                    new_text,
                }],
            )])),
            ..WorkspaceEdit::default()
        }
    }
}

/// The actions for `finding`, whose diagnostic is `diagnostic`.
pub fn for_finding(
    target: &Target,
    finding: &Finding,
    diagnostic: Option<Diagnostic>,
) -> Vec<CodeActionOrCommand> {
    let mut actions = Vec::new();
    let mut push = |title: String, edit: WorkspaceEdit, preferred: bool| {
        actions.push(CodeActionOrCommand::CodeAction(CodeAction {
            title,
            kind: Some(CodeActionKind::QUICKFIX),
            diagnostics: diagnostic.clone().map(|d| vec![d]),
            edit: Some(edit),
            is_preferred: preferred.then_some(true),
            ..CodeAction::default()
        }));
    };
    if let Some(fix) = &finding.fix
        && let Some(span) = target.editable(fix.span.clone())
    {
        let title = if fix.replacement.is_empty() {
            "Delete it".to_string()
        } else {
            format!("Replace with “{}”", fix.replacement)
        };
        push(title, target.edit(span, fix.replacement.clone()), true);
    }
    // A suggestion rewrites the whole sentence that holds the match, not the match alone.
    if finding.fix.is_none()
        && !finding.suggestions.is_empty()
        && let Some(span) = redline_email::sentence_span(target.doc, finding.span.clone())
            .and_then(|sentence| target.same_bytes(sentence))
    {
        for suggestion in finding.suggestions.iter() {
            push(
                format!("Rewrite as “{suggestion}”"),
                target.edit(span.clone(), suggestion.clone()),
                false,
            );
        }
    }
    if let Some(at) = target.marker_at(finding.span.clone()) {
        push(
            format!("Disable {} for this draft", finding.rule),
            target.edit(
                at..at,
                format!(
                    "<!-- {DISABLE_MARKER} {} -->{}",
                    finding.rule,
                    target.line_break()
                ),
            ),
            false,
        );
    }
    if let Some(edit) =
        (target.allow_config.as_deref()).and_then(|c| allow_edit(c, &finding.matched))
    {
        push(
            format!("Allow “{}” in .redline.toml", one_line(&finding.matched)),
            edit,
            false,
        );
    }
    actions
}
