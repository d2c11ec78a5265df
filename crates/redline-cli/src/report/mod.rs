//! Rendering findings: annotated snippets for people, JSON Lines, SARIF, GitHub annotations.
//!
//! Each draft's findings are rendered to text where the draft was checked (on a worker
//! thread); the main thread only prints, in path order. Positions are resolved once, by
//! `redline_report::locate` (shared with `redline serve`).

mod human;
mod machine;

use redline_email::Linter;
use redline_report::{Raw, locate};
use redline_rules::Finding;
use redline_text::Draft;
use serde_json::Value;

use crate::Format;

pub use machine::sarif_log;

/// What one input produced, ready to print.
#[derive(Default)]
pub struct Rendered {
    /// Text for stdout.
    pub stdout: String,
    /// SARIF results and the rules they cite.
    pub sarif: Vec<(Value, Option<Value>)>,
    /// Findings by severity (info, warning, error).
    pub counts: [usize; 3],
}

/// Renders drafts' findings in one format.
pub struct Renderer {
    format: Format,
    human: human::Human,
}

impl Renderer {
    /// A renderer for `format`; colour only when stdout is a terminal and NO_COLOR is unset.
    pub fn new(format: Format) -> Self {
        Renderer {
            format,
            human: human::Human::new(),
        }
    }

    /// Renders one draft's findings into `out`.
    pub fn draft(
        &self,
        name: &str,
        draft: &Draft,
        raw: &Raw,
        findings: &[Finding],
        linter: &Linter,
        out: &mut Rendered,
    ) {
        if findings.is_empty() {
            return;
        }
        let name = match draft.number {
            Some(n) => format!("{name}#{n}"),
            None => name.to_string(),
        };
        let doc = &draft.doc;
        let decoded_index = redline_text::LineIndex::new(doc.text());
        for f in findings {
            out.counts[f.severity as usize] += 1;
            let located = locate(&name, doc, raw, f, linter.rule(&f.rule));
            match self.format {
                Format::Human => self
                    .human
                    .render(doc, &decoded_index, &located, &mut out.stdout),
                Format::Json => machine::json_line(&located, &mut out.stdout),
                Format::Github => machine::github(&located, &mut out.stdout),
                Format::Sarif => out.sarif.push(machine::sarif_result(&located)),
            }
        }
    }
}
