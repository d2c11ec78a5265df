//! The rule-pack format every redline check is declared in.
//!
//! Rules are data: TOML files under `rules/<pack>/`, one format for phrase, pattern, structure
//! and metric rules (see `rules/README.md` for the author's view). This crate loads them
//! strictly — every problem is a [`LoadError`] naming file, line and column — and holds the
//! types the rest of redline shares: [`Rule`], [`Severity`], [`Scope`], [`Finding`], and the
//! user's [`Settings`] from `.redline.toml`.

mod config;
mod error;
mod finding;
mod hir_code;
mod load;
mod pattern;
mod phrase_syntax;
mod raw;
mod schema;
mod snapshot;
pub mod threshold;

pub use config::{
    CONFIG_FILE_NAME, ConfigFile, FailOn, Setting, Settings, discover_config, user_config_path,
};
pub use error::{LoadError, LoadErrors, Location};
pub use finding::{
    Contribution, Edit, Evidence, Finding, MAX_FINDINGS_PER_ANSWER, RuleId, ScoreEvidence,
    SharedStr,
};
pub use load::{PackInfo, PackSource, RuleSet, is_kebab};
pub use pattern::Pattern;
pub use phrase_syntax::{MAX_VARIANTS, expand_phrase};
pub use raw::{Examples, Fix, Measure, MeasureWeight, Scope, Severity, VoiceMeasure};
pub use schema::{config_schema, rule_file_schema};
use std::borrow::Cow;
use std::fmt::{self, Write as _};
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

/// A validated rule, ready for an engine to compile.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Rule {
    /// Unique id, `<pack>.<name>`.
    pub id: String,
    /// The pack the rule came from.
    pub pack: String,
    /// What the rule looks for.
    pub kind: RuleKind,
    /// How much a finding hurts; `error` blocks a send.
    pub severity: Severity,
    /// Where in a draft the rule looks.
    pub scopes: Vec<Scope>,
    /// The finding's message; `{match}`, `{value}` and `{limit}` are filled in.
    pub message: String,
    /// Why the pattern hurts, with the evidence: one line of prose (the loader joins the
    /// lines a pack wraps it over), so every report shows it the same way.
    pub why: String,
    /// What to write instead, one line like `why`.
    pub instead: String,
    /// Alternatives to offer the writer: rewrites of the whole sentence that holds a match.
    pub suggestions: Vec<String>,
    /// A mechanical fix, where one exists.
    pub fix: Option<Fix>,
    /// Whether the rule runs unless configured otherwise.
    pub enabled: bool,
    /// Texts that must and must not trigger the rule.
    pub examples: Examples,
    /// Where the rule is declared.
    pub origin: Location,
    /// `why` and `instead` as JSON string literals, escaped on first use: every finding's
    /// JSON carries both (most of its bytes), so they are escaped once per rule rather than
    /// once per finding.
    #[serde(skip)]
    json_texts: OnceLock<JsonTexts>,
}

/// A rule's `why` and `instead` as JSON text (quoted and escaped), ready to be written as
/// they are.
#[derive(Debug, Clone)]
pub struct JsonTexts {
    /// `why` as a JSON string.
    pub why: Box<RawValue>,
    /// `instead` as a JSON string.
    pub instead: Box<RawValue>,
}

impl Rule {
    /// The message with every `{value}` and `{limit}` filled in, in one pass: the one
    /// definition for metric, score, voice and pipeline findings, shown as each formats them.
    pub fn message_with(&self, value: impl fmt::Display, limit: impl fmt::Display) -> String {
        let mut out = String::with_capacity(self.message.len() + 16);
        let mut rest = self.message.as_str();
        while let Some(at) = rest.find('{') {
            out.push_str(&rest[..at]);
            let tail = &rest[at..];
            rest = if let Some(after) = tail.strip_prefix("{value}") {
                let _ = write!(out, "{value}");
                after
            } else if let Some(after) = tail.strip_prefix("{limit}") {
                let _ = write!(out, "{limit}");
                after
            } else {
                out.push('{');
                &tail[1..]
            };
        }
        out.push_str(rest);
        out
    }

    /// `why` and `instead` as JSON strings, escaped once per rule.
    pub fn json_texts(&self) -> &JsonTexts {
        self.json_texts.get_or_init(|| {
            let raw = |s: &str| {
                RawValue::from_string(serde_json::to_string(s).expect("a string serializes"))
                    .expect("a serialized string is JSON")
            };
            JsonTexts {
                why: raw(&self.why),
                instead: raw(&self.instead),
            }
        })
    }
}

/// What a rule looks for.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub enum RuleKind {
    /// Literal phrases, alternations already expanded.
    Phrase(Vec<Phrase>),
    /// A regular expression over the normalised text.
    Pattern(Pattern),
    /// A list introduced by a matching line.
    Structure(Structure),
    /// A measured figure compared with bounds.
    Metric(Metric),
    /// A figure measured over CRM exports, compared with bounds (`redline pipeline`).
    Threshold(Threshold),
    /// A probability that the draft is AI-drafted, from weighted features.
    Score(Score),
}

impl RuleKind {
    /// The kind's name as rule files write it.
    pub fn name(&self) -> &'static str {
        let kind = match self {
            RuleKind::Phrase(_) => raw::Kind::Phrase,
            RuleKind::Pattern(_) => raw::Kind::Pattern,
            RuleKind::Structure(_) => raw::Kind::Structure,
            RuleKind::Metric(_) => raw::Kind::Metric,
            RuleKind::Threshold(_) => raw::Kind::Threshold,
            RuleKind::Score(_) => raw::Kind::Score,
        };
        kind.name()
    }
}

/// What a literal of the phrase automaton stands for, within its rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LiteralOf {
    /// A phrase of a phrase rule.
    Phrase,
    /// An anchor of a pattern rule's regex (where it may match).
    Anchor,
    /// Phrase `n` of a score rule.
    Feature(usize),
    /// An anchor of pattern `n` of a score rule.
    ScoreAnchor(usize),
}

impl LiteralOf {
    /// Whether the literal must sit on word boundaries (phrases), or is found anywhere
    /// (anchors).
    pub fn whole_words(self) -> bool {
        matches!(self, LiteralOf::Phrase | LiteralOf::Feature(_))
    }
}

impl Rule {
    /// The rule's regular expressions: a pattern rule's, a structure rule's intro, a score
    /// rule's patterns.
    pub fn patterns(&self) -> impl Iterator<Item = &Pattern> {
        let (own, score): (Option<&Pattern>, &[(Pattern, f64)]) = match &self.kind {
            RuleKind::Pattern(p) => (Some(p), &[]),
            RuleKind::Structure(s) => (Some(&s.intro), &[]),
            RuleKind::Score(s) => (None, &s.patterns),
            RuleKind::Phrase(_) | RuleKind::Metric(_) | RuleKind::Threshold(_) => (None, &[]),
        };
        own.into_iter().chain(score.iter().map(|(p, _)| p))
    }

    /// Calls `each` with every literal the phrase automaton looks for on this rule's behalf,
    /// in order: one definition for the engine and for the automaton prebuilt for the shipped
    /// packs, which must list the same literals in the same order.
    pub fn for_each_literal<'a>(&'a self, mut each: impl FnMut(LiteralOf, &'a str)) {
        match &self.kind {
            RuleKind::Phrase(phrases) => {
                for p in phrases {
                    each(LiteralOf::Phrase, &p.text);
                }
            }
            RuleKind::Pattern(re) => {
                for l in re.anchors().unwrap_or_default() {
                    each(LiteralOf::Anchor, l);
                }
            }
            RuleKind::Score(score) => {
                for (n, (phrase, _)) in score.phrases.iter().enumerate() {
                    each(LiteralOf::Feature(n), phrase);
                }
                for (n, (re, _)) in score.patterns.iter().enumerate() {
                    for l in re.anchors().unwrap_or_default() {
                        each(LiteralOf::ScoreAnchor(n), l);
                    }
                }
            }
            RuleKind::Structure(_) | RuleKind::Metric(_) | RuleKind::Threshold(_) => {}
        }
    }
}

/// One phrase variant of a phrase rule.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Phrase {
    /// The variant as the pack writes it, after alternation expansion: borrowed from the
    /// binary for the shipped packs, whose snapshot carries over a thousand of them (allocating
    /// each cost a one-draft gate about a tenth of its heap), owned when a pack is loaded from
    /// its files.
    pub text: Cow<'static, str>,
    /// A replacement from the rule's `[rule.replace]` table.
    pub replace: Option<String>,
}

/// A structure rule: an intro line followed by a list.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Structure {
    /// Matches the normalised intro line.
    pub intro: Pattern,
    /// How many list items must follow.
    pub min_items: usize,
}

/// A metric rule: a figure about the draft and its bounds.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Metric {
    /// What is measured.
    pub measure: Measure,
    /// Fires when the figure is greater than this.
    pub above: Option<f64>,
    /// Fires when the figure is smaller than this.
    pub below: Option<f64>,
    /// Measure only scopes with at least this many words.
    pub min_words: usize,
}

/// A threshold rule: which pipeline check measures the figure, with its parameters, and the
/// bounds.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Threshold {
    /// The check and its parameters; stored as JSON inside a snapshot, whose binary form
    /// cannot read the tagged shape rule files give it.
    #[serde(with = "threshold::as_json")]
    pub check: threshold::Check,
    /// Fires at the rule's severity when the figure is greater than this.
    pub above: Option<f64>,
    /// Fires at the rule's severity when the figure is smaller than this.
    pub below: Option<f64>,
    /// Fires as an error when the figure is greater than this.
    pub error_above: Option<f64>,
    /// Fires as an error when the figure is smaller than this.
    pub error_below: Option<f64>,
}

/// A score rule: a logistic model over weighted features of the whole draft.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Score {
    /// Log-odds of a draft with no feature present.
    pub intercept: f64,
    /// A probability at or above this reports a warning.
    pub warning: f64,
    /// A probability at or above this reports an error, unless the draft's other findings
    /// account for it.
    pub error: f64,
    /// Drafts with fewer words in scope are not scored.
    pub min_words: usize,
    /// Words and phrases with their weights, in the order the pack lists them.
    pub phrases: Vec<(String, f64)>,
    /// Regular expressions over the normalised text, as written, with their weights.
    pub patterns: Vec<(Pattern, f64)>,
    /// Measures of the draft's shape with their weights and training scale.
    pub measures: Vec<(VoiceMeasure, MeasureWeight)>,
}
