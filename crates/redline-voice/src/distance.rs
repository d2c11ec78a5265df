//! How far a draft is from a profile: one contribution per habit, so the largest
//! contributions are the differences worth naming.
//!
//! Each habit first gives a signed standardised deviation `z`: counts are compared with what
//! the writer's rate predicts for a draft of this length (binomial or Poisson deviance, scaled
//! by how much the habit varies between the writer's own messages), so a short draft is not
//! condemned for missing a habit it had no room for; `z` is then scaled for the writer's
//! drift between messages ([`DRIFT_WORDS`]), so a long draft is not condemned for counts
//! alone. New words are not scaled: a long draft mostly in words the writer never uses is
//! further from them than a short one (measured: another author's mail 52% -> 54% flagged on
//! unseen writers, own mail and rewrites unchanged). The habit's weights (`weights.rs`) turn `z` into its contribution.

use serde_json::{Value, json};

use crate::features::{CONTRACTIONS, FUNCTION_WORDS, LENGTHS, Model, RATES, Sample, VOCABULARY};
use crate::profile::{CAP, Profile, Rate};
use crate::summary::{closing, join_and, length_yours, opening, percent, percent1, rate_yours};
use crate::weights;

/// What one habit adds to the distance, and what to say about it.
#[derive(Debug, Clone, PartialEq)]
pub struct Contribution {
    /// The habit's key, as in the profile file (`greeting`, `rates.contractions`, ...).
    pub feature: String,
    /// The draft's standardised deviation from the writer's usual: positive above it,
    /// negative below (for openings and closings: how rare the draft's choice is).
    pub z: f64,
    /// What it adds to the distance: the habit's weights applied to `z`.
    pub value: f64,
    /// The writer's figure (a share, a rate or an average).
    pub yours: f64,
    /// The draft's figure in the same unit.
    pub draft: f64,
    detail: Detail,
}

#[derive(Debug, Clone, PartialEq)]
enum Detail {
    Opening { kind: usize },
    Closing { kind: usize },
    Rate { index: usize, count: u32, of: u32 },
    Length { index: usize, units: u64 },
    FunctionWords { words: Vec<(usize, u32)>, of: u32 },
    Unused { words: Vec<usize> },
    Trigrams,
    NewWords { count: u32, of: u32 },
}

/// A draft compared with a profile.
#[derive(Debug, Clone, PartialEq)]
pub struct Verdict {
    /// The sum of the contributions.
    pub distance: f64,
    /// The profile's calibrated threshold.
    pub threshold: f64,
    /// Every habit measured, largest contribution first.
    pub contributions: Vec<Contribution>,
    greeting_word: Option<String>,
    sign_off_text: Option<String>,
}

/// Contributions smaller than this share of the threshold are not named as differences.
const NAMED_AT_LEAST: f64 = 0.1;

/// The largest standardised deviation one habit can have, so one odd habit cannot decide
/// alone.
fn capped(z: f64) -> f64 {
    let cap = CAP.sqrt();
    z.clamp(-cap, cap)
}

/// A writer's habits drift from message to message by more than counting chance predicts,
/// and that drift does not shrink as a message gets longer. So a deviation measured against
/// counting chance (which grows with the square root of the length for any real difference)
/// is scaled by `1 / sqrt(1 + words / DRIFT_WORDS)`: short drafts are judged by chance,
/// long ones by the writer's own drift. Fitted with the weights (`scripts/fit_voice_weights.py`).
const DRIFT_WORDS: f64 = 50.0;

/// A signed deviation from a chi-square-like term and its direction.
fn signed(chi: f64, above: bool) -> f64 {
    let z = chi.max(0.0).sqrt();
    capped(if above { z } else { -z })
}

impl Profile {
    /// Compares a draft's habits with this profile.
    pub fn compare(&self, draft: &Sample) -> Verdict {
        let drift = (1.0 + f64::from(draft.words) / DRIFT_WORDS).sqrt().recip();
        let mut out = Vec::new();
        let n = f64::from(self.messages);
        for (feature, counts, kind) in [
            ("greeting", &self.greeting, draft.greeting),
            ("sign_off", &self.sign_off, draft.sign_off),
        ] {
            // A single observation's Pearson chi-square: (1 - p) / p.
            let p = (f64::from(counts[kind]) + 0.5) / (n + 0.5 * counts.len() as f64);
            let detail = if feature == "greeting" {
                Detail::Opening { kind }
            } else {
                Detail::Closing { kind }
            };
            out.push(contribution(
                feature.into(),
                signed((1.0 - p) / p, true),
                f64::from(counts[kind]) / n,
                1.0,
                detail,
            ));
        }
        for (index, (def, rate)) in RATES.iter().zip(&self.rates).enumerate() {
            let (count, of) = draft.rates[index];
            if of == 0 {
                continue;
            }
            let dev = deviance(count, of, rate.p(), def.model);
            let above = f64::from(count) > f64::from(of) * rate.p();
            out.push(contribution(
                format!("rates.{}", def.key),
                signed(dev / rate.dispersion, above),
                rate.p(),
                f64::from(count) / f64::from(of),
                Detail::Rate { index, count, of },
            ));
        }
        for (index, length) in self.lengths.iter().enumerate() {
            let m = &draft.lengths[index];
            if m.n == 0 {
                continue;
            }
            let z = (m.mean() - length.log_mean) * (m.n as f64).sqrt()
                / (length.log_sd * length.dispersion.sqrt()).max(1e-6);
            out.push(contribution(
                format!("lengths.{}", LENGTHS[index].0),
                capped(z),
                length.average,
                m.average(),
                Detail::Length { index, units: m.n },
            ));
        }
        out.extend(self.function_words(draft));
        out.extend(self.unused_vocabulary(draft));
        out.extend(self.trigrams(draft));
        for c in out.iter_mut().skip(2) {
            c.z *= drift;
        }
        out.extend(self.new_words(draft));
        for c in &mut out {
            c.value = weights::of(&c.feature).apply(c.z);
        }
        out.sort_by(|a, b| b.value.total_cmp(&a.value));
        Verdict {
            distance: out.iter().map(|c| c.value).sum(),
            threshold: self.threshold,
            contributions: out,
            greeting_word: draft.greeting_word.clone(),
            sign_off_text: draft.sign_off_text.clone(),
        }
    }

    /// The function words as one habit: how surprising their counts are together, against
    /// what the writer's rates predict for a draft of this length (a z-score of the summed
    /// deviances).
    fn function_words(&self, draft: &Sample) -> Option<Contribution> {
        let of = draft.words;
        if of == 0 {
            return None;
        }
        let (mut sum, mut expected, mut variance) = (0.0, 0.0, 0.0);
        let mut each = Vec::with_capacity(FUNCTION_WORDS.len());
        for (w, rate) in self.function.iter().enumerate() {
            let k = draft.function[w];
            let e = f64::from(of) * rate.p();
            let dev = (deviance(k, of, rate.p(), Model::PerUnit) / rate.dispersion).min(CAP);
            let (mean, var) = poisson_deviance_moments(e);
            sum += dev;
            expected += mean / rate.dispersion;
            variance += var / rate.dispersion.powi(2);
            each.push((dev, w, k));
        }
        let z = (sum - expected) / variance.max(1e-9).sqrt();
        each.sort_by(|a, b| b.0.total_cmp(&a.0));
        let words: Vec<(usize, u32)> = each.iter().take(2).map(|&(_, w, k)| (w, k)).collect();
        let (w, k) = words[0];
        Some(contribution(
            "function_words".into(),
            capped(z),
            self.function[w].p(),
            f64::from(k) / f64::from(of),
            Detail::FunctionWords { words, of },
        ))
    }

    /// Words of polished prose the writer has never used: more of them than the writer's own
    /// rate of first-time words predicts.
    fn unused_vocabulary(&self, draft: &Sample) -> Option<Contribution> {
        let words: Vec<usize> = draft
            .vocabulary
            .iter()
            .filter(|&&(i, _)| self.vocabulary[i] == 0)
            .map(|&(i, _)| i)
            .collect();
        let count: u32 = draft
            .vocabulary
            .iter()
            .filter(|&&(i, _)| self.vocabulary[i] == 0)
            .map(|&(_, c)| c)
            .sum();
        let of = draft.words;
        let rate: &Rate = &self.unseen;
        if of == 0 || f64::from(count) <= f64::from(of) * rate.p() {
            return None;
        }
        Some(contribution(
            "unused_vocabulary".into(),
            signed(
                deviance(count, of, rate.p(), Model::PerUnit) / rate.dispersion,
                true,
            ),
            rate.p(),
            f64::from(count) / f64::from(of),
            Detail::Unused { words },
        ))
    }

    /// Content words the writer has never used: more (or fewer) of the draft's than the
    /// writer's own messages have words none of their other messages used.
    fn new_words(&self, draft: &Sample) -> Option<Contribution> {
        let of = draft.content.len() as u32;
        if of == 0 {
            return None;
        }
        let count = draft
            .content
            .iter()
            .filter(|&&b| !self.words_seen.contains(b))
            .count() as u32;
        let rate = &self.new_words;
        Some(contribution(
            "new_words".into(),
            signed(
                deviance(count, of, rate.p(), Model::Share) / rate.dispersion,
                f64::from(count) > f64::from(of) * rate.p(),
            ),
            rate.p(),
            f64::from(count) / f64::from(of),
            Detail::NewWords { count, of },
        ))
    }

    /// The character trigrams as one habit: the draft's length-scaled distance from the
    /// writer's trigram profile, against the spread of their own messages' distances.
    fn trigrams(&self, draft: &Sample) -> Option<Contribution> {
        let d = trigram_distance(&self.trigrams.counts, &draft.trigrams, false)?;
        let t = &self.trigrams;
        Some(contribution(
            "char_trigrams".into(),
            capped((d - t.mean) / t.sd),
            t.mean,
            d,
            Detail::Trigrams,
        ))
    }
}

/// One habit's deviation, before it is scaled for drift and weighted (see
/// [`Profile::compare`]).
fn contribution(feature: String, z: f64, yours: f64, draft: f64, detail: Detail) -> Contribution {
    Contribution {
        feature,
        z,
        value: 0.0,
        yours,
        draft,
        detail,
    }
}

/// The cosine distance between a writer's trigram counts and a message's, scaled by the
/// square root of the message's trigram count (a short message is further from anyone's
/// profile by chance; the scaling keeps long and short ones comparable). With `leave_out`,
/// the message's own counts are taken out of the writer's first (calibration).
pub(crate) fn trigram_distance(writer: &[u32], message: &[u32], leave_out: bool) -> Option<f64> {
    let (mut dot, mut ww, mut mm, mut n) = (0.0, 0.0, 0.0, 0.0);
    for (&a, &b) in writer.iter().zip(message) {
        let (a, b) = (f64::from(a), f64::from(b));
        let a = if leave_out { a - b } else { a };
        dot += a * b;
        ww += a * a;
        mm += b * b;
        n += b;
    }
    (n > 0.0 && ww > 0.0).then(|| (1.0 - dot / (ww * mm).sqrt()) * n.sqrt())
}

impl Verdict {
    /// Whether the draft is further from the profile than `factor` times its threshold.
    pub fn departs(&self, factor: f64) -> bool {
        self.distance > self.threshold * factor
    }

    /// The largest differences (at most `n`), in words and numbers.
    pub fn differences(&self, profile: &Profile, n: usize) -> Vec<String> {
        self.contributions
            .iter()
            .filter(|c| c.value > 0.0 && c.value >= NAMED_AT_LEAST * self.threshold)
            .take(n)
            .map(|c| self.describe(profile, c))
            .collect()
    }

    /// The distance, the threshold, and each contribution with both figures, as a finding's
    /// evidence.
    pub fn evidence(&self, profile: &Profile) -> Value {
        json!({
            "distance": round2(self.distance),
            "threshold": round2(self.threshold),
            "messages": profile.messages,
            "contributions": self.contributions.iter().filter(|c| c.value > 0.0).map(|c| json!({
                "feature": c.feature,
                "deviation": round2(c.z),
                "contribution": round2(c.value),
                "yours": round4(c.yours),
                "draft": round4(c.draft),
                "difference": self.describe(profile, c),
            })).collect::<Vec<_>>(),
        })
    }

    pub(crate) fn describe(&self, profile: &Profile, c: &Contribution) -> String {
        let messages = f64::from(profile.messages);
        match &c.detail {
            Detail::Opening { kind } => {
                let (top, share) = most_common(&profile.greeting, messages);
                let here = match &self.greeting_word {
                    Some(w) => format!("this says '{w}'"),
                    None => "this has no greeting line".to_string(),
                };
                let like = if top == *kind {
                    ", like this draft".to_string()
                } else {
                    format!("; {here}")
                };
                format!(
                    "you open {} in {} of your mail{like}",
                    opening(top),
                    percent(share)
                )
            }
            Detail::Closing { kind } => {
                let (top, share) = most_common(&profile.sign_off, messages);
                let here = match &self.sign_off_text {
                    Some(s) => format!("this ends with '{s}'"),
                    None => "this has no sign-off".to_string(),
                };
                let like = if top == *kind {
                    ", like this draft".to_string()
                } else {
                    format!("; {here}")
                };
                format!(
                    "you end {} in {} of your mail{like}",
                    closing(top),
                    percent(share)
                )
            }
            Detail::Rate { index, count, of } => {
                let rate = &profile.rates[*index];
                let yours = rate_yours(*index, rate);
                let never = rate.count == 0 && *index != CONTRACTIONS;
                match RATES[*index].model {
                    Model::Share if never => format!("{yours}; this draft has {count} of {of}"),
                    Model::Share => format!("{yours}; this draft {count} of {of}"),
                    Model::PerUnit if never => format!("{yours}; this draft has {count}"),
                    Model::PerUnit => format!(
                        "{yours}; this draft {:.1} ({count} in {of})",
                        10.0 * c.draft
                    ),
                }
            }
            Detail::Length { index, units } => {
                let (_, _, of) = LENGTHS[*index];
                format!(
                    "{}; this draft's {:.1} (over {units} {of})",
                    length_yours(*index, c.yours),
                    c.draft
                )
            }
            Detail::FunctionWords { words, of } => {
                let parts: Vec<String> = words
                    .iter()
                    .map(|&(w, k)| {
                        format!(
                            "'{}' is {} of your words, {} here",
                            FUNCTION_WORDS[w],
                            percent1(profile.function[w].share().unwrap_or(0.0)),
                            percent1(f64::from(k) / f64::from(*of))
                        )
                    })
                    .collect();
                format!(
                    "your common words are used differently: {}",
                    parts.join("; ")
                )
            }
            Detail::Trigrams => format!(
                "your spelling and word choice differ: this draft is {:.1} standard deviations \
                 further from your mail's letter patterns than your own messages are",
                c.z
            ),
            Detail::NewWords { count, of } => format!(
                "{count} of this draft's {of} words are ones your mail never uses ({}); \
                 a message of yours has {} new to your other mail",
                percent(c.draft),
                percent(c.yours)
            ),
            Detail::Unused { words } => {
                let named: Vec<String> = words
                    .iter()
                    .take(3)
                    .map(|&w| format!("'{}'", VOCABULARY[w]))
                    .collect();
                let verb = if named.len() == 1 {
                    "never appears"
                } else {
                    "never appear"
                };
                format!(
                    "{} {verb} in your {} messages",
                    join_and(&named),
                    profile.messages
                )
            }
        }
    }
}

/// The most common kind and its share.
fn most_common(counts: &[u32], messages: f64) -> (usize, f64) {
    let (i, c) = counts
        .iter()
        .enumerate()
        .max_by_key(|&(i, c)| (*c, std::cmp::Reverse(i)))
        .expect("kinds are never empty");
    (i, f64::from(*c) / messages)
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

fn round4(x: f64) -> f64 {
    (x * 1e4).round() / 1e4
}

/// Binomial or Poisson deviance of `k` in `n` against rate `p`.
fn deviance(k: u32, n: u32, p: f64, model: Model) -> f64 {
    let (k, n) = (f64::from(k), f64::from(n));
    let e = n * p;
    match model {
        Model::Share => 2.0 * (xlogy(k, k / e) + xlogy(n - k, (n - k) / (n - e))),
        Model::PerUnit => 2.0 * (xlogy(k, k / e) - (k - e)),
    }
    .max(0.0)
}

fn xlogy(x: f64, y: f64) -> f64 {
    if x == 0.0 { 0.0 } else { x * y.ln() }
}

/// Mean and variance of the (capped) Poisson deviance when the count is Poisson with mean `e`.
fn poisson_deviance_moments(e: f64) -> (f64, f64) {
    let top = (e + 8.0 * e.sqrt() + 8.0).ceil() as u32;
    let mut p = (-e).exp();
    let (mut mean, mut square) = (0.0, 0.0);
    for k in 0..=top {
        let kf = f64::from(k);
        let dev = (2.0 * (xlogy(kf, kf / e) - (kf - e))).min(CAP);
        mean += p * dev;
        square += p * dev * dev;
        p *= e / (kf + 1.0);
    }
    (mean, (square - mean * mean).max(0.0))
}

#[cfg(test)]
mod tests {
    use super::*;
    use redline_text::Document;

    #[test]
    fn deviance_is_zero_at_the_expected_count_and_grows_away_from_it() {
        assert!(deviance(5, 10, 0.5, Model::Share) < 1e-12);
        assert!(deviance(0, 10, 0.5, Model::Share) > deviance(3, 10, 0.5, Model::Share));
        assert!(deviance(4, 20, 0.2, Model::PerUnit) < 1e-12);
    }

    #[test]
    fn trigram_distance_is_zero_for_the_same_mix_and_leaves_the_message_out() {
        let writer = [4, 2, 0, 2];
        assert!(trigram_distance(&writer, &[2, 1, 0, 1], false).unwrap() < 1e-9);
        let other = trigram_distance(&writer, &[0, 0, 3, 1], false).unwrap();
        assert!(other > 1.0, "{other}");
        // Left out, a message that is all of the writer's trigrams has nothing to match.
        assert!(trigram_distance(&writer, &writer, true).is_none());
        assert!(trigram_distance(&writer, &[0; 4], false).is_none());
    }

    fn profile(texts: &[String]) -> Profile {
        let samples: Vec<Sample> = texts
            .iter()
            .map(|t| Sample::of(&Document::parse(t)))
            .collect();
        Profile::learn(&samples).unwrap()
    }

    /// A writer who contracts about half the time, with some variety in between.
    fn half_contracting(i: usize) -> String {
        let them = if i % 2 == 0 {
            "I don't know yet and I am not sure it's done."
        } else {
            "I do not know yet and I'm not sure it is done."
        };
        format!("{them} The build {i} runs on the old box, so we can look at it later.\n")
    }

    #[test]
    fn a_long_drafts_deviation_is_scaled_for_the_writers_drift() {
        let p = profile(&(0..16).map(half_contracting).collect::<Vec<_>>());
        let once =
            "I do not think it is ready and I am not sure it is the box. We can look later.\n";
        let z = |text: &str| {
            let s = Sample::of(&Document::parse(text));
            let v = p.compare(&s);
            let c = v
                .contributions
                .iter()
                .find(|c| c.feature == "rates.contractions");
            (c.unwrap().z, f64::from(s.words))
        };
        let (short, words) = z(once);
        let (long, _) = z(&once.repeat(2));
        assert!(
            short < 0.0,
            "no contractions is below the writer's usual: {short}"
        );
        // Counting chance alone would grow the deviation by sqrt(2) (twice the counts); the
        // writer's drift between messages keeps it to the documented scaling.
        let expected =
            2f64.sqrt() * ((1.0 + words / DRIFT_WORDS) / (1.0 + 2.0 * words / DRIFT_WORDS)).sqrt();
        assert!(
            (long / short - expected).abs() < 1e-9,
            "{long} / {short} vs {expected}"
        );
    }

    #[test]
    fn another_writers_spelling_and_words_are_named_with_numbers() {
        let p = profile(&(0..16).map(half_contracting).collect::<Vec<_>>());
        let other = "Quarterly procurement synchronisation: vendors' consolidated \
                     invoices arrive Thursdays; reconciliation happens afterwards.\n";
        let v = p.compare(&Sample::of(&Document::parse(other)));
        let c = v
            .contributions
            .iter()
            .find(|c| c.feature == "char_trigrams")
            .unwrap();
        assert!(c.z > 2.0, "{c:?}");
        assert!(c.value > 0.0);
        assert!(v.departs(1.0), "{v:?}");
        let named = v.describe(&p, c);
        assert_eq!(
            named,
            format!(
                "your spelling and word choice differ: this draft is {:.1} standard deviations \
                 further from your mail's letter patterns than your own messages are",
                c.z
            )
        );
    }

    #[test]
    fn expected_poisson_deviance_is_near_one_for_large_means_and_small_for_tiny_ones() {
        let (m, _) = poisson_deviance_moments(50.0);
        assert!((m - 1.0).abs() < 0.05, "{m}");
        let (m, _) = poisson_deviance_moments(0.01);
        assert!(m < 0.2, "{m}");
    }
}
