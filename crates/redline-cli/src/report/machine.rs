//! Formats for tools: JSON Lines, SARIF 2.1.0, GitHub Actions workflow commands.

use std::fmt::Write;

use redline_rules::Severity;
use serde::Serialize;
use serde_json::{Value, json};

use super::Located;

/// One JSON object per finding: where (byte offsets into the input as read, 1-based line and
/// character column; for decoded message parts also the part and offsets into its decoded
/// text), what, why, and the fix.
///
/// Written straight from borrowed fields, with no JSON tree built per finding; keys come in
/// name order, as every redline JSON object has them.
pub fn json_line(at: &Located, out: &mut String) {
    let f = at.finding;
    let line = JsonLine {
        column: at.start.map(|p| p.1),
        end: at.input.as_ref().map(|r| r.end),
        end_column: at.end.map(|p| p.1),
        end_line: at.end.map(|p| p.0),
        evidence: at.evidence.as_ref(),
        fix: at.fix.as_ref().map(|e| JsonFix {
            end: e.span.end,
            replacement: &e.replacement,
            start: e.span.start,
        }),
        instead: at.rule.map(|r| r.instead.as_str()),
        line: at.start.map(|p| p.0),
        matched: &f.matched,
        message: &f.message,
        part: at.part.as_ref().map(|p| JsonPart {
            encoding: p.encoding,
            end: p.decoded.end,
            exact: p.exact,
            id: p.id,
            start: p.decoded.start,
            content_type: &p.content_type,
        }),
        path: at.name,
        rule: &f.rule,
        severity: f.severity,
        start: at.input.as_ref().map(|r| r.start),
        suggestions: &f.suggestions,
        why: at.rule.map(|r| r.why.as_str()),
    };
    // Serialising borrowed strings and numbers into memory cannot fail.
    let mut bytes = Vec::with_capacity(1024);
    serde_json::to_writer(&mut bytes, &line).expect("serialising to memory");
    out.push_str(std::str::from_utf8(&bytes).expect("serde_json writes UTF-8"));
    out.push('\n');
}

/// One finding as a JSON line; fields in name order.
#[derive(Serialize)]
struct JsonLine<'a> {
    column: Option<usize>,
    end: Option<usize>,
    end_column: Option<usize>,
    end_line: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    evidence: Option<&'a Value>,
    fix: Option<JsonFix<'a>>,
    instead: Option<&'a str>,
    line: Option<usize>,
    #[serde(rename = "match")]
    matched: &'a str,
    message: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    part: Option<JsonPart<'a>>,
    path: &'a str,
    rule: &'a str,
    severity: Severity,
    start: Option<usize>,
    suggestions: &'a [String],
    why: Option<&'a str>,
}

#[derive(Serialize)]
struct JsonFix<'a> {
    end: usize,
    replacement: &'a str,
    start: usize,
}

#[derive(Serialize)]
struct JsonPart<'a> {
    encoding: &'a str,
    end: usize,
    exact: bool,
    id: usize,
    start: usize,
    #[serde(rename = "type")]
    content_type: &'a str,
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
