//! The checks: each reads the rows it needs as they stream by, keeps running totals (never the
//! rows), and at the end measures one figure with the evidence behind it. A threshold rule
//! names its check and bounds; the figure is compared with them in `lib.rs`.

use std::collections::{BTreeMap, HashMap, HashSet};

use serde_json::{Value, json};

use crate::data::month_of;

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
    pub evidence: Value,
}

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
        match self {
            Unit::Points => format!("{v:.1}"),
            Unit::Share => format!("{:.1}%", v * 100.0),
            Unit::Plain => format!("{v:.3}"),
        }
    }
}

/// A check's parameters, from the rule's `params` table with defaults.
pub struct Params<'a>(pub &'a BTreeMap<String, toml::Value>);

impl Params<'_> {
    /// A number, or `default`.
    pub fn number(&self, key: &str, default: f64) -> f64 {
        match self.0.get(key) {
            Some(toml::Value::Integer(i)) => *i as f64,
            Some(toml::Value::Float(f)) => *f,
            _ => default,
        }
    }

    /// A list of strings, or `default`.
    pub fn strings(&self, key: &str, default: &[&str]) -> Vec<String> {
        match self.0.get(key).and_then(toml::Value::as_array) {
            Some(a) => a
                .iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect(),
            None => default.iter().map(|s| s.to_string()).collect(),
        }
    }
}

/// `pipeline.score-inflation`: the mean score of the latest month against the mean of the
/// first months.
#[derive(Default)]
pub struct ScoreInflation {
    baseline_months: usize,
    months: BTreeMap<String, (f64, u64)>,
}

impl ScoreInflation {
    /// With `baseline_months` (default 3).
    pub fn new(p: &Params) -> Self {
        ScoreInflation {
            baseline_months: p.number("baseline_months", 3.0).max(1.0) as usize,
            months: BTreeMap::new(),
        }
    }

    /// Counts a lead.
    pub fn lead(&mut self, l: &Lead) {
        let m = self.months.entry(month_of(l.scored_at)).or_default();
        m.0 += l.score;
        m.1 += 1;
    }

    /// The absolute shift, in points; `None` without more months than the baseline.
    pub fn measure(&self) -> Option<Measured> {
        if self.months.len() <= self.baseline_months {
            return None;
        }
        let baseline = self.months.values().take(self.baseline_months);
        let (sum, n) = baseline.fold((0.0, 0), |(s, n), m| (s + m.0, n + m.1));
        let (latest_month, latest) = self.months.iter().next_back()?;
        let base_mean = sum / n as f64;
        let latest_mean = latest.0 / latest.1 as f64;
        let by_month: Vec<Value> = self
            .months
            .iter()
            .map(|(m, (s, n))| json!({"month": m, "mean_score": s / *n as f64, "leads": n}))
            .collect();
        Some(Measured {
            value: (latest_mean - base_mean).abs(),
            unit: Unit::Points,
            evidence: json!({
                "baseline_months": self.months.keys().take(self.baseline_months).collect::<Vec<_>>(),
                "baseline_mean": base_mean,
                "latest_month": latest_month,
                "latest_mean": latest_mean,
                "shift": latest_mean - base_mean,
                "by_month": by_month,
            }),
        })
    }
}

/// `pipeline.edited-inputs`: the share of high-scored leads whose high-weight fields a rep
/// edited shortly before scoring.
pub struct EditedInputs {
    high_score: f64,
    window_days: i64,
    fields: HashSet<String>,
    scored: HashMap<String, i64>,
    edited: HashSet<String>,
}

impl EditedInputs {
    /// With `high_score` (70), `window_days` (30) and `fields`.
    pub fn new(p: &Params) -> Self {
        let fields = [
            "company_size",
            "industry",
            "employee_count",
            "annual_revenue",
        ];
        EditedInputs {
            high_score: p.number("high_score", 70.0),
            window_days: p.number("window_days", 30.0) as i64,
            fields: p.strings("fields", &fields).into_iter().collect(),
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
        if !e.by_rep || !self.fields.contains(e.field) {
            return;
        }
        if let Some(&scored) = self.scored.get(e.lead)
            && e.day <= scored
            && scored - e.day <= self.window_days
        {
            self.edited.insert(e.lead.to_string());
        }
    }

    /// The share; `None` without high-scored leads.
    pub fn measure(&self) -> Option<Measured> {
        let high = self.scored.len() as u64;
        let edited = self.edited.len() as u64;
        let share = redline_stats::rate(edited, high)?;
        let mut fields: Vec<&String> = self.fields.iter().collect();
        fields.sort();
        Some(Measured {
            value: share,
            unit: Unit::Share,
            evidence: json!({
                "high_scored_leads": high,
                "edited_before_scoring": edited,
                "share": share,
                "high_score": self.high_score,
                "window_days": self.window_days,
                "fields": fields,
            }),
        })
    }
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
    /// With `high_score` (70) and `mid_score` (40).
    pub fn new(p: &Params) -> Self {
        ScoreNotPredictive {
            high_score: p.number("high_score", 70.0),
            mid_score: p.number("mid_score", 40.0),
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

    /// The p-value; `None` when a band has no closed leads.
    pub fn measure(&self) -> Option<Measured> {
        let p = redline_stats::greater_proportion_z(
            self.high.won,
            self.high.closed,
            self.mid.won,
            self.mid.closed,
        )?;
        let rate = |c: Closed| redline_stats::rate(c.won, c.closed);
        Some(Measured {
            value: p,
            unit: Unit::Plain,
            evidence: json!({
                "high_band": {"from": self.high_score, "closed": self.high.closed, "won": self.high.won, "close_rate": rate(self.high)},
                "mid_band": {"from": self.mid_score, "below": self.high_score, "closed": self.mid.closed, "won": self.mid.won, "close_rate": rate(self.mid)},
                "p_value": p,
                "test": "one-sided two-proportion z-test: high band closes more often than mid band",
                "deciles": self.deciles(),
            }),
        })
    }

    /// Closed leads split into ten groups of (as near as ties allow) equal size by score, with
    /// each group's close rate and lift over the overall close rate.
    fn deciles(&self) -> Vec<Value> {
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
                out.push(json!({
                    "decile": decile,
                    "scores": [from.unwrap_or(bin) as f64 / 10.0, bin as f64 / 10.0],
                    "closed": group.closed,
                    "won": group.won,
                    "close_rate": rate,
                    "lift": rate / overall,
                }));
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
/// row, so it exceeds a bound only when every month of some run does.
pub struct ForecastDrift {
    run: usize,
    months: BTreeMap<String, MonthForecast>,
}

impl ForecastDrift {
    /// With `months` (2).
    pub fn new(p: &Params) -> Self {
        ForecastDrift {
            run: p.number("months", 2.0).max(1.0) as usize,
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

    /// The sustained gap; `None` with fewer months than a run.
    pub fn measure(&self) -> Option<Measured> {
        let gaps: Vec<(&String, f64, f64, f64)> = self
            .months
            .iter()
            .map(|(m, f)| {
                let predicted = f.predicted / f.deals as f64;
                let actual = f.won as f64 / f.deals as f64;
                (m, predicted, actual, predicted - actual)
            })
            .collect();
        if gaps.len() < self.run {
            return None;
        }
        let (start, value) = gaps
            .windows(self.run)
            .enumerate()
            .map(|(i, w)| (i, w.iter().map(|g| g.3.abs()).fold(f64::INFINITY, f64::min)))
            .max_by(|a, b| a.1.total_cmp(&b.1))?;
        Some(Measured {
            value,
            unit: Unit::Share,
            evidence: json!({
                "worst_run": gaps[start..start + self.run].iter().map(|g| g.0).collect::<Vec<_>>(),
                "months": gaps.iter().map(|(m, p, a, g)| json!({
                    "month": m, "mean_predicted": p, "win_rate": a, "gap": g,
                    "deals": self.months[*m].deals,
                })).collect::<Vec<_>>(),
            }),
        })
    }
}

/// `pipeline.forecast-psi`: how far this month's predictions have shifted from the first
/// months', as a population stability index over ten bins.
pub struct ForecastShift {
    baseline_months: usize,
    months: BTreeMap<String, [u64; 10]>,
}

impl ForecastShift {
    /// With `baseline_months` (3).
    pub fn new(p: &Params) -> Self {
        ForecastShift {
            baseline_months: p.number("baseline_months", 3.0).max(1.0) as usize,
            months: BTreeMap::new(),
        }
    }

    /// Counts a prediction in its bin.
    pub fn forecast(&mut self, f: &Forecast) {
        let bin = ((f.predicted * 10.0) as usize).min(9);
        self.months.entry(f.month.clone()).or_default()[bin] += 1;
    }

    /// The PSI of the latest month against the baseline months.
    pub fn measure(&self) -> Option<Measured> {
        if self.months.len() <= self.baseline_months {
            return None;
        }
        let mut expected = [0u64; 10];
        for hist in self.months.values().take(self.baseline_months) {
            for (e, h) in expected.iter_mut().zip(hist) {
                *e += h;
            }
        }
        let (latest_month, actual) = self.months.iter().next_back()?;
        let psi = redline_stats::psi(&expected, actual)?;
        Some(Measured {
            value: psi,
            unit: Unit::Plain,
            evidence: json!({
                "psi": psi,
                "baseline_months": self.months.keys().take(self.baseline_months).collect::<Vec<_>>(),
                "latest_month": latest_month,
                "bins": (0..10).map(|i| json!({
                    "from": i as f64 / 10.0, "baseline": expected[i], "latest": actual[i],
                })).collect::<Vec<_>>(),
                "reading": if psi > 0.25 { "major shift" } else if psi > 0.1 { "moderate shift" } else { "stable" },
            }),
        })
    }
}

/// `pipeline.segment-lockout`: the largest segment's share of high-scored leads, with the
/// segments too small to trust the score for.
pub struct SegmentLockout {
    high_score: f64,
    min_closed: u64,
    high: BTreeMap<String, u64>,
    closed: BTreeMap<String, u64>,
}

impl SegmentLockout {
    /// With `high_score` (70) and `min_closed` (50).
    pub fn new(p: &Params) -> Self {
        SegmentLockout {
            high_score: p.number("high_score", 70.0),
            min_closed: p.number("min_closed", 50.0) as u64,
            high: BTreeMap::new(),
            closed: BTreeMap::new(),
        }
    }

    /// Counts a lead for its segment.
    pub fn lead(&mut self, l: &Lead) {
        if l.score >= self.high_score {
            *self.high.entry(l.segment.to_string()).or_default() += 1;
        }
        let closed = self.closed.entry(l.segment.to_string()).or_default();
        *closed += u64::from(l.won.is_some());
    }

    /// The top segment's share; `None` without high-scored leads.
    pub fn measure(&self) -> Option<Measured> {
        let total: u64 = self.high.values().sum();
        let (top, n) = self
            .high
            .iter()
            .max_by_key(|(s, n)| (**n, std::cmp::Reverse(*s)))?;
        let share = redline_stats::rate(*n, total)?;
        let review: Vec<Value> = self
            .closed
            .iter()
            .filter(|(_, c)| **c < self.min_closed)
            .map(|(s, c)| json!({"segment": s, "closed_deals": c}))
            .collect();
        Some(Measured {
            value: share,
            unit: Unit::Share,
            evidence: json!({
                "top_segment": top,
                "top_share": share,
                "high_scored_leads": total,
                "shares": self.high.iter().map(|(s, c)| json!({"segment": s, "high_scored": c, "share": *c as f64 / total as f64})).collect::<Vec<_>>(),
                "manual_review_segments": review,
                "min_closed": self.min_closed,
            }),
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
    /// With `from_day` (61) and `to_day` (90).
    pub fn new(p: &Params) -> Self {
        LowAdoption {
            from_day: p.number("from_day", 61.0) as i64,
            to_day: p.number("to_day", 90.0) as i64,
            reps: HashMap::new(),
            last_day: None,
        }
    }

    /// Notes a licensed rep.
    pub fn rep(&mut self, id: &str, licensed: i64) {
        self.reps.insert(
            id.to_string(),
            RepUse {
                licensed,
                ..RepUse::default()
            },
        );
        self.last_day = self.last_day.max(Some(licensed));
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

    /// The active share; `None` when no rep has been licensed long enough.
    pub fn measure(&self) -> Option<Measured> {
        let last = self.last_day?;
        let eligible: Vec<&RepUse> = self
            .reps
            .values()
            .filter(|r| r.licensed + self.to_day <= last)
            .collect();
        let active = eligible.iter().filter(|r| r.in_window).count() as u64;
        let share = redline_stats::rate(active, eligible.len() as u64)?;
        let curve: Vec<Value> = (0..13)
            .map(|w| {
                let using = eligible.iter().filter(|r| r.weeks & (1 << w) != 0).count();
                json!({"week": w + 1, "share_active": using as f64 / eligible.len() as f64})
            })
            .collect();
        Some(Measured {
            value: share,
            unit: Unit::Share,
            evidence: json!({
                "licensed_reps": eligible.len(),
                "active_in_window": active,
                "window_days": [self.from_day, self.to_day],
                "share": share,
                "weekly_adoption": curve,
            }),
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

    /// The share; `None` without rows.
    pub fn measure(&self) -> Option<Measured> {
        let share = redline_stats::rate(self.yes, self.total)?;
        Some(Measured {
            value: share,
            unit: Unit::Share,
            evidence: json!({"rows": self.total, self.what: self.yes, "share": share}),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn no_params() -> BTreeMap<String, toml::Value> {
        BTreeMap::new()
    }

    /// Reference: pandas 3.1.1, `pd.qcut(df.score, 10, labels=False) + 1`, then each decile's
    /// mean of `won` over the overall mean, for scores `i + 0.5` and
    /// `won = (i * 7) % 10 < i // 10`, `i` in 0..100 (overall close rate 0.45).
    #[test]
    fn decile_lift_matches_pandas_qcut() {
        let mut check = ScoreNotPredictive::new(&Params(&no_params()));
        for i in 0..100u64 {
            check.lead(&Lead {
                id: "x",
                segment: "s",
                score: i as f64 + 0.5,
                scored_at: 0,
                won: Some((i * 7) % 10 < i / 10),
            });
        }
        let lifts: Vec<f64> = check
            .deciles()
            .iter()
            .map(|d| d["lift"].as_f64().unwrap())
            .collect();
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

    #[test]
    fn score_means_and_forecast_gaps() {
        let mut inflation = ScoreInflation::new(&Params(&no_params()));
        let day_of = |m: i64| 20_362 + 31 * m;
        for (m, score) in [(0, 50.0), (0, 54.0), (1, 52.0), (2, 52.0), (3, 60.0)] {
            inflation.lead(&Lead {
                id: "x",
                segment: "s",
                score,
                scored_at: day_of(m),
                won: None,
            });
        }
        let m = inflation.measure().unwrap();
        assert!(
            (m.value - 8.0).abs() < 1e-12,
            "baseline mean 52, latest 60: {m:?}"
        );

        let mut drift = ForecastDrift::new(&Params(&no_params()));
        for (month, predicted, won) in [
            ("2026-01", 0.5, true),
            ("2026-01", 0.5, false),
            ("2026-02", 0.6, false),
            ("2026-03", 0.7, false),
        ] {
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
        assert_eq!(m.evidence["worst_run"], json!(["2026-02", "2026-03"]));
    }
}
