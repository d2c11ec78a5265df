//! Findings located in the input they came from, and the JSON object every redline tool emits
//! for one: a line of `redline check --format json`, and an element of `findings` in the
//! answers of `redline serve`.
//!
//! Positions are resolved here, once: byte offsets and line/column in the input, and for
//! decoded message parts the part and the offsets into its decoded text.

mod json;

use std::borrow::Cow;
use std::ops::Range;
use std::sync::Arc;

use redline_rules::{Edit, Evidence, Finding, Rule, ScoreEvidence, Severity};
use redline_text::{Document, LineIndex, Unit};
use serde_json::value::RawValue;
use serde_json::{Value, json};

/// The raw bytes a draft was read from, for turning its input offsets into lines and columns.
#[derive(Clone, Copy)]
pub struct Raw<'a> {
    /// The bytes (a whole file, or one message of a mailbox).
    pub bytes: &'a [u8],
    /// Their offset in the input.
    pub base: usize,
    /// Lines of the input before them.
    pub base_line: usize,
}

impl Raw<'_> {
    /// 1-based line and character column of each input offset that lies in these bytes,
    /// resolved in one pass over them whatever the number of offsets.
    pub fn line_cols(&self, offsets: &[usize]) -> Vec<Option<(usize, usize)>> {
        self.line_cols_in(&LineIndex::of_bytes(self.bytes), offsets)
    }

    /// As [`Raw::line_cols`], with the bytes' line index already built.
    fn line_cols_in(&self, index: &LineIndex, offsets: &[usize]) -> Vec<Option<(usize, usize)>> {
        let relative = |o: usize| o.checked_sub(self.base).filter(|&r| r <= self.bytes.len());
        let inside: Vec<usize> = offsets.iter().filter_map(|&o| relative(o)).collect();
        let mut resolved = index
            .resolve(self.bytes, &inside, Unit::Chars)
            .into_iter()
            .map(|p| (self.base_line + p.line + 1, p.column + 1));
        offsets
            .iter()
            .map(|&o| relative(o).and_then(|_| resolved.next()))
            .collect()
    }
}

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
    /// A score or voice rule's evidence, its spans as offsets into the input.
    pub evidence: Option<EvidenceJson<'a>>,
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

/// Resolves where each of `findings`, found in `doc` (read from `raw`), lies in the input.
/// Positions are resolved a batch of findings at a time over one line index of the input, so
/// a draft with many findings costs time in proportion to its size, not to size × findings,
/// and holds the positions of one batch rather than of every finding: a draft with hundreds
/// of thousands of findings is located in little more memory than its line index.
pub fn locate_all<'a, F>(
    name: &'a str,
    doc: &'a Document,
    raw: &Raw<'a>,
    findings: &'a [Finding],
    rule: F,
) -> impl ExactSizeIterator<Item = Located<'a>> + 'a
where
    F: Fn(&str) -> Option<&'a Rule> + 'a,
{
    let index = Arc::new(LineIndex::of_bytes(raw.bytes));
    locate_all_over(name, doc, raw, index, findings, rule)
}

/// [`locate_all`] over `index`, the line index of `raw`'s bytes, which a caller may share:
/// human output indexes the same bytes when the draft is the file as written.
pub fn locate_all_over<'a, F>(
    name: &'a str,
    doc: &'a Document,
    raw: &Raw<'a>,
    index: Arc<LineIndex>,
    findings: &'a [Finding],
    rule: F,
) -> impl ExactSizeIterator<Item = Located<'a>> + 'a
where
    F: Fn(&str) -> Option<&'a Rule> + 'a,
{
    Locator {
        name,
        doc,
        raw: *raw,
        index,
        findings,
        rule,
        batch: Vec::new().into_iter(),
    }
}

/// Findings resolved per batch of this many: big enough that a batch's sort and line lookups
/// cost little per finding, small enough that its positions take a few hundred KiB at most.
const BATCH: usize = 4096;

/// The iterator behind [`locate_all`]: `findings` are those not yet batched.
struct Locator<'a, F> {
    name: &'a str,
    doc: &'a Document<'a>,
    raw: Raw<'a>,
    index: Arc<LineIndex>,
    findings: &'a [Finding],
    rule: F,
    batch: std::vec::IntoIter<Place<'a>>,
}

/// A finding of the current batch with its input span and resolved start and end.
type Place<'a> = (
    &'a Finding,
    Option<Range<usize>>,
    Option<(usize, usize)>,
    Option<(usize, usize)>,
);

impl<'a, F> Locator<'a, F> {
    /// Resolves the next batch of findings, if any are left.
    fn refill(&mut self) {
        let (now, later) = self.findings.split_at(BATCH.min(self.findings.len()));
        self.findings = later;
        let inputs: Vec<Option<Range<usize>>> = now
            .iter()
            .map(|f| self.doc.input_span(f.span.clone()))
            .collect();
        let offsets: Vec<usize> = inputs
            .iter()
            .flatten()
            .flat_map(|r| [r.start, r.end])
            .collect();
        let mut places = self.raw.line_cols_in(&self.index, &offsets).into_iter();
        let batch: Vec<Place<'a>> = now
            .iter()
            .zip(inputs)
            .map(|(finding, input)| match input {
                Some(_) => {
                    let start = places.next().flatten();
                    (finding, input, start, places.next().flatten())
                }
                None => (finding, None, None, None),
            })
            .collect();
        self.batch = batch.into_iter();
    }
}

impl<'a, F> Iterator for Locator<'a, F>
where
    F: Fn(&str) -> Option<&'a Rule>,
{
    type Item = Located<'a>;

    fn next(&mut self) -> Option<Located<'a>> {
        if self.batch.len() == 0 {
            self.refill();
        }
        let (finding, input, start, end) = self.batch.next()?;
        Some(locate(
            self.name,
            self.doc,
            finding,
            (self.rule)(&finding.rule),
            input,
            start,
            end,
        ))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let left = self.batch.len() + self.findings.len();
        (left, Some(left))
    }
}

impl<'a, F> ExactSizeIterator for Locator<'a, F> where F: Fn(&str) -> Option<&'a Rule> {}

fn locate<'a>(
    name: &'a str,
    doc: &Document,
    finding: &'a Finding,
    rule: Option<&'a Rule>,
    input: Option<Range<usize>>,
    start: Option<(usize, usize)>,
    end: Option<(usize, usize)>,
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
        finding.fix.as_deref().cloned()
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
            Evidence::Score(score) => EvidenceJson::Score(evidence_json(score, doc)),
            Evidence::Voice(v) => EvidenceJson::Voice(v),
        }),
    }
}

/// A score or voice rule's evidence as JSON, written straight from the finding's evidence
/// (score evidence builds no JSON tree: a tree cost a few hundred allocations per scored draft).
#[derive(Debug, Clone)]
pub enum EvidenceJson<'a> {
    /// A score rule's, each contribution's place as input byte offsets.
    Score(ScoreJson<'a>),
    /// A voice profile comparison's, as the profile gives it.
    Voice(&'a Value),
}

/// A score rule's evidence (fields in alphabetical order, as they have always been printed).
#[derive(Debug, Clone)]
pub struct ScoreJson<'a> {
    /// The largest contributions, largest first.
    pub contributions: Vec<ContributionJson<'a>>,
    /// The model's log-odds before any feature.
    pub intercept: f64,
    /// The sum of the contributions not listed.
    pub others: f64,
    /// The probability that the draft is AI-drafted.
    pub probability: f64,
    /// The probability from what no other finding reports.
    pub unreported_probability: f64,
}

/// One feature's contribution to a score.
#[derive(Debug, Clone)]
pub struct ContributionJson<'a> {
    /// What it added to the log-odds.
    pub contribution: f64,
    /// Input byte offset of the end of where it shows first.
    pub end: Option<usize>,
    /// The feature.
    pub feature: &'a str,
    /// For `redline serve` requests sent as fields: the field the offsets refer to (left out
    /// when `None`).
    pub field: Option<&'static str>,
    /// Whether another finding already reports it.
    pub reported: bool,
    /// Input byte offset of the start of where it shows first.
    pub start: Option<usize>,
    /// The text there, for phrases and patterns.
    pub text: Option<&'a str>,
    /// Occurrences or a measure's figure.
    pub value: f64,
    /// The feature's weight in the rule.
    pub weight: f64,
}

/// Score evidence for machine output: each contribution's place as input byte offsets.
fn evidence_json<'a>(e: &'a ScoreEvidence, doc: &Document) -> ScoreJson<'a> {
    ScoreJson {
        contributions: e
            .contributions
            .iter()
            .map(|c| {
                let at = c.span.clone().and_then(|s| doc.input_span(s));
                ContributionJson {
                    contribution: c.contribution,
                    end: at.as_ref().map(|r| r.end),
                    feature: &c.feature,
                    field: None,
                    reported: c.reported,
                    start: at.as_ref().map(|r| r.start),
                    text: c.text.as_deref(),
                    value: c.value,
                    weight: c.weight,
                }
            })
            .collect(),
        intercept: e.intercept,
        others: e.others,
        probability: e.probability,
        unreported_probability: e.unreported_probability,
    }
}

/// The JSON object for one finding: where (byte offsets into the input as read, 1-based line
/// and character column; for decoded message parts also the part and offsets into its decoded
/// text), what, why, and the fix. It borrows from the finding and its rule and serializes
/// straight to text ([`FindingJson::write_to`]); fields are in alphabetical order, as they have
/// always been printed, and those that are `None` are `null` unless said to be left out.
#[derive(Debug)]
pub struct FindingJson<'a> {
    /// 1-based character column of `start`.
    pub column: Option<usize>,
    /// Byte offset of the end of the match in the input.
    pub end: Option<usize>,
    /// 1-based character column of `end`.
    pub end_column: Option<usize>,
    /// 1-based line of `end`.
    pub end_line: Option<usize>,
    /// A score or voice rule's evidence (left out when `None`).
    pub evidence: Option<Cow<'a, EvidenceJson<'a>>>,
    /// For `redline serve` requests sent as fields: the field the offsets refer to (left out
    /// when `None`).
    pub field: Option<&'static str>,
    /// The fix as an edit of the input bytes.
    pub fix: Option<FixJson<'a>>,
    /// What to write instead (a JSON string, escaped once per rule).
    pub instead: Option<&'a RawValue>,
    /// 1-based line of `start`.
    pub line: Option<usize>,
    /// The matched text (decoded, for a message part or HTML), as `match`.
    pub matched: &'a str,
    /// The finding's message.
    pub message: &'a str,
    /// For decoded input, where in which part (left out when `None`).
    pub part: Option<PartJson<'a>>,
    /// How output names the draft.
    pub path: &'a str,
    /// The rule id.
    pub rule: &'a str,
    /// The finding's severity.
    pub severity: Severity,
    /// Byte offset of the start of the match in the input.
    pub start: Option<usize>,
    /// Suggested rewrites.
    pub suggestions: &'a [String],
    /// Why it hurts (a JSON string, escaped once per rule).
    pub why: Option<&'a RawValue>,
}

/// A fix: replace input bytes `start..end` with `replacement`.
#[derive(Debug)]
pub struct FixJson<'a> {
    /// End of the replaced bytes.
    pub end: usize,
    /// The new text.
    pub replacement: &'a str,
    /// Start of the replaced bytes.
    pub start: usize,
}

/// A match's place in a decoded message part, as JSON.
#[derive(Debug)]
pub struct PartJson<'a> {
    /// Transfer encoding.
    pub encoding: &'static str,
    /// End offset in the part's decoded text.
    pub end: usize,
    /// Whether the input offsets are the match byte for byte.
    pub exact: bool,
    /// MIME part number.
    pub id: usize,
    /// Start offset in the part's decoded text.
    pub start: usize,
    /// Media type, or `subject`, as `type`.
    pub content_type: &'a str,
}

impl FindingJson<'_> {
    /// Appends the object's JSON text to `out`.
    pub fn write_to(&self, out: &mut Vec<u8>) {
        let mut o = json::Object::new(out);
        json::opt_number(o.key(json::key!("column")), self.column);
        json::opt_number(o.key(json::key!("end")), self.end);
        json::opt_number(o.key(json::key!("end_column")), self.end_column);
        json::opt_number(o.key(json::key!("end_line")), self.end_line);
        if let Some(evidence) = &self.evidence {
            evidence.write_to(o.key(json::key!("evidence")));
        }
        if let Some(field) = self.field {
            json::string(o.key(json::key!("field")), field);
        }
        match &self.fix {
            Some(fix) => {
                let mut f = json::Object::new(o.key(json::key!("fix")));
                json::number(f.key(json::key!("end")), fix.end);
                json::string(f.key(json::key!("replacement")), fix.replacement);
                json::number(f.key(json::key!("start")), fix.start);
                f.end();
            }
            None => json::opt_raw(o.key(json::key!("fix")), None),
        }
        json::opt_raw(
            o.key(json::key!("instead")),
            self.instead.map(RawValue::get),
        );
        json::opt_number(o.key(json::key!("line")), self.line);
        json::string(o.key(json::key!("match")), self.matched);
        json::string(o.key(json::key!("message")), self.message);
        if let Some(part) = &self.part {
            let mut p = json::Object::new(o.key(json::key!("part")));
            json::string(p.key(json::key!("encoding")), part.encoding);
            json::number(p.key(json::key!("end")), part.end);
            json::boolean(p.key(json::key!("exact")), part.exact);
            json::number(p.key(json::key!("id")), part.id);
            json::number(p.key(json::key!("start")), part.start);
            json::string(p.key(json::key!("type")), part.content_type);
            p.end();
        }
        json::string(o.key(json::key!("path")), self.path);
        json::string(o.key(json::key!("rule")), self.rule);
        json::string(o.key(json::key!("severity")), self.severity.as_str());
        json::opt_number(o.key(json::key!("start")), self.start);
        json::array(
            o.key(json::key!("suggestions")),
            self.suggestions,
            |out, s| {
                json::string(out, s);
            },
        );
        json::opt_raw(o.key(json::key!("why")), self.why.map(RawValue::get));
        o.end();
    }

    /// Appends a JSON array of `objects` to `out`.
    pub fn write_all(objects: &[FindingJson], out: &mut Vec<u8>) {
        json::array(out, objects, |out, object| object.write_to(out));
    }
}

impl EvidenceJson<'_> {
    fn write_to(&self, out: &mut Vec<u8>) {
        let score = match self {
            EvidenceJson::Score(score) => score,
            EvidenceJson::Voice(value) => return json::serde(out, value),
        };
        let mut o = json::Object::new(out);
        json::array(
            o.key(json::key!("contributions")),
            &score.contributions,
            |out, c| {
                let mut k = json::Object::new(out);
                json::serde(k.key(json::key!("contribution")), &c.contribution);
                json::opt_number(k.key(json::key!("end")), c.end);
                json::string(k.key(json::key!("feature")), c.feature);
                if let Some(field) = c.field {
                    json::string(k.key(json::key!("field")), field);
                }
                json::boolean(k.key(json::key!("reported")), c.reported);
                json::opt_number(k.key(json::key!("start")), c.start);
                json::opt_string(k.key(json::key!("text")), c.text);
                json::serde(k.key(json::key!("value")), &c.value);
                json::serde(k.key(json::key!("weight")), &c.weight);
                k.end();
            },
        );
        json::serde(o.key(json::key!("intercept")), &score.intercept);
        json::serde(o.key(json::key!("others")), &score.others);
        json::serde(o.key(json::key!("probability")), &score.probability);
        json::serde(
            o.key(json::key!("unreported_probability")),
            &score.unreported_probability,
        );
        o.end();
    }
}

/// The JSON object for `at`.
pub fn to_json<'a>(at: &'a Located) -> FindingJson<'a> {
    let f = at.finding;
    FindingJson {
        column: at.start.map(|p| p.1),
        end: at.input.as_ref().map(|r| r.end),
        end_column: at.end.map(|p| p.1),
        end_line: at.end.map(|p| p.0),
        evidence: at.evidence.as_ref().map(Cow::Borrowed),
        field: None,
        fix: at.fix.as_ref().map(|e| FixJson {
            end: e.span.end,
            replacement: &e.replacement,
            start: e.span.start,
        }),
        instead: at.rule.map(|r| &*r.json_texts().instead),
        line: at.start.map(|p| p.0),
        matched: &f.matched,
        message: &f.message,
        part: at.part.as_ref().map(|p| PartJson {
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
        why: at.rule.map(|r| &*r.json_texts().why),
    }
}

/// A rule as configured, as JSON: its id, pack, kind, severity (`effective`, or its own when it
/// is off), whether it runs, scopes, message, why and instead. One definition for `redline
/// rules --format json` and `GET /v1/rules`.
pub fn rule_json(rule: &Rule, effective: Option<Severity>) -> Value {
    json!({
        "rule": rule.id,
        "pack": rule.pack,
        "kind": rule.kind.name(),
        "severity": effective.unwrap_or(rule.severity),
        "enabled": effective.is_some(),
        "scope": rule.scopes.iter().map(|s| s.as_str()).collect::<Vec<_>>(),
        "message": rule.message,
        "why": rule.why,
        "instead": rule.instead,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use redline_email::Linter;
    use redline_text::{InputKind, read_draft};

    #[test]
    fn positions_count_lines_before_a_mailbox_message() {
        let bytes = "From: a\né x\n".as_bytes();
        let raw = Raw {
            bytes,
            base: 100,
            base_line: 7,
        };
        let x = bytes.iter().position(|&b| b == b'x').unwrap();
        let places = raw.line_cols(&[100 + x, 100 + x + 1, 99]);
        assert_eq!(
            places[..2],
            [Some((9, 3)), Some((9, 4))],
            "columns count characters"
        );
        assert_eq!(places[2], None, "an offset before the message");
    }

    #[test]
    fn plain_text_offsets_lines_and_columns_are_the_inputs() {
        let text = "Hi Sam,\n\nÉtienne here. I wanted to reach out about your hiring.\n";
        let linter = Linter::builder().build().unwrap();
        let draft = read_draft(InputKind::Plain, text.as_bytes(), 0);
        let findings = linter.check_document(&draft.doc);
        let f = findings
            .iter()
            .find(|f| f.rule == "corporate-ai.wanted-to-reach-out")
            .expect("the phrase is found");
        let raw = Raw {
            bytes: text.as_bytes(),
            base: 0,
            base_line: 0,
        };
        let located = locate_all("d.txt", &draft.doc, &raw, &findings, |id| linter.rule(id))
            .find(|l| l.finding.rule == f.rule)
            .expect("located");
        let mut written = Vec::new();
        to_json(&located).write_to(&mut written);
        let v: Value = serde_json::from_slice(&written).unwrap();
        let start = text.find("I wanted").unwrap();
        assert_eq!(v["start"], start);
        assert_eq!(v["end"], start + "I wanted to reach out".len());
        assert_eq!(v["match"], "I wanted to reach out");
        assert_eq!(
            (v["line"].clone(), v["column"].clone()),
            (3.into(), 15.into())
        );
        assert_eq!(v["path"], "d.txt");
        assert!(v.get("part").is_none());
        assert!(v["why"].as_str().is_some_and(|w| !w.is_empty()));
    }
}
