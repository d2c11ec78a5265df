//! The rule files as written: serde types with spans, and the JSON Schema's source of truth.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use toml::Spanned;

/// A pack manifest, `rules/<pack>/pack.toml`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    /// The pack's name: equal to its folder's name, and the prefix of every rule id in it.
    #[schemars(with = "String")]
    pub name: Spanned<String>,
    /// The pack's version.
    pub version: String,
    /// What the pack catches, in a sentence.
    pub description: String,
    /// For threshold packs: column names of the user's exports, by file and the name the
    /// checks use, e.g. `[columns.leads] score = "Lead Score"`.
    #[serde(default)]
    pub columns: BTreeMap<String, BTreeMap<String, String>>,
}

/// A rule file: one or more `[[rule]]` tables.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RuleFile {
    /// The rules of this file.
    pub rule: Vec<RawRule>,
}

/// One `[[rule]]` table.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawRule {
    /// Unique id: `<pack>.<kebab-case-name>`.
    #[schemars(with = "String")]
    pub id: Spanned<String>,
    /// What the rule looks for; decides which of `phrases`, `pattern`, `structure`, `metric`,
    /// `threshold` it needs.
    #[schemars(with = "Kind")]
    pub kind: Spanned<Kind>,
    /// `error` blocks a send; `warning` and `info` advise.
    pub severity: Severity,
    /// Where in a draft the rule looks (default `body`).
    #[serde(default)]
    pub scope: Option<OneOrMany<Scope>>,
    /// The finding's message. `{match}` is the matched text; metric and threshold rules use
    /// `{value}` and `{limit}`.
    #[schemars(with = "String")]
    pub message: Spanned<String>,
    /// Why it hurts, with the evidence.
    pub why: String,
    /// What to write instead.
    pub instead: String,
    /// Alternatives to offer the writer.
    #[serde(default)]
    pub suggestions: Vec<String>,
    /// A mechanical fix: `"delete"`, `"delete-sentence"` or `{ replace = "…" }`.
    #[schemars(with = "Option<Fix>")]
    pub fix: Option<Spanned<Fix>>,
    /// Whether the rule runs unless configured otherwise (default true).
    #[serde(default = "yes")]
    pub enabled: bool,
    /// Phrase rules: the phrases, with `(a|b)` alternation.
    #[schemars(with = "Option<Vec<String>>")]
    pub phrases: Option<Spanned<Vec<Spanned<String>>>>,
    /// Phrase rules: phrases mapped to their replacements.
    #[schemars(with = "Option<BTreeMap<String, String>>")]
    pub replace: Option<Spanned<BTreeMap<String, String>>>,
    /// Pattern rules: a regular expression over the normalised (lower-case) text.
    #[schemars(with = "Option<String>")]
    pub pattern: Option<Spanned<String>>,
    /// Structure rules: the intro line and the list after it.
    #[schemars(with = "Option<RawStructure>")]
    pub structure: Option<Spanned<RawStructure>>,
    /// Metric rules: what to measure and the bounds.
    #[schemars(with = "Option<RawMetric>")]
    pub metric: Option<Spanned<RawMetric>>,
    /// Threshold rules: a figure measured over CRM exports, and its bounds.
    #[schemars(with = "Option<RawThreshold>")]
    pub threshold: Option<Spanned<RawThreshold>>,
    /// Texts that must and must not trigger the rule; they run as tests. Required for every
    /// kind but `threshold`, whose checks are tested on generated exports.
    #[schemars(with = "Option<Examples>")]
    pub examples: Option<Spanned<Examples>>,
}

fn yes() -> bool {
    true
}

/// The kinds of rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// Literal phrases, compiled into one automaton.
    Phrase,
    /// A regular expression.
    Pattern,
    /// A shape such as a feature-bullet list.
    Structure,
    /// A measured figure with bounds.
    Metric,
    /// A figure measured over CRM exports (`redline pipeline`), with bounds.
    Threshold,
}

impl Kind {
    /// The kind's name as rule files write it (`kind = "…"`).
    pub fn name(self) -> &'static str {
        match self {
            Kind::Phrase => "phrase",
            Kind::Pattern => "pattern",
            Kind::Structure => "structure",
            Kind::Metric => "metric",
            Kind::Threshold => "threshold",
        }
    }

    /// The key each kind needs.
    pub fn key(self) -> &'static str {
        match self {
            Kind::Phrase => "phrases",
            other => other.name(),
        }
    }
}

/// How much a finding hurts.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize, JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Worth knowing.
    Info,
    /// Worth fixing before sending.
    Warning,
    /// Blocks a send.
    Error,
}

impl Severity {
    /// The name as rule files and outputs write it.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

impl std::fmt::Display for Severity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where in a draft a rule looks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Scope {
    /// The subject line.
    Subject,
    /// The greeting and the first paragraph.
    Opening,
    /// Everything the rep wrote, greeting to sign-off.
    Body,
    /// The last paragraph and the sign-off.
    Closing,
    /// Subject and body.
    Whole,
}

impl Scope {
    /// The name as rule files write it.
    pub fn as_str(self) -> &'static str {
        match self {
            Scope::Subject => "subject",
            Scope::Opening => "opening",
            Scope::Body => "body",
            Scope::Closing => "closing",
            Scope::Whole => "whole",
        }
    }
}

/// A value or a list of values.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum OneOrMany<T> {
    /// A single value.
    One(T),
    /// A list.
    Many(Vec<T>),
}

impl<T> OneOrMany<T> {
    /// The values as a list.
    pub fn into_vec(self) -> Vec<T> {
        match self {
            OneOrMany::One(t) => vec![t],
            OneOrMany::Many(v) => v,
        }
    }
}

/// A mechanical fix.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Fix {
    /// Remove the match.
    Delete,
    /// Remove the sentence holding the match.
    DeleteSentence,
    /// Replace the match with this text.
    Replace(String),
}

/// A structure rule's shape.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawStructure {
    /// Regular expression matched against the normalised intro line.
    #[schemars(with = "String")]
    pub intro: Spanned<String>,
    /// List items (`-`, `*`, `•`, `1.`, `1)`) that must follow the intro (default 2).
    #[serde(default = "two")]
    pub min_items: usize,
}

fn two() -> usize {
    2
}

/// A metric rule's measure and bounds.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawMetric {
    /// What to measure.
    pub measure: Measure,
    /// Fires when the figure is greater than this.
    pub above: Option<f64>,
    /// Fires when the figure is smaller than this.
    pub below: Option<f64>,
    /// Measure only when the scope has at least this many words.
    #[serde(default)]
    pub min_words: usize,
}

/// The figures a metric rule can measure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Measure {
    /// Words in the scope.
    WordCount,
    /// Sentences ending in a question mark.
    QuestionCount,
    /// Flesch-Kincaid grade level.
    ReadingGrade,
    /// The most sentences in any one paragraph.
    SentencesPerParagraph,
    /// Percent of sentences about I/we among those about I/we or you.
    SelfFocus,
}

impl Measure {
    /// The name as rule files write it.
    pub fn as_str(self) -> &'static str {
        match self {
            Measure::WordCount => "word_count",
            Measure::QuestionCount => "question_count",
            Measure::ReadingGrade => "reading_grade",
            Measure::SentencesPerParagraph => "sentences_per_paragraph",
            Measure::SelfFocus => "self_focus",
        }
    }
}

/// A threshold rule's check and bounds: `above`/`below` fire at the rule's severity,
/// `error_above`/`error_below` raise the finding to `error`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawThreshold {
    /// The measurement, e.g. `score-inflation` (`redline pipeline` lists them).
    pub check: String,
    /// Fires when the figure is greater than this.
    pub above: Option<f64>,
    /// Fires when the figure is smaller than this.
    pub below: Option<f64>,
    /// Fires as an error when the figure is greater than this.
    pub error_above: Option<f64>,
    /// Fires as an error when the figure is smaller than this.
    pub error_below: Option<f64>,
    /// The check's parameters, e.g. `baseline_months = 3`.
    #[serde(default)]
    #[schemars(with = "BTreeMap<String, serde_json::Value>")]
    pub params: BTreeMap<String, toml::Value>,
}

/// Texts that must and must not trigger a rule.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Examples {
    /// Each must trigger the rule.
    #[serde(default)]
    pub bad: Vec<String>,
    /// None may trigger the rule.
    #[serde(default)]
    pub good: Vec<String>,
}
