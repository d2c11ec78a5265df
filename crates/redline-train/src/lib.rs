//! Fitting a score rule to labelled mail: the weights, the intercept and the thresholds of a
//! `kind = "score"` rule, learned from folders of AI-drafted and human-written messages.
//!
//! Features are measured by the same engine that checks drafts ([`redline_email::Linter::
//! score_inputs`] over a candidate rule), so a trained rule scores a draft exactly as training
//! saw it. The model is logistic regression with elastic-net regularisation (L1 keeps the
//! feature set sparse, L2 keeps correlated features stable), fitted by accelerated proximal
//! gradient descent (FISTA) in a fixed order: the same folders give the same pack, bit for
//! bit. Thresholds come from out-of-fold probabilities of the human mail, so the false-positive
//! rate they promise is one the model did not see while fitting.

mod fit;
mod pack;

use std::fmt;

use redline_email::ScoreInputs;
use redline_rules::{MeasureWeight, VoiceMeasure};
use serde::Deserialize;

pub use pack::{WRITTEN_BY, candidate_pack, trained_pack, write_pack};

/// The measures, words, phrases and patterns a score rule may weigh.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Candidates {
    /// Measures of the draft's shape (default: all of them).
    #[serde(default = "all_measures")]
    pub measures: Vec<VoiceMeasure>,
    /// Words and phrases, matched like phrase rules.
    #[serde(default)]
    pub phrases: Vec<String>,
    /// Regular expressions over the normalised text.
    #[serde(default)]
    pub patterns: Vec<String>,
}

impl Candidates {
    /// The shipped candidates: AI-tell vocabulary from published studies, formal discourse
    /// markers, and the informal markers of people writing their own mail.
    pub fn builtin() -> Candidates {
        Candidates::parse(include_str!("candidates.toml")).expect("the shipped candidates parse")
    }

    /// Reads a candidates file (`phrases = [...]`, `patterns = [...]`).
    pub fn parse(src: &str) -> Result<Candidates, String> {
        let mut c: Candidates = toml::from_str(src).map_err(|e| e.to_string())?;
        let mut seen = std::collections::HashSet::new();
        c.phrases
            .retain(|p| seen.insert(redline_text::phrase_key(p)));
        Ok(c)
    }
}

fn all_measures() -> Vec<VoiceMeasure> {
    VoiceMeasure::ALL.to_vec()
}

/// One labelled draft, measured.
#[derive(Debug, Clone)]
pub struct Sample {
    /// Its features, as the candidate rule measured them.
    pub inputs: ScoreInputs,
    /// Whether it is AI-drafted.
    pub ai: bool,
}

/// How to fit and calibrate.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// L1 penalty: larger keeps fewer features.
    pub l1: f64,
    /// L2 penalty.
    pub l2: f64,
    /// Gradient steps per fit.
    pub iterations: usize,
    /// Folds for out-of-fold calibration.
    pub folds: usize,
    /// Share of human mail a warning may flag.
    pub warning_fpr: f64,
    /// Share of human mail an error may flag.
    pub error_fpr: f64,
    /// Drafts with fewer words are not scored, nor trained on.
    pub min_words: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            l1: 0.003,
            l2: 0.01,
            iterations: 1500,
            folds: 5,
            warning_fpr: 0.03,
            error_fpr: 0.002,
            min_words: 40,
        }
    }
}

/// A fitted score rule.
#[derive(Debug, Clone, PartialEq)]
pub struct Model {
    /// Log-odds of a draft with no feature present (measures at their training mean).
    pub intercept: f64,
    /// Phrases that earned a weight.
    pub phrases: Vec<(String, f64)>,
    /// Patterns that earned a weight.
    pub patterns: Vec<(String, f64)>,
    /// Measures that earned a weight, with their training scale.
    pub measures: Vec<(VoiceMeasure, MeasureWeight)>,
    /// Probability at which a warning is reported.
    pub warning: f64,
    /// Probability at which an error is reported.
    pub error: f64,
    /// Drafts with fewer words are not scored.
    pub min_words: usize,
}

/// How well the fitted rule separates the two folders, measured out of fold.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    /// AI-drafted messages trained on.
    pub ai: usize,
    /// Human messages trained on.
    pub human: usize,
    /// Messages left out for having fewer than `min_words` words.
    pub too_short: usize,
    /// Area under the ROC curve of the out-of-fold probabilities.
    pub auc: f64,
    /// Share of AI mail at or above the warning threshold, out of fold.
    pub warning_recall: f64,
    /// Share of human mail at or above the warning threshold, out of fold.
    pub warning_fpr: f64,
    /// Share of AI mail at or above the error threshold, out of fold.
    pub error_recall: f64,
    /// Share of human mail at or above the error threshold, out of fold.
    pub error_fpr: f64,
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let pct = |x: f64| format!("{:.1}%", 100.0 * x);
        writeln!(
            f,
            "trained on {} AI-drafted and {} human messages ({} too short to score)",
            self.ai, self.human, self.too_short
        )?;
        writeln!(f, "out of fold: AUC {:.3}", self.auc)?;
        writeln!(
            f,
            "  warning: {} of AI mail, {} of human mail",
            pct(self.warning_recall),
            pct(self.warning_fpr)
        )?;
        write!(
            f,
            "  error:   {} of AI mail, {} of human mail",
            pct(self.error_recall),
            pct(self.error_fpr)
        )
    }
}

/// Why training could not run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TrainError {
    /// One folder gave no message long enough to learn from.
    NoSamples {
        /// `"AI-drafted"` or `"human"`.
        class: &'static str,
    },
    /// Too few messages to calibrate on.
    TooFew {
        /// `"AI-drafted"` or `"human"`.
        class: &'static str,
        /// How many there were.
        found: usize,
        /// How many are needed.
        needed: usize,
    },
}

impl fmt::Display for TrainError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TrainError::NoSamples { class } => {
                write!(f, "no {class} message long enough to learn from")
            }
            TrainError::TooFew {
                class,
                found,
                needed,
            } => write!(
                f,
                "{found} {class} messages long enough to learn from; at least {needed} are needed"
            ),
        }
    }
}

impl std::error::Error for TrainError {}

/// The fewest messages of each class training accepts.
pub const MIN_PER_CLASS: usize = 20;

/// Fits a score rule to `samples` over `candidates`, and calibrates its thresholds.
pub fn train(
    samples: &[Sample],
    candidates: &Candidates,
    options: &Options,
) -> Result<(Model, Report), TrainError> {
    let usable: Vec<&Sample> = samples
        .iter()
        .filter(|s| s.inputs.words >= options.min_words)
        .collect();
    for (class, ai) in [("AI-drafted", true), ("human", false)] {
        let found = usable.iter().filter(|s| s.ai == ai).count();
        if found == 0 {
            return Err(TrainError::NoSamples { class });
        }
        if found < MIN_PER_CLASS {
            return Err(TrainError::TooFew {
                class,
                found,
                needed: MIN_PER_CLASS,
            });
        }
    }
    let data = fit::Data::new(&usable);
    let weights = fit::fit(&data, options, |_| true);
    let oof = fit::out_of_fold(&data, options);
    let humans: Vec<f64> = oof
        .iter()
        .zip(&data.labels)
        .filter(|(_, ai)| !**ai)
        .map(|(p, _)| *p)
        .collect();
    let ais: Vec<f64> = oof
        .iter()
        .zip(&data.labels)
        .filter(|(_, ai)| **ai)
        .map(|(p, _)| *p)
        .collect();
    let warning = fit::threshold(&humans, options.warning_fpr);
    let error = fit::threshold(&humans, options.error_fpr).max(warning);
    let share = |v: &[f64], t: f64| v.iter().filter(|p| **p >= t).count() as f64 / v.len() as f64;
    let report = Report {
        ai: ais.len(),
        human: humans.len(),
        too_short: samples.len() - usable.len(),
        auc: fit::auc(&ais, &humans),
        warning_recall: share(&ais, warning),
        warning_fpr: share(&humans, warning),
        error_recall: share(&ais, error),
        error_fpr: share(&humans, error),
    };
    let model = data.model(&weights, candidates, warning, error, options.min_words);
    Ok((model, report))
}
