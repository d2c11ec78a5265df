//! Rendering findings: annotated snippets for people, JSON Lines, SARIF, GitHub annotations.
//!
//! Each draft's findings are rendered to text where the draft was checked (on a worker
//! thread); the main thread only prints, in path order. Positions are resolved here, once:
//! byte offsets and line/column in the input file, and for decoded message parts the part and
//! the offsets into its decoded text.

mod human;
mod machine;

use std::ops::Range;

use redline_email::Linter;
use redline_rules::{Edit, Finding, Rule};
use redline_text::{Document, Draft, LineIndex, Unit};
use serde_json::Value;

use crate::Format;
use crate::inputs::Raw;

pub use machine::sarif_log;

/// A finding with its positions resolved.
pub struct Located<'a> {
    /// The finding (spans in the document's text).
    pub finding: &'a Finding,
    /// Its rule.
    pub rule: Option<&'a Rule>,
    /// How output names the draft: the path, with `#N` for the Nth message of a mailbox.
    pub name: &'a str,
    /// The input bytes the match came from (`None` when it has no origin in the input).
    pub input: Option<Range<usize>>,
    /// 1-based line and character column of the start and end in the input file.
    pub start: Option<(usize, usize)>,
    /// See `start`.
    pub end: Option<(usize, usize)>,
    /// For decoded drafts, where in which part.
    pub part: Option<PartPos>,
    /// The fix as an edit of the input bytes (only for drafts checked as written).
    pub fix: Option<Edit>,
    /// A score rule's evidence, its spans as offsets into the input.
    pub evidence: Option<Value>,
}

/// A match's place in a decoded message part.
pub struct PartPos {
    /// MIME part number (0: the message itself, or the subject).
    pub id: usize,
    /// Media type, or `subject`.
    pub content_type: String,
    /// Transfer encoding.
    pub encoding: &'static str,
    /// Whether `Located::input` is the match byte for byte.
    pub exact: bool,
    /// Offsets into the part's decoded text.
    pub decoded: Range<usize>,
}

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

    /// Renders one draft's findings into `out`. Every position is resolved first, in one
    /// pass over the input (and, for people, one over the decoded text), so a draft with many
    /// findings costs time in proportion to its size, not to size × findings. Whenever
    /// `out.stdout` holds [`SPILL`] bytes, it is handed to `spill` (to print while the rest is
    /// rendered), so a huge draft's report is never held whole.
    pub fn draft(
        &self,
        name: &str,
        draft: &Draft,
        raw: &Raw,
        findings: &[Finding],
        linter: &Linter,
        out: &mut Rendered,
        spill: &mut dyn FnMut(String),
    ) {
        if findings.is_empty() {
            return;
        }
        let name = match draft.number {
            Some(n) => format!("{name}#{n}"),
            None => name.to_string(),
        };
        let doc = &draft.doc;
        let inputs: Vec<Option<Range<usize>>> = findings
            .iter()
            .map(|f| doc.input_span(f.span.clone()))
            .collect();
        let places = input_places(raw, &inputs);
        let decoded = (self.format == Format::Human).then(|| human::Decoded::new(doc, findings));
        for (i, (f, input)) in findings.iter().zip(inputs).enumerate() {
            out.counts[f.severity as usize] += 1;
            let located = locate(&name, doc, f, linter.rule(&f.rule), input, places[i]);
            match self.format {
                Format::Human => {
                    let decoded = decoded.as_ref().expect("built for human output");
                    self.human
                        .render(doc, decoded, i, &located, &mut out.stdout)
                }
                Format::Json => machine::json_line(&located, &mut out.stdout),
                Format::Github => machine::github(&located, &mut out.stdout),
                Format::Sarif => out.sarif.push(machine::sarif_result(&located)),
            }
            if out.stdout.len() >= SPILL {
                spill(std::mem::take(&mut out.stdout));
            }
        }
    }
}

/// How much rendered text a draft holds before handing it on to print.
pub const SPILL: usize = 256 * 1024;

/// 1-based line and character column, in the input, of the start and end of each span (when
/// it lies in `raw`): every offset resolved in one pass over the raw bytes.
fn input_places(raw: &Raw, inputs: &[Option<Range<usize>>]) -> Vec<[Option<(usize, usize)>; 2]> {
    let relative = |o: usize| o.checked_sub(raw.base).filter(|&r| r <= raw.bytes.len());
    let mut offsets = Vec::with_capacity(inputs.len() * 2);
    for r in inputs.iter().flatten() {
        offsets.extend([r.start, r.end].into_iter().filter_map(relative));
    }
    let index = LineIndex::of_bytes(raw.bytes);
    let mut resolved = index
        .resolve(raw.bytes, &offsets, Unit::Chars)
        .into_iter()
        .map(|p| (raw.base_line + p.line + 1, p.column + 1));
    inputs
        .iter()
        .map(|r| match r {
            Some(r) => [r.start, r.end].map(|o| relative(o).and_then(|_| resolved.next())),
            None => [None, None],
        })
        .collect()
}

fn locate<'a>(
    name: &'a str,
    doc: &Document,
    finding: &'a Finding,
    rule: Option<&'a Rule>,
    input: Option<Range<usize>>,
    [start, end]: [Option<(usize, usize)>; 2],
) -> Located<'a> {
    let part = doc.part_at(finding.span.start).map(|p| PartPos {
        id: p.id,
        content_type: p.content_type.to_string(),
        encoding: p.encoding.name(),
        exact: p.exact
            && doc
                .source()
                .is_some_and(|s| s.map.is_exact(finding.span.clone())),
        decoded: finding.span.start.saturating_sub(p.text.start)
            ..finding.span.end.saturating_sub(p.text.start),
    });
    let fix = if doc.source().is_none() {
        finding.fix.clone()
    } else {
        None
    };
    Located {
        finding,
        rule,
        name,
        start,
        end,
        input,
        part,
        fix,
        evidence: finding.evidence.as_ref().map(|e| match e {
            redline_rules::Evidence::Score(score) => evidence_json(score, doc),
            redline_rules::Evidence::Voice(v) => v.clone(),
        }),
    }
}

/// Score evidence for machine output: each contribution's place as input byte offsets.
fn evidence_json(e: &redline_rules::ScoreEvidence, doc: &Document) -> Value {
    let contributions: Vec<Value> = e
        .contributions
        .iter()
        .map(|c| {
            let at = c.span.clone().and_then(|s| doc.input_span(s));
            serde_json::json!({
                "feature": c.feature,
                "value": c.value,
                "weight": c.weight,
                "contribution": c.contribution,
                "start": at.as_ref().map(|r| r.start),
                "end": at.as_ref().map(|r| r.end),
                "text": c.text,
                "reported": c.reported,
            })
        })
        .collect();
    serde_json::json!({
        "probability": e.probability,
        "unreported_probability": e.unreported_probability,
        "intercept": e.intercept,
        "contributions": contributions,
        "others": e.others,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_positions_count_lines_before_a_mailbox_message() {
        let bytes = "From: a\né x\n".as_bytes();
        let raw = Raw {
            bytes,
            base: 100,
            base_line: 7,
        };
        let x = bytes.iter().position(|&b| b == b'x').unwrap();
        let places = input_places(&raw, &[Some(100 + x..100 + x + 1), Some(99..100)]);
        assert_eq!(
            places[0],
            [Some((9, 3)), Some((9, 4))],
            "columns count characters"
        );
        assert_eq!(places[1][0], None);
    }
}
