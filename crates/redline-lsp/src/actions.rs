//! Code actions on a finding: apply its fix or one of its suggested rewrites, silence its rule
//! for this draft with the inline marker, or allow the phrase in the workspace's
//! `.redline.toml`. Every action is a plain workspace edit, so the editor's undo takes it back.

use std::collections::HashMap;
use std::ops::Range as Span;

use redline_rules::Finding;
use redline_text::{Document, LineIndex, one_line};
use tower_lsp_server::ls_types::*;

use crate::convert::{self, Encoding};

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
        let plain_bytes = part.content_type == "text/plain"
            && part.exact
            && matches!(part.encoding, "7bit" | "8bit");
        plain_bytes.then(|| self.doc.input_span(span)).flatten()
    }

    /// Where the inline marker for the finding at `span` goes: the top of a plain draft, or
    /// the top of the message part the finding is in.
    fn marker_at(&self, span: Span<usize>) -> Option<usize> {
        let start = match self.doc.part_at(span.start) {
            Some(part) => part.text.start,
            None => 0,
        };
        self.editable(start..start).map(|s| s.start)
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
    if finding.fix.is_none()
        && let Some(span) = target.editable(finding.span.clone())
    {
        for suggestion in &finding.suggestions {
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
                format!("<!-- redline-disable {} -->\n", finding.rule),
            ),
            false,
        );
    }
    if let Some(edit) = allow_edit(target.uri, &finding.matched) {
        push(
            format!("Allow “{}” in .redline.toml", one_line(&finding.matched)),
            edit,
            false,
        );
    }
    actions
}

/// The edit that adds `phrase` to the `allow` list of the `.redline.toml` that applies to the
/// draft (creating one beside the draft when there is none).
fn allow_edit(uri: &Uri, phrase: &str) -> Option<WorkspaceEdit> {
    let dir = uri.to_file_path()?.parent()?.to_path_buf();
    let path = redline_rules::discover_config(&dir).unwrap_or_else(|| dir.join(".redline.toml"));
    let target = Uri::from_file_path(&path)?;
    let quoted = serde_json::to_string(&one_line(phrase)).ok()?;
    let mut operations = Vec::new();
    let edit = match std::fs::read_to_string(&path) {
        Err(_) => {
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
        Ok(content) => allow_in(&content, &quoted),
    };
    operations.push(DocumentChangeOperation::Edit(TextDocumentEdit {
        text_document: OptionalVersionedTextDocumentIdentifier {
            uri: target,
            version: None,
        },
        edits: vec![OneOf::Left(edit)],
    }));
    Some(WorkspaceEdit {
        document_changes: Some(DocumentChanges::Operations(operations)),
        ..WorkspaceEdit::default()
    })
}

/// The insertion that adds the TOML string `quoted` to an existing config: into its `allow`
/// array when it has one, else as a new `allow` line before the first table.
fn allow_in(content: &str, quoted: &str) -> TextEdit {
    let allow_line = content
        .lines()
        .enumerate()
        .find(|(_, l)| l.trim_start().starts_with("allow") && l.contains('['));
    match allow_line {
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
            let new_line = format!("allow = [{quoted}]\n");
            // Top-level keys must come before the first table, or they land inside it.
            match content
                .lines()
                .position(|l| l.trim_start().starts_with('['))
            {
                Some(table) => insert_at(table as u32, 0, new_line),
                None => match content.lines().last() {
                    Some(last) if !content.ends_with('\n') => {
                        let end: usize = last.chars().map(char::len_utf16).sum();
                        let at = content.lines().count() - 1;
                        insert_at(at as u32, end as u32, format!("\n{new_line}"))
                    }
                    _ => insert_at(content.lines().count() as u32, 0, new_line),
                },
            }
        }
    }
}

fn insert_at(line: u32, character: u32, new_text: String) -> TextEdit {
    let at = Position { line, character };
    TextEdit {
        range: Range { start: at, end: at },
        new_text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn apply(content: &str, edit: &TextEdit) -> String {
        let index = LineIndex::new(content);
        let at = convert::offset(content, &index, edit.range.start, Encoding::Utf16).unwrap();
        let mut out = content.to_string();
        out.insert_str(at, &edit.new_text);
        out
    }

    fn allowed(content: &str) -> Vec<String> {
        let edited = apply(content, &allow_in(content, "\"wanted to reach out\""));
        let value: toml::Value =
            toml::from_str(&edited).unwrap_or_else(|e| panic!("{e}\n{edited}"));
        value["allow"]
            .as_array()
            .unwrap_or_else(|| panic!("no top-level allow in\n{edited}"))
            .iter()
            .map(|v| v.as_str().unwrap().to_string())
            .collect()
    }

    #[test]
    fn allowing_a_phrase_keeps_the_config_valid_toml() {
        assert_eq!(allowed(""), ["wanted to reach out"]);
        assert_eq!(allowed("fail_on = \"warning\""), ["wanted to reach out"]);
        assert_eq!(
            allowed("allow = [\"synergy\"]\n"),
            ["wanted to reach out", "synergy"]
        );
        assert_eq!(allowed("allow = []\n"), ["wanted to reach out"]);
        assert_eq!(
            allowed("# team 😀 config\r\nallow = [\"synergy\"]\r\n"),
            ["wanted to reach out", "synergy"],
            "CRLF, and an emoji on an earlier line"
        );
        assert_eq!(
            allowed(
                "fail_on = \"warning\"\r\n[severity]\r\n\"corporate-ai.long-draft\" = \"info\"\r\n"
            ),
            ["wanted to reach out"]
        );
        assert_eq!(
            allowed("allow = [\n  \"synergy\",\n]\n"),
            ["wanted to reach out", "synergy"]
        );
        assert_eq!(
            allowed("fail_on = \"error\"\n\n[severity]\n\"corporate-ai.long-draft\" = \"info\"\n"),
            ["wanted to reach out"]
        );
    }
}
