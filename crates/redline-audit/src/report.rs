//! The audit's report: counts with their rates, intervals, lifts and p-values, in the shape
//! `--format json` prints. A report read back holds its counts, so reports from shards merge
//! (see [`merge`]) into the report one run over everything would give.

use std::collections::BTreeMap;

use redline_rules::Severity;
use serde::{Deserialize, Serialize};

use crate::bands::{self, ScoreBands};
use crate::counts::{Counts, Example, Period, Tally};
use crate::record::Options;
use redline_calendar::Day;
use redline_stats::{self as stats, Test, Z_95};

/// Emails below which a rate is shown but not ranked.
pub const DEFAULT_MIN_EMAILS: u64 = 30;

/// A group of emails and its reply rate with a Wilson 95% interval.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Group {
    /// Emails in the group.
    pub emails: u64,
    /// Of those, emails with a reply.
    pub replied: u64,
    /// `replied / emails`, absent for an empty group.
    #[serde(default)]
    pub reply_rate: Option<f64>,
    /// Lower end of the interval.
    #[serde(default)]
    pub ci_low: Option<f64>,
    /// Upper end of the interval.
    #[serde(default)]
    pub ci_high: Option<f64>,
}

impl Group {
    pub(crate) fn of(t: Tally) -> Group {
        let interval = stats::wilson(t.replied, t.emails, Z_95);
        Group {
            emails: t.emails,
            replied: t.replied,
            reply_rate: stats::rate(t.replied, t.emails),
            ci_low: interval.map(|i| i.0),
            ci_high: interval.map(|i| i.1),
        }
    }

    pub(crate) fn tally(&self) -> Tally {
        Tally {
            emails: self.emails,
            replied: self.replied,
        }
    }
}

/// A rule's or a pattern's emails compared with the baseline (emails with no finding).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Compared {
    /// The rule id.
    pub rule: String,
    /// For a pattern: the phrase as the pack writes it (or the text a pattern rule matched).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phrase: Option<String>,
    /// The rule's severity.
    pub severity: Severity,
    /// Emails and reply rate.
    #[serde(flatten)]
    pub group: Group,
    /// Against the baseline.
    #[serde(flatten)]
    pub versus: Versus,
    /// Replies these emails would have had at the baseline's rate, minus the replies they got.
    #[serde(default)]
    pub lost_replies: Option<f64>,
    /// Too few emails for the rate to mean much: shown, not ranked.
    #[serde(default)]
    pub too_few: bool,
    /// Example snippets (patterns only).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub examples: Vec<Example>,
}

/// How a group's reply rate compares with a reference group's (the baseline, or the lowest
/// voice-score band with enough emails).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Versus {
    /// Reply rate over the reference's reply rate.
    #[serde(default)]
    pub lift: Option<f64>,
    /// Two-sided p-value of the difference from the reference.
    #[serde(default)]
    pub p_value: Option<f64>,
    /// The test behind the p-value: `z` (two-proportion) or `fisher`.
    #[serde(default)]
    pub test: Option<String>,
}

impl Versus {
    /// `t` against `reference`: the lift (none when the reference never got a reply) and the
    /// p-value of the difference, two-proportion z or Fisher's exact test.
    pub fn of(t: Tally, reference: Tally) -> Versus {
        let test = stats::compare(t.replied, t.emails, reference.replied, reference.emails);
        Versus {
            lift: stats::rate(t.replied, t.emails)
                .zip(stats::rate(reference.replied, reference.emails).filter(|&r| r > 0.0))
                .map(|(r, b)| r / b),
            p_value: test.map(|t| t.0),
            test: test.map(|t| match t.1 {
                Test::TwoProportionZ => "z".to_string(),
                Test::FisherExact => "fisher".to_string(),
            }),
        }
    }
}

/// A calendar month.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Month {
    /// `YYYY-MM`.
    pub month: String,
    /// Emails and reply rate.
    #[serde(flatten)]
    pub period: PeriodRow,
}

/// Emails, reply rate, and the share with a finding.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PeriodRow {
    /// Emails and reply rate.
    #[serde(flatten)]
    pub group: Group,
    /// Emails with at least one finding.
    pub flagged: u64,
    /// `flagged / emails`.
    #[serde(default)]
    pub flagged_share: Option<f64>,
}

impl PeriodRow {
    fn of(p: Period) -> PeriodRow {
        PeriodRow {
            group: Group::of(p.tally),
            flagged: p.flagged,
            flagged_share: stats::rate(p.flagged, p.tally.emails),
        }
    }

    fn period(&self) -> Period {
        Period {
            tally: self.group.tally(),
            flagged: self.flagged,
        }
    }
}

/// Before and after the day AI drafting was rolled out.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Rollout {
    /// The rollout day; `before` is strictly earlier.
    pub date: String,
    /// Emails sent before it.
    pub before: PeriodRow,
    /// Emails sent on or after it.
    pub after: PeriodRow,
}

/// A sender's own figures (`--by-sender`, for a rep auditing their own mailbox).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Sender {
    /// The sender's address.
    pub sender: String,
    /// Emails, reply rate and flagged share.
    #[serde(flatten)]
    pub period: PeriodRow,
}

/// The whole audit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// Every sent message analysed.
    #[serde(flatten)]
    pub all: Group,
    /// First touches only.
    pub first_touch: Group,
    /// Replies and follow-ups within a thread.
    pub follow_up: Group,
    /// Messages with no finding.
    pub baseline: Group,
    /// By rule, most replies lost first; rates from too few emails last.
    pub rules: Vec<Compared>,
    /// By matched phrase, ordered the same way.
    pub patterns: Vec<Compared>,
    /// By calendar month.
    pub months: Vec<Month>,
    /// Before and after `--rollout`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rollout: Option<Rollout>,
    /// By sender (`--by-sender` only).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub senders: Vec<Sender>,
    /// Reply rates by band of each score rule's probability (absent when no score rule ran;
    /// `notes` says so).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub score_bands: Vec<ScoreBands>,
    /// Messages left out, by reason.
    pub skipped: BTreeMap<String, u64>,
    /// Groups with fewer emails than this are marked `too_few`.
    pub min_emails: u64,
    /// Findings below this severity were ignored (`--min-severity`). Absent from reports made
    /// before it was recorded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_severity: Option<Severity>,
    /// Whether examples, pattern labels and senders are redacted (`--redact`). Absent from
    /// reports made before it was recorded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub redacted: Option<bool>,
    /// Why a section is missing.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

impl Report {
    /// The report of `counts`.
    pub fn new(counts: &Counts, min_emails: u64) -> Report {
        let baseline = counts.baseline;
        let compared = |rule: &str, phrase: Option<&str>, severity, t: Tally, ex: &[Example]| {
            let base_rate = stats::rate(baseline.replied, baseline.emails);
            Compared {
                rule: rule.to_string(),
                phrase: phrase.map(str::to_string),
                severity,
                group: Group::of(t),
                versus: Versus::of(t, baseline),
                lost_replies: base_rate.map(|b| b * t.emails as f64 - t.replied as f64),
                too_few: t.emails < min_emails,
                examples: ex.to_vec(),
            }
        };
        let mut rules: Vec<Compared> = counts
            .rules
            .iter()
            .map(|(rule, (severity, t))| compared(rule, None, *severity, *t, &[]))
            .collect();
        let mut patterns: Vec<Compared> = counts
            .patterns
            .iter()
            .map(|((rule, phrase), (t, ex))| {
                let severity = counts.rules.get(rule).map_or(Severity::Info, |r| r.0);
                compared(rule, Some(phrase), severity, *t, ex)
            })
            .collect();
        rank(&mut rules);
        rank(&mut patterns);
        Report {
            all: Group::of(counts.all),
            first_touch: Group::of(counts.first_touch),
            follow_up: Group::of(counts.follow_up),
            baseline: Group::of(counts.baseline),
            rules,
            patterns,
            months: counts
                .months
                .iter()
                .map(|(month, p)| Month {
                    month: month.clone(),
                    period: PeriodRow::of(*p),
                })
                .collect(),
            rollout: counts.rollout.map(|(day, before, after)| Rollout {
                date: day.to_string(),
                before: PeriodRow::of(before),
                after: PeriodRow::of(after),
            }),
            senders: counts
                .senders
                .iter()
                .map(|(sender, p)| Sender {
                    sender: sender.clone(),
                    period: PeriodRow::of(*p),
                })
                .collect(),
            score_bands: counts
                .scores
                .iter()
                .map(|(rule, c)| ScoreBands::of(rule, c, min_emails))
                .collect(),
            skipped: counts.skipped.clone(),
            min_emails,
            min_severity: None,
            redacted: None,
            notes: if counts.scores.is_empty() {
                vec![bands::NO_SCORE_RULE.to_string()]
            } else {
                Vec::new()
            },
        }
    }

    /// The same report, recording how its messages were counted: shards merge only when
    /// they agree on this (see [`merge`]).
    pub fn made_with(self, options: &Options) -> Report {
        Report {
            min_severity: Some(options.min_severity),
            redacted: Some(options.redact),
            ..self
        }
    }

    /// The counts this report was computed from.
    pub fn counts(&self) -> Result<Counts, String> {
        let rollout = match &self.rollout {
            None => None,
            Some(r) => Some((r.date.parse::<Day>()?, r.before.period(), r.after.period())),
        };
        Ok(Counts {
            all: self.all.tally(),
            first_touch: self.first_touch.tally(),
            follow_up: self.follow_up.tally(),
            baseline: self.baseline.tally(),
            rules: self
                .rules
                .iter()
                .map(|c| (c.rule.clone(), (c.severity, c.group.tally())))
                .collect(),
            patterns: self
                .patterns
                .iter()
                .map(|c| {
                    let key = (c.rule.clone(), c.phrase.clone().unwrap_or_default());
                    (key, (c.group.tally(), c.examples.clone()))
                })
                .collect(),
            months: self
                .months
                .iter()
                .map(|m| (m.month.clone(), m.period.period()))
                .collect(),
            rollout,
            senders: self
                .senders
                .iter()
                .map(|s| (s.sender.clone(), s.period.period()))
                .collect(),
            scores: self
                .score_bands
                .iter()
                .map(|b| Ok((b.rule.clone(), b.counts()?)))
                .collect::<Result<_, String>>()?,
            skipped: self.skipped.clone(),
        })
    }
}

/// Most replies lost first; groups with too few emails after the rest.
fn rank(rows: &mut [Compared]) {
    rows.sort_by(|a, b| {
        let lost = |c: &Compared| c.lost_replies.unwrap_or(0.0);
        a.too_few
            .cmp(&b.too_few)
            .then(lost(b).total_cmp(&lost(a)))
            .then_with(|| (&a.rule, &a.phrase).cmp(&(&b.rule, &b.phrase)))
    });
}

/// Merges shard reports, each with the name it is known by (its file), into the report of a
/// single run over all their messages. Shards must agree on `--min-severity` and `--redact`
/// (a redacted report merged with an unredacted one would hold raw snippets), on the rollout
/// day and on the score rules; an error names the two shards that differ and the setting.
/// `--min-emails` only decides what is ranked, so shards may differ in it: the merged report
/// takes the largest, whatever the order of the shards, so nothing is ranked that a shard
/// held too few to rank.
pub fn merge(reports: Vec<(String, Report)>) -> Result<Report, String> {
    let mut reports = reports.into_iter();
    let (first_name, first) = reports.next().ok_or("nothing to merge")?;
    let mut min_emails = first.min_emails;
    let mut counts = first.counts().map_err(|e| format!("{first_name}: {e}"))?;
    for (name, r) in reports {
        let differ = |setting: &str, a: String, b: String| {
            format!("{first_name} and {name} were made with different {setting} ({a} and {b})")
        };
        if r.min_severity != first.min_severity {
            let show = |s: Option<Severity>| s.map_or(NOT_RECORDED.to_string(), |s| s.to_string());
            return Err(differ(
                "--min-severity",
                show(first.min_severity),
                show(r.min_severity),
            ));
        }
        if r.redacted != first.redacted {
            let show = |r: Option<bool>| match r {
                Some(true) => "redacted".to_string(),
                Some(false) => "not redacted".to_string(),
                None => NOT_RECORDED.to_string(),
            };
            return Err(differ("--redact", show(first.redacted), show(r.redacted)));
        }
        min_emails = min_emails.max(r.min_emails);
        let other = r.counts().map_err(|e| format!("{name}: {e}"))?;
        counts
            .merge(other)
            .map_err(|e| format!("{first_name} and {name}: {e}"))?;
    }
    Ok(Report {
        min_severity: first.min_severity,
        redacted: first.redacted,
        ..Report::new(&counts, min_emails)
    })
}

/// How a setting a report does not record (one made by an older redline) is shown.
const NOT_RECORDED: &str = "not recorded: made by an older redline";
