//! Rendering findings: annotated snippets for people, JSON Lines, SARIF, GitHub annotations.
//!
//! Each draft's findings are rendered to text where the draft was checked (on a worker
//! thread); the main thread only prints, in path order. Positions are resolved once per draft
//! by `redline-report`, which also builds the JSON object `redline serve` answers with.

mod human;
mod machine;

use std::collections::BTreeMap;
use std::sync::Arc;

use redline_email::Linter;
use redline_report::{Raw, locate_all_over};
use redline_rules::Finding;
use redline_text::{Draft, LineIndex};
use serde_json::Value;

use crate::Format;

pub use machine::SarifLog;

/// What one input produced, ready to print.
#[derive(Default)]
pub struct Rendered {
    /// Text for stdout.
    pub stdout: String,
    /// The rules SARIF results in `stdout` cite, by id.
    pub rules: BTreeMap<String, Value>,
    /// Findings by severity (info, warning, error).
    pub counts: [usize; 3],
}

/// One checked draft, as the renderer needs it.
pub struct Checked<'a> {
    /// How output names the input the draft came from.
    pub name: &'a str,
    /// The draft as read.
    pub draft: &'a Draft<'a>,
    /// The bytes it was read from.
    pub raw: &'a Raw<'a>,
    /// What the check found in it.
    pub findings: &'a [Finding],
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

    /// Renders one draft's findings into `out`. Every position is resolved first, in one
    /// pass over the input (and, for people, one over the decoded text), so a draft with many
    /// findings costs time in proportion to its size, not to size × findings. Whenever
    /// `out.stdout` holds [`SPILL`] bytes, it is handed to `spill` (to print while the rest is
    /// rendered), so a huge draft's report is never held whole.
    pub fn draft(
        &self,
        checked: Checked,
        linter: &Linter,
        out: &mut Rendered,
        spill: &mut dyn FnMut(String),
    ) {
        let Checked {
            name,
            draft,
            raw,
            findings,
        } = checked;
        if findings.is_empty() {
            return;
        }
        let name = match draft.number {
            Some(n) => format!("{name}#{n}"),
            None => name.to_string(),
        };
        let doc = &draft.doc;
        let index = Arc::new(LineIndex::of_bytes(raw.bytes));
        let decoded =
            (self.format == Format::Human).then(|| human::Decoded::new(doc, (raw.bytes, &index)));
        let located = locate_all_over(&name, doc, raw, index, findings, |id| linter.rule(id));
        // A finding's JSON line is about a kilobyte (its explanation included): sized once.
        let mut scratch = Vec::with_capacity(4096);
        for located in located {
            out.counts[located.finding.severity as usize] += 1;
            match self.format {
                Format::Human => {
                    let decoded = decoded.as_ref().expect("built for human output");
                    self.human.render(doc, decoded, &located, &mut out.stdout)
                }
                Format::Json => machine::json_line(&located, &mut scratch, &mut out.stdout),
                Format::Github => machine::github(&located, &mut out.stdout),
                Format::Sarif => machine::sarif_result(&located, &mut out.stdout, &mut out.rules),
            }
            if out.stdout.len() >= SPILL {
                spill(std::mem::take(&mut out.stdout));
            }
        }
    }
}

/// How much rendered text a draft holds before handing it on to print.
pub const SPILL: usize = 256 * 1024;
