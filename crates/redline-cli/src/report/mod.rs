//! Printing findings: annotated snippets for people, JSON Lines, SARIF, GitHub annotations.
//!
//! Machine formats go to stdout only; the human summary goes to stderr, and nothing is
//! printed for a clean run.

mod human;
mod machine;

use redline_email::Linter;
use redline_rules::{Finding, Severity};
use redline_text::LineIndex;

use crate::Format;
use crate::inputs::Input;

/// A finding with everything a printer needs: positions resolved once, here.
pub struct Located<'a> {
    /// The finding.
    pub finding: &'a Finding,
    /// 1-based start line and character column.
    pub start: redline_text::LineCol,
    /// 1-based end line and character column (exclusive).
    pub end: redline_text::LineCol,
}

/// Collects and prints findings in the chosen format.
pub struct Printer {
    format: Format,
    human: human::Human,
    sarif: machine::Sarif,
    counts: [usize; 3],
    files: usize,
    files_with_findings: usize,
}

impl Printer {
    /// A printer for `format`; colour only when stdout is a terminal and NO_COLOR is unset.
    pub fn new(format: Format) -> Self {
        Printer {
            format,
            human: human::Human::new(),
            sarif: machine::Sarif::default(),
            counts: [0; 3],
            files: 0,
            files_with_findings: 0,
        }
    }

    /// Prints (or, for SARIF, collects) one input's findings.
    pub fn file(&mut self, input: &Input, findings: &[Finding], linter: &Linter) {
        self.files += 1;
        if findings.is_empty() {
            return;
        }
        self.files_with_findings += 1;
        let index = LineIndex::new(&input.text);
        for f in findings {
            self.counts[f.severity as usize] += 1;
            let located = Located {
                finding: f,
                start: index.line_col(&input.text, f.span.start),
                end: index.line_col(&input.text, f.span.end),
            };
            let rule = linter.rule(&f.rule);
            match self.format {
                Format::Human => self.human.print(input, &index, &located, rule),
                Format::Json => machine::json_line(input, &located, rule),
                Format::Github => machine::github(input, &located),
                Format::Sarif => self.sarif.add(input, &located, rule),
            }
        }
    }

    /// Finishes the output: the SARIF document, or the human summary line on stderr.
    pub fn finish(self) {
        match self.format {
            Format::Sarif => self.sarif.print(),
            Format::Human if self.files_with_findings > 0 => {
                let [info, warning, error] = self.counts;
                eprintln!(
                    "redline: {} in {} of {} {}",
                    [
                        plural(error, Severity::Error),
                        plural(warning, Severity::Warning),
                        plural(info, Severity::Info)
                    ]
                    .join(", "),
                    self.files_with_findings,
                    self.files,
                    if self.files == 1 { "draft" } else { "drafts" }
                );
            }
            _ => {}
        }
    }
}

fn plural(n: usize, severity: Severity) -> String {
    match (severity, n) {
        (Severity::Info, _) => format!("{n} info"),
        (_, 1) => format!("1 {severity}"),
        _ => format!("{n} {severity}s"),
    }
}
