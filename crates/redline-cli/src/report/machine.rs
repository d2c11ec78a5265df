//! Formats for tools: JSON Lines, SARIF 2.1.0, GitHub Actions workflow commands.

use std::collections::BTreeMap;
use std::io::Write;

use redline_rules::{Rule, Severity};
use serde_json::{Value, json};

use super::Located;
use crate::inputs::Input;

/// One JSON object per finding: where (byte offsets into the input as read, and 1-based
/// line/column in characters), what, why, and the fix.
pub fn json_line(input: &Input, at: &Located, rule: Option<&Rule>) {
    let f = at.finding;
    let line = json!({
        "path": input.name,
        "rule": f.rule,
        "severity": f.severity,
        "message": f.message,
        "match": f.matched,
        "start": f.span.start,
        "end": f.span.end,
        "line": at.start.line,
        "column": at.start.column,
        "end_line": at.end.line,
        "end_column": at.end.column,
        "why": rule.map(|r| r.why.as_str()),
        "instead": rule.map(|r| r.instead.as_str()),
        "suggestions": f.suggestions,
        "fix": f.fix.as_ref().map(|e| json!({
            "start": e.span.start,
            "end": e.span.end,
            "replacement": e.replacement,
        })),
    });
    let _ = writeln!(std::io::stdout().lock(), "{line}");
}

/// A GitHub Actions annotation (`::error file=…::message`).
pub fn github(input: &Input, at: &Located) {
    let f = at.finding;
    let command = match f.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "notice",
    };
    let _ = writeln!(
        std::io::stdout().lock(),
        "::{command} file={},line={},col={},endLine={},endColumn={},title={}::{}",
        escape_property(&input.name),
        at.start.line,
        at.start.column,
        at.end.line,
        at.end.column,
        escape_property(&f.rule),
        escape_data(&f.message),
    );
}

fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// A SARIF log, collected and printed as one document at the end.
#[derive(Default)]
pub struct Sarif {
    rules: BTreeMap<String, Value>,
    results: Vec<Value>,
}

impl Sarif {
    /// Adds a finding (and its rule's description, once).
    pub fn add(&mut self, input: &Input, at: &Located, rule: Option<&Rule>) {
        let f = at.finding;
        if let Some(rule) = rule {
            self.rules.entry(rule.id.clone()).or_insert_with(|| {
                json!({
                    "id": rule.id,
                    "shortDescription": { "text": rule.message.replace("{match}", "…") },
                    "fullDescription": { "text": rule.why },
                    "help": { "text": rule.instead },
                    "defaultConfiguration": { "level": level(rule.severity) },
                })
            });
        }
        self.results.push(json!({
            "ruleId": f.rule,
            "level": level(f.severity),
            "message": { "text": f.message },
            "locations": [{
                "physicalLocation": {
                    "artifactLocation": { "uri": input.name },
                    "region": {
                        "startLine": at.start.line,
                        "startColumn": at.start.column,
                        "endLine": at.end.line,
                        "endColumn": at.end.column,
                        "byteOffset": f.span.start,
                        "byteLength": f.span.end - f.span.start,
                        "snippet": { "text": f.matched },
                    }
                }
            }],
        }));
    }

    /// Prints the log.
    pub fn print(self) {
        let log = json!({
            "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
            "version": "2.1.0",
            "runs": [{
                "tool": { "driver": {
                    "name": "redline",
                    "version": env!("CARGO_PKG_VERSION"),
                    "informationUri": "https://github.com/redline-dev/redline",
                    "rules": self.rules.into_values().collect::<Vec<_>>(),
                }},
                "columnKind": "unicodeCodePoints",
                "results": self.results,
            }],
        });
        let _ = writeln!(std::io::stdout().lock(), "{log:#}");
    }
}

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}
