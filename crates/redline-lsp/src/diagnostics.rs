//! Findings as LSP diagnostics, at most [`MAX_DIAGNOSTICS`] per draft.
//!
//! A huge draft can hold a million findings; publishing them all costs the editor (and this
//! server) gigabytes. Past the cap, one more diagnostic says how many were not shown, and
//! whether any of those would block sending.

use redline_rules::{Finding, Severity};
use redline_text::LineIndex;
use serde_json::json;
use tower_lsp_server::ls_types::{Diagnostic, DiagnosticSeverity, NumberOrString, Range};

use crate::checker::Checked;
use crate::convert::{self, Encoding};

/// The most findings published for one draft: the cap `redline serve` puts on its answers too.
pub const MAX_DIAGNOSTICS: usize = redline_rules::MAX_FINDINGS_PER_ANSWER;

/// The code of a diagnostic on an inline marker that silences nothing (an unknown rule id, or
/// a marker in a quoted reply).
const MARKER_CODE: &str = "redline.inline-marker";

/// The code of the diagnostic that says findings were left out.
const CAPPED_CODE: &str = "redline.too-many-findings";

/// The code of the diagnostic on a message whose text redline could not read.
const UNREAD_CODE: &str = "redline.unread";

/// The diagnostics for a checked draft, in the editor's text.
pub(crate) fn diagnostics(text: &str, checked: &Checked, encoding: Encoding) -> Vec<Diagnostic> {
    let index = LineIndex::new(text);
    let mut listed = Vec::new();
    let mut spans = Vec::new();
    let (mut hidden, mut hidden_blocking, mut first_hidden) = (0, false, None);
    for f in &checked.findings {
        let Some(span) = checked.draft.doc.input_span(f.span.clone()) else {
            continue;
        };
        if listed.len() < MAX_DIAGNOSTICS {
            listed.push(f);
            spans.push(span);
        } else {
            hidden += 1;
            hidden_blocking |= checked.fail_on.blocks(f.severity);
            first_hidden.get_or_insert(span);
        }
    }
    // Every position resolved in one pass: a draft's diagnostics cost its length, not its
    // length × findings.
    let ranges = convert::ranges(text, &index, &spans, encoding);
    let mut shown: Vec<Diagnostic> = listed
        .into_iter()
        .zip(ranges)
        .map(|(f, range)| diagnostic_at(checked, f, range))
        .collect();
    for (span, note) in checked.linter.marker_problems(&checked.draft.doc) {
        let Some(span) = checked.draft.doc.input_span(span) else {
            continue;
        };
        shown.push(Diagnostic {
            range: convert::range(text, &index, span, encoding),
            severity: Some(DiagnosticSeverity::WARNING),
            code: Some(NumberOrString::String(MARKER_CODE.into())),
            source: Some("redline".into()),
            message: note,
            data: Some(json!({"blocking": false})),
            ..Diagnostic::default()
        });
    }
    if checked.draft.unread {
        // What was not read was not checked, so the send gate fails it (`redline check` exits
        // 2, `redline serve` answers `"pass": false`); the editor says so at the top.
        shown.push(Diagnostic {
            range: convert::range(text, &index, 0..0, encoding),
            severity: Some(DiagnosticSeverity::ERROR),
            code: Some(NumberOrString::String(UNREAD_CODE.into())),
            source: Some("redline".into()),
            message: format!(
                "redline could not read this message's text, so it was not checked and the \
                 send gate fails it: {}",
                checked.draft.notes.join("; ")
            ),
            data: Some(json!({"blocking": true})),
            ..Diagnostic::default()
        });
    }
    if let Some(span) = first_hidden {
        shown.push(Diagnostic {
            range: convert::range(text, &index, span, encoding),
            severity: Some(DiagnosticSeverity::INFORMATION),
            code: Some(NumberOrString::String(CAPPED_CODE.into())),
            source: Some("redline".into()),
            message: format!(
                "{MAX_DIAGNOSTICS} shown; {hidden} more findings from here on are not shown (the \
                 language server shows at most {MAX_DIAGNOSTICS} per draft); `redline check` \
                 lists them all"
            ),
            data: Some(json!({"blocking": hidden_blocking, "hidden": hidden})),
            ..Diagnostic::default()
        });
    }
    shown
}

/// The diagnostic for a finding; its `data` says whether it blocks sending at the fail-on
/// level in force, so an editor can count what would stop the send gate.
pub(crate) fn diagnostic(
    text: &str,
    index: &LineIndex,
    checked: &Checked,
    f: &Finding,
    enc: Encoding,
) -> Option<Diagnostic> {
    let span = checked.draft.doc.input_span(f.span.clone())?;
    Some(diagnostic_at(
        checked,
        f,
        convert::range(text, index, span, enc),
    ))
}

fn diagnostic_at(checked: &Checked, f: &Finding, range: Range) -> Diagnostic {
    Diagnostic {
        range,
        severity: Some(match f.severity {
            Severity::Error => DiagnosticSeverity::ERROR,
            Severity::Warning => DiagnosticSeverity::WARNING,
            Severity::Info => DiagnosticSeverity::INFORMATION,
        }),
        code: Some(NumberOrString::String(f.rule.to_string())),
        source: Some("redline".into()),
        message: f.message.to_string(),
        data: Some(json!({"blocking": checked.fail_on.blocks(f.severity)})),
        ..Diagnostic::default()
    }
}
