//! The checks: each reads the rows it needs as they stream by, keeps running totals (never the
//! rows), and at the end measures one figure with the evidence behind it, or says why it could
//! not. A threshold rule names its check, parameters and bounds; the figure is compared with
//! the bounds in `lib.rs`.
//!
//! Month-based checks count only months with enough rows (each check's `min_*` parameter) and
//! name the months they skipped: one lead dated in a new month is not a trend.

use std::collections::{BTreeMap, HashMap, HashSet};

use redline_rules::threshold::{self as params, Direction};

use crate::data::month_of;
use crate::evidence::{
    Adoption, Band, Decile, EditedShare, Evidence, ForecastGap, ForecastShift, MonthGap,
    MonthScore, PsiBin, ReviewSegment, ScoreBands, ScoreShift, SegmentShare, SegmentShares,
    SkippedMonth, WeekUse, YesShare,
};

/// A parsed `leads.csv` row.
pub struct Lead<'a> {
    /// The lead's id.
    pub id: &'a str,
    /// Its segment.
    pub segment: &'a str,
    /// Its score, 0–100.
    pub score: f64,
    /// The day it was scored.
    pub scored_at: i64,
    /// `Some(true)` won, `Some(false)` lost, `None` open.
    pub won: Option<bool>,
}

/// A parsed `field_edits.csv` row.
pub struct Edit<'a> {
    /// The lead edited.
    pub lead: &'a str,
    /// The field.
    pub field: &'a str,
    /// The day.
    pub day: i64,
    /// Edited by a rep (not the system).
    pub by_rep: bool,
}

/// A parsed `forecasts.csv` row.
pub struct Forecast {
    /// `YYYY-MM`.
    pub month: String,
    /// The predicted win probability.
    pub predicted: f64,
    /// Won or lost.
    pub won: bool,
}

/// What a check measured.
#[derive(Debug, Clone, PartialEq)]
pub struct Measured {
    /// The figure compared with the rule's bounds.
    pub value: f64,
    /// How to show the figure (and the bound) in a message.
    pub unit: Unit,
    /// The numbers behind it.
    pub evidence: Evidence,
    /// Months left out for too few rows, for the run's notes.
    pub skipped: Vec<SkippedMonth>,
}

/// Why a check measured nothing, in a sentence.
pub type NotMeasured = String;

/// How a figure reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// Score points.
    Points,
    /// A share, shown as a percentage.
    Share,
    /// A probability or index, shown with two or three decimals.
    Plain,
}

impl Unit {
    /// `v` as a message shows it.
    pub fn show(self, v: f64) -> String {
        self.show_with(v, 0)
    }

    /// `v` with `more` decimals than usual.
    fn show_with(self, v: f64, more: usize) -> String {
        match self {
            Unit::Points => format!("{v:.*}", 1 + more),
            Unit::Share => format!("{:.*}%", 1 + more, v * 100.0),
            Unit::Plain => format!("{v:.*}", 3 + more),
        }
    }

    /// A figure and the bound it crossed, as a message shows them: with as many more decimals
    /// (up to six) as it takes for them to differ, so 10.01% does not read as "10.0% (limit
    /// 10.0%)".
    pub fn show_pair(self, value: f64, limit: f64) -> (String, String) {
        let mut more = 0;
        loop {
            let pair = (self.show_with(value, more), self.show_with(limit, more));
            if pair.0 != pair.1 || more == 6 {
                return pair;
            }
            more += 1;
        }
    }
}

/// How far past a bound a figure must be to cross it: sums of float inputs land a hair off
/// the exact figure (30 × 0.4 summed, less 9/30, is 0.1000000000000002), and "above 10
/// points" must not fire at exactly 10 points.
const TOLERANCE: f64 = 1e-9;

/// Whether `value` is past `bound`: above it when `above`, else below it, by more than
/// [`TOLERANCE`]. Every bound a check or rule compares with goes through here.
pub fn crosses(value: f64, bound: f64, above: bool) -> bool {
    if above {
        value > bound + TOLERANCE
    } else {
        value < bound - TOLERANCE
    }
}

/// Splits month totals into months with at least `min` rows and the months skipped.
fn enough<T>(
    months: &BTreeMap<String, T>,
    rows: impl Fn(&T) -> u64,
    min: u64,
) -> (Vec<(&String, &T)>, Vec<SkippedMonth>) {
    let (kept, skipped): (Vec<_>, Vec<_>) = months.iter().partition(|(_, t)| rows(t) >= min);
    let skipped = skipped
        .into_iter()
        .map(|(m, t)| SkippedMonth {
            month: m.clone(),
            rows: rows(t),
        })
        .collect();
    (kept, skipped)
}

/// The reason a month-based check measured nothing: too few months with enough rows.
fn too_few_months(
    needed: u64,
    found: usize,
    min: u64,
    what: &str,
    skipped: &[SkippedMonth],
) -> String {
    let mut why = format!("needs {needed} months with at least {min} {what}, found {found}");
    if !skipped.is_empty() {
        why.push_str(&format!("; skipped {}", describe_skipped(skipped, what)));
    }
    why
}

/// `2026-07 (1 leads), 2026-08 (12 leads)`.
pub fn describe_skipped(skipped: &[SkippedMonth], what: &str) -> String {
    skipped
        .iter()
        .map(|s| format!("{} ({} {what})", s.month, s.rows))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `pipeline.score-inflation`: the mean score of the latest month against the mean of the
/// first months, counting only months with at least `min_leads` leads. With `direction = up`
/// (the default) a drop is a negative figure and never reads as inflation.
pub struct ScoreInflation {
    params: params::ScoreInflation,
    months: BTreeMap<String, (f64, u64)>,
}

impl ScoreInflation {
    /// With the rule's parameters.
    pub fn new(params: &params::ScoreInflation) -> Self {
        ScoreInflation {
            params: params.clone(),
            months: BTreeMap::new(),
        }
    }

    /// Counts a lead.
    pub fn lead(&mut self, l: &Lead) {
        let m = self.months.entry(month_of(l.scored_at)).or_default();
        m.0 += l.score;
        m.1 += 1;
    }

    /// The shift in points, in the rule's direction.
    pub fn measure(&self) -> Result<Measured, NotMeasured> {
        let p = &self.params;
        let (kept, skipped) = enough(&self.months, |m| m.1, p.min_leads);
        let base_n = p.baseline_months as usize;
        if kept.len() <= base_n {
            return Err(too_few_months(
                p.baseline_months + 1,
                kept.len(),
                p.min_leads,
                "leads",
                &skipped,
            ));
        }
        let (sum, n) = kept[..base_n]
            .iter()
            .fold((0.0, 0), |(s, n), (_, m)| (s + m.0, n + m.1));
        let (latest_month, latest) = kept[kept.len() - 1];
        let base_mean = sum / n as f64;
        let latest_mean = latest.0 / latest.1 as f64;
        let shift = latest_mean - base_mean;
        let value = match p.direction {
            Direction::Up => shift,
            Direction::Down => -shift,
            Direction::Both => shift.abs(),
        };
        Ok(Measured {
            value,
            unit: Unit::Points,
            evidence: Evidence::ScoreShift(ScoreShift {
                baseline_months: kept[..base_n].iter().map(|(m, _)| (*m).clone()).collect(),
                baseline_mean: base_mean,
                latest_month: latest_month.clone(),
                latest_mean,
                shift,
                direction: p.direction,
                by_month: kept
                    .iter()
                    .map(|(m, (s, n))| MonthScore {
                        month: (*m).clone(),
                        mean_score: s / *n as f64,
                        leads: *n,
                    })
                    .collect(),
                skipped_months: skipped.clone(),
                min_leads: p.min_leads,
            }),
            skipped,
        })
    }
}

/// `pipeline.edited-inputs`: the share of high-scored leads whose high-weight fields a rep
/// edited shortly before scoring. Field names match in any case and with spaces or
/// underscores alike (`Annual Revenue` is `annual_revenue`): CRMs export field labels.
pub struct EditedInputs {
    high_score: f64,
    window_days: u32,
    /// The watched fields as configured, for the evidence.
    watched: Vec<String>,
    /// The same as [`field_key`]s.
    fields: HashSet<String>,
    scored: HashMap<String, i64>,
    edited: HashSet<String>,
}

impl EditedInputs {
    /// With the rule's parameters.
    pub fn new(p: &params::EditedInputs) -> Self {
        EditedInputs {
            high_score: p.high_score,
            window_days: p.window_days,
            watched: p.fields.clone(),
            fields: p.fields.iter().map(|f| field_key(f)).collect(),
            scored: HashMap::new(),
            edited: HashSet::new(),
        }
    }

    /// Notes a high-scored lead and when it was scored.
    pub fn lead(&mut self, l: &Lead) {
        if l.score >= self.high_score {
            self.scored.insert(l.id.to_string(), l.scored_at);
        }
    }

    /// Notes a rep's edit of a watched field within the window before scoring.
    pub fn edit(&mut self, e: &Edit) {
        if !e.by_rep || !self.fields.contains(&field_key(e.field)) {
            return;
        }
        if let Some(&scored) = self.scored.get(e.lead)
            && e.day <= scored
            && scored - e.day <= i64::from(self.window_days)
        {
            self.edited.insert(e.lead.to_string());
        }
    }

    /// The share.
    pub fn measure(&self) -> Result<Measured, NotMeasured> {
        let high = self.scored.len() as u64;
        let edited = self.edited.len() as u64;
        let share = redline_stats::rate(edited, high)
            .ok_or_else(|| format!("no lead scored {} or more", self.high_score))?;
        let mut fields = self.watched.clone();
        fields.sort();
        Ok(Measured {
            value: share,
            unit: Unit::Share,
            evidence: Evidence::EditedInputs(EditedShare {
                high_scored_leads: high,
                edited_before_scoring: edited,
                share,
                high_score: self.high_score,
                window_days: self.window_days,
                fields,
            }),
            skipped: Vec::new(),
        })
    }
}

/// A field name as edited-inputs compares it: lower case, with runs of spaces and underscores
/// as one `_` (`Annual Revenue`, `annual_revenue` and `ANNUAL  REVENUE` are one field).
fn field_key(name: &str) -> String {
    name.to_lowercase()
        .split([' ', '_'])
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join("_")
}

/// Closed leads: won and closed counts.
#[derive(Debug, Clone, Copy, Default)]
struct Closed {
    won: u64,
    closed: u64,
}

/// `pipeline.score-not-predictive`: do high-band leads close more often than mid-band ones?
/// The figure is the one-sided p-value; the evidence has close rate and lift by score decile.
pub struct ScoreNotPredictive {
    high_score: f64,
    mid_score: f64,
    high: Closed,
    mid: Closed,
    /// Closed leads by score in tenths of a point, for deciles.
    by_score: Vec<Closed>,
}

impl ScoreNotPredictive {
    /// With the rule's parameters.
    pub fn new(p: &params::ScoreNotPredictive) -> Self {
        ScoreNotPredictive {
            high_score: p.high_score,
            mid_score: p.mid_score,
            high: Closed::default(),
            mid: Closed::default(),
            by_score: vec![Closed::default(); 1001],
        }
    }

    /// Counts a closed lead in its band and score bin.
    pub fn lead(&mut self, l: &Lead) {
        let Some(won) = l.won else { return };
        let add = |c: &mut Closed| {
            c.closed += 1;
            c.won += u64::from(won);
        };
        if l.score >= self.high_score {
            add(&mut self.high);
        } else if l.score >= self.mid_score {
            add(&mut self.mid);
        }
        add(&mut self.by_score[(l.score * 10.0).round().clamp(0.0, 1000.0) as usize]);
    }

    /// The p-value.
    pub fn measure(&self) -> Result<Measured, NotMeasured> {
        let p = redline_stats::greater_proportion_z(
            self.high.won,
            self.high.closed,
            self.mid.won,
            self.mid.closed,
        )
        .ok_or("the high or the mid band has no closed leads")?;
        let band = |c: Closed, from: f64, below: f64| Band {
            from,
            below,
            closed: c.closed,
            won: c.won,
            close_rate: redline_stats::rate(c.won, c.closed),
        };
        Ok(Measured {
            value: p,
            unit: Unit::Plain,
            evidence: Evidence::ScoreBands(ScoreBands {
                high_band: band(self.high, self.high_score, 100.0),
                mid_band: band(self.mid, self.mid_score, self.high_score),
                p_value: p,
                test: "one-sided two-proportion z-test: high band closes more often than mid band",
                deciles: self.deciles(),
            }),
            skipped: Vec::new(),
        })
    }

    /// Closed leads split into ten groups of (as near as ties allow) equal size by score, with
    /// each group's close rate and lift over the overall close rate.
    fn deciles(&self) -> Vec<Decile> {
        let total: u64 = self.by_score.iter().map(|c| c.closed).sum();
        let won: u64 = self.by_score.iter().map(|c| c.won).sum();
        let Some(overall) = redline_stats::rate(won, total).filter(|&r| r > 0.0) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        let (mut group, mut seen, mut from) = (Closed::default(), 0u64, None);
        for (bin, c) in self.by_score.iter().enumerate() {
            if c.closed == 0 {
                continue;
            }
            from.get_or_insert(bin);
            group.closed += c.closed;
            group.won += c.won;
            seen += c.closed;
            let decile = out.len() as u64 + 1;
            if seen * 10 >= total * decile || seen == total {
                let rate = group.won as f64 / group.closed as f64;
                out.push(Decile {
                    decile,
                    scores: [from.unwrap_or(bin) as f64 / 10.0, bin as f64 / 10.0],
                    closed: group.closed,
                    won: group.won,
                    close_rate: rate,
                    lift: rate / overall,
                });
                group = Closed::default();
                from = None;
            }
        }
        out
    }
}

/// Predicted against actual by month.
#[derive(Debug, Clone, Copy, Default)]
struct MonthForecast {
    predicted: f64,
    deals: u64,
    won: u64,
}

/// `pipeline.forecast-drift`: the gap between mean predicted win probability and the actual
/// win rate, month by month. The figure is the largest gap held for `months` (2) months in a
/// row, so it exceeds a bound only when every month of some run does; a month with fewer than
/// `min_deals` deals is skipped and breaks a run, and so does a month with no deals at all.
pub struct ForecastDrift {
    params: params::ForecastDrift,
    months: BTreeMap<String, MonthForecast>,
}

impl ForecastDrift {
    /// With the rule's parameters.
    pub fn new(p: &params::ForecastDrift) -> Self {
        ForecastDrift {
            params: p.clone(),
            months: BTreeMap::new(),
        }
    }

    /// Counts a deal.
    pub fn forecast(&mut self, f: &Forecast) {
        let m = self.months.entry(f.month.clone()).or_default();
        m.predicted += f.predicted;
        m.deals += 1;
        m.won += u64::from(f.won);
    }

    /// The sustained gap.
    pub fn measure(&self) -> Result<Measured, NotMeasured> {
        let p = &self.params;
        let (_, skipped) = enough(&self.months, |m| m.deals, p.min_deals);
        // A month with no deals at all is a gap in the run too, like a month with too few.
        let mut gaps: Vec<Option<MonthGap>> = Vec::new();
        let mut expected: Option<String> = None;
        for (m, f) in &self.months {
            while let Some(missing) = expected.filter(|e| e < m) {
                gaps.push(None);
                expected = next_month(&missing);
            }
            expected = next_month(m);
            gaps.push((f.deals >= p.min_deals).then(|| {
                let predicted = f.predicted / f.deals as f64;
                let actual = f.won as f64 / f.deals as f64;
                MonthGap {
                    month: m.clone(),
                    mean_predicted: predicted,
                    win_rate: actual,
                    gap: predicted - actual,
                    deals: f.deals,
                }
            }));
        }
        let run = p.months as usize;
        let (start, value) = gaps
            .windows(run)
            .enumerate()
            .filter_map(|(i, w)| {
                let smallest = w
                    .iter()
                    .map(|g| g.as_ref().map(|g| g.gap.abs()))
                    .try_fold(f64::INFINITY, |least, g| Some(least.min(g?)))?;
                Some((i, smallest))
            })
            .max_by(|a, b| a.1.total_cmp(&b.1))
            .ok_or_else(|| {
                let counted = gaps.iter().flatten().count();
                let mut why = format!(
                    "needs {run} months in a row with at least {} deals, found {counted} such months",
                    p.min_deals
                );
                if counted >= run {
                    why.push_str(&format!(", no {run} of them in a row"));
                }
                if !skipped.is_empty() {
                    why.push_str(&format!("; skipped {}", describe_skipped(&skipped, "deals")));
                }
                why
            })?;
        Ok(Measured {
            value,
            unit: Unit::Share,
            evidence: Evidence::ForecastGap(ForecastGap {
                worst_run: gaps[start..start + run]
                    .iter()
                    .flatten()
                    .map(|g| g.month.clone())
                    .collect(),
                months: gaps.into_iter().flatten().collect(),
                skipped_months: skipped.clone(),
                min_deals: p.min_deals,
            }),
            skipped,
        })
    }
}

/// The month after `month` (`YYYY-MM`, as [`crate::data::month`] writes it).
fn next_month(month: &str) -> Option<String> {
    let first = format!("{month}-01")
        .parse::<redline_calendar::Day>()
        .ok()?;
    Some(first.month_start_after(1).month_key())
}

/// `pipeline.forecast-psi`: how far the latest month's predictions have shifted from the first
/// months', as a population stability index over ten bins; months with fewer than
/// `min_deals` deals are skipped.
pub struct ForecastPsi {
    params: params::ForecastPsi,
    months: BTreeMap<String, [u64; 10]>,
}

impl ForecastPsi {
    /// With the rule's parameters.
    pub fn new(p: &params::ForecastPsi) -> Self {
        ForecastPsi {
            params: p.clone(),
            months: BTreeMap::new(),
        }
    }

    /// Counts a prediction in its bin.
    pub fn forecast(&mut self, f: &Forecast) {
        let bin = ((f.predicted * 10.0) as usize).min(9);
        self.months.entry(f.month.clone()).or_default()[bin] += 1;
    }

    /// The PSI of the latest month against the baseline months.
    pub fn measure(&self) -> Result<Measured, NotMeasured> {
        let p = &self.params;
        let (kept, skipped) = enough(&self.months, |h| h.iter().sum(), p.min_deals);
        let base_n = p.baseline_months as usize;
        if kept.len() <= base_n {
            return Err(too_few_months(
                p.baseline_months + 1,
                kept.len(),
                p.min_deals,
                "deals",
                &skipped,
            ));
        }
        let mut expected = [0u64; 10];
        for (_, hist) in &kept[..base_n] {
            for (e, h) in expected.iter_mut().zip(*hist) {
                *e += h;
            }
        }
        let (latest_month, actual) = kept[kept.len() - 1];
        let psi = redline_stats::psi(&expected, actual).ok_or("no deals to compare")?;
        Ok(Measured {
            value: psi,
            unit: Unit::Plain,
            evidence: Evidence::ForecastShift(ForecastShift {
                psi,
                baseline_months: kept[..base_n].iter().map(|(m, _)| (*m).clone()).collect(),
                latest_month: latest_month.clone(),
                bins: (0..10)
                    .map(|i| PsiBin {
                        from: i as f64 / 10.0,
                        baseline: expected[i],
                        latest: actual[i],
                    })
                    .collect(),
                reading: if crosses(psi, 0.25, true) {
                    "major shift"
                } else if crosses(psi, 0.1, true) {
                    "moderate shift"
                } else {
                    "stable"
                },
                skipped_months: skipped.clone(),
                min_deals: p.min_deals,
            }),
            skipped,
        })
    }
}

/// Segments named one by one in the evidence and the page; the rest are summed. A CRM export
/// with a free-text segment column can hold a million distinct values.
pub const SEGMENTS_LISTED: usize = 25;

/// Puts the [`SEGMENTS_LISTED`] first items of `items` in `order`, first, without sorting the
/// rest (a free-text segment column can hold a million values).
fn first_sorted<T>(items: &mut [T], order: impl Fn(&T, &T) -> std::cmp::Ordering) {
    if items.len() > SEGMENTS_LISTED {
        items.select_nth_unstable_by(SEGMENTS_LISTED, &order);
    }
    let listed = items.len().min(SEGMENTS_LISTED);
    items[..listed].sort_unstable_by(order);
}

/// `pipeline.segment-lockout`: the largest segment's share of high-scored leads, with the
/// segments too small to trust the score for.
pub struct SegmentLockout {
    high_score: f64,
    min_closed: u64,
    /// High-scored and closed leads by segment.
    segments: HashMap<String, (u64, u64)>,
}

impl SegmentLockout {
    /// With the rule's parameters.
    pub fn new(p: &params::SegmentLockout) -> Self {
        SegmentLockout {
            high_score: p.high_score,
            min_closed: p.min_closed,
            segments: HashMap::new(),
        }
    }

    /// Counts a lead for its segment.
    pub fn lead(&mut self, l: &Lead) {
        let counts = match self.segments.get_mut(l.segment) {
            Some(c) => c,
            None => self.segments.entry(l.segment.to_string()).or_default(),
        };
        counts.0 += u64::from(l.score >= self.high_score);
        counts.1 += u64::from(l.won.is_some());
    }

    /// The top segment's share.
    pub fn measure(&self) -> Result<Measured, NotMeasured> {
        let total: u64 = self.segments.values().map(|c| c.0).sum();
        let mut high: Vec<(&String, u64)> = self
            .segments
            .iter()
            .filter(|(_, c)| c.0 > 0)
            .map(|(s, c)| (s, c.0))
            .collect();
        first_sorted(&mut high, |a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
        let &(top, n) = high
            .first()
            .ok_or_else(|| format!("no lead scored {} or more", self.high_score))?;
        let share = n as f64 / total as f64;
        let mut review: Vec<(&String, u64)> = self
            .segments
            .iter()
            .filter(|(_, c)| c.1 < self.min_closed)
            .map(|(s, c)| (s, c.1))
            .collect();
        first_sorted(&mut review, |a, b| a.1.cmp(&b.1).then_with(|| a.0.cmp(b.0)));
        Ok(Measured {
            value: share,
            unit: Unit::Share,
            evidence: Evidence::SegmentShares(SegmentShares {
                top_segment: top.clone(),
                top_share: share,
                high_scored_leads: total,
                shares: high
                    .iter()
                    .take(SEGMENTS_LISTED)
                    .map(|(s, c)| SegmentShare {
                        segment: (*s).clone(),
                        high_scored: *c,
                        share: *c as f64 / total as f64,
                    })
                    .collect(),
                segments_not_listed: high.len().saturating_sub(SEGMENTS_LISTED) as u64,
                manual_review_segments: review
                    .iter()
                    .take(SEGMENTS_LISTED)
                    .map(|(s, c)| ReviewSegment {
                        segment: (*s).clone(),
                        closed_deals: *c,
                    })
                    .collect(),
                review_segments_not_listed: review.len().saturating_sub(SEGMENTS_LISTED) as u64,
                min_closed: self.min_closed,
            }),
            skipped: Vec::new(),
        })
    }
}

/// One licensed rep's use of the tool.
#[derive(Debug, Clone, Default)]
struct RepUse {
    licensed: i64,
    /// Weeks 0–12 after licensing with any use, as bits.
    weeks: u16,
    in_window: bool,
}

/// `pipeline.low-adoption`: the share of licensed reps still using the tool in days 61–90
/// after licensing, over reps licensed at least 90 days before the data ends; with the team's
/// weekly adoption curve. Reps are never named.
pub struct LowAdoption {
    from_day: i64,
    to_day: i64,
    reps: HashMap<String, RepUse>,
    last_day: Option<i64>,
}

impl LowAdoption {
    /// With the rule's parameters.
    pub fn new(p: &params::LowAdoption) -> Self {
        LowAdoption {
            from_day: p.from_day,
            to_day: p.to_day,
            reps: HashMap::new(),
            last_day: None,
        }
    }

    /// Notes a licensed rep; `Err` for a rep already listed (the first row stands: which
    /// licence date is right cannot be told, and the rep is one rep either way).
    pub fn rep(&mut self, id: &str, licensed: i64) -> Result<(), String> {
        if self.reps.contains_key(id) {
            return Err(format!("rep `{id}` is already listed; this row is skipped"));
        }
        self.reps.insert(
            id.to_string(),
            RepUse {
                licensed,
                ..RepUse::default()
            },
        );
        self.last_day = self.last_day.max(Some(licensed));
        Ok(())
    }

    /// Notes a day of use; `Err` for a rep not in `reps.csv`.
    pub fn usage(&mut self, id: &str, day: i64) -> Result<(), String> {
        let rep = self
            .reps
            .get_mut(id)
            .ok_or_else(|| format!("rep `{id}` is not in reps.csv"))?;
        let since = day - rep.licensed;
        if (0..13 * 7).contains(&since) {
            rep.weeks |= 1 << (since / 7);
        }
        if (self.from_day..=self.to_day).contains(&since) {
            rep.in_window = true;
        }
        self.last_day = self.last_day.max(Some(day));
        Ok(())
    }

    /// The active share.
    pub fn measure(&self) -> Result<Measured, NotMeasured> {
        let not_long_enough = || {
            format!(
                "no rep was licensed at least {} days before the data ends",
                self.to_day
            )
        };
        let last = self.last_day.ok_or_else(not_long_enough)?;
        let eligible: Vec<&RepUse> = self
            .reps
            .values()
            .filter(|r| r.licensed + self.to_day <= last)
            .collect();
        let active = eligible.iter().filter(|r| r.in_window).count() as u64;
        let share =
            redline_stats::rate(active, eligible.len() as u64).ok_or_else(not_long_enough)?;
        let weekly_adoption = (0..13)
            .map(|w| {
                let using = eligible.iter().filter(|r| r.weeks & (1 << w) != 0).count();
                WeekUse {
                    week: w + 1,
                    share_active: using as f64 / eligible.len() as f64,
                }
            })
            .collect();
        Ok(Measured {
            value: share,
            unit: Unit::Share,
            evidence: Evidence::Adoption(Adoption {
                licensed_reps: eligible.len() as u64,
                active_in_window: active,
                window_days: [self.from_day, self.to_day],
                share,
                weekly_adoption,
            }),
            skipped: Vec::new(),
        })
    }
}

/// The 90-day health checks on optional inputs: the share of rows where a yes/no column is
/// yes — disputed routings, accepted next-best actions, recorded calls.
pub struct Share {
    what: &'static str,
    yes: u64,
    total: u64,
}

impl Share {
    /// Counting `what` (the column's meaning, for the evidence).
    pub fn new(what: &'static str) -> Self {
        Share {
            what,
            yes: 0,
            total: 0,
        }
    }

    /// Counts a row.
    pub fn row(&mut self, yes: bool) {
        self.yes += u64::from(yes);
        self.total += 1;
    }

    /// The share.
    pub fn measure(&self) -> Result<Measured, NotMeasured> {
        let share = redline_stats::rate(self.yes, self.total).ok_or("the file has no rows")?;
        Ok(Measured {
            value: share,
            unit: Unit::Share,
            evidence: Evidence::Share(YesShare {
                what: self.what,
                rows: self.total,
                yes: self.yes,
                share,
            }),
            skipped: Vec::new(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lead(score: f64, scored_at: i64, segment: &str, won: Option<bool>) -> Lead<'_> {
        Lead {
            id: "x",
            segment,
            score,
            scored_at,
            won,
        }
    }

    /// Day numbers in consecutive months from 2025-10.
    fn in_month(m: i64) -> i64 {
        20_362 + 31 * m
    }

    /// Reference: pandas 3.1.1, `pd.qcut(df.score, 10, labels=False) + 1`, then each decile's
    /// mean of `won` over the overall mean, for scores `i + 0.5` and
    /// `won = (i * 7) % 10 < i // 10`, `i` in 0..100 (overall close rate 0.45).
    #[test]
    fn decile_lift_matches_pandas_qcut() {
        let mut check = ScoreNotPredictive::new(&Default::default());
        for i in 0..100u64 {
            check.lead(&lead(i as f64 + 0.5, 0, "s", Some((i * 7) % 10 < i / 10)));
        }
        let lifts: Vec<f64> = check.deciles().iter().map(|d| d.lift).collect();
        let expected = [
            0.0,
            0.222222222222,
            0.444444444444,
            0.666666666667,
            0.888888888889,
            1.111111111111,
            1.333333333333,
            1.555555555556,
            1.777777777778,
            2.0,
        ];
        assert_eq!(lifts.len(), 10);
        for (got, want) in lifts.iter().zip(expected) {
            assert!((got - want).abs() < 1e-9, "{lifts:?}");
        }
    }

    fn inflation(direction: Direction, months: &[(i64, f64, u64)]) -> Result<Measured, String> {
        let mut check = ScoreInflation::new(&params::ScoreInflation {
            direction,
            min_leads: 2,
            ..Default::default()
        });
        for &(m, score, n) in months {
            for _ in 0..n {
                check.lead(&lead(score, in_month(m), "s", None));
            }
        }
        check.measure()
    }

    #[test]
    fn score_shift_has_a_direction() {
        let drop = [(0, 50.0, 2), (1, 52.0, 2), (2, 54.0, 2), (3, 46.5, 2)];
        let up = inflation(Direction::Up, &drop).unwrap();
        assert!(
            (up.value + 5.5).abs() < 1e-12,
            "a drop of 5.5 is -5.5 inflation: {up:?}"
        );
        let down = inflation(Direction::Down, &drop).unwrap();
        assert!((down.value - 5.5).abs() < 1e-12);
        let both = inflation(Direction::Both, &drop).unwrap();
        assert!((both.value - 5.5).abs() < 1e-12);
        let Evidence::ScoreShift(e) = &up.evidence else {
            panic!("score evidence")
        };
        assert!((e.shift + 5.5).abs() < 1e-12);
        assert_eq!(e.baseline_months, ["2025-10", "2025-11", "2025-12"]);
        assert_eq!(e.latest_month, "2026-01");
    }

    #[test]
    fn months_with_too_few_leads_are_skipped_and_named() {
        // One lead at 100 in a new month must not read as +48 points.
        let months = [
            (0, 50.0, 2),
            (1, 52.0, 2),
            (2, 54.0, 2),
            (3, 52.0, 2),
            (4, 100.0, 1),
        ];
        let m = inflation(Direction::Up, &months).unwrap();
        assert!(
            m.value.abs() < 1e-12,
            "the latest full month is 2026-01: {m:?}"
        );
        assert_eq!(
            m.skipped,
            [SkippedMonth {
                month: "2026-02".into(),
                rows: 1
            }]
        );
        let why = inflation(
            Direction::Up,
            &[(0, 50.0, 2), (1, 50.0, 2), (2, 50.0, 1), (3, 90.0, 1)],
        )
        .unwrap_err();
        assert_eq!(
            why,
            "needs 4 months with at least 2 leads, found 2; skipped 2025-12 (1 leads), 2026-01 (1 leads)"
        );
    }

    #[test]
    fn forecast_gaps_hold_for_a_run_of_full_months() {
        let mut drift = ForecastDrift::new(&params::ForecastDrift {
            months: 2,
            min_deals: 2,
        });
        let deals = [
            ("2026-01", 0.5, true),
            ("2026-01", 0.5, false),
            ("2026-02", 0.6, false),
            ("2026-02", 0.6, false),
            ("2026-03", 0.7, false),
            ("2026-03", 0.7, false),
            // Two deals in April, but one in May: May is skipped.
            ("2026-05", 0.9, false),
        ];
        for (month, predicted, won) in deals {
            drift.forecast(&Forecast {
                month: month.into(),
                predicted,
                won,
            });
        }
        let m = drift.measure().unwrap();
        assert!(
            (m.value - 0.6).abs() < 1e-12,
            "gaps 0, 0.6, 0.7: the worst two in a row hold 0.6"
        );
        let Evidence::ForecastGap(e) = &m.evidence else {
            panic!("forecast evidence")
        };
        assert_eq!(e.worst_run, ["2026-02", "2026-03"]);
        assert_eq!(e.skipped_months[0].month, "2026-05");

        let mut two = ForecastDrift::new(&Default::default());
        for month in ["2026-01", "2026-02"] {
            two.forecast(&Forecast {
                month: month.into(),
                predicted: 0.9,
                won: false,
            });
        }
        let why = two.measure().unwrap_err();
        assert!(
            why.contains("found 0 such months; skipped 2026-01 (1 deals)"),
            "{why}"
        );
    }

    /// A forecast-drift check over `months`, each with two deals predicted at 0.5 and lost.
    fn drift_over(months: &[&str]) -> Result<Measured, NotMeasured> {
        let mut drift = ForecastDrift::new(&params::ForecastDrift {
            months: 2,
            min_deals: 2,
        });
        for month in months {
            for _ in 0..2 {
                drift.forecast(&Forecast {
                    month: (*month).into(),
                    predicted: 0.5,
                    won: false,
                });
            }
        }
        drift.measure()
    }

    #[test]
    fn a_month_without_deals_breaks_a_drift_run() {
        let why = drift_over(&["2025-01", "2025-06"]).unwrap_err();
        assert_eq!(
            why,
            "needs 2 months in a row with at least 2 deals, found 2 such months, no 2 of them in a row"
        );
        assert!(
            drift_over(&["2025-11", "2026-01"]).is_err(),
            "December is missing"
        );
        let m = drift_over(&["2025-12", "2026-01"]).unwrap();
        assert!((m.value - 0.5).abs() < 1e-12, "across a new year: {m:?}");
    }

    #[test]
    fn a_figure_at_its_bound_does_not_cross_it() {
        let (predicted, won) = ((0..30).map(|_| 0.4).sum::<f64>(), 9.0);
        let gap = predicted / 30.0 - won / 30.0;
        assert!(gap > 0.1, "summed floats land above: {gap}");
        assert!(!crosses(gap, 0.1, true));
        assert!(!crosses(0.3 - 1e-12, 0.3, false));
        assert!(crosses(0.1001, 0.1, true));
        assert!(crosses(0.2999, 0.3, false));
    }

    #[test]
    fn a_figure_next_to_its_limit_shows_the_digits_that_differ() {
        assert_eq!(
            Unit::Share.show_pair(0.1001, 0.1),
            ("10.01%".into(), "10.00%".into())
        );
        assert_eq!(
            Unit::Share.show_pair(0.2999, 0.3),
            ("29.99%".into(), "30.00%".into())
        );
        assert_eq!(
            Unit::Points.show_pair(5.01, 5.0),
            ("5.01".into(), "5.00".into())
        );
        assert_eq!(
            Unit::Share.show_pair(0.26, 0.25),
            ("26.0%".into(), "25.0%".into())
        );
        assert_eq!(
            Unit::Plain.show_pair(0.0712, 0.05),
            ("0.071".into(), "0.050".into())
        );
    }

    #[test]
    fn one_deal_in_a_month_gives_no_psi() {
        let mut psi = ForecastPsi::new(&Default::default());
        for m in 1..=3 {
            for i in 0..100 {
                psi.forecast(&Forecast {
                    month: format!("2026-0{m}"),
                    predicted: (i % 10) as f64 / 10.0 + 0.05,
                    won: true,
                });
            }
        }
        psi.forecast(&Forecast {
            month: "2026-04".into(),
            predicted: 0.95,
            won: true,
        });
        let why = psi.measure().unwrap_err();
        assert!(why.contains("skipped 2026-04 (1 deals)"), "{why}");
        for i in 0..100 {
            psi.forecast(&Forecast {
                month: "2026-05".into(),
                predicted: (i % 10) as f64 / 10.0 + 0.05,
                won: true,
            });
        }
        let m = psi.measure().unwrap();
        assert!(m.value.abs() < 1e-9, "the same spread: {m:?}");
    }

    #[test]
    fn segments_listed_are_capped_and_the_rest_counted() {
        let mut check = SegmentLockout::new(&Default::default());
        let names: Vec<String> = (0..100).map(|i| format!("seg-{i:03}")).collect();
        for (i, name) in names.iter().enumerate() {
            for _ in 0..(if i == 7 { 50 } else { 1 }) {
                check.lead(&lead(90.0, 0, name, Some(true)));
            }
        }
        let m = check.measure().unwrap();
        let Evidence::SegmentShares(e) = &m.evidence else {
            panic!("segment evidence")
        };
        assert_eq!(e.top_segment, "seg-007");
        assert!((m.value - 50.0 / 149.0).abs() < 1e-12);
        assert_eq!(e.shares.len(), SEGMENTS_LISTED);
        assert_eq!(e.segments_not_listed, 100 - SEGMENTS_LISTED as u64);
        assert_eq!(e.manual_review_segments.len(), SEGMENTS_LISTED);
        assert_eq!(
            e.review_segments_not_listed,
            99 - SEGMENTS_LISTED as u64,
            "seg-007 has 50 closed"
        );
        assert_eq!(
            e.manual_review_segments[0].closed_deals, 1,
            "fewest closed first"
        );
    }

    #[test]
    fn edits_count_only_by_reps_on_watched_fields_inside_the_window() {
        let mut check = EditedInputs::new(&Default::default());
        for (id, score) in [("a", 80.0), ("b", 90.0), ("c", 75.0), ("d", 40.0)] {
            check.lead(&Lead {
                id,
                ..lead(score, 100, "s", None)
            });
        }
        let edit = |lead, field, day, by_rep| Edit {
            lead,
            field,
            day,
            by_rep,
        };
        check.edit(&edit("a", "industry", 80, true));
        check.edit(&edit("b", "industry", 80, false));
        check.edit(&edit("c", "phone", 99, true));
        check.edit(&edit("c", "industry", 60, true));
        check.edit(&edit("d", "industry", 99, true));
        let m = check.measure().unwrap();
        assert!(
            (m.value - 1.0 / 3.0).abs() < 1e-12,
            "only a, of a, b, c: {m:?}"
        );
        check.edit(&edit("b", "Annual Revenue", 90, true));
        check.edit(&edit("c", "INDUSTRY", 90, true));
        let m = check.measure().unwrap();
        assert_eq!(m.value, 1.0, "CRM labels name the same fields: {m:?}");
    }

    #[test]
    fn adoption_counts_reps_licensed_long_enough_in_the_window() {
        let mut check = LowAdoption::new(&Default::default());
        check.rep("r1", 0).unwrap();
        check.rep("r2", 0).unwrap();
        check.rep("late", 50).unwrap();
        assert_eq!(
            check.rep("r2", 10),
            Err("rep `r2` is already listed; this row is skipped".into())
        );
        check.usage("r1", 70).unwrap();
        check.usage("r2", 10).unwrap();
        check.usage("late", 95).unwrap();
        assert!(
            check
                .usage("ghost", 1)
                .unwrap_err()
                .contains("not in reps.csv")
        );
        let m = check.measure().unwrap();
        let Evidence::Adoption(e) = &m.evidence else {
            panic!("adoption evidence")
        };
        assert_eq!((e.licensed_reps, e.active_in_window), (2, 1));
        assert_eq!(e.weekly_adoption[1].share_active, 0.5, "r2 in week 2");
        assert_eq!(e.weekly_adoption[10].share_active, 0.5, "r1 in week 11");
    }

    #[test]
    fn a_yes_share_names_its_column_in_json() {
        let mut check = Share::new("disputed");
        for yes in [true, false, false, false] {
            check.row(yes);
        }
        let m = check.measure().unwrap();
        assert_eq!(
            serde_json::to_string(&m.evidence).unwrap(),
            r#"{"rows":4,"disputed":1,"share":0.25}"#
        );
        assert!(Share::new("recorded").measure().is_err());
    }
}
