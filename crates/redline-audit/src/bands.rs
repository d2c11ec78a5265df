//! Reply rates by voice-score band: the probability a score rule (`corporate-ai.voice`) gives
//! each sent message, whether or not it reached a finding, counted in fixed bands.
//!
//! The bands are tenths of probability, split at the rule's warning and error thresholds, so
//! every band lies wholly below the warning, at warning or at error, and the edges depend only
//! on the rule. Shards audited with the same rules therefore count into the same bands and add
//! up exactly; quantile bands (deciles of the messages seen) would differ from shard to shard
//! and could not be merged.

use std::collections::BTreeMap;

use redline_email::Linter;
use redline_rules::{RuleKind, Severity};
use serde::{Deserialize, Serialize};

use crate::counts::Tally;
use crate::report::{Group, Versus};

/// The edges of a score rule's bands, lowest first, from 0 to 1: the tenths, and the warning
/// and error thresholds when they fall between them.
pub fn edges(warning: f64, error: f64) -> Vec<f64> {
    let mut edges: Vec<f64> = (0..=10).map(|k| f64::from(k) / 10.0).collect();
    edges.extend(
        [warning, error]
            .into_iter()
            .filter(|t| *t > 0.0 && *t < 1.0),
    );
    edges.sort_by(f64::total_cmp);
    edges.dedup();
    edges
}

/// One score rule's counts: emails and replies per band, and the emails too short to score.
#[derive(Debug, Clone, PartialEq)]
pub struct ScoreCounts {
    /// The rule's warning threshold (a band edge).
    pub warning: f64,
    /// The rule's error threshold (a band edge).
    pub error: f64,
    /// Messages with fewer words than this in the rule's scope are not scored.
    pub min_words: usize,
    /// One tally per band of [`edges`], lowest first.
    pub bands: Vec<Tally>,
    /// Messages too short to score.
    pub unscored: Tally,
}

impl ScoreCounts {
    /// Empty counts for a rule with these thresholds.
    pub fn new(warning: f64, error: f64, min_words: usize) -> ScoreCounts {
        ScoreCounts {
            warning,
            error,
            min_words,
            bands: vec![Tally::default(); edges(warning, error).len() - 1],
            unscored: Tally::default(),
        }
    }

    /// Counts one message with this probability (`None`: too short to score). A probability
    /// on an edge counts in the band above it, as a draft scoring exactly the warning
    /// threshold gets a warning; 1 counts in the top band.
    pub fn add(&mut self, probability: Option<f64>, replied: bool) {
        let Some(p) = probability else {
            self.unscored.add(replied);
            return;
        };
        let edges = edges(self.warning, self.error);
        let band = edges[1..edges.len() - 1].partition_point(|e| *e <= p);
        self.bands[band].add(replied);
    }

    /// Adds another shard's counts of the same rule; fails when the shards scored it with
    /// different thresholds or word minimums, whose bands do not line up.
    pub fn merge(&mut self, other: ScoreCounts) -> Result<(), String> {
        let same = (self.warning, self.error, self.min_words, self.bands.len())
            == (
                other.warning,
                other.error,
                other.min_words,
                other.bands.len(),
            );
        if !same {
            return Err(format!(
                "warning {}, error {}, min_words {} in one shard and warning {}, error {}, min_words {} in another",
                self.warning,
                self.error,
                self.min_words,
                other.warning,
                other.error,
                other.min_words
            ));
        }
        for (band, t) in self.bands.iter_mut().zip(other.bands) {
            band.merge(t);
        }
        self.unscored.merge(other.unscored);
        Ok(())
    }
}

/// Empty counts for every score rule `linter` runs, by rule id.
pub fn score_rules(linter: &Linter) -> BTreeMap<String, ScoreCounts> {
    linter
        .rules()
        .iter()
        .filter(|r| linter.effective(&r.id).is_some())
        .filter_map(|r| match &r.kind {
            RuleKind::Score(s) => Some((
                r.id.clone(),
                ScoreCounts::new(s.warning, s.error, s.min_words),
            )),
            _ => None,
        })
        .collect()
}

/// Why a report has no band table, when no score rule ran.
pub const NO_SCORE_RULE: &str = "no reply rates by voice score: no score rule ran in this \
audit (corporate-ai.voice is disabled, or its pack, corporate-ai, was not loaded)";

/// Reply rates by band for one score rule, as the report shows them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScoreBands {
    /// The score rule's id.
    pub rule: String,
    /// Its warning threshold.
    pub warning: f64,
    /// Its error threshold.
    pub error: f64,
    /// Messages with fewer words than this were not scored.
    pub min_words: usize,
    /// The band lifts and p-values compare with: the lowest band with at least the report's
    /// `min_emails`; absent when no band has that many.
    #[serde(default)]
    pub reference: Option<String>,
    /// Every band, lowest first, including empty ones.
    pub bands: Vec<Band>,
    /// Messages too short to score.
    pub unscored: Group,
}

/// One band of probability.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Band {
    /// The band as `from–to`, e.g. `0.712–0.8`.
    pub band: String,
    /// The lowest probability in the band.
    pub from: f64,
    /// The probability where the next band starts (1 for the top band, which includes it).
    pub to: f64,
    /// The highest threshold the band is at: `warning`, `error`, or null below the warning.
    pub threshold: Option<Severity>,
    /// Emails and reply rate.
    #[serde(flatten)]
    pub group: Group,
    /// Against the reference band (the reference itself: lift 1, no test).
    #[serde(flatten)]
    pub versus: Versus,
    /// Fewer emails than the report's `min_emails`: too few to trust.
    #[serde(default)]
    pub too_few: bool,
}

impl ScoreBands {
    /// The rates, intervals and lifts of one rule's counts.
    pub fn of(rule: &str, c: &ScoreCounts, min_emails: u64) -> ScoreBands {
        let edges = edges(c.warning, c.error);
        let reference = c.bands.iter().position(|t| t.emails >= min_emails);
        let base = reference.map(|i| c.bands[i]);
        let bands = c
            .bands
            .iter()
            .enumerate()
            .map(|(i, t)| {
                let (from, to) = (edges[i], edges[i + 1]);
                let mut versus = base.map_or_else(Versus::default, |b| Versus::of(*t, b));
                if Some(i) == reference {
                    versus.p_value = None;
                    versus.test = None;
                }
                Band {
                    band: label(from, to),
                    from,
                    to,
                    threshold: if from >= c.error {
                        Some(Severity::Error)
                    } else if from >= c.warning {
                        Some(Severity::Warning)
                    } else {
                        None
                    },
                    group: Group::of(*t),
                    versus,
                    too_few: t.emails < min_emails,
                }
            })
            .collect();
        ScoreBands {
            rule: rule.to_string(),
            warning: c.warning,
            error: c.error,
            min_words: c.min_words,
            reference: reference.map(|i| label(edges[i], edges[i + 1])),
            bands,
            unscored: Group::of(c.unscored),
        }
    }

    /// The counts these figures were computed from; fails when the bands do not match the
    /// thresholds (a report edited by hand, or from another version).
    pub fn counts(&self) -> Result<ScoreCounts, String> {
        let mut c = ScoreCounts::new(self.warning, self.error, self.min_words);
        if c.bands.len() != self.bands.len() {
            return Err(format!(
                "score_bands of {}: {} bands, but its thresholds make {}",
                self.rule,
                self.bands.len(),
                c.bands.len()
            ));
        }
        c.bands = self.bands.iter().map(|b| b.group.tally()).collect();
        c.unscored = self.unscored.tally();
        Ok(c)
    }

    /// Whether any message was scored.
    pub fn any_scored(&self) -> bool {
        self.bands.iter().any(|b| b.group.emails > 0)
    }
}

/// `from–to` with the edges as short as they can be: `0.0–0.1`, `0.712–0.8`.
fn label(from: f64, to: f64) -> String {
    format!("{}–{}", edge(from), edge(to))
}

fn edge(v: f64) -> String {
    let s = format!("{v:.3}");
    let s = s.trim_end_matches('0');
    if s.ends_with('.') {
        format!("{s}0")
    } else {
        s.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bands_are_tenths_split_at_the_thresholds() {
        let e = edges(0.7119, 0.9728);
        assert_eq!(e.len(), 13, "twelve bands");
        assert_eq!(&e[7..10], &[0.7, 0.7119, 0.8]);
        assert_eq!(&e[10..], &[0.9, 0.9728, 1.0]);
        assert_eq!(
            edges(0.7, 0.9).len(),
            11,
            "thresholds on a tenth add no edge"
        );
        assert_eq!(edge(0.7119), "0.712");
        assert_eq!(label(0.0, 0.1), "0.0–0.1");
        assert_eq!(label(0.9728, 1.0), "0.973–1.0");
    }

    #[test]
    fn a_probability_counts_in_the_band_it_starts_or_falls_in() {
        let mut c = ScoreCounts::new(0.7119, 0.9728, 40);
        for p in [0.0, 0.05, 0.1, 0.7118, 0.7119, 0.9728, 0.99, 1.0] {
            c.add(Some(p), p > 0.5);
        }
        c.add(None, true);
        let emails: Vec<u64> = c.bands.iter().map(|t| t.emails).collect();
        assert_eq!(emails, [2, 1, 0, 0, 0, 0, 0, 1, 1, 0, 0, 3]);
        assert_eq!(c.bands[11].replied, 3);
        assert_eq!(
            c.unscored,
            Tally {
                emails: 1,
                replied: 1
            }
        );

        let r = ScoreBands::of("demo.voice", &c, 2);
        assert_eq!(r.reference.as_deref(), Some("0.0–0.1"));
        assert_eq!(r.bands[8].threshold, Some(Severity::Warning));
        assert_eq!(r.bands[7].threshold, None);
        assert_eq!(r.bands[11].threshold, Some(Severity::Error));
        assert_eq!(r.bands[10].threshold, Some(Severity::Warning));
        assert!(r.bands[1].too_few && !r.bands[11].too_few);
        assert_eq!(
            r.bands[0].versus.lift, None,
            "the reference replied to nothing"
        );
        assert_eq!(r.counts().unwrap(), c, "the figures give back the counts");

        let mut other = ScoreCounts::new(0.7, 0.9728, 40);
        assert!(c.merge(other.clone()).is_err(), "bands that do not line up");
        other = ScoreCounts::new(0.7119, 0.9728, 40);
        other.add(Some(0.95), false);
        c.merge(other).unwrap();
        assert_eq!(c.bands[10].emails, 1);
    }
}
