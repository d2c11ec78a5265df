//! The audit's counts: what each sent message adds, and what shards add together. Everything
//! the report says is computed from these counts alone, so merging shard counts gives exactly
//! the report of a single run.

use std::collections::BTreeMap;

use redline_rules::Severity;
use serde::{Deserialize, Serialize};

use crate::bands::ScoreCounts;
use redline_calendar::Day;

/// Emails and how many of them got a reply.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tally {
    /// Emails counted.
    pub emails: u64,
    /// Of those, emails with a reply.
    pub replied: u64,
}

impl Tally {
    pub(crate) fn add(&mut self, replied: bool) {
        self.emails += 1;
        self.replied += u64::from(replied);
    }

    pub(crate) fn merge(&mut self, other: Tally) {
        self.emails += other.emails;
        self.replied += other.replied;
    }
}

/// A tally with the share of its emails that had a finding.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Period {
    /// Emails and replies.
    pub tally: Tally,
    /// Emails with at least one finding.
    pub flagged: u64,
}

impl Period {
    fn add(&mut self, replied: bool, flagged: bool) {
        self.tally.add(replied);
        self.flagged += u64::from(flagged);
    }

    fn merge(&mut self, other: Period) {
        self.tally.merge(other.tally);
        self.flagged += other.flagged;
    }
}

/// A text around a match, to show what a pattern looks like in the team's mail.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Example {
    /// The message's id: examples are the ones with the smallest ids, whatever the order
    /// messages were read in, so shards merge to the same examples.
    pub message: String,
    /// The sentence or so around the match.
    pub snippet: String,
}

/// Examples kept per pattern.
pub const EXAMPLES_PER_PATTERN: usize = 3;

/// One sent message, reduced to what the audit counts.
#[derive(Debug, Clone)]
pub struct Record {
    /// Its UTC day: a message without one is left out, so every counted message is in a
    /// month (and a rollout period).
    pub day: Day,
    /// A reply or follow-up in a thread rather than a first touch.
    pub in_thread: bool,
    /// Whether it got a reply.
    pub replied: bool,
    /// The sender, only kept for `--by-sender`.
    pub sender: Option<String>,
    /// The rules that fired, each once.
    pub rules: Vec<(String, Severity)>,
    /// The patterns that matched, each once: `(rule, phrase)`, with an example.
    pub patterns: Vec<(String, String, Example)>,
    /// Each score rule's probability for it (`None`: too short to score).
    pub scores: Vec<(String, Option<f64>)>,
}

impl Record {
    /// A first touch sent on `day` with no reply, no finding and no score.
    pub fn on(day: Day) -> Record {
        Record {
            day,
            in_thread: false,
            replied: false,
            sender: None,
            rules: Vec::new(),
            patterns: Vec::new(),
            scores: Vec::new(),
        }
    }
}

/// What a pattern matched: the rule, the phrase as the pack writes it.
pub type PatternKey = (String, String);

/// Counts over sent messages.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Counts {
    /// Every message analysed.
    pub all: Tally,
    /// First touches.
    pub first_touch: Tally,
    /// Replies and follow-ups in a thread.
    pub follow_up: Tally,
    /// Messages with no finding.
    pub baseline: Tally,
    /// By rule.
    pub rules: BTreeMap<String, (Severity, Tally)>,
    /// By pattern, with examples.
    pub patterns: BTreeMap<PatternKey, (Tally, Vec<Example>)>,
    /// By calendar month (`YYYY-MM`).
    pub months: BTreeMap<String, Period>,
    /// Before and after the rollout day, when one is given.
    pub rollout: Option<(Day, Period, Period)>,
    /// By sender, only for `--by-sender`.
    pub senders: BTreeMap<String, Period>,
    /// By score rule: emails and replies by band of probability (see [`crate::bands`]). Every score
    /// rule that ran has an entry, even when no message was long enough to score.
    pub scores: BTreeMap<String, ScoreCounts>,
    /// Messages left out, by reason.
    pub skipped: BTreeMap<String, u64>,
}

impl Counts {
    /// Empty counts; `rollout` splits them before and after that day.
    pub fn new(rollout: Option<Day>) -> Counts {
        Counts {
            rollout: rollout.map(|d| (d, Period::default(), Period::default())),
            ..Counts::default()
        }
    }

    /// Notes a message left out, and why.
    pub fn skip(&mut self, reason: &str) {
        *self.skipped.entry(reason.to_string()).or_default() += 1;
    }

    /// Counts one message.
    pub fn add(&mut self, r: Record) {
        let flagged = !r.rules.is_empty();
        self.all.add(r.replied);
        if r.in_thread {
            self.follow_up.add(r.replied);
        } else {
            self.first_touch.add(r.replied);
        }
        if !flagged {
            self.baseline.add(r.replied);
        }
        for (rule, severity) in r.rules {
            let entry = self
                .rules
                .entry(rule)
                .or_insert((severity, Tally::default()));
            entry.1.add(r.replied);
        }
        for (rule, phrase, example) in r.patterns {
            let entry = self.patterns.entry((rule, phrase)).or_default();
            entry.0.add(r.replied);
            keep_example(&mut entry.1, example);
        }
        for (rule, probability) in r.scores {
            if let Some(bands) = self.scores.get_mut(&rule) {
                bands.add(probability, r.replied);
            }
        }
        self.months
            .entry(r.day.month_key())
            .or_default()
            .add(r.replied, flagged);
        if let Some((at, before, after)) = &mut self.rollout {
            if r.day < *at { before } else { after }.add(r.replied, flagged);
        }
        if let Some(sender) = r.sender {
            self.senders
                .entry(sender)
                .or_default()
                .add(r.replied, flagged);
        }
    }

    /// Adds another shard's counts. Fails when the shards were split at different rollout
    /// days, which would make the before/after figures meaningless, or scored with different
    /// score rules, whose bands would not cover the same messages.
    pub fn merge(&mut self, other: Counts) -> Result<(), String> {
        let rules = |c: &Counts| c.scores.keys().cloned().collect::<Vec<_>>().join(", ");
        if !self.scores.keys().eq(other.scores.keys()) {
            return Err(format!(
                "the summaries were made with different score rules ([{}] and [{}])",
                rules(self),
                rules(&other)
            ));
        }
        match (&mut self.rollout, other.rollout) {
            (None, None) => {}
            (Some((a, before, after)), Some((b, other_before, other_after))) if *a == b => {
                before.merge(other_before);
                after.merge(other_after);
            }
            _ => return Err("the summaries were made with different --rollout days".into()),
        }
        self.all.merge(other.all);
        self.first_touch.merge(other.first_touch);
        self.follow_up.merge(other.follow_up);
        self.baseline.merge(other.baseline);
        for (rule, (severity, tally)) in other.rules {
            let entry = self
                .rules
                .entry(rule)
                .or_insert((severity, Tally::default()));
            entry.1.merge(tally);
        }
        for (key, (tally, examples)) in other.patterns {
            let entry = self.patterns.entry(key).or_default();
            entry.0.merge(tally);
            for e in examples {
                keep_example(&mut entry.1, e);
            }
        }
        for (month, period) in other.months {
            self.months.entry(month).or_default().merge(period);
        }
        for (sender, period) in other.senders {
            self.senders.entry(sender).or_default().merge(period);
        }
        for (rule, bands) in other.scores {
            let mine = self.scores.get_mut(&rule).expect("the same score rules");
            mine.merge(bands)
                .map_err(|e| format!("the summaries scored {rule} differently: {e}"))?;
        }
        for (reason, n) in other.skipped {
            *self.skipped.entry(reason).or_default() += n;
        }
        Ok(())
    }
}

/// Keeps the examples with the smallest message ids, one per distinct snippet, at most
/// [`EXAMPLES_PER_PATTERN`]. The result depends only on the set of examples offered, not their
/// order, so shards merge to the examples of a single run.
fn keep_example(examples: &mut Vec<Example>, example: Example) {
    if let Some(i) = examples.iter().position(|e| e.snippet == example.snippet) {
        if examples[i].message <= example.message {
            return;
        }
        examples.remove(i);
    }
    let at = examples.partition_point(|e| *e < example);
    if at < EXAMPLES_PER_PATTERN {
        examples.insert(at, example);
        examples.truncate(EXAMPLES_PER_PATTERN);
    }
}
