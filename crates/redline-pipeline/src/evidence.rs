//! The numbers behind each figure, one typed shape per check. They are serialised as a
//! finding's JSON `evidence` (field names are part of the output format) and read by type
//! when the HTML page draws its charts.

use redline_rules::threshold::Direction;
use serde::Serialize;

/// The numbers behind a figure, one shape per check; serialised as the JSON `evidence`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Evidence {
    /// `score-inflation`.
    ScoreShift(ScoreShift),
    /// `edited-inputs`.
    EditedInputs(EditedShare),
    /// `score-not-predictive`.
    ScoreBands(ScoreBands),
    /// `forecast-drift`.
    ForecastGap(ForecastGap),
    /// `forecast-psi`.
    ForecastShift(ForecastShift),
    /// `segment-lockout`.
    SegmentShares(SegmentShares),
    /// `low-adoption`.
    Adoption(Adoption),
    /// The yes/no health checks.
    Share(YesShare),
}

/// A month a check left out, and how many rows it had.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SkippedMonth {
    /// `YYYY-MM`.
    pub month: String,
    /// Rows in it (fewer than the check's minimum).
    pub rows: u64,
}

/// A month's mean lead score.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MonthScore {
    /// `YYYY-MM`.
    pub month: String,
    /// The mean score.
    pub mean_score: f64,
    /// Leads scored that month.
    pub leads: u64,
}

/// `score-inflation`'s evidence.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScoreShift {
    /// The months whose mean is the baseline.
    pub baseline_months: Vec<String>,
    /// Their mean score.
    pub baseline_mean: f64,
    /// The latest month counted.
    pub latest_month: String,
    /// Its mean score.
    pub latest_mean: f64,
    /// Latest minus baseline (negative for a drop).
    pub shift: f64,
    /// Which shift the figure counts.
    pub direction: Direction,
    /// Every month counted.
    pub by_month: Vec<MonthScore>,
    /// Months left out with fewer than `min_leads` leads.
    pub skipped_months: Vec<SkippedMonth>,
    /// The minimum leads per month.
    pub min_leads: u64,
}

/// `edited-inputs`' evidence.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EditedShare {
    /// High-scored leads.
    pub high_scored_leads: u64,
    /// Of those, edited by a rep in the window before scoring.
    pub edited_before_scoring: u64,
    /// The share.
    pub share: f64,
    /// The high-score line.
    pub high_score: f64,
    /// The window.
    pub window_days: u32,
    /// The fields watched, sorted.
    pub fields: Vec<String>,
}

/// A score band's closed leads.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Band {
    /// The band's lowest score.
    pub from: f64,
    /// The score it ends below (100 counts in the top band).
    pub below: f64,
    /// Closed leads.
    pub closed: u64,
    /// Won leads.
    pub won: u64,
    /// Won over closed.
    pub close_rate: Option<f64>,
}

/// A decile of closed leads by score.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Decile {
    /// 1 to 10.
    pub decile: u64,
    /// The lowest and highest score in it.
    pub scores: [f64; 2],
    /// Closed leads.
    pub closed: u64,
    /// Won leads.
    pub won: u64,
    /// Won over closed.
    pub close_rate: f64,
    /// The close rate over the overall close rate.
    pub lift: f64,
}

/// `score-not-predictive`'s evidence.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScoreBands {
    /// The high band.
    pub high_band: Band,
    /// The mid band.
    pub mid_band: Band,
    /// The one-sided p-value.
    pub p_value: f64,
    /// The test used.
    pub test: &'static str,
    /// Close rate and lift by score decile.
    pub deciles: Vec<Decile>,
}

/// A month's forecast against its outcomes.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MonthGap {
    /// `YYYY-MM`.
    pub month: String,
    /// Mean predicted win probability.
    pub mean_predicted: f64,
    /// Actual win rate.
    pub win_rate: f64,
    /// Predicted minus actual.
    pub gap: f64,
    /// Deals forecast.
    pub deals: u64,
}

/// `forecast-drift`'s evidence.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ForecastGap {
    /// The months of the run with the largest sustained gap.
    pub worst_run: Vec<String>,
    /// Every month counted.
    pub months: Vec<MonthGap>,
    /// Months left out with fewer than `min_deals` deals.
    pub skipped_months: Vec<SkippedMonth>,
    /// The minimum deals per month.
    pub min_deals: u64,
}

/// A tenth of the probability range, baseline against latest.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PsiBin {
    /// The bin's lowest probability.
    pub from: f64,
    /// Baseline deals in it.
    pub baseline: u64,
    /// Latest month's deals in it.
    pub latest: u64,
}

/// `forecast-psi`'s evidence.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ForecastShift {
    /// The index.
    pub psi: f64,
    /// The baseline months.
    pub baseline_months: Vec<String>,
    /// The latest month counted.
    pub latest_month: String,
    /// The ten bins.
    pub bins: Vec<PsiBin>,
    /// `stable`, `moderate shift` or `major shift`.
    pub reading: &'static str,
    /// Months left out with fewer than `min_deals` deals.
    pub skipped_months: Vec<SkippedMonth>,
    /// The minimum deals per month.
    pub min_deals: u64,
}

/// A segment's share of high-scored leads.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SegmentShare {
    /// The segment.
    pub segment: String,
    /// Its high-scored leads.
    pub high_scored: u64,
    /// Its share of all high-scored leads.
    pub share: f64,
}

/// A segment with too few closed deals to score fairly.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReviewSegment {
    /// The segment.
    pub segment: String,
    /// Its closed deals.
    pub closed_deals: u64,
}

/// `segment-lockout`'s evidence. Segments are listed largest first, at most
/// [`SEGMENTS_LISTED`](crate::checks::SEGMENTS_LISTED) of each kind; the counts of those left out are given.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SegmentShares {
    /// The segment with the most high-scored leads.
    pub top_segment: String,
    /// Its share.
    pub top_share: f64,
    /// All high-scored leads.
    pub high_scored_leads: u64,
    /// The largest segments' shares.
    pub shares: Vec<SegmentShare>,
    /// Segments with high-scored leads not listed in `shares`.
    pub segments_not_listed: u64,
    /// Segments to route to manual review, fewest closed deals first.
    pub manual_review_segments: Vec<ReviewSegment>,
    /// Segments for manual review not listed.
    pub review_segments_not_listed: u64,
    /// The closed-deal minimum.
    pub min_closed: u64,
}

/// A week's share of reps using the tool.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WeekUse {
    /// Week 1 to 13 after licensing.
    pub week: u64,
    /// The share of reps active that week.
    pub share_active: f64,
}

/// `low-adoption`'s evidence: the team's figures, never a rep's.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Adoption {
    /// Reps licensed long enough to count.
    pub licensed_reps: u64,
    /// Of those, active in the window.
    pub active_in_window: u64,
    /// The window, days after licensing.
    pub window_days: [i64; 2],
    /// The share.
    pub share: f64,
    /// The weekly adoption curve.
    pub weekly_adoption: Vec<WeekUse>,
}

/// The yes/no health checks' evidence. Serialised with the column's meaning as the key of
/// the yes count: `{"rows": 2000, "disputed": 512, "share": 0.256}`.
#[derive(Debug, Clone, PartialEq)]
pub struct YesShare {
    /// What a yes means: `disputed`, `accepted`, `recorded`.
    pub what: &'static str,
    /// Rows read.
    pub rows: u64,
    /// Rows saying yes.
    pub yes: u64,
    /// The share.
    pub share: f64,
}

impl Serialize for YesShare {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = s.serialize_map(Some(3))?;
        map.serialize_entry("rows", &self.rows)?;
        map.serialize_entry(self.what, &self.yes)?;
        map.serialize_entry("share", &self.share)?;
        map.end()
    }
}
