//! `POST /v1/check`: what a request asks to check, and the answer.
//!
//! A draft arrives as JSON (`text`, or `subject` and `body`), as a `message/rfc822` message, or
//! as `text/plain`. Findings are the objects `redline check --format json` prints
//! ([`redline_report::to_json`]), so offsets are byte offsets into what was sent: into `text`,
//! into the message's bytes, or, for `subject`/`body`, into the field named by `field`.
//! An answer lists at most [`MAX_FINDINGS_PER_ANSWER`] findings (`truncated` says when more
//! were left out, `findings_total` how many there were); `pass` counts them all. A draft with
//! text redline could not read (`unread`) never passes: what was not read was not checked.

use std::io::Write as _;
use std::ops::Range;

use redline_report::{EvidenceJson, FindingJson, Raw, locate_all, to_json};
use redline_rules::{FailOn, MAX_FINDINGS_PER_ANSWER, RuleId, Severity};
use redline_text::{InputKind, read_draft};
use redline_voice::Profile;
use serde::Deserialize;

use crate::rules::Rules;

/// The JSON body of `POST /v1/check`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CheckRequest {
    /// The draft; a leading `Subject:` line is the subject.
    text: Option<String>,
    /// The subject line, when the draft comes as fields.
    subject: Option<String>,
    /// The body, when the draft comes as fields.
    body: Option<String>,
    /// What `text` is.
    #[serde(default)]
    kind: Kind,
    /// The lowest severity that fails the check.
    fail_on: Option<FailOn>,
    /// How findings name the draft (their `path`), e.g. the sequencer's draft id.
    name: Option<String>,
    /// The writer's voice profile to compare the draft with, by name (`--voices`).
    voice: Option<String>,
}

/// What `text` holds.
#[derive(Debug, Default, Clone, Copy, Deserialize)]
#[serde(rename_all = "lowercase")]
enum Kind {
    /// A plain-text or Markdown draft.
    #[default]
    Text,
    /// An HTML body.
    Html,
    /// A whole RFC 5322 / MIME message.
    Eml,
}

/// A draft ready to check: the bytes offsets refer to, and how to read them.
pub struct Input {
    bytes: Vec<u8>,
    kind: InputKind,
    fields: Option<Fields>,
    fail_on: Option<FailOn>,
    name: String,
    voice: Option<String>,
}

/// Where the subject and body fields sit in the text checked for them
/// (`Subject: {subject}\n\n{body}`).
struct Fields {
    subject: Range<usize>,
    body: Range<usize>,
}

/// How findings name a draft that came without a `name`.
const UNNAMED: &str = "<request>";

impl CheckRequest {
    /// The draft this request asks to check, or why it cannot be checked (a 400).
    pub fn into_input(self, fail_on: Option<FailOn>) -> Result<Input, String> {
        let fail_on = self.fail_on.or(fail_on);
        let name = self.name.unwrap_or_else(|| UNNAMED.to_string());
        let fielded = self.subject.is_some() || self.body.is_some();
        match (self.text, fielded) {
            (Some(_), true) => Err("give either `text`, or `subject` and `body`, not both".into()),
            (None, false) => {
                Err("nothing to check: give `text` (the draft), or `subject` and `body`".into())
            }
            (Some(text), false) => Ok(Input {
                bytes: text.into_bytes(),
                kind: match self.kind {
                    Kind::Text => InputKind::Plain,
                    Kind::Html => InputKind::Html,
                    Kind::Eml => InputKind::Message,
                },
                fields: None,
                fail_on,
                name,
                voice: self.voice,
            }),
            (None, true) => {
                if !matches!(self.kind, Kind::Text) {
                    return Err(
                        "`kind` applies to `text`; send an HTML or MIME draft whole as `text`"
                            .into(),
                    );
                }
                let subject = self.subject.unwrap_or_default();
                if subject.contains(['\r', '\n']) {
                    return Err("`subject` must be one line".into());
                }
                let body = self.body.unwrap_or_default();
                let (text, fields) = if subject.is_empty() {
                    (body, None)
                } else {
                    let text = format!("Subject: {subject}\n\n{body}");
                    let subject_start = "Subject: ".len();
                    let body_start = subject_start + subject.len() + 2;
                    let fields = Fields {
                        subject: subject_start..subject_start + subject.len(),
                        body: body_start..text.len(),
                    };
                    (text, Some(fields))
                };
                let fields = fields.or(Some(Fields {
                    subject: 0..0,
                    body: 0..text.len(),
                }));
                Ok(Input {
                    bytes: text.into_bytes(),
                    kind: InputKind::Plain,
                    fields,
                    fail_on,
                    name,
                    voice: self.voice,
                })
            }
        }
    }
}

impl Input {
    /// A draft sent as raw bytes: a `message/rfc822` message or a `text/plain` draft.
    pub fn raw(bytes: Vec<u8>, message: bool, fail_on: Option<FailOn>) -> Self {
        Input {
            bytes,
            kind: if message {
                InputKind::Message
            } else {
                InputKind::Plain
            },
            fields: None,
            fail_on,
            name: UNNAMED.to_string(),
            voice: None,
        }
    }

    /// The voice profile the request names, if any.
    pub fn voice(&self) -> Option<&str> {
        self.voice.as_deref()
    }

    /// The size of the draft in bytes.
    pub fn size(&self) -> usize {
        self.bytes.len()
    }
}

/// What checking one draft gave.
pub struct Outcome {
    /// The response body (JSON).
    pub body: Vec<u8>,
    /// Whether nothing was at or above the fail-on level.
    pub pass: bool,
    /// Each finding's rule and severity, for the metrics.
    pub findings: Vec<(RuleId, Severity)>,
}

/// Checks a draft with `rules`, comparing it with `voice` when the request named a profile.
pub fn check(rules: &Rules, input: &Input, voice: Option<&Profile>) -> Outcome {
    let draft = read_draft(input.kind, &input.bytes, 0);
    let linter = &rules.linter;
    let checked = match voice {
        Some(profile) => linter.check_scored_with_voice(&draft.doc, Some(profile)),
        None => linter.check_scored(&draft.doc),
    };
    let findings = checked.findings;
    let fail_on = input.fail_on.unwrap_or(rules.fail_on);
    // Text redline could not read (a message with only an attachment, a charset that decodes
    // to nothing) was not checked, so the gate cannot pass it: `check` exits 2 for the same.
    let pass = !draft.unread && !findings.iter().any(|f| fail_on.blocks(f.severity));
    let raw = Raw {
        bytes: &input.bytes,
        base: 0,
        base_line: 0,
    };
    // The verdict above counts every finding; the answer lists the first ones only.
    let listed = &findings[..findings.len().min(MAX_FINDINGS_PER_ANSWER)];
    let located: Vec<_> =
        locate_all(&input.name, &draft.doc, &raw, listed, |id| linter.rule(id)).collect();
    let mut objects: Vec<FindingJson> = located.iter().map(to_json).collect();
    if let Some(fields) = &input.fields {
        fields.relocate(&input.bytes, &mut objects);
    }
    // Written into room for the usual size of a finding, rather than grown from nothing. The
    // answer's fields are in alphabetical order, like every JSON object here.
    let mut body = Vec::with_capacity(256 + 1024 * objects.len());
    body.extend_from_slice(b"{\"fail_on\":\"");
    body.extend_from_slice(fail_on_name(fail_on).as_bytes());
    body.extend_from_slice(b"\",\"findings\":");
    FindingJson::write_all(&objects, &mut body);
    write!(body, ",\"findings_total\":{}", findings.len()).expect("writes to memory");
    body.extend_from_slice(b",\"notes\":");
    let mut notes = draft.notes.clone();
    notes.extend(linter.marker_notes(&draft.doc));
    serde_json::to_writer(&mut body, &notes).expect("notes are strings");
    body.extend_from_slice(if pass {
        b",\"pass\":true"
    } else {
        b",\"pass\":false"
    });
    body.extend_from_slice(b",\"scores\":");
    serde_json::to_writer(&mut body, &checked.scores).expect("scores are numbers and strings");
    body.extend_from_slice(if listed.len() < findings.len() {
        b",\"truncated\":true"
    } else {
        b",\"truncated\":false"
    });
    body.extend_from_slice(if draft.unread {
        b",\"unread\":true}"
    } else {
        b",\"unread\":false}"
    });
    Outcome {
        body,
        pass,
        findings: findings
            .iter()
            .map(|f| (f.rule.clone(), f.severity))
            .collect(),
    }
}

impl Fields {
    /// Makes each finding's offsets, lines and columns, fix and evidence relative to the field
    /// it lies in, and names the field. Lines and columns are resolved in one pass per field.
    fn relocate(&self, bytes: &[u8], objects: &mut [FindingJson]) {
        let fields = [("subject", &self.subject), ("body", &self.body)];
        let field_of = |o: usize| usize::from(o >= self.body.start);
        let mut offsets: [Vec<usize>; 2] = Default::default();
        let mut spans = Vec::with_capacity(objects.len());
        for object in objects.iter() {
            let span = object.start.zip(object.end).map(|(s, e)| {
                let which = field_of(s);
                let range = fields[which].1;
                let clamp = |o: usize| o.clamp(range.start, range.end);
                (which, clamp(s), clamp(e))
            });
            if let Some((which, s, e)) = span {
                offsets[which].extend([s, e]);
            }
            spans.push(span);
        }
        let mut places = [0, 1].map(|which| {
            let range = fields[which].1;
            let raw = Raw {
                bytes: &bytes[range.clone()],
                base: range.start,
                base_line: 0,
            };
            raw.line_cols(&offsets[which]).into_iter()
        });
        for (object, span) in objects.iter_mut().zip(spans) {
            let Some((which, start, end)) = span else {
                continue;
            };
            let (name, range) = fields[which];
            let (line, column) = places[which].next().flatten().unwrap_or((1, 1));
            let (end_line, end_column) = places[which].next().flatten().unwrap_or((line, column));
            object.field = Some(name);
            object.start = Some(start - range.start);
            object.end = Some(end - range.start);
            object.line = Some(line);
            object.column = Some(column);
            object.end_line = Some(end_line);
            object.end_column = Some(end_column);
            object.fix = object.fix.take().and_then(|mut fix| {
                let inside = range.start <= fix.start && fix.end <= range.end;
                inside.then(|| {
                    fix.start -= range.start;
                    fix.end -= range.start;
                    fix
                })
            });
            if let Some(evidence) = &mut object.evidence {
                self.relocate_evidence(evidence.to_mut());
            }
        }
    }

    /// Score evidence's contributions carry input offsets too: each becomes relative to its
    /// field and names it.
    fn relocate_evidence(&self, evidence: &mut EvidenceJson) {
        let EvidenceJson::Score(score) = evidence else {
            return;
        };
        for c in &mut score.contributions {
            let (Some(s), Some(e)) = (c.start, c.end) else {
                continue;
            };
            let (name, range) = if s < self.body.start {
                ("subject", &self.subject)
            } else {
                ("body", &self.body)
            };
            let clamp = |o: usize| o.clamp(range.start, range.end) - range.start;
            c.field = Some(name);
            c.start = Some(clamp(s));
            c.end = Some(clamp(e));
        }
    }
}

/// The fail-on level as requests and config files write it.
pub fn fail_on_name(f: FailOn) -> &'static str {
    match f {
        FailOn::Error => "error",
        FailOn::Warning => "warning",
        FailOn::Info => "info",
        FailOn::Never => "never",
    }
}

/// Parses a fail-on level as requests write it.
pub fn parse_fail_on(s: &str) -> Option<FailOn> {
    [FailOn::Error, FailOn::Warning, FailOn::Info, FailOn::Never]
        .into_iter()
        .find(|&f| fail_on_name(f) == s)
}
