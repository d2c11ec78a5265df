//! Formats for tools: JSON Lines, SARIF 2.1.0, GitHub Actions workflow commands.

use std::fmt::Write;

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

fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// A SARIF result, and its rule's description.
pub fn sarif_result(at: &Located) -> (Value, Option<Value>) {
    let f = at.finding;
    let rule = at.rule.map(|rule| {
        json!({
            "id": rule.id,
            "shortDescription": { "text": rule.message.replace("{match}", "…") },
            "fullDescription": { "text": rule.why },
            "help": { "text": rule.instead },
            "defaultConfiguration": { "level": level(rule.severity) },
        })
    });
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
                "artifactLocation": { "uri": at.name },
                "region": region,
            }
        }],
    });
    (result, rule)
}

/// The SARIF log for all results, rules listed once each in id order.
pub fn sarif_log(results: Vec<(Value, Option<Value>)>) -> Value {
    let mut rules = std::collections::BTreeMap::new();
    let mut out = Vec::with_capacity(results.len());
    for (result, rule) in results {
        if let Some(rule) = rule {
            let id = rule["id"].as_str().unwrap_or_default().to_string();
            rules.entry(id).or_insert(rule);
        }
        out.push(result);
    }
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "redline",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": "https://github.com/redline-dev/redline",
                "rules": rules.into_values().collect::<Vec<_>>(),
            }},
            "columnKind": "unicodeCodePoints",
            "results": out,
        }],
    })
}

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}
