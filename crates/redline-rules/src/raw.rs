//! The rule files as written: serde types with spans, and the JSON Schema's source of truth.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use toml::Spanned;

use crate::threshold::{RawThreshold, ThresholdSchema};

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
    /// Alternatives to offer the writer: each a rewrite of the whole sentence that holds the
    /// match (the language server's "Rewrite as" replaces that sentence, not the match).
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
    #[schemars(with = "Option<ThresholdSchema>")]
    pub threshold: Option<Spanned<RawThreshold>>,
    /// Score rules: weighted features, the intercept and the probability thresholds.
    #[schemars(with = "Option<RawScore>")]
    pub score: Option<Spanned<RawScore>>,
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
    /// A document-level probability from many weighted features (logistic).
    Score,
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
            Kind::Score => "score",
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
    /// The signature block after the sign-off (never part of `whole`).
    Signature,
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
            Scope::Signature => "signature",
        }
    }
}

/// A value or a list of values.
#[derive(Debug, Clone, JsonSchema)]
#[serde(untagged)]
pub enum OneOrMany<T> {
    /// A single value.
    One(T),
    /// A list.
    Many(Vec<T>),
}

/// Read by hand rather than as an untagged enum, so that a wrong value is reported as the
/// value's own error ("unknown variant `bodyy`, expected one of `subject`, …") instead of
/// "did not match any variant of untagged enum".
impl<'de, T: Deserialize<'de>> Deserialize<'de> for OneOrMany<T> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::value::{SeqAccessDeserializer, StrDeserializer};

        struct OneOrList<T>(std::marker::PhantomData<T>);
        impl<'de, T: Deserialize<'de>> serde::de::Visitor<'de> for OneOrList<T> {
            type Value = OneOrMany<T>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a string or a list of strings")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Self::Value, E> {
                T::deserialize(StrDeserializer::<E>::new(v)).map(OneOrMany::One)
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                seq: A,
            ) -> Result<Self::Value, A::Error> {
                Vec::deserialize(SeqAccessDeserializer::new(seq)).map(OneOrMany::Many)
            }
        }
        d.deserialize_any(OneOrList(std::marker::PhantomData))
    }
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

/// A score rule: a logistic model over weighted features of the whole draft. The probability
/// is `1 / (1 + e^-(intercept + Σ weight × value))`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawScore {
    /// The model's intercept (log-odds of a draft with no feature present).
    pub intercept: f64,
    /// A probability at or above this reports a warning.
    pub warning: f64,
    /// A probability at or above this reports an error (when the rule's other findings do
    /// not account for it).
    pub error: f64,
    /// Score only drafts with at least this many words in scope (default 40).
    #[serde(default = "forty")]
    pub min_words: usize,
    /// Words and phrases (matched like phrase rules, in the same automaton) and their weights;
    /// a phrase's value is `ln(1 + times it occurs)`.
    #[schemars(with = "Option<BTreeMap<String, f64>>")]
    pub phrases: Option<Spanned<BTreeMap<String, f64>>>,
    /// Regular expressions over the normalised text and their weights; value as for phrases.
    #[schemars(with = "Option<BTreeMap<String, f64>>")]
    pub patterns: Option<Spanned<BTreeMap<String, f64>>>,
    /// Measured figures about the draft's shape, each standardised with the mean and standard
    /// deviation it had in the training mail.
    #[serde(default)]
    pub measures: BTreeMap<VoiceMeasure, MeasureWeight>,
}

fn forty() -> usize {
    40
}

/// A measure's weight and the scale it was trained on: its value is `(figure - mean) / sd`,
/// clamped to ±4.
#[derive(Debug, Clone, Copy, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MeasureWeight {
    /// The weight of one standard deviation.
    pub weight: f64,
    /// The figure's mean in the training mail.
    pub mean: f64,
    /// The figure's standard deviation in the training mail (must be positive).
    pub sd: f64,
}

/// The figures about a draft's shape that score rules can weigh. Each is measured over the
/// paragraphs the writer wrote (greeting, sign-off, quotes and signatures left out).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum VoiceMeasure {
    /// Mean words per sentence.
    SentenceLength,
    /// Spread of sentence lengths: standard deviation over mean (human writing varies more).
    SentenceLengthSpread,
    /// Mean sentences per paragraph.
    ParagraphLength,
    /// Spread of paragraph lengths in sentences: standard deviation over mean.
    ParagraphLengthSpread,
    /// Contractions (`don't`, `we're`) per sentence.
    ContractionRate,
    /// we/us/our/ours per 100 words.
    FirstPersonPlural,
    /// I/me/my per 100 words.
    FirstPersonSingular,
    /// you/your per 100 words.
    SecondPerson,
    /// Share of sentences ending in `?`.
    QuestionShare,
    /// `!` per sentence.
    ExclamationRate,
    /// Em and en dashes per 100 words (a typed ` - ` is not one).
    DashRate,
    /// Share of lines that are list items.
    ListLines,
    /// List items or lines that open with a bold or colon-ended label (`- **Speed:** …`).
    LabelledLines,
    /// Three-item series (`fast, simple, and secure`) per sentence.
    Tricolons,
    /// Sentences that start with a lower-case letter, or a lone lower-case `i`, per sentence.
    LowercaseStarts,
    /// Ellipses and `...` per sentence.
    EllipsisRate,
    /// Parentheses per sentence.
    ParenthesisRate,
    /// Mean letters per word.
    WordLength,
    /// Runs of `!!`, `??`, `?!` or four or more dots, per sentence.
    RepeatedPunctuation,
    /// Emoticons such as `:)`, `;-)`, `:(`, `:P`, per sentence.
    Emoticons,
    /// Words of three or more letters in capitals (`NOT`, `FREE`), per 100 words.
    ShoutedWords,
    /// Contractions typed without their apostrophe (`dont`, `im`, `thats`), per 100 words.
    DroppedApostrophes,
    /// Sentences opening with `And`, `But`, `So` or `Or`, per sentence.
    ConjunctionStarts,
    /// Semicolons per sentence.
    SemicolonRate,
    /// Commas per 100 words (`1,000` and the like left out): drafting tools punctuate every
    /// clause, people typing quickly leave many commas out.
    CommaRate,
    /// Sentences whose first comma comes within their first three words (`Unfortunately, …`,
    /// `In the meantime, …`, `That said, …`), per sentence.
    IntroductoryCommas,
    /// A comma before a joining word (`, but`, `, so`, `, which`, `, and`), per sentence.
    ConjunctionCommas,
    /// Words of six letters or more ending in `-ing` (`ensuring`, `streamlining`, `looking`),
    /// per 100 words, leaving out common nouns (`something`, `morning`, `meeting`, `pricing`):
    /// instruction-tuned models use present-participle clauses several times as often as
    /// people do (Reinhart et al. 2025, "Do LLMs write like humans? Variation in grammatical
    /// and rhetorical styles", arXiv:2410.16107).
    ParticipleRate,
    /// Misspelt words, up to three: lower-case words the dictionary does not know that are one
    /// letter from a common word (`definately`, `seperate`). People make them as they type;
    /// drafting tools do not.
    Misspellings,
}

impl VoiceMeasure {
    /// Every measure, in the order reports list them.
    pub const ALL: [VoiceMeasure; 29] = [
        VoiceMeasure::SentenceLength,
        VoiceMeasure::SentenceLengthSpread,
        VoiceMeasure::ParagraphLength,
        VoiceMeasure::ParagraphLengthSpread,
        VoiceMeasure::ContractionRate,
        VoiceMeasure::FirstPersonPlural,
        VoiceMeasure::FirstPersonSingular,
        VoiceMeasure::SecondPerson,
        VoiceMeasure::QuestionShare,
        VoiceMeasure::ExclamationRate,
        VoiceMeasure::DashRate,
        VoiceMeasure::ListLines,
        VoiceMeasure::LabelledLines,
        VoiceMeasure::Tricolons,
        VoiceMeasure::LowercaseStarts,
        VoiceMeasure::EllipsisRate,
        VoiceMeasure::ParenthesisRate,
        VoiceMeasure::WordLength,
        VoiceMeasure::RepeatedPunctuation,
        VoiceMeasure::Emoticons,
        VoiceMeasure::ShoutedWords,
        VoiceMeasure::DroppedApostrophes,
        VoiceMeasure::ConjunctionStarts,
        VoiceMeasure::SemicolonRate,
        VoiceMeasure::CommaRate,
        VoiceMeasure::IntroductoryCommas,
        VoiceMeasure::ConjunctionCommas,
        VoiceMeasure::ParticipleRate,
        VoiceMeasure::Misspellings,
    ];

    /// The name as rule files write it.
    pub fn as_str(self) -> &'static str {
        match self {
            VoiceMeasure::SentenceLength => "sentence_length",
            VoiceMeasure::SentenceLengthSpread => "sentence_length_spread",
            VoiceMeasure::ParagraphLength => "paragraph_length",
            VoiceMeasure::ParagraphLengthSpread => "paragraph_length_spread",
            VoiceMeasure::ContractionRate => "contraction_rate",
            VoiceMeasure::FirstPersonPlural => "first_person_plural",
            VoiceMeasure::FirstPersonSingular => "first_person_singular",
            VoiceMeasure::SecondPerson => "second_person",
            VoiceMeasure::QuestionShare => "question_share",
            VoiceMeasure::ExclamationRate => "exclamation_rate",
            VoiceMeasure::DashRate => "dash_rate",
            VoiceMeasure::ListLines => "list_lines",
            VoiceMeasure::LabelledLines => "labelled_lines",
            VoiceMeasure::Tricolons => "tricolons",
            VoiceMeasure::LowercaseStarts => "lowercase_starts",
            VoiceMeasure::EllipsisRate => "ellipsis_rate",
            VoiceMeasure::ParenthesisRate => "parenthesis_rate",
            VoiceMeasure::WordLength => "word_length",
            VoiceMeasure::RepeatedPunctuation => "repeated_punctuation",
            VoiceMeasure::Emoticons => "emoticons",
            VoiceMeasure::ShoutedWords => "shouted_words",
            VoiceMeasure::DroppedApostrophes => "dropped_apostrophes",
            VoiceMeasure::ConjunctionStarts => "conjunction_starts",
            VoiceMeasure::SemicolonRate => "semicolon_rate",
            VoiceMeasure::CommaRate => "comma_rate",
            VoiceMeasure::IntroductoryCommas => "introductory_commas",
            VoiceMeasure::ConjunctionCommas => "conjunction_commas",
            VoiceMeasure::ParticipleRate => "participle_rate",
            VoiceMeasure::Misspellings => "misspellings",
        }
    }

    /// What the figure is, for people reading a finding.
    pub fn describe(self) -> &'static str {
        match self {
            VoiceMeasure::SentenceLength => "words per sentence",
            VoiceMeasure::SentenceLengthSpread => "sentence-length variety",
            VoiceMeasure::ParagraphLength => "sentences per paragraph",
            VoiceMeasure::ParagraphLengthSpread => "paragraph-length variety",
            VoiceMeasure::ContractionRate => "contractions per sentence",
            VoiceMeasure::FirstPersonPlural => "we/our per 100 words",
            VoiceMeasure::FirstPersonSingular => "I/my per 100 words",
            VoiceMeasure::SecondPerson => "you/your per 100 words",
            VoiceMeasure::QuestionShare => "share of questions",
            VoiceMeasure::ExclamationRate => "exclamation marks per sentence",
            VoiceMeasure::DashRate => "em/en dashes per 100 words",
            VoiceMeasure::ListLines => "share of list lines",
            VoiceMeasure::LabelledLines => "labelled lines (`**Label:** …`)",
            VoiceMeasure::Tricolons => "three-item series per sentence",
            VoiceMeasure::LowercaseStarts => "lower-case sentence starts",
            VoiceMeasure::EllipsisRate => "ellipses per sentence",
            VoiceMeasure::ParenthesisRate => "parentheses per sentence",
            VoiceMeasure::WordLength => "letters per word",
            VoiceMeasure::RepeatedPunctuation => "`!!`, `??` or `....` per sentence",
            VoiceMeasure::Emoticons => "emoticons per sentence",
            VoiceMeasure::ShoutedWords => "words in capitals per 100 words",
            VoiceMeasure::DroppedApostrophes => "`dont`, `im` per 100 words",
            VoiceMeasure::ConjunctionStarts => "sentences opening with And/But/So",
            VoiceMeasure::SemicolonRate => "semicolons per sentence",
            VoiceMeasure::CommaRate => "commas per 100 words",
            VoiceMeasure::IntroductoryCommas => "sentences opening `Word, …`",
            VoiceMeasure::ConjunctionCommas => "`, but` / `, which` per sentence",
            VoiceMeasure::ParticipleRate => "`-ing` words per 100 words",
            VoiceMeasure::Misspellings => "misspelt words (`definately`), up to 3",
        }
    }
}

/// Texts that must and must not trigger a rule.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Examples {
    /// Each must trigger the rule.
    #[serde(default)]
    pub bad: Vec<String>,
    /// None may trigger the rule.
    #[serde(default)]
    pub good: Vec<String>,
}
