//! A profile: one writer's habits as statistics, learned from their own messages and
//! calibrated on them, and the small TOML file it is kept in.

use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::distance::trigram_distance;
use crate::features::{
    FUNCTION_WORDS, GREETINGS, LENGTHS, Model, Moments, RATES, SIGN_OFFS, Sample, TRIGRAM_BUCKETS,
    VOCABULARY, WORD_BUCKETS,
};

/// Fewer usable messages than this and `learn` refuses: the habits would be guesses.
pub const MIN_MESSAGES: usize = 10;

/// The share of the writer's own mail the threshold is set to flag (leave-one-out).
pub const TARGET_FLAGGED: f64 = 0.05;

/// The profile file's format name and the version this build reads and writes.
pub const FORMAT: &str = "redline-voice-profile";
/// See [`FORMAT`].
pub const VERSION: u32 = 5;

/// The lowest threshold a profile gets: a writer whose messages barely differ from each other
/// (a template) still has room for an ordinary draft. Real writers' thresholds are 0.9-3.1
/// (`scripts/fit_voice_weights.py`).
const MIN_THRESHOLD: f64 = 0.5;

/// The most any one difference adds to a distance, so one odd habit cannot decide alone.
pub(crate) const CAP: f64 = 12.0;
const MAX_DISPERSION: f64 = 20.0;

/// How often a habit occurs: `count` of `of` chances (or units), and how much more it varies
/// from message to message than chance alone would make it (`dispersion`, 1 = chance).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rate {
    /// Occurrences in all messages.
    pub count: u64,
    /// Chances (or units) in all messages.
    pub of: u64,
    /// Variance between messages relative to chance, at least 1.
    pub dispersion: f64,
}

impl Rate {
    /// The rate, smoothed so that a habit never seen is rare rather than impossible.
    pub(crate) fn p(&self) -> f64 {
        (self.count as f64 + 0.5) / (self.of as f64 + 1.0)
    }

    /// The writer's own share, unsmoothed: what their mail shows, for saying it in words
    /// (the smoothed [`Rate::p`] stays inside the distance). `None` when the mail had no
    /// chance to show the habit.
    pub(crate) fn share(&self) -> Option<f64> {
        (self.of > 0).then(|| self.count as f64 / self.of as f64)
    }

    fn fit(pairs: impl Iterator<Item = (u64, u64)> + Clone, model: Model) -> Rate {
        let (count, of) = pairs.clone().fold((0, 0), |(k, n), (a, b)| (k + a, n + b));
        let mut rate = Rate {
            count,
            of,
            dispersion: 1.0,
        };
        let p = rate.p();
        let (mut chi, mut m) = (0.0, 0u32);
        for (k, n) in pairs.filter(|&(_, n)| n > 0) {
            let e = n as f64 * p;
            let var = match model {
                Model::Share => e * (1.0 - p),
                Model::PerUnit => e,
            };
            chi += (k as f64 - e).powi(2) / var;
            m += 1;
        }
        if m > 1 {
            rate.dispersion = (chi / f64::from(m - 1)).clamp(1.0, MAX_DISPERSION);
        }
        rate
    }
}

/// A length distribution (words per sentence, sentences per paragraph): the raw average, and
/// the mean and spread of `ln(1 + length)` the comparison uses.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Length {
    /// Units measured.
    pub units: u64,
    /// Average length.
    pub average: f64,
    /// Mean of `ln(1 + length)`.
    pub log_mean: f64,
    /// Standard deviation of `ln(1 + length)`.
    pub log_sd: f64,
    /// Variance of a message's mean between messages, relative to independent units.
    pub dispersion: f64,
}

impl Length {
    fn fit<'a>(moments: impl Iterator<Item = &'a Moments> + Clone) -> Length {
        let mut all = Moments::default();
        for m in moments.clone() {
            all.add(m);
        }
        let mean = all.mean();
        let var = (all.sum_sq / all.n.max(1) as f64 - mean * mean).max(1e-4);
        let (mut chi, mut m) = (0.0, 0u32);
        for each in moments.filter(|m| m.n > 0) {
            chi += each.n as f64 * (each.mean() - mean).powi(2) / var;
            m += 1;
        }
        Length {
            units: all.n,
            average: all.average(),
            log_mean: mean,
            log_sd: var.sqrt(),
            dispersion: if m > 1 {
                (chi / f64::from(m - 1)).clamp(1.0, MAX_DISPERSION)
            } else {
                1.0
            },
        }
    }
}

/// The writer's character trigrams: counts per bucket over all their messages, and the mean
/// and spread of their own messages' distances from the others' (left out in turn), which a
/// draft's distance is measured against.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Trigrams {
    /// Mean of the writer's own messages' length-scaled distances.
    pub mean: f64,
    /// Their standard deviation (with a floor, so a few similar messages do not make every
    /// draft look far).
    pub sd: f64,
    /// Counts per hashed bucket ([`TRIGRAM_BUCKETS`] of them).
    pub counts: Vec<u32>,
}

/// The smallest trigram spread a profile uses.
const MIN_TRIGRAM_SD: f64 = 0.05;

impl Trigrams {
    fn fit(samples: &[&Sample]) -> Trigrams {
        let mut counts = vec![0u32; TRIGRAM_BUCKETS];
        for s in samples {
            for (c, x) in counts.iter_mut().zip(&s.trigrams) {
                *c += x;
            }
        }
        let own: Vec<f64> = samples
            .iter()
            .filter_map(|s| trigram_distance(&counts, &s.trigrams, true))
            .collect();
        let k = own.len().max(1) as f64;
        let mean = own.iter().sum::<f64>() / k;
        let var = own.iter().map(|d| (d - mean).powi(2)).sum::<f64>() / (k - 1.0).max(1.0);
        Trigrams {
            mean,
            sd: var.sqrt().max(MIN_TRIGRAM_SD),
            counts,
        }
    }
}

/// How the threshold was set.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Calibration {
    /// `leave-one-out`: each message compared with a profile of all the others.
    pub method: String,
    /// The share of the writer's own mail the threshold was set to flag.
    pub target: f64,
    /// The share of the writer's own messages above the threshold, left out in turn.
    pub flagged: f64,
    /// The median distance of the writer's own messages, left out in turn.
    pub median: f64,
}

/// One writer's voice: statistics of their own mail, never its text.
#[derive(Debug, Clone, PartialEq)]
pub struct Profile {
    pub(crate) messages: u32,
    pub(crate) words: u64,
    pub(crate) sentences: u64,
    pub(crate) threshold: f64,
    pub(crate) calibration: Calibration,
    pub(crate) greeting: Vec<u32>,
    pub(crate) sign_off: Vec<u32>,
    pub(crate) rates: Vec<Rate>,
    pub(crate) lengths: Vec<Length>,
    pub(crate) function: Vec<Rate>,
    pub(crate) vocabulary: Vec<u32>,
    pub(crate) unseen: Rate,
    pub(crate) trigrams: Trigrams,
    pub(crate) new_words: Rate,
    pub(crate) words_seen: WordSet,
}

/// The writer's content words as a set of hashed buckets ([`WORD_BUCKETS`] bits): which
/// buckets any of their messages used. Each bucket stands for many words, so no word can be
/// read back; the file keeps it as hexadecimal.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct WordSet(Vec<u64>);

impl WordSet {
    /// Whether any of the writer's messages used a word in this bucket.
    pub(crate) fn contains(&self, bucket: u16) -> bool {
        self.0[usize::from(bucket) / 64] >> (bucket % 64) & 1 == 1
    }

    fn hex(&self) -> String {
        self.0.iter().map(|w| format!("{w:016x}")).collect()
    }

    fn from_hex(hex: &str) -> Result<WordSet, String> {
        if hex.len() != WORD_BUCKETS / 4 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(format!(
                "`words_seen` must be {} hexadecimal digits",
                WORD_BUCKETS / 4
            ));
        }
        let words = (0..hex.len())
            .step_by(16)
            .map(|i| u64::from_str_radix(&hex[i..i + 16], 16).expect("checked hex digits"))
            .collect();
        Ok(WordSet(words))
    }
}

/// The writer's content words, and how many of each message's were new to their other
/// messages: the buckets used and, per message, its buckets used by no other message.
fn word_habits(samples: &[&Sample]) -> (WordSet, Rate) {
    let mut messages = vec![0u16; WORD_BUCKETS];
    for s in samples {
        for &b in &s.content {
            messages[usize::from(b)] = messages[usize::from(b)].saturating_add(1);
        }
    }
    let mut set = vec![0u64; WORD_BUCKETS / 64];
    for (b, &m) in messages.iter().enumerate() {
        if m > 0 {
            set[b / 64] |= 1 << (b % 64);
        }
    }
    let new = samples.iter().map(|s| {
        let only_here = s.content.iter().filter(|&&b| messages[usize::from(b)] == 1);
        (only_here.count() as u64, s.content.len() as u64)
    });
    (WordSet(set), Rate::fit(new, Model::Share))
}

/// `learn` was given too few messages to trust.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TooFew {
    /// Messages with enough of the writer's own text.
    pub usable: usize,
    /// The minimum.
    pub needed: usize,
}

impl fmt::Display for TooFew {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "only {} message{} with at least {} words of your own text; a voice profile needs {} or more",
            self.usable,
            if self.usable == 1 { "" } else { "s" },
            crate::features::MIN_WORDS,
            self.needed
        )
    }
}

impl Profile {
    /// Learns a profile from the writer's messages (those with too little text of their own
    /// are left out) and calibrates its threshold leave-one-out, so that about
    /// [`TARGET_FLAGGED`] of their own messages would be flagged.
    pub fn learn(samples: &[Sample]) -> Result<Profile, TooFew> {
        let usable: Vec<&Sample> = samples.iter().filter(|s| s.is_usable()).collect();
        if usable.len() < MIN_MESSAGES {
            return Err(TooFew {
                usable: usable.len(),
                needed: MIN_MESSAGES,
            });
        }
        let mut profile = Profile::fit(&usable);
        let mut distances: Vec<f64> = (0..usable.len())
            .map(|i| {
                let others: Vec<&Sample> = usable
                    .iter()
                    .enumerate()
                    .filter(|&(j, _)| j != i)
                    .map(|(_, s)| *s)
                    .collect();
                Profile::fit(&others).compare(usable[i]).distance
            })
            .collect();
        distances.sort_by(f64::total_cmp);
        let threshold = lognormal_quantile(&distances).max(MIN_THRESHOLD);
        let above = distances.iter().filter(|&&d| d > threshold).count();
        profile.threshold = threshold;
        profile.calibration = Calibration {
            method: "leave-one-out".into(),
            target: TARGET_FLAGGED,
            flagged: above as f64 / distances.len() as f64,
            median: quantile(&distances, 0.5),
        };
        profile.round();
        Ok(profile)
    }

    /// The statistics of `samples`, without a threshold.
    fn fit(samples: &[&Sample]) -> Profile {
        let count = |kinds: &[&str], of: &dyn Fn(&Sample) -> usize| {
            let mut c = vec![0u32; kinds.len()];
            for s in samples {
                c[of(s)] += 1;
            }
            c
        };
        let mut vocabulary = vec![0u32; VOCABULARY.len()];
        for s in samples {
            for &(i, c) in &s.vocabulary {
                vocabulary[i] += c;
            }
        }
        let unseen = samples.iter().map(|s| {
            let k: u32 = s
                .vocabulary
                .iter()
                .filter(|&&(i, c)| vocabulary[i] == c)
                .map(|&(_, c)| c)
                .sum();
            (u64::from(k), u64::from(s.words))
        });
        let (words_seen, new_words) = word_habits(samples);
        Profile {
            new_words,
            words_seen,
            messages: samples.len() as u32,
            words: samples.iter().map(|s| u64::from(s.words)).sum(),
            sentences: samples.iter().map(|s| u64::from(s.sentences)).sum(),
            threshold: 0.0,
            calibration: Calibration {
                method: String::new(),
                target: TARGET_FLAGGED,
                flagged: 0.0,
                median: 0.0,
            },
            greeting: count(GREETINGS, &|s| s.greeting),
            sign_off: count(SIGN_OFFS, &|s| s.sign_off),
            rates: (0..RATES.len())
                .map(|r| {
                    let pairs = samples
                        .iter()
                        .map(move |s| (u64::from(s.rates[r].0), u64::from(s.rates[r].1)));
                    Rate::fit(pairs, RATES[r].model)
                })
                .collect(),
            lengths: (0..LENGTHS.len())
                .map(|l| Length::fit(samples.iter().map(move |s| &s.lengths[l])))
                .collect(),
            function: (0..FUNCTION_WORDS.len())
                .map(|w| {
                    let pairs = samples
                        .iter()
                        .map(move |s| (u64::from(s.function[w]), u64::from(s.words)));
                    Rate::fit(pairs, Model::PerUnit)
                })
                .collect(),
            unseen: Rate::fit(unseen, Model::PerUnit),
            vocabulary,
            trigrams: Trigrams::fit(samples),
        }
    }

    /// Rounds every figure as the file keeps it, so a profile read back is the one learned.
    fn round(&mut self) {
        self.threshold = round(self.threshold);
        self.calibration.flagged = round(self.calibration.flagged);
        self.calibration.median = round(self.calibration.median);
        for r in self.rates.iter_mut().chain(&mut self.function) {
            r.dispersion = round(r.dispersion);
        }
        self.unseen.dispersion = round(self.unseen.dispersion);
        self.new_words.dispersion = round(self.new_words.dispersion);

        self.trigrams.mean = round(self.trigrams.mean);
        self.trigrams.sd = round(self.trigrams.sd);
        for l in &mut self.lengths {
            l.average = round(l.average);
            l.log_mean = round(l.log_mean);
            l.log_sd = round(l.log_sd);
            l.dispersion = round(l.dispersion);
        }
    }

    /// How many messages the profile was learned from.
    pub fn messages(&self) -> u32 {
        self.messages
    }

    /// The distance above which a draft does not sound like the writer.
    pub fn threshold(&self) -> f64 {
        self.threshold
    }

    /// How the threshold was calibrated.
    pub fn calibration(&self) -> &Calibration {
        &self.calibration
    }

    /// The profile as its TOML file.
    pub fn to_toml(&self) -> String {
        let file = File {
            format: FORMAT.into(),
            version: VERSION,
            messages: self.messages,
            words: self.words,
            sentences: self.sentences,
            threshold: self.threshold,
            calibration: self.calibration.clone(),
            greeting: named(GREETINGS, &self.greeting),
            sign_off: named(SIGN_OFFS, &self.sign_off),
            rates: RATES
                .iter()
                .zip(&self.rates)
                .map(|(d, r)| (d.key.to_string(), *r))
                .collect(),
            lengths: LENGTHS
                .iter()
                .zip(&self.lengths)
                .map(|(d, l)| (d.0.to_string(), *l))
                .collect(),
            function_words: FUNCTION_WORDS
                .iter()
                .zip(&self.function)
                .map(|(w, r)| (w.to_string(), *r))
                .collect(),
            unused_vocabulary: self.unseen,
            vocabulary: named(VOCABULARY, &self.vocabulary)
                .into_iter()
                .filter(|(_, c)| *c > 0)
                .collect(),
            char_trigrams: self.trigrams.clone(),
            new_words: self.new_words,
            words_seen: self.words_seen.hex(),
        };
        let body = toml::to_string(&file).expect("a profile always serialises");
        format!("{HEADER}{body}")
    }

    /// Reads a profile file's text, strictly: a wrong format or version, a truncated file,
    /// unknown keys and impossible values are errors that say where.
    pub fn parse(src: &str) -> Result<Profile, ProfileError> {
        let at = |e: toml::de::Error| ProfileError {
            message: e.message().trim().replace('\n', " "),
            position: e.span().map(|s| line_col(src, s.start)),
        };
        let head: Head = toml::from_str(src).map_err(at)?;
        if head.format.as_ref().and_then(toml::Value::as_str) != Some(FORMAT) {
            return Err(ProfileError::new(format!(
                "not a redline voice profile (it needs `format = \"{FORMAT}\"`)"
            )));
        }
        let Some(version) = head.version else {
            return Err(ProfileError::new("the profile has no `version`".into()));
        };
        let message = match version.get_ref().as_integer() {
            Some(v) if v == i64::from(VERSION) => None,
            Some(v) if v > i64::from(VERSION) => Some(format!(
                "profile version {v} was written by a newer redline; this one reads version \
                 {VERSION}: upgrade redline to use it"
            )),
            Some(v) => Some(format!(
                "profile version {v}; this redline reads version {VERSION} (learn it again with \
                 `redline voice learn`)"
            )),
            None => Some(format!(
                "`version` must be a whole number (this redline reads version {VERSION})"
            )),
        };
        if let Some(message) = message {
            return Err(ProfileError {
                message,
                position: Some(line_col(src, version.span().start)),
            });
        }
        let file: File = toml::from_str(src).map_err(at)?;
        file.into_profile().map_err(|message| {
            // A value's error names its key first, in backquotes: it is placed at that value.
            let key = message.split('`').nth(1);
            let position = key.and_then(|k| value_at(src, k)).map(|o| line_col(src, o));
            ProfileError { message, position }
        })
    }

    /// Reads a profile file.
    pub fn load(path: &Path) -> Result<Profile, ProfileError> {
        let src = std::fs::read_to_string(path)
            .map_err(|e| ProfileError::new(format!("cannot read voice profile: {e}")))?;
        Profile::parse(&src)
    }
}

const HEADER: &str = "\
# A redline voice profile: the habits of one writer, learned from their own sent mail by
# `redline voice learn`. It holds statistics only: counts and rates, never message text or
# anyone's address. It stays with the writer; `redline check --voice` compares drafts with it.
#
# threshold: the distance above which a draft does not sound like the writer, set so that
#   about 5% of their own messages, each compared with a profile of the others, are above it.
# rates: `count` of `of` chances (or per unit); `dispersion`: how much more it varies between
#   messages than chance. lengths: of `ln(1 + length)`. vocabulary: how often the writer used
#   words of polished prose (a fixed list); words never used are left out.
# char_trigrams: counts of three-character sequences, by a hash into 1024 buckets (no text
#   can be read back), and the mean and spread of your own messages' distances from them.
# new_words: of each message's content words, how many none of your other messages used.
# words_seen: the content words of your mail as 16384 hashed buckets, in hexadecimal (each
#   bucket stands for many words, so no word can be read back).
";

/// A problem with a profile file's contents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProfileError {
    /// What is wrong.
    pub message: String,
    /// The 1-based line and column, when the problem has one.
    pub position: Option<(usize, usize)>,
}

impl ProfileError {
    fn new(message: String) -> Self {
        ProfileError {
            message,
            position: None,
        }
    }
}

impl fmt::Display for ProfileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.position {
            Some((line, col)) => write!(f, "{line}:{col}: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for ProfileError {}

/// Where the value at a dotted key path (`rates.contractions`) is written in `src`.
fn value_at(src: &str, path: &str) -> Option<usize> {
    let root = toml::de::DeTable::parse(src).ok()?;
    let mut table = root.get_ref();
    let mut keys = path.split('.').peekable();
    while let Some(key) = keys.next() {
        let value = table.get(key)?;
        match value.get_ref() {
            toml::de::DeValue::Table(inner) if keys.peek().is_some() => table = inner,
            _ => return Some(value.span().start),
        }
    }
    None
}

fn line_col(src: &str, offset: usize) -> (usize, usize) {
    let before = &src[..offset.min(src.len())];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

/// What a profile file is and which version, read (with where the version is written) before
/// the rest, so a file of another kind or version gets an error that says so rather than one
/// about a field its format does not have.
#[derive(Deserialize)]
struct Head {
    format: Option<toml::Value>,
    version: Option<toml::Spanned<toml::Value>>,
}

/// The profile file as written.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    format: String,
    version: u32,
    messages: u32,
    words: u64,
    sentences: u64,
    threshold: f64,
    calibration: Calibration,
    greeting: BTreeMap<String, u32>,
    sign_off: BTreeMap<String, u32>,
    rates: BTreeMap<String, Rate>,
    lengths: BTreeMap<String, Length>,
    function_words: BTreeMap<String, Rate>,
    unused_vocabulary: Rate,
    vocabulary: BTreeMap<String, u32>,
    char_trigrams: Trigrams,
    new_words: Rate,
    words_seen: String,
}

impl File {
    fn into_profile(self) -> Result<Profile, String> {
        if (self.messages as usize) < MIN_MESSAGES {
            return Err(format!(
                "`messages` is {}; a profile needs at least {MIN_MESSAGES}",
                self.messages
            ));
        }
        if !(self.threshold.is_finite() && self.threshold > 0.0) {
            return Err("`threshold` must be a positive number".into());
        }
        let greeting = counts(&self.greeting, GREETINGS, "greeting")?;
        let sign_off = counts(&self.sign_off, SIGN_OFFS, "sign_off")?;
        for (table, kinds) in [(&greeting, "greeting"), (&sign_off, "sign_off")] {
            if table.iter().sum::<u32>() != self.messages {
                return Err(format!(
                    "the `{kinds}` counts do not add up to `messages` ({})",
                    self.messages
                ));
            }
        }
        let keys: Vec<&str> = RATES.iter().map(|d| d.key).collect();
        let rates = all_of(&self.rates, &keys, "rates")?;
        for (r, d) in rates.iter().zip(RATES) {
            check_rate(r, d.model, &format!("rates.{}", d.key))?;
        }
        let keys: Vec<&str> = LENGTHS.iter().map(|d| d.0).collect();
        let lengths = all_of(&self.lengths, &keys, "lengths")?;
        for (l, d) in lengths.iter().zip(LENGTHS) {
            let values = [l.average, l.log_mean, l.log_sd, l.dispersion];
            if values.iter().any(|v| !v.is_finite() || *v < 0.0) || l.dispersion < 1.0 {
                return Err(format!("`lengths.{}` has an impossible value", d.0));
            }
        }
        let function = all_of(&self.function_words, FUNCTION_WORDS, "function_words")?;
        for (r, w) in function.iter().zip(FUNCTION_WORDS) {
            check_rate(r, Model::PerUnit, &format!("function_words.{w}"))?;
        }
        check_rate(&self.unused_vocabulary, Model::PerUnit, "unused_vocabulary")?;
        let t = &self.char_trigrams;
        if t.counts.len() != TRIGRAM_BUCKETS {
            return Err(format!(
                "`char_trigrams.counts` has {} buckets; a profile has {TRIGRAM_BUCKETS}",
                t.counts.len()
            ));
        }
        if !(t.mean.is_finite() && t.sd.is_finite() && t.sd > 0.0) {
            return Err("`char_trigrams` has an impossible mean or spread".into());
        }
        check_rate(&self.new_words, Model::Share, "new_words")?;
        Ok(Profile {
            new_words: self.new_words,
            words_seen: WordSet::from_hex(&self.words_seen)?,
            messages: self.messages,
            words: self.words,
            sentences: self.sentences,
            threshold: self.threshold,
            calibration: self.calibration,
            greeting,
            sign_off,
            rates,
            lengths,
            function,
            vocabulary: counts(&self.vocabulary, VOCABULARY, "vocabulary")?,
            unseen: self.unused_vocabulary,
            trigrams: self.char_trigrams,
        })
    }
}

fn check_rate(r: &Rate, model: Model, key: &str) -> Result<(), String> {
    if !(r.dispersion.is_finite() && r.dispersion >= 1.0) {
        return Err(format!("`{key}.dispersion` must be 1 or more"));
    }
    if model == Model::Share && r.count > r.of {
        return Err(format!("`{key}.count` is more than `{key}.of`"));
    }
    Ok(())
}

/// Counts by name, in the order of `names`; names not listed are errors, missing ones 0.
fn counts(table: &BTreeMap<String, u32>, names: &[&str], key: &str) -> Result<Vec<u32>, String> {
    if let Some(unknown) = table.keys().find(|k| !names.contains(&k.as_str())) {
        return Err(format!("unknown `{key}` entry `{unknown}`"));
    }
    Ok(names
        .iter()
        .map(|n| table.get(*n).copied().unwrap_or(0))
        .collect())
}

/// Every one of `names` from `table`, in order; missing or unknown names are errors.
fn all_of<T: Copy>(
    table: &BTreeMap<String, T>,
    names: &[&str],
    key: &str,
) -> Result<Vec<T>, String> {
    if let Some(unknown) = table.keys().find(|k| !names.contains(&k.as_str())) {
        return Err(format!("unknown `{key}` entry `{unknown}`"));
    }
    names
        .iter()
        .map(|n| {
            table
                .get(*n)
                .copied()
                .ok_or_else(|| format!("`{key}.{n}` is missing (is the file truncated?)"))
        })
        .collect()
}

fn named(names: &[&str], counts: &[u32]) -> BTreeMap<String, u32> {
    names
        .iter()
        .zip(counts)
        .map(|(n, c)| (n.to_string(), *c))
        .collect()
}

/// Four decimals: enough for every comparison, short enough to read.
fn round(x: f64) -> f64 {
    (x * 1e4).round() / 1e4
}

/// The [`TARGET_FLAGGED`] upper quantile of the writer's own distances, from a log-normal
/// fitted to them: steadier than the empirical quantile of 10 to 50 messages, which rests on
/// the one or two largest.
fn lognormal_quantile(distances: &[f64]) -> f64 {
    /// The standard normal quantile for 1 - TARGET_FLAGGED (0.95).
    const Z95: f64 = 1.644_853_6;
    let logs: Vec<f64> = distances.iter().map(|d| d.max(1e-3).ln()).collect();
    let k = logs.len() as f64;
    let mean = logs.iter().sum::<f64>() / k;
    let var = logs.iter().map(|l| (l - mean).powi(2)).sum::<f64>() / (k - 1.0).max(1.0);
    (mean + Z95 * var.sqrt()).exp()
}

/// The `q` quantile of sorted values, interpolating between neighbours.
pub(crate) fn quantile(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let at = q * (sorted.len() - 1) as f64;
    let (lo, hi) = (at.floor() as usize, at.ceil() as usize);
    sorted[lo] + (sorted[hi] - sorted[lo]) * (at - lo as f64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use redline_text::Document;

    fn sample(text: &str) -> Sample {
        Sample::of(&Document::parse(text))
    }

    /// A synthetic writer: casual, lower-case, contractions, no greeting, short sentences.
    fn casual(i: usize) -> String {
        let topics = [
            "the build",
            "the rpm",
            "that patch",
            "the list",
            "my box",
            "the bug",
        ];
        let t = topics[i % topics.len()];
        let extra = if i % 3 == 0 {
            " btw it's late here."
        } else {
            ""
        };
        format!(
            "yeah i looked at {t} again. it's still broken on my side, can't tell why.{extra}\n\ni'll poke at it tonight. don't wait for me.\n"
        )
    }

    fn writer(n: usize) -> Vec<Sample> {
        (0..n).map(|i| sample(&casual(i))).collect()
    }

    #[test]
    fn refuses_below_the_minimum_and_says_how_many() {
        let mut few = writer(MIN_MESSAGES - 1);
        few.push(sample("too short.\n"));
        let e = Profile::learn(&few).unwrap_err();
        assert_eq!(e.usable, MIN_MESSAGES - 1);
        assert!(e.to_string().starts_with("only 9 messages"), "{e}");
        assert!(Profile::learn(&writer(MIN_MESSAGES)).is_ok());
    }

    #[test]
    fn round_trips_through_its_file() {
        let p = Profile::learn(&writer(20)).unwrap();
        let file = p.to_toml();
        assert!(file.starts_with("# A redline voice profile"));
        assert!(file.contains("version = 5"));
        let back = Profile::parse(&file).unwrap();
        assert_eq!(back, p);
        assert_eq!(back.to_toml(), file);
    }

    #[test]
    fn calibration_on_a_synthetic_writer_flags_about_five_percent_of_their_own_mail() {
        // Forty messages of one writer with natural variation: about 2 of 40 above.
        let mine: Vec<Sample> = (0..40)
            .map(|i| {
                let mut t = casual(i);
                if i % 4 == 1 {
                    t.push_str("\nanyway. we'll see what happens!\n");
                }
                if i % 5 == 2 {
                    t = format!("hey,\n\n{t}");
                }
                sample(&t)
            })
            .collect();
        let p = Profile::learn(&mine).unwrap();
        let c = p.calibration();
        assert_eq!(c.method, "leave-one-out");
        assert!(c.flagged <= 0.075 && c.flagged >= 0.025, "{c:?}");
        assert!(p.threshold() >= c.median);
    }

    #[test]
    fn a_polished_rewrite_of_the_writer_is_flagged_with_concrete_differences() {
        let p = Profile::learn(&writer(20)).unwrap();
        let own = p.compare(&sample(&casual(21)));
        assert!(!own.departs(1.0), "{own:?}");
        let polished = "Dear team,\n\nI have reviewed the build again. Unfortunately, it is still not working on my end, and I cannot determine why. Additionally, I will investigate further this evening to ensure a seamless resolution.\n\nPlease do not wait for me.\n\nBest regards,\nAlex\n";
        let v = p.compare(&sample(polished));
        assert!(v.departs(1.0), "{v:?}");
        let named = v.differences(&p, 3);
        assert_eq!(named.len(), 3, "{named:?}");
        assert!(
            named.iter().any(|d| d == "you open with no greeting line in 100% of your mail; this says 'Dear'"
                || d == "you use contractions (don't, I'm) 98% of the time you could; this draft 0 of 5"
                || d == "you end without a sign-off line in 100% of your mail; this ends with 'Best regards'"),
            "{named:?}"
        );
    }

    #[test]
    fn words_the_writer_never_used_count_against_their_own_rate_of_new_words() {
        let p = Profile::learn(&writer(20)).unwrap();
        assert_eq!(
            p.words_seen,
            WordSet::from_hex(&p.words_seen.hex()).unwrap()
        );
        let own = p.compare(&sample(&casual(3)));
        let c = |v: &crate::Verdict| {
            v.contributions
                .iter()
                .find(|c| c.feature == "new_words")
                .cloned()
                .unwrap()
        };
        assert_eq!(c(&own).draft, 0.0, "every word of theirs is known");
        let other = p.compare(&sample(
            "Quarterly procurement synchronisation needs vendors' consolidated invoices.\n",
        ));
        let new = c(&other);
        assert_eq!(new.draft, 1.0);
        assert!(new.z > 0.0 && new.value > 0.0, "{new:?}");
        assert_eq!(
            other.describe(&p, &new),
            format!(
                "7 of this draft's 7 words are ones your mail never uses (100%); \
                 a message of yours has {} new to your other mail",
                crate::summary::percent(new.yours)
            )
        );
    }

    #[test]
    fn bad_files_are_clear_errors() {
        let good = Profile::learn(&writer(12)).unwrap().to_toml();
        // The version's line and column, and what to do: an older profile is learned again,
        // a newer one needs a newer redline.
        let line = good[..good.find("version = 5").unwrap()]
            .matches('\n')
            .count()
            + 1;
        let older = good.replace("version = 5", "version = 4");
        assert_eq!(
            Profile::parse(&older).unwrap_err().to_string(),
            format!(
                "{line}:11: profile version 4; this redline reads version 5 (learn it again \
                 with `redline voice learn`)"
            )
        );
        let newer = good.replace("version = 5", "version = 99");
        assert_eq!(
            Profile::parse(&newer).unwrap_err().to_string(),
            format!(
                "{line}:11: profile version 99 was written by a newer redline; this one reads \
                 version 5: upgrade redline to use it"
            )
        );
        let word = good.replace("version = 5", "version = \"four\"");
        assert_eq!(
            Profile::parse(&word).unwrap_err().position,
            Some((line, 11))
        );
        let unknown = good.replace("[calibration]", "colour = \"blue\"\n\n[calibration]");
        let e = Profile::parse(&unknown).unwrap_err();
        assert!(e.message.contains("unknown field `colour`"), "{e}");
        assert!(e.position.is_some());
        let cut = &good[..good.find("[function_words").unwrap()];
        let e = Profile::parse(cut).unwrap_err();
        assert!(e.message.contains("missing field `function_words`"), "{e}");
        let e = Profile::parse("format = \"something else\"\n").unwrap_err();
        assert!(e.message.starts_with("not a redline voice profile"), "{e}");
        let counts = good.find("counts = [").unwrap() + "counts = [".len();
        let short = format!(
            "{}{}",
            &good[..counts],
            &good[counts..].replacen("0, ", "", 1)
        );
        // A bad value is placed at the value.
        let at = |text: &str, needle: &str| line_col(text, text.find(needle).unwrap());
        let (l, c) = line_col(
            &short,
            short.find("counts = [").unwrap() + "counts = ".len(),
        );
        assert_eq!(
            Profile::parse(&short).unwrap_err().to_string(),
            format!("{l}:{c}: `char_trigrams.counts` has 1023 buckets; a profile has 1024")
        );
        let seen = good.find("words_seen = \"").unwrap() + "words_seen = \"".len();
        let cut_set = format!("{}{}", &good[..seen], &good[seen + 1..]);
        let (l, c) = at(&cut_set, "words_seen = ");
        assert_eq!(
            Profile::parse(&cut_set).unwrap_err().to_string(),
            format!(
                "{l}:{}: `words_seen` must be 4096 hexadecimal digits",
                c + "words_seen = ".len()
            )
        );
        let negative = good.replacen("threshold = ", "threshold = -", 1);
        let (l, c) = at(&negative, "threshold = ");
        assert_eq!(
            Profile::parse(&negative).unwrap_err().to_string(),
            format!(
                "{l}:{}: `threshold` must be a positive number",
                c + "threshold = ".len()
            )
        );
        let half = &good[..good.len() / 2];
        assert!(Profile::parse(half).is_err());
    }
}
