//! How much each habit's departure counts, the same for every writer.
//!
//! Each habit's departure is a signed standardised deviation `z` (against the writer's own
//! rate and spread, for a draft of this length; see `distance.rs`). What it adds to the
//! distance is `up * max(z, 0) + down * max(-z, 0) + square * z²`: a direction polishing
//! pushes in (fewer contractions, no two spaces after a full stop) can count more than the
//! other direction, and any large difference counts for telling another writer apart.
//!
//! The weights were fitted by `python3 scripts/fit_voice_weights.py` (non-negative logistic
//! regression) on training data only: the easy-ham-1 authors of the voice evaluation
//! (their own later mail against other authors' mail) and the polished rewrites of
//! training-split senders in `data/voice-polished` (each rewrite against a profile of its
//! sender's other mail). The held-out rewrites in `data/voice-rewrites` were not used.
//!
//! They are a table in code rather than a rule-pack file: they belong to the habit
//! definitions in `features.rs`, and a profile's threshold is calibrated in their units, so
//! changing them means a new profile version (`VERSION`), not a per-team setting.

/// One habit's weights; see the module documentation.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Weight {
    /// Per unit of `z` above the writer's usual.
    pub up: f64,
    /// Per unit of `z` below the writer's usual.
    pub down: f64,
    /// Per unit of `z²`, either way.
    pub square: f64,
}

const fn w(up: f64, down: f64, square: f64) -> Weight {
    Weight { up, down, square }
}

/// Every habit's weights, by its key in a verdict's contributions (sorted), as printed by
/// `scripts/fit_voice_weights.py`. Greeting and sign-off are held at 0.1 per `z²` there: the
/// mailing-list corpus seldom has either, so it cannot weigh them.
pub(crate) const WEIGHTS: &[(&str, Weight)] = &[
    ("char_trigrams", w(0.109, 0.000, 0.059)),
    ("function_words", w(0.187, 0.000, 0.000)),
    ("greeting", w(0.000, 0.000, 0.100)),
    ("lengths.paragraph_sentences", w(0.000, 0.038, 0.018)),
    ("lengths.sentence_words", w(0.057, 0.000, 0.000)),
    ("new_words", w(0.288, 0.000, 0.002)),
    ("rates.bullets", w(0.058, 0.000, 0.167)),
    ("rates.capitals", w(0.045, 0.000, 0.052)),
    ("rates.commas", w(0.134, 0.000, 0.000)),
    ("rates.contractions", w(0.168, 0.000, 0.035)),
    ("rates.double_hyphens", w(0.000, 0.127, 0.209)),
    ("rates.ellipses", w(0.019, 0.000, 0.095)),
    ("rates.em_dashes", w(0.007, 0.000, 0.049)),
    ("rates.emoticons", w(0.024, 0.000, 0.102)),
    ("rates.exclamations", w(0.000, 0.000, 0.000)),
    ("rates.informal_words", w(0.000, 0.022, 0.000)),
    ("rates.long_words", w(0.000, 0.020, 0.002)),
    ("rates.lowercase_i", w(0.000, 0.000, 0.060)),
    ("rates.lowercase_starts", w(0.000, 0.080, 0.142)),
    ("rates.parentheses", w(0.141, 0.000, 0.045)),
    ("rates.questions", w(0.037, 0.000, 0.000)),
    ("rates.semicolons", w(0.193, 0.000, 0.262)),
    ("rates.slips", w(0.000, 0.198, 0.269)),
    ("rates.two_spaces", w(0.000, 0.243, 0.447)),
    ("sign_off", w(0.000, 0.000, 0.100)),
    ("unused_vocabulary", w(0.073, 0.000, 0.074)),
];

/// The weights of a habit (none for a key not listed).
pub(crate) fn of(feature: &str) -> Weight {
    WEIGHTS
        .binary_search_by(|(k, _)| (*k).cmp(feature))
        .map_or(w(0.0, 0.0, 0.0), |i| WEIGHTS[i].1)
}

impl Weight {
    /// What a departure of `z` adds to the distance.
    pub(crate) fn apply(&self, z: f64) -> f64 {
        self.up * z.max(0.0) + self.down * (-z).max(0.0) + self.square * z * z
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorted_for_lookup_and_non_negative() {
        assert!(WEIGHTS.windows(2).all(|p| p[0].0 < p[1].0));
        for (k, w) in WEIGHTS {
            assert!(w.up >= 0.0 && w.down >= 0.0 && w.square >= 0.0, "{k}");
        }
    }
}
