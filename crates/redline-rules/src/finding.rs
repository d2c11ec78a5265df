//! What a check reports.

use std::ops::Range;
use std::sync::Arc;

use serde::Serialize;

use crate::Severity;

/// The most findings one answer to an editor or a sending tool holds for a draft: the language
/// server's diagnostics and `redline serve`'s `findings`. A megabyte of one cliché repeated is
/// tens of thousands of findings, tens of megabytes of JSON that cost the server and the client
/// memory and nobody reads; past this many, both say how many were left out (and their verdict
/// still counts every finding). `redline check` lists them all.
pub const MAX_FINDINGS_PER_ANSWER: usize = 1000;

/// A rule firing on a span of the input.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    /// The rule's id, shared with the rule's other findings.
    pub rule: RuleId,
    /// The rule's severity, after configuration.
    pub severity: Severity,
    /// The rule's message with the match and figures filled in (shared with the draft's other
    /// findings of the rule on the same text).
    pub message: SharedStr,
    /// Byte offsets into the checked document's text: the input itself for a plain UTF-8
    /// draft, else the decoded text (`Document::input_span` leads back to the input's bytes).
    pub span: Range<usize>,
    /// The document's text at `span` (shared as `message` is).
    pub matched: SharedStr,
    /// Alternatives to offer the writer, shared with the rule's other findings.
    pub suggestions: Arc<[String]>,
    /// A mechanical fix, where the rule has one (boxed: most findings have none, and a
    /// draft may hold hundreds of thousands of findings).
    pub fix: Option<Box<Edit>>,
    /// The figures behind a finding about the whole draft, for reports and hovers.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub evidence: Option<Evidence>,
}

/// A finding's rule id, such as `corporate-ai.wanted-to-reach-out`: one string shared by every
/// finding of the rule.
pub type RuleId = SharedStr;

/// A string shared by the findings that hold it (a clone only counts a reference), compared,
/// printed and serialized as the string it is: rule ids, and the messages and matched text a
/// draft repeats. A 16 MB draft with 160,000 findings of a few hundred distinct phrases holds
/// each phrase's text once.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct SharedStr(Arc<str>);

impl SharedStr {
    /// The string.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl From<&str> for SharedStr {
    fn from(text: &str) -> Self {
        SharedStr(text.into())
    }
}

impl From<String> for SharedStr {
    fn from(text: String) -> Self {
        SharedStr(text.into())
    }
}

impl std::ops::Deref for SharedStr {
    type Target = str;

    fn deref(&self) -> &str {
        &self.0
    }
}

impl std::borrow::Borrow<str> for SharedStr {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for SharedStr {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl PartialEq<str> for SharedStr {
    fn eq(&self, other: &str) -> bool {
        *self.0 == *other
    }
}

impl PartialEq<&str> for SharedStr {
    fn eq(&self, other: &&str) -> bool {
        *self.0 == **other
    }
}

impl PartialEq<String> for SharedStr {
    fn eq(&self, other: &String) -> bool {
        *self.0 == **other
    }
}

/// The figures behind a finding about the whole draft.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Evidence {
    /// A score rule's probability and the features that made it.
    Score(Box<ScoreEvidence>),
    /// A voice finding's distance and each habit's contribution, as `redline-voice` reports
    /// them.
    Voice(Box<serde_json::Value>),
}

impl Evidence {
    /// The score evidence, if this is a score rule's.
    pub fn score(&self) -> Option<&ScoreEvidence> {
        match self {
            Evidence::Score(e) => Some(e),
            Evidence::Voice(_) => None,
        }
    }
}

/// Why a score rule scored a draft as it did.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScoreEvidence {
    /// The probability that the draft is AI-drafted.
    pub probability: f64,
    /// The probability from what no other finding reports; only this can make an error, so
    /// phrases that are findings of their own are not counted twice.
    pub unreported_probability: f64,
    /// The model's log-odds before any feature.
    pub intercept: f64,
    /// The largest contributions, largest first.
    pub contributions: Vec<Contribution>,
    /// The sum of the contributions not listed.
    pub others: f64,
}

impl ScoreEvidence {
    /// One line per contribution, largest first, for people: `+1.24  “seamless” ×2`,
    /// `-0.80  sentence_length_spread (sentence-length variety) = 0.21`; then the rest summed.
    pub fn lines(&self) -> Vec<String> {
        let mut out: Vec<String> = self
            .contributions
            .iter()
            .map(|c| {
                let what = match &c.text {
                    Some(_) => format!("{} ×{}", c.feature, c.value),
                    None => format!("{} = {:.2}", c.feature, c.value),
                };
                let also = if c.reported {
                    " (also its own finding)"
                } else {
                    ""
                };
                format!("{:+.2}  {what}{also}", c.contribution)
            })
            .collect();
        if self.others != 0.0 {
            out.push(format!("{:+.2}  all other features", self.others));
        }
        out
    }
}

/// One feature's part in a score.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Contribution {
    /// The feature: a quoted phrase, a pattern, or a measure and what it measures.
    pub feature: String,
    /// Occurrences of a phrase or pattern, or a measure's figure.
    pub value: f64,
    /// The feature's weight in the rule.
    pub weight: f64,
    /// What it added to the log-odds.
    pub contribution: f64,
    /// Where it shows first: byte offsets, like the finding's span.
    pub span: Option<Range<usize>>,
    /// The text there, for phrases and patterns.
    pub text: Option<String>,
    /// Whether another finding already reports it.
    pub reported: bool,
}

/// A text edit: replace the bytes at `span` with `replacement`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Edit {
    /// Byte offsets into the checked document's text, as [`Finding::span`].
    pub span: Range<usize>,
    /// The new text (empty to delete).
    pub replacement: String,
}
