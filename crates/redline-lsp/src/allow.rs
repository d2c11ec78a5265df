//! The "allow this phrase" edit: the phrase added to the `allow` list of a `.redline.toml`,
//! keeping the file valid TOML (into an existing `allow` array, else as a new top-level key
//! before the first table), with the file created when there is none. Which file is for
//! `workspace::allow_config_for` to say.

use std::path::Path;

use redline_text::one_line;
use tower_lsp_server::ls_types::*;

/// The edit that adds `phrase` to the `allow` list of the config file at `path`, creating the
/// file when there is none.
pub fn allow_edit(path: &Path, phrase: &str) -> Option<WorkspaceEdit> {
    // `(`, `)` and `|` are the allow list's alternation syntax, which has no escape: a match
    // holding one cannot be allowed as written, so no edit is offered.
    if phrase.contains(['(', ')', '|']) {
        return None;
    }
    let target = Uri::from_file_path(path)?;
    let quoted = serde_json::to_string(&one_line(phrase)).ok()?;
    let mut operations = Vec::new();
    let edit = match std::fs::read_to_string(path) {
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
    use crate::convert::{self, Encoding};
    use redline_text::LineIndex;

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

    #[test]
    fn a_match_holding_the_alternation_syntax_gets_no_edit() {
        let path = std::env::temp_dir().join("redline-allow-syntax.toml");
        for phrase in ["[link to (demo page]", "[link to a|b page]"] {
            assert!(allow_edit(&path, phrase).is_none(), "{phrase}");
        }
        assert!(allow_edit(&path, "[link to demo page]").is_some());
    }
}
