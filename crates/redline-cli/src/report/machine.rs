//! Formats for tools: JSON Lines, SARIF 2.1.0, GitHub Actions workflow commands.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::Write;

use redline_rules::Severity;
use serde_json::{Value, json};

use redline_report::Located;

/// One line of JSON Lines per finding: the object [`redline_report::to_json`] builds,
/// written into `scratch` (kept by the caller across findings, so a line costs no
/// allocation of its own).
pub fn json_line(at: &Located, scratch: &mut Vec<u8>, out: &mut String) {
    scratch.clear();
    redline_report::to_json(at).write_to(scratch);
    out.push_str(std::str::from_utf8(scratch).expect("findings are written as UTF-8"));
    out.push('\n');
}

/// A GitHub Actions annotation (`::error file=…::message`).
pub fn github(at: &Located, out: &mut String) {
    let f = at.finding;
    let command = match f.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "notice",
    };
    let (line, col) = at.start.unwrap_or((1, 1));
    let (end_line, end_col) = at.end.unwrap_or((line, col));
    let _ = writeln!(
        out,
        "::{command} file={},line={line},col={col},endLine={end_line},endColumn={end_col},title={}::{}",
        escape_property(at.name),
        escape_property(&f.rule),
        escape_data(&f.message),
    );
}

/// A workflow command's message: `%`, line breaks and every other control character but a
/// tab as `%XX`, so a file name or match holding an escape byte cannot reach the log raw.
fn escape_data(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '%' | '\r' | '\n' => {
                let _ = write!(out, "%{:02X}", u32::from(c));
            }
            c if c.is_control() && c != '\t' => {
                let _ = write!(out, "%{:02X}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out
}

fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// A SARIF result, written as it sits in the log (after a `,` and a line break, indented
/// for the log's results array); the description of its rule goes into `rules` the first
/// time the rule is cited.
pub fn sarif_result(at: &Located, out: &mut String, rules: &mut BTreeMap<String, Value>) {
    let f = at.finding;
    if let Some(rule) = at.rule.filter(|rule| !rules.contains_key(&rule.id)) {
        rules.insert(
            rule.id.clone(),
            json!({
                "id": rule.id,
                "shortDescription": { "text": rule.message.replace("{match}", "…") },
                "fullDescription": { "text": rule.why },
                "help": { "text": rule.instead },
                "defaultConfiguration": { "level": level(rule.severity) },
            }),
        );
    }
    let mut region = json!({ "snippet": { "text": f.matched } });
    if let (Some((l, c)), Some((el, ec))) = (at.start, at.end) {
        region["startLine"] = json!(l);
        region["startColumn"] = json!(c);
        region["endLine"] = json!(el);
        region["endColumn"] = json!(ec);
    }
    if let Some(r) = &at.input {
        region["byteOffset"] = json!(r.start);
        region["byteLength"] = json!(r.end - r.start);
    }
    let result = json!({
        "ruleId": f.rule,
        "level": level(f.severity),
        "message": { "text": f.message },
        "locations": [{
            "physicalLocation": {
                "artifactLocation": { "uri": sarif_uri(at.name) },
                "region": region,
            }
        }],
    });
    out.push(',');
    // JSON strings hold no raw line breaks: every one is the layout's, to indent.
    let pretty = serde_json::to_string_pretty(&result).expect("a JSON value prints");
    for line in pretty.split('\n') {
        out.push('\n');
        out.push_str(RESULT_INDENT);
        out.push_str(line);
    }
}

/// How deep a result sits in the log as [`SarifLog`] lays it out.
const RESULT_INDENT: &str = "        ";

/// A SARIF log written as its results come, so a run's results are never held whole: the
/// document's opening before the first result, and at the end the rules the results cite,
/// once each in id order. The text is what serde_json prints for the whole log (keys sorted,
/// so the results come before the tool and its rules).
#[derive(Default)]
pub struct SarifLog {
    started: bool,
    rules: BTreeMap<String, Value>,
}

impl SarifLog {
    /// Writes results rendered by [`sarif_result`], opening the log before the first.
    pub fn write(&mut self, out: &mut impl Write, results: &str) -> std::io::Result<()> {
        if results.is_empty() || std::mem::replace(&mut self.started, true) {
            return out.write_all(results.as_bytes());
        }
        let (opening, _, _) = Self::layout(&BTreeMap::new());
        out.write_all(opening.as_bytes())?;
        // The first result has no result before it to follow.
        let first = results.strip_prefix(',').unwrap_or(results);
        out.write_all(first.as_bytes())
    }

    /// Takes in the rules a draft's results cite.
    pub fn cite(&mut self, rules: BTreeMap<String, Value>) {
        for (id, rule) in rules {
            self.rules.entry(id).or_insert(rule);
        }
    }

    /// Writes the rest of the log: the end of its results, its tool and rules.
    pub fn finish(self, out: &mut impl Write) -> std::io::Result<()> {
        let (opening, indent, closing) = Self::layout(&self.rules);
        if self.started {
            writeln!(out, "\n{indent}{closing}")
        } else {
            writeln!(out, "{opening}{closing}")
        }
    }

    /// The log with no results, split where its results go: the text up to the opening
    /// bracket of the results, the indent of their line, and the text from the closing bracket.
    fn layout(rules: &BTreeMap<String, Value>) -> (String, String, String) {
        let log = json!({
            "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
            "version": "2.1.0",
            "runs": [{
                "tool": { "driver": {
                    "name": "redline",
                    "version": env!("CARGO_PKG_VERSION"),
                    "informationUri": "https://github.com/redline-dev/redline",
                    "rules": rules.values().collect::<Vec<_>>(),
                }},
                "columnKind": "unicodeCodePoints",
                "results": [],
            }],
        });
        let text = serde_json::to_string_pretty(&log).expect("a JSON value prints");
        let key = text.find("\"results\": []").expect("the log has results");
        let line = text[..key].rfind('\n').map_or(0, |n| n + 1);
        let bracket = key + "\"results\": [".len();
        (
            text[..bracket].to_string(),
            text[line..key].to_string(),
            text[bracket..].to_string(),
        )
    }
}

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// A draft's name as a SARIF URI reference: the path percent-encoded (spaces, `%`, `#` and
/// line breaks in file names are not URI characters), a mailbox message's `#N` kept as the
/// fragment that names it.
fn sarif_uri(name: &str) -> String {
    let (path, message) = match name.rsplit_once('#') {
        Some((path, n)) if !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) => {
            (path, Some(n))
        }
        _ => (name, None),
    };
    let mut uri = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            uri.push(char::from(b));
        } else {
            uri.push_str(&format!("%{b:02X}"));
        }
    }
    if let Some(n) = message {
        uri.push('#');
        uri.push_str(n);
    }
    uri
}
